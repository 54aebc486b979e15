//! What a shopper's browser is shown instead of a JSON error, for the one error a deep link
//! can run into before the widget loads: a link too long to be any stamp's.

use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;

/// 414 for a request target of `length` characters, over `max`: a short page in Vietnamese and
/// English for a browser, the JSON error for everyone else.
pub fn too_long(headers: &HeaderMap, length: usize, max: usize) -> Response {
    let error = ApiError::TooLong { length, max };
    let accept = headers.get(header::ACCEPT).and_then(|a| a.to_str().ok());
    if !crate::resolver::prefers_html(accept) {
        return error.into_response();
    }
    let page = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>Liên kết quá dài — tem</title>\
<style>body{{font:16px system-ui,sans-serif;margin:24px;max-width:36em}}</style></head><body>\
<h1>Liên kết quá dài</h1>\
<p>Liên kết này dài {length} ký tự, quá giới hạn {max} ký tự của một mã truy xuất nguồn gốc, \
nên không thể là mã trên tem. Hãy quét lại tem, hoặc nhập mã in trên tem.</p>\
<p lang=\"en\">This link is {length} characters long, more than the {max} a traceability code \
can be. Scan the stamp again, or type the code printed on it.</p>\
<p><a href=\"/\">Kiểm tra tem / Check a stamp</a></p></body></html>"
    );
    (error.status(), Html(page)).into_response()
}
