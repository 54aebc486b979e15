//! The working images and thresholds the passes read: rqrr's finder search needs several
//! pixels a module, a quiet zone and even light, which photos and camera frames often lack.

/// The grey image, box-filtered down by the whole factor (also returned) that brings its long
/// side to at most `max_side`. Row by row: a camera frame's pixels are read in memory order.
pub(crate) fn reduce(
    width: usize,
    height: usize,
    max_side: usize,
    grey_row: impl Fn(usize, &mut [u8]),
) -> (Vec<u8>, usize) {
    let scale = width.max(height).div_ceil(max_side).max(1);
    if scale == 1 {
        let mut out = vec![0u8; width * height];
        for (y, row) in out.chunks_exact_mut(width).enumerate() {
            grey_row(y, row);
        }
        return (out, 1);
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
    (out, scale)
}

/// Mean of each pixel's square neighbourhood (a fifth of the short side across) minus a
/// small margin, from an integral image; flat areas come out light rather than noisy. The
/// neighbourhood is tens of pixels wide, so its mean is taken once per block of
/// `MEAN_BLOCK`² pixels, at the block's middle: a division per pixel was a good part of a
/// camera frame's time in the widget.
pub(crate) fn local_means(image: &[u8], w: usize, h: usize) -> Vec<u8> {
    let radius = (w.min(h) / 10).max(4);
    let mut integral = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(image[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    // The neighbourhood's first and past-the-end index along a side `len` long, for the block
    // whose first pixel is at `start`.
    let around = |start: usize, len: usize| {
        let centre = (start + MEAN_BLOCK / 2).min(len - 1);
        (
            centre.saturating_sub(radius),
            (centre + radius + 1).min(len),
        )
    };
    let mut out = vec![0u8; w * h];
    let mut block_means = vec![0u8; w.div_ceil(MEAN_BLOCK)];
    for (block_row, rows) in out.chunks_mut(MEAN_BLOCK * w).enumerate() {
        let (y0, y1) = around(block_row * MEAN_BLOCK, h);
        for (block, mean) in block_means.iter_mut().enumerate() {
            let (x0, x1) = around(block * MEAN_BLOCK, w);
            let sum = integral[y1 * (w + 1) + x1] + integral[y0 * (w + 1) + x0]
                - integral[y0 * (w + 1) + x1]
                - integral[y1 * (w + 1) + x0];
            *mean = (sum / ((y1 - y0) * (x1 - x0)) as u32).saturating_sub(LOCAL_MARGIN) as u8;
        }
        for row in rows.chunks_mut(w) {
            for (pixels, &mean) in row.chunks_mut(MEAN_BLOCK).zip(&block_means) {
                pixels.fill(mean);
            }
        }
    }
    out
}

/// Pixels per side of the blocks `local_means` takes one mean for.
const MEAN_BLOCK: usize = 4;

/// Grey levels a pixel must sit below its neighbourhood to count as dark.
pub(crate) const LOCAL_MARGIN: u32 = 8;

/// 3×3 mean, edges clamped.
pub(crate) fn box_blur(image: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut sum = 0u32;
            for yy in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for xx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    sum += u32::from(image[yy * w + xx]);
                }
            }
            let count = ((y + 1).min(h - 1) - y.saturating_sub(1) + 1)
                * ((x + 1).min(w - 1) - x.saturating_sub(1) + 1);
            out[y * w + x] = (sum / count as u32) as u8;
        }
    }
    out
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

/// Bilinear 2× enlargement.
pub(crate) fn upscale2(image: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (bw, bh) = (w * 2, h * 2);
    let mut out = vec![0u8; bw * bh];
    for y in 0..bh {
        let sy = (y as f32 - 0.5).max(0.0) / 2.0;
        let (y0, fy) = (sy as usize, sy.fract());
        let y1 = (y0 + 1).min(h - 1);
        for x in 0..bw {
            let sx = (x as f32 - 0.5).max(0.0) / 2.0;
            let (x0, fx) = (sx as usize, sx.fract());
            let x1 = (x0 + 1).min(w - 1);
            let at = |yy: usize, xx: usize| f32::from(image[yy * w + xx]);
            let top = at(y0, x0) * (1.0 - fx) + at(y0, x1) * fx;
            let bottom = at(y1, x0) * (1.0 - fx) + at(y1, x1) * fx;
            out[y * bw + x] = (top * (1.0 - fy) + bottom * fy + 0.5) as u8;
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
}
