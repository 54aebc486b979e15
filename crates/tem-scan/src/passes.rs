//! The passes, cheapest first: most frames are read by the first, so framing, enlarging,
//! the other thresholds and rqrr's own search cost only the images it could not read; and
//! our own search runs through every working image before rqrr's runs at all.

use std::borrow::Cow;

use crate::Code;
use crate::prepare::{Ink, LocalMeans, box_blur, frame, otsu, reduce, upscale2};
use crate::sample::{Failed, Placed, Sampled, decode_modules};
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
    let (image, (w, h), scale) = reduce(width, height, effort.max_side.max(MIN_SIDE), grey_row);
    let mut budget = effort.max_passes;
    let mut codes = read_working_images(&image, w, h, &mut budget);
    move_corners(&mut codes, 1.0 / scale as f32, 0.0);
    codes
}

/// Our finder search runs through every threshold of every working image before rqrr's
/// search runs through the reduced image's: rqrr fits each candidate grid over and over, a
/// few milliseconds a pass even on a small photo, where ours costs a fraction of one, and
/// reads most of what rqrr's passes used to read first (a global threshold or a smoothed
/// image is what those photos needed, not rqrr).
///
/// Each threshold runs over every working image before the next threshold runs over any:
/// where the first pass missed a code, a copy's other geometry read it more often than
/// another threshold over the same pixels did (on the corpus, 6 photos against 4), and a
/// photo read by the enlarged copy had waited through five passes that could not read it.
fn read_working_images(image: &[u8], w: usize, h: usize, budget: &mut usize) -> Vec<Code> {
    let failed = Failed::default();
    let reduced = Working::new(Cow::Borrowed(image), w, h, 1.0, 0.0);
    if let Some(codes) = reduced.read(0, budget, &failed) {
        return codes;
    }
    let mut images = vec![reduced];
    // A light frame gives a code cropped tight to the image edge a light surround, and the
    // thresholds, taken over a larger image, shift enough to read some codes the first
    // attempt missed. In a photo too large to be enlarged, where our finder search saw no
    // finder at all, a finder would span many pixels, and a wider neighbourhood hardly moves
    // their threshold: framing it was most of the time such a photo with no code took.
    let small = w.max(h) <= UPSCALE_BELOW;
    let framed = || {
        let border = (w.max(h) / FRAME_FRACTION).max(4);
        let (copy, cw, ch) = frame(image, w, h, border);
        Working::new(Cow::Owned(copy), cw, ch, 1.0, border as f32)
    };
    // Small or dense codes: finder searches need a few pixels a module.
    let enlarged = || {
        let (copy, cw, ch) = upscale2(image, w, h);
        Working::new(Cow::Owned(copy), cw, ch, 2.0, 0.0)
    };
    let copies: [(bool, &dyn Fn() -> Working<'static>); 2] =
        [(images[0].seen() || small, &framed), (small, &enlarged)];
    for (wanted, make) in copies {
        // A copy is made only for a budget that still covers all our passes over it and the
        // images before it: a camera frame's, a look or two at the frame itself, is never
        // spent on copying it.
        let spoken_for = OUR_PASSES - 1 + (images.len() - 1) * OUR_PASSES;
        if !wanted || *budget < spoken_for + OUR_PASSES {
            continue;
        }
        #[cfg(test)]
        crate::testing::count(|work| work.copies += 1);
        let copy = make();
        if let Some(codes) = copy.read(0, budget, &failed) {
            return codes;
        }
        images.push(copy);
    }
    // Only the first pass runs over an image where it saw no finder: the others move
    // thresholds by a few grey levels, which turn a finder that was seen into one that
    // reads, not conjure one out of print.
    for pass in 1..OUR_PASSES {
        for working in images.iter().filter(|working| working.seen()) {
            if let Some(codes) = working.read(pass, budget, &failed) {
                return codes;
            }
        }
    }
    // rqrr's passes look for the same 1:1:3:1:1 finders through other thresholds, and make
    // a grid of three; where no search of ours at any threshold over the reduced image saw
    // three, rqrr read nothing either, on the corpus or in the synthetic photos, at many
    // times the cost: its three passes were half the time of such a photo (a photo with no
    // finder at all used to answer in well over half a second). What rqrr reads that ours
    // does not is a code under steep perspective or cut by the image's edge, whose grid its
    // fitting follows: it reads those from the reduced image itself. On the framed and
    // enlarged copies its passes read no photo of the corpus that ours had not, and cost two
    // to five times as much.
    if images[0].finders.get() < 3 {
        return Vec::new();
    }
    rqrr_passes(&images[0], budget, &failed)
}

/// An image our finder search runs over: the reduced image, or a copy `factor` times its
/// size framed by `border`.
struct Working<'a> {
    image: Cow<'a, [u8]>,
    w: usize,
    h: usize,
    factor: f32,
    border: f32,
    /// The most finders one search over it saw, read or not.
    finders: std::cell::Cell<usize>,
    /// Its smoothed copy, made for the first pass that needs it.
    smooth: std::cell::OnceCell<Vec<u8>>,
}

impl<'a> Working<'a> {
    fn new(image: Cow<'a, [u8]>, w: usize, h: usize, factor: f32, border: f32) -> Working<'a> {
        let (finders, smooth) = Default::default();
        Working {
            image,
            w,
            h,
            factor,
            border,
            finders,
            smooth,
        }
    }

    /// Whether any search over it saw a finder.
    fn seen(&self) -> bool {
        self.finders.get() > 0
    }

    /// Where grids found in it, or in its `smoothed` copy, lie in the reduced image.
    fn placed<'f>(&self, failed: &'f Failed, smoothed: bool) -> Placed<'f> {
        Placed {
            failed,
            factor: f64::from(self.factor),
            border: f64::from(self.border),
            smoothed,
        }
    }

    /// A copy of half the size, for rqrr's own threshold over a large image.
    fn halved(&self) -> Working<'static> {
        let (w, h) = (self.w, self.h);
        let (half, (hw, hh), scale) = reduce(w, h, w.max(h).div_ceil(2), |y, row| {
            row.copy_from_slice(&self.image[y * w..][..w]);
        });
        Working::new(
            Cow::Owned(half),
            hw,
            hh,
            self.factor / scale as f32,
            self.border,
        )
    }

    /// Noise and print texture (jpeg blocks, paper grain, screen pixels) smoothed away.
    fn smoothed(&self) -> &[u8] {
        self.smooth
            .get_or_init(|| box_blur(&self.image, self.w, self.h))
    }

    /// The codes our `pass` read, with their corners in the reduced image's coordinates;
    /// None when it read none or `budget` is spent. Grids near one in `failed` are not
    /// sampled again.
    fn read(&self, pass: usize, budget: &mut usize, failed: &Failed) -> Option<Vec<Code>> {
        let mut codes = self
            .pass(pass, budget, failed)
            .filter(|codes| !codes.is_empty())?;
        move_corners(&mut codes, self.factor, self.border);
        Some(codes)
    }

    /// Our finder search at both polarities through the `pass`th threshold, within `budget`.
    fn pass(&self, pass: usize, budget: &mut usize, failed: &Failed) -> Option<Vec<Code>> {
        let (image, w, h) = (&*self.image, self.w, self.h);
        let placed = |smoothed| self.placed(failed, smoothed);
        // Both polarities: light-on-dark codes (dark packaging, phone screens) are read by
        // the camera too, which gets the first three passes alone.
        let search = |image: &[u8], means: &LocalMeans, placed: Placed| {
            let ink = Ink {
                image,
                w,
                h,
                means,
                inverted: false,
            };
            let (codes, dark_finders) = locate::codes(ink, placed);
            if !codes.is_empty() {
                return codes;
            }
            let (codes, light_finders) = locate::codes(
                Ink {
                    inverted: true,
                    ..ink
                },
                placed,
            );
            let most = self.finders.get().max(dark_finders).max(light_finders);
            self.finders.set(most);
            codes
        };
        let thresholds: [&dyn Fn() -> Vec<Code>; OUR_PASSES] = [
            // Against each pixel's neighbourhood: on the corpus this alone reads 91 %.
            &|| search(image, &LocalMeans::new(image, w, h), placed(false)),
            // One level for the whole image (Otsu's): where a neighbourhood is mostly ink, as
            // in a code that fills the image, its mean sinks into the ink.
            &|| {
                search(
                    image,
                    &LocalMeans::uniform(otsu(image), w, h),
                    placed(false),
                )
            },
            &|| {
                let smooth = self.smoothed();
                search(smooth, &LocalMeans::new(smooth, w, h), placed(true))
            },
        ];
        spend(budget, thresholds[pass])
    }
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

/// Our finder search's passes over each working image, and rqrr's over the reduced one.
const OUR_PASSES: usize = 3;
const RQRR_PASSES: usize = 3;

/// Every pass a photo may get: ours on the reduced image and its framed and enlarged copies,
/// then rqrr's.
pub(crate) const ALL_PASSES: usize = 3 * OUR_PASSES + RQRR_PASSES;

/// Runs `pass` when `budget` allows one more, and takes it from the budget.
fn spend(budget: &mut usize, pass: &dyn Fn() -> Vec<Code>) -> Option<Vec<Code>> {
    *budget = budget.checked_sub(1)?;
    #[cfg(test)]
    crate::testing::count(|work| work.passes += 1);
    Some(guarded(pass))
}

/// rqrr's finder search through rqrr's own threshold, the global one of light ink, and on a
/// smoothed copy. Not through the local threshold of dark ink: our own search read those
/// very pixels first, rqrr's grid fitting there was the largest part of the time of a photo
/// whose code does not read, and no image of the corpus needed it. Nor, since our search
/// takes the finders of steeply tilted codes, through the global threshold of dark ink or
/// the local one of light ink: they read no image of the corpus, its camera frames or the
/// synthetic photos (light ink too) that our passes had not, and were a third of the time a
/// large photo whose code does not read took.
///
/// rqrr's own threshold runs over a copy of half the size of an image over
/// `RQRR_HALVED_ABOVE` pixels long: each rqrr pass took 15 to 30 ms over a 1280×960 photo,
/// and the three were a third of the time of one whose code does not read. Of the synthetic
/// photos, both polarities, it read one more that way and none fewer; the other two passes,
/// at half the size, each lost one that they read at full size (a small code, a tilted one).
fn rqrr_passes(reduced: &Working, budget: &mut usize, failed: &Failed) -> Vec<Code> {
    for pass in 0..RQRR_PASSES {
        // The half-size copy is made inside the pass, so a budget spent before it makes none.
        let run = || {
            let halved;
            let working = if pass == 0 && reduced.w.max(reduced.h) > RQRR_HALVED_ABOVE {
                halved = reduced.halved();
                &halved
            } else {
                reduced
            };
            let mut codes = match pass {
                0 => read(working, false, None, false, failed),
                1 => {
                    let level = otsu(&working.image);
                    let light = |x, y| working.image[y * working.w + x] > level;
                    read(working, false, Some(&light), true, failed)
                }
                _ => read(working, true, None, false, failed),
            };
            move_corners(&mut codes, working.factor, working.border);
            codes
        };
        match spend(budget, &run) {
            Some(codes) if !codes.is_empty() => return codes,
            Some(_) => {}
            None => break,
        }
    }
    Vec::new()
}

/// rqrr's own threshold runs over a copy of half the size of an image longer than this.
const RQRR_HALVED_ABOVE: usize = 1000;

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

/// Runs rqrr's finder once over `working` or its `smoothed` copy, with rqrr's own adaptive
/// threshold or, given `is_dark` (by pixel position), ours. Grids that do not decode as rqrr
/// sampled them are sampled again from the same pixels, unless one near them failed already:
/// thresholds often differ too little to move rqrr's grid, and our own passes found many of
/// the same.
fn read(
    working: &Working,
    smoothed: bool,
    is_dark: Option<&dyn Fn(usize, usize) -> bool>,
    inverted: bool,
    failed: &Failed,
) -> Vec<Code> {
    let (w, h) = (working.w, working.h);
    let image = if smoothed {
        working.smoothed()
    } else {
        &working.image
    };
    let placed = working.placed(failed, smoothed);
    #[cfg(test)]
    crate::testing::count(|work| work.rqrr_passes += 1);
    let mut prepared = match is_dark {
        None => rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| image[y * w + x]),
        Some(is_dark) => rqrr::PreparedImage::prepare_from_bitmap(w, h, is_dark),
    };
    let mut codes = Vec::new();
    // As many refinements as our own search allows: in the corpus and the synthetic photos
    // none needed more, and a photo full of finder-like print had every grid refined.
    let mut refinements = locate::MAX_REFINED;
    for grid in prepared.detect_grids() {
        let corners = grid.bounds.map(|p| [p.x as f32, p.y as f32]);
        let size = rqrr::BitGrid::size(&grid.grid);
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
            .decode_unless_failed(inverted, &mut refinements, placed)
        };
        let Some(payload) = found else {
            continue;
        };
        codes.push(code_from(payload, corners));
    }
    codes
}

#[cfg(test)]
mod tests {
    use crate::decode_luma;
    use crate::testing::{Work, code_width, drawn_code, noisy, turned_square, work_of};

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
                rqrr_passes: 0,
                copies: passes - 1,
            };
            assert_eq!(work, expected, "{w}×{h}");
        }
    }

    /// A camera frame with no finder gets one pass; the framed and enlarged copies a photo's
    /// later passes read were still made of every frame that pass did not read, a third of
    /// its time.
    #[test]
    fn a_camera_frame_that_does_not_read_is_not_copied() {
        let (w, h) = crate::CAMERA_FRAME;
        let grey = vec![128; w * h];
        let work = work_of(|| {
            assert!(
                crate::decode_luma_with(&grey, w, h, crate::Effort::CAMERA)
                    .unwrap()
                    .is_empty()
            )
        });
        assert_eq!((work.passes, work.copies), (1, 0), "{work:?}");
    }

    /// Finder patterns alone on paper, 5 px a module, at those of a 29-module code's
    /// `corners` (0: top left, 1: top right, 2: bottom left): a stamp whose other modules
    /// did not print.
    fn finders_alone(corners: &[usize]) -> (Vec<u8>, usize, usize) {
        let (w, h, module, left): (usize, usize, usize, usize) = (300, 300, 5, 70);
        let origins: [(usize, usize); 3] = [(0, 0), (22, 0), (0, 22)];
        let ink = |mx: usize, my: usize| {
            corners.iter().any(|&corner| {
                let (ox, oy) = origins[corner];
                let (dx, dy) = (mx.wrapping_sub(ox), my.wrapping_sub(oy));
                // A 7×7 ring, a ring of paper, a 3×3 centre.
                dx < 7 && dy < 7 && dx.min(dy).min(6 - dx).min(6 - dy) != 1
            })
        };
        let image = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w).wrapping_sub(left), (i / w).wrapping_sub(left));
                if x < 29 * module && y < 29 * module && ink(x / module, y / module) {
                    30
                } else {
                    220
                }
            })
            .collect();
        (image, w, h)
    }

    /// rqrr makes a grid of three finders: it searches only where one of our searches over
    /// the photo saw as many, and otherwise would only have added its three passes to the
    /// time of a photo that does not read.
    #[test]
    fn rqrr_searches_only_where_three_finders_were_seen() {
        for (corners, rqrr_passes) in [(&[0, 1, 2][..], super::RQRR_PASSES), (&[0, 1], 0)] {
            let (image, w, h) = finders_alone(corners);
            let work = work_of(|| assert!(decode_luma(&image, w, h).unwrap().is_empty()));
            assert_eq!(work.rqrr_passes, rqrr_passes, "{corners:?}: {work:?}");
        }
    }

    const STAMP: &str = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";

    /// A 240×240 image of `STAMP` across `fill` of its width, dim (ink at 60 on paper at 120)
    /// and moved up to `grain` grey levels a pixel; with what reading it as `effort` did.
    fn grainy_stamp(fill: f64, grain: i32, effort: crate::Effort) -> (Option<String>, Work) {
        let (w, h) = (240, 240);
        let module = fill * w as f64 / code_width(STAMP) as f64;
        let quad = turned_square([120.0, 120.0], code_width(STAMP), module, 0.0);
        let image = noisy(&drawn_code(STAMP, (w, h), quad, 60, 120), grain);
        let mut codes = Vec::new();
        let work = work_of(|| codes = crate::decode_luma_with(&image, w, h, effort).unwrap());
        (codes.into_iter().next().map(|code| code.text), work)
    }

    /// The passes, copies and rqrr passes reading `grainy_stamp(fill, grain, effort)` took,
    /// once it is seen to read.
    fn spent_reading(fill: f64, grain: i32, effort: crate::Effort) -> (usize, usize, usize) {
        let (text, work) = grainy_stamp(fill, grain, effort);
        assert_eq!(text.as_deref(), Some(STAMP), "{work:?}");
        (work.passes, work.copies, work.rqrr_passes)
    }

    /// A camera frame whose first pass saw finders but read nothing gets a second look at
    /// the frame itself, through the global level, and still no copy of it and no rqrr.
    #[test]
    fn a_camera_frame_whose_finders_were_seen_gets_one_second_look() {
        assert_eq!(spent_reading(0.7, 25, crate::Effort::CAMERA), (2, 0, 0));
    }

    /// A dim code under heavy sensor grain: the first pass, through each pixel's own
    /// neighbourhood, misses it; one of our later thresholds reads it. rqrr's search, which
    /// used to come first, need not run at all.
    #[test]
    fn a_code_read_by_a_later_threshold_costs_no_rqrr_search() {
        let (text, work) = grainy_stamp(0.5, 45, crate::Effort::THOROUGH);
        assert_eq!(text.as_deref(), Some(STAMP));
        assert!(work.passes > 1 && work.rqrr_passes == 0, "{work:?}");
    }

    /// A small code under grain that only the enlarged copy reads. It used to wait for
    /// the other two thresholds over the photo and all three over its framed copy first:
    /// five passes that could not read it, before the one that did.
    #[test]
    fn a_code_only_the_enlarged_copy_reads_does_not_wait_for_every_threshold() {
        assert_eq!(spent_reading(0.4, 30, crate::Effort::THOROUGH), (3, 2, 0));
    }
}
