//! Real codes, drawn for the tests, and the ways a camera spoils them.

use crate::sample::Projective;

/// How many modules wide the `qrcode` crate draws `text`.
pub(crate) fn code_width(text: &str) -> usize {
    qrcode::QrCode::new(text).unwrap().width()
}

/// A `w` × `h` grey image of `paper`, holding `text` as a QR code in `ink` whose corners
/// (clockwise from its top-left) lie at `quad`; each pixel takes the module under its centre.
pub(crate) fn drawn_code(
    text: &str,
    (w, h): (usize, usize),
    quad: [[f64; 2]; 4],
    ink: u8,
    paper: u8,
) -> Vec<u8> {
    let span = code_width(text) as f64;
    let square = [[0.0, 0.0], [span, 0.0], [span, span], [0.0, span]];
    let to_modules = Projective::between(&quad, &square).unwrap();
    drawn_warped(text, (w, h), |x, y| to_modules.map(x, y), ink, paper)
}

/// Like `drawn_code`, with the code placed by `to_modules`, which takes an image point to
/// where it falls on the code, in modules from its top-left corner: any warp, not only a
/// projective one (a curved or crumpled print).
pub(crate) fn drawn_warped(
    text: &str,
    (w, h): (usize, usize),
    to_modules: impl Fn(f64, f64) -> [f64; 2],
    ink: u8,
    paper: u8,
) -> Vec<u8> {
    let code = qrcode::QrCode::new(text).unwrap();
    let (width, colours) = (code.width(), code.to_colors());
    let span = width as f64;
    (0..w * h)
        .map(|i| {
            let [mx, my] = to_modules((i % w) as f64 + 0.5, (i / w) as f64 + 0.5);
            let inside = (0.0..span).contains(&mx) && (0.0..span).contains(&my);
            let dark = inside && colours[my as usize * width + mx as usize] == qrcode::Color::Dark;
            if dark { ink } else { paper }
        })
        .collect()
}

/// The corners of a `modules`-wide code `module` pixels a module, centred at `centre` and
/// turned `degrees` clockwise.
pub(crate) fn turned_square(
    centre: [f64; 2],
    modules: usize,
    module: f64,
    degrees: f64,
) -> [[f64; 2]; 4] {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let half = modules as f64 * module / 2.0;
    [[-half, -half], [half, -half], [half, half], [-half, half]]
        .map(|[x, y]| [centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos])
}

/// `image` convolved with `kernel` (odd length, weights summing to about one) along x and
/// then along y, or along x only: separable blurs, edges clamped.
pub(crate) fn convolved(image: &[u8], w: usize, kernel: &[f64], both_axes: bool) -> Vec<u8> {
    let h = image.len() / w;
    let reach = (kernel.len() / 2) as isize;
    let pass = |source: &[f64], along_x: bool| -> Vec<f64> {
        (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as isize, (i / w) as isize);
                kernel
                    .iter()
                    .enumerate()
                    .map(|(k, weight)| {
                        let d = k as isize - reach;
                        let (sx, sy) = if along_x { (x + d, y) } else { (x, y + d) };
                        let (sx, sy) = (
                            sx.clamp(0, w as isize - 1) as usize,
                            sy.clamp(0, h as isize - 1) as usize,
                        );
                        weight * source[sy * w + sx]
                    })
                    .sum()
            })
            .collect()
    };
    let grey: Vec<f64> = image.iter().map(|&v| f64::from(v)).collect();
    let mut out = pass(&grey, true);
    if both_axes {
        out = pass(&out, false);
    }
    out.into_iter()
        .map(|v| v.round().clamp(0.0, 255.0) as u8)
        .collect()
}

/// A gaussian blur of standard deviation `sigma` pixels.
pub(crate) fn gaussian_blur(image: &[u8], w: usize, sigma: f64) -> Vec<u8> {
    let reach = (3.0 * sigma).ceil() as isize;
    let weights: Vec<f64> = (-reach..=reach)
        .map(|d| (-(d * d) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    let kernel: Vec<f64> = weights.iter().map(|v| v / total).collect();
    convolved(image, w, &kernel, true)
}

/// A camera moved `length` pixels sideways during the exposure.
pub(crate) fn motion_blur(image: &[u8], w: usize, length: usize) -> Vec<u8> {
    let kernel = vec![1.0 / length as f64; length | 1];
    convolved(image, w, &kernel, false)
}

/// A bright reflection: a gaussian spot of `radius` pixels at `centre`, pushing the pixels
/// under it towards white by `strength` (0 to 1) at its middle.
pub(crate) fn glare(
    image: &[u8],
    w: usize,
    centre: [f64; 2],
    radius: f64,
    strength: f64,
) -> Vec<u8> {
    image
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let (dx, dy) = ((i % w) as f64 - centre[0], (i / w) as f64 - centre[1]);
            let amount = strength * (-(dx * dx + dy * dy) / (2.0 * radius * radius)).exp();
            (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8
        })
        .collect()
}

/// Sensor noise: each pixel moved by up to `amplitude` grey levels, from a fixed seed.
pub(crate) fn noisy(image: &[u8], amplitude: i32) -> Vec<u8> {
    let mut seed = 7u32;
    image
        .iter()
        .map(|&v| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let offset = (seed >> 16) as i32 % (2 * amplitude + 1) - amplitude;
            (i32::from(v) + offset).clamp(0, 255) as u8
        })
        .collect()
}

/// What decoding did, counted where it is done: the tests bound the work a photo costs
/// without a clock, which a busy machine would make fail.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Work {
    /// Passes run: one threshold and finder search of one working image each.
    pub passes: usize,
    /// Grids sampled from the grey image.
    pub samplings: usize,
    /// Grids whose timing patterns were followed (`Sampled::followed`).
    pub follows: usize,
    /// Of the passes, those that ran rqrr's finder search.
    pub rqrr_passes: usize,
    /// Framed or enlarged copies made of the working image.
    pub copies: usize,
}

thread_local! {
    static WORK: std::cell::Cell<Work> = std::cell::Cell::default();
}

/// Adds to the work counted on this thread.
pub(crate) fn count(add: impl FnOnce(&mut Work)) {
    WORK.with(|work| {
        let mut counted = work.get();
        add(&mut counted);
        work.set(counted);
    });
}

/// The work `f` did, on this thread.
pub(crate) fn work_of(f: impl FnOnce()) -> Work {
    WORK.with(|work| work.set(Work::default()));
    f();
    WORK.with(std::cell::Cell::get)
}
