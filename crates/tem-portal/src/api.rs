//! The JSON API under `/api/v1` (signed records by id, recalls, scans), the trust list,
//! product images and the health check.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tem_core::scan::{PROVINCES, ScanRequest};

use crate::AppState;
use crate::db::{self, Key};
use crate::error::ApiError;
use crate::record::{JOSE, record_response};
use crate::resolver::{MAX_PATH, validated};
use crate::scans;

/// `GET /api/v1/records/{id}`, the id as `stamps.json` and the record give it.
pub async fn record_by_id(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if id.len() > MAX_PATH {
        return Err(ApiError::TooLong {
            length: id.len(),
            max: MAX_PATH,
        });
    }
    let key = Key::from_record_id(&id).ok_or(ApiError::InvalidRecordId { id })?;
    record(&state, &key, headers).await
}

/// The parts of `GET /api/v1/records/{gtin}/{lot}[/{serial}]`, each one percent-encoded path
/// segment: any lot or serial, `.` and `/` included, as it is.
#[derive(serde::Deserialize)]
pub struct RecordPath {
    gtin: String,
    lot: String,
    serial: Option<String>,
}

/// `GET /api/v1/records/{gtin}/{lot}[/{serial}]`
pub async fn record_by_path(
    State(state): State<Arc<AppState>>,
    Path(path): Path<RecordPath>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let key = Key {
        gtin: path.gtin,
        lot: Some(path.lot),
        serial: path.serial,
    };
    record(&state, &key, headers).await
}

async fn record(state: &AppState, key: &Key, headers: HeaderMap) -> Result<Response, ApiError> {
    let key = validated(key)?;
    state
        .db
        .run(move |db| record_response(db, &key, &headers))
        .await
}

/// `GET /.well-known/tem/trust-list.jws`: the keys of every issuer, signed by the root key
/// whose public half is built into the widget.
pub async fn trust_list(State(state): State<Arc<AppState>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, JOSE),
            // Widgets re-fetch it on each check while online and keep the last good copy.
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        state.trust_list.clone(),
    )
        .into_response()
}

pub(crate) fn required<'a>(
    query: &'a HashMap<String, String>,
    name: &'static str,
) -> Result<&'a String, ApiError> {
    query.get(name).ok_or(ApiError::MissingParameter { name })
}

fn check_province(province: Option<&str>) -> Result<(), ApiError> {
    match province {
        Some(province) if !PROVINCES.contains(&province) => Err(ApiError::InvalidProvince {
            province: province.chars().take(64).collect(),
        }),
        _ => Ok(()),
    }
}

fn history_response(history: tem_core::scan::ScanHistory) -> Response {
    let mut response = axum::Json(history).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /api/v1/scans` `{gtin, lot, serial, province?}`: counts one check of a serialised
/// stamp and answers its history, this check included.
pub async fn record_scan(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: ScanRequest =
        serde_json::from_slice(&body).map_err(|e| ApiError::InvalidBody {
            reason: e.to_string(),
        })?;
    let key = validated(&Key {
        gtin: request.gtin,
        lot: request.lot,
        serial: Some(request.serial),
    })?;
    check_province(request.province.as_deref())?;
    let counted = ScanRequest {
        gtin: key.gtin.clone(),
        lot: key.lot.clone(),
        serial: key.serial.clone().unwrap_or_default(),
        province: request.province,
    };
    let at = crate::now_rfc3339();
    let history = state
        .db
        .write(move |db| Ok(scans::record(db, &counted, &at)?))
        .await?;
    history.map(history_response).ok_or(ApiError::NotFound {
        what: key.to_string(),
    })
}

/// `GET /api/v1/scans?gtin=…&serial=…`: the history without counting a check, for pages that
/// show a known product (a retailer's) rather than a stamp in a shopper's hand.
pub async fn scan_history(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let key = validated(&Key {
        gtin: required(&query, "gtin")?.clone(),
        lot: None,
        serial: Some(required(&query, "serial")?.clone()),
    })?;
    let asked = key.clone();
    let history = state
        .db
        .run(move |db| {
            let serial = asked.serial.as_deref().unwrap_or_default();
            Ok(scans::history(db, &asked.gtin, serial)?)
        })
        .await?;
    history.map(history_response).ok_or(ApiError::NotFound {
        what: key.to_string(),
    })
}

/// `GET /api/v1/recalls?gtin=…[&lot=…]`: the active recalls, newest first.
pub async fn recalls(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let key = validated(&Key {
        gtin: required(&query, "gtin")?.clone(),
        lot: query.get("lot").cloned(),
        serial: None,
    })?;
    let recalls = state
        .db
        .run(move |db| Ok(db::recalls(db, &key.gtin, key.lot.as_deref())?))
        .await?;
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

/// `GET /healthz`: answers at once, and 503 when the database cannot be read or its file is
/// gone.
pub async fn healthz(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    state.db.check().await?;
    Ok(axum::Json(json!({"ok": true})).into_response())
}
