//! The tem widget: a Yew app that scans a traceability stamp on the device, fetches its trace
//! record and shows the product's story with a fail-closed verdict.
//!
//! The QR decoder is not in this wasm: the scanner's worker (`www/worker.js`) loads
//! `tem-decoder`'s, so a page that only shows a record never downloads it.

mod app;
mod browser;
mod components;
mod embed;
#[cfg(feature = "ssr")]
pub mod first_view;
mod hooks;
mod i18n;
mod lookup;
mod services;
mod state;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::app::{App, AppProps};
use crate::i18n::Lang;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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
    let lang = Lang::pick(
        browser::stored(browser::LANG_KEY).as_deref(),
        data("data-lang").as_deref(),
        browser::languages().iter().map(String::as_str),
    );
    browser::show_lang(lang);
    let props = AppProps {
        portal: data("data-portal").unwrap_or_default().into(),
        lang,
        code: browser::code_from_location()
            .or_else(|| data("data-code"))
            .map(Into::into),
    };
    // Yew empties the element it mounts on: the app gets one of its own, so a first view the
    // portal put in the page stays until the widget's own verdict takes its place.
    let host = document.create_element("div")?;
    root.append_child(&host)?;
    yew::Renderer::<App>::with_root_and_props(host, props).render();
    Ok(())
}
