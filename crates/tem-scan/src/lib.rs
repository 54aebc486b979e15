//! Image in, QR payloads out: our own finder search, then rqrr's grid search behind a few
//! pre-processing passes, tried in order of cost and stopped at the first pass that reads
//! something, so a typical frame costs one pass.
//! No browser dependency: the widget's worker, the CLI and the tests all call this.

use std::fmt;

#[cfg(test)]
mod camera_tests;
mod locate;
mod passes;
mod prepare;
mod qr;
mod sample;
#[cfg(test)]
mod testing;
mod text;

#[cfg(panic = "unwind")]
pub use passes::quiet_rqrr_panics;
use passes::{ALL_PASSES, decode_reduced};

/// A QR code read from an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// The payload as encoded; for GS1 codes, the element string with GS (0x1D) separators.
    pub bytes: Vec<u8>,
    /// `bytes` as text, in the charset the code declared (ECI or Hanzi mode), else UTF-8 when
    /// valid, else Shift JIS (feature `cjk`) when valid, else ISO 8859-1.
    pub text: String,
    /// Top-left, top-right, bottom-right, bottom-left, in image pixels.
    pub corners: [[f32; 2]; 4],
    /// True for GS1 (FNC1 in first position) codes.
    pub gs1: bool,
    /// AIM symbology identifier: `]Q1` plain, `]Q2` with ECI, `]Q3`/`]Q4` GS1 without/with
    /// ECI, `]Q5`/`]Q6` FNC1 in second position (AIM application) without/with ECI.
    pub symbology: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScanError {
    /// The buffer does not hold width × height pixels of the stated format.
    BadBuffer { expected: usize, found: usize },
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::BadBuffer { expected, found } => {
                write!(f, "image buffer holds {found} bytes, expected {expected}")
            }
        }
    }
}

impl std::error::Error for ScanError {}

/// Larger images are down-scaled first: past this many pixels on the long side a stamp's
/// modules are many pixels wide anyway, and rqrr's time grows with the area.
const MAX_SIDE: usize = 1600;

/// Decodes an RGBA (8 bits per channel) image with every pass (`Effort::THOROUGH`).
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Result<Vec<Code>, ScanError> {
    decode_rgba_with(rgba, width, height, Effort::THOROUGH)
}

/// Decodes an RGBA (8 bits per channel) image within `effort`, e.g. a camera frame with
/// `Effort::CAMERA`.
pub fn decode_rgba_with(
    rgba: &[u8],
    width: usize,
    height: usize,
    effort: Effort,
) -> Result<Vec<Code>, ScanError> {
    let expected = width.saturating_mul(height).saturating_mul(4);
    if rgba.len() != expected {
        return Err(ScanError::BadBuffer {
            expected,
            found: rgba.len(),
        });
    }
    // Integer BT.601 luma (the weights the camera's own encoder used), taken while reducing so
    // a camera frame is read once and no full-size grey copy is made.
    let luma_row = |y: usize, row: &mut [u8]| {
        let pixels = rgba[4 * width * y..4 * width * (y + 1)].chunks_exact(4);
        for (grey, p) in row.iter_mut().zip(pixels) {
            *grey =
                ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8) as u8;
        }
    };
    Ok(decode_reduced(width, height, effort, luma_row))
}

/// The camera frame the camera pass is sized for, width × height: the widget grabs frames
/// no larger, the CLI's `--frame` fits images into it, and the tests draw their frames at it.
pub const CAMERA_FRAME: (usize, usize) = (640, 480);

/// How much work one call may do: passes (one binarisation, finder search and decode of the
/// working image; the cheapest come first) on an image at most `max_side` pixels long, larger
/// ones being reduced by a whole factor first. Both bound time without a clock (there is
/// none in wasm32): a pass's cost follows the working image's area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    pub max_passes: usize,
    pub max_side: usize,
}

impl Effort {
    /// Every pass: for a photo, where reading the code matters more than time.
    pub const THOROUGH: Effort = Effort {
        max_passes: ALL_PASSES,
        max_side: MAX_SIDE,
    };
    /// What one frame of the widget's camera may cost: the first pass on at most the long
    /// side of `CAMERA_FRAME` (a whole frame, or the widget's scan box of a 720p one, read
    /// without halving it: dense codes need every pixel), and where it saw a finder but read
    /// nothing, a second look through one global level and a third at a smoothed copy, so a
    /// frame never holds up the preview; the next frame is another chance. The third look
    /// read 6 more of the 420 synthetic frames (over- and under-exposed ones); rqrr's search
    /// as a fourth read 5 more and 5 of the corpus's scan-box crops, but put the scan box's
    /// p95 in Chromium over 20 ms. The CLI's `--frame`, the fuzz target and the tests use it
    /// to stand for the widget.
    pub const CAMERA: Effort = Effort {
        max_passes: 3,
        max_side: CAMERA_FRAME.0,
    };
}

/// Decodes an 8-bit greyscale image with every pass (`Effort::THOROUGH`).
pub fn decode_luma(luma: &[u8], width: usize, height: usize) -> Result<Vec<Code>, ScanError> {
    decode_luma_with(luma, width, height, Effort::THOROUGH)
}

/// Decodes an 8-bit greyscale image, stopping at the first pass that reads a code or when
/// `effort` is spent.
pub fn decode_luma_with(
    luma: &[u8],
    width: usize,
    height: usize,
    effort: Effort,
) -> Result<Vec<Code>, ScanError> {
    let expected = width.saturating_mul(height);
    if luma.len() != expected {
        return Err(ScanError::BadBuffer {
            expected,
            found: luma.len(),
        });
    }
    Ok(decode_reduced(
        width,
        height,
        effort,
        |y, row: &mut [u8]| {
            row.copy_from_slice(&luma[width * y..width * (y + 1)]);
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::box_blur;

    #[test]
    fn wrong_buffer_sizes_are_errors_not_panics() {
        assert_eq!(
            decode_luma(&[0; 10], 4, 4),
            Err(ScanError::BadBuffer {
                expected: 16,
                found: 10
            })
        );
        assert!(decode_rgba(&[0; 16], 2, 2).unwrap().is_empty());
        assert!(decode_luma(&[], usize::MAX, 2).is_err());
    }

    #[test]
    fn blank_and_noisy_images_give_nothing() {
        assert!(
            decode_luma(&vec![255; 640 * 480], 640, 480)
                .unwrap()
                .is_empty()
        );
        let noise: Vec<u8> = (0..640 * 480u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        assert!(decode_luma(&noise, 640, 480).unwrap().is_empty());
    }

    const STAMP: &str = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";

    /// A 320×240 frame holding `STAMP` at 3 px a module, its ink at grey `ink` on `paper`.
    fn stamp_frame(ink: u8, paper: u8) -> Vec<u8> {
        let (left, top) = (90.0, 50.0);
        let side = 3.0 * crate::testing::code_width(STAMP) as f64;
        let quad = [
            [left, top],
            [left + side, top],
            [left + side, top + side],
            [left, top + side],
        ];
        crate::testing::drawn_code(STAMP, (320, 240), quad, ink, paper)
    }

    /// A stamp as a dim, soft camera frame sees it: ink at 90 on paper at 150, blurred and
    /// noisy. The camera pass reads it.
    #[test]
    fn a_dim_soft_noisy_stamp_is_read_by_the_camera_pass() {
        let (w, h) = (320, 240);
        let sharp = stamp_frame(90, 150);
        let mut seed = 7u32;
        let frame: Vec<u8> = box_blur(&box_blur(&sharp, w, h), w, h)
            .into_iter()
            .map(|v| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (i32::from(v) + (seed >> 16) as i32 % 25 - 12).clamp(0, 255) as u8
            })
            .collect();
        let codes = decode_luma_with(&frame, w, h, Effort::CAMERA).unwrap();
        assert_eq!(codes.first().map(|code| code.text.as_str()), Some(STAMP));
    }

    #[test]
    fn a_light_on_dark_stamp_is_read_by_the_camera_pass() {
        let codes = decode_luma_with(&stamp_frame(230, 40), 320, 240, Effort::CAMERA).unwrap();
        assert_eq!(codes.first().map(|code| code.text.as_str()), Some(STAMP));
    }
}
