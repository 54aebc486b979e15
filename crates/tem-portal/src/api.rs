//! The public HTTP API of DESIGN §4: the GS1 Digital Link resolver, records by id, recalls.
//! Every error is JSON with a code the widget localises and a message for developers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tem_core::payload;

use crate::db::{self, Key};
use crate::{AppState, percent_encode};

/// No real Digital Link path is this long; longer ones are refused before any parsing.
const MAX_PATH: usize = 512;

pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({"error": {"code": code, "message": message.into()}})),
    )
        .into_response()
}

fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "no trace record for this code",
    )
}

fn internal(detail: impl std::fmt::Display) -> Response {
    eprintln!("tem-portal: database error: {detail}");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the portal could not read its database",
    )
}

fn record_response(state: &AppState, key: &Key) -> Response {
    let now = crate::now_rfc3339();
    let found = {
        let db = state
            .db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        db::record(&db, key, &now)
    };
    match found {
        Ok(Some(record)) => {
            let mut response = axum::Json(record).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            response
        }
        Ok(None) => not_found(),
        Err(e) => internal(e),
    }
}

/// `GET /01/{gtin}[/10/{lot}][/21/{serial}]`, by `linkType` and what the client accepts.
pub async fn resolve(
    State(state): State<Arc<AppState>>,
    Path(rest): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if rest.len() > MAX_PATH {
        return error(
            StatusCode::URI_TOO_LONG,
            "too_long",
            "the Digital Link path is too long",
        );
    }
    let link = format!("{}/01/{rest}", state.base_url.trim_end_matches('/'));
    let parsed = match payload::parse(&link) {
        Ok(parsed) => parsed,
        Err(e) => return error(StatusCode::BAD_REQUEST, "invalid_code", e.to_string()),
    };
    let Some(gtin) = parsed.gtin() else {
        return not_found();
    };
    let key = Key {
        gtin: gtin.into(),
        lot: parsed.lot().map(Into::into),
        serial: parsed.serial().map(Into::into),
    };
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    match query.get("linkType").map(String::as_str) {
        Some("all") => linkset(&state, &key, &link),
        None if wants_html => {
            Redirect::to(&format!("/?code={}", percent_encode(&link))).into_response()
        }
        _ => record_response(&state, &key),
    }
}

fn linkset(state: &AppState, key: &Key, anchor: &str) -> Response {
    let base = state.base_url.trim_end_matches('/');
    let mut recalls = format!("{base}/api/v1/recalls?gtin={}", key.gtin);
    if let Some(lot) = &key.lot {
        recalls.push_str(&format!("&lot={}", percent_encode(lot)));
    }
    let body = json!({"linkset": [{
        "anchor": anchor,
        "https://gs1.org/voc/traceability": [{"href": format!("{anchor}?linkType=gs1:traceability"), "type": "application/json", "hreflang": ["vi", "en"]}],
        "https://gs1.org/voc/pip": [{"href": format!("{base}/?code={}", percent_encode(anchor)), "type": "text/html", "title": "Thông tin sản phẩm"}],
        "https://gs1.org/voc/recallStatus": [{"href": recalls, "type": "application/json"}],
    }]});
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/linkset+json"),
    );
    response
}

/// `GET /api/v1/records/{id}`
pub async fn record_by_id(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    match Key::from_record_id(&id) {
        Some(key) if id.len() <= MAX_PATH => record_response(&state, &key),
        _ => error(
            StatusCode::BAD_REQUEST,
            "invalid_id",
            "record ids look like {gtin}.{lot}[.{serial}]",
        ),
    }
}

/// `GET /api/v1/recalls?gtin=…[&lot=…]`
pub async fn recalls(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(gtin) = query.get("gtin") else {
        return error(
            StatusCode::BAD_REQUEST,
            "missing_gtin",
            "the gtin query parameter is required",
        );
    };
    if let Err(e) = tem_core::gs1::validate("01", gtin) {
        return error(StatusCode::BAD_REQUEST, "invalid_code", e.to_string());
    }
    let found = {
        let db = state
            .db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        db::recalls(&db, gtin, query.get("lot").map(String::as_str))
    };
    match found {
        Ok(recalls) => axum::Json(json!({"recalls": recalls})).into_response(),
        Err(e) => internal(e),
    }
}

pub async fn media(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".svg").and_then(crate::media::svg) {
        Some(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "no such image"),
    }
}

pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({"ok": true}))
}
