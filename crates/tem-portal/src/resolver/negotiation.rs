//! What a request to the resolver asks for, from its `linkType` and `Accept`: the linkset (in
//! which format), one type of link, the trace record, or the default link.

use super::linkset::{GS1_VOC, TRACEABILITY};

/// The spellings of the GS1 Web Vocabulary's namespace a client may use for a link type.
const GS1_VOC_ALIASES: &[&str] = &[
    "gs1:",
    GS1_VOC,
    "http://gs1.org/voc/",
    "https://ref.gs1.org/voc/",
    "https://www.gs1.org/voc/",
];

/// The media types the trace record is served as: the signed compact JWS the widget
/// verifies, and its payload as plain JSON.
pub const RECORD_TYPES: &[&str] = &["application/jose", "application/json"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 9264 JSON, `application/linkset+json`.
    Json,
    /// The same with GS1's context embedded, `application/ld+json`.
    JsonLd,
    /// A page listing the links, with the JSON-LD embedded.
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    Linkset(Format),
    /// A link type by its name in the GS1 vocabulary (`pip`, `traceability` …), or as given
    /// when it is not a GS1 link type.
    LinkType(String),
    /// The trace record itself: `linkType=gs1:traceability`, or no link type and an `Accept`
    /// naming the record's media type. The resolver is that link's target, so it answers it
    /// rather than redirecting to itself.
    Record,
    /// No preference the links can match: the default link. `browser` when the client asked
    /// for a web page, as a phone's camera app does.
    Default {
        browser: bool,
    },
}

/// What `link_type` (the query parameter, if any) and `accept` (the header, if any) ask for.
pub fn wanted(link_type: Option<&str>, accept: Option<&str>) -> Wanted {
    match link_type {
        // `all` is the name older resolvers used for the linkset; GS1 tools still send it.
        Some("linkset" | "all") => Wanted::Linkset(linkset_format(accept)),
        Some(link_type) => match gs1_name(link_type) {
            name if name == TRACEABILITY.name => Wanted::Record,
            name => Wanted::LinkType(name.to_string()),
        },
        None => {
            let offers = [
                ("application/linkset+json", Wanted::Linkset(Format::Json)),
                ("text/html", Wanted::Default { browser: true }),
                ("application/xhtml+xml", Wanted::Default { browser: true }),
            ];
            let records = RECORD_TYPES.iter().map(|&t| (t, Wanted::Record));
            preferred(accept.unwrap_or(""), offers.into_iter().chain(records))
                .unwrap_or(Wanted::Default { browser: false })
        }
    }
}

/// The linkset's format. JSON for a client that takes anything (`*/*`, as tools send); a
/// page when there is no `Accept` at all, as the standard suggests for an unspecified type.
fn linkset_format(accept: Option<&str>) -> Format {
    let Some(accept) = accept else {
        return Format::Html;
    };
    let offers = [
        ("application/linkset+json", Format::Json),
        ("application/ld+json", Format::JsonLd),
        ("application/json", Format::Json),
        ("text/html", Format::Html),
        ("application/xhtml+xml", Format::Html),
    ];
    preferred(accept, offers).unwrap_or(Format::Json)
}

/// A GS1 link type's bare name, whichever spelling of the vocabulary prefixes it.
fn gs1_name(link_type: &str) -> &str {
    GS1_VOC_ALIASES
        .iter()
        .find_map(|prefix| link_type.strip_prefix(prefix))
        .unwrap_or(link_type)
}

/// The offer the client ranks highest among those it names explicitly; on a tie, the first
/// offer. Wildcards (`*/*`, `text/*`) choose nothing: they leave the choice to the resolver.
fn preferred<T>(accept: &str, offers: impl IntoIterator<Item = (&'static str, T)>) -> Option<T> {
    let mut best: Option<(f32, T)> = None;
    for (media_type, offer) in offers {
        let Some(q) = quality(accept, media_type).filter(|q| *q > 0.0) else {
            continue;
        };
        if best.as_ref().is_none_or(|(best_q, _)| q > *best_q) {
            best = Some((q, offer));
        }
    }
    best.map(|(_, offer)| offer)
}

/// The quality `accept` gives `media_type` by name, if it names it.
fn quality(accept: &str, media_type: &str) -> Option<f32> {
    accept.split(',').find_map(|range| {
        let mut parts = range.split(';').map(str::trim);
        let name = parts.next()?;
        if !name.eq_ignore_ascii_case(media_type) {
            return None;
        }
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        Some(q)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_asks_for_the_default_link_as_a_page() {
        let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(
            wanted(None, Some(accept)),
            Wanted::Default { browser: true }
        );
    }

    #[test]
    fn tools_that_take_anything_get_the_default_link() {
        for accept in [None, Some("*/*"), Some("application/*")] {
            assert_eq!(
                wanted(None, accept),
                Wanted::Default { browser: false },
                "{accept:?}"
            );
        }
    }

    #[test]
    fn the_linkset_is_chosen_by_link_type_or_media_type() {
        let linkset = Wanted::Linkset(Format::Json);
        assert_eq!(wanted(Some("linkset"), Some("*/*")), linkset);
        assert_eq!(wanted(Some("all"), Some("application/json")), linkset);
        assert_eq!(wanted(None, Some("application/linkset+json")), linkset);
        assert_eq!(
            wanted(Some("linkset"), Some("application/ld+json")),
            Wanted::Linkset(Format::JsonLd)
        );
        assert_eq!(
            wanted(Some("linkset"), Some("text/html, */*;q=0.1")),
            Wanted::Linkset(Format::Html)
        );
        assert_eq!(wanted(Some("linkset"), None), Wanted::Linkset(Format::Html));
    }

    #[test]
    fn quality_values_rank_the_media_types_named() {
        assert_eq!(
            wanted(None, Some("text/html;q=0.5, application/json")),
            Wanted::Record
        );
        assert_eq!(
            wanted(None, Some("application/json;q=0, text/html")),
            Wanted::Default { browser: true }
        );
    }

    #[test]
    fn every_spelling_of_the_gs1_vocabulary_names_the_same_link_type() {
        for link_type in [
            "gs1:pip",
            "https://gs1.org/voc/pip",
            "https://ref.gs1.org/voc/pip",
            "https://www.gs1.org/voc/pip",
        ] {
            assert_eq!(
                wanted(Some(link_type), None),
                Wanted::LinkType("pip".into())
            );
        }
        assert_eq!(wanted(Some("gs1:traceability"), None), Wanted::Record);
        assert_eq!(
            wanted(Some("schema:pip"), None),
            Wanted::LinkType("schema:pip".into())
        );
    }
}
