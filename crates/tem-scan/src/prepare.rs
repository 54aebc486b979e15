//! The working images and thresholds the passes read: rqrr's finder search needs several
//! pixels a module, a quiet zone and even light, which photos and camera frames often lack.

/// The grey image, box-filtered down by the whole factor that brings its long side to at most
/// `max_side`; with its width and height, and the factor. Row by row: a camera frame's pixels
/// are read in memory order.
pub(crate) fn reduce(
    width: usize,
    height: usize,
    max_side: usize,
    grey_row: impl Fn(usize, &mut [u8]),
) -> (Vec<u8>, (usize, usize), usize) {
    let scale = width.max(height).div_ceil(max_side).max(1);
    if scale == 1 {
        let mut out = vec![0u8; width * height];
        for (y, row) in out.chunks_exact_mut(width).enumerate() {
            grey_row(y, row);
        }
        return (out, (width, height), 1);
    }
    let (w, h) = (width.div_ceil(scale), height.div_ceil(scale));
    let mut out = vec![0u8; w * h];
    let (mut source, mut sums) = (vec![0u8; width], vec![0u32; w]);
    for (oy, row) in out.chunks_exact_mut(w).enumerate() {
        let rows = oy * scale..((oy + 1) * scale).min(height);
        sums.fill(0);
        for y in rows.clone() {
            grey_row(y, &mut source);
            for (sum, block) in sums.iter_mut().zip(source.chunks(scale)) {
                *sum += block.iter().map(|&g| u32::from(g)).sum::<u32>();
            }
        }
        for (ox, (pixel, sum)) in row.iter_mut().zip(&sums).enumerate() {
            let columns = (ox * scale..((ox + 1) * scale).min(width)).len();
            *pixel = (sum / (rows.len() * columns) as u32) as u8;
        }
    }
    (out, (w, h), scale)
}

/// Each pixel's threshold against its neighbourhood, for dark ink and for light, taken once
/// per block of `MEAN_BLOCK`² pixels over whole blocks around it. The neighbourhood is tens
/// of pixels wide, so block granularity changes no threshold that matters, and summing
/// blocks before the integral keeps a frame's preparation to one read of its pixels: a
/// full-size integral and means image were most of the time of a frame with no code in it.
///
/// Three neighbourhoods, a fifth, a fourteenth and a twentieth of the short side across: the
/// wide one keeps a large module's finder whole, the narrower ones are not dragged down by
/// what surrounds a stamp. A white label on dark packaging sinks the wide mean at the code's
/// corners, where its finders are, below the code's own ink, and a label cut close to its
/// code sinks the fourteenth's too; the threshold for dark ink is the highest of the three
/// means, for light ink the lowest. Ink must clear it by a margin, so flat areas come
/// out plain rather than noisy; the margin shrinks with the contrast around the pixel, or a
/// washed-out code, its ink a few grey levels off its paper, would have no ink at all.
pub(crate) struct LocalMeans {
    dark: Vec<u8>,
    light: Vec<u8>,
    columns: usize,
}

impl LocalMeans {
    pub fn new(image: &[u8], w: usize, h: usize) -> LocalMeans {
        let (columns, rows) = (w.div_ceil(MEAN_BLOCK), h.div_ceil(MEAN_BLOCK));
        let (sums, lows, highs) = block_sums(image, w, columns);
        let stride = columns + 1;
        let mut integral = vec![0u32; stride * (rows + 1)];
        for (y, block_row) in sums.chunks_exact(columns).enumerate() {
            let (above, below) = integral.split_at_mut((y + 1) * stride);
            let mut row = 0u32;
            for ((out, &up), &sum) in below[1..stride]
                .iter_mut()
                .zip(&above[y * stride + 1..])
                .zip(block_row)
            {
                row += sum;
                *out = up + row;
            }
        }
        let reach = |fraction: usize| ((w.min(h) / fraction).max(4) + MEAN_BLOCK / 2) / MEAN_BLOCK;
        let reaches = [
            reach(WIDE_FRACTION),
            reach(NARROW_FRACTION),
            reach(TIGHT_FRACTION),
        ];
        // The share of each pixel in a neighbourhood `reach` blocks either side of block `b`
        // of `len`, along a side `side` long. A division per block was a third of the
        // preparation: each side's share is taken once, and a block's mean is its sum times
        // both (exact to a grey level).
        let share = |b: usize, len: usize, side: usize, reach: usize| {
            let (first, end) = (b.saturating_sub(reach), (b + reach + 1).min(len));
            1.0 / ((end * MEAN_BLOCK).min(side) - first * MEAN_BLOCK) as f32
        };
        let column_shares = reaches.map(|reach| -> Vec<f32> {
            (0..columns)
                .map(|bx| share(bx, columns, w, reach))
                .collect()
        });
        let lows = spread(&lows, columns, reaches[1], |a, b| a.min(b));
        let highs = spread(&highs, columns, reaches[1], |a, b| a.max(b));
        let (mut dark, mut light) = (vec![0u8; columns * rows], vec![0u8; columns * rows]);
        // One row of blocks at a time, each neighbourhood's means from the integral rows above
        // and below it, then the thresholds from the three, all of it whole rows against each
        // other, which vectorises: per block, a neighbourhood's corners clamped to the image
        // were most of the time of the preparation.
        let mut means = [vec![0u8; columns], vec![0u8; columns], vec![0u8; columns]];
        let mut spans = vec![0u32; columns + 2 * reaches.iter().max().unwrap_or(&0) + 1];
        for by in 0..rows {
            for ((means, shares), &reach) in means.iter_mut().zip(&column_shares).zip(&reaches) {
                let (y0, y1) = (by.saturating_sub(reach), (by + reach + 1).min(rows));
                let (top, bottom) = (&integral[y0 * stride..][..stride], &integral[y1 * stride..]);
                // Each column's sum over the neighbourhood's rows, from the image's left edge,
                // held at the edges for `reach` columns beyond them: block bx's neighbourhood
                // is then spans[bx + 2 reach + 1] less spans[bx].
                let spans = &mut spans[..columns + 2 * reach + 1];
                let (before, rest) = spans.split_at_mut(reach);
                let (inside, after) = rest.split_at_mut(stride);
                before.fill(0);
                for ((span, &up), &down) in inside.iter_mut().zip(top).zip(bottom) {
                    *span = down - up;
                }
                after.fill(inside[columns]);
                let per_row = share(by, rows, h, reach);
                let sums = spans[2 * reach + 1..].iter().zip(&*spans);
                for ((mean, (&end, &start)), &per_column) in means.iter_mut().zip(sums).zip(shares)
                {
                    *mean = ((end - start) as f32 * per_row * per_column) as u8;
                }
            }
            let blocks = by * columns..(by + 1) * columns;
            let thresholds = dark[blocks.clone()]
                .iter_mut()
                .zip(&mut light[blocks.clone()]);
            let ranges = lows[blocks.clone()].iter().zip(&highs[blocks]);
            let [far, near, close] = &means;
            let means = far.iter().zip(near).zip(close);
            for (((dark, light), (&low, &high)), ((&far, &near), &close)) in
                thresholds.zip(ranges).zip(means)
            {
                let margin = ((high - low) / RANGE_PER_MARGIN).clamp(MIN_MARGIN, LOCAL_MARGIN);
                *dark = far.max(near).max(close).saturating_sub(margin);
                *light = far.min(near).min(close).saturating_add(margin);
            }
        }
        LocalMeans {
            dark,
            light,
            columns,
        }
    }

    /// One threshold for the whole image: dark ink is at most `level`, light ink above it.
    pub fn uniform(level: u8, w: usize, h: usize) -> LocalMeans {
        let columns = w.div_ceil(MEAN_BLOCK);
        let blocks = columns * h.div_ceil(MEAN_BLOCK);
        LocalMeans {
            dark: vec![level.saturating_add(1); blocks],
            light: vec![level; blocks],
            columns,
        }
    }

    /// The threshold at pixel (`x`, `y`): dark ink is below it, light ink (`inverted`) above.
    #[inline]
    pub fn at(&self, x: usize, y: usize, inverted: bool) -> u8 {
        self.row(y, inverted)[x / MEAN_BLOCK]
    }

    /// The thresholds along row `y`, one per block of `MEAN_BLOCK` pixels.
    #[inline]
    fn row(&self, y: usize, inverted: bool) -> &[u8] {
        let blocks = if inverted { &self.light } else { &self.dark };
        &blocks[y / MEAN_BLOCK * self.columns..][..self.columns]
    }
}

/// Each block's sum of grey levels, and its lowest and highest value, of an image `w` wide
/// in blocks of `MEAN_BLOCK` pixels, `columns` of them a row; a block cut off by the image's
/// edge holds the pixels there are. Each block row's columns are summed first, a whole row at
/// a time, which vectorises; so are their lowest and highest values, from every other row:
/// the contrast is taken over a neighbourhood many rows tall, which half its rows tell as well
/// as all of them (the same codes read, on the corpus and on synthetic photos) at half the cost.
fn block_sums(image: &[u8], w: usize, columns: usize) -> (Vec<u32>, Vec<u8>, Vec<u8>) {
    let rows = image.len().div_ceil(MEAN_BLOCK * w);
    let mut sums = Vec::with_capacity(columns * rows);
    let (mut lows, mut highs) = (
        Vec::with_capacity(columns * rows),
        Vec::with_capacity(columns * rows),
    );
    // As wide as whole blocks: the pixels past the image's edge add nothing to a sum and
    // are never a block's lowest or highest.
    let padded = columns * MEAN_BLOCK;
    let mut column_sums = vec![0u16; padded];
    let (mut column_lows, mut column_highs) = (vec![u8::MAX; padded], vec![0u8; padded]);
    for band in image.chunks(MEAN_BLOCK * w) {
        column_sums.fill(0);
        column_lows.fill(u8::MAX);
        column_highs.fill(0);
        for (y, row) in band.chunks_exact(w).enumerate() {
            for (sum, &value) in column_sums.iter_mut().zip(row) {
                *sum += u16::from(value);
            }
            if y % 2 == 1 {
                continue;
            }
            let extremes = column_lows.iter_mut().zip(column_highs.iter_mut());
            for ((low, high), &value) in extremes.zip(row) {
                *low = (*low).min(value);
                *high = (*high).max(value);
            }
        }
        let quads = |values: &[u16]| -> u32 { values.iter().map(|&v| u32::from(v)).sum() };
        sums.extend(column_sums.chunks_exact(MEAN_BLOCK).map(quads));
        let lowest = |values: &[u8]| values.iter().fold(u8::MAX, |a, &b| a.min(b));
        lows.extend(column_lows.chunks_exact(MEAN_BLOCK).map(lowest));
        let highest = |values: &[u8]| values.iter().fold(0, |a, &b| a.max(b));
        highs.extend(column_highs.chunks_exact(MEAN_BLOCK).map(highest));
    }
    (sums, lows, highs)
}

/// `blocks` (rows `columns` long), each replaced by `pick` of the blocks within `reach` of it
/// along both axes: one axis at a time, which is the same for min and max.
fn spread(blocks: &[u8], columns: usize, reach: usize, pick: impl Fn(u8, u8) -> u8) -> Vec<u8> {
    let rows = blocks.len() / columns;
    // Shifted whole rows against each other, one distance at a time, which vectorises.
    let mut across = blocks.to_vec();
    for (out, row) in across
        .chunks_exact_mut(columns)
        .zip(blocks.chunks_exact(columns))
    {
        for d in 1..=reach.min(columns - 1) {
            for (value, &other) in out[..columns - d].iter_mut().zip(&row[d..]) {
                *value = pick(*value, other);
            }
            for (value, &other) in out[d..].iter_mut().zip(row) {
                *value = pick(*value, other);
            }
        }
    }
    let mut out = vec![0u8; blocks.len()];
    for y in 0..rows {
        let (first, end) = (y.saturating_sub(reach), (y + reach + 1).min(rows));
        let row = &mut out[y * columns..][..columns];
        row.copy_from_slice(&across[first * columns..][..columns]);
        for near in across[(first + 1) * columns..end * columns].chunks_exact(columns) {
            for (value, &other) in row.iter_mut().zip(near) {
                *value = pick(*value, other);
            }
        }
    }
    out
}

/// Pixels per side of the blocks `LocalMeans` takes one mean for.
const MEAN_BLOCK: usize = 4;

/// The neighbourhoods' reach either side of a pixel, as a fraction of the image's short side.
const WIDE_FRACTION: usize = 10;
const NARROW_FRACTION: usize = 28;
const TIGHT_FRACTION: usize = 40;

/// Grey levels a pixel must sit beyond its neighbourhood's mean to count as ink, at most.
/// Under blur a finder's one-module light ring sinks towards the neighbourhood's mean: at 8
/// levels a gaussian blur of 2 pixels on 5-pixel modules joined it to the dark rings around it.
const LOCAL_MARGIN: u8 = 12;

/// Below full contrast the margin is this fraction of the grey levels spanned around the
/// pixel (over the narrow neighbourhood), and no less than `MIN_MARGIN`, which keeps the
/// grain of flat paper out of the ink.
const RANGE_PER_MARGIN: u8 = 18;
const MIN_MARGIN: u8 = 3;

/// Which pixels of an image are ink, by its thresholds: the dark ones, or for light-on-dark
/// (`inverted`) codes the light ones. Asked pixel by pixel, so no bitmap of the frame is made
/// for the finder search, which reads most pixels once along its rows and a few down columns.
#[derive(Clone, Copy)]
pub(crate) struct Ink<'a> {
    pub image: &'a [u8],
    pub w: usize,
    pub h: usize,
    pub means: &'a LocalMeans,
    pub inverted: bool,
}

impl Ink<'_> {
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> bool {
        let (value, threshold) = (
            self.image[y * self.w + x],
            self.means.at(x, y, self.inverted),
        );
        if self.inverted {
            light_ink(value, threshold)
        } else {
            dark_ink(value, threshold)
        }
    }

    /// Row `y`'s pixels as `at` tells them, into `out` (`w` long): block by block, with the
    /// polarity chosen once, since rows are most of the finder search's reading.
    pub fn row(&self, y: usize, out: &mut [bool]) {
        let pixels = &self.image[y * self.w..][..self.w];
        let thresholds = self.means.row(y, self.inverted);
        if self.inverted {
            ink_row(pixels, thresholds, out, light_ink);
        } else {
            ink_row(pixels, thresholds, out, dark_ink);
        }
    }
}

/// `out[x]` is `ink(pixels[x], its block's threshold)`. Whole blocks go four at a time, which
/// unrolls into straight compares: rows are most of the finder search's reading, and a loop
/// over chunks of no known length, which did not unroll, was a seventh of a large photo's
/// instructions.
#[inline(always)]
fn ink_row(pixels: &[u8], thresholds: &[u8], out: &mut [bool], ink: fn(u8, u8) -> bool) {
    let block = |out: &mut [bool], pixels: &[u8], threshold: u8| {
        for (ink_here, &value) in out.iter_mut().zip(pixels) {
            *ink_here = ink(value, threshold);
        }
    };
    let whole = pixels.len() / MEAN_BLOCK * MEAN_BLOCK;
    let blocks = out[..whole]
        .chunks_exact_mut(MEAN_BLOCK)
        .zip(pixels[..whole].chunks_exact(MEAN_BLOCK))
        .zip(thresholds);
    for ((out, pixels), &threshold) in blocks {
        block(out, pixels, threshold);
    }
    if let Some(&threshold) = thresholds.get(whole / MEAN_BLOCK) {
        block(&mut out[whole..], &pixels[whole..], threshold);
    }
}

/// Dark-on-light ink: below its threshold, which has the margin taken off already.
#[inline(always)]
fn dark_ink(value: u8, threshold: u8) -> bool {
    value < threshold
}

/// Light-on-dark ink: above its threshold, which has the margin added already.
#[inline(always)]
fn light_ink(value: u8, threshold: u8) -> bool {
    value > threshold
}

/// 3×3 mean, edges clamped (the mean of the pixels that are there), rounded down. Summed
/// across each row first and then down each column: the smoothed pass runs it over the
/// whole working image, and nine reads and a division a pixel were a quarter of the time of
/// a large photo whose code does not read.
pub(crate) fn box_blur(image: &[u8], w: usize, h: usize) -> Vec<u8> {
    // Each pixel's sum with its neighbours in the row.
    let mut across = vec![0u16; w * h];
    for (sums, row) in across.chunks_exact_mut(w).zip(image.chunks_exact(w)) {
        let widened = |(sum, &v): (&mut u16, &u8)| *sum += u16::from(v);
        sums.iter_mut().zip(row).for_each(widened);
        sums[1..].iter_mut().zip(row).for_each(widened);
        sums.iter_mut().zip(&row[1..]).for_each(widened);
    }
    let mut out = vec![0u8; w * h];
    let mut down = vec![0u16; w];
    for (y, out_row) in out.chunks_exact_mut(w).enumerate() {
        let (top, bottom) = (y.saturating_sub(1), (y + 2).min(h));
        down.copy_from_slice(&across[top * w..][..w]);
        for row in across[(top + 1) * w..bottom * w].chunks_exact(w) {
            down.iter_mut().zip(row).for_each(|(sum, &v)| *sum += v);
        }
        let rows = (bottom - top) as u16;
        // The first and last columns have one neighbour in the row (none in a row of one).
        let edge = rows * w.min(2) as u16;
        divide(&mut out_row[..1], &down[..1], edge);
        divide(&mut out_row[w - 1..], &down[w - 1..], edge);
        if w > 2 {
            divide(&mut out_row[1..w - 1], &down[1..w - 1], rows * 3);
        }
    }
    out
}

/// Each of `sums` divided by `count`, into `out`. A division by a constant is a
/// multiplication, by a variable many times slower: the counts of a 3×3 window inside the
/// image are spelled out.
fn divide(out: &mut [u8], sums: &[u16], count: u16) {
    fn each(out: &mut [u8], sums: &[u16], mean: impl Fn(u16) -> u16) {
        for (pixel, &sum) in out.iter_mut().zip(sums) {
            *pixel = mean(sum) as u8;
        }
    }
    match count {
        9 => each(out, sums, |sum| sum / 9),
        6 => each(out, sums, |sum| sum / 6),
        _ => each(out, sums, |sum| sum / count),
    }
}

/// The image inside a frame `border` pixels wide, as light as its lightest pixel.
pub(crate) fn frame(image: &[u8], w: usize, h: usize, border: usize) -> (Vec<u8>, usize, usize) {
    let (pw, ph) = (w + 2 * border, h + 2 * border);
    let light = image.iter().copied().max().unwrap_or(255);
    let mut out = vec![light; pw * ph];
    for (y, row) in image.chunks_exact(w).enumerate() {
        out[(y + border) * pw + border..][..w].copy_from_slice(row);
    }
    (out, pw, ph)
}

/// Bilinear 2× enlargement. Each new pixel lies a quarter of the way from one old pixel to the
/// next along each axis, so its weights are 1 and 3 out of 4 and the arithmetic is in
/// integers: in floating point this was most of the time of a small photo with no code.
pub(crate) fn upscale2(image: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (bw, bh) = (w * 2, h * 2);
    // New position i lies between old i / 2 - 1 and i / 2 (even i, weights 1 and 3) or
    // i / 2 and i / 2 + 1 (odd i, weights 3 and 1), clamped at the edges.
    let taps = |i: usize, len: usize| {
        let near = i / 2;
        let other = if i.is_multiple_of(2) {
            near.saturating_sub(1)
        } else {
            (near + 1).min(len - 1)
        };
        (near, other)
    };
    let columns: Vec<(usize, usize)> = (0..bw).map(|x| taps(x, w)).collect();
    let mut out = vec![0u8; bw * bh];
    for (y, row) in out.chunks_exact_mut(bw).enumerate() {
        let (near, other) = taps(y, h);
        let (near, other) = (&image[near * w..][..w], &image[other * w..][..w]);
        for (pixel, &(x_near, x_other)) in row.iter_mut().zip(&columns) {
            let at = |line: &[u8]| 3 * u32::from(line[x_near]) + u32::from(line[x_other]);
            *pixel = ((3 * at(near) + at(other) + 8) / 16) as u8;
        }
    }
    (out, bw, bh)
}

/// Otsu's global threshold: the grey level that best separates dark from light pixels.
pub(crate) fn otsu(luma: &[u8]) -> u8 {
    let mut histogram = [0u64; 256];
    for &value in luma {
        histogram[usize::from(value)] += 1;
    }
    let total = luma.len() as f64;
    let weighted_total: f64 = histogram
        .iter()
        .enumerate()
        .map(|(v, &n)| v as f64 * n as f64)
        .sum();
    let (mut below, mut below_sum, mut best, mut best_level) = (0.0, 0.0, 0.0, 127u8);
    for (level, &count) in histogram.iter().enumerate() {
        below += count as f64;
        below_sum += level as f64 * count as f64;
        let above = total - below;
        if below == 0.0 || above == 0.0 {
            continue;
        }
        let (mean_below, mean_above) = (below_sum / below, (weighted_total - below_sum) / above);
        let between = below * above * (mean_below - mean_above).powi(2);
        if between > best {
            best = between;
            best_level = level as u8;
        }
    }
    best_level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_splits_a_two_tone_image_between_its_tones() {
        let image: Vec<u8> = (0..1000)
            .map(|i| if i % 3 == 0 { 40 } else { 210 })
            .collect();
        let level = otsu(&image);
        assert!((40..210).contains(&level), "{level}");
    }

    #[test]
    fn an_enlarged_pixel_lies_a_quarter_of_the_way_to_its_neighbour() {
        let (big, w, h) = upscale2(&[0, 160, 80, 240], 2, 2);
        assert_eq!((w, h), (4, 4));
        assert_eq!(&big[..4], &[0, 40, 120, 160]);
        // A quarter of the way down from the first row to the second.
        assert_eq!(&big[4..8], &[20, 60, 140, 180]);
        assert_eq!(&big[12..], &[80, 120, 200, 240]);
    }

    /// Summing by rows and then by columns must give what the window's own mean gives, at
    /// the corners and edges (fewer neighbours) as well as inside.
    #[test]
    fn the_blur_is_each_window_s_mean_rounded_down() {
        for (w, h) in [(1, 1), (1, 5), (5, 1), (2, 2), (7, 4), (33, 21)] {
            let mut seed = 7u32;
            let image: Vec<u8> = (0..w * h)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 24) as u8
                })
                .collect();
            let image = &image;
            let at = |x: usize, y: usize| {
                let (xs, ys) = (
                    x.saturating_sub(1)..(x + 2).min(w),
                    y.saturating_sub(1)..(y + 2).min(h),
                );
                let window: Vec<u32> = ys
                    .flat_map(|yy| xs.clone().map(move |xx| u32::from(image[yy * w + xx])))
                    .collect();
                (window.iter().sum::<u32>() / window.len() as u32) as u8
            };
            let expected: Vec<u8> = (0..w * h).map(|i| at(i % w, i / w)).collect();
            assert_eq!(box_blur(image, w, h), expected, "{w}×{h}");
        }
    }
}
