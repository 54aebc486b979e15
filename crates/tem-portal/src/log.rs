//! Logs as structured lines on stderr: one per request, warnings for data the portal skips,
//! errors for database failures. The level comes from `TEM_LOG` (or `RUST_LOG`), `info` when
//! neither is set; both take tracing's directives, e.g. `TEM_LOG=tem_portal=debug,info`.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use tracing_subscriber::EnvFilter;

/// Longer request targets are cut in the log: a 2 KiB query string is noise there.
const SHOWN_TARGET: usize = 200;

/// Installs the subscriber; a second call (tests start many portals in one process) is a no-op.
pub fn init() {
    let directives = std::env::var("TEM_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".into());
    let filter = EnvFilter::try_new(&directives).unwrap_or_else(|error| {
        eprintln!("tem-portal: TEM_LOG={directives:?} is not a log filter ({error}); using info");
        EnvFilter::new("info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// The access log's line for one request.
pub fn request(method: &Method, target: &str, status: StatusCode, elapsed: Duration) {
    let path: String = target.chars().take(SHOWN_TARGET).collect();
    tracing::info!(
        target: "tem_portal::access",
        %method,
        path,
        status = status.as_u16(),
        ms = format_args!("{:.1}", elapsed.as_secs_f64() * 1000.0),
    );
}
