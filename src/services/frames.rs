//! Turning camera frames and photos into the pixels the decoder reads.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, ImageData};

use crate::browser;

/// Share of the shorter video side covered by the scan box drawn over the preview.
pub const SCAN_BOX: f64 = 0.8;
/// Largest side handed to the decoder for camera frames: the canvas scales smoothly to the
/// camera frame the decoder's camera pass is sized for, instead of the decoder halving it by
/// whole factors.
const MAX_FRAME_SIDE: f64 = tem_scan::CAMERA_FRAME.0 as f64;
/// Photos are sharper and the shopper waits for them once, so more pixels are worth it.
const MAX_PHOTO_SIDE: f64 = 1600.0;

/// Reuses one canvas across frames; allocating one per frame churns memory on phones.
pub struct FrameGrabber {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
}

impl FrameGrabber {
    pub fn new() -> Option<Self> {
        let canvas = browser::new_canvas(1, 1)?;
        let context = browser::reading_context(&canvas)?;
        Some(FrameGrabber { canvas, context })
    }

    /// The scan-box region of the current video frame, down-scaled; None before the first frame.
    pub fn grab(&self, video: &HtmlVideoElement) -> Option<ImageData> {
        let (width, height) = (
            f64::from(video.video_width()),
            f64::from(video.video_height()),
        );
        if video.ready_state() < 2 || width < 1.0 || height < 1.0 {
            return None;
        }
        let side = width.min(height) * SCAN_BOX;
        let (x, y) = ((width - side) / 2.0, (height - side) / 2.0);
        let out = side.min(MAX_FRAME_SIDE).round();
        self.resize(out, out);
        self.context
            .draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                video, x, y, side, side, 0.0, 0.0, out, out,
            )
            .ok()?;
        self.context.get_image_data(0.0, 0.0, out, out).ok()
    }

    /// The whole photo, down-scaled to a size the decoder handles in bounded time.
    pub async fn grab_file(&self, file: &web_sys::File) -> Option<ImageData> {
        let promise = web_sys::window()?
            .create_image_bitmap_with_blob(file)
            .ok()?;
        let bitmap: web_sys::ImageBitmap = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
        let scale = (MAX_PHOTO_SIDE / width.max(height)).min(1.0);
        let (out_w, out_h) = (
            (width * scale).round().max(1.0),
            (height * scale).round().max(1.0),
        );
        self.resize(out_w, out_h);
        let drawn = self
            .context
            .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, out_w, out_h)
            .ok();
        bitmap.close();
        drawn?;
        self.context.get_image_data(0.0, 0.0, out_w, out_h).ok()
    }

    fn resize(&self, width: f64, height: f64) {
        if f64::from(self.canvas.width()) != width || f64::from(self.canvas.height()) != height {
            self.canvas.set_width(width as u32);
            self.canvas.set_height(height as u32);
        }
    }
}
