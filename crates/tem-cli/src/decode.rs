//! `tem decode FILE...`: one JSON line per file with the QR codes found and the decode time,
//! so the benchmark can score a whole corpus from one process. `--frame` limits each image to
//! the cheap pass a camera frame gets in the widget (`Effort::FRAME`), to time that path.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{Value, json};

pub fn run(args: &[String]) -> ExitCode {
    let (effort, files) = match args {
        [flag, files @ ..] if flag == "--frame" => (tem_scan::Effort::FRAME, files),
        files => (tem_scan::Effort::THOROUGH, files),
    };
    if files.is_empty() {
        eprintln!("usage: tem decode [--frame] FILE...   (png, jpeg, webp, gif or bmp)");
        return ExitCode::from(2);
    }
    tem_scan::quiet_rqrr_panics();
    for file in files {
        println!("{}", answer(Path::new(file), effort));
    }
    // Finding nothing is an answer, not a failure: callers read the JSON.
    ExitCode::SUCCESS
}

fn answer(file: &Path, effort: tem_scan::Effort) -> Value {
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
    let found = tem_scan::decode_luma_with(image.as_raw(), width, height, effort);
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
    use std::path::PathBuf;

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

    /// The shared corpus, next to the repository; None (and a note) where it is not checked out.
    fn corpus() -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/qr");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipped: no QR corpus at {}", dir.display());
            None
        }
    }

    fn images(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                images(&path, out);
            } else if path.extension().is_some_and(|e| e != "txt")
                && path.with_extension("txt").exists()
            {
                out.push(path);
            }
        }
    }

    /// The corpus rule: read when some payload, as text or as raw bytes, equals the `.txt`.
    fn is_read(image: &Path) -> bool {
        let Ok(expected) = std::fs::read(image.with_extension("txt")) else {
            return false;
        };
        let answer = answer(image, tem_scan::Effort::THOROUGH);
        answer["codes"].as_array().is_some_and(|codes| {
            codes.iter().any(|code| {
                code["text"].as_str().map(str::as_bytes) == Some(&expected[..])
                    || code["bytes_b64"].as_str() == Some(&base64(&expected))
            })
        })
    }

    #[test]
    fn corpus_decode_rate_never_drops_below_the_recorded_figure() {
        let Some(dir) = corpus() else { return };
        let ratchet = include_str!("../../tem-scan/ratchet.txt");
        let floor: usize = ratchet
            .lines()
            .find(|line| !line.starts_with('#'))
            .and_then(|line| line.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("ratchet.txt holds `READ of TOTAL`");
        let mut all = Vec::new();
        images(&dir, &mut all);
        let missed: Vec<_> = all.iter().filter(|image| !is_read(image)).collect();
        let read = all.len() - missed.len();
        assert!(
            read >= floor,
            "read {read} of {} images, below the recorded {floor}; missed: {missed:?}",
            all.len()
        );
    }

    /// rqrr 0.11 panics inside its grid search on this image (rqrr issue #54).
    #[test]
    fn the_image_that_panics_rqrr_gives_an_answer() {
        let Some(dir) = corpus() else { return };
        let line = answer(
            &dir.join("zxing/qrcode-6/7.png"),
            tem_scan::Effort::THOROUGH,
        );
        assert!(line["codes"].is_array(), "{line}");
    }

    #[test]
    fn gs1_code_reads_as_its_element_string() {
        let Some(dir) = corpus() else { return };
        let line = answer(
            &dir.join("zxing-cpp/qrcode-2/gs1-figure-4.15.1-2.png"),
            tem_scan::Effort::THOROUGH,
        );
        let code = &line["codes"][0];
        assert_eq!(code["gs1"], true, "{line}");
        assert_eq!(code["symbology"], "]Q3");
        assert_eq!(
            code["text"],
            "01095040000591012112345678p901\u{1d}101234567p\u{1d}171411208200http://www.gs1.org/demo/"
        );
    }

    /// A small version-6 code where rqrr puts the fourth corner a module and more off.
    #[test]
    fn misplaced_fourth_corner_is_refined_from_the_fixed_patterns() {
        let Some(dir) = corpus() else { return };
        assert!(is_read(&dir.join("zxing-cpp/qrcode-2/29.webp")));
    }

    /// Chinese codes write Hanzi mode (GB 2312), which used to stop the reading.
    #[test]
    fn hanzi_mode_reads_as_its_chinese_text() {
        let Some(dir) = corpus() else { return };
        let line = answer(
            &dir.join("zxing/qrcode-2/33.png"),
            tem_scan::Effort::THOROUGH,
        );
        assert_eq!(line["codes"][0]["text"], "\u{1}\u{10}AD:SUB:阿;;", "{line}");
    }

    #[test]
    fn no_pass_is_run_beyond_the_effort_given() {
        let Some(dir) = corpus() else { return };
        let image = dir.join("zxing-cpp/qrcode-2/gs1-figure-4.15.1-2.png");
        let none = tem_scan::Effort {
            max_passes: 0,
            ..tem_scan::Effort::THOROUGH
        };
        assert_eq!(answer(&image, none)["codes"], serde_json::json!([]));
        assert_ne!(
            answer(&image, tem_scan::Effort::THOROUGH)["codes"],
            serde_json::json!([])
        );
    }

    #[test]
    fn an_unreadable_file_gives_an_error_line() {
        let line = answer(Path::new("/nonexistent/stamp.png"), tem_scan::Effort::FRAME);
        assert!(
            line["error"]
                .as_str()
                .is_some_and(|e| e.contains("cannot read"))
        );
        assert_eq!(line["file"], "/nonexistent/stamp.png");
    }
}
