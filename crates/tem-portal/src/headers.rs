//! The security headers every response carries. The widget's pages refuse to be framed; the
//! iframe embed may be framed by the host origins the portal is configured with, and no others;
//! the demo shop is governed as a retailer's page would be, allowing the portal and nothing
//! else. Pages and the decoding worker get their policy from these headers. Besides their own
//! origin, pages may reach only this portal's base URL and the resolvers of the issuers it
//! registered, for records and their images.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::AppState;

/// What the widget's own pages and worker may load: their own origin for code, wasm compiled;
/// records and images also from `resolvers`.
fn app_sources(resolvers: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' {resolvers} data: blob:; media-src 'self' blob:; worker-src 'self'; \
         connect-src 'self' {resolvers}; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

fn policy(path: &str, state: &AppState) -> String {
    let resolvers = &state.record_sources;
    let app_sources = app_sources(resolvers);
    if path == "/embed" {
        let ancestors = match state.embed_origins.as_slice() {
            [] => "'none'".to_string(),
            origins => origins.join(" "),
        };
        format!("{app_sources}; frame-ancestors {ancestors}")
    } else if path.starts_with("/shop/") {
        // The CSP a retailer's page needs for the embed, which the README gives hosts.
        let portal = &state.base_url;
        format!(
            "default-src 'none'; script-src 'self' {portal} 'wasm-unsafe-eval'; \
             style-src 'self' {portal}; img-src 'self' {resolvers} data:; \
             connect-src {resolvers}; frame-src {portal}; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'"
        )
    } else {
        format!("{app_sources}; frame-ancestors 'none'")
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
