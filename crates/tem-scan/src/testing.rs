//! Real codes, drawn for the tests.

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
    let code = qrcode::QrCode::new(text).unwrap();
    let (width, colours) = (code.width(), code.to_colors());
    let span = width as f64;
    let square = [[0.0, 0.0], [span, 0.0], [span, span], [0.0, span]];
    let to_modules = Projective::between(&quad, &square).unwrap();
    (0..w * h)
        .map(|i| {
            let [mx, my] = to_modules.map((i % w) as f64 + 0.5, (i / w) as f64 + 0.5);
            let inside = (0.0..span).contains(&mx) && (0.0..span).contains(&my);
            let dark = inside && colours[my as usize * width + mx as usize] == qrcode::Color::Dark;
            if dark { ink } else { paper }
        })
        .collect()
}
