//! The portal client: turns a code's lookup target into the trace record, treating every
//! answer as untrusted (slow, down, huge, truncated or lying).

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use tem_core::payload::percent_encode;
use tem_core::record::TraceRecord;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::i18n::Lang;
use crate::state::Target;

/// A real record is a few kilobytes; anything past this is an attack or a mistake.
pub const MAX_RECORD_BYTES: usize = 512 * 1024;
/// Past this a shopper assumes the app is broken; better to say the portal is slow.
pub const TIMEOUT_MS: i32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    NotFound,
    /// The portal answered with an error other than "not found".
    Refused {
        status: u16,
    },
    Offline,
    Timeout,
    TooLarge,
    /// The answer is not a trace record.
    Malformed(String),
}

impl FetchError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FetchError::NotFound, Lang::Vi) => "Cổng truy xuất không có hồ sơ cho mã này.".into(),
            (FetchError::NotFound, Lang::En) => "The portal has no record for this code.".into(),
            (FetchError::Refused { status }, Lang::Vi) => {
                format!("Cổng truy xuất báo lỗi (mã {status}). Vui lòng thử lại sau.")
            }
            (FetchError::Refused { status }, Lang::En) => {
                format!(
                    "The portal answered with an error (status {status}). Please try again later."
                )
            }
            (FetchError::Offline, Lang::Vi) => {
                "Không kết nối được cổng truy xuất. Kiểm tra mạng rồi thử lại.".into()
            }
            (FetchError::Offline, Lang::En) => {
                "Could not reach the portal. Check your connection and try again.".into()
            }
            (FetchError::Timeout, Lang::Vi) => "Cổng truy xuất phản hồi quá chậm.".into(),
            (FetchError::Timeout, Lang::En) => "The portal took too long to answer.".into(),
            (FetchError::TooLarge, Lang::Vi) => "Hồ sơ nhận được quá lớn, đã bị từ chối.".into(),
            (FetchError::TooLarge, Lang::En) => {
                "The record received was too large and was refused.".into()
            }
            (FetchError::Malformed(why), Lang::Vi) => {
                format!("Hồ sơ nhận được không hợp lệ: {why}")
            }
            (FetchError::Malformed(why), Lang::En) => {
                format!("The record received is not valid: {why}")
            }
        }
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

/// Parses a response body into a record, refusing oversized or malformed answers.
pub fn parse_record(body: &str) -> Result<TraceRecord, FetchError> {
    if body.len() > MAX_RECORD_BYTES {
        return Err(FetchError::TooLarge);
    }
    serde_json::from_str(body).map_err(|error| FetchError::Malformed(error.to_string()))
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

pub async fn fetch_record(portal: &str, target: &Target) -> Result<TraceRecord, FetchError> {
    let url = record_url(portal, target);
    let controller = web_sys::AbortController::new().map_err(|_| FetchError::Offline)?;
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let (controller, timed_out) = (controller.clone(), Rc::clone(&timed_out));
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = web_sys::window().and_then(|window| {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
    });
    let result = fetch(&url, &controller.signal(), &timed_out).await;
    if let (Some(window), Some(timer)) = (web_sys::window(), timer) {
        window.clear_timeout_with_handle(timer);
    }
    result
}

async fn fetch(
    url: &str,
    signal: &web_sys::AbortSignal,
    timed_out: &Cell<bool>,
) -> Result<TraceRecord, FetchError> {
    let lost = |_| {
        if timed_out.get() {
            FetchError::Timeout
        } else {
            FetchError::Offline
        }
    };
    let response = Request::get(url)
        .header("Accept", "application/json")
        .abort_signal(Some(signal))
        .send()
        .await
        .map_err(lost)?;
    match response.status() {
        200 => {}
        404 | 410 => return Err(FetchError::NotFound),
        status => return Err(FetchError::Refused { status }),
    }
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_RECORD_BYTES) {
        return Err(FetchError::TooLarge);
    }
    let body = response.text().await.map_err(lost)?;
    parse_record(&body)
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

    #[test]
    fn truncated_huge_and_wrong_answers_are_refused_with_a_reason() {
        assert!(matches!(
            parse_record(r#"{"id": "x", "product": {"#),
            Err(FetchError::Malformed(_))
        ));
        assert!(matches!(
            parse_record(r#"{"error": {"code": "x"}}"#),
            Err(FetchError::Malformed(_))
        ));
        let huge = format!("[{}]", "1,".repeat(MAX_RECORD_BYTES));
        assert_eq!(parse_record(&huge), Err(FetchError::TooLarge));
    }
}
