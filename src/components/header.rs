use yew::prelude::*;

use crate::i18n::{Lang, Msg};

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lang: Lang,
    pub on_lang: Callback<Lang>,
    pub on_home: Callback<()>,
}

#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let lang = props.lang;
    let switch = {
        let on_lang = props.on_lang.clone();
        Callback::from(move |_| on_lang.emit(lang.other()))
    };
    let home = props.on_home.reform(|_: MouseEvent| ());
    // The brand is the page's one top heading, so a screen reader's outline starts with what
    // the page is; its button's name starts with what it shows, and says where it leads.
    html! {
        <header class="bar">
            <h1 class="title">
                <button class="brand" onclick={home} title={Msg::BackToStart.text(lang)}>
                    <span class="brand-mark" aria-hidden="true">{"✓"}</span>
                    <span>{"tem"}</span>
                    <small>{Msg::Tagline.text(lang)}</small>
                </button>
            </h1>
            <button class="lang" onclick={switch} lang={lang.other().code()} data-testid="lang">
                {Msg::OtherLanguage.text(lang)}
            </button>
        </header>
    }
}
