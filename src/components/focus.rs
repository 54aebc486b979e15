use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Focuses the view's first heading if focus was lost: the form or button that led to this
/// view is gone, and a keyboard user should go on from here, not from the top of the page.
/// Focus the shopper has put elsewhere meanwhile stays where it is.
pub fn focus_heading_if_lost(view: &NodeRef) {
    let lost = web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| {
            document
                .active_element()
                .is_none_or(|active| active.tag_name() == "BODY")
        });
    let heading = view
        .cast::<web_sys::Element>()
        .filter(|_| lost)
        .and_then(|view| view.query_selector("h2").ok().flatten())
        .and_then(|heading| heading.dyn_into::<HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.focus();
    }
}
