//! The scanning loop: while the camera is live, hand the scan box of one frame at a time to the
//! decoding worker, throttled so a phone keeps its battery and the preview stays smooth.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlVideoElement;
use yew::prelude::*;

use crate::browser;
use crate::services::decoder::{self, DecodeError};
use crate::services::frames::FrameGrabber;

/// Pause between frames: about 6 decodes a second find a steady stamp quickly while leaving the
/// CPU mostly idle.
const FRAME_INTERVAL_MS: i32 = 150;
const FIRST_FRAME_POLL_MS: i32 = 30;

#[hook]
pub fn use_scan_loop(video: NodeRef, live: bool, on_code: Callback<String>) {
    use_effect_with(live, move |&live| {
        let running = Rc::new(Cell::new(live));
        if live {
            let running = Rc::clone(&running);
            spawn_local(async move {
                let Some(grabber) = FrameGrabber::new() else {
                    return;
                };
                let mut first_frame = true;
                while running.get() {
                    let Some(frame) = video
                        .cast::<HtmlVideoElement>()
                        .and_then(|v| grabber.grab(&v))
                    else {
                        // The video has no frame yet: look again soon.
                        browser::sleep(FIRST_FRAME_POLL_MS).await;
                        continue;
                    };
                    if std::mem::take(&mut first_frame) {
                        browser::mark("tem:first-frame");
                    }
                    match decoder::decode(frame, false).await {
                        Ok(found) => {
                            if let Some(code) = found.codes.into_iter().next()
                                && running.get()
                            {
                                running.set(false);
                                browser::mark("tem:code-found");
                                on_code.emit(code.text);
                            }
                        }
                        // Without workers there is nothing to retry; photo and typed code remain.
                        Err(DecodeError::NoWorker) => break,
                        Err(DecodeError::Crashed(_)) => {}
                    }
                    browser::sleep(FRAME_INTERVAL_MS).await;
                }
            });
        }
        move || running.set(false)
    });
}
