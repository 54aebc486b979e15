//! The JSON API under `/api/v1` (records by id, recalls), product images and the health check.

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde_json::json;

use crate::AppState;
use crate::db::{self, Key};
use crate::error::ApiError;
use crate::resolver::MAX_PATH;

fn lock(state: &AppState) -> MutexGuard<'_, Connection> {
    // A handler that panicked mid-query leaves nothing half-written (reads only), so the
    // connection is still good.
    state
        .db
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The trace record for `key` as JSON, or 404 when the portal has none.
pub fn record_response(state: &AppState, key: &Key) -> Result<Response, ApiError> {
    let record = db::record(&lock(state), key, &crate::now_rfc3339())?.ok_or_else(|| {
        ApiError::NotFound {
            what: key.to_string(),
        }
    })?;
    let mut response = axum::Json(record).into_response();
    // Recalls must reach shoppers within minutes, so copies are short-lived.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}

/// `GET /api/v1/records/{id}`
pub async fn record_by_id(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if id.len() > MAX_PATH {
        return Err(ApiError::TooLong {
            length: id.len(),
            max: MAX_PATH,
        });
    }
    let key = Key::from_record_id(&id).ok_or(ApiError::InvalidRecordId { id })?;
    record_response(&state, &key)
}

/// `GET /api/v1/recalls?gtin=…[&lot=…]`: the active recalls, newest first.
pub async fn recalls(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let gtin = query
        .get("gtin")
        .ok_or(ApiError::MissingParameter { name: "gtin" })?;
    tem_core::gs1::validate("01", gtin)
        .map_err(|e| ApiError::InvalidCode(tem_core::payload::PayloadError::Gs1(e)))?;
    let recalls = db::recalls(&lock(&state), gtin, query.get("lot").map(String::as_str))?;
    let mut response = axum::Json(json!({ "recalls": recalls })).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}

/// `GET /media/{slug}.svg`
pub async fn media(Path(file): Path<String>) -> Result<Response, ApiError> {
    let svg = file
        .strip_suffix(".svg")
        .and_then(crate::media::svg)
        .ok_or_else(|| ApiError::NotFound {
            what: format!("/media/{file}"),
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({"ok": true}))
}
