//! Any text handed to the EPCIS importer must give a timeline or an error, never a panic, and
//! a timeline must serialise.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match tem_core::epcis::import(&text) {
        Ok(timeline) => {
            serde_json::to_string(&timeline)
                .unwrap_or_else(|e| panic!("timeline does not serialise: {e}"));
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
