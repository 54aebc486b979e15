//! Reading a code from a photo the shopper took or chose: the image is decoded on the device
//! by the worker's thorough pass, and the state says what came of it.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::Msg;
use crate::services::decoder;
use crate::services::frames::FrameGrabber;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PhotoState {
    Idle,
    Reading,
    NoCode,
    Unreadable,
}

impl PhotoState {
    /// The notice's class and message while a photo is read or after it failed.
    pub fn note(self) -> Option<(&'static str, Msg)> {
        match self {
            PhotoState::Idle => None,
            PhotoState::Reading => Some(("info", Msg::ReadingPhoto)),
            PhotoState::NoCode => Some(("warn", Msg::NoCodeInPhoto)),
            PhotoState::Unreadable => Some(("warn", Msg::PhotoUnreadable)),
        }
    }
}

/// The photo's state, and the `change` handler for a file input: the first code found goes
/// to `on_code`; a photo without one, or one the browser cannot open, says so.
#[hook]
pub fn use_photo(on_code: Callback<String>) -> (PhotoState, Callback<Event>) {
    let photo = use_state_eq(|| PhotoState::Idle);
    let on_change = {
        let photo = photo.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // The same photo chosen again is a new attempt, not "no change".
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
    (*photo, on_change)
}
