//! The reference traceability portal: serves the public API tem speaks (DESIGN §4) over a
//! SQLite database or a PostgreSQL one shared by several instances (with Vietnamese demo data
//! when asked), the widget's static files, and printable sample stamps.
//!
//! ```no_run
//! # async fn run() -> Result<(), tem_portal::PortalError> {
//! let portal = tem_portal::start(tem_portal::Config::default()).await?;
//! println!("{}", portal.base_url());
//! portal.run(std::future::pending()).await
//! # }
//! ```

mod api;
pub mod capture;
pub mod cases;
pub mod db;
mod error;
mod files;
mod headers;
mod html;
pub mod issuers;
pub mod log;
mod media;
mod pages;
mod record;
mod resolver;
mod scans;
mod seed;
mod server;
pub mod signing;
pub mod stamps;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, Method, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tem_core::trust::{Jwk, JwkSet};
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

pub use error::{ApiError, PortalError};

/// Longer request targets are refused before routing: no stamp makes one.
const MAX_URI: usize = 2048;

pub struct AppState {
    pub db: db::Pool,
    /// The official EPCIS 2.0 JSON schema that captured documents must meet; without it the
    /// portal takes no capture at all.
    pub epcis_schema: Option<Arc<capture::Schema>>,
    /// Where printed stamps point, without a trailing slash: the anchor of Digital Links.
    pub base_url: String,
    /// The trust list as served: a compact JWS signed by the root key at start-up.
    pub trust_list: String,
    pub www: PathBuf,
    pub pkg: PathBuf,
    pub stamps: PathBuf,
    /// Host origins (`https://shop.example`) whose pages may frame `/embed` and talk to it.
    pub embed_origins: Vec<String>,
    /// Where pages may ask for records and their images, space-separated for a CSP: this
    /// portal's base URL and the origins of the resolvers other issuers run.
    pub record_sources: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// A SQLite file (the default, `var/portal.sqlite`) or a PostgreSQL database by URL.
    pub db: db::Location,
    pub www: PathBuf,
    pub pkg: PathBuf,
    pub stamps: PathBuf,
    /// What stamps point at; `http://{addr}` (loopback for an unspecified address) when None.
    pub base_url: Option<String>,
    /// The private root key that signs the trust list; its public half is built into the
    /// widget (`trust/root.jwk`).
    pub root_key: PathBuf,
    /// Host origins allowed to frame the iframe embed (`/embed`); none by default.
    pub embed_origins: Vec<String>,
    /// What a new database is filled with; None leaves it empty.
    pub seed: Option<Seed>,
    /// The official EPCIS 2.0 JSON schema (`EPCIS-JSON-Schema.json`); `/capture` is off
    /// without it.
    pub epcis_schema: Option<PathBuf>,
    /// How long a request may wait for the database, connection and query together, before it
    /// is answered 503 or 504.
    pub request_timeout: Duration,
    /// Connections to the database, each serving one query at a time.
    pub db_connections: usize,
    /// How long a client may take to send a request head; also how long an idle connection
    /// is kept open.
    pub header_timeout: Duration,
    /// How long the requests in flight may take to finish once the portal is asked to stop.
    pub drain_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            db: db::Location::Sqlite("var/portal.sqlite".into()),
            www: "www".into(),
            pkg: "pkg".into(),
            stamps: "var/stamps".into(),
            base_url: None,
            root_key: "trust/demo-root.jwk".into(),
            embed_origins: Vec::new(),
            seed: None,
            epcis_schema: None,
            request_timeout: Duration::from_secs(5),
            db_connections: 4,
            header_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(10),
        }
    }
}

/// What to fill a new database with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// The Vietnamese demo products, issuers and cases (`--seed demo`).
    Demo,
}

impl std::str::FromStr for Seed {
    type Err = String;

    fn from_str(name: &str) -> Result<Seed, String> {
        match name {
            "demo" => Ok(Seed::Demo),
            _ => Err(format!(
                "--seed: {name:?} is not a seed; the one there is: demo"
            )),
        }
    }
}

/// Opens the database (a SQLite file is created with its directory), migrating the schema.
/// `seed` fills only a new (empty) database: one that holds data is served as it is. On
/// PostgreSQL this runs while holding the start-up lock, so instances starting together on one
/// database seed it once.
pub fn open_database(
    location: &db::Location,
    seed: Option<Seed>,
    epcis_schema: Option<&capture::Schema>,
) -> Result<db::Conn, PortalError> {
    let database = |source| PortalError::Database {
        db: location.clone(),
        source,
    };
    let mut db = db::open(location)?;
    let empty = db::is_empty(&mut db).map_err(database)?;
    let now = unix_now();
    match (seed, empty) {
        (Some(Seed::Demo), true) => {
            seed::seed(&mut db, epcis_schema, now)?;
            cases::seed(&mut db, now).map_err(database)?;
            tracing::info!(db = %location, "seeded the demo data into the new database");
        }
        (Some(Seed::Demo), false) => tracing::info!(
            db = %location,
            "the database holds data already: serving it as it is (--seed demo fills only a new one)"
        ),
        (None, true) => tracing::warn!(
            db = %location,
            schema = db::SCHEMA_VERSION,
            "the database is empty: every code is unknown until data is written (--seed demo fills a new database with the demo data)"
        ),
        (None, false) => {}
    }
    signing::sign_unsigned(&mut db, now).map_err(database)?;
    Ok(db)
}

/// Registers an enterprise that may capture EPCIS events into the database, and answers its
/// token (shown once; only its hash is kept).
pub fn add_enterprise(
    location: &db::Location,
    id: &str,
    name: &str,
    gcp: &[String],
) -> Result<String, PortalError> {
    let mut db = db::open(location)?;
    capture::enterprise::add(&mut db, id, name, gcp, &now_rfc3339())
}

/// Registers an issuer in the database, for the trust list of the portal's next start.
pub fn add_issuer(location: &db::Location, issuer: &issuers::NewIssuer) -> Result<(), PortalError> {
    let mut db = db::open(location)?;
    issuers::add(&mut db, issuer)
}

/// The public keys an issuer in the database publishes, as a JWK Set.
pub fn issuer_keys(location: &db::Location, id: &str) -> Result<JwkSet, PortalError> {
    let mut db = db::open(location)?;
    issuers::public_keys(&mut db, id)
}

/// Opens the database (seeding it as `seed` says) and writes its stamps into `out`, as
/// `tem-portal stamps` does.
pub fn write_stamps(
    location: &db::Location,
    seed: Option<Seed>,
    out: &Path,
    base_url: &str,
) -> Result<Vec<stamps::Stamp>, PortalError> {
    let mut db = open_database(location, seed, None)?;
    stamps_from(&mut db, location, out, base_url.trim_end_matches('/'))
}

fn stamps_from(
    db: &mut db::Conn,
    location: &db::Location,
    out: &Path,
    base_url: &str,
) -> Result<Vec<stamps::Stamp>, PortalError> {
    let database = |source| PortalError::Database {
        db: location.clone(),
        source,
    };
    let now = unix_now();
    let lookalike = format!("https://{}", cases::LOOKALIKE_HOST);
    let mut specs = Vec::new();
    for (key, name) in db::stamp_keys(db).map_err(database)? {
        let case = cases::case_of(&key);
        let base = match case {
            Some(cases::Case::LookalikeDomain) => lookalike.as_str(),
            _ => base_url,
        };
        let link = stamps::digital_link(base, &key);
        // A row the resolver would refuse (a lot of 3,000 characters, a control character)
        // makes no stamp worth printing; the rest are printed all the same.
        if let Err(error) = tem_core::payload::parse(&link) {
            tracing::warn!(stamp = %key, rule = error.code(), "skipped: {error}");
            continue;
        }
        // Serialised stamps carry their issuer's signature of their AIs (AI 8030), so they can
        // be checked with no record and no network.
        let signer = match &key.serial {
            Some(_) => signing::stamp_key(db, &key.gtin, now).map_err(database)?,
            None => None,
        };
        let url = match signer.as_ref().and_then(|signer| sign_stamp(&link, signer)) {
            Some(signed) => signed,
            None => link,
        };
        specs.push(stamps::Spec {
            key,
            name,
            url,
            case,
        });
    }
    stamps::write(specs, out)
}

/// `link` with its AI 8030 signature by `key` appended.
fn sign_stamp(link: &str, key: &Jwk) -> Option<String> {
    let payload = tem_core::payload::parse(link).ok()?;
    let signature = tem_core::trust::sign_stamp(&payload, key).ok()?;
    Some(tem_core::trust::with_stamp_signature(link, &signature))
}

/// The portal's routes over `state`.
pub fn app(state: Arc<AppState>) -> Router {
    // Retailers embed the widget on their own sites, so any origin may read the public API.
    // GS1 tools read the resolver's `Link` header from scripts too. Only scans take POST, so
    // they have their own layer and everything else says it takes what it takes.
    let cors = |methods: &[Method]| {
        CorsLayer::new()
            .allow_origin(Any)
            .allow_methods(methods.to_vec())
            .allow_headers(Any)
            .expose_headers([header::LINK])
    };
    let scans = Router::new()
        .route(
            "/api/v1/scans",
            get(api::scan_history).post(api::record_scan),
        )
        .layer(cors(&[
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::OPTIONS,
        ]));
    let not_found = not_found.into_service();
    // The build writes the page's own files compressed beside them too (scripts/build.sh).
    let www = files::guarded(
        ServeDir::new(&state.www)
            .precompressed_br()
            .precompressed_gzip()
            .not_found_service(not_found.clone()),
    );
    Router::new()
        .route("/", get(pages::index))
        .route("/index.html", get(pages::index))
        .route("/embed", get(pages::embed))
        .route("/shop/", get(pages::shop))
        .route("/oembed", get(pages::oembed))
        .route("/01/{*rest}", get(resolver::resolve))
        .route("/.well-known/gs1resolver", get(resolver::description))
        .route("/api/v1/records/{id}", get(api::record_by_id))
        .route("/api/v1/records/{gtin}/{lot}", get(api::record_by_path))
        .route(
            "/api/v1/records/{gtin}/{lot}/{serial}",
            get(api::record_by_path),
        )
        .route("/api/v1/recalls", get(api::recalls))
        .route(tem_core::trust::TRUST_LIST_PATH, get(api::trust_list))
        .route("/media/{file}", get(api::media))
        .route("/healthz", get(api::healthz))
        // The build writes the widget's wasm and JS compressed beside them (brotli, and gzip
        // for the rest), so shoppers on slow data get a third of the bytes at no cost per
        // request; everything else is small and gzipped as it goes.
        .nest_service(
            "/pkg",
            files::guarded(
                ServeDir::new(&state.pkg)
                    .precompressed_br()
                    .precompressed_gzip()
                    .not_found_service(not_found.clone()),
            ),
        )
        .nest_service(
            "/stamps",
            files::guarded(ServeDir::new(&state.stamps).not_found_service(not_found.clone())),
        )
        // Compressed Digital Links are one path segment at the root, where the widget's files
        // are too: whatever is not one is a file.
        .fallback(
            |State(state): State<Arc<AppState>>, request: Request| async move {
                match resolver::compressed(&state, &request) {
                    Some(response) => response.await,
                    None => www.oneshot(request).await.into_response(),
                }
            },
        )
        .layer(cors(&resolver::METHODS))
        .merge(scans)
        // Enterprises' servers capture; no page in a browser has any business doing so, so
        // these routes are left out of the CORS layers.
        .merge(
            Router::new()
                .route("/capture", get(capture::jobs).post(capture::capture))
                .route("/capture/{id}", get(capture::job))
                .layer(DefaultBodyLimit::max(tem_core::epcis::MAX_DOCUMENT_BYTES)),
        )
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(Arc::clone(&state), edge))
        .with_state(state)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound {
        what: uri.path().to_string(),
    }
}

/// Refuses absurd request targets, gives responses a cache policy and logs one line each.
async fn edge(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let target = uri.path_and_query().map_or("", |p| p.as_str());
    let mut response = if target.len() > MAX_URI {
        pages::too_long(request.headers(), target.len(), MAX_URI)
    } else if uri.path() == "/stamps" || uri.path() == "/shop" {
        // The pages' relative links only work from inside their directory; a route for
        // this would clash with the nested directory service.
        Redirect::permanent(&format!("{}/", uri.path())).into_response()
    } else {
        as_json_error(next.run(request).await).await
    };
    // The CORS layer answers every OPTIONS request itself, preflight or not, with the methods
    // every route takes; plain HTTP clients read those from `Allow`.
    if method == Method::OPTIONS
        && let Some(methods) = response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_METHODS)
            .cloned()
    {
        response
            .headers_mut()
            .entry(header::ALLOW)
            .or_insert(methods);
    }
    headers::secure(uri.path(), response.headers_mut(), &state);
    // The page's files are sent precompressed by what the browser takes; a cache between must
    // not hand one encoding to a browser that asked for another.
    if !response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    }) {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        let policy = cache_policy(uri.path(), response.status().is_success());
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    log::request(&method, target, response.status(), started.elapsed());
    response
}

/// Errors from axum and tower-http themselves (405, a path that is not UTF-8 …) come as plain
/// text or empty; clients are promised JSON for every error.
async fn as_json_error(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let reason = axum::body::to_bytes(body, 4096)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    let mut json = ApiError::Http { status, reason }.into_response();
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        json.headers_mut().insert(header::ALLOW, allow.clone());
    }
    json
}

fn cache_policy(path: &str, success: bool) -> &'static str {
    // The page, the service worker and the stamps (rewritten at each start, maybe with another
    // base URL) are revalidated every time so a new build or address shows at once; the wasm and
    // assets are not content-hashed, so an hour is as long as they are kept.
    let revalidate = path == "/"
        || path == "/embed"
        || path.ends_with('/')
        || path.ends_with(".html")
        || path.ends_with("/sw.js")
        || path.ends_with("/sw-build.js")
        || path.ends_with(".webmanifest")
        || path.starts_with("/stamps/");
    match (success, revalidate) {
        (false, _) => "no-store",
        (true, true) => "no-cache",
        (true, false) => "public, max-age=3600",
    }
}

/// What start-up makes of the database: its stamps, its signed trust list, the record sources
/// of the pages' CSP, and the pool that serves it from then on.
struct Prepared {
    stamps: Vec<stamps::Stamp>,
    trust_list: String,
    record_sources: String,
    pool: db::Pool,
}

fn prepare(
    config: &Config,
    base_url: &str,
    root: &Jwk,
    epcis_schema: Option<&capture::Schema>,
) -> Result<Prepared, PortalError> {
    let database = |source| PortalError::Database {
        db: config.db.clone(),
        source,
    };
    let mut db = open_database(&config.db, config.seed, epcis_schema)?;
    let stamps = stamps_from(&mut db, &config.db, &config.stamps, base_url)?;
    let trust_list = signing::trust_list(&mut db, root, base_url, unix_now())?;
    let resolver_origins = issuers::resolver_origins(&mut db).map_err(database)?;
    let record_sources = std::iter::once(base_url.to_string())
        .chain(resolver_origins)
        .collect::<Vec<_>>()
        .join(" ");
    // The start-up connection (and with it PostgreSQL's start-up lock) goes before the pool's.
    drop(db);
    let pool = db::Pool::open(&config.db, config.db_connections, config.request_timeout)
        .map_err(database)?;
    Ok(Prepared {
        stamps,
        trust_list,
        record_sources,
        pool,
    })
}

/// A portal with its database seeded, stamps written and socket bound, ready to [`run`].
///
/// [`run`]: Portal::run
pub struct Portal {
    listener: TcpListener,
    state: Arc<AppState>,
    stamps: Vec<stamps::Stamp>,
    timeouts: server::Timeouts,
}

/// Binds `config.addr` (port 0 picks a free one), opens (and seeds) the database and writes the
/// stamps under the resulting base URL.
pub async fn start(config: Config) -> Result<Portal, PortalError> {
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| PortalError::Bind {
            addr: config.addr,
            source,
        })?;
    let mut local = listener.local_addr().map_err(|source| PortalError::Bind {
        addr: config.addr,
        source,
    })?;
    if local.ip().is_unspecified() {
        local.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    let base_url = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_string();
    let root = signing::load_root(&config.root_key)?;
    let epcis_schema = match &config.epcis_schema {
        Some(path) => Some(Arc::new(capture::Schema::load(path)?)),
        None => {
            tracing::warn!("EPCIS capture is off: no --epcis-schema was given");
            None
        }
    };
    // Start-up talks to the database with blocking calls (PostgreSQL's client runs a runtime
    // of its own), so it runs off the async workers, as every query does afterwards.
    let started = {
        let (config, base_url, schema) = (config.clone(), base_url.clone(), epcis_schema.clone());
        tokio::task::spawn_blocking(move || prepare(&config, &base_url, &root, schema.as_deref()))
            .await
            .map_err(|panicked| PortalError::Usage {
                reason: format!("start-up panicked: {panicked}"),
            })??
    };
    let Prepared {
        stamps,
        trust_list,
        record_sources,
        pool,
    } = started;
    let state = Arc::new(AppState {
        db: pool,
        epcis_schema,
        base_url,
        trust_list,
        www: config.www,
        pkg: config.pkg,
        stamps: config.stamps,
        embed_origins: config.embed_origins,
        record_sources,
    });
    Ok(Portal {
        listener,
        state,
        stamps,
        timeouts: server::Timeouts {
            header: config.header_timeout,
            drain: config.drain_timeout,
        },
    })
}

impl Portal {
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    pub fn stamps(&self) -> &[stamps::Stamp] {
        &self.stamps
    }

    /// Serves until `shutdown` completes, then stops accepting, lets the requests in flight
    /// finish (for at most the drain timeout) and closes the database.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), PortalError> {
        let state = Arc::clone(&self.state);
        server::serve(self.listener, app(self.state), self.timeouts, shutdown).await;
        state.db.close();
        Ok(())
    }
}

/// Starts the portal and serves until SIGTERM or SIGINT (Ctrl-C), then drains.
pub async fn serve(config: Config) -> Result<(), PortalError> {
    let stamp_dir = config.stamps.clone();
    let portal = start(config).await?;
    let stop = server::stop_signal();
    tracing::info!(
        stamps = portal.stamps().len(),
        dir = %stamp_dir.display(),
        base_url = portal.base_url(),
        listening = %portal
            .local_addr()
            .map_or_else(|| "?".into(), |a| a.to_string()),
        "serving",
    );
    portal.run(stop).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Now, in seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Now as an RFC 3339 UTC instant.
pub fn now_rfc3339() -> String {
    tem_core::time::unix_to_rfc3339(unix_now())
}
