//! The start screen: scan with the camera, or fall back to a photo or a typed-in code.

use tem_core::scan::PROVINCES;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::browser;
use crate::hooks::PROVINCE_KEY;
use crate::i18n::Lang;
use crate::services::decoder;
use crate::services::frames::FrameGrabber;

#[derive(Properties, PartialEq)]
pub struct EntryProps {
    pub lang: Lang,
    pub on_scan: Callback<()>,
    pub on_code: Callback<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum PhotoState {
    Idle,
    Reading,
    NoCode,
    Unreadable,
}

#[function_component]
pub fn Entry(props: &EntryProps) -> Html {
    let lang = props.lang;
    let typed = use_state(String::new);
    let photo = use_state_eq(|| PhotoState::Idle);

    let on_photo = {
        let (photo, on_code) = (photo.clone(), props.on_code.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let (photo, on_code) = (photo.clone(), on_code.clone());
            photo.set(PhotoState::Reading);
            spawn_local(async move {
                let image = match FrameGrabber::new() {
                    Some(grabber) => grabber.grab_file(&file).await,
                    None => None,
                };
                let Some(image) = image else {
                    photo.set(PhotoState::Unreadable);
                    return;
                };
                match decoder::decode(image, true)
                    .await
                    .map(|found| found.codes.into_iter().next())
                {
                    Ok(Some(code)) => {
                        photo.set(PhotoState::Idle);
                        on_code.emit(code.text);
                    }
                    Ok(None) => photo.set(PhotoState::NoCode),
                    Err(_) => photo.set(PhotoState::Unreadable),
                }
            });
        })
    };
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
    let photo_message = match *photo {
        PhotoState::Idle => None,
        PhotoState::Reading => Some(("info", lang.t("Đang đọc ảnh…", "Reading the photo…"))),
        PhotoState::NoCode => Some((
            "warn",
            lang.t(
                "Không tìm thấy mã QR trong ảnh. Hãy chụp gần hơn, đủ sáng và không bị lóa.",
                "No QR code found in the photo. Try closer, in good light, without glare.",
            ),
        )),
        PhotoState::Unreadable => Some((
            "warn",
            lang.t("Không mở được ảnh này.", "This image could not be opened."),
        )),
    };

    html! {
        <section class="entry">
            <p class="lead">{lang.t(
                "Quét mã QR trên tem để xem sản phẩm được sản xuất, chế biến và phân phối thế nào — và tem có đáng tin không.",
                "Scan the QR code on the stamp to see how the product was made, processed and distributed — and whether the stamp can be trusted.",
            )}</p>
            <button class="primary big" onclick={props.on_scan.reform(|_: MouseEvent| ())}>
                {lang.t("Quét tem bằng camera", "Scan with the camera")}
            </button>
            <div class="or">{lang.t("hoặc", "or")}</div>
            <div class="photo-row">
                <label class="button">
                    {lang.t("Chụp ảnh tem", "Take a photo")}
                    <input type="file" accept="image/*" capture="environment" onchange={on_photo.clone()} hidden=true />
                </label>
                <label class="button">
                    {lang.t("Chọn ảnh có sẵn", "Choose a photo")}
                    <input type="file" accept="image/*" onchange={on_photo} hidden=true data-testid="photo-input" />
                </label>
            </div>
            if let Some((class, text)) = photo_message {
                <p class={classes!("notice", class)} role="status">{text}</p>
            }
            <form class="manual" onsubmit={on_submit}>
                <label for="code">{lang.t("Hoặc nhập mã in dưới tem", "Or type the code printed under the stamp")}</label>
                <div class="manual-row">
                    <input id="code" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                        placeholder={lang.t("VD: 8936012345674", "e.g. 8936012345674")}
                        value={(*typed).clone()} oninput={on_input} />
                    <button type="submit" class="primary">{lang.t("Kiểm tra", "Check")}</button>
                </div>
            </form>
            <div class="province">
                <label for="province">{lang.t(
                    "Tỉnh/thành nơi bạn mua (không bắt buộc): giúp phát hiện tem bị sao chép ở nơi khác",
                    "Province where you shop (optional): helps spot stamps copied elsewhere",
                )}</label>
                <select id="province" onchange={on_province}>
                    <option value="" selected={province.is_empty()}>{lang.t("Không chia sẻ", "Don't share")}</option>
                    { for PROVINCES.iter().map(|name| html! {
                        <option value={*name} selected={*province == *name}>{*name}</option>
                    }) }
                </select>
            </div>
            <p class="privacy">{lang.t(
                "Hình ảnh từ camera chỉ được xử lý trên máy của bạn, không gửi đi đâu. Mỗi lần kiểm tra tem có số sê-ri được đếm (chỉ thời điểm, và tỉnh nếu bạn chọn).",
                "Camera images are processed on your device only and never sent anywhere. Each check of a serialised stamp is counted (only the time, and the province if you chose one).",
            )}</p>
        </section>
    }
}
