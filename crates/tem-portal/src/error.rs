//! What can go wrong: `PortalError` when starting up (files, database, keys, socket) and
//! `ApiError` for a request, which becomes the JSON error body the widget localises by code.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tem_core::payload::PayloadError;

use crate::db::{DbError, Failure, Location};

#[derive(Debug)]
#[non_exhaustive]
pub enum PortalError {
    /// A file or directory the portal needs could not be created, read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database could not be opened, migrated, seeded or read.
    Database { db: Location, source: DbError },
    /// A statement failed in a step named `what` (registering an issuer, signing the trust
    /// list), on the database the command was given.
    Query { what: &'static str, source: DbError },
    /// SQLite's check found the file damaged, or it is not a database at all.
    Damaged { path: PathBuf, detail: String },
    /// The database's schema is newer than this build's: a newer portal wrote it.
    SchemaTooNew {
        db: Location,
        found: usize,
        known: usize,
    },
    /// A key file (the root key of the trust list) is unreadable or not a usable private key.
    Key { path: PathBuf, reason: String },
    /// The operating system gave no randomness for a new key.
    Random { reason: String },
    /// A command was given arguments it cannot use.
    Usage { reason: String },
    /// The EPCIS JSON schema given for capture is unreadable or not a schema.
    Schema { path: PathBuf, reason: String },
    /// The address to listen on is taken or not this machine's.
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl fmt::Display for PortalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortalError::Io { path, source } => write!(
                f,
                "{}: {source} (check that the directory exists and is writable)",
                path.display()
            ),
            // Never advise removing the file: it may be the only copy of real data.
            PortalError::Database {
                db: db @ Location::Sqlite(_),
                source,
            } => write!(
                f,
                "database {db}: {source} (check that the file and its directory can be read and written by this user, and that no other program holds it locked)"
            ),
            PortalError::Database {
                db: db @ Location::Postgres(_),
                source,
            } => write!(
                f,
                "database {db}: {source} (check that the server is running and reachable, that the database exists, and that the URL's user may connect and create tables in it)"
            ),
            PortalError::Damaged { path, detail } => write!(
                f,
                "database {} is damaged ({detail}); the portal will not serve it and has not changed it. Keep the file: restore it from a backup, or recover its data into a new file with `sqlite3 {} .recover`",
                path.display(),
                path.display()
            ),
            PortalError::Query { what, source } => write!(f, "{what}: {source}"),
            PortalError::SchemaTooNew { db, found, known } => write!(
                f,
                "database {db} has schema version {found}, newer than the {known} this build knows: a newer tem-portal wrote it. Run that version or a later one; this one has left the database as it is"
            ),
            PortalError::Key { path, reason } => write!(
                f,
                "key {}: {reason} (make one with `tem-portal keygen --kid NAME --out FILE`)",
                path.display()
            ),
            PortalError::Random { reason } => {
                write!(f, "no randomness for a new signing key: {reason}")
            }
            PortalError::Usage { reason } => f.write_str(reason),
            PortalError::Schema { path, reason } => write!(
                f,
                "EPCIS schema {}: {reason} (give the official EPCIS 2.0 JSON schema, EPCIS-JSON-Schema.json)",
                path.display()
            ),
            PortalError::Bind { addr, source } => write!(
                f,
                "cannot listen on {addr}: {source} (pick another --addr, e.g. 127.0.0.1:8081)"
            ),
        }
    }
}

impl std::error::Error for PortalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PortalError::Io { source, .. } | PortalError::Bind { source, .. } => Some(source),
            PortalError::Database { source, .. } | PortalError::Query { source, .. } => {
                Some(source)
            }
            PortalError::Damaged { .. }
            | PortalError::SchemaTooNew { .. }
            | PortalError::Key { .. }
            | PortalError::Random { .. }
            | PortalError::Usage { .. }
            | PortalError::Schema { .. } => None,
        }
    }
}

/// A request the portal cannot answer with what was asked for.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// The code is well-formed but the portal has no record, lot or unit for it.
    NotFound {
        what: String,
    },
    /// A Digital Link that breaks a GS1 rule (check digit, length, qualifier order …).
    InvalidCode(PayloadError),
    InvalidRecordId {
        id: String,
    },
    MissingParameter {
        name: &'static str,
    },
    /// A request body that is not the JSON the endpoint takes.
    InvalidBody {
        reason: String,
    },
    /// A province that is not one of Việt Nam's 34.
    InvalidProvince {
        province: String,
    },
    UnknownLinkType {
        link_type: String,
    },
    /// A path or query longer than any real code makes.
    TooLong {
        length: usize,
        max: usize,
    },
    /// More request headers, or larger, than any browser sends.
    HeadersTooLarge {
        count: usize,
        bytes: usize,
        max_count: usize,
        max_bytes: usize,
    },
    /// A request that needs an enterprise's token came without a valid one.
    Unauthorized,
    /// Every database connection is in use, or a lock held elsewhere outlasted the wait.
    Busy,
    /// A query ran past the request's deadline and was interrupted.
    Timeout,
    /// The database cannot be used at all (gone, replaced, unreadable): the health check.
    Unavailable {
        reason: String,
    },
    /// The portal is draining its requests to stop.
    ShuttingDown,
    /// The database failed; the detail goes to the log, not to the client.
    Internal {
        detail: String,
    },
    /// Refused by the HTTP layer (wrong method, malformed path or query), with its reason.
    Http {
        status: StatusCode,
        reason: String,
    },
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound { .. } | ApiError::UnknownLinkType { .. } => StatusCode::NOT_FOUND,
            ApiError::InvalidCode(_)
            | ApiError::InvalidRecordId { .. }
            | ApiError::MissingParameter { .. }
            | ApiError::InvalidBody { .. }
            | ApiError::InvalidProvince { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::TooLong { .. } => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::Busy | ApiError::Unavailable { .. } | ApiError::ShuttingDown => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Http { status, .. } => *status,
        }
    }

    /// The stable code clients switch on. GS1 rule violations keep tem-core's code
    /// (`check_digit`, `length` …) so the widget can say which rule in the shopper's language.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "not_found",
            ApiError::InvalidCode(error) => error.code(),
            ApiError::InvalidRecordId { .. } => "invalid_record_id",
            ApiError::MissingParameter { .. } => "missing_parameter",
            ApiError::InvalidBody { .. } => "invalid_body",
            ApiError::InvalidProvince { .. } => "invalid_province",
            ApiError::UnknownLinkType { .. } => "unknown_link_type",
            ApiError::TooLong { .. } => "too_long",
            ApiError::Unauthorized => "unauthorized",
            ApiError::HeadersTooLarge { .. } => "headers_too_large",
            ApiError::Busy => "busy",
            ApiError::Timeout => "timeout",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::ShuttingDown => "shutting_down",
            ApiError::Internal { .. } => "internal",
            ApiError::Http { status, .. } => match status.as_u16() {
                404 => "not_found",
                405 => "method_not_allowed",
                414 => "too_long",
                400..=499 => "bad_request",
                _ => "internal",
            },
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { what } => write!(f, "no trace record for {what}"),
            ApiError::InvalidCode(error) => write!(f, "{error}"),
            ApiError::InvalidRecordId { id } => write!(
                f,
                "record id {id:?} is not of the form {{gtin}}.{{lot}} or {{gtin}}.{{lot}}.{{serial}} with a 14-digit GTIN"
            ),
            ApiError::MissingParameter { name } => {
                write!(f, "the {name} query parameter is required")
            }
            ApiError::InvalidBody { reason } => {
                write!(f, "the request body is not the JSON expected: {reason}")
            }
            ApiError::InvalidProvince { province } => write!(
                f,
                "{province:?} is not one of Việt Nam's 34 provinces and cities as tem lists them"
            ),
            ApiError::UnknownLinkType { link_type } => write!(
                f,
                "no link of type {link_type:?} for this code; linkType=linkset lists the links it has"
            ),
            ApiError::TooLong { length, max } => write!(
                f,
                "the request is {length} characters long; codes here are at most {max}"
            ),
            ApiError::HeadersTooLarge {
                count,
                bytes,
                max_count,
                max_bytes,
            } => write!(
                f,
                "the request has {count} headers of {bytes} bytes; at most {max_count} headers of {max_bytes} bytes are taken"
            ),
            ApiError::Unauthorized => write!(
                f,
                "capture needs the enterprise's token as `Authorization: Bearer …` (tem-portal enterprise add gives one)"
            ),
            ApiError::Busy => write!(f, "the portal's database is busy; try again in a moment"),
            ApiError::Timeout => write!(
                f,
                "the portal's database did not answer in time; try again in a moment"
            ),
            ApiError::Unavailable { reason } => write!(f, "{reason}"),
            ApiError::ShuttingDown => write!(f, "the portal is shutting down; try again shortly"),
            ApiError::Internal { .. } => write!(f, "the portal could not read its database"),
            ApiError::Http { status, reason } if reason.is_empty() => {
                write!(f, "{}", status.canonical_reason().unwrap_or("error"))
            }
            ApiError::Http { reason, .. } => write!(f, "{reason}"),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// A database down, restarting or refusing connections: the client should try again soon.
    pub(crate) fn database_unreachable() -> ApiError {
        ApiError::Unavailable {
            reason: "the portal cannot reach its database; try again in a moment".into(),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error.failure() {
            // Someone else's lock, or a key another writer took between this one's look and
            // its insert (the portal looks first): the next try may well pass.
            Failure::Busy | Failure::Duplicate => ApiError::Busy,
            Failure::Interrupted => ApiError::Timeout,
            Failure::Unreachable => {
                tracing::error!(detail = %error, "the database cannot be reached");
                ApiError::database_unreachable()
            }
            Failure::Other => ApiError::Internal {
                detail: error.to_string(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal { detail } = &self {
            tracing::error!(detail, "database error");
        }
        let body = json!({"error": {"code": self.code(), "message": self.to_string()}});
        let mut response = (self.status(), Json(body)).into_response();
        if self.status() == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tem-portal capture\""),
            );
        }
        if self.status() == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
