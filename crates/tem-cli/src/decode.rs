//! `tem decode FILE...`: one JSON line per file with the QR codes found and the decode time,
//! so the benchmark can score a whole corpus from one process. `--frame` makes each image the
//! camera frame a phone would see of it (fitted into 640×480) and gives it the pass a camera
//! frame gets in the widget (`Effort::CAMERA`), to score and time that path.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{Value, json};

/// How an image is read: as a photo, or as a camera frame of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The image as it is, every pass (`Effort::THOROUGH`).
    Photo,
    /// The image fitted into a camera frame (`tem_scan::CAMERA_FRAME`, the size the browser
    /// benchmark's camera set uses too), the camera pass (`Effort::CAMERA`).
    Frame,
}

pub fn run(args: &[String]) -> ExitCode {
    let (mode, files) = match args {
        [flag, files @ ..] if flag == "--frame" => (Mode::Frame, files),
        files => (Mode::Photo, files),
    };
    if files.is_empty() {
        eprintln!("usage: tem decode [--frame] FILE...   (png, jpeg, webp, gif or bmp)");
        return ExitCode::from(2);
    }
    tem_scan::quiet_rqrr_panics();
    for file in files {
        println!("{}", answer(Path::new(file), mode));
    }
    // Finding nothing is an answer, not a failure: callers read the JSON.
    ExitCode::SUCCESS
}

fn answer(file: &Path, mode: Mode) -> Value {
    let name = file.display().to_string();
    let image = match image::open(file) {
        Ok(image) => image.into_luma8(),
        Err(error) => {
            return json!({ "file": name, "error": format!("cannot read the image: {error}") });
        }
    };
    match mode {
        Mode::Photo => decoded(name, &image, tem_scan::Effort::THOROUGH),
        Mode::Frame => decoded(
            name,
            &fitted(&image, tem_scan::CAMERA_FRAME),
            tem_scan::Effort::CAMERA,
        ),
    }
}

fn decoded(name: String, image: &image::GrayImage, effort: tem_scan::Effort) -> Value {
    let (width, height) = (image.width() as usize, image.height() as usize);
    // Timed from pixels to codes: file decoding is the CLI's cost, not the scanner's.
    let start = Instant::now();
    let found = tem_scan::decode_luma_with(image.as_raw(), width, height, effort);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match found {
        // The size read, so a benchmark can hand another decoder the same frame.
        Ok(codes) => json!({
            "file": name,
            "size": [width, height],
            "ms": (ms * 100.0).round() / 100.0,
            "codes": codes.iter().map(code_json).collect::<Vec<_>>(),
        }),
        Err(error) => json!({ "file": name, "error": error.to_string() }),
    }
}

/// `image` scaled, up or down, to the largest size that fits `(width, height)`, as a camera
/// held at the right distance would frame it.
fn fitted(image: &image::GrayImage, (width, height): (usize, usize)) -> image::GrayImage {
    let scale = f64::min(
        width as f64 / f64::from(image.width()),
        height as f64 / f64::from(image.height()),
    );
    let size = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
    image::imageops::resize(
        image,
        size(image.width()),
        size(image.height()),
        image::imageops::FilterType::Triangle,
    )
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

    /// The QR corpus; missing, it fails the ratchet unless `TEM_SKIP_CORPUS=1`.
    fn corpus() -> Option<PathBuf> {
        tem_corpus::require("qr")
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
    fn is_read(image: &Path, mode: Mode) -> bool {
        let Ok(expected) = std::fs::read(image.with_extension("txt")) else {
            return false;
        };
        let answer = answer(image, mode);
        answer["codes"].as_array().is_some_and(|codes| {
            codes.iter().any(|code| {
                code["text"].as_str().map(str::as_bytes) == Some(&expected[..])
                    || code["bytes_b64"].as_str() == Some(&base64(&expected))
            })
        })
    }

    /// The floors of crates/tem-scan/ratchet.txt: (mode, folder or `overall`, images read).
    fn ratchet() -> Vec<(String, String, usize)> {
        include_str!("../../tem-scan/ratchet.txt")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                match fields[..] {
                    [mode, folder, read, "of", _] => (
                        mode.to_string(),
                        folder.to_string(),
                        read.parse().expect("a count"),
                    ),
                    _ => panic!("ratchet.txt: `{line}` is not `MODE FOLDER READ of TOTAL`"),
                }
            })
            .collect()
    }

    /// Each folder of the corpus, and the whole, read at least as well as recorded, both as
    /// photos and as camera frames: one global figure would let a folder slide while another
    /// gains.
    fn check_ratchet(mode: Mode, label: &str) {
        let Some(dir) = corpus() else { return };
        let mut all = Vec::new();
        images(&dir, &mut all);
        let mut read: std::collections::BTreeMap<String, (usize, Vec<&PathBuf>)> =
            Default::default();
        for image in &all {
            let folder = image
                .parent()
                .and_then(|parent| parent.strip_prefix(&dir).ok())
                .map(|folder| folder.display().to_string())
                .unwrap_or_default();
            let ok = is_read(image, mode);
            for key in [folder, "overall".to_string()] {
                let entry = read.entry(key).or_default();
                if ok {
                    entry.0 += 1;
                } else {
                    entry.1.push(image);
                }
            }
        }
        let floors: Vec<_> = ratchet()
            .into_iter()
            .filter(|(mode, ..)| mode == label)
            .collect();
        let mut failures = Vec::new();
        for (folder, (count, missed)) in &read {
            match floors.iter().find(|(_, f, _)| f == folder) {
                None => failures.push(format!(
                    "{label} {folder}: no floor recorded (scripts/bench-decode.py --record)"
                )),
                Some((.., floor)) if count < floor => failures.push(format!(
                    "{label} {folder}: read {count}, below the recorded {floor}; missed {missed:?}"
                )),
                Some(_) => {}
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn no_corpus_folder_reads_fewer_photos_than_recorded() {
        check_ratchet(Mode::Photo, "photo");
    }

    #[test]
    fn no_corpus_folder_reads_fewer_camera_frames_than_recorded() {
        check_ratchet(Mode::Frame, "frame");
    }

    /// rqrr 0.11 panics inside its grid search on this image (rqrr issue #54); the panic must
    /// neither escape nor cost the code, which another pass still reads.
    #[test]
    fn the_image_that_panics_rqrr_is_still_read() {
        let Some(dir) = corpus() else { return };
        let line = answer(&dir.join("zxing/qrcode-6/7.png"), Mode::Photo);
        let expected = std::fs::read_to_string(dir.join("zxing/qrcode-6/7.txt")).unwrap();
        assert_eq!(line["codes"][0]["text"], expected.trim_end(), "{line}");
    }

    #[test]
    fn gs1_code_reads_as_its_element_string() {
        let Some(dir) = corpus() else { return };
        let line = answer(
            &dir.join("zxing-cpp/qrcode-2/gs1-figure-4.15.1-2.png"),
            Mode::Photo,
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
        assert!(is_read(
            &dir.join("zxing-cpp/qrcode-2/29.webp"),
            Mode::Photo
        ));
    }

    /// Chinese codes write Hanzi mode (GB 2312), which used to stop the reading.
    #[test]
    fn hanzi_mode_reads_as_its_chinese_text() {
        let Some(dir) = corpus() else { return };
        let line = answer(&dir.join("zxing/qrcode-2/33.png"), Mode::Photo);
        assert_eq!(line["codes"][0]["text"], "\u{1}\u{10}AD:SUB:阿;;", "{line}");
    }

    #[test]
    fn no_pass_is_run_beyond_the_effort_given() {
        let Some(dir) = corpus() else { return };
        let file = dir.join("zxing-cpp/qrcode-2/gs1-figure-4.15.1-2.png");
        let image = image::open(&file).unwrap().into_luma8();
        let none = tem_scan::Effort {
            max_passes: 0,
            ..tem_scan::Effort::THOROUGH
        };
        assert_eq!(
            decoded(String::new(), &image, none)["codes"],
            serde_json::json!([])
        );
        assert_ne!(
            decoded(String::new(), &image, tem_scan::Effort::THOROUGH)["codes"],
            serde_json::json!([])
        );
    }

    #[test]
    fn an_unreadable_file_gives_an_error_line() {
        let line = answer(Path::new("/nonexistent/stamp.png"), Mode::Frame);
        assert!(
            line["error"]
                .as_str()
                .is_some_and(|e| e.contains("cannot read"))
        );
        assert_eq!(line["file"], "/nonexistent/stamp.png");
    }
}
