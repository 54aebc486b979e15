//! The start screen: scan with the camera, or fall back to a photo or a typed-in code.

use tem_core::scan::PROVINCES;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::use_note;
use crate::browser;
use crate::hooks::{PROVINCE_KEY, use_photo};
use crate::i18n::{Lang, Msg};

#[derive(Properties, PartialEq)]
pub struct EntryProps {
    pub lang: Lang,
    pub on_scan: Callback<()>,
    pub on_code: Callback<String>,
    /// What the photo's reading came to, for the page's one live region.
    pub on_note: Callback<Option<Msg>>,
}

#[function_component]
pub fn Entry(props: &EntryProps) -> Html {
    let lang = props.lang;
    let typed = use_state(String::new);
    let (photo, on_photo) = use_photo(props.on_code.clone());
    let province = use_state(|| browser::stored(PROVINCE_KEY).unwrap_or_default());
    let on_province = {
        let province = province.clone();
        Callback::from(move |event: Event| {
            let chosen = event.target_unchecked_into::<HtmlSelectElement>().value();
            browser::store(PROVINCE_KEY, &chosen);
            province.set(chosen);
        })
    };
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            typed.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_submit = {
        let (typed, on_code) = (typed.clone(), props.on_code.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if !typed.trim().is_empty() {
                on_code.emit((*typed).clone());
            }
        })
    };
    let photo_message = photo.note();
    use_note(&props.on_note, photo_message.map(|(_, msg)| msg));
    // File inputs cannot be styled as buttons that take focus; real buttons open them.
    let (camera_input, file_input) = (use_node_ref(), use_node_ref());
    let open = |input: &NodeRef| {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let t = |msg: Msg| msg.text(lang);

    html! {
        <section class="entry">
            <p class="lead">{t(Msg::Lead)}</p>
            <button class="primary big" onclick={props.on_scan.reform(|_: MouseEvent| ())}>
                {t(Msg::ScanWithCamera)}
            </button>
            <div class="or">{t(Msg::Or)}</div>
            <div class="photo-row">
                <button type="button" onclick={open(&camera_input)}>{t(Msg::TakePhoto)}</button>
                <button type="button" onclick={open(&file_input)}>{t(Msg::ChoosePhoto)}</button>
                <input ref={camera_input} type="file" accept="image/*" capture="environment" onchange={on_photo.clone()} hidden=true />
                <input ref={file_input} type="file" accept="image/*" onchange={on_photo} hidden=true data-testid="photo-input" />
            </div>
            if let Some((class, msg)) = photo_message {
                <p class={classes!("notice", class)} data-testid="photo-note">{t(msg)}</p>
            }
            <form class="manual" onsubmit={on_submit}>
                <label for="code">{t(Msg::TypeCode)}</label>
                <div class="manual-row">
                    <input id="code" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                        placeholder={t(Msg::CodeExample)}
                        value={(*typed).clone()} oninput={on_input} />
                    <button type="submit" class="primary">{t(Msg::Check)}</button>
                </div>
            </form>
            <div class="province">
                <label for="province">{t(Msg::Province)}</label>
                <select id="province" onchange={on_province}>
                    <option value="" selected={province.is_empty()}>{t(Msg::DontShare)}</option>
                    { for PROVINCES.iter().map(|name| html! {
                        <option value={*name} selected={*province == *name}>{*name}</option>
                    }) }
                </select>
            </div>
            <p class="privacy">{t(Msg::Privacy)}</p>
        </section>
    }
}
