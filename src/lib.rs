//! The tem widget: a Yew app that scans a traceability stamp on the device, fetches its trace
//! record and shows the product's story with a fail-closed verdict.
//!
//! The same wasm serves two roles: `run_app` mounts the page, and `decode_frame` is what the
//! decoding worker (`www/worker.js`) calls, so the decoder is never a second download.

mod app;
mod browser;
mod components;
mod hooks;
mod i18n;
mod services;
mod state;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::app::{App, AppProps};
use crate::i18n::Lang;
use crate::services::decoder::FoundCode;
use tem_scan::Effort;

/// Mounts the widget on `#tem` (or the body). The host element may carry `data-portal` (the
/// portal's origin), `data-lang` (`vi`/`en`) and `data-code` (a code to check at once).
#[wasm_bindgen]
pub fn run_app() -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let root: Element = match document.get_element_by_id("tem") {
        Some(root) => root,
        None => document.body().ok_or("no body")?.into(),
    };
    let data = |name: &str| root.get_attribute(name).filter(|v| !v.trim().is_empty());
    let lang = browser::saved_lang()
        .or_else(|| data("data-lang").and_then(|code| Lang::from_code(&code)))
        .unwrap_or_default();
    browser::show_lang(lang);
    let props = AppProps {
        portal: data("data-portal").unwrap_or_default().into(),
        lang,
        code: browser::code_from_location()
            .or_else(|| data("data-code"))
            .map(Into::into),
    };
    yew::Renderer::<App>::with_root_and_props(root, props).render();
    Ok(())
}

/// What one camera frame may cost: the cheapest pass on at most 480 px. The next frame, a
/// moment later, is the next chance, so a frame must never hold up the preview.
pub(crate) const CAMERA_FRAME: Effort = Effort {
    max_passes: 1,
    max_side: 480,
};

/// Decodes the QR codes in an RGBA image; answers a JSON array of `{text, gs1}`. A photo is
/// `thorough` (every pass: the shopper waits for it once); a camera frame is not.
#[wasm_bindgen]
pub fn decode_frame(rgba: &[u8], width: u32, height: u32, thorough: bool) -> String {
    let effort = if thorough {
        Effort::THOROUGH
    } else {
        CAMERA_FRAME
    };
    let codes: Vec<FoundCode> =
        tem_scan::decode_rgba_with(rgba, width as usize, height as usize, effort)
            .unwrap_or_default()
            .into_iter()
            .map(|code| FoundCode {
                text: code.text,
                gs1: code.gs1,
            })
            .collect();
    serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into())
}
