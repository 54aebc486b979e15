//! The reference traceability portal: serves the public API tem speaks (DESIGN §4) over a
//! SQLite database seeded with Vietnamese demo data, the widget's static files, and printable
//! sample stamps.

mod api;
pub mod db;
mod media;
pub mod seed;
pub mod stamps;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::Method;
use axum::routing::get;
use rusqlite::Connection;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

pub struct AppState {
    pub db: Mutex<Connection>,
    /// The URL printed stamps point at, and the anchor of Digital Links.
    pub base_url: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub www: PathBuf,
    pub pkg: PathBuf,
    pub stamps: PathBuf,
    pub base_url: String,
}

/// Opens (creating, migrating and seeding as needed) the database at `path`.
pub fn open_seeded(path: &std::path::Path) -> Result<Connection, Box<dyn std::error::Error>> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut db = db::open(path)?;
    seed::seed(&mut db)?;
    Ok(db)
}

pub fn app(state: Arc<AppState>, config: &Config) -> Router {
    // Retailers embed the widget on their own sites, so any origin may read the public API.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET]);
    Router::new()
        .route("/01/{*rest}", get(api::resolve))
        .route("/api/v1/records/{id}", get(api::record_by_id))
        .route("/api/v1/recalls", get(api::recalls))
        .route("/media/{file}", get(api::media))
        .route("/healthz", get(api::healthz))
        .nest_service("/pkg", ServeDir::new(&config.pkg))
        .nest_service("/stamps", ServeDir::new(&config.stamps))
        .fallback_service(ServeDir::new(&config.www))
        .layer(cors)
        .with_state(state)
}

/// Seeds, writes the stamps and serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let db = open_seeded(&config.db)?;
    let stamps = stamps::write(&db, &config.stamps, &config.base_url)?;
    eprintln!(
        "tem-portal: {} stamps in {}",
        stamps.len(),
        config.stamps.display()
    );
    let state = Arc::new(AppState {
        db: Mutex::new(db),
        base_url: config.base_url.clone(),
    });
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    eprintln!("tem-portal: listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(state, &config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

pub fn now_rfc3339() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    tem_core::time::unix_to_rfc3339(seconds)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
