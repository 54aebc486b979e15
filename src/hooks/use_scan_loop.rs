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
/// A worker that fails this many times in a row (it cannot load, or every frame kills it) is
/// not started again: photo and typed code remain. The waits between tries double, from one
/// frame interval, so a broken decoder costs a few seconds of tries rather than a loop.
const MAX_CRASHES_IN_A_ROW: u32 = 5;

/// How the decoding worker is doing, for the scanner to tell the shopper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Running,
    /// The worker failed and is being started again after a wait.
    Restarting,
    /// The worker cannot run here; scanning stopped.
    Stopped,
}

#[hook]
pub fn use_scan_loop(video: NodeRef, live: bool, on_code: Callback<String>) -> Decoding {
    let decoding = use_state_eq(|| Decoding::Running);
    {
        let decoding = decoding.clone();
        use_effect_with(live, move |&live| {
            let running = Rc::new(Cell::new(live));
            if live {
                let running = Rc::clone(&running);
                spawn_local(async move {
                    let Some(grabber) = FrameGrabber::new() else {
                        return;
                    };
                    let mut first_frame = true;
                    let mut crashes = 0;
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
                        let wait = match decoder::decode(frame, false).await {
                            Ok(found) => {
                                crashes = 0;
                                decoding.set(Decoding::Running);
                                if let Some(code) = found.codes.into_iter().next()
                                    && running.get()
                                {
                                    running.set(false);
                                    browser::mark("tem:code-found");
                                    on_code.emit(code.text);
                                }
                                FRAME_INTERVAL_MS
                            }
                            Err(DecodeError::NoWorker) => {
                                decoding.set(Decoding::Stopped);
                                break;
                            }
                            Err(DecodeError::Crashed(_)) => {
                                crashes += 1;
                                if crashes >= MAX_CRASHES_IN_A_ROW {
                                    decoding.set(Decoding::Stopped);
                                    break;
                                }
                                decoding.set(Decoding::Restarting);
                                FRAME_INTERVAL_MS << crashes
                            }
                        };
                        browser::sleep(wait).await;
                    }
                });
            }
            move || running.set(false)
        });
    }
    *decoding
}
