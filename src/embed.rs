//! The retailer's embed: `<tem-verify code="…">` (`www/embed.js`) mounts this in its shadow
//! root, and the iframe page `/embed` does the same. One code's verdict and product, nothing
//! else: no camera and no decoder, no scan counted (a product page is not a stamp in a
//! shopper's hand), and the host page's address and history are left alone.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AppHandle;
use yew::prelude::*;

use crate::components::CheckView;
use crate::hooks::{Counting, use_lookup};
use crate::i18n::{Lang, Msg};
use crate::state::{Action, Phase, State};

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub portal: AttrValue,
    pub lang: Lang,
    pub code: AttrValue,
}

#[function_component]
pub fn Embed(props: &EmbedProps) -> Html {
    let state = use_reducer({
        let lang = props.lang;
        move || State::new(lang)
    });
    {
        let state = state.dispatcher();
        use_effect_with(props.code.clone(), move |code| {
            state.dispatch(Action::Submit(code.to_string()));
        });
    }
    use_lookup(
        state.pending_lookup(),
        props.portal.clone(),
        Counting::View,
        state.dispatcher(),
    );
    let lang = props.lang;
    let full_page = full_page_url(&props.portal, &props.code);
    let body = match &state.phase {
        Phase::Checking(check) => html! {
            <CheckView {lang} check={Rc::clone(check)} portal={props.portal.clone()}
                on_again={Callback::noop()} on_code={Callback::noop()} full_page={Some(full_page)} />
        },
        Phase::Home | Phase::Scanning => html! {},
        Phase::Invalid { .. } | Phase::Elsewhere { .. } => html! {
            <p class="notice warn" role="alert">{Msg::EmbedNotAStamp.text(lang)}</p>
        },
    };
    html! {
        <div class="tem-app embed" lang={lang.code()}>{body}</div>
    }
}

/// The portal's own page for the code, where the whole journey is shown.
fn full_page_url(portal: &str, code: &str) -> AttrValue {
    let encoded = String::from(js_sys::encode_uri_component(code));
    format!("{}/?code={encoded}", portal.trim_end_matches('/')).into()
}

/// A mounted embed; `destroy` takes it off the page.
#[wasm_bindgen]
pub struct Embedded(AppHandle<Embed>);

#[wasm_bindgen]
impl Embedded {
    pub fn destroy(self) {
        self.0.destroy();
    }
}

/// Renders `code`'s verdict into `root` (a shadow root's container, or the iframe page's body),
/// asking `portal` (an origin).
#[wasm_bindgen]
pub fn mount_embed(root: Element, code: String, lang: String, portal: String) -> Embedded {
    let props = EmbedProps {
        portal: portal.into(),
        lang: Lang::from_code(&lang).unwrap_or_default(),
        code: code.into(),
    };
    Embedded(yew::Renderer::<Embed>::with_root_and_props(root, props).render())
}
