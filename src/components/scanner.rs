//! The live camera view with the scan box, and what to do when the camera is not available.

use yew::prelude::*;

use super::{tech_details, use_note};
use crate::hooks::{CameraState, Decoding, use_camera, use_scan_loop};
use crate::i18n::{Lang, Msg};

#[derive(Properties, PartialEq)]
pub struct ScannerProps {
    pub lang: Lang,
    pub on_code: Callback<String>,
    pub on_close: Callback<()>,
    /// What the camera is doing, for the page's one live region.
    pub on_note: Callback<Option<Msg>>,
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

    let (status, problem) = match &camera.state {
        CameraState::Asking => (Msg::CameraAsking, None),
        CameraState::Live | CameraState::Paused => match decoding {
            Decoding::Running => (Msg::ScanHint, None),
            Decoding::Restarting => (Msg::DecoderRestarting, None),
            Decoding::Stopped => (Msg::DecoderStopped, None),
        },
        CameraState::Denied => (Msg::CameraDenied, None),
        CameraState::NoCamera => (Msg::NoCamera, None),
        CameraState::Insecure => (Msg::CameraInsecure, None),
        // The browser's own words are English and technical: folded away.
        CameraState::Failed(why) => (Msg::CameraFailed, Some(why.clone())),
    };
    use_note(&props.on_note, Some(status));
    let live = camera.state == CameraState::Live;
    let t = |msg: Msg| msg.text(lang);

    html! {
        <section class="scanner">
            <div class={classes!("viewport", live.then_some("live"))}>
                <video ref={video} autoplay=true muted=true playsinline=true aria-hidden="true"></video>
                if live {
                    <div class="scan-box" aria-hidden="true"></div>
                }
            </div>
            <p class={if live { "hint" } else { "notice warn" }} data-testid="camera-status">{t(status)}</p>
            {for problem.map(|problem| tech_details(lang, problem))}
            <div class="scanner-actions">
                if let Some(on) = camera.torch {
                    // One name whatever its state: a toggle says "on" with aria-pressed.
                    <button onclick={camera.toggle_torch.reform(|_: MouseEvent| ())} aria-pressed={on.to_string()}>
                        {t(Msg::Torch)}
                    </button>
                }
                if camera.can_switch {
                    <button onclick={camera.switch_camera.reform(|_: MouseEvent| ())}>
                        {t(Msg::SwitchCamera)}
                    </button>
                }
                <button onclick={props.on_close.reform(|_: MouseEvent| ())}>{t(Msg::Close)}</button>
            </div>
        </section>
    }
}
