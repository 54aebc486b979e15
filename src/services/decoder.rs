//! The bridge to the decoding worker. Decoding runs in a Web Worker holding the decoder's own
//! wasm (`tem-decoder`), so the camera preview never stutters and pages that never scan never
//! download it. A decoder panic traps that instance; the
//! worker is then dropped and a fresh one started on the next frame, so scanning goes on.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ImageData, MessageEvent, Worker, WorkerOptions, WorkerType};

/// One code found in an image, as the worker reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundCode {
    pub text: String,
    pub gs1: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub codes: Vec<FoundCode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Workers or module workers are unavailable in this browser.
    NoWorker,
    /// The decoder crashed on this image; a new worker will take the next one.
    Crashed(String),
}

/// Requests the worker has not answered, by id: one or two at a time, so a list.
type Pending = Rc<RefCell<Vec<(u32, Function, Function)>>>;

fn take(pending: &Pending, id: u32) -> Option<(Function, Function)> {
    let mut pending = pending.borrow_mut();
    let index = pending.iter().position(|(waiting, ..)| *waiting == id)?;
    let (_, resolve, reject) = pending.swap_remove(index);
    Some((resolve, reject))
}

struct Bridge {
    worker: Worker,
    pending: Pending,
    next_id: Cell<u32>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static BRIDGE: RefCell<Option<Rc<Bridge>>> = const { RefCell::new(None) };
}

/// Decodes one image in the worker. The image's pixel buffer is transferred, not copied.
/// `thorough` spends every pass on it (a photo); otherwise only what a camera frame may cost.
pub async fn decode(image: ImageData, thorough: bool) -> Result<Found, DecodeError> {
    let bridge = bridge()?;
    let id = bridge.next_id.get().wrapping_add(1);
    bridge.next_id.set(id);
    let promise = Promise::new(&mut |resolve, reject| {
        bridge.pending.borrow_mut().push((id, resolve, reject));
    });
    let message = Object::new();
    let pixels = Reflect::get(&image, &"data".into()).map_err(crashed)?;
    let buffer = Reflect::get(&pixels, &"buffer".into()).map_err(crashed)?;
    for (key, value) in [
        ("id", JsValue::from(id)),
        ("width", image.width().into()),
        ("height", image.height().into()),
        ("data", buffer.clone()),
        ("thorough", thorough.into()),
    ] {
        Reflect::set(&message, &key.into(), &value).map_err(crashed)?;
    }
    if let Err(error) = bridge
        .worker
        .post_message_with_transfer(&message, &Array::of1(&buffer))
    {
        take(&bridge.pending, id);
        return Err(crashed(error));
    }
    let reply = JsFuture::from(promise).await.map_err(|error| {
        drop_bridge(&bridge);
        crashed(error)
    })?;
    Ok(read_reply(&reply))
}

/// The worker's `{codes: [{text, gs1}]}`, read field by field: a JSON parse of its own for
/// this would cost the page's wasm more than the reading does.
fn read_reply(reply: &JsValue) -> Found {
    let field = |object: &JsValue, name: &str| Reflect::get(object, &name.into()).ok();
    let codes = field(reply, "codes")
        .map(|codes| Array::from(&codes))
        .map(|codes| {
            codes
                .iter()
                .filter_map(|code| {
                    Some(FoundCode {
                        text: field(&code, "text")?.as_string()?,
                        gs1: field(&code, "gs1")
                            .and_then(|g| g.as_bool())
                            .unwrap_or(false),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Found { codes }
}

fn crashed(error: JsValue) -> DecodeError {
    DecodeError::Crashed(
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "worker failed".into()),
    )
}

fn bridge() -> Result<Rc<Bridge>, DecodeError> {
    BRIDGE.with(|slot| {
        if let Some(bridge) = slot.borrow().as_ref() {
            return Ok(Rc::clone(bridge));
        }
        let bridge = Rc::new(start_worker()?);
        *slot.borrow_mut() = Some(Rc::clone(&bridge));
        Ok(bridge)
    })
}

fn drop_bridge(bridge: &Rc<Bridge>) {
    BRIDGE.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot
            .as_ref()
            .is_some_and(|current| Rc::ptr_eq(current, bridge))
        {
            bridge.worker.terminate();
            *slot = None;
        }
    });
}

fn start_worker() -> Result<Bridge, DecodeError> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker =
        Worker::new_with_options("worker.js", &options).map_err(|_| DecodeError::NoWorker)?;
    let pending: Pending = Rc::default();
    let on_message = {
        let pending = Rc::clone(&pending);
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let id = Reflect::get(&data, &"id".into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(-1.0);
            let Some((resolve, reject)) = take(&pending, id as u32) else {
                return;
            };
            match Reflect::get(&data, &"codes".into()) {
                Ok(codes) if Array::is_array(&codes) => {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
                _ => {
                    let error = Reflect::get(&data, &"error".into()).unwrap_or(JsValue::NULL);
                    let _ = reject.call1(&JsValue::NULL, &error);
                }
            }
        })
    };
    let on_error = {
        let pending = Rc::clone(&pending);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
            for (_, _, reject) in pending.borrow_mut().drain(..) {
                let _ = reject.call1(&JsValue::NULL, &"the decoding worker stopped".into());
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Bridge {
        worker,
        pending,
        next_id: Cell::new(0),
        _on_message: on_message,
        _on_error: on_error,
    })
}
