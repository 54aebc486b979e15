//! Sampling a located grid again from the grey image, after refining where it lies, and
//! reading the modules.

use crate::prepare::otsu;
use crate::qr;

/// A grid rqrr located, to be sampled again from the grey image: rqrr reads one pixel per
/// module through its own threshold, which is where most of its error-correction failures
/// come from on blurred or unevenly lit codes.
pub(crate) struct Sampled<'a> {
    pub image: &'a [u8],
    pub w: usize,
    pub h: usize,
    /// rqrr's bounds: the module grid's corners, one module past the code on the far sides.
    pub corners: [[f64; 2]; 4],
    pub size: usize,
}

/// Where a module is sampled, in module units from its centre.
const SAMPLE_OFFSETS: [(f64, f64); 5] = [
    (0.0, 0.0),
    (-0.2, -0.2),
    (0.2, -0.2),
    (-0.2, 0.2),
    (0.2, 0.2),
];

/// Below this share of its timing pattern alternating as it should, a grid is not shifted
/// about in search of a reading. On the corpus no code read needed less than this.
const MIN_TIMING_AGREEMENT: f64 = 0.7;

/// Below this share, a grid is not sampled at all (about a half for a grid that is not a
/// code).
const MIN_TIMING_TO_SAMPLE: f64 = 0.6;

/// Below this many pixels a module, the timing check's one look a module lands on an edge
/// as often as inside it, and its share says nothing: version 40 codes printed at a pixel a
/// module read at once, yet failed it. Sampling, five looks a module, decides there.
const MIN_PITCH_FOR_TIMING: f64 = 2.0;

/// Grids refined in vain, and how near another must lie to be taken for one of them. The
/// passes find the same finders again through other thresholds and in the framed and
/// enlarged copies: a bent print's one grid was refined, shifted and followed once in each
/// of nine passes, a few milliseconds each time, and read in none.
#[derive(Default)]
pub(crate) struct Failed(std::cell::RefCell<Vec<FailedGrid>>);

/// A grid in the reduced image's pixels, with what it was sampled from: the enlarged copy's
/// pixels are not the reduced image's (refining there moves corners by half as much), and
/// it read photos on grids that had failed in the reduced image.
#[derive(Clone, Copy)]
struct FailedGrid {
    corners: [[f64; 2]; 4],
    pitch: f64,
    size: usize,
    inverted: bool,
    factor: f64,
    smoothed: bool,
}

/// How far, in modules, each corner of a grid may lie from those of one that failed. The
/// failed one was refined and then sampled shifted by as much (`SHIFTS`) along each axis.
const FAILED_WITHIN: f64 = 0.3;

/// Where a working image lies in the reduced one: `factor` times its size inside a frame
/// `border` pixels wide, its pixels smoothed or not; with the grids that failed there.
#[derive(Clone, Copy)]
pub(crate) struct Placed<'a> {
    pub failed: &'a Failed,
    pub factor: f64,
    pub border: f64,
    pub smoothed: bool,
}

impl<'a> Placed<'a> {
    /// The reduced image itself, or its smoothed copy.
    #[cfg(test)]
    pub fn reduced(failed: &'a Failed, smoothed: bool) -> Placed<'a> {
        Placed {
            failed,
            factor: 1.0,
            border: 0.0,
            smoothed,
        }
    }

    fn grid(&self, grid: &Sampled, inverted: bool) -> FailedGrid {
        FailedGrid {
            corners: grid
                .corners
                .map(|[x, y]| [x / self.factor - self.border, y / self.factor - self.border]),
            pitch: grid.module_pitch() / self.factor,
            size: grid.size,
            inverted,
            factor: self.factor,
            smoothed: self.smoothed,
        }
    }
}

impl FailedGrid {
    fn near(&self, other: &FailedGrid) -> bool {
        let within = FAILED_WITHIN * self.pitch.max(other.pitch);
        let close = |a: &[f64; 2], b: &[f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]) <= within;
        let source = |grid: &FailedGrid| (grid.size, grid.inverted, grid.factor, grid.smoothed);
        source(self) == source(other)
            && self
                .corners
                .iter()
                .zip(&other.corners)
                .all(|(a, b)| close(a, b))
    }
}

/// Whole-grid offsets, in modules, tried in turn: rqrr's corners are whole pixels, which on a
/// small code is a good part of a module.
const SHIFTS: [(f64, f64, f64); 7] = [
    (0.0, 0.0, 1.0),
    (0.3, 0.0, 1.0),
    (-0.3, 0.0, 1.0),
    (0.0, 0.3, 1.0),
    (0.0, -0.3, 1.0),
    (0.0, 0.0, 0.985),
    (0.0, 0.0, 1.015),
];

impl Sampled<'_> {
    /// `decode`, unless a grid near this one, placed in the reduced image by `placed`, was
    /// refined there in vain; one refined here in vain is remembered.
    pub fn decode_unless_failed(
        &self,
        inverted: bool,
        refinements: &mut usize,
        placed: Placed,
    ) -> Option<qr::Payload> {
        let grid = placed.grid(self, inverted);
        let failed = &placed.failed.0;
        if failed.borrow().iter().any(|other| other.near(&grid)) {
            return None;
        }
        let before = *refinements;
        let payload = self.decode(inverted, refinements);
        if payload.is_none() && *refinements < before {
            failed.borrow_mut().push(grid);
        }
        payload
    }

    /// The payload, refining the grid first when it does not read where it lies and
    /// `refinements` (decremented) allows.
    pub fn decode(&self, inverted: bool, refinements: &mut usize) -> Option<qr::Payload> {
        if !(21..=177).contains(&self.size) {
            return None;
        }
        // The timing patterns run between the finders, which place them well even where the
        // fourth corner is off: a grid whose timing does not alternate is not a code at this
        // size, and sampling, decoding or refining it costs for nothing. Groups of
        // finder-like print, and wrong sizes, were most of a slow camera frame's time, and
        // all of a noisy frame's.
        let timing = self.timing_agreement(inverted);
        if timing < MIN_TIMING_TO_SAMPLE && self.module_pitch() >= MIN_PITCH_FOR_TIMING {
            // Unless the print is bent: its timing then drifts out of step with any one map
            // between the finders, and only following it shows whether it is a code.
            if timing < MIN_TIMING_TO_FOLLOW || *refinements == 0 {
                return None;
            }
            *refinements -= 1;
            return self.decode_followed(inverted);
        }
        // Most grids read where they were located; refining costs as much as a few dozen
        // samplings, so it waits until that fails.
        if let Some(payload) = self.decode_shifted(SHIFTS[0], None, inverted) {
            return Some(payload);
        }
        if *refinements == 0 {
            return None;
        }
        *refinements -= 1;
        let refined = Sampled {
            corners: self.refined(inverted),
            ..*self
        };
        // Shifting a grid that is not a code, or not at this size, costs a dozen samplings
        // and decodings for nothing: its timing patterns give it away first.
        let timing = refined.timing_agreement(inverted).max(timing);
        if timing < MIN_TIMING_AGREEMENT {
            return None;
        }
        let attempts = SHIFTS.iter().map(|&shift| (&refined, shift));
        let unrefined = SHIFTS[1..].iter().map(|&shift| (self, shift));
        attempts
            .chain(unrefined)
            .find_map(|(grid, shift)| grid.decode_shifted(shift, None, inverted))
            .or_else(|| refined.decode_followed(inverted))
    }

    /// The payload read with each column and row of modules where the timing patterns put
    /// it: a print on a bottle or a crumpled label bends away from any one projective map by
    /// a module or more between the finders.
    fn decode_followed(&self, inverted: bool) -> Option<qr::Payload> {
        let followed = self.followed(inverted)?;
        self.decode_shifted(SHIFTS[0], Some(&followed), inverted)
    }

    /// How far each column and each row of modules lies from where the grid's map puts it,
    /// in modules, read off the two timing patterns and the finders' edges beside them; None
    /// when, followed, they still do not match the pattern they must have, as in a grid that
    /// is not a code or not at this size.
    fn followed(&self, inverted: bool) -> Option<Followed> {
        #[cfg(test)]
        crate::testing::count(|work| work.follows += 1);
        let c = square_to_quad(&self.corners)?;
        let span = (self.size + 1) as f64;
        // Along the middle of row 6 and of column 6, each where the other puts it.
        let columns = |row_offset: f64| {
            let v = (6.5 + row_offset) / span;
            self.timing_offsets(&|at| self.bilinear_at(&c, at / span, v), inverted)
        };
        let rows = |column_offset: f64| {
            let u = (6.5 + column_offset) / span;
            self.timing_offsets(&|at| self.bilinear_at(&c, u, at / span), inverted)
        };
        // Row 6 is followed first, where the map puts it. A print bent along its columns
        // moves row 6 itself a module away, so there column 6 is followed first instead.
        let (mut columns, mut rows) = match columns(0.0) {
            Some(first) => {
                let rows = rows(first[6])?;
                (columns(rows[6])?, rows)
            }
            None => {
                let columns = columns(rows(0.0)?[6])?;
                let rows = rows(columns[6])?;
                (columns, rows)
            }
        };
        // Columns first, through the top finders' middle row; then rows, through the left
        // finders' middle column where the columns now put it.
        let v = (3.5 + rows[3]) / span;
        let across = |at: f64| self.bilinear_at(&c, at / span, v);
        self.fit_ends(&mut columns, &across, inverted);
        let u = (3.5 + columns[3]) / span;
        let down = |at: f64| self.bilinear_at(&c, u, at / span);
        self.fit_ends(&mut rows, &down, inverted);
        Some(Followed { columns, rows })
    }

    /// `offsets` at both ends of a line through the finders' middles (`grey` along it) set
    /// where those finders' rings lie, where that fits them better than following did.
    fn fit_ends(&self, offsets: &mut [f64], grey: &dyn Fn(f64) -> f64, inverted: bool) {
        let near = (3.5, 0..8);
        let far = (self.size as f64 - 3.5, self.size - 8..self.size);
        for (anchor, ends) in [near, far] {
            if let Some((shift, stretch)) = self.finder_fit(grey, anchor, inverted, offsets) {
                for m in ends {
                    offsets[m] = shift + (stretch - 1.0) * (m as f64 + 0.5 - anchor);
                }
            }
        }
    }

    /// Where the finder whose centre the grid's map puts at module `anchor` of a line through
    /// its middle lies, as the offset of its centre from there and the stretch of its modules,
    /// in modules: its rings give edges where the timing pattern's line runs along a finder's
    /// solid side.
    fn finder_fit(
        &self,
        grey: &dyn Fn(f64) -> f64,
        anchor: f64,
        inverted: bool,
        followed: &[f64],
    ) -> Option<(f64, f64)> {
        // Across a finder's middle: quiet or separator, dark, light, three dark, light, dark,
        // then separator or quiet.
        let dark = |x: f64| {
            let m = (x - (anchor - 3.5)).floor() as isize;
            matches!(m, 0 | 2 | 3 | 4 | 6)
        };
        let looks: Vec<f64> = (0..9 * FOLLOW_LOOKS_A_MODULE)
            .map(|i| anchor - 4.5 + (i as f64 + 0.5) / FOLLOW_LOOKS_A_MODULE as f64)
            .collect();
        let expected: Vec<f64> = looks
            .iter()
            .map(|&x| if dark(x) == inverted { 1.0 } else { 0.0 })
            .collect();
        let last = followed.len() as isize - 1;
        let as_followed = looks
            .iter()
            .map(|&x| grey(x + followed[(x.floor() as isize).clamp(0, last) as usize]));
        let followed_fit = correlation(as_followed, expected.iter().copied());
        let mut best: Option<(f64, f64, f64)> = None;
        for shift in -FINDER_SHIFTS..=FINDER_SHIFTS {
            let shift = shift as f64 / FOLLOW_LOOKS_A_MODULE as f64;
            for stretch in FINDER_STRETCHES {
                let stretch = f64::from(stretch) / 20.0;
                let seen = looks
                    .iter()
                    .map(|&x| grey(anchor + shift + stretch * (x - anchor)));
                let fit = correlation(seen, expected.iter().copied());
                if best.is_none_or(|(b, _, _)| fit > b) {
                    best = Some((fit, shift, stretch));
                }
            }
        }
        let (fit, shift, stretch) = best?;
        (fit >= FOLLOW_MIN_FIT && fit > followed_fit).then_some((shift, stretch))
    }

    /// Each module's offset along row or column 6, whose modules are known from end to end
    /// (finder, separator, timing, separator, finder, quiet zone): the shift of a few
    /// modules' window that matches the known pattern best. `grey(m)` is the grey level `m`
    /// modules along the line.
    fn timing_offsets(&self, grey: &dyn Fn(f64) -> f64, inverted: bool) -> Option<Vec<f64>> {
        let size = self.size as isize;
        let light = |m: isize| {
            let dark = match m {
                m if m < 0 || m >= size => false,
                m if m <= 6 || m >= size - 7 => true,
                m if m == 7 || m == size - 8 => false,
                m => m % 2 == 0,
            };
            if dark == inverted { 1.0 } else { 0.0 }
        };
        // Windows and shifts are whole looks apart, so the line is looked at once, at every
        // look any window at any shift needs.
        let look = |index: isize| (index as f64 + 0.5) / FOLLOW_LOOKS_A_MODULE as f64;
        let centre_of = |module: isize| {
            module * FOLLOW_LOOKS_A_MODULE as isize + FOLLOW_LOOKS_A_MODULE as isize / 2
        };
        let first = centre_of(FOLLOW_FIRST) - FOLLOW_WINDOW - FOLLOW_STEPS;
        let last = centre_of(size - FOLLOW_FIRST - 1) + FOLLOW_WINDOW + FOLLOW_STEPS;
        let line: Vec<f64> = (first..last).map(|index| grey(look(index))).collect();
        // Each module's offset is sought within a quarter-module's steps of its neighbour's:
        // the timing pattern repeats every two modules, so on its own a window cannot tell
        // an offset of a module one way from one of a module the other way. The finders'
        // edges, where the search starts, set which it is.
        let (mut measured, mut fit) = (Vec::new(), 0.0);
        let mut previous: Option<isize> = None;
        for module in FOLLOW_FIRST..size - FOLLOW_FIRST {
            let centre = centre_of(module);
            let window = centre - FOLLOW_WINDOW..centre + FOLLOW_WINDOW;
            let expected: Vec<f64> = window
                .clone()
                .map(|index| light(look(index).floor() as isize))
                .collect();
            let seen = |step: isize| {
                let line = &line;
                window
                    .clone()
                    .map(move |index| line[(index + step - first) as usize])
            };
            let (around, reach) = previous.map_or((0, FOLLOW_STEPS), |step| (step, FOLLOW_TRACK));
            let steps = (around - reach).max(-FOLLOW_STEPS)..=(around + reach).min(FOLLOW_STEPS);
            let (correlation, step) = steps
                .map(|step| (correlation(seen(step), expected.iter().copied()), step))
                // Of equal fits, the least change.
                .min_by(|a, b| {
                    let change = |step: isize| (step - around).abs();
                    b.0.total_cmp(&a.0).then(change(a.1).cmp(&change(b.1)))
                })?;
            previous = Some(step);
            fit += correlation;
            measured.push(step as f64 / FOLLOW_LOOKS_A_MODULE as f64);
        }
        if fit / (measured.len() as f64) < FOLLOW_MIN_FIT {
            return None;
        }
        // One window fooled by a smudge is outvoted by its neighbours; the modules beyond the
        // first and last measured hold their offsets.
        let smoothed = |i: usize| {
            let mut near = [
                measured[i.saturating_sub(1)],
                measured[i],
                measured[(i + 1).min(measured.len() - 1)],
            ];
            near.sort_by(f64::total_cmp);
            near[1]
        };
        Some(
            (0..size)
                .map(|module| {
                    smoothed((module - FOLLOW_FIRST).clamp(0, measured.len() as isize - 1) as usize)
                })
                .collect(),
        )
    }

    /// The grey level at (`u`, `v`) of the unit square, by the map `c` onto the grid's corners.
    fn bilinear_at(&self, c: &Projective, u: f64, v: f64) -> f64 {
        let [x, y] = c.map(u, v);
        self.bilinear(x, y)
    }

    /// The corners moved, a fraction of a module at a time, to where the code's fixed patterns
    /// (finders and their separators, timing, alignment) stand out most: rqrr's corners come
    /// from its own threshold and whole pixels, and its fourth corner from whichever blob it
    /// took for the alignment pattern, which on small or dense codes is often a module or more
    /// off.
    fn refined(&self, inverted: bool) -> [[f64; 2]; 4] {
        let fixed = fixed_modules(self.size);
        let span = (self.size + 1) as f64;
        let contrast = |corners: &[[f64; 2]; 4]| {
            let Some(c) = square_to_quad(corners) else {
                return f64::MIN;
            };
            let (mut dark, mut light) = ((0.0, 0usize), (0.0, 0usize));
            for &(x, y, is_dark) in &fixed {
                let value = self.module_grey(&c, x, y);
                let sum = if is_dark { &mut dark } else { &mut light };
                sum.0 += value;
                sum.1 += 1;
            }
            let difference = light.0 / light.1.max(1) as f64 - dark.0 / dark.1.max(1) as f64;
            if inverted { -difference } else { difference }
        };
        let [top_left, top_right, ..] = self.corners;
        let module = (top_right[0] - top_left[0]).hypot(top_right[1] - top_left[1]) / span;
        let (mut best, mut best_contrast) = (self.corners, contrast(&self.corners));
        for step in REFINE_STEPS {
            for _ in 0..REFINE_ROUNDS {
                let mut moved = false;
                for corner in 0..4 {
                    for axis in 0..2 {
                        for direction in [-1.0, 1.0] {
                            let mut trial = best;
                            trial[corner][axis] += direction * step * module;
                            let trial_contrast = contrast(&trial);
                            if trial_contrast > best_contrast {
                                (best, best_contrast, moved) = (trial, trial_contrast, true);
                            }
                        }
                    }
                }
                if !moved {
                    break;
                }
            }
        }
        best
    }

    /// The grid's side in pixels a module, from its four sides' mean.
    fn module_pitch(&self) -> f64 {
        let c = &self.corners;
        let side = |a: usize, b: usize| (c[a][0] - c[b][0]).hypot(c[a][1] - c[b][1]);
        (side(0, 1) + side(1, 2) + side(2, 3) + side(3, 0)) / 4.0 / self.size as f64
    }

    /// The share of neighbouring modules along the two timing patterns whose grey levels
    /// differ the way the pattern alternates, where the grid lies now: about a half for a
    /// grid that is not a code, or is one placed at the wrong size. Light-on-dark
    /// (`inverted`) codes alternate the other way round.
    pub fn timing_agreement(&self, inverted: bool) -> f64 {
        let Some(c) = square_to_quad(&self.corners) else {
            return 0.0;
        };
        let (mut agree, mut total) = (0, 0);
        for i in 8..self.size - 9 {
            // Timing modules at even positions are dark.
            let dark_first = (i % 2 == 0) != inverted;
            let across = (self.module_grey(&c, i, 6), self.module_grey(&c, i + 1, 6));
            let down = (self.module_grey(&c, 6, i), self.module_grey(&c, 6, i + 1));
            for (first, second) in [across, down] {
                agree += usize::from((first < second) == dark_first);
                total += 1;
            }
        }
        agree as f64 / total.max(1) as f64
    }

    /// The grey level at the centre of module (`x`, `y`), by the map `c` of the unit square
    /// onto the grid's corners.
    fn module_grey(&self, c: &Projective, x: usize, y: usize) -> f64 {
        let span = (self.size + 1) as f64;
        self.bilinear_at(c, (x as f64 + 0.5) / span, (y as f64 + 0.5) / span)
    }

    /// The grey level at a point between pixels, interpolated from the four around it.
    fn bilinear(&self, x: f64, y: f64) -> f64 {
        // NaN and far-off points clamp to the border.
        let x = x.clamp(0.0, (self.w - 1) as f64);
        let y = y.clamp(0.0, (self.h - 1) as f64);
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = (x - x0 as f64, y - y0 as f64);
        let at = |xx: usize, yy: usize| f64::from(self.image[yy * self.w + xx]);
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    fn decode_shifted(
        &self,
        shift: (f64, f64, f64),
        followed: Option<&Followed>,
        inverted: bool,
    ) -> Option<qr::Payload> {
        let values = self.module_means(shift, followed);
        let size = self.size;
        // The modules' own grey levels split into dark and light better than any image-wide
        // threshold: the code's area is all that matters. Where light falls unevenly across
        // the code, each module is compared with the modules around it instead.
        let global = otsu(&values);
        let local = module_neighbourhood_means(&values, size);
        let by_global = |x: usize, y: usize| (values[y * size + x] <= global) != inverted;
        let by_local =
            |x: usize, y: usize| (values[y * size + x] < local[y * size + x]) != inverted;
        let splits: [&dyn Fn(usize, usize) -> bool; 2] = [&by_global, &by_local];
        splits.iter().find_map(|dark| decode_modules(size, dark))
    }

    fn module_means(
        &self,
        (shift_u, shift_v, scale): (f64, f64, f64),
        followed: Option<&Followed>,
    ) -> Vec<u8> {
        #[cfg(test)]
        crate::testing::count(|work| work.samplings += 1);
        let Some(c) = square_to_quad(&self.corners) else {
            return vec![0; self.size * self.size];
        };
        // rqrr's bounds span size + 1 modules.
        let span = (self.size + 1) as f64;
        let mut values = Vec::with_capacity(self.size * self.size);
        for y in 0..self.size {
            for x in 0..self.size {
                let (follow_u, follow_v) =
                    followed.map_or((0.0, 0.0), |f| (f.columns[x], f.rows[y]));
                let sum: u32 = SAMPLE_OFFSETS
                    .iter()
                    .map(|&(du, dv)| {
                        let centre = self.size as f64 / 2.0;
                        let u =
                            ((x as f64 + 0.5 - centre) * scale + centre + du + shift_u + follow_u)
                                / span;
                        let v =
                            ((y as f64 + 0.5 - centre) * scale + centre + dv + shift_v + follow_v)
                                / span;
                        let [px, py] = c.map(u, v);
                        // NaN and far-off points clamp to the border instead of panicking.
                        let px = (px.max(0.0) as usize).min(self.w - 1);
                        let py = (py.max(0.0) as usize).min(self.h - 1);
                        u32::from(self.image[py * self.w + px])
                    })
                    .sum();
                values.push((sum / SAMPLE_OFFSETS.len() as u32) as u8);
            }
        }
        values
    }
}

/// The Pearson correlation of two series of the same length; 0 where either is flat.
fn correlation(a: impl Iterator<Item = f64>, b: impl Iterator<Item = f64>) -> f64 {
    let (mut n, mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (x, y) in a.zip(b) {
        n += 1.0;
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
    }
    let spread = ((n * saa - sa * sa) * (n * sbb - sb * sb)).sqrt();
    if spread > f64::EPSILON {
        (n * sab - sa * sb) / spread
    } else {
        0.0
    }
}

/// Each column's and row's offset from the grid's map, in modules (`Sampled::followed`).
#[derive(Debug)]
struct Followed {
    columns: Vec<f64>,
    rows: Vec<f64>,
}

/// A finder's offset is sought up to a module and a half either way, in looks.
const FINDER_SHIFTS: isize = 6;
/// Its modules' stretch, in twentieths: a bend foreshortens a finder towards a code's edge
/// (to 0.8 in the tightest test), and the map through the finders' centres rarely
/// understates it.
const FINDER_STRETCHES: std::ops::RangeInclusive<u8> = 12..=24;
/// Looks a module along the timing patterns; offsets are found to a quarter of a module.
const FOLLOW_LOOKS_A_MODULE: usize = 4;
/// A module's offset is found from the looks within three and a half modules of it.
const FOLLOW_WINDOW: isize = 14;
/// Offsets tried: up to two modules and a half either way.
const FOLLOW_STEPS: isize = 10;
/// The modules nearer the ends than this see one edge at most (the quiet zone's, which a
/// tight crop may not have): they take the offset of the nearest module that sees more.
const FOLLOW_FIRST: isize = 4;
/// Looks a neighbouring module's offset may differ by: a bend moves neighbours together.
const FOLLOW_TRACK: isize = 1;
/// The least mean correlation between the timing patterns seen and the known pattern, once
/// followed, for a grid to be sampled so: above 0.85 for the bent codes in the tests, about
/// 0.55 for a grid placed at the wrong size.
const FOLLOW_MIN_FIT: f64 = 0.7;
/// Below this share of its timing alternating, a grid is not worth following: about what
/// one bent by a module and a half between its finders keeps (0.5 in the tests), where a
/// grid that is not a code keeps from 0.4 to 0.6.
const MIN_TIMING_TO_FOLLOW: f64 = 0.45;

/// Corner moves tried, in modules: coarse first to catch a corner that is far off, then finer.
const REFINE_STEPS: [f64; 4] = [1.0, 0.5, 0.25, 0.125];

/// Sweeps over the corners at one step size, at most; each stops early when nothing moved.
const REFINE_ROUNDS: usize = 6;

/// The modules every code of this size has in the same place, dark or light: finder patterns
/// with their light separators, timing patterns and alignment patterns.
fn fixed_modules(size: usize) -> Vec<(usize, usize, bool)> {
    let mut fixed = Vec::new();
    let far = size - 7;
    for (left, top) in [(0, 0), (far, 0), (0, far)] {
        // The finder (rings 0 to 3 from its centre, ring 2 light) and its separator (ring 4).
        for dy in -1..=7_isize {
            for dx in -1..=7_isize {
                let (x, y) = (left as isize + dx, top as isize + dy);
                if !(0..size as isize).contains(&x) || !(0..size as isize).contains(&y) {
                    continue;
                }
                let ring = (dx - 3).abs().max((dy - 3).abs());
                fixed.push((x as usize, y as usize, ring != 2 && ring != 4));
            }
        }
    }
    for i in 8..size - 8 {
        fixed.push((i, 6, i % 2 == 0));
        fixed.push((6, i, i % 2 == 0));
    }
    fixed.push((8, size - 8, true));
    let version = (size - 17) / 4;
    if version >= 7 {
        // The version's codeword, in two 6×3 blocks beside the far finders.
        let codeword = qr::version_codeword(version);
        for bit in 0..18 {
            let dark = codeword >> bit & 1 == 1;
            let (x, y) = qr::version_bit_module(size, bit);
            fixed.push((y, x, dark));
            fixed.push((x, y, dark));
        }
    }
    let centres = qr::alignment_centres(version);
    for &cy in &centres {
        for &cx in &centres {
            let on_finder = (cx == 6 && (cy == 6 || cy == far)) || (cy == 6 && cx == far);
            if on_finder {
                continue;
            }
            for dy in -2..=2_isize {
                for dx in -2..=2_isize {
                    let ring = dx.abs().max(dy.abs());
                    fixed.push((
                        (cx as isize + dx) as usize,
                        (cy as isize + dy) as usize,
                        ring != 1,
                    ));
                }
            }
        }
    }
    fixed
}

/// Reads a sampled module grid (dark = true), straight and then mirrored, with our own reader:
/// rqrr's decoder carries a 64 KB multiplication table and version tables that would ship in
/// the widget's wasm, where ours needs two 256-byte tables; ours also reads FNC1, structured
/// append and Hanzi, and lets Reed–Solomon choose between doubtful format readings.
pub(crate) fn decode_modules(
    size: usize,
    dark: &dyn Fn(usize, usize) -> bool,
) -> Option<qr::Payload> {
    let straight = rqrr::SimpleGrid::from_func(size, dark);
    let mirrored = rqrr::SimpleGrid::from_func(size, |x, y| dark(y, x));
    [straight, mirrored]
        .iter()
        .find_map(|grid| qr::decode(grid))
}

/// Each module's value is compared with the mean of the modules within this many of it.
const MODULE_RADIUS: usize = 3;

/// From a summed-area table: 49 additions per module were a good part of each sampling, and
/// a frame full of finder-like print samples dozens of grids.
fn module_neighbourhood_means(values: &[u8], size: usize) -> Vec<u8> {
    let stride = size + 1;
    let mut integral = vec![0u32; stride * stride];
    for y in 0..size {
        let mut row = 0u32;
        for x in 0..size {
            row += u32::from(values[y * size + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
        }
    }
    let mut out = Vec::with_capacity(values.len());
    for y in 0..size {
        let (y0, y1) = (
            y.saturating_sub(MODULE_RADIUS),
            (y + MODULE_RADIUS + 1).min(size),
        );
        for x in 0..size {
            let (x0, x1) = (
                x.saturating_sub(MODULE_RADIUS),
                (x + MODULE_RADIUS + 1).min(size),
            );
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            out.push((sum / ((y1 - y0) * (x1 - x0)) as u32) as u8);
        }
    }
    out
}

/// A plane projective map: a 3×3 matrix acting on (x, y, 1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Projective([f64; 9]);

impl Projective {
    /// The map taking each corner of `from` to the same corner of `to` (both clockwise from
    /// the same corner); None when either is degenerate.
    pub fn between(from: &[[f64; 2]; 4], to: &[[f64; 2]; 4]) -> Option<Projective> {
        Some(square_to_quad(to)?.after(&square_to_quad(from)?.inverse()?))
    }

    pub fn map(&self, x: f64, y: f64) -> [f64; 2] {
        let m = &self.0;
        let den = m[6] * x + m[7] * y + m[8];
        [
            (m[0] * x + m[1] * y + m[2]) / den,
            (m[3] * x + m[4] * y + m[5]) / den,
        ]
    }

    fn inverse(&self) -> Option<Projective> {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let adjugate = [
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ];
        let det = a * adjugate[0] + b * adjugate[3] + c * adjugate[6];
        (det.abs() > f64::EPSILON).then(|| Projective(adjugate.map(|v| v / det)))
    }

    /// This map applied after `first`.
    fn after(&self, first: &Projective) -> Projective {
        let (a, b) = (&self.0, &first.0);
        Projective(std::array::from_fn(|k| {
            let (row, column) = (k / 3, k % 3);
            (0..3).map(|n| a[row * 3 + n] * b[n * 3 + column]).sum()
        }))
    }
}

/// The projective map of the unit square onto `quad` (corners clockwise from the origin's).
/// None when degenerate.
fn square_to_quad(quad: &[[f64; 2]; 4]) -> Option<Projective> {
    let [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = *quad;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let den = dx1 * dy2 - dx2 * dy1;
    if den.abs() < f64::EPSILON {
        return None;
    }
    let g = (dx3 * dy2 - dx2 * dy3) / den;
    let h = (dx1 * dy3 - dx3 * dy1) / den;
    Some(Projective([
        x1 - x0 + g * x1,
        x3 - x0 + h * x3,
        x0,
        y1 - y0 + g * y1,
        y3 - y0 + h * y3,
        y0,
        g,
        h,
        1.0,
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_modules_of_version_1_are_finders_separators_and_timing() {
        let fixed = fixed_modules(21);
        // Three finders of 49, three clipped separators of 15, two timing runs of 5 and the
        // dark module beside the bottom-left finder.
        assert_eq!(fixed.len(), 3 * 49 + 3 * 15 + 2 * 5 + 1);
        assert!(fixed.contains(&(8, 13, true)));
        assert!(fixed.contains(&(3, 3, true)) && fixed.contains(&(1, 1, false)));
        assert!(fixed.contains(&(7, 7, false)) && fixed.contains(&(13, 7, false)));
        assert!(fixed.contains(&(8, 6, true)) && fixed.contains(&(6, 9, false)));
    }

    #[test]
    fn fixed_modules_of_version_2_add_one_alignment_pattern() {
        let fixed = fixed_modules(25);
        assert_eq!(fixed.len(), 3 * 49 + 3 * 15 + 2 * 9 + 1 + 25);
        assert!(fixed.contains(&(18, 18, true)) && fixed.contains(&(17, 18, false)));
    }

    #[test]
    fn fixed_modules_of_version_7_add_its_version_blocks() {
        let fixed = fixed_modules(45);
        // 0x07c94: bit 17 (top of the block's far column) is 0, bit 2 is 1, bit 0 is 0.
        assert!(fixed.contains(&(45 - 9, 5, false)) && fixed.contains(&(5, 45 - 9, false)));
        assert!(fixed.contains(&(45 - 9, 0, true)) && fixed.contains(&(0, 45 - 9, true)));
        assert!(fixed.contains(&(45 - 11, 0, false)));
    }

    /// A version-2 grid drawn at 4 pixels a module, data modules in a fixed pseudo-random
    /// pattern, with a 4-module light margin.
    /// The grid of `size` modules whose bounds are `corners` in the square `image`.
    fn grid_on(image: &[u8], side: usize, corners: [[f64; 2]; 4], size: usize) -> Sampled<'_> {
        Sampled {
            image,
            w: side,
            h: side,
            corners,
            size,
        }
    }

    fn drawn_grid() -> (Vec<u8>, usize, [[f64; 2]; 4]) {
        let (size, module, margin) = (25, 4, 4);
        let side = (size + 2 * margin) * module;
        let mut seed = 12345u32;
        let mut dark = vec![false; size * size];
        for cell in dark.iter_mut() {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *cell = seed >> 16 & 1 == 1;
        }
        for (x, y, is_dark) in fixed_modules(size) {
            dark[y * size + x] = is_dark;
        }
        let mut image = vec![230u8; side * side];
        for (i, pixel) in image.iter_mut().enumerate() {
            let (mx, my) = ((i % side) / module, (i / side) / module);
            let inside =
                (margin..margin + size).contains(&mx) && (margin..margin + size).contains(&my);
            if inside && dark[(my - margin) * size + mx - margin] {
                *pixel = 30;
            }
        }
        // The bounds as rqrr gives them: span size + 1 modules from the code's corner.
        let (near, far) = (
            (margin * module) as f64,
            ((margin + size + 1) * module) as f64,
        );
        (
            image,
            side,
            [[near, near], [far, near], [far, far], [near, far]],
        )
    }

    /// The passes find one grid again through each threshold: refined in vain once, it is
    /// not refined again where it lies within a fraction of a module of where it was, over
    /// the same pixels; over the smoothed copy's, it is.
    #[test]
    fn a_grid_near_one_refined_in_vain_is_not_refined_again() {
        // Its timing and finders are a code's, its data modules noise: no reading.
        let (image, side, corners) = drawn_grid();
        let failed = Failed::default();
        let mut refinements = 10;
        let mut decode = |corners: [[f64; 2]; 4], smoothed| {
            let placed = Placed::reduced(&failed, smoothed);
            let grid = grid_on(&image, side, corners, 25);
            assert!(
                grid.decode_unless_failed(false, &mut refinements, placed)
                    .is_none()
            );
            refinements
        };
        assert_eq!(decode(corners, false), 9);
        // A quarter of a module off, four pixels a module.
        assert_eq!(decode(corners.map(|[x, y]| [x + 0.7, y - 0.7]), false), 9);
        assert_eq!(decode(corners, true), 8);
    }

    #[test]
    fn refining_brings_a_misplaced_fourth_corner_back() {
        let (image, side, truth) = drawn_grid();
        let mut corners = truth;
        corners[2][0] -= 7.0;
        corners[2][1] += 5.0;
        let grid = grid_on(&image, side, corners, 25);
        let refined = grid.refined(false);
        let off = (refined[2][0] - truth[2][0]).hypot(refined[2][1] - truth[2][1]);
        assert!(
            off < 1.5,
            "fourth corner still {off:.1} px off: {refined:?}"
        );
    }

    #[test]
    fn timing_patterns_tell_a_grid_at_its_size_from_one_at_the_wrong_size() {
        let (image, side, truth) = drawn_grid();
        let grid = |size| grid_on(&image, side, truth, size);
        assert!(grid(25).timing_agreement(false) > 0.95);
        assert!(grid(25).timing_agreement(true) < 0.05);
        assert!(grid(29).timing_agreement(false) < MIN_TIMING_AGREEMENT);
        assert!(grid(21).timing_agreement(false) < MIN_TIMING_AGREEMENT);
    }

    #[test]
    fn following_a_flat_code_s_timing_finds_no_bend() {
        let (image, side, truth) = drawn_grid();
        let grid = grid_on(&image, side, truth, 25);
        let followed = grid
            .followed(false)
            .expect("a code at its size is followed");
        for offset in followed.columns.iter().chain(&followed.rows) {
            assert!(offset.abs() <= 0.25, "{followed:?}");
        }
    }

    #[test]
    fn a_grid_at_the_wrong_size_is_not_followed() {
        let (image, side, truth) = drawn_grid();
        for size in [21, 29] {
            let grid = grid_on(&image, side, truth, size);
            assert!(grid.followed(false).is_none(), "size {size}");
        }
    }

    #[test]
    fn refining_keeps_corners_that_are_right() {
        let (image, side, truth) = drawn_grid();
        let grid = grid_on(&image, side, truth, 25);
        let refined = grid.refined(false);
        for (r, t) in refined.iter().zip(truth) {
            assert!((r[0] - t[0]).hypot(r[1] - t[1]) < 1.5, "{refined:?}");
        }
    }
}
