//! A camera frame gets the camera pass (`Effort::CAMERA`) alone, all of it our own code: whatever the
//! pixels, it must answer, never panic (in the widget's wasm a panic ends the worker).
//! Input: the first byte is the image's width, the rest its grey pixels, row by row.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&width, pixels)) = data.split_first() else {
        return;
    };
    let width = usize::from(width).max(1);
    let height = pixels.len() / width;
    let codes = tem_scan::decode_luma_with(&pixels[..width * height], width, height, tem_scan::Effort::CAMERA)
        .expect("the buffer holds width × height pixels");
    for code in codes {
        assert!(
            code.corners.iter().flatten().all(|v| v.is_finite()),
            "{code:?}"
        );
    }
});
