//! The pages a browser opens, as opposed to files it fetches: the widget (`/`), which for a
//! shared deep link already names the product (`og:`/`twitter:` meta, an oEmbed link and the
//! name in the first bytes), the iframe embed (`/embed`, told which hosts may frame it), the
//! demo shop (`/shop/`), the oEmbed answer for a shared link, and the page a browser gets
//! instead of a JSON error for a link too long to be any stamp's.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use tem_core::payload::{self, PayloadKind};

use crate::AppState;
use crate::db::{self, Key};
use crate::error::ApiError;
use crate::html::escape;
use crate::resolver::lookup::{self, Product};
use crate::resolver::validated;
use crate::{scans, signing};

/// The iframe embed's size when a consumer asks for none: a phone-wide card.
const EMBED_WIDTH: u32 = 400;
const EMBED_HEIGHT: u32 = 560;

fn page(www: &Path, name: &str) -> Result<String, ApiError> {
    std::fs::read_to_string(www.join(name)).map_err(|error| ApiError::Internal {
        detail: format!("{name}: {error}"),
    })
}

/// The product a code names, when the code is one of this portal's own stamps (or a bare
/// GS1 code): a stamp on another domain is not described in this portal's name.
async fn product_of(state: &AppState, code: &str) -> Option<(String, Product)> {
    let payload = payload::parse(code).ok()?;
    let own = match payload.kind {
        PayloadKind::DigitalLink => payload.host.as_deref() == Some(host_of(&state.base_url)),
        _ => payload.host.is_none(),
    };
    let gtin = payload.gtin().filter(|_| own)?.to_string();
    let product = {
        let gtin = gtin.clone();
        state
            .db
            .run(move |db| Ok(lookup::product(db, &gtin)?))
            .await
            .ok()??
    };
    Some((gtin, product))
}

/// The host of a base URL as tem-core reports a link's: no scheme, port or brackets.
fn host_of(base_url: &str) -> &str {
    let authority = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let authority = authority.split('/').next().unwrap_or(authority);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    }
}

fn deep_link(state: &AppState, code: &str) -> String {
    format!("{}/?code={}", state.base_url, payload::percent_encode(code))
}

/// A deep link's first view (`tem::first_view`) of one of this portal's own codes, from what
/// the resolver would answer the widget; None when any of it is missing, and the widget's own
/// check is then the page's first.
async fn first_view(state: &AppState, code: &str, accept_language: &str) -> Option<String> {
    let stamp = payload::parse(code).ok()?;
    let key = validated(&Key {
        gtin: stamp.gtin()?.to_string(),
        lot: stamp.lot().map(Into::into),
        serial: stamp.serial().map(Into::into),
    })
    .ok()?;
    let recalls_lot = stamp.lot().map(str::to_string);
    let held = state
        .db
        .run(move |db| {
            let Some(record) = signing::signed_record_of(db, &key)? else {
                return Ok(None);
            };
            let scans = match &key.serial {
                Some(serial) => match scans::history(db, &key.gtin, serial)? {
                    Some(history) => Some(history),
                    None => return Ok(None),
                },
                None => None,
            };
            let recalls = db::recalls(db, &key.gtin, recalls_lot.as_deref())?;
            Ok(Some((record, scans, recalls)))
        })
        .await;
    let (record, scans, recalls) = match held {
        Ok(held) => held?,
        Err(error) => {
            tracing::warn!(%error, "deep link: no first view");
            return None;
        }
    };
    // Judged as the widget's count of this check will leave the history, so the first view
    // is never kinder than the device's check that follows it; the page itself counts nothing.
    let scans = scans.map(|mut history| {
        history.count += 1;
        history.first_scan_at.get_or_insert_with(crate::now_rfc3339);
        history
    });
    let recalls = recalls
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()
        .ok()?;
    let evidence = tem::first_view::Evidence {
        portal: state.base_url.clone(),
        trust_list: state.trust_list.clone(),
        record,
        scans,
        recalls,
        now: crate::unix_now(),
    };
    let view = tem::first_view::render(code.to_string(), accept_language.to_string(), evidence);
    // A view that fails to render costs the page its first view, never the page.
    match tokio::spawn(view).await {
        Ok(view) => view,
        Err(error) => {
            tracing::error!(%error, "deep link: the first view failed to render");
            None
        }
    }
}

/// `GET /`: the widget.
pub async fn index(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut html = page(&state.www, "index.html")?;
    let code = params.get("code");
    if code.is_some() {
        // A deep link's check starts with the trust list, and it chooses the resolver the
        // record is asked from: carried in the page, it costs no round trip. The widget checks
        // its signature as it would a fetched one's. A compact JWS is base64url and dots only,
        // inert in HTML.
        html = html.replacen(
            "</body>",
            &format!(
                "<script type=\"application/jose\" id=\"tem-trust-list\">{}</script>\n</body>",
                state.trust_list
            ),
            1,
        );
    }
    let described = match code {
        Some(code) => product_of(&state, code)
            .await
            .map(|product| (code, product)),
        None => None,
    };
    if let Some((code, (_, product))) = described {
        let name = escape(&product.name_vi);
        let url = escape(&deep_link(&state, code));
        let oembed = escape(&format!(
            "{}/oembed?format=json&url={}",
            state.base_url,
            payload::percent_encode(&deep_link(&state, code))
        ));
        let mut meta = format!(
            "<meta property=\"og:type\" content=\"product\">\n  \
             <meta property=\"og:site_name\" content=\"tem\">\n  \
             <meta property=\"og:title\" content=\"{name}\">\n  \
             <meta property=\"og:description\" content=\"Kiểm tra tem truy xuất nguồn gốc của {name}\">\n  \
             <meta property=\"og:url\" content=\"{url}\">\n  \
             <meta name=\"twitter:card\" content=\"summary\">\n  \
             <meta name=\"twitter:title\" content=\"{name}\">\n  \
             <link rel=\"alternate\" type=\"application/json+oembed\" href=\"{oembed}\" title=\"{name}\">\n  "
        );
        if let Some(image) = &product.image {
            meta.push_str(&format!(
                "<meta property=\"og:image\" content=\"{}\">\n  ",
                escape(&format!("{}{image}", state.base_url))
            ));
        }
        html = html.replacen("<title>", &format!("{meta}<title>"), 1);
        let accept_language = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        // The shopper on slow data reads the verdict while the widget loads, or at least what
        // the stamp is.
        let first = match first_view(&state, code, accept_language).await {
            Some(view) => format!("{view}<p class=\"boot\">"),
            None => format!("<p class=\"boot\"><strong>{name}</strong><br>"),
        };
        html = html.replacen("<p class=\"boot\">", &first, 1);
    }
    let mut response = Html(html).into_response();
    if code.is_some() {
        // The first view speaks the browser's language.
        response.headers_mut().insert(
            header::VARY,
            axum::http::HeaderValue::from_static("accept-language"),
        );
    }
    Ok(response)
}

/// `GET /embed?code=…&lang=…`: the iframe page, told the host origins it may talk to.
pub async fn embed(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let hosts = escape(&state.embed_origins.join(" "));
    let html = page(&state.www, "embed.html")?.replacen(
        "<meta name=\"tem-hosts\" content=\"\">",
        &format!("<meta name=\"tem-hosts\" content=\"{hosts}\">"),
        1,
    );
    Ok(Html(html).into_response())
}

/// `GET /shop/`: a retailer's product page, as a host would write it, pointing at this portal.
pub async fn shop(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let html = page(&state.www, "shop/index.html")?.replace("{{PORTAL}}", &state.base_url);
    Ok(Html(html).into_response())
}

/// `GET /oembed?url=…`: a rich oEmbed (1.0) answer for a deep link or stamp URL of this
/// portal, so a link shared in a chat or a CMS shows the product's verdict card.
pub async fn oembed(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let url = crate::api::required(&params, "url")?;
    if params.get("format").is_some_and(|format| format != "json") {
        return Err(ApiError::Http {
            status: axum::http::StatusCode::NOT_IMPLEMENTED,
            reason: "only format=json is served".into(),
        });
    }
    // A deep link carries the stamp in `?code=`; a stamp URL is the code itself.
    let code = url::code_of(&state.base_url, url);
    let not_found = || ApiError::NotFound { what: url.clone() };
    let (_, product) = product_of(&state, &code).await.ok_or_else(not_found)?;
    let width = dimension(&params, "maxwidth", EMBED_WIDTH);
    let height = dimension(&params, "maxheight", EMBED_HEIGHT);
    let src = format!(
        "{}/embed?code={}",
        state.base_url,
        payload::percent_encode(&code)
    );
    let mut answer = json!({
        "version": "1.0",
        "type": "rich",
        "provider_name": "tem",
        "provider_url": state.base_url,
        "title": product.name_vi,
        "width": width,
        "height": height,
        "html": format!(
            "<iframe class=\"tem-embed\" src=\"{}\" width=\"{width}\" height=\"{height}\" \
             loading=\"lazy\" title=\"{}\" style=\"border:0;max-width:100%\"></iframe>",
            escape(&src),
            escape(&product.name_vi)
        ),
    });
    if let Some(image) = &product.image {
        answer["thumbnail_url"] = json!(format!("{}{image}", state.base_url));
    }
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        answer.to_string(),
    )
        .into_response())
}

/// 414 for a request target of `length` characters, over `max`: a short page in Vietnamese and
/// English for a browser, the JSON error for everyone else.
pub fn too_long(headers: &HeaderMap, length: usize, max: usize) -> Response {
    let error = ApiError::TooLong { length, max };
    let accept = headers.get(header::ACCEPT).and_then(|a| a.to_str().ok());
    if !crate::resolver::prefers_html(accept) {
        return error.into_response();
    }
    let page = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>Liên kết quá dài — tem</title>\
</head><body>\
<h1>Liên kết quá dài</h1>\
<p>Liên kết này dài {length} ký tự, quá giới hạn {max} ký tự của một mã truy xuất nguồn gốc, \
nên không thể là mã trên tem. Hãy quét lại tem, hoặc nhập mã in trên tem.</p>\
<p lang=\"en\">This link is {length} characters long, more than the {max} a traceability code \
can be. Scan the stamp again, or type the code printed on it.</p>\
<p><a href=\"/\">Kiểm tra tem / Check a stamp</a></p></body></html>"
    );
    (error.status(), Html(page)).into_response()
}

fn dimension(params: &HashMap<String, String>, name: &str, preferred: u32) -> u32 {
    params
        .get(name)
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(preferred, |max| max.clamp(1, preferred))
}

mod url {
    /// The stamp a shared URL stands for: `?code=` of a deep link to this portal's widget,
    /// otherwise the URL itself (a stamp's Digital Link).
    pub fn code_of(base_url: &str, url: &str) -> String {
        url.strip_prefix(&format!("{base_url}/?"))
            .and_then(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .find(|(name, _)| name == "code")
                    .map(|(_, code)| code.into_owned())
            })
            .unwrap_or_else(|| url.to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_deep_link_stands_for_its_code_and_a_stamp_url_for_itself() {
            let base = "http://127.0.0.1:8080";
            assert_eq!(
                code_of(
                    base,
                    "http://127.0.0.1:8080/?lang=vi&code=http%3A%2F%2F127.0.0.1%3A8080%2F01%2F08936012345674%2F10%2FMO2604"
                ),
                "http://127.0.0.1:8080/01/08936012345674/10/MO2604"
            );
            let stamp = "http://127.0.0.1:8080/01/08936012345674/10/MO2604";
            assert_eq!(code_of(base, stamp), stamp);
        }
    }
}

#[cfg(test)]
mod tests {
    /// A view that renders nothing must come back as none, or the page would lose the
    /// product's name the loading note carries for nothing in its place.
    #[tokio::test]
    async fn no_first_view_is_made_of_a_code_the_widget_would_not_look_up() {
        for code in [
            "hello <b>world</b>",
            "https://hungyen.check.net.vn/tem/HY-000123",
        ] {
            let evidence = tem::first_view::Evidence {
                portal: "http://127.0.0.1:8080".into(),
                trust_list: String::new(),
                record: String::new(),
                scans: None,
                recalls: Vec::new(),
                now: 0,
            };
            let view = tem::first_view::render(code.into(), "vi".into(), evidence).await;
            assert_eq!(view, None, "{code}");
        }
    }
}
