//! Finding codes ourselves: finder patterns by their 1:1:3:1:1 runs across and down, grouped
//! in threes, the fourth corner from the alignment pattern. rqrr fits every candidate grid
//! twice (once to accept the group, once to return it), which on a camera frame costs most of
//! the time; this search costs a fraction of that, so it goes first.

use crate::Code;
use crate::prepare::Ink;
use crate::sample::{Placed, Projective, Sampled};
use crate::text::code_from;

/// A finder pattern's centre and module size, with how many scan lines crossed it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Finder {
    x: f64,
    y: f64,
    module: f64,
    hits: u32,
}

/// Codes read from finder patterns found in `ink`'s pixels, placed in the reduced image by
/// `placed`; with them, how many finders were seen.
pub(crate) fn codes(ink: Ink, placed: Placed) -> (Vec<Code>, usize) {
    let Ink {
        image,
        w,
        h,
        inverted,
        ..
    } = ink;
    let finders = finders(ink);
    let mut used = Vec::new();
    let mut refinements = MAX_REFINED;
    let mut codes = Vec::new();
    for (attempt, group) in groups(&finders).into_iter().enumerate() {
        if attempt == MAX_GROUPS {
            break;
        }
        if group.corners.iter().any(|i| used.contains(i)) {
            continue;
        }
        let three = group.corners.map(|i| finders[i]);
        // The size measured along the sides first, where it differs from the spacing's guess.
        let measured = size_from_widths(ink, three);
        let guessed = group.sizes.iter().copied();
        let sizes = measured
            .into_iter()
            .chain(guessed.filter(|&size| Some(size) != measured));
        let found = sizes.into_iter().find_map(|size| {
            let corners = grid_corners(ink, three, size)?;
            let grid = Sampled {
                image,
                w,
                h,
                corners,
                size,
            };
            let payload = grid.decode_unless_failed(inverted, &mut refinements, placed)?;
            Some((payload, corners))
        });
        if let Some((payload, corners)) = found {
            used.extend(group.corners);
            codes.push(code_from(
                payload,
                corners.map(|[x, y]| [x as f32, y as f32]),
            ));
        }
    }
    (codes, finders.len())
}

/// Groups tried per image: a frame full of print (text, barcodes, a pattern) can hold many
/// finder-like shapes, and each group costs a sampling.
const MAX_GROUPS: usize = 8;

/// Rows scanned for finders: every other one. Each hit is confirmed down its column and
/// across again, so a finder's centre, three modules tall, is still crossed twice at 1.4
/// pixels a module, finer than a camera frame resolves; and the rows are most of the time
/// of a frame with no code in it.
const ROW_STEP: usize = 2;

/// Grids refined, or followed from just under the timing gate, per search: refining and
/// shifting a grid that did not read where it was placed costs several milliseconds on a
/// large code, and a frame of print groups many; on the corpus no frame read needed a third.
pub(crate) const MAX_REFINED: usize = 2;

/// Finder candidates kept for grouping, most often crossed first.
const MAX_FINDERS: usize = 12;

/// How far the width of two neighbouring runs may stray from its share of a finder, in
/// modules per module of that share.
const PAIR_SLACK: f64 = 0.35;

/// The five runs (dark first) have a finder's 1:1:3:1:1 proportions. Neighbouring runs are
/// judged in pairs: blur and a threshold off the middle grow every dark run and shrink every
/// light one by the same amount, which leaves the width of a dark and a light run together
/// unchanged.
fn finder_like(runs: [usize; 5]) -> bool {
    let total: usize = runs.iter().sum();
    if total < 7 || runs.contains(&0) {
        return false;
    }
    let module = total as f64 / 7.0;
    runs.windows(2)
        .map(|pair| (pair[0] + pair[1]) as f64)
        .zip([2.0, 4.0, 4.0, 2.0])
        .all(|(pair, share)| (pair - share * module).abs() <= share * module * PAIR_SLACK)
}

/// Every row is scanned for finder-like runs; each one that also reads as a finder down its
/// centre column, and across again at the centre found, becomes or strengthens a candidate.
fn finders(ink: Ink) -> Vec<Finder> {
    let Ink { w, h, .. } = ink;
    let mut found: Vec<Finder> = Vec::new();
    // Of `found`, the candidates a later row may still strengthen, in the order they were
    // found: print repeated across a page makes thousands of candidates, and matching each
    // hit against all of them was most of the time of a large photo with no code.
    let mut open: Vec<usize> = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut row = vec![false; w];
    for y in (0..h).step_by(ROW_STEP) {
        open.retain(|&i| y as f64 - found[i].y <= CLOSED_BELOW * found[i].module.max(1.0));
        ink.row(y, &mut row);
        runs.clear();
        let mut start = 0;
        changes(&row, |x| {
            runs.push((start, x - start));
            start = x;
        });
        runs.push((start, w - start));
        // Windows of five runs starting on a dark one.
        let first_dark = usize::from(!row[0]);
        for window in runs[first_dark.min(runs.len())..].windows(5).step_by(2) {
            let lengths: [usize; 5] = std::array::from_fn(|k| window[k].1);
            if !finder_like(lengths) {
                continue;
            }
            let centre_x = window[2].0 + window[2].1 / 2;
            let across: usize = lengths.iter().sum();
            if let Some(finder) = confirm(ink, centre_x, y, across) {
                merge(&mut found, &mut open, finder);
            }
        }
    }
    strongest(found)
}

/// A row crosses a finder within its centre run, so at most half its height (seven of its
/// modules) from its centre, and a hit joins a candidate within one of the candidate's
/// modules whose module is at least half its own: rows more than this many of a candidate's
/// modules below its centre cannot add to it.
const CLOSED_BELOW: f64 = 16.0;

/// The `MAX_FINDERS` candidates crossed most often, of those crossed at least twice; ties in
/// the order they were found.
fn strongest(found: Vec<Finder>) -> Vec<Finder> {
    let mut best: Vec<Finder> = Vec::with_capacity(MAX_FINDERS + 1);
    for finder in found.into_iter().filter(|f| f.hits >= 2) {
        let at = best
            .iter()
            .position(|b| b.hits < finder.hits)
            .unwrap_or(best.len());
        if at < MAX_FINDERS {
            best.insert(at, finder);
            best.truncate(MAX_FINDERS);
        }
    }
    best
}

/// Calls `change` with each position in `row` whose value differs from the one before, in
/// order, eight at a time: the two words eight pixels apart and one pixel apart differ by a
/// set bit in each byte where the pixel changes. Grain and fine print change every few
/// pixels, and a pixel-by-pixel comparison was the finder search's largest cost on a grainy
/// photo.
fn changes(row: &[bool], mut change: impl FnMut(usize)) {
    let word = |at: usize| {
        let bytes: [bool; 8] = row[at..at + 8].try_into().unwrap_or_default();
        u64::from_le_bytes(bytes.map(u8::from))
    };
    let mut x = 1;
    while x + 8 <= row.len() {
        let mut differ = word(x) ^ word(x - 1);
        while differ != 0 {
            change(x + differ.trailing_zeros() as usize / 8);
            differ &= differ - 1;
        }
        x += 8;
    }
    (x..row.len())
        .filter(|&i| row[i] != row[i - 1])
        .for_each(change);
}

/// The finder crossed at (`x`, `y`) by a row run `across` pixels wide, checked down its
/// column, across again through the centre that gives, and along the diagonal through it.
fn confirm(ink: Ink, x: usize, y: usize, across: usize) -> Option<Finder> {
    let (y_centre, down) = cross(|i| ink.at(x, i), ink.h, y, across)?;
    let y_centre_row = y_centre as usize;
    let (x_centre, across) = cross(|i| ink.at(i, y_centre_row), ink.w, x, across)?;
    // Blocks of print can run 1:1:3:1:1 both across and down, and a page of them made
    // hundreds of candidates, enough for every rqrr pass to run on a photo with no code in
    // it. Any line through a finder's centre crosses its rings in those proportions, the
    // diagonal too; a diagonal step is a pixel across and one down, so the finder spans
    // between half (turned 45°) and all of as many steps as it spans pixels across.
    let (cx, cy) = (x_centre as usize, y_centre_row);
    let back = cx.min(cy);
    let diagonal = |i: usize| ink.at(cx - back + i, cy - back + i);
    let len = back + (ink.w - cx).min(ink.h - cy);
    cross(diagonal, len, back, across * 3 / 4)?;
    Some(Finder {
        x: x_centre,
        y: y_centre,
        module: (across + down) as f64 / 14.0,
        hits: 1,
    })
}

/// Along one line (`is_dark(i)` for i below `len`), the finder whose centre run holds
/// `start`: its centre and width, when its runs are finder-like and its width is close to
/// `expected`. Positions are continuous: pixel i covers [i, i + 1).
fn cross(
    is_dark: impl Fn(usize) -> bool,
    len: usize,
    start: usize,
    expected: usize,
) -> Option<(f64, usize)> {
    if !is_dark(start) {
        return None;
    }
    let limit = expected * 2;
    // The centre's half, the light ring and the dark ring, going one way from `from`.
    let runs_from = |from: usize, step: isize| {
        let (mut runs, mut i) = ([0usize; 3], from as isize);
        for (run, colour) in runs.iter_mut().zip([true, false, true]) {
            while (0..len as isize).contains(&i) && is_dark(i as usize) == colour {
                *run += 1;
                i += step;
                if *run > limit {
                    return None;
                }
            }
        }
        Some(runs)
    };
    let before = runs_from(start, -1)?;
    let after = runs_from(start + 1, 1)?;
    let runs = [
        before[2],
        before[1],
        before[0] + after[0],
        after[1],
        after[2],
    ];
    let total: usize = runs.iter().sum();
    // Seen at a slant, a finder's height and width differ: tilted 60° and seen from close
    // by, the far finders are under half as tall as they are wide.
    if !finder_like(runs) || 3 * total < expected || total > 3 * expected {
        return None;
    }
    let centre = (start + 1) as f64 + (after[0] as f64 - before[0] as f64) / 2.0;
    Some((centre, total))
}

/// Orders `items` by `key`, smallest first, keeping ties in order. The lists are short, and
/// the standard library's sorts would add kilobytes per element type to the widget's wasm.
fn insertion_sort<T>(items: &mut [T], key: impl Fn(&T) -> f64) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Adds `finder` to the open candidate it falls on (a weighted mean), or as a new one.
fn merge(found: &mut Vec<Finder>, open: &mut Vec<usize>, finder: Finder) {
    let same = open.iter().copied().find(|&i| {
        let f = &found[i];
        (f.x - finder.x).abs() <= f.module
            && (f.y - finder.y).abs() <= f.module
            && (f.module - finder.module).abs() <= f.module.max(1.0)
    });
    let Some(i) = same else {
        open.push(found.len());
        found.push(finder);
        return;
    };
    let f = &mut found[i];
    let n = f64::from(f.hits);
    f.x = (f.x * n + finder.x) / (n + 1.0);
    f.y = (f.y * n + finder.y) / (n + 1.0);
    f.module = (f.module * n + finder.module) / (n + 1.0);
    f.hits += 1;
}

/// Three finders that could be one code's: indices top-left, top-right, bottom-left, and
/// the code sizes their spacing suggests, likeliest first.
#[derive(Debug)]
struct Group {
    corners: [usize; 3],
    sizes: Vec<usize>,
    skew: f64,
    /// Beyond the angle or the spread of module sizes of a code seen from in front.
    steep: bool,
}

/// Finder module sizes differ by at most this factor within one code (perspective). A photo
/// taken close and steeply (zxing-cpp's fix-traceline) has its near finder's modules twice
/// as wide as its far one's; a code tilted 50° about its diagonal, more than that.
const MAX_MODULE_RATIO: f64 = 3.0;

/// The two sides from the top-left finder differ in length by at most this factor: a code
/// tilted 60° is squeezed to half its height, and more towards its far edge.
const MAX_SIDE_RATIO: f64 = 2.5;

/// The angle at the top-left finder is this close to square (its cosine): a code tilted 55°
/// about its diagonal opens that corner to some 130°.
const MAX_COSINE: f64 = 0.7;

/// Groups within these bounds are tried before any steeper one. Most groups past them are
/// finder-like print, and a frame holds only so many groups (`MAX_GROUPS`): when steep groups
/// were sorted among the others by their skew alone, one of them took the place of a turned
/// and tilted code's own group.
const USUAL_MODULE_RATIO: f64 = 2.2;
const USUAL_COSINE: f64 = 0.45;

fn groups(finders: &[Finder]) -> Vec<Group> {
    let mut groups = Vec::new();
    let n = finders.len();
    for a in 0..n {
        for b in a + 1..n {
            for c in b + 1..n {
                groups.extend(group([a, b, c], finders).into_iter().flatten());
            }
        }
    }
    // Skews stay below 3 (`MAX_COSINE` and the logarithms of the two ratios).
    insertion_sort(&mut groups, |group| {
        group.skew + if group.steep { 3.0 } else { 0.0 }
    });
    groups
}

/// The longest side of a group faces its top-left finder, unless the next longest is this
/// close to it (a fraction of its length): then each is tried.
const SIDES_ALIKE: f64 = 0.1;

/// The ways three finders can be one code's: one, or two where it is unclear which of them
/// is the top-left. A code seen steeply from below or above is squeezed along its columns
/// until the side between its top finders is no longer than the diagonal.
fn group(indices: [usize; 3], finders: &[Finder]) -> [Option<Group>; 2] {
    let modules = indices.map(|i| finders[i].module);
    let (small, large) = modules
        .iter()
        .fold((f64::MAX, 0.0f64), |(s, l), &m| (s.min(m), l.max(m)));
    if large > small * MAX_MODULE_RATIO {
        return [None, None];
    }
    let distance =
        |i: usize, j: usize| (finders[i].x - finders[j].x).hypot(finders[i].y - finders[j].y);
    let [a, b, c] = indices;
    let mut sides = [
        (distance(b, c), [a, b, c]),
        (distance(a, c), [b, a, c]),
        (distance(a, b), [c, a, b]),
    ];
    insertion_sort(&mut sides, |side| -side.0);
    let spread = (large / small).ln();
    let at = |[corner, right, down]: [usize; 3]| group_at(corner, right, down, finders, spread);
    let alike = sides[1].0 >= sides[0].0 * (1.0 - SIDES_ALIKE);
    [at(sides[0].1), alike.then(|| at(sides[1].1)).flatten()]
}

/// The group with `corner` as its top-left finder, when the three lie as a code's do; their
/// module sizes differ by the factor whose logarithm is `module_spread`.
fn group_at(
    corner: usize,
    mut right: usize,
    mut down: usize,
    finders: &[Finder],
    module_spread: f64,
) -> Option<Group> {
    let (o, p, q) = (finders[corner], finders[right], finders[down]);
    let (ux, uy, vx, vy) = (p.x - o.x, p.y - o.y, q.x - o.x, q.y - o.y);
    let (u, v) = (ux.hypot(uy), vx.hypot(vy));
    if u.max(v) > u.min(v) * MAX_SIDE_RATIO {
        return None;
    }
    let cosine = (ux * vx + uy * vy) / (u * v);
    if cosine.abs() > MAX_COSINE {
        return None;
    }
    // Image y points down: a code read the right way round turns clockwise from right to down.
    if ux * vy - uy * vx < 0.0 {
        std::mem::swap(&mut right, &mut down);
    }
    // Finder widths were measured along rows and columns, which cross a finder turned by
    // some angle on a chord longer than its side by 1 / max(|cos|, |sin|) of that angle.
    let chord = u / ux.abs().max(uy.abs());
    let (o_module, p_module, q_module) = (o.module / chord, p.module / chord, q.module / chord);
    // Finder centres are 7 modules apart less than the code is wide.
    let estimate =
        (u / ((o_module + p_module) / 2.0) + v / ((o_module + q_module) / 2.0)) / 2.0 + 7.0;
    let nearest = ((estimate - 17.0) / 4.0).round().clamp(1.0, 40.0);
    let next = if estimate > 17.0 + 4.0 * nearest {
        nearest + 1.0
    } else {
        nearest - 1.0
    };
    let sizes = [nearest, next]
        .into_iter()
        .filter(|version| (1.0..=40.0).contains(version))
        .map(|version| 17 + 4 * version as usize)
        .collect();
    Some(Group {
        corners: [corner, right, down],
        sizes,
        skew: cosine.abs() + (u / v).ln().abs() + module_spread,
        steep: cosine.abs() > USUAL_COSINE || module_spread > USUAL_MODULE_RATIO.ln(),
    })
}

/// The grid's corners in `Sampled`'s terms (module centres at half-module points of a square
/// `size + 1` modules wide) from the three finders (top-left, top-right, bottom-left), the
/// fourth corner being fitted to the alignment pattern when the code has one.
fn grid_corners(
    ink: Ink,
    [top_left, top_right, bottom_left]: [Finder; 3],
    size: usize,
) -> Option<[[f64; 2]; 4]> {
    let near = 3.5;
    let far = size as f64 - 3.5;
    let span = far - near;
    // One module along each side, as the finders place it.
    let across = [
        (top_right.x - top_left.x) / span,
        (top_right.y - top_left.y) / span,
    ];
    let down = [
        (bottom_left.x - top_left.x) / span,
        (bottom_left.y - top_left.y) / span,
    ];
    let at = |u: f64, v: f64| stepped([top_left.x, top_left.y], across, down, u - near, v - near);
    // Seen at a slant, modules shrink with their distance from the camera, so the finders'
    // widths tell where the far corner lies: they give the projective map's denominator at
    // the finders (1 at the top-left). Along a line the map's stretch goes as the inverse
    // square of its denominator, so two finders' widths along the side between them differ
    // by the square of their denominators' ratio. (Taken as the ratio itself, from widths
    // along rows and columns, the guess was wrong by several modules on a code turned and
    // tilted 45°.) Widths are measured in whole pixels, so on a small code this guess can be
    // worse than the parallelogram's: both are searched from.
    let ratio = |from: Finder, to: Finder| {
        let widths = along_side(ink, from, to);
        widths
            .map_or(from.module / to.module, |(_, from, to)| from / to)
            .sqrt()
    };
    let (to_right, to_down) = (ratio(top_left, top_right), ratio(top_left, bottom_left));
    let in_perspective = |u: f64, v: f64| {
        let (du, dv) = ((u - near) / span, (v - near) / span);
        let denominator = 1.0 + (to_right - 1.0) * du + (to_down - 1.0) * dv;
        [0, 1].map(|k| {
            let [o, p, q] = [top_left, top_right, bottom_left].map(|f| [f.x, f.y][k]);
            (o + du * (p * to_right - o) + dv * (q * to_down - o)) / denominator
        })
    };
    let (fourth_grid, fourth) = if size >= 25 {
        let guess = far - 3.0;
        let search = |place: &dyn Fn(f64, f64) -> [f64; 2]| {
            // One module's step along each side where the pattern should be.
            let step = |du: f64, dv: f64| {
                let (a, b) = (place(guess - du, guess - dv), place(guess + du, guess + dv));
                [(b[0] - a[0]) / 2.0, (b[1] - a[1]) / 2.0]
            };
            let local = (step(1.0, 0.0), step(0.0, 1.0));
            alignment(ink, place(guess, guess), local.0, local.1, size)
        };
        let flat = search(&at);
        // Seen square on, the two guesses fall within a module of each other, and the first
        // search covered the second's ground.
        let ([ax, ay], [px, py]) = (at(guess, guess), in_perspective(guess, guess));
        let slanted = if (ax - px).hypot(ay - py) > across[0].hypot(across[1]) {
            search(&in_perspective)
        } else {
            None
        };
        let found = match (flat, slanted) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        (
            guess,
            found.map_or_else(|| at(guess, guess), |(_, centre)| centre),
        )
    } else {
        (far, at(far, far))
    };
    let grid = Projective::between(
        &[
            [near, near],
            [far, near],
            [fourth_grid, fourth_grid],
            [near, far],
        ],
        &[
            [top_left.x, top_left.y],
            [top_right.x, top_right.y],
            fourth,
            [bottom_left.x, bottom_left.y],
        ],
    )?;
    let edge = (size + 1) as f64;
    Some([[0.0, 0.0], [edge, 0.0], [edge, edge], [0.0, edge]].map(|[u, v]| grid.map(u, v)))
}

/// The code's size from its finders' spacing in modules, each finder's module measured along
/// the sides to the other two: under a steep slant, widths along rows and columns are off.
fn size_from_widths(ink: Ink, [top_left, top_right, bottom_left]: [Finder; 3]) -> Option<usize> {
    let modules_between = |from: Finder, to: Finder| {
        let (length, from, to) = along_side(ink, from, to)?;
        Some(length / ((from + to) / 14.0))
    };
    let spacing =
        (modules_between(top_left, top_right)? + modules_between(top_left, bottom_left)?) / 2.0;
    let version = ((spacing + 7.0 - 17.0) / 4.0).round();
    (1.0..=40.0)
        .contains(&version)
        .then(|| 17 + 4 * version as usize)
}

/// How far apart two finders are, and how wide each is along the line between them (pixel
/// steps), when that line crosses both as finders.
fn along_side(ink: Ink, from: Finder, to: Finder) -> Option<(f64, f64, f64)> {
    let side = [to.x - from.x, to.y - from.y];
    let length = side[0].hypot(side[1]);
    let along = [side[0] / length, side[1] / length];
    Some((
        length,
        width_along(ink, from, along)?,
        width_along(ink, to, along)?,
    ))
}

/// How wide `finder` is across its centre along the unit direction `along`, in pixel steps,
/// when the line crosses it as a finder.
fn width_along(ink: Ink, finder: Finder, along: [f64; 2]) -> Option<f64> {
    // Steps each way from the centre: more than the finder's half-width at its widest.
    let reach = (finder.module * 10.5) as usize + 2;
    let is_dark = |i: usize| {
        let t = i as f64 - reach as f64;
        let (x, y) = (finder.x + t * along[0], finder.y + t * along[1]);
        x >= 0.0
            && y >= 0.0
            && (x as usize) < ink.w
            && (y as usize) < ink.h
            && ink.at(x as usize, y as usize)
    };
    let expected = (finder.module * 7.0).round() as usize;
    cross(is_dark, 2 * reach + 1, reach, expected).map(|(_, width)| width as f64)
}

/// The alignment pattern's centre near `guess`, with how many of its modules fit: the middle
/// of the points, on a quarter-module lattice up to a few modules away, where a dark centre,
/// light ring and dark ring fit best.
fn alignment(
    ink: Ink,
    guess: [f64; 2],
    across: [f64; 2],
    down: [f64; 2],
    size: usize,
) -> Option<(usize, [f64; 2])> {
    let is_dark = |[x, y]: [f64; 2]| {
        (x >= 0.0 && y >= 0.0 && (x as usize) < ink.w && (y as usize) < ink.h)
            .then(|| ink.at(x as usize, y as usize))
    };
    let at = |centre: [f64; 2], du: f64, dv: f64| stepped(centre, across, down, du, dv);
    // The best fit on a lattice `step` modules apart, `reach` steps each way from `from`, of
    // those scoring at least `floor`. A centre is given up on as soon as it has missed more
    // modules than the best so far (or the floor) allows: most miss within a few, and the
    // 25 modules of every lattice point were the largest part of a failed photo's search.
    let best_on = |from: [f64; 2], reach: isize, step: f64, floor: usize| {
        let (mut best, mut sum, mut count) = (0, [0.0, 0.0], 0.0);
        for j in -reach..=reach {
            'points: for i in -reach..=reach {
                let centre = at(from, i as f64 * step, j as f64 * step);
                let allowed = PATTERN_MODULES - best.max(floor);
                let mut missed = 0;
                for dy in -2..=2_i32 {
                    for dx in -2..=2_i32 {
                        let ring = dx.abs().max(dy.abs());
                        if is_dark(at(centre, f64::from(dx), f64::from(dy))) != Some(ring != 1) {
                            missed += 1;
                        }
                    }
                    if missed > allowed {
                        continue 'points;
                    }
                }
                let score = PATTERN_MODULES - missed;
                // A sharp pattern scores its best over a patch a module or so wide: its
                // middle is the centre.
                if score > best {
                    (best, sum, count) = (score, [0.0, 0.0], 0.0);
                }
                if score == best {
                    sum = [sum[0] + centre[0], sum[1] + centre[1]];
                    count += 1.0;
                }
            }
        }
        (best, [sum[0] / count, sum[1] / count])
    };
    // Half a module apart first, which still lands within the patch a pattern fits best
    // over, then a quarter within a module of that: a quarter-module lattice over the whole
    // reach of a large code was most of a dense frame's search.
    let (best, coarse) = best_on(
        guess,
        2 * (4 + size as isize / 40),
        0.5,
        ALIGNMENT_MIN_SCORE,
    );
    if best < ALIGNMENT_MIN_SCORE {
        return None;
    }
    Some(best_on(coarse, 4, 0.25, 0))
}

/// The alignment pattern's modules, five by five.
const PATTERN_MODULES: usize = 25;

/// Of the alignment pattern's 25 modules, this many must read as expected.
const ALIGNMENT_MIN_SCORE: usize = 22;

/// `point` moved `du` modules along `across` and `dv` modules along `down` (each one module's
/// step in the image).
fn stepped(point: [f64; 2], across: [f64; 2], down: [f64; 2], du: f64, dv: f64) -> [f64; 2] {
    [
        point[0] + du * across[0] + dv * down[0],
        point[1] + du * across[1] + dv * down[1],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::prepare::LocalMeans;
    use crate::sample::Failed;
    use crate::testing::{code_width, drawn_code};

    /// Every change, in order, whatever the row's length and wherever within a word of
    /// eight the changes fall, down to one every pixel.
    #[test]
    fn changes_are_found_where_one_pixel_differs_from_the_one_before() {
        let mut seed = 7u32;
        for len in (0..40).chain([640, 1281]) {
            for every in [1, 2, 3, 5, 9] {
                let row: Vec<bool> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        (seed >> 16).is_multiple_of(every)
                    })
                    .collect();
                let mut found = Vec::new();
                changes(&row, |x| found.push(x));
                let expected: Vec<usize> = (1..len).filter(|&i| row[i] != row[i - 1]).collect();
                assert_eq!(found, expected, "{len} pixels, ink one in {every}");
            }
        }
    }

    /// What `f` makes of the dark ink of a `w`-pixel-wide `image`.
    fn with_ink<T>(image: &[u8], w: usize, f: impl FnOnce(Ink) -> T) -> T {
        let h = image.len() / w;
        let means = LocalMeans::new(image, w, h);
        f(Ink {
            image,
            w,
            h,
            means: &means,
            inverted: false,
        })
    }

    fn read(image: &[u8], side: usize) -> Vec<Code> {
        let failed = Failed::default();
        with_ink(image, side, |ink| {
            codes(ink, Placed::reduced(&failed, false)).0
        })
    }

    /// `text` as a QR code drawn `module` pixels a module, turned `degrees` about its centre,
    /// on a light image with room around it.
    fn drawn(text: &str, module: f64, degrees: f64) -> (Vec<u8>, usize) {
        let width = code_width(text) as f64;
        let side = ((width + 8.0) * module * 1.5) as usize;
        let (sin, cos) = degrees.to_radians().sin_cos();
        let half = width * module / 2.0;
        let quad = [[-half, -half], [half, -half], [half, half], [-half, half]].map(|[x, y]| {
            let centre = side as f64 / 2.0;
            [centre + x * cos - y * sin, centre + x * sin + y * cos]
        });
        drawn_on(text, side, quad)
    }

    /// `text` as a QR code whose corners (clockwise from the top-left) lie at `quad` of a
    /// light `side` × `side` image.
    fn drawn_on(text: &str, side: usize, quad: [[f64; 2]; 4]) -> (Vec<u8>, usize) {
        (drawn_code(text, (side, side), quad, 35, 220), side)
    }

    #[test]
    fn finder_runs_are_one_one_three_one_one_in_neighbouring_pairs() {
        assert!(finder_like([3, 3, 9, 3, 3]));
        assert!(finder_like([2, 4, 8, 3, 2]));
        assert!(!finder_like([3, 3, 3, 3, 3]));
        assert!(!finder_like([1, 1, 1, 1, 1]));
        assert!(!finder_like([0, 0, 0, 0, 0]));
        // Blurred, and thresholded dark: the light rings shrink as the dark runs grow.
        assert!(finder_like([5, 1, 11, 1, 5]));
        assert!(!finder_like([3, 3, 3, 9, 3]));
    }

    #[test]
    fn a_turned_code_is_found_and_read_by_the_finder_search_alone() {
        let text = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";
        for degrees in [0.0, 12.0, 45.0, 90.0, 135.0, 200.0, 301.0] {
            let (image, side) = drawn(text, 4.0, degrees);
            let codes = read(&image, side);
            assert_eq!(codes.len(), 1, "turned {degrees}°");
            assert_eq!(codes[0].text, text, "turned {degrees}°");
        }
    }

    #[test]
    fn a_code_seen_at_a_slant_is_read() {
        let text = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";
        // Its top edge farther from the camera than its bottom, and a little turned.
        let quad = [[120.0, 90.0], [300.0, 80.0], [320.0, 310.0], [100.0, 300.0]];
        let (image, side) = drawn_on(text, 420, quad);
        assert_eq!(read(&image, side)[0].text, text);
    }

    #[test]
    fn a_small_code_of_two_pixels_a_module_is_read() {
        let text = "8936012345674";
        let (image, side) = drawn(text, 2.0, 0.0);
        assert_eq!(read(&image, side)[0].text, text);
    }

    #[test]
    fn corners_are_where_the_code_was_drawn() {
        let (image, side) = drawn("tem", 5.0, 0.0);
        let code = &read(&image, side)[0];
        // Version 1: 21 modules, centred; the corners span one module past the far sides.
        let near = side as f32 / 2.0 - 10.5 * 5.0;
        let far = near + 22.0 * 5.0;
        let expected = [[near, near], [far, near], [far, far], [near, far]];
        for (corner, truth) in code.corners.iter().zip(expected) {
            let off = (corner[0] - truth[0]).hypot(corner[1] - truth[1]);
            assert!(off < 2.0, "{:?} against {expected:?}", code.corners);
        }
    }

    /// A sheet of finder patterns and nothing else: every triple groups, none decodes, and
    /// the attempts stop at `MAX_GROUPS`.
    #[test]
    fn a_sheet_of_finders_alone_reads_nothing() {
        let (cell, side) = (12, 12 * 3 * 8);
        let dark: Vec<bool> = (0..side * side)
            .map(|i| {
                let (x, y) = ((i % side) / 3 % cell, (i / side) / 3 % cell);
                let ring = (x as i32 - 3).abs().max((y as i32 - 3).abs());
                x < 7 && y < 7 && ring != 2
            })
            .collect();
        let image: Vec<u8> = dark.iter().map(|&d| if d { 30 } else { 220 }).collect();
        assert!(with_ink(&image, side, finders).len() >= 3);
        assert!(read(&image, side).is_empty());
    }

    /// The browser benchmark's photo with no code: blocks whose rows and columns, light on
    /// dark, run 1:1:2:1:1, which the finder search took for finders all over the page.
    #[test]
    fn blocks_finder_like_across_and_down_are_not_finders() {
        let (w, h) = (640, 480);
        let image: Vec<u8> = (0..w * h)
            .map(|i| {
                let (bx, by) = (i % w / 8, i / w / 8);
                if (bx * 7 + by * 13) % 5 < 2 { 60 } else { 200 }
            })
            .collect();
        let means = LocalMeans::new(&image, w, h);
        for inverted in [false, true] {
            let ink = Ink {
                image: &image,
                w,
                h,
                means: &means,
                inverted,
            };
            assert_eq!(finders(ink), [], "inverted: {inverted}");
        }
    }

    #[test]
    fn print_without_finders_gives_no_groups() {
        // Stripes have 1:1:3:1:1 runs across but not down.
        let (w, h) = (200, 100);
        let image: Vec<u8> = (0..w * h)
            .map(|i| [30, 220, 30, 30, 30, 220, 30, 220, 220][(i % w) / 6 % 9])
            .collect();
        assert!(with_ink(&image, w, finders).is_empty());
    }
}
