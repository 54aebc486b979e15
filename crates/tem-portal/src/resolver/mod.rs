//! The GS1-Conformant resolver behind every stamp: `/01/{gtin}[/10/{lot}][/21/{serial}]`, and
//! the same as a compressed Digital Link (`/{compressed}`). Without a link type it redirects to
//! the default link (the widget, which is also what a browser gets); `linkType=linkset` (or
//! `Accept: application/linkset+json`) answers the linkset; another link type redirects to that
//! link, walking up from an unknown lot or unit to the GTIN. The trace record is the one link
//! the resolver serves itself (`linkType=gs1:traceability`), and only for the exact code asked.

mod description;
mod linkset;
pub(crate) mod lookup;
mod negotiation;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use tem_core::payload::{self, Element, PayloadKind};

pub use description::description;

use crate::AppState;
use crate::db::{Key, Sql};
use crate::error::ApiError;
use crate::record::record_response;
use linkset::{DEFAULT_LINK, Level};
use negotiation::{Format, Wanted};

/// No real Digital Link path is this long; longer ones are refused before any parsing.
pub const MAX_PATH: usize = 512;

/// What the resolver answers to, in `Allow` and `Access-Control-Allow-Methods` alike.
pub const METHODS: [Method; 3] = [Method::GET, Method::HEAD, Method::OPTIONS];

/// Only the path is read: the host a stamp was printed with may differ from the one this
/// portal is reached at (a LAN address, a proxy), so validation runs against a fixed anchor.
const PARSE_ANCHOR: &str = "https://id.gs1.org";

/// A Digital Link as the resolver reads it.
#[derive(Debug)]
struct Requested {
    key: Key,
    /// The primary key and its qualifiers, in path order.
    path: Vec<Element>,
    /// The canonical URI under this portal, without data attributes: the linkset's subject.
    anchor: String,
    /// The code as scanned, uncompressed, data attributes (`?17=…`) kept.
    scanned: String,
    compressed: bool,
}

/// A Digital Link path (and query, for its data attributes) checked by tem-core's parser.
fn parse(base_url: &str, path: &str, query: &str) -> Result<Requested, ApiError> {
    // A trailing slash is tolerated, as GS1 asks: `/01/…/10/L1/` is `/01/…/10/L1`.
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let link = match query {
        "" => format!("{PARSE_ANCHOR}{path}"),
        query => format!("{PARSE_ANCHOR}{path}?{query}"),
    };
    let parsed = payload::parse(&link).map_err(ApiError::InvalidCode)?;
    let not_found = || ApiError::NotFound {
        what: path.to_string(),
    };
    let (Some(gtin), Some(resolver_path)) = (parsed.gtin(), parsed.resolver_path()) else {
        return Err(not_found());
    };
    // Values are percent-encoded, so the path's segments are its AIs and their values.
    let in_path = resolver_path.split('/').filter(|s| !s.is_empty()).count() / 2;
    Ok(Requested {
        key: Key {
            gtin: gtin.into(),
            lot: parsed.lot().map(Into::into),
            serial: parsed.serial().map(Into::into),
        },
        path: parsed.elements[..in_path].to_vec(),
        anchor: format!("{base_url}{resolver_path}"),
        scanned: parsed.to_digital_link(base_url).ok_or_else(not_found)?,
        compressed: parsed.kind == PayloadKind::CompressedDigitalLink,
    })
}

/// `key` as the resolver reads it from a Digital Link, or the GS1 rule it breaks (check
/// digit, character set, length …): the one check for every route that takes a GTIN, lot or
/// serial. A 13-digit GTIN comes back padded to 14.
pub fn validated(key: &Key) -> Result<Key, ApiError> {
    let path = crate::stamps::digital_link("", key);
    Ok(parse(PARSE_ANCHOR, &path, "")?.key)
}

/// Whether `accept` (the header, if any) asks for a web page first, as a browser does.
pub fn prefers_html(accept: Option<&str>) -> bool {
    negotiation::wanted(None, accept) == Wanted::Default { browser: true }
}

/// `GET /01/…`
pub async fn resolve(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    respond(state, uri, headers).await
}

/// A compressed Digital Link at the root (`/ARHKVAdpQg`), answered as its uncompressed form;
/// None for any other path, which is then the widget's files' to serve.
pub fn compressed(
    state: &Arc<AppState>,
    request: &Request,
) -> Option<impl Future<Output = Response> + use<>> {
    let path = request.uri().path();
    let segment = path.strip_prefix('/')?;
    let segment = segment.strip_suffix('/').unwrap_or(segment);
    // OPTIONS never gets here: the CORS layer answers it.
    if segment.is_empty() || segment.contains('/') || !METHODS.contains(request.method()) {
        return None;
    }
    let link = format!("{PARSE_ANCHOR}/{segment}");
    let parsed = payload::parse(&link).ok()?;
    if parsed.kind != PayloadKind::CompressedDigitalLink || parsed.gtin().is_none() {
        return None;
    }
    Some(respond(
        Arc::clone(state),
        request.uri().clone(),
        request.headers().clone(),
    ))
}

async fn respond(state: Arc<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let pool = Arc::clone(&state);
    // Parsing and negotiating are cheap; they run beside the queries, on the same thread.
    let answered = pool
        .db
        .run(move |db| answer(db, &state, &uri, &headers))
        .await;
    let mut response = match answered {
        Ok(response) => response,
        Err(error) => error.into_response(),
    };
    let headers = response.headers_mut();
    // The same URL is a redirect, a record or a linkset by `Accept`: caches must tell apart.
    headers.append(header::VARY, HeaderValue::from_static("accept"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, allowed());
    response
}

fn answer(
    db: &mut dyn Sql,
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    // The raw path, not axum's decoded one: `%2F` inside a lot must stay inside the lot.
    let path = uri.path();
    if path.len() > MAX_PATH {
        return Err(ApiError::TooLong {
            length: path.len(),
            max: MAX_PATH,
        });
    }
    // Passed on to every redirect as it came, as GS1 asks.
    let raw_query = uri.query().unwrap_or("");
    let requested = parse(&state.base_url, path, raw_query)?;
    let levels = linkset::levels(db, &state.base_url, &requested.path, &requested.scanned)?;
    if levels.is_empty() {
        return Err(ApiError::NotFound {
            what: requested.key.to_string(),
        });
    }
    let Query(query) =
        Query::<HashMap<String, String>>::try_from_uri(uri).map_err(|e| ApiError::Http {
            status: e.status(),
            reason: e.body_text(),
        })?;
    let accept = headers.get(header::ACCEPT).and_then(|a| a.to_str().ok());
    let link_type = query.get("linkType").map(String::as_str);
    let (mut response, is_linkset) = match negotiation::wanted(link_type, accept) {
        Wanted::Linkset(format) => (linkset_response(&levels, format), true),
        // Only the exact code's record: an unknown lot's would otherwise be another lot's, and
        // the widget reads this 404 as "no record".
        Wanted::Record => (record_response(db, &requested.key, headers)?, false),
        Wanted::LinkType(name) => {
            let link = find(&levels, &name).ok_or_else(|| ApiError::UnknownLinkType {
                link_type: link_type.unwrap_or(&name).to_string(),
            })?;
            (
                redirect(StatusCode::TEMPORARY_REDIRECT, link, raw_query)?,
                false,
            )
        }
        Wanted::Default { browser } => {
            let link = find(&levels, DEFAULT_LINK.name).ok_or_else(|| ApiError::NotFound {
                what: requested.key.to_string(),
            })?;
            // A browser has always been sent on with 303, as a camera app expects; other
            // clients get the 307 GS1's resolvers answer with.
            let status = if browser {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::TEMPORARY_REDIRECT
            };
            (redirect(status, link, raw_query)?, false)
        }
    };
    let link = link_header(&requested, is_linkset)?;
    response.headers_mut().insert(header::LINK, link);
    Ok(response)
}

/// The most specific level's link of type `name`: a lot the portal does not know has its
/// GTIN's links.
fn find<'a>(levels: &'a [Level], name: &str) -> Option<&'a str> {
    levels
        .iter()
        .find_map(|level| level.link(name))
        .map(|link| link.href.as_str())
}

/// A redirect to `target` with the request's query string passed on.
fn redirect(status: StatusCode, target: &str, query: &str) -> Result<Response, ApiError> {
    let location = match (query, target.contains('?')) {
        ("", _) => target.to_string(),
        (query, true) => format!("{target}&{query}"),
        (query, false) => format!("{target}?{query}"),
    };
    let location = header_value(location)?;
    Ok((status, [(header::LOCATION, location)]).into_response())
}

fn linkset_response(levels: &[Level], format: Format) -> Response {
    match format {
        Format::Json => json_response("application/linkset+json", &linkset::json(levels)),
        Format::JsonLd => json_response("application/ld+json", &linkset::json_ld(levels)),
        Format::Html => Html(linkset::html(levels)).into_response(),
    }
}

fn json_response(content_type: &'static str, body: &serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.to_string(),
    )
        .into_response()
}

/// The `Link` header: where the linkset is (on every answer, redirects included), the
/// uncompressed URI a compressed one stands for, and GS1's JSON-LD context for a linkset.
fn link_header(requested: &Requested, is_linkset: bool) -> Result<HeaderValue, ApiError> {
    let mut links = vec![format!(
        "<{}?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\"",
        requested.anchor
    )];
    if requested.compressed {
        links.push(format!("<{}>; rel=\"owl:sameAs\"", requested.scanned));
    }
    if is_linkset {
        links.push(format!(
            "<{}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"",
            linkset::CONTEXT
        ));
    }
    header_value(links.join(", "))
}

/// URLs under the configured base URL: one that cannot be a header is the configuration's fault.
fn header_value(value: String) -> Result<HeaderValue, ApiError> {
    HeaderValue::try_from(value).map_err(|error| ApiError::Internal {
        detail: format!("--base-url gives a URL that is not a valid header value: {error}"),
    })
}

fn allowed() -> HeaderValue {
    let methods: Vec<&str> = METHODS.iter().map(Method::as_str).collect();
    // Written as the CORS layer writes them, so both headers read the same.
    HeaderValue::try_from(methods.join(",")).unwrap_or(HeaderValue::from_static("GET"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thirteen_digit_gtin_is_padded_into_the_canonical_link() {
        let requested = parse("http://portal", "/01/8936012345674/10/L1", "").unwrap();
        assert_eq!(requested.key.gtin, "08936012345674");
        assert_eq!(requested.anchor, "http://portal/01/08936012345674/10/L1");
    }

    #[test]
    fn a_wrong_check_digit_names_the_digit_expected() {
        let error = parse("http://portal", "/01/08936012345677", "").unwrap_err();
        assert_eq!(error.code(), "check_digit");
        assert!(error.to_string().contains('4'), "{error}");
    }

    #[test]
    fn a_lot_with_a_slash_stays_one_path_segment() {
        let requested = parse("http://portal", "/01/08936012345674/10/LOT%2F25/21/S1", "").unwrap();
        assert_eq!(requested.key.lot.as_deref(), Some("LOT/25"));
        assert_eq!(
            requested.anchor,
            "http://portal/01/08936012345674/10/LOT%2F25/21/S1"
        );
        assert_eq!(requested.path.len(), 3);
    }

    #[test]
    fn data_attributes_stay_in_the_scanned_code_but_not_in_the_anchor() {
        let requested = parse(
            "http://portal",
            "/01/08936012345674/10/L1/",
            "17=270131&linkType=gs1:pip",
        )
        .unwrap();
        assert_eq!(requested.anchor, "http://portal/01/08936012345674/10/L1");
        assert_eq!(
            requested.scanned,
            "http://portal/01/08936012345674/10/L1?17=270131"
        );
        assert_eq!(requested.path.len(), 2);
    }

    #[test]
    fn the_query_is_passed_on_after_the_target_s_own() {
        let location = |target, query| {
            redirect(StatusCode::TEMPORARY_REDIRECT, target, query)
                .unwrap()
                .headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(location("http://p/?code=x", "a=1"), "http://p/?code=x&a=1");
        assert_eq!(location("http://p/r", "a=1"), "http://p/r?a=1");
        assert_eq!(location("http://p/r", ""), "http://p/r");
    }
}
