//! The links the portal holds for each level of a Digital Link (the GTIN, its lot, its unit),
//! and the linkset that lists them: RFC 9264 JSON as GS1's linkset schema constrains it, the
//! same as JSON-LD, or a page.

use serde_json::{Map, Value, json};
use tem_core::payload::{Element, Payload, percent_encode};

use super::lookup;
use crate::db::{DbError, Key, Sql};
use crate::html::escape;

/// The GS1 Web Vocabulary as the linkset writes link types: the namespace of GS1's linkset
/// JSON-LD context, so the linkset expands to `gs1:` terms.
pub const GS1_VOC: &str = "https://gs1.org/voc/";

/// GS1's linkset context (version 1.2.0 of the resolver standard, immutable), which turns the
/// JSON into JSON-LD.
pub const CONTEXT: &str = "https://ref.gs1.org/standards/resolver/1.2.0/linkset-context";

/// Every link the portal offers is to a page or document in Vietnamese and English.
const HREFLANG: [&str; 2] = ["vi", "en"];

/// A type of link, by its name in the GS1 Web Vocabulary.
#[derive(Debug, PartialEq, Eq)]
pub struct LinkType {
    pub name: &'static str,
    title: &'static str,
    media_type: &'static str,
}

/// The widget, which shows the product's story for the code scanned.
pub const PIP: LinkType = LinkType {
    name: "pip",
    title: "Thông tin sản phẩm / Product information",
    media_type: "text/html",
};
/// The trace record, served by the resolver itself.
pub const TRACEABILITY: LinkType = LinkType {
    name: "traceability",
    title: "Truy xuất nguồn gốc / Trace record",
    media_type: "application/json",
};
pub const RECALL_STATUS: LinkType = LinkType {
    name: "recallStatus",
    title: "Tình trạng thu hồi / Recall status",
    media_type: "application/json",
};
/// Where a request without a link type goes. GS1 gives the default link a title and nothing
/// else; it is always the product information page, also listed as such.
pub const DEFAULT_LINK: LinkType = LinkType {
    name: "defaultLink",
    title: PIP.title,
    media_type: "",
};

#[derive(Debug)]
pub struct Link {
    pub link_type: &'static LinkType,
    pub href: String,
}

/// One level of the request the portal knows, with its own links.
#[derive(Debug)]
pub struct Level {
    pub anchor: String,
    description: String,
    pub links: Vec<Link>,
}

impl Level {
    pub fn link(&self, name: &str) -> Option<&Link> {
        self.links.iter().find(|l| l.link_type.name == name)
    }
}

/// The levels of `path` (primary key first, then its qualifiers) that the portal knows, most
/// specific first. Empty when it does not know the product.
///
/// The product information page is the widget opened on `scanned` (the code as the shopper
/// scanned it, data attributes and all) at every level: the widget then shows that code's own
/// record, or says there is none, rather than another lot's.
pub fn levels(
    db: &mut dyn Sql,
    base: &str,
    path: &[Element],
    scanned: &str,
) -> Result<Vec<Level>, DbError> {
    let Some((gtin, qualifiers)) = path.split_first() else {
        return Ok(vec![]);
    };
    let Some(product) = lookup::product(db, &gtin.value)? else {
        return Ok(vec![]);
    };
    let widget = format!("{base}/?code={}", percent_encode(scanned));
    let mut levels = Vec::new();
    for depth in 0..=qualifiers.len() {
        let elements = &path[..=depth];
        let key = key_of(elements);
        let anchor = format!("{base}{}", resolver_path(elements));
        let traceability = || Link {
            link_type: &TRACEABILITY,
            href: format!("{anchor}?linkType=gs1:traceability"),
        };
        let recalls = || Link {
            link_type: &RECALL_STATUS,
            href: format!("{base}{}", recalls_path(&key)),
        };
        let links = match elements.last().map(|e| e.ai.as_str()) {
            Some("01") => {
                let mut links = vec![
                    Link {
                        link_type: &DEFAULT_LINK,
                        href: widget.clone(),
                    },
                    Link {
                        link_type: &PIP,
                        href: widget.clone(),
                    },
                    recalls(),
                ];
                // A GTIN's record is its latest lot's, so only a product with lots has one.
                if product.has_lots {
                    links.push(traceability());
                }
                links
            }
            Some("10") if lookup::lot_exists(db, &key.gtin, key.lot.as_deref().unwrap_or(""))? => {
                vec![traceability(), recalls()]
            }
            Some("21") if unit_known(db, &key)? => vec![traceability()],
            // An unknown lot or unit, or a qualifier the portal keeps no data for (a variant):
            // its links are those of the levels above.
            _ => continue,
        };
        levels.push(Level {
            description: describe(&product, &key),
            anchor,
            links,
        });
    }
    levels.reverse();
    Ok(levels)
}

/// A serial is known with the lot it belongs to, or with no lot given.
fn unit_known(db: &mut dyn Sql, key: &Key) -> Result<bool, DbError> {
    let Some(serial) = &key.serial else {
        return Ok(false);
    };
    let lot = lookup::unit_lot(db, &key.gtin, serial)?;
    Ok(lot.is_some_and(|lot| key.lot.as_ref().is_none_or(|l| *l == lot)))
}

fn key_of(elements: &[Element]) -> Key {
    let value = |ai: &str| {
        elements
            .iter()
            .find(|e| e.ai == ai)
            .map(|e| e.value.clone())
    };
    Key {
        gtin: value("01").unwrap_or_default(),
        lot: value("10"),
        serial: value("21"),
    }
}

/// The canonical path of a primary key and some of its qualifiers.
pub fn resolver_path(elements: &[Element]) -> String {
    let payload = Payload {
        kind: tem_core::payload::PayloadKind::DigitalLink,
        elements: elements.to_vec(),
        host: None,
        warnings: vec![],
        raw: String::new(),
    };
    payload.resolver_path().unwrap_or_default()
}

pub fn recalls_path(key: &Key) -> String {
    let mut path = format!("/api/v1/recalls?gtin={}", key.gtin);
    if let Some(lot) = &key.lot {
        path.push_str(&format!("&lot={}", percent_encode(lot)));
    }
    path
}

/// The `itemDescription`: GS1's schema takes one string, so the Vietnamese name comes first and
/// the English one after a slash, as the link titles are written.
fn describe(product: &lookup::Product, key: &Key) -> String {
    let mut vi = product.name_vi.clone();
    let mut en = product.name_en.clone();
    if let Some(lot) = &key.lot {
        vi.push_str(&format!(", lô {lot}"));
        if let Some(en) = &mut en {
            en.push_str(&format!(", lot {lot}"));
        }
    }
    if let Some(serial) = &key.serial {
        vi.push_str(&format!(", số sê-ri {serial}"));
        if let Some(en) = &mut en {
            en.push_str(&format!(", serial {serial}"));
        }
    }
    match en {
        Some(en) => format!("{vi} / {en}"),
        None => vi,
    }
}

/// RFC 9264 JSON: one context object per level, link types as GS1 vocabulary URIs.
pub fn json(levels: &[Level]) -> Value {
    let contexts: Vec<Value> = levels
        .iter()
        .map(|level| {
            let mut object = Map::new();
            object.insert("anchor".into(), level.anchor.clone().into());
            object.insert("itemDescription".into(), level.description.clone().into());
            for link in &level.links {
                object.insert(
                    format!("{GS1_VOC}{}", link.link_type.name),
                    json!([link_object(link)]),
                );
            }
            Value::Object(object)
        })
        .collect();
    json!({ "linkset": contexts })
}

fn link_object(link: &Link) -> Value {
    let LinkType {
        title, media_type, ..
    } = link.link_type;
    if link.link_type == &DEFAULT_LINK {
        return json!({"href": link.href, "title": title});
    }
    json!({"href": link.href, "title": title, "type": media_type, "hreflang": HREFLANG})
}

/// The linkset as JSON-LD: the JSON with GS1's context named in it.
pub fn json_ld(levels: &[Level]) -> Value {
    let mut linkset = json(levels);
    if let Value::Object(object) = &mut linkset {
        object.insert("@context".into(), CONTEXT.into());
    }
    linkset
}

/// The linkset as a page for people, with the JSON-LD embedded for machines reading it.
pub fn html(levels: &[Level]) -> String {
    let title = levels.first().map_or("", |l| l.description.as_str());
    // `<` escaped so no value can close the script element.
    let data = json_ld(levels).to_string().replace('<', "\\u003c");
    let mut page = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>Liên kết / Links: {}</title>\
         <script type=\"application/ld+json\">{data}</script></head><body>",
        escape(title)
    );
    for level in levels {
        page.push_str(&format!(
            "<section><h2>{}</h2><p><code>{}</code></p><ul>",
            escape(&level.description),
            escape(&level.anchor)
        ));
        for link in &level.links {
            page.push_str(&format!(
                "<li><a href=\"{}\">{}</a> <small>gs1:{}</small></li>",
                escape(&link.href),
                escape(link.link_type.title),
                link.link_type.name
            ));
        }
        page.push_str("</ul></section>");
    }
    page.push_str("</body></html>");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_names_the_lot_and_serial_in_both_languages() {
        let product = lookup::Product {
            name_vi: "Mật ong".into(),
            name_en: Some("Honey".into()),
            image: None,
            has_lots: true,
        };
        let key = Key {
            gtin: "08936012345674".into(),
            lot: Some("L1".into()),
            serial: Some("S1".into()),
        };
        assert_eq!(
            describe(&product, &key),
            "Mật ong, lô L1, số sê-ri S1 / Honey, lot L1, serial S1"
        );
    }

    #[test]
    fn the_page_cannot_be_broken_out_of() {
        let level = Level {
            anchor: "http://portal/01/08936012345674/10/%3C".into(),
            description: "</script><b>".into(),
            links: vec![],
        };
        let page = html(&[level]);
        assert!(!page.contains("</script><b>"), "{page}");
        assert!(page.contains("&lt;/script&gt;&lt;b&gt;"), "{page}");
    }
}
