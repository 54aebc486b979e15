//! The directories the portal serves (the widget, its wasm, the stamps) behind one guard: a
//! path segment longer than any file name can be is simply not found. ServeDir would pass it
//! to the file system and answer its "name too long" as a 500.

use std::convert::Infallible;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::error::ApiError;

/// NAME_MAX on Linux and the BSDs, and the most most file systems take.
const MAX_NAME: usize = 255;

/// `service` (a ServeDir) with over-long names answered 404.
pub fn guarded<S>(
    service: S,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send>
+ Clone
+ Send
+ Sync
+ 'static
where
    S: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Response: IntoResponse,
    S::Future: Send,
{
    middleware::from_fn(refuse_long_names).layer(service)
}

async fn refuse_long_names(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path
        .split('/')
        .any(|segment| decoded_len(segment) > MAX_NAME)
    {
        return ApiError::NotFound {
            what: path.chars().take(64).collect::<String>() + "…",
        }
        .into_response();
    }
    next.run(request).await
}

/// The bytes a percent-encoded segment stands for: each `%XX` is one.
fn decoded_len(segment: &str) -> usize {
    let bytes = segment.as_bytes();
    let (mut at, mut length) = (0, 0);
    while at < bytes.len() {
        let escape = bytes[at] == b'%'
            && bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit);
        at += if escape { 3 } else { 1 };
        length += 1;
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escape_is_one_byte_of_the_name() {
        assert_eq!(decoded_len("index.html"), 10);
        assert_eq!(decoded_len("a%20b"), 3);
        assert_eq!(decoded_len("100%"), 4);
        assert_eq!(decoded_len(&"%41".repeat(200)), 200);
    }
}
