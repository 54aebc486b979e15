//! `tem decode FILE...`: one JSON line per file with the QR codes found and the decode time,
//! so the benchmark can score a whole corpus from one process.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{Value, json};

pub fn run(args: &[String]) -> ExitCode {
    if args.is_empty() {
        eprintln!("usage: tem decode FILE...   (png, jpeg, webp, gif or bmp)");
        return ExitCode::from(2);
    }
    for file in args {
        println!("{}", answer(Path::new(file)));
    }
    // Finding nothing is an answer, not a failure: callers read the JSON.
    ExitCode::SUCCESS
}

fn answer(file: &Path) -> Value {
    let name = file.display().to_string();
    let image = match image::open(file) {
        Ok(image) => image.into_luma8(),
        Err(error) => {
            return json!({ "file": name, "error": format!("cannot read the image: {error}") });
        }
    };
    let (width, height) = (image.width() as usize, image.height() as usize);
    // Timed from pixels to codes: file decoding is the CLI's cost, not the scanner's.
    let start = Instant::now();
    let found = tem_scan::decode_luma(image.as_raw(), width, height);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match found {
        Ok(codes) => json!({
            "file": name,
            "ms": (ms * 100.0).round() / 100.0,
            "codes": codes.iter().map(code_json).collect::<Vec<_>>(),
        }),
        Err(error) => json!({ "file": name, "error": error.to_string() }),
    }
}

fn code_json(code: &tem_scan::Code) -> Value {
    json!({
        "text": code.text,
        "bytes_b64": base64(&code.bytes),
        "corners": code.corners,
        "gs1": code.gs1,
        "symbology": code.symbology,
    })
}

/// Standard base64 with padding; the raw bytes matter when the text had to be guessed.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn an_unreadable_file_gives_an_error_line() {
        let line = answer(Path::new("/nonexistent/stamp.png"));
        assert!(
            line["error"]
                .as_str()
                .is_some_and(|e| e.contains("cannot read"))
        );
        assert_eq!(line["file"], "/nonexistent/stamp.png");
    }
}
