//! The security headers every response carries. The widget's pages refuse to be framed; the
//! iframe embed may be framed by the host origins the portal is configured with, and no others;
//! the demo shop is governed as a retailer's page would be, allowing the portal and nothing
//! else. Pages and the decoding worker get their policy from these headers.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::AppState;

/// What the widget's own pages and worker may load: their own origin only, wasm compiled.
const APP_SOURCES: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self'; \
    connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

fn policy(path: &str, state: &AppState) -> String {
    if path == "/embed" {
        let ancestors = match state.embed_origins.as_slice() {
            [] => "'none'".to_string(),
            origins => origins.join(" "),
        };
        format!("{APP_SOURCES}; frame-ancestors {ancestors}")
    } else if path.starts_with("/shop/") {
        // The CSP a retailer's page needs for the embed, which the README gives hosts.
        let portal = &state.base_url;
        format!(
            "default-src 'none'; script-src 'self' {portal} 'wasm-unsafe-eval'; \
             style-src 'self' {portal}; img-src 'self' {portal} data:; connect-src {portal}; \
             frame-src {portal}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    } else {
        format!("{APP_SOURCES}; frame-ancestors 'none'")
    }
}

/// Adds the security headers for a response to `path`.
pub fn secure(path: &str, headers: &mut HeaderMap, state: &AppState) {
    if let Ok(csp) = HeaderValue::from_str(&policy(path, state)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if path != "/embed" {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}
