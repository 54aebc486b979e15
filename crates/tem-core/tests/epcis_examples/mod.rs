//! Where the official EPCIS 2.0 examples are, for the tests that read them all.

use std::path::{Path, PathBuf};

/// The shared corpus's EPCIS folder; missing, the test fails unless `TEM_SKIP_CORPUS=1`.
pub fn dir() -> Option<PathBuf> {
    tem_corpus::require("epcis")
}

/// Every example document under `dir`, sorted; the JSON schema is not an example.
pub fn examples(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "jsonld" || e == "json")
                && !path.ends_with("EPCIS-JSON-Schema.json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The example's path inside the corpus, `/`-separated on every system.
pub fn name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
