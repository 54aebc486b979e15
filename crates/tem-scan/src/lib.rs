//! Image in, QR payloads out: our own finder search, then rqrr's grid search behind a few
//! pre-processing passes, tried in order of cost and stopped at the first pass that reads
//! something, so a typical frame costs one pass.
//! No browser dependency: the widget's worker, the CLI and the tests all call this.

use std::fmt;

#[cfg(test)]
mod camera_tests;
mod locate;
mod prepare;
mod qr;
mod sample;
#[cfg(test)]
mod testing;
mod text;

use prepare::{LOCAL_MARGIN, box_blur, frame, local_means, otsu, reduce, upscale2};
use sample::{Sampled, decode_modules};
use text::code_from;

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

/// No working image is made smaller than this: a version-1 code needs 21 modules.
const MIN_SIDE: usize = 64;

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
        max_passes: 3 * PASSES,
        max_side: MAX_SIDE,
    };
    /// What one frame of the widget's camera may cost: the first pass on at most 640 px (a
    /// whole 640×480 frame, or the widget's scan box of a 720p one, read without halving it:
    /// dense codes need every pixel), so a frame never holds up the preview; the next frame
    /// is another chance. The widget grabs
    /// frames at this size too; the CLI's `--frame`, the fuzz target and the tests use it to
    /// stand for the widget.
    pub const CAMERA: Effort = Effort {
        max_passes: 1,
        max_side: 640,
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

/// Decodes the image whose row `y` of grey levels `grey_row(y, row)` writes into `row`,
/// reduced first to fit `effort`.
fn decode_reduced(
    width: usize,
    height: usize,
    effort: Effort,
    grey_row: impl Fn(usize, &mut [u8]),
) -> Vec<Code> {
    if width < 21 || height < 21 {
        return Vec::new();
    }
    let (image, scale) = reduce(width, height, effort.max_side.max(MIN_SIDE), grey_row);
    let (w, h) = (width.div_ceil(scale), height.div_ceil(scale));
    let mut budget = effort.max_passes;
    let mut codes = read_passes(&image, w, h, &mut budget);
    if codes.is_empty() && budget > 0 {
        // A light frame gives a code cropped tight to the image edge the quiet zone rqrr's
        // finder search needs; and the thresholds, taken over a larger image, shift enough to
        // read some codes the first attempt missed.
        let border = (w.max(h) / FRAME_FRACTION).max(4);
        let (framed, fw, fh) = frame(&image, w, h, border);
        codes = read_passes(&framed, fw, fh, &mut budget);
        move_corners(&mut codes, 1.0, border as f32);
    }
    if codes.is_empty() && budget > 0 && w.max(h) <= UPSCALE_BELOW {
        // Small or dense codes: rqrr's finder search needs several pixels per module.
        let (big, bw, bh) = upscale2(&image, w, h);
        codes = read_passes(&big, bw, bh, &mut budget);
        move_corners(&mut codes, 2.0, 0.0);
    }
    move_corners(&mut codes, 1.0 / scale as f32, 0.0);
    codes
}

/// Corners found in a working image that was `factor` times the size and framed by `border`,
/// back in the coordinates of the image it was made from.
fn move_corners(codes: &mut [Code], factor: f32, border: f32) {
    for corner in codes.iter_mut().flat_map(|code| &mut code.corners) {
        corner[0] = corner[0] / factor - border;
        corner[1] = corner[1] / factor - border;
    }
}

/// The light frame, when there is one, is this fraction of the long side wide.
const FRAME_FRACTION: usize = 8;

/// Images at most this long are also tried at twice the size when nothing was found.
const UPSCALE_BELOW: usize = 800;

/// Binarisations tried on one working image.
const PASSES: usize = 7;

/// The thresholds, cheapest and most often right first; stops at the first that reads a code.
fn read_passes(image: &[u8], w: usize, h: usize, budget: &mut usize) -> Vec<Code> {
    // Computed on first use: a frame read by the first pass needs no global level.
    let (level, means) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    let global = || *level.get_or_init(|| otsu(image));
    let local = || means.get_or_init(|| local_means(image, w, h));
    // Thresholds often differ too little to move rqrr's grid: one that failed is not sampled
    // again from the same image.
    let tried = Tried::default();
    let seen = std::cell::Cell::new(false);
    let passes: [&dyn Fn() -> Vec<Code>; PASSES] = [
        // Our own finder search against the local threshold: a fraction of rqrr's cost (it
        // fits each candidate grid twice), and on the corpus it alone reads 91 % where
        // rqrr's first pass read 65 %.
        &|| {
            let means = local();
            let dark: Vec<bool> = image.iter().zip(means).map(|(v, m)| v < m).collect();
            let (codes, dark_finders) = locate::codes(image, (w, h), &dark, false);
            if !codes.is_empty() {
                return codes;
            }
            // Light-on-dark codes (dark packaging, phone screens): a second scan, so that a
            // camera frame, which gets this pass alone, reads them too.
            let light: Vec<bool> = image
                .iter()
                .zip(means)
                .map(|(&v, &m)| u32::from(v) > u32::from(m) + 2 * LOCAL_MARGIN)
                .collect();
            let (codes, light_finders) = locate::codes(image, (w, h), &light, true);
            seen.set(dark_finders || light_finders);
            codes
        },
        &|| read(image, (w, h), None, false, &tried),
        &|| {
            let level = global();
            read(image, (w, h), Some(&|i| image[i] <= level), false, &tried)
        },
        // Uneven light (gloss, shadow): compare each pixel with its neighbourhood.
        &|| {
            let means = local();
            read(image, (w, h), Some(&|i| image[i] < means[i]), false, &tried)
        },
        // Light-on-dark codes (printed on dark packaging, or shown on phone screens).
        &|| {
            let level = global();
            read(image, (w, h), Some(&|i| image[i] > level), true, &tried)
        },
        &|| {
            let means = local();
            read(image, (w, h), Some(&|i| image[i] >= means[i]), true, &tried)
        },
        // Noise and print texture (jpeg blocks, paper grain, screen pixels): smooth first.
        &|| {
            let smooth = box_blur(image, w, h);
            read(&smooth, (w, h), None, false, &Tried::default())
        },
    ];
    for pass in passes {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        let codes = guarded(pass);
        // rqrr's passes look for the same 1:1:3:1:1 finders through other thresholds; where
        // ours, at both polarities, saw not one, they find nothing either, at many times the
        // cost: a photo with no code answered in well over half a second.
        if !codes.is_empty() || !seen.get() {
            return codes;
        }
    }
    Vec::new()
}

/// rqrr can panic on some images (rqrr issue #54); a bad frame must not take the caller down.
#[cfg(panic = "unwind")]
fn guarded(pass: &dyn Fn() -> Vec<Code>) -> Vec<Code> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(pass)).unwrap_or_default()
}

/// Keeps the panics `guarded` recovers from off standard error; any other panic is still
/// reported by the hook that was there before. For programs; a library should not call it.
#[cfg(panic = "unwind")]
pub fn quiet_rqrr_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_rqrr = info
            .location()
            .is_some_and(|place| place.file().contains("rqrr"));
        if !in_rqrr {
            previous(info);
        }
    }));
}

/// Built with panic=abort (the wasm widget) there is nothing to catch: the worker that runs
/// this is restarted by the page instead.
#[cfg(not(panic = "unwind"))]
fn guarded(pass: &dyn Fn() -> Vec<Code>) -> Vec<Code> {
    pass()
}

/// Grids (bounds, size, inverted) already sampled in vain from one image.
type Tried = std::cell::RefCell<Vec<([[i32; 2]; 4], usize, bool)>>;

/// Runs rqrr's finder once, with rqrr's own adaptive threshold or, given `is_dark` (by pixel
/// index), ours. Grids that do not decode as rqrr sampled them are sampled again from `image`.
fn read(
    image: &[u8],
    (w, h): (usize, usize),
    is_dark: Option<&dyn Fn(usize) -> bool>,
    inverted: bool,
    tried: &Tried,
) -> Vec<Code> {
    let mut prepared = match is_dark {
        None => rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| image[y * w + x]),
        Some(is_dark) => rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| is_dark(y * w + x)),
    };
    let mut codes = Vec::new();
    for grid in prepared.detect_grids() {
        let corners = grid.bounds.map(|p| [p.x as f32, p.y as f32]);
        let size = rqrr::BitGrid::size(&grid.grid);
        let key = (grid.bounds.map(|p| [p.x, p.y]), size, inverted);
        if tried.borrow().contains(&key) {
            continue;
        }
        let found = if let Some(payload) =
            decode_modules(size, &|x, y| rqrr::BitGrid::bit(&grid.grid, y, x))
        {
            Some(payload)
        } else {
            Sampled {
                image,
                w,
                h,
                corners: grid.bounds.map(|p| [f64::from(p.x), f64::from(p.y)]),
                size,
            }
            .decode(inverted)
        };
        let Some(payload) = found else {
            tried.borrow_mut().push(key);
            continue;
        };
        codes.push(code_from(payload, corners));
    }
    codes
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
