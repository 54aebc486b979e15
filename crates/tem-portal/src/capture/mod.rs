//! EPCIS 2.0 capture, as the REST binding has it: enterprises `POST /capture` an
//! EPCISDocument with their token, and read how each capture job ended at
//! `GET /capture/{captureID}` (their own jobs at `GET /capture`).
//!
//! A document is checked three times before anything is written: against the official
//! EPCIS 2.0 JSON schema (each problem at its JSON pointer), by tem-core's importer (which
//! reads it as the widget will, check digits and all), and by the plan (an eventID on every
//! event). `store` then decides what this enterprise may write.
//! A job is all or nothing (`captureErrorBehaviour: rollback`): a refused document leaves no
//! trace but its failed job. The lots it changes are signed again in the same transaction,
//! so no one is ever served a record that lacks a captured event or is signed without it.

pub mod enterprise;
mod plan;
mod schema;
mod store;

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub use schema::Schema;
use store::{MAX_PROBLEMS, Problem};

use crate::AppState;
use crate::db::{DbError, Sql, SqlExt};
use crate::error::ApiError;
use enterprise::Enterprise;

/// What a refused document answers: the problems, and the job that records the refusal.
struct Refused {
    status: StatusCode,
    code: &'static str,
    problems: Vec<Problem>,
}

impl Refused {
    fn invalid(problems: Vec<Problem>) -> Refused {
        Refused {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_document",
            problems,
        }
    }
}

/// `POST /capture`
pub async fn capture(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(schema) = state.epcis_schema.clone() else {
        return Err(ApiError::Unavailable {
            reason: "EPCIS capture is off on this portal: it was started without the EPCIS 2.0 JSON schema (--epcis-schema)".into(),
        });
    };
    let enterprise = authenticate(&state, &headers).await?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if !matches!(
        media_type.as_deref(),
        Some("application/json" | "application/ld+json")
    ) {
        return Err(ApiError::Http {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            reason:
                "capture takes an EPCIS 2.0 document as application/ld+json or application/json"
                    .into(),
        });
    }
    let checked = tokio::task::spawn_blocking(move || check(&body, Some(&schema)))
        .await
        .map_err(|e| ApiError::Internal {
            detail: format!("checking a captured document panicked: {e}"),
        })?;
    let id = new_capture_id()?;
    let now = crate::unix_now();
    let job = (id.clone(), enterprise.clone());
    let written = state
        .db
        .write(move |db| {
            let (id, enterprise) = job;
            let result = match checked {
                Ok(events) => {
                    let mut tx = db.transaction()?;
                    let written = write(&mut tx, &enterprise, &id, &events, now)?;
                    if written.is_ok() {
                        tx.commit()?;
                    }
                    written
                }
                Err(refused) => Err(refused),
            };
            if let Err(refused) = &result {
                record_failure(db, &enterprise, &id, now, &refused.problems)?;
            }
            Ok(result)
        })
        .await?;
    let location = format!("/capture/{id}");
    let (status, body) = match written {
        Ok(events) => {
            tracing::info!(enterprise = %enterprise.id, capture = %id, events, "captured");
            (
                StatusCode::ACCEPTED,
                job_json(&state, &enterprise, &id).await?,
            )
        }
        Err(refused) => {
            tracing::info!(enterprise = %enterprise.id, capture = %id, problems = refused.problems.len(), "capture refused");
            let message = refused
                .problems
                .first()
                .map(|p| match &p.at {
                    Some(at) if !p.message.starts_with(at.as_str()) => {
                        format!("{at}: {}", p.message)
                    }
                    _ => p.message.clone(),
                })
                .unwrap_or_default();
            (
                refused.status,
                json!({
                    "error": {"code": refused.code, "message": message, "problems": refused.problems},
                    "captureID": id,
                }),
            )
        }
    };
    let mut response = (status, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /capture/{captureID}`: one of the enterprise's jobs.
pub async fn job(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let enterprise = authenticate(&state, &headers).await?;
    Ok(no_store(Json(job_json(&state, &enterprise, &id).await?)))
}

/// `GET /capture`: the enterprise's latest jobs, newest first.
pub async fn jobs(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let enterprise = authenticate(&state, &headers).await?;
    let jobs = state
        .db
        .run(move |db| {
            let db: &mut dyn Sql = db;
            let ids: Vec<String> = db.query_map(
                "SELECT id FROM capture_jobs WHERE enterprise_id = ?1
                 ORDER BY created_at DESC, rowid DESC LIMIT 100",
                &[&enterprise.id],
                |r| r.get(0),
            )?;
            ids.iter()
                .map(|id| job_of(db, &enterprise, id))
                .filter_map(Result::transpose)
                .collect::<Result<Vec<Value>, DbError>>()
                .map_err(ApiError::from)
        })
        .await?;
    Ok(no_store(Json(json!({"captureJobs": jobs}))))
}

fn no_store(body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Enterprise, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or(ApiError::Unauthorized)?;
    state
        .db
        .run(move |db| Ok(enterprise::by_token(db, &token)?))
        .await?
        .ok_or(ApiError::Unauthorized)
}

/// Captures a document inside the caller's transaction, as `POST /capture` does; the demo
/// data comes in this way. `schema` is None only where the portal has none (the demo without
/// the shared corpus); the route itself never runs without one.
pub fn load(
    tx: &mut dyn Sql,
    enterprise: &Enterprise,
    document: &str,
    schema: Option<&Schema>,
    now: i64,
) -> Result<usize, String> {
    let refused = |refused: Refused| {
        refused
            .problems
            .iter()
            .map(|p| match &p.at {
                Some(at) => format!("{at}: {}", p.message),
                None => p.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let events = check(document.as_bytes(), schema).map_err(refused)?;
    let id = new_capture_id().map_err(|e| e.to_string())?;
    write(tx, enterprise, &id, &events, now)
        .map_err(|e| match e {
            // What went wrong in the database, which a shopper's answer never shows.
            ApiError::Internal { detail } => detail,
            e => e.to_string(),
        })?
        .map_err(refused)
}

/// The document's events, planned, or why it is refused; no database needed.
fn check(body: &[u8], schema: Option<&Schema>) -> Result<Vec<plan::PlannedEvent>, Refused> {
    let refused = |message: String| Refused::invalid(vec![Problem { at: None, message }]);
    let text = std::str::from_utf8(body)
        .map_err(|e| refused(format!("the document is not UTF-8 text: {e}")))?;
    if text.len() > tem_core::epcis::MAX_DOCUMENT_BYTES {
        return Err(refused(format!(
            "the document is {} bytes; capture takes at most {}",
            text.len(),
            tem_core::epcis::MAX_DOCUMENT_BYTES
        )));
    }
    // serde_json's own recursion limit keeps a hostile nesting from the stack.
    let document: Value = serde_json::from_str(text)
        .map_err(|e| refused(format!("the document is not JSON: {e}")))?;
    if document.get("type").and_then(Value::as_str) != Some("EPCISDocument") {
        return Err(Refused::invalid(vec![Problem::at(
            "/type",
            "capture takes an EPCISDocument (type \"EPCISDocument\")",
        )]));
    }
    let problems = schema.map_or_else(Vec::new, |s| s.problems(&document, MAX_PROBLEMS));
    if !problems.is_empty() {
        return Err(Refused::invalid(problems));
    }
    // What the schema cannot say (check digits, dates that exist, CBV terms) the importer
    // does, reading the document as the widget will.
    let timeline = tem_core::epcis::import(text).map_err(|error| {
        Refused::invalid(vec![Problem {
            at: error.place().map(|place| match error.field() {
                Some(field) => format!("{place}: {field}"),
                None => place.to_string(),
            }),
            message: error.to_string(),
        }])
    })?;
    let has_event_id: Vec<bool> = document
        .pointer("/epcisBody/eventList")
        .and_then(Value::as_array)
        .map(|events| events.iter().map(|e| e.get("eventID").is_some()).collect())
        .unwrap_or_default();
    plan::plan(&timeline, &has_event_id).map_err(|error| refused(error.to_string()))
}

/// Stores the events as job `id` and signs the changed records, in `tx`; the caller commits
/// only what was not refused.
fn write(
    tx: &mut dyn Sql,
    enterprise: &Enterprise,
    id: &str,
    events: &[plan::PlannedEvent],
    now: i64,
) -> Result<Result<usize, Refused>, ApiError> {
    let at = tem_core::time::unix_to_rfc3339(now);
    tx.execute(
        "INSERT INTO capture_jobs (id, enterprise_id, created_at) VALUES (?1, ?2, ?3)",
        &[&id, &enterprise.id, &at],
    )?;
    let stored = match store::store(tx, enterprise, id, events)? {
        Ok(stored) => stored,
        Err(problems) => {
            return Ok(Err(Refused {
                status: StatusCode::FORBIDDEN,
                code: "not_permitted",
                problems,
            }));
        }
    };
    store::sign_again(tx, &stored.lots, now)?;
    tx.execute(
        "UPDATE capture_jobs SET finished_at = ?2, success = 1, events = ?3 WHERE id = ?1",
        &[&id, &at, &stored.events],
    )?;
    Ok(Ok(stored.events))
}

/// Keeps a refused document's job, so that the enterprise can read why later.
fn record_failure(
    db: &mut dyn Sql,
    enterprise: &Enterprise,
    id: &str,
    now: i64,
    problems: &[Problem],
) -> Result<(), ApiError> {
    let at = tem_core::time::unix_to_rfc3339(now);
    let errors = serde_json::to_string(problems).unwrap_or_else(|_| "[]".into());
    db.execute(
        "INSERT INTO capture_jobs (id, enterprise_id, created_at, finished_at, success, errors)
         VALUES (?1, ?2, ?3, ?3, 0, ?4)",
        &[&id, &enterprise.id, &at, &errors],
    )?;
    Ok(())
}

async fn job_json(state: &AppState, enterprise: &Enterprise, id: &str) -> Result<Value, ApiError> {
    let (enterprise, id) = (enterprise.clone(), id.to_string());
    let what = format!("capture job {id}");
    state
        .db
        .run(move |db| Ok(job_of(db, &enterprise, &id)?))
        .await?
        .ok_or(ApiError::NotFound { what })
}

/// A capture job as the REST binding shows it; only its own enterprise sees it.
fn job_of(db: &mut dyn Sql, enterprise: &Enterprise, id: &str) -> Result<Option<Value>, DbError> {
    db.query_opt(
        "SELECT created_at, finished_at, success, events, errors FROM capture_jobs
         WHERE id = ?1 AND enterprise_id = ?2",
        &[&id, &enterprise.id],
        |r| {
            let errors: String = r.get(4)?;
            let success: Option<bool> = r.get(2)?;
            Ok(json!({
                "captureID": id,
                "createdAt": r.get::<String>(0)?,
                "finishedAt": r.get::<Option<String>>(1)?,
                "running": success.is_none(),
                "success": success.unwrap_or(false),
                "captureErrorBehaviour": "rollback",
                "events": r.get::<i64>(3)?,
                "errors": serde_json::from_str::<Value>(&errors).unwrap_or_else(|_| json!([])),
            }))
        },
    )
}

fn new_capture_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal {
        detail: format!("no randomness for a capture ID: {e}"),
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
