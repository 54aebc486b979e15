//! The decoding worker's wasm (`www/worker.js` loads it): tem-scan behind one entry point.
//!
//! It is its own download so that a page which only shows a record — a deep link, a
//! retailer's embed — never fetches the QR decoder; the scanner's worker fetches it when the
//! camera or a photo first needs it.

use serde::Serialize;
use tem_scan::Effort;
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// One code found in an image, as the worker reports it to the page.
#[derive(Debug, Serialize)]
struct FoundCode {
    text: String,
    gs1: bool,
}

/// Decodes the QR codes in an RGBA image; answers a JSON array of `{text, gs1}`. A photo is
/// `thorough` (every pass: the shopper waits for it once); a camera frame gets
/// [`Effort::CAMERA`], since the next frame, a moment later, is the next chance.
#[wasm_bindgen]
pub fn decode_frame(rgba: &[u8], width: u32, height: u32, thorough: bool) -> String {
    let effort = if thorough {
        Effort::THOROUGH
    } else {
        Effort::CAMERA
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
