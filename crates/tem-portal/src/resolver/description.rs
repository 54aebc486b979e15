//! `/.well-known/gs1resolver`: the resolver description file, by which GS1 tools tell a
//! GS1-Conformant resolver from any other web server and learn what it resolves.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::linkset::{CONTEXT, GS1_VOC};
use crate::AppState;

pub async fn description(State(state): State<Arc<AppState>>) -> Response {
    let body = json!({
        "name": "tem-portal: GS1 Digital Link resolver for Vietnamese traceability stamps",
        "resolverRoot": state.base_url,
        // GTINs only, with their lots and serial numbers.
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        // Without a link type the answer is a redirect to the default link, never the linkset.
        "linkTypeDefaultCanBeLinkset": false,
        "jsonLdContextLocation": CONTEXT,
    });
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::ACCESS_CONTROL_ALLOW_METHODS, super::allowed());
    response
}
