//! Whether the page is in front of the shopper: a hidden tab neither films nor decodes.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}

#[hook]
pub fn use_page_visible() -> bool {
    let visible = use_state_eq(page_visible);
    {
        let visible = visible.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let listener = Closure::<dyn FnMut()>::new(move || visible.set(page_visible()));
            if let Some(document) = &document {
                let _ = document.add_event_listener_with_callback(
                    "visibilitychange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(document) = &document {
                    let _ = document.remove_event_listener_with_callback(
                        "visibilitychange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    *visible
}
