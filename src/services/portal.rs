//! The portal client: every answer is untrusted (slow, down, huge, truncated or lying). Bodies
//! are read as a stream and cut at their cap, so an endless answer costs the phone no more
//! than the cap; only the portal's own JSON `not_found` counts as "not found".

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use tem_core::payload::percent_encode;
use tem_core::record::{RecallList, RecallNotice};
use tem_core::scan::{ScanHistory, ScanRequest};
use tem_core::trust::TRUST_LIST_PATH;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, Response};

use crate::lookup::{FetchError, Target};

/// Past this a shopper assumes the app is broken; better to say the portal is slow.
pub const TIMEOUT_MS: i32 = 10_000;
/// A signed record: the record's own cap, base64url-encoded, plus its header and signature.
pub const MAX_RECORD_JWS_BYTES: usize = tem_core::trust::jws::MAX_JWS_BYTES;
/// The trust list, scan histories and recall lists are small; a few hundred issuers fit.
const MAX_SMALL_BYTES: usize = 256 * 1024;

const JOSE: &str = "application/jose";
const JSON: &str = "application/json";

/// The portal as an origin without a trailing `/`: `portal`, or the page's own when empty.
// Inlined at its two callers: as a call of its own it weighs 125 B more of the page's gzip,
// which has little room under its budget.
#[inline(always)]
pub fn origin_of(portal: &str) -> String {
    match portal.trim_end_matches('/') {
        "" => crate::browser::origin().unwrap_or_default(),
        portal => portal.to_string(),
    }
}

/// The URL to ask; `portal` is the portal's origin, or empty for the page's own origin.
pub fn record_url(portal: &str, target: &Target) -> String {
    let portal = portal.trim_end_matches('/');
    match target {
        Target::Resolver(path) => format!("{portal}{path}?linkType=gs1:traceability"),
        Target::Record(id) => format!("{portal}/api/v1/records/{}", percent_encode(id)),
    }
}

/// A product image the page may show: only paths on the portal itself, so a record cannot make
/// the shopper's browser contact a third party or run a `javascript:` URL.
pub fn image_url(portal: &str, image: &str) -> Option<String> {
    let safe = image.starts_with('/')
        && !image.starts_with("//")
        && !image.contains('\\')
        && image.bytes().all(|b| b.is_ascii_graphic());
    safe.then(|| format!("{}{image}", portal.trim_end_matches('/')))
}

/// The signed record (a compact JWS) for a code, and when the page's service worker kept it
/// if the network failed and this is that copy.
pub async fn fetch_record(
    portal: &str,
    target: &Target,
) -> (Result<String, FetchError>, Option<i64>) {
    match send(
        &record_url(portal, target),
        "GET",
        JOSE,
        None,
        MAX_RECORD_JWS_BYTES,
    )
    .await
    {
        Ok(answer) => (
            String::from_utf8(answer.body).map_err(|_| FetchError::Malformed("not text".into())),
            answer.cached_at,
        ),
        Err(error) => (Err(error), None),
    }
}

/// The trust list as the portal serves it (a compact JWS, verified by the caller).
pub async fn fetch_trust_list(portal: &str) -> Result<String, FetchError> {
    let url = format!("{}{TRUST_LIST_PATH}", portal.trim_end_matches('/'));
    let body = get(&url, JOSE, MAX_SMALL_BYTES).await?;
    String::from_utf8(body).map_err(|_| FetchError::Malformed("not text".into()))
}

/// Counts this check of a serialised stamp and answers the stamp's history.
pub async fn post_scan(portal: &str, scan: &ScanRequest) -> Result<ScanHistory, FetchError> {
    let url = format!("{}/api/v1/scans", portal.trim_end_matches('/'));
    let body = scan_body(scan).ok_or_else(|| FetchError::Malformed("scan".into()))?;
    let answer = send(&url, "POST", JSON, Some(&body), MAX_SMALL_BYTES).await?;
    parse_json(&answer.body)
}

/// A serialised stamp's history without counting a check: what a product page shows.
pub async fn fetch_scans(portal: &str, scan: &ScanRequest) -> Result<ScanHistory, FetchError> {
    let url = format!(
        "{}/api/v1/scans?gtin={}&serial={}",
        portal.trim_end_matches('/'),
        percent_encode(&scan.gtin),
        percent_encode(&scan.serial)
    );
    let body = get(&url, JSON, MAX_SMALL_BYTES).await?;
    parse_json(&body)
}

/// Active recalls for a product (and lot, when known), asked on their own so that a record
/// that cannot be had still shows its recall.
pub async fn fetch_recalls(
    portal: &str,
    gtin: &str,
    lot: Option<&str>,
) -> Result<Vec<RecallNotice>, FetchError> {
    let mut url = format!(
        "{}/api/v1/recalls?gtin={}",
        portal.trim_end_matches('/'),
        percent_encode(gtin)
    );
    if let Some(lot) = lot {
        url.push_str(&format!("&lot={}", percent_encode(lot)));
    }
    let body = get(&url, JSON, MAX_SMALL_BYTES).await?;
    parse_json::<RecallList>(&body).map(|list| list.recalls)
}

/// The scan as JSON, written by the browser's own `JSON.stringify`: the page's wasm then holds
/// no JSON writer at all.
fn scan_body(scan: &ScanRequest) -> Option<String> {
    let body = js_sys::Object::new();
    let fields = [
        ("gtin", Some(&scan.gtin)),
        ("lot", scan.lot.as_ref()),
        ("serial", Some(&scan.serial)),
        ("province", scan.province.as_ref()),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            Reflect::set(&body, &name.into(), &JsValue::from_str(value)).ok()?;
        }
    }
    js_sys::JSON::stringify(&body).ok()?.as_string()
}

fn parse_json<T: tem_core::json::FromJson>(body: &[u8]) -> Result<T, FetchError> {
    tem_core::json::from_slice(body).map_err(|error| FetchError::Malformed(error.to_string()))
}

/// Whether a 404's body is the portal's own "not found", as opposed to a proxy's page, a
/// captive portal or a misrouted request, which prove nothing about the code. Read with the
/// browser's own JSON parser: a type of its own here would cost the page's wasm more.
pub fn is_portal_not_found(body: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    let Ok(json) = js_sys::JSON::parse(text) else {
        return false;
    };
    let code = Reflect::get(&json, &"error".into())
        .ok()
        .filter(JsValue::is_object)
        .and_then(|error| Reflect::get(&error, &"code".into()).ok())
        .and_then(|code| code.as_string());
    code.as_deref() == Some("not_found")
}

async fn get(url: &str, accept: &str, cap: usize) -> Result<Vec<u8>, FetchError> {
    send(url, "GET", accept, None, cap)
        .await
        .map(|answer| answer.body)
}

struct Answer {
    body: Vec<u8>,
    /// Unix seconds at which the service worker kept this copy (`x-tem-cached-at`, in
    /// milliseconds), when it answered from it because the network failed.
    cached_at: Option<i64>,
}

/// One request with a timeout over the whole exchange, the body read up to `cap`.
async fn send(
    url: &str,
    method: &str,
    accept: &str,
    body: Option<&str>,
    cap: usize,
) -> Result<Answer, FetchError> {
    let controller = web_sys::AbortController::new().map_err(|_| FetchError::Offline)?;
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let (controller, timed_out) = (controller.clone(), Rc::clone(&timed_out));
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let window = web_sys::window().ok_or(FetchError::Offline)?;
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            TIMEOUT_MS,
        )
        .ok();
    let result = exchange(url, method, accept, body, cap, &controller).await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    result.map_err(|error| match error {
        FetchError::Offline if timed_out.get() => FetchError::Timeout,
        other => other,
    })
}

async fn exchange(
    url: &str,
    method: &str,
    accept: &str,
    body: Option<&str>,
    cap: usize,
    controller: &web_sys::AbortController,
) -> Result<Answer, FetchError> {
    let headers = Headers::new().map_err(|_| FetchError::Offline)?;
    let _ = headers.set("Accept", accept);
    let init = RequestInit::new();
    init.set_method(method);
    // Nothing about the shopper travels with a check: no cookies, no credentials.
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(&controller.signal()));
    if let Some(body) = body {
        let _ = headers.set("Content-Type", JSON);
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(FetchError::Offline)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| FetchError::Offline)?
        .dyn_into()
        .map_err(|_| FetchError::Offline)?;
    let status = response.status();
    let declared = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > cap) {
        controller.abort();
        return Err(FetchError::TooLarge);
    }
    let cached_at = response
        .headers()
        .get("x-tem-cached-at")
        .ok()
        .flatten()
        .and_then(|ms| ms.parse::<i64>().ok())
        .map(|ms| ms / 1000);
    let bytes = read_capped(&response, cap, controller).await?;
    match status {
        200 => Ok(Answer {
            body: bytes,
            cached_at,
        }),
        404 | 410 if is_portal_not_found(&bytes) => Err(FetchError::NotFound),
        status => Err(FetchError::Refused { status }),
    }
}

/// The body, chunk by chunk from its stream, refused (and the download stopped) as soon as it
/// passes `cap`, whatever Content-Length said.
async fn read_capped(
    response: &Response,
    cap: usize,
    controller: &web_sys::AbortController,
) -> Result<Vec<u8>, FetchError> {
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader = call(&stream, "getReader")?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(js_sys::Promise::from(call(&reader, "read")?))
            .await
            .map_err(|_| FetchError::Offline)?;
        let done = Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(bytes);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| FetchError::Malformed("unreadable body".into()))?;
        if bytes.len() + value.length() as usize > cap {
            let _ = call(&reader, "cancel");
            controller.abort();
            return Err(FetchError::TooLarge);
        }
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        value.copy_to(&mut bytes[start..]);
    }
}

fn call(target: &JsValue, method: &str) -> Result<JsValue, FetchError> {
    let function: js_sys::Function = Reflect::get(target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(FetchError::Offline)?;
    function.call0(target).map_err(|_| FetchError::Offline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_urls_stay_on_the_portal_and_escape_typed_ids() {
        let resolver = Target::Resolver("/01/08936012345674/10/L1".into());
        assert_eq!(
            record_url("http://127.0.0.1:8080/", &resolver),
            "http://127.0.0.1:8080/01/08936012345674/10/L1?linkType=gs1:traceability"
        );
        let typed = Target::Record("../../admin?x=1#".into());
        assert_eq!(
            record_url("", &typed),
            "/api/v1/records/..%2F..%2Fadmin%3Fx%3D1%23"
        );
    }

    #[test]
    fn only_portal_relative_images_are_shown() {
        assert_eq!(
            image_url("", "/media/mat-ong.svg").as_deref(),
            Some("/media/mat-ong.svg")
        );
        for hostile in [
            "javascript:alert(1)",
            "//evil.example/x.png",
            "https://tracker.example/p.gif",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "/\\evil.example",
            "/a b",
        ] {
            assert_eq!(image_url("", hostile), None, "{hostile}");
        }
    }

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    // The browser's JSON parser reads the body, so this runs in the browser tests only.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn only_the_portals_own_json_not_found_means_not_found() {
        assert!(is_portal_not_found(
            br#"{"error":{"code":"not_found","message":"no trace record"}}"#
        ));
        for other in [
            &b"<html><body>404 Not Found</body></html>"[..],
            br#"{"error":{"code":"unknown_link_type"}}"#,
            br#"{"code":"not_found"}"#,
            br#"{"error":"not_found"}"#,
            b"",
            b"\xff\xfe",
        ] {
            assert!(!is_portal_not_found(other), "{other:?}");
        }
    }
}
