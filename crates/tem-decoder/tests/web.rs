//! The worker's entry point in headless Chromium (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use qrcode::{Color, QrCode};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const STAMP: &str = "https://id.gs1.org/01/08936012345674/10/MO2604/21/A0001";

/// A stamp as a camera would give it: RGBA, 4 px per module, on a light grey background.
fn rendered_stamp(text: &str) -> (Vec<u8>, u32) {
    let code = QrCode::new(text).unwrap();
    let (modules, colors) = (code.width(), code.to_colors());
    let scale = 4;
    let side = (modules + 8) * scale;
    let mut rgba = vec![230u8; side * side * 4];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            if mx < modules && my < modules && colors[my * modules + mx] == Color::Dark {
                rgba[(y * side + x) * 4..][..3].fill(20);
            }
        }
    }
    (rgba, side as u32)
}

#[wasm_bindgen_test]
fn the_worker_entry_point_reads_a_stamp() {
    let (rgba, side) = rendered_stamp(STAMP);
    let found: serde_json::Value =
        serde_json::from_str(&tem_decoder::decode_frame(&rgba, side, side, false)).unwrap();
    assert_eq!(found[0]["text"], STAMP);
}

#[wasm_bindgen_test]
fn the_worker_entry_point_survives_a_wrong_buffer() {
    assert_eq!(tem_decoder::decode_frame(&[0; 7], 640, 480, true), "[]");
}
