//! Where tem's tests find the shared corpus (QR photos, the EPCIS examples and schema, the GS1
//! dictionary and linksets), and the one rule for when it is missing.
//!
//! The corpus is not part of the repository: it sits in `../shared/corpus` beside the checkout,
//! or wherever `TEM_SHARED` points (the folder that holds `corpus/`). A test that needs it and
//! does not find it **fails**, so a clone without the corpus cannot pass its ratchets unseen;
//! with `TEM_SKIP_CORPUS=1` it returns early instead, and says so on the test run's own stderr,
//! one `corpus: skipped` line per test, which the test harness does not swallow.
//!
//! A dev-dependency only: no library of the project reads the corpus.

use std::io::Write;
use std::path::PathBuf;

/// The folder that holds `corpus/`: `TEM_SHARED`, else `../shared` beside the checkout.
pub fn shared() -> PathBuf {
    match std::env::var_os("TEM_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// `corpus/{relative}` (a file or a folder) when it is there. When it is not: None under
/// `TEM_SKIP_CORPUS=1`, after saying which test skipped; otherwise a panic naming where it
/// was looked for and how to skip.
pub fn require(relative: &str) -> Option<PathBuf> {
    let path = shared().join("corpus").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("TEM_SKIP_CORPUS").is_some_and(|v| v == "1") {
        let test = std::thread::current()
            .name()
            .unwrap_or("a test")
            .to_string();
        // Straight to the process's stderr: `eprintln!` would be captured with the passing
        // test's output and never shown, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "corpus: skipped {test} (TEM_SKIP_CORPUS=1): no {}",
            path.display()
        );
        return None;
    }
    panic!(
        "the shared corpus is missing: no {}. Put the corpus in ../shared beside the checkout \
         or point TEM_SHARED at the folder that holds corpus/; TEM_SKIP_CORPUS=1 skips the \
         tests that need it",
        path.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test: the environment is the process's, and these cases set it in turn.
    #[test]
    fn a_missing_corpus_fails_unless_skipping_is_asked_for() {
        let empty = std::env::temp_dir().join("tem-corpus-none");
        // SAFETY: this test binary runs no other thread that reads the environment.
        unsafe {
            std::env::set_var("TEM_SHARED", &empty);
            std::env::remove_var("TEM_SKIP_CORPUS");
        }
        assert!(std::panic::catch_unwind(|| require("qr")).is_err());
        unsafe { std::env::set_var("TEM_SKIP_CORPUS", "1") };
        assert_eq!(require("qr"), None);
        let present = std::env::temp_dir().join("tem-corpus-some");
        std::fs::create_dir_all(present.join("corpus/qr")).unwrap();
        unsafe { std::env::set_var("TEM_SHARED", &present) };
        assert_eq!(require("qr"), Some(present.join("corpus/qr")));
    }
}
