//! The one way a trace record is answered, for the records API and the resolver's
//! `gs1:traceability` link alike: signed, negotiated between JWS and its JSON payload, and
//! short-lived in caches so a recall reaches shoppers within minutes.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::db::{Key, Sql};
use crate::error::ApiError;
use crate::signing;

/// Signed records are served as `application/jose` (RFC 7515 §9.2.1).
pub const JOSE: &str = "application/jose";

/// The signed trace record for `key`, or 404 when the portal has none. A client that asks
/// for `application/json` (and not `application/jose`) gets the signed payload itself, byte
/// for byte; everyone else gets the compact JWS, which is what the widget verifies.
pub fn record_response(
    db: &mut dyn Sql,
    key: &Key,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound {
        what: key.to_string(),
    };
    let signed = signing::signed_record_of(db, key)?.ok_or_else(not_found)?;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let plain_json = accept.contains("application/json") && !accept.contains(JOSE);
    let mut response = if plain_json {
        let payload = tem_core::trust::jws::parse(&signed)
            .map(|jws| jws.payload)
            .map_err(|error| ApiError::Internal {
                detail: format!("stored signature of {key} is not a compact JWS: {error}"),
            })?;
        ([(header::CONTENT_TYPE, "application/json")], payload).into_response()
    } else {
        ([(header::CONTENT_TYPE, JOSE)], signed).into_response()
    };
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept"));
    // Recalls must reach shoppers within minutes, so copies are short-lived.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}
