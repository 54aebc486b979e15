use yew::prelude::*;

use crate::i18n::Lang;

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
    html! {
        <header class="bar">
            <button class="brand" onclick={home} aria-label={lang.t("Về trang đầu", "Back to start")}>
                <span class="brand-mark" aria-hidden="true">{"✓"}</span>
                <span>{"tem"}</span>
                <small>{lang.t("Kiểm tra tem truy xuất nguồn gốc", "Check a traceability stamp")}</small>
            </button>
            <button class="lang" onclick={switch} lang={lang.other().code()}
                aria-label={lang.t("Switch to English", "Chuyển sang tiếng Việt")}>
                {lang.t("EN", "VI")}
            </button>
        </header>
    }
}
