//! A camera frame gets the finder-search pass alone, all of it our own code: whatever the
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
    let one_pass = tem_scan::Effort {
        max_passes: 1,
        max_side: 480,
    };
    let codes = tem_scan::decode_luma_with(&pixels[..width * height], width, height, one_pass)
        .expect("the buffer holds width × height pixels");
    for code in codes {
        assert!(
            code.corners.iter().flatten().all(|v| v.is_finite()),
            "{code:?}"
        );
    }
});
