//! The camera pass (`Effort::CAMERA`) on the frames a phone gives it at its worst: dense
//! codes at few pixels a module, a code filling the frame, turned, tilted and curved codes,
//! exposure at both ends, blur, glare. Each is drawn with the `qrcode` crate into a 640×480
//! frame and spoiled the way a camera would.

use crate::locate::MAX_REFINED;
use crate::sample::Projective;
use crate::testing::{
    code_width, drawn_code, drawn_warped, gaussian_blur, glare, motion_blur, noisy, turned_square,
    work_of,
};
use crate::{CAMERA_FRAME as FRAME, Effort, decode_luma_with};

const CENTRE: [f64; 2] = [FRAME.0 as f64 / 2.0, FRAME.1 as f64 / 2.0];
const STAMP: &str = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";

/// Text the `qrcode` crate encodes at `version` (EC level M): the shortest run of a URL that
/// long, found by bisection, since the width grows with the length.
fn text_of_version(version: usize) -> String {
    let text = |len: usize| {
        "https://id.gs1.org/01/08936012345674/21/"
            .chars()
            .chain(('a'..='z').cycle())
            .take(len)
            .collect::<String>()
    };
    let (mut low, mut high) = (1, 2400);
    while low < high {
        let mid = (low + high) / 2;
        if code_width(&text(mid)) < 17 + 4 * version {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    let found = text(low);
    assert_eq!(code_width(&found), 17 + 4 * version);
    found
}

fn read(frame: &[u8]) -> Option<String> {
    let codes = decode_luma_with(frame, FRAME.0, FRAME.1, Effort::CAMERA).unwrap();
    codes.into_iter().next().map(|code| code.text)
}

fn square_frame(text: &str, module: f64, degrees: f64, ink: u8, paper: u8) -> Vec<u8> {
    let quad = turned_square(CENTRE, code_width(text), module, degrees);
    drawn_code(text, FRAME, quad, ink, paper)
}

#[test]
fn dense_codes_are_read_at_a_few_pixels_a_module() {
    for (version, module) in [
        (10, 2.5),
        (10, 4.0),
        (15, 3.0),
        (20, 3.0),
        (25, 2.5),
        (40, 2.5),
    ] {
        let text = text_of_version(version);
        // A little soft, as a phone's lens and demosaicing leave it.
        let frame = gaussian_blur(&square_frame(&text, module, 0.0, 30, 220), FRAME.0, 0.5);
        assert_eq!(
            read(&frame),
            Some(text),
            "version {version} at {module} px a module"
        );
    }
}

/// The timing check that keeps finder-like print from being sampled took one look a module,
/// which at a pixel a module lands on edges: sharp version 40 codes at a pixel a module
/// failed it, and a photo of one was read only by the passes after, in 400 ms where the first
/// takes 5. Drawn on whole pixels, as those photos are.
#[test]
fn a_sharp_version_40_code_at_a_pixel_a_module_passes_the_timing_check() {
    let text = text_of_version(40);
    let side = code_width(&text) as f64;
    for module in [1.0, 2.0] {
        let [x, y] = [100.0, 40.0];
        let far = side * module;
        let quad = [[x, y], [x + far, y], [x + far, y + far], [x, y + far]];
        let frame = drawn_code(&text, FRAME, quad, 30, 220);
        assert_eq!(
            read(&frame).as_deref(),
            Some(text.as_str()),
            "{module} px a module"
        );
    }
}

#[test]
fn a_code_filling_the_frame_is_read() {
    for text in [STAMP, &text_of_version(6)] {
        let module = 0.9 * FRAME.1 as f64 / code_width(text) as f64;
        for degrees in [0.0, 4.0] {
            let frame = square_frame(text, module, degrees, 30, 220);
            assert_eq!(read(&frame).as_deref(), Some(text), "turned {degrees}°");
        }
    }
}

#[test]
fn turned_codes_are_read() {
    for version in [3, 10] {
        let text = text_of_version(version);
        for degrees in [15.0, 30.0, 45.0, 60.0, 75.0] {
            let frame = square_frame(&text, 4.0, degrees, 30, 220);
            assert_eq!(
                read(&frame),
                Some(text.clone()),
                "v{version} turned {degrees}°"
            );
        }
    }
}

/// Ink and paper 40 grey levels apart, under 16 % of the range, at either end of it.
#[test]
fn over_and_under_exposed_codes_are_read() {
    for (ink, paper) in [(212, 252), (215, 255), (3, 43), (10, 45)] {
        let frame = noisy(&square_frame(STAMP, 4.0, 10.0, ink, paper), 3);
        assert_eq!(read(&frame).as_deref(), Some(STAMP), "ink {ink} on {paper}");
    }
}

/// Over- or underexposed until ink and paper are 14 grey levels apart, under 6 % of the
/// range: a fixed margin of 12 levels below the neighbourhood's mean left no finder whole.
#[test]
fn a_washed_out_code_is_read() {
    for (ink, paper) in [(236, 250), (226, 240), (8, 22)] {
        let frame = noisy(&square_frame(STAMP, 4.0, 10.0, ink, paper), 2);
        assert_eq!(read(&frame).as_deref(), Some(STAMP), "ink {ink} on {paper}");
    }
}

/// A pale label, its quiet zone two modules wide, on dark packaging that fills the rest of
/// the frame: the packaging sank a fifth-of-the-frame mean at the label's corners, where the
/// finders are, below the code's own grey ink.
#[test]
fn a_pale_label_on_dark_packaging_is_read() {
    let module = 4.0;
    let label = (code_width(STAMP) as f64 / 2.0 + 2.0) * module;
    for packaging in [30, 60] {
        let mut frame = square_frame(STAMP, module, 0.0, 120, 210);
        for (i, pixel) in frame.iter_mut().enumerate() {
            let (x, y) = ((i % FRAME.0) as f64, (i / FRAME.0) as f64);
            if (x - CENTRE[0]).abs() > label || (y - CENTRE[1]).abs() > label {
                *pixel = packaging;
            }
        }
        let frame = noisy(&frame, 3);
        assert_eq!(
            read(&frame).as_deref(),
            Some(STAMP),
            "packaging at {packaging}"
        );
    }
}

#[test]
fn blurred_codes_are_read() {
    let sharp = square_frame(&text_of_version(5), 5.0, 8.0, 30, 220);
    for sigma in [1.0, 2.0] {
        let frame = gaussian_blur(&sharp, FRAME.0, sigma);
        assert!(read(&frame).is_some(), "gaussian blur of {sigma} px");
    }
    for length in [3, 5] {
        let frame = motion_blur(&sharp, FRAME.0, length);
        assert!(read(&frame).is_some(), "motion blur over {length} px");
    }
}

/// A pale label on dark packaging, cut a module wider than its code, its ink faded: the
/// neighbourhoods around a finder reached over the packaging, and their means sank to the
/// finder's own ink, which then read as paper. No finder was seen, so no later pass ran.
#[test]
fn a_faded_code_on_a_label_cut_close_on_dark_packaging_is_read() {
    let module = 5.0;
    let modules = code_width(STAMP);
    for degrees in [0.0, 10.0, 30.0] {
        let quad = turned_square(CENTRE, modules, module, degrees);
        let label = turned_square(CENTRE, modules + 2, module, degrees);
        let to_label =
            Projective::between(&label, &[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]).unwrap();
        let mut frame = drawn_code(STAMP, FRAME, quad, 120, 190);
        for (i, pixel) in frame.iter_mut().enumerate() {
            let [u, v] = to_label.map((i % FRAME.0) as f64 + 0.5, (i / FRAME.0) as f64 + 0.5);
            if !((0.0..1.0).contains(&u) && (0.0..1.0).contains(&v)) {
                *pixel = 60;
            }
        }
        let frame = noisy(&frame, 8);
        assert_eq!(read(&frame).as_deref(), Some(STAMP), "turned {degrees}°");
    }
}

#[test]
fn a_glare_spot_on_the_code_is_read_through() {
    let module = 5.0;
    let sharp = square_frame(STAMP, module, 0.0, 30, 220);
    let quarter = code_width(STAMP) as f64 * module / 4.0;
    let spot = [CENTRE[0] + quarter / 2.0, CENTRE[1] - quarter / 2.0];
    let frame = glare(&sharp, FRAME.0, spot, quarter / 1.5, 0.75);
    assert_eq!(read(&frame).as_deref(), Some(STAMP));
}

/// The code's plane tilted `degrees` about a horizontal axis, seen by a camera whose
/// distance is `distance` times the code's width (a phone held close, 2 to 5): the far edge
/// narrower than the near one.
fn tilted(text: &str, module: f64, degrees: f64, distance: f64) -> [[f64; 2]; 4] {
    tilted_about(text, module, degrees, distance, 0.0)
}

/// As `tilted`, about an axis in the code's plane turned `axis` degrees from its rows.
fn tilted_about(text: &str, module: f64, degrees: f64, distance: f64, axis: f64) -> [[f64; 2]; 4] {
    let half = code_width(text) as f64 * module / 2.0;
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (axis_sin, axis_cos) = axis.to_radians().sin_cos();
    let depth = distance * 2.0 * half;
    [[-half, -half], [half, -half], [half, half], [-half, half]].map(|[x, y]| {
        // Along the axis and across it, where the tilt foreshortens.
        let (along, across) = (x * axis_cos + y * axis_sin, y * axis_cos - x * axis_sin);
        let z = depth + across * sin;
        let (along, across) = (along * depth / z, across * cos * depth / z);
        [
            CENTRE[0] + along * axis_cos - across * axis_sin,
            CENTRE[1] + along * axis_sin + across * axis_cos,
        ]
    })
}

/// Steeper than 45° the code is squeezed along its columns until the side between its top
/// finders is as long as the diagonal, and the top-left finder is no longer the one facing
/// the longest side; its finders are also less than half as tall as they are wide.
#[test]
fn codes_tilted_up_to_60_degrees_are_read() {
    let close = [(STAMP, 1.5)];
    let held = [(STAMP, 2.0), (&text_of_version(7)[..], 2.0)];
    for (text, distance) in close.into_iter().chain(held) {
        for degrees in [20.0, 35.0, 45.0, 50.0, 55.0, 60.0] {
            let quad = tilted(text, 4.5, degrees, distance);
            let frame = drawn_code(text, FRAME, quad, 30, 220);
            assert_eq!(
                read(&frame).as_deref(),
                Some(text),
                "{text} tilted {degrees}° at {distance} widths"
            );
        }
    }
}

/// Tilted about a diagonal, a code's corners no longer meet at near right angles: at 50°
/// and two widths away the top-left finder's corner opens to some 125°, and the near
/// finder's modules are over twice as wide as the far one's. Our finder search took no
/// such group, and rqrr's passes, a photo's last, were all that read these.
#[test]
fn codes_tilted_about_a_diagonal_are_read() {
    for axis in [45.0, 135.0] {
        for degrees in [30.0, 45.0, 50.0, 55.0] {
            let quad = tilted_about(STAMP, 4.5, degrees, 2.0, axis);
            let frame = drawn_code(STAMP, FRAME, quad, 30, 220);
            assert_eq!(
                read(&frame).as_deref(),
                Some(STAMP),
                "tilted {degrees}° about the axis at {axis}°"
            );
        }
    }
}

/// `quad` turned `degrees` about the frame's centre.
fn turned(quad: [[f64; 2]; 4], degrees: f64) -> [[f64; 2]; 4] {
    let (sin, cos) = degrees.to_radians().sin_cos();
    quad.map(|[x, y]| {
        let (dx, dy) = (x - CENTRE[0], y - CENTRE[1]);
        [
            CENTRE[0] + dx * cos - dy * sin,
            CENTRE[1] + dx * sin + dy * cos,
        ]
    })
}

/// Turned in the frame as well as tilted, the squeeze runs slantwise across the rows and
/// columns the finders are measured along: the far corner was placed several modules off,
/// and the code's size guessed wrong, from their widths along rows and columns, on a code
/// turned and tilted 45°.
#[test]
fn codes_turned_and_tilted_are_read() {
    let v7 = text_of_version(7);
    for text in [STAMP, &v7] {
        let slightly = [30.0, 45.0, 135.0].map(|turn| (turn, 30.0, &[1.5, 2.0, 3.0][..]));
        let steeply = [30.0, 45.0, 135.0]
            .into_iter()
            .flat_map(|turn| [45.0, 50.0, 55.0, 60.0].map(|tilt| (turn, tilt, &[2.0, 3.0][..])));
        for (turn, tilt, distances) in slightly.into_iter().chain(steeply) {
            for &distance in distances {
                let quad = turned(tilted(text, 5.0, tilt, distance), turn);
                let frame = drawn_code(text, FRAME, quad, 30, 220);
                assert_eq!(
                    read(&frame).as_deref(),
                    Some(text),
                    "{text} turned {turn}°, tilted {tilt}° at {distance} widths"
                );
            }
        }
    }
}

/// A print wrapped round a bottle whose radius is `radius` times half the code's width:
/// modules towards the sides are foreshortened, which no single projective map follows.
fn wrapped(text: &str, module: f64, radius: f64, axis_upright: bool) -> Vec<u8> {
    let half = code_width(text) as f64 * module / 2.0;
    let radius = radius * half;
    let around = |along: f64| (along / radius).clamp(-1.0, 1.0).asin() * radius;
    let to_modules = |x: f64, y: f64| {
        let (across, down) = (x - CENTRE[0], y - CENTRE[1]);
        let (across, down) = if axis_upright {
            (around(across), down)
        } else {
            (across, around(down))
        };
        [(across + half) / module, (down + half) / module]
    };
    drawn_warped(text, FRAME, to_modules, 30, 220)
}

#[test]
fn a_code_on_a_curved_surface_is_read() {
    let text = text_of_version(8);
    for (radius, axis_upright) in [(1.6, true), (1.2, true), (1.6, false)] {
        let frame = wrapped(&text, 4.0, radius, axis_upright);
        assert_eq!(
            read(&frame),
            Some(text.clone()),
            "radius {radius} half-widths, axis upright: {axis_upright}"
        );
    }
}

/// Its rows followed along the timing pattern came out up to a module off in the finders'
/// rows at both ends, where the bend is steepest and column 6 runs along a finder's solid
/// side; the rings across the finders' middles place those rows.
#[test]
fn a_code_bent_tightly_along_its_columns_is_read() {
    let text = text_of_version(8);
    let frame = wrapped(&text, 4.0, 1.2, false);
    assert_eq!(read(&frame), Some(text));
}

/// A label that has been crumpled and smoothed out again: its columns and its rows wander
/// back and forth by up to a module, each by its own wave.
#[test]
#[ignore = "not yet read: the grids found at its size keep too little of their timing (0.33 to 0.48) to be followed"]
fn a_wavy_print_is_read() {
    let text = text_of_version(6);
    let module = 4.5;
    let half = code_width(&text) as f64 * module / 2.0;
    let wave = |at: f64, period: f64| module * (at / period * std::f64::consts::TAU).sin();
    let to_modules = |x: f64, y: f64| {
        let (dx, dy) = (x - CENTRE[0], y - CENTRE[1]);
        [
            (dx + wave(dx, 90.0) + half) / module,
            (dy + wave(dy, 110.0) + half) / module,
        ]
    };
    let frame = drawn_warped(&text, FRAME, to_modules, 30, 220);
    assert_eq!(read(&frame), Some(text));
}

/// Following a grid just under the timing gate spends one of the refinements our finder
/// search allows each pass, so a bent print that does not read still costs bounded passes.
/// Its grids are all dark on light: the light-on-dark search finds none to follow.
#[test]
fn a_bent_print_is_followed_no_more_often_than_it_may_be_refined() {
    let text = text_of_version(8);
    let frame = wrapped(&text, 4.0, 1.2, false);
    let work = work_of(|| {
        read(&frame);
    });
    assert!(work.follows <= work.passes * MAX_REFINED, "{work:?}");
}
