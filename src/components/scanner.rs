//! The live camera view with the scan box, and what to do when the camera is not available.

use yew::prelude::*;

use crate::hooks::{CameraState, Decoding, use_camera, use_scan_loop};
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct ScannerProps {
    pub lang: Lang,
    pub on_code: Callback<String>,
    pub on_close: Callback<()>,
}

#[function_component]
pub fn Scanner(props: &ScannerProps) -> Html {
    let lang = props.lang;
    let video = use_node_ref();
    let camera = use_camera(video.clone());
    let decoding = use_scan_loop(
        video.clone(),
        camera.state == CameraState::Live,
        props.on_code.clone(),
    );

    let status = match &camera.state {
        CameraState::Asking => Some(lang.t(
            "Vui lòng cho phép dùng camera để quét tem.",
            "Please allow the camera to scan the stamp.",
        )
        .to_string()),
        CameraState::Live | CameraState::Paused => match decoding {
            Decoding::Running => None,
            Decoding::Restarting => Some(lang.t(
                "Bộ giải mã gặp lỗi, đang khởi động lại…",
                "The decoder failed; starting it again…",
            ).to_string()),
            Decoding::Stopped => Some(lang.t(
                "Không quét được trên trình duyệt này. Hãy chọn ảnh tem hoặc nhập mã.",
                "Scanning does not work in this browser. Choose a photo of the stamp or type the code.",
            ).to_string()),
        },
        CameraState::Denied => Some(lang.t(
            "Camera đã bị chặn. Bấm vào biểu tượng ổ khóa cạnh địa chỉ trang, chọn Quyền → Camera → Cho phép, rồi tải lại trang. Hoặc dùng ảnh chụp / nhập mã bên dưới.",
            "The camera is blocked. Tap the lock icon next to the address, choose Permissions → Camera → Allow, then reload. Or use a photo / type the code below.",
        )
        .to_string()),
        CameraState::NoCamera => Some(lang.t(
            "Không tìm thấy camera trên thiết bị này. Hãy chọn ảnh tem hoặc nhập mã.",
            "No camera found on this device. Choose a photo of the stamp or type the code.",
        )
        .to_string()),
        CameraState::Insecure => Some(lang.t(
            "Trình duyệt chỉ cho dùng camera trên trang HTTPS. Hãy mở trang bằng https:// hoặc chọn ảnh tem.",
            "Browsers only allow the camera on HTTPS pages. Open this page over https:// or choose a photo.",
        )
        .to_string()),
        CameraState::Failed(why) => Some(match lang {
            Lang::Vi => format!("Không mở được camera ({why}). Có thể ứng dụng khác đang dùng camera."),
            Lang::En => format!("Could not open the camera ({why}). Another app may be using it."),
        }),
    };
    let live = camera.state == CameraState::Live;

    html! {
        <section class="scanner" aria-live="polite">
            <div class={classes!("viewport", live.then_some("live"))}>
                <video ref={video} autoplay=true muted=true playsinline=true aria-hidden="true"></video>
                if live {
                    <div class="scan-box" aria-hidden="true"></div>
                }
            </div>
            if let Some(status) = status {
                <p class="notice warn" role="status">{status}</p>
            } else {
                <p class="hint" role="status">{lang.t(
                    "Đưa mã QR trên tem vào khung. Giữ yên máy trong giây lát.",
                    "Fit the stamp's QR code inside the frame and hold still.",
                )}</p>
            }
            <div class="scanner-actions">
                if let Some(on) = camera.torch {
                    <button onclick={camera.toggle_torch.reform(|_: MouseEvent| ())} aria-pressed={on.to_string()}>
                        {if on { lang.t("Tắt đèn", "Light off") } else { lang.t("Bật đèn", "Light on") }}
                    </button>
                }
                if camera.can_switch {
                    <button onclick={camera.switch_camera.reform(|_: MouseEvent| ())}>
                        {lang.t("Đổi camera", "Switch camera")}
                    </button>
                }
                <button onclick={props.on_close.reform(|_: MouseEvent| ())}>{lang.t("Đóng", "Close")}</button>
            </div>
        </section>
    }
}
