//! Browser tests of the widget's glue, in headless Chromium (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const STAMP: &str = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Mounts the widget on a fresh `#tem` with the given attributes and waits for `selector`.
async fn mount_and_wait(attributes: &[(&str, &str)], selector: &str) -> web_sys::Element {
    let window = web_sys::window().unwrap();
    // A previous test's code is still in the address bar, and a deep link wins over data-code.
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let document = window.document().unwrap();
    if let Some(old) = document.get_element_by_id("tem") {
        old.remove();
    }
    let root = document.create_element("div").unwrap();
    root.set_id("tem");
    for (name, value) in attributes {
        root.set_attribute(name, value).unwrap();
    }
    document.body().unwrap().append_child(&root).unwrap();
    tem::run_app().unwrap();
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        sleep(50).await;
    }
    panic!("{selector} never appeared; page: {}", root.inner_html());
}

#[wasm_bindgen_test]
async fn an_unreachable_portal_gives_a_cautious_verdict_not_an_authentic_one() {
    // Nothing listens on the discard port, so the lookup fails as it would offline.
    let verdict = mount_and_wait(
        &[
            ("data-portal", "http://127.0.0.1:9"),
            ("data-code", STAMP),
            ("data-lang", "en"),
        ],
        "[data-testid=verdict]",
    )
    .await;
    assert_eq!(
        verdict.get_attribute("data-state").as_deref(),
        Some("caution")
    );
    let text = verdict.text_content().unwrap_or_default();
    assert!(text.contains("could not be loaded"), "{text}");
}

#[wasm_bindgen_test]
async fn markup_in_a_code_is_shown_as_text() {
    let hostile = "<img src=x onerror=alert(1)>";
    let raw = mount_and_wait(&[("data-code", hostile)], "pre.raw").await;
    assert_eq!(raw.text_content().as_deref(), Some(hostile));
    let root = raw.closest("#tem").unwrap().unwrap();
    assert!(root.query_selector("img[src=x]").unwrap().is_none());
    let _: web_sys::HtmlElement = raw.dyn_into().unwrap();
}
