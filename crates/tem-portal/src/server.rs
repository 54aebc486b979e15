//! Connections served with hyper's own builder, for what `axum::serve` leaves open: how long a
//! client may take over its request head (a connection that sends nothing, half a request, or
//! sits idle between requests is closed after it), header limits the portal answers as JSON
//! itself, and a drain bounded by a deadline when asked to stop.

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::error::ApiError;

/// The most headers, and header bytes, a request may have; more than any browser sends, with
/// its cookies.
const MAX_HEADERS: usize = 100;
const MAX_HEADER_BYTES: usize = 32 * 1024;

/// hyper's own ceilings, far above the portal's, so that a request over the portal's limits
/// still reaches it and gets a JSON answer. Only one past these gets hyper's bare one.
const HYPER_MAX_HEADERS: usize = 1000;
const HYPER_MAX_BUFFER: usize = 1024 * 1024;

/// How long a connection may take, and how long stopping may.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// For each request head, from when the portal starts waiting for it: also how long an
    /// idle keep-alive connection is kept.
    pub header: Duration,
    /// For the requests in flight to finish once the portal is asked to stop.
    pub drain: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting and lets the
/// requests in flight finish, for at most `timeouts.drain`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header)
        .max_headers(HYPER_MAX_HEADERS)
        .max_buf_size(HYPER_MAX_BUFFER);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors, most likely: they come back as connections end.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let app = app.clone();
            async move {
                match refuse(&request) {
                    Some(refused) => Ok::<_, Infallible>(refused),
                    None => app.oneshot(request).await,
                }
            }
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection closed");
            }
        });
    }
    // New connections are refused from here on.
    drop(listener);
    let started = Instant::now();
    tracing::info!("draining the requests in flight");
    match tokio::time::timeout(timeouts.drain, graceful.shutdown()).await {
        Ok(()) => tracing::info!(ms = started.elapsed().as_millis(), "drained"),
        Err(_) => tracing::warn!(
            seconds = timeouts.drain.as_secs_f64(),
            "requests still running at the drain deadline were cut"
        ),
    }
}

/// A request over the portal's header limits, answered before it is routed.
fn refuse(request: &Request<Incoming>) -> Option<Response> {
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers.len() <= MAX_HEADERS && bytes <= MAX_HEADER_BYTES {
        return None;
    }
    let started = Instant::now();
    let response = ApiError::HeadersTooLarge {
        count: headers.len(),
        bytes,
        max_count: MAX_HEADERS,
        max_bytes: MAX_HEADER_BYTES,
    }
    .into_response();
    let target = request.uri().path_and_query().map_or("", |p| p.as_str());
    crate::log::request(
        request.method(),
        target,
        response.status(),
        started.elapsed(),
    );
    Some(response)
}

/// Completes on SIGTERM or SIGINT (Ctrl-C); never, if neither can be watched. The handlers
/// are installed at the call, not when first polled, so a signal right after start-up is not
/// lost to the default action.
pub fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let watched = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        );
        async move {
            match watched {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => tracing::info!("SIGTERM: stopping"),
                        _ = interrupt.recv() => tracing::info!("SIGINT: stopping"),
                    }
                }
                _ => {
                    tracing::warn!("cannot watch SIGTERM and SIGINT; serving until killed");
                    std::future::pending::<()>().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
