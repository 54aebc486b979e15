//! The GS1 Digital Link resolver: `GET /01/{gtin}[/10/{lot}][/21/{serial}]` answers with the
//! trace record, an RFC 9264 linkset, or (for a browser that opened a stamp's URL) a redirect
//! into the widget.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tem_core::payload::{self, percent_encode};

use crate::AppState;
use crate::api::record_response;
use crate::db::Key;
use crate::error::ApiError;

/// No real Digital Link path is this long; longer ones are refused before any parsing.
pub const MAX_PATH: usize = 512;

/// Only the path is read: the host a stamp was printed with may differ from the one this
/// portal is reached at (a LAN address, a proxy), so validation runs against a fixed anchor.
const PARSE_ANCHOR: &str = "https://id.gs1.org";

/// A Digital Link path checked by tem-core's parser, as the key it asks for and the canonical
/// URI under this portal's base URL.
fn parse(base_url: &str, rest: &str) -> Result<(Key, String), ApiError> {
    let link = format!("{PARSE_ANCHOR}/01/{rest}");
    let parsed = payload::parse(&link).map_err(ApiError::InvalidCode)?;
    let (Some(gtin), Some(path)) = (parsed.gtin(), parsed.resolver_path()) else {
        return Err(ApiError::NotFound {
            what: format!("/01/{rest}"),
        });
    };
    let key = Key {
        gtin: gtin.into(),
        lot: parsed.lot().map(Into::into),
        serial: parsed.serial().map(Into::into),
    };
    Ok((key, format!("{base_url}{path}")))
}

pub async fn resolve(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut response = answer(&state, &uri, &query, &headers).unwrap_or_else(|e| e.into_response());
    // The same URL is a redirect for a browser and JSON for the widget: caches must tell apart.
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept"));
    response
}

fn answer(
    state: &AppState,
    uri: &Uri,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    // The raw path, not axum's decoded one: `%2F` inside a lot must stay inside the lot.
    let rest = uri.path().strip_prefix("/01/").unwrap_or_default();
    if rest.len() > MAX_PATH {
        return Err(ApiError::TooLong {
            length: rest.len(),
            max: MAX_PATH,
        });
    }
    let (key, link) = parse(&state.base_url, rest)?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .unwrap_or("");
    let widget = format!("/?code={}", percent_encode(&link));
    match query.get("linkType").map(String::as_str) {
        Some("all") => linkset(state, &key, &link, headers),
        Some("gs1:traceability") => record_response(state, &key, headers),
        Some("gs1:pip") => Ok(Redirect::to(&widget).into_response()),
        Some("gs1:recallStatus") => Ok(Redirect::to(&recalls_path(&key)).into_response()),
        Some(other) => Err(ApiError::UnknownLinkType {
            link_type: other.to_string(),
        }),
        // A phone's camera app opens the stamp's URL in a browser: send it to the widget, which
        // fetches the record itself.
        None if accept.contains("text/html") => {
            // The record must exist, or the widget would show a code that leads nowhere.
            record_response(state, &key, headers)?;
            Ok(Redirect::to(&widget).into_response())
        }
        None => record_response(state, &key, headers),
    }
}

fn recalls_path(key: &Key) -> String {
    let mut path = format!("/api/v1/recalls?gtin={}", key.gtin);
    if let Some(lot) = &key.lot {
        path.push_str(&format!("&lot={}", percent_encode(lot)));
    }
    path
}

/// RFC 9264 linkset for the code, with GS1 link types as relation URIs.
fn linkset(
    state: &AppState,
    key: &Key,
    anchor: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    // Only codes the portal knows get links, as for every other link type.
    record_response(state, key, headers)?;
    let base = &state.base_url;
    let body = json!({"linkset": [{
        "anchor": anchor,
        "https://gs1.org/voc/traceability": [{
            "href": format!("{anchor}?linkType=gs1:traceability"),
            "type": "application/json",
            "title": "Truy xuất nguồn gốc / Trace record",
            "hreflang": ["vi", "en"],
        }],
        "https://gs1.org/voc/pip": [{
            "href": format!("{base}/?code={}", percent_encode(anchor)),
            "type": "text/html",
            "title": "Thông tin sản phẩm / Product information",
        }],
        "https://gs1.org/voc/recallStatus": [{
            "href": format!("{base}{}", recalls_path(key)),
            "type": "application/json",
            "title": "Tình trạng thu hồi / Recall status",
        }],
    }]});
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/linkset+json"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thirteen_digit_gtin_is_padded_into_the_canonical_link() {
        let (key, link) = parse("http://portal", "8936012345674/10/L1").unwrap();
        assert_eq!(key.gtin, "08936012345674");
        assert_eq!(link, "http://portal/01/08936012345674/10/L1");
    }

    #[test]
    fn a_wrong_check_digit_names_the_digit_expected() {
        let error = parse("http://portal", "08936012345677").unwrap_err();
        assert_eq!(error.code(), "check_digit");
        assert!(error.to_string().contains('4'), "{error}");
    }

    #[test]
    fn a_lot_with_a_slash_stays_one_path_segment() {
        let (key, link) = parse("http://portal", "08936012345674/10/LOT%2F25/21/S1").unwrap();
        assert_eq!(key.lot.as_deref(), Some("LOT/25"));
        assert_eq!(link, "http://portal/01/08936012345674/10/LOT%2F25/21/S1");
    }
}
