//! Small wrappers over browser APIs that several parts of the widget need.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Lang, Msg};

pub const LANG_KEY: &str = "tem.lang";

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A `performance.mark`, so benchmarks can time the path from camera frame to verdict.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Takes away the view of a deep link's check the portal rendered into the widget's page
/// (`first_view`), once the widget's own check is on screen. Only there: an embed's host page
/// may use the class name for anything of its own.
pub fn remove_first_view() {
    let document = web_sys::window().and_then(|w| w.document());
    let first = document.and_then(|d| d.query_selector("#tem > .first-view").ok().flatten());
    if let Some(view) = first {
        view.remove();
    }
}

/// The text of the page's element `id`, which is then removed: data the page came with, for
/// one use.
pub fn take_text(id: &str) -> Option<String> {
    let element = web_sys::window()?.document()?.get_element_by_id(id)?;
    let text = element.text_content();
    element.remove();
    text
}

/// The page's origin (`https://host:port`).
pub fn origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// `?code=` of the page's URL: how enterprises link straight to a result.
pub fn code_from_location() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("code").filter(|code| !code.trim().is_empty())
}

/// Puts the code being checked in the address bar so the result can be shared or reloaded.
pub fn show_code_in_location(code: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&window.location().href().unwrap_or_default()) else {
        return;
    };
    match code {
        Some(code) => url.search_params().set("code", code),
        None => url.search_params().delete("code"),
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()));
    }
}

/// A value kept on this device (localStorage); None when storage is off or empty.
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Keeps a value on this device; a browser that refuses (private mode, full) just forgets.
pub fn store(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

/// The browser's clock in unix seconds.
pub fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// The languages the browser asks for, most wanted first.
pub fn languages() -> Vec<String> {
    web_sys::window().map_or_else(Vec::new, |window| {
        window
            .navigator()
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect()
    })
}

/// Remembers the shopper's choice of language for the next visit.
pub fn save_lang(lang: Lang) {
    store(LANG_KEY, lang.code());
    show_lang(lang);
}

/// Tells the browser (and screen readers) which language the page is in, and titles the
/// page in it.
pub fn show_lang(lang: Lang) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
    document.set_title(Msg::PageTitle.text(lang));
}

/// A 2-D context that the page reads pixels back from often.
pub fn reading_context(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE).ok()?;
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()
}

pub fn new_canvas(width: u32, height: u32) -> Option<web_sys::HtmlCanvasElement> {
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}
