//! Opening the rear camera, with every state a shopper can meet: asking for permission, denied,
//! no camera, page not on HTTPS, camera busy; plus torch and camera switch where supported.
//! The camera is released whenever the page is hidden and opened again when it is back.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamTrack};
use yew::prelude::*;

use super::use_page_visible;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraState {
    /// Waiting for the shopper to allow the camera.
    Asking,
    Live,
    /// The page is hidden: the camera is off until the shopper is back.
    Paused,
    Denied,
    NoCamera,
    /// Browsers only give the camera to HTTPS pages (and localhost).
    Insecure,
    /// Another app holds the camera, or the browser failed in another way.
    Failed(String),
}

#[derive(Clone, PartialEq)]
pub struct Camera {
    pub state: CameraState,
    /// Some(on) when the device has a torch the page may switch.
    pub torch: Option<bool>,
    pub can_switch: bool,
    pub toggle_torch: Callback<()>,
    pub switch_camera: Callback<()>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facing {
    Environment,
    User,
}

#[hook]
pub fn use_camera(video: NodeRef) -> Camera {
    let state = use_state_eq(|| CameraState::Asking);
    let torch = use_state_eq(|| None::<bool>);
    let can_switch = use_state_eq(|| false);
    let facing = use_state_eq(|| Facing::Environment);
    let stream = use_mut_ref(|| None::<MediaStream>);
    let visible = use_page_visible();

    {
        let (state, torch, can_switch, stream) = (
            state.clone(),
            torch.clone(),
            can_switch.clone(),
            stream.clone(),
        );
        use_effect_with((*facing, visible), move |&(facing, visible)| {
            let cancelled = Rc::new(Cell::new(false));
            if visible {
                let cancelled = Rc::clone(&cancelled);
                let stream = stream.clone();
                spawn_local(async move {
                    state.set(CameraState::Asking);
                    match open(facing).await {
                        Ok(opened) if cancelled.get() => stop(&opened),
                        Ok(opened) => {
                            // Held before `play()` is awaited, so a close while the preview
                            // starts finds the stream and stops it. `Clone::clone` copies the
                            // handle: `MediaStream`'s own `clone()` would open new tracks.
                            *stream.borrow_mut() = Some(Clone::clone(&opened));
                            if let Some(video) = video.cast::<HtmlVideoElement>() {
                                video.set_src_object(Some(&opened));
                                if let Ok(playing) = video.play() {
                                    let _ = JsFuture::from(playing).await;
                                }
                            }
                            if cancelled.get() {
                                stop(&opened);
                                return;
                            }
                            torch.set(track(&opened).filter(has_torch).map(|_| false));
                            state.set(CameraState::Live);
                            can_switch.set(video_inputs().await > 1);
                        }
                        Err(failure) => state.set(failure),
                    }
                });
            } else {
                state.set(CameraState::Paused);
            }
            move || {
                cancelled.set(true);
                if let Some(opened) = stream.borrow_mut().take() {
                    stop(&opened);
                }
            }
        });
    }

    let toggle_torch = {
        let (torch, stream) = (torch.clone(), stream.clone());
        Callback::from(move |()| {
            let Some(on) = *torch else { return };
            if let Some(track) = stream.borrow().as_ref().and_then(track)
                && set_torch(&track, !on).is_some()
            {
                torch.set(Some(!on));
            }
        })
    };
    let switch_camera = {
        let facing = facing.clone();
        Callback::from(move |()| {
            facing.set(match *facing {
                Facing::Environment => Facing::User,
                Facing::User => Facing::Environment,
            })
        })
    };
    Camera {
        state: (*state).clone(),
        torch: *torch,
        can_switch: *can_switch,
        toggle_torch,
        switch_camera,
    }
}

async fn open(facing: Facing) -> Result<MediaStream, CameraState> {
    let window = web_sys::window().ok_or_else(|| CameraState::Failed("no window".into()))?;
    if !window.is_secure_context() {
        return Err(CameraState::Insecure);
    }
    let devices = window
        .navigator()
        .media_devices()
        .map_err(|_| CameraState::NoCamera)?;
    let constraints = js_object(&[
        ("audio", JsValue::FALSE),
        (
            "video",
            js_object(&[
                (
                    "facingMode",
                    js_object(&[(
                        "ideal",
                        match facing {
                            Facing::Environment => "environment",
                            Facing::User => "user",
                        }
                        .into(),
                    )]),
                ),
                ("width", js_object(&[("ideal", 1280.into())])),
                ("height", js_object(&[("ideal", 720.into())])),
            ]),
        ),
    ]);
    let request = devices
        .get_user_media_with_constraints(constraints.unchecked_ref())
        .map_err(|error| failure(&error))?;
    let stream = JsFuture::from(request)
        .await
        .map_err(|error| failure(&error))?;
    stream
        .dyn_into()
        .map_err(|_| CameraState::Failed("not a media stream".into()))
}

fn failure(error: &JsValue) -> CameraState {
    let name = Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" | "PermissionDeniedError" | "SecurityError" => CameraState::Denied,
        "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" => CameraState::NoCamera,
        _ => CameraState::Failed(
            Reflect::get(error, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or(name),
        ),
    }
}

fn js_object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

fn track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

// `torch` is not in the typed constraint dictionaries yet, so it is read and set by name.
fn has_torch(track: &MediaStreamTrack) -> bool {
    let capabilities = Reflect::get(track, &"getCapabilities".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(track).ok());
    capabilities
        .and_then(|c| Reflect::get(&c, &"torch".into()).ok())
        .is_some_and(|torch| torch.is_truthy())
}

fn set_torch(track: &MediaStreamTrack, on: bool) -> Option<()> {
    let advanced = Array::of1(&js_object(&[("torch", on.into())]));
    let constraints = js_object(&[("advanced", advanced.into())]);
    track
        .apply_constraints_with_constraints(constraints.unchecked_ref())
        .ok()
        .map(|_| ())
}

async fn video_inputs() -> u32 {
    let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else {
        return 0;
    };
    let Ok(listing) = devices.enumerate_devices() else {
        return 0;
    };
    let Ok(list) = JsFuture::from(listing).await else {
        return 0;
    };
    Array::from(&list)
        .iter()
        .filter(|device| {
            Reflect::get(device, &"kind".into())
                .ok()
                .and_then(|k| k.as_string())
                .as_deref()
                == Some("videoinput")
        })
        .count() as u32
}
