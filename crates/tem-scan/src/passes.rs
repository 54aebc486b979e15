//! The passes, cheapest first: most frames are read by the first, so framing, enlarging,
//! the other thresholds and rqrr's own search cost only the images it could not read.

use crate::Code;
use crate::prepare::{Ink, LocalMeans, box_blur, frame, otsu, reduce, upscale2};
use crate::sample::{Sampled, decode_modules};
use crate::text::code_from;
use crate::{Effort, locate};

/// No working image is made smaller than this: a version-1 code needs 21 modules.
const MIN_SIDE: usize = 64;

/// Decodes the image whose row `y` of grey levels `grey_row(y, row)` writes into `row`,
/// reduced first to fit `effort`.
pub(crate) fn decode_reduced(
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
    let (mut codes, seen) = read_passes(&image, w, h, &mut budget);
    let small = w.max(h) <= UPSCALE_BELOW;
    // A light frame gives a code cropped tight to the image edge the quiet zone rqrr's
    // finder search needs; and the thresholds, taken over a larger image, shift enough to
    // read some codes the first attempt missed. In a photo too large to be enlarged, where
    // our finder search, which needs no quiet zone, saw no finder at all, a finder would
    // span many pixels, and a wider neighbourhood hardly moves their threshold: framing it
    // was most of the time such a photo with no code took.
    if codes.is_empty() && budget > 0 && (seen || small) {
        let border = (w.max(h) / FRAME_FRACTION).max(4);
        let (framed, fw, fh) = frame(&image, w, h, border);
        codes = read_passes(&framed, fw, fh, &mut budget).0;
        move_corners(&mut codes, 1.0, border as f32);
    }
    if codes.is_empty() && budget > 0 && small {
        // Small or dense codes: rqrr's finder search needs several pixels per module.
        let (big, bw, bh) = upscale2(&image, w, h);
        codes = read_passes(&big, bw, bh, &mut budget).0;
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
pub(crate) const PASSES: usize = 6;

/// The thresholds, cheapest and most often right first; stops at the first that reads a code.
/// With the codes, whether our finder search saw any finder.
fn read_passes(image: &[u8], w: usize, h: usize, budget: &mut usize) -> (Vec<Code>, bool) {
    // Computed on first use: a frame read by the first pass needs no global level.
    let (level, means) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    let global = || *level.get_or_init(|| otsu(image));
    let local = || means.get_or_init(|| LocalMeans::new(image, w, h));
    // Thresholds often differ too little to move rqrr's grid: one that failed is not sampled
    // again from the same image.
    let tried = Tried::default();
    let seen = std::cell::Cell::new(false);
    let passes: [&dyn Fn() -> Vec<Code>; PASSES] = [
        // Our own finder search against the local threshold: a fraction of rqrr's cost (it
        // fits each candidate grid twice), and on the corpus it alone reads 91 % where
        // rqrr's first pass read 65 %.
        &|| {
            let ink = Ink {
                image,
                w,
                h,
                means: local(),
                inverted: false,
            };
            let (codes, dark_finders) = locate::codes(ink);
            if !codes.is_empty() {
                return codes;
            }
            // Light-on-dark codes (dark packaging, phone screens): a second scan, so that a
            // camera frame, which gets this pass alone, reads them too.
            let (codes, light_finders) = locate::codes(Ink {
                inverted: true,
                ..ink
            });
            seen.set(dark_finders || light_finders);
            codes
        },
        // rqrr's search through its own threshold, then the global one. Not through the local
        // threshold of dark ink: our own search read those very pixels first, rqrr's grid
        // fitting there was the largest part of the time of a photo whose code does not
        // read, and no image of the corpus needed it.
        &|| read(image, (w, h), None, false, &tried),
        &|| {
            let level = global();
            let dark = |x, y| image[y * w + x] <= level;
            read(image, (w, h), Some(&dark), false, &tried)
        },
        // Light-on-dark codes (printed on dark packaging, or shown on phone screens).
        &|| {
            let level = global();
            let light = |x, y| image[y * w + x] > level;
            read(image, (w, h), Some(&light), true, &tried)
        },
        // Under uneven light (gloss, shadow), against each pixel's neighbourhood.
        &|| {
            let means = local();
            let light = |x, y| image[y * w + x] >= means.at(x, y);
            read(image, (w, h), Some(&light), true, &tried)
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
        #[cfg(test)]
        crate::testing::count(|work| work.passes += 1);
        let codes = guarded(pass);
        // rqrr's passes look for the same 1:1:3:1:1 finders through other thresholds; where
        // ours, at both polarities, saw not one, they find nothing either, at many times the
        // cost: a photo with no code answered in well over half a second.
        if !codes.is_empty() || !seen.get() {
            return (codes, seen.get());
        }
    }
    (Vec::new(), seen.get())
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
/// position), ours. Grids that do not decode as rqrr sampled them are sampled again from `image`.
fn read(
    image: &[u8],
    (w, h): (usize, usize),
    is_dark: Option<&dyn Fn(usize, usize) -> bool>,
    inverted: bool,
    tried: &Tried,
) -> Vec<Code> {
    let mut prepared = match is_dark {
        None => rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| image[y * w + x]),
        Some(is_dark) => rqrr::PreparedImage::prepare_from_bitmap(w, h, is_dark),
    };
    let mut codes = Vec::new();
    // rqrr's grids are already few, and its passes are not the camera's: each may be refined.
    let mut refinements = usize::MAX;
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
            .decode(inverted, &mut refinements)
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
    use crate::decode_luma;
    use crate::testing::{Work, work_of};

    /// The browser benchmark's photos with no code: blocks of print, light on dark running
    /// like finders across and down, under noise. They ran every pass on the photo and on its
    /// framed and enlarged copies, half a second and more in the widget. Nothing there is a
    /// finder: the finder search alone runs, once per working image, and samples or follows
    /// nothing.
    #[test]
    fn a_textured_photo_with_no_code_runs_the_finder_search_alone() {
        // Images over 800 pixels long with no finder are neither enlarged nor framed.
        for (w, h, passes) in [(640, 480, 3), (1600, 1200, 1)] {
            let mut seed = 12345u32;
            let image: Vec<u8> = (0..w * h)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let (bx, by) = (i % w / 8, i / w / 8);
                    let block = if (bx * 7 + by * 13) % 5 < 2 { 60 } else { 200 };
                    block + (seed >> 27) as u8
                })
                .collect();
            let work = work_of(|| assert!(decode_luma(&image, w, h).unwrap().is_empty()));
            let expected = Work {
                passes,
                samplings: 0,
                follows: 0,
            };
            assert_eq!(work, expected, "{w}×{h}");
        }
    }
}
