//! Any text a QR code or a keyboard can produce must parse to a payload or an error, never a
//! panic; and whatever parses must survive being shown and rebuilt.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tem_core::payload::{PayloadKind, parse};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(payload) => {
            let _ = serde_json::to_string(&payload);
            for warning in &payload.warnings {
                let _ = (warning.to_string(), warning.message_vi());
            }
            // A valid Digital Link rebuilt on another host must read the same.
            let is_link = matches!(
                payload.kind,
                PayloadKind::DigitalLink | PayloadKind::CompressedDigitalLink
            );
            if let Some(link) = payload
                .to_digital_link("https://id.gs1.org")
                .filter(|_| is_link)
            {
                let again = parse(&link).unwrap_or_else(|e| panic!("{link} no longer parses: {e}"));
                assert_eq!(again.elements, payload.elements, "{link}");
            }
        }
        Err(error) => {
            let _ = (
                error.to_string(),
                error.message_vi(),
                serde_json::to_string(&error),
            );
        }
    }
});
