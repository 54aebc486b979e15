//! `tem epcis FILE`: the document's timeline as one JSON document,
//! `{"ok": true, "events": […], "warnings": […], "depth": {…}}` or
//! `{"ok": false, "error": {…}}` with exit status 1. `depth` is the record-depth assessment of
//! the events (`tem_core::depth::Depth`): a document has no product master data, so its
//! consumer fields are not applicable.

use std::process::ExitCode;

use serde_json::{Value, json};
use tem_core::depth::assess_events;
use tem_core::epcis::{EpcisError, MAX_DOCUMENT_BYTES, import};
use tem_core::record::TimelineEvent;

pub fn run(args: &[String]) -> ExitCode {
    let [path] = args else {
        eprintln!("usage: tem epcis FILE");
        return ExitCode::from(2);
    };
    let (document, status) = match crate::read_bounded(path, MAX_DOCUMENT_BYTES) {
        Ok((bytes, size)) => answer(&bytes, size),
        Err(error) => (
            json!({ "ok": false, "error": {
                "code": "unreadable_file",
                "message": format!("cannot read {path}: {error}"),
            }}),
            ExitCode::FAILURE,
        ),
    };
    println!("{document}");
    status
}

/// `size` is the whole file's, which `bytes` may hold only the start of.
fn answer(bytes: &[u8], size: usize) -> (Value, ExitCode) {
    // JSON is UTF-8 by definition (RFC 8259); a byte order mark is tolerated, as parsers may.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let result = if bytes.len() > MAX_DOCUMENT_BYTES {
        Err(EpcisError::TooLarge {
            bytes: size,
            limit: MAX_DOCUMENT_BYTES,
        })
    } else {
        let Ok(text) = std::str::from_utf8(bytes) else {
            let error = json!({
                "code": "not_utf8",
                "message": "the file is not UTF-8 text, so it is not JSON",
            });
            return (json!({ "ok": false, "error": error }), ExitCode::FAILURE);
        };
        import(text)
    };
    match result {
        Ok(timeline) => {
            let events: Vec<TimelineEvent> =
                timeline.events.iter().map(|e| e.event.clone()).collect();
            let depth = assess_events(&events);
            (
                json!({
                    "ok": true,
                    "events": timeline.events,
                    "warnings": timeline.warnings,
                    "depth": depth,
                }),
                ExitCode::SUCCESS,
            )
        }
        Err(error) => (json!({ "ok": false, "error": error }), ExitCode::FAILURE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_prints_its_events_in_time_order() {
        let text =
            br#"[{"type":"ObjectEvent","action":"OBSERVE","bizStep":"receiving","epcList":[],
                  "eventTime":"2024-10-02T08:00:00+07:00","eventTimeZoneOffset":"+07:00"},
                 {"type":"ObjectEvent","action":"OBSERVE","bizStep":"shipping","epcList":[],
                  "eventTime":"2024-10-01T08:00:00Z","eventTimeZoneOffset":"+07:00"}]"#;
        let (document, _) = answer(text, text.len());
        assert_eq!(document["ok"], true);
        assert_eq!(document["events"][0]["stage"], "transport");
        assert_eq!(document["events"][0]["biz_step"], "shipping");
        assert_eq!(document["events"][0]["time"], "2024-10-01T15:00:00+07:00");
        assert_eq!(document["events"][1]["biz_step"], "receiving");
        assert_eq!(document["warnings"], json!([]));
    }

    #[test]
    fn a_document_prints_the_depth_of_its_history() {
        let text = br#"[{"type":"ObjectEvent","action":"OBSERVE","bizStep":"shipping",
                  "epcList":["urn:epc:id:sgtin:0614141.107346.2017"],
                  "bizLocation":{"id":"urn:epc:id:sgln:0614141.07346.0"},
                  "eventTime":"2024-10-01T08:00:00Z","eventTimeZoneOffset":"+07:00"}]"#;
        let (document, status) = answer(text, text.len());
        assert_eq!(status, ExitCode::SUCCESS);
        let depth = &document["depth"];
        assert_eq!(depth["level"], "label_only");
        assert_eq!(
            depth["history"],
            json!(["single_event", "no_production_stage"])
        );
        assert_eq!(
            depth["consumer_fields"],
            json!({"status": "not_applicable"})
        );
        assert_eq!(
            depth["unreceived_shipments"],
            json!([{"index": 0, "id": "event-1"}])
        );
        assert_eq!(depth["stage_gaps"], json!([]));
        // The timeline is printed as before.
        assert_eq!(document["events"][0]["biz_step"], "shipping");
    }

    #[test]
    fn an_invalid_document_prints_the_error_with_its_code() {
        let text = br#"{"type":"ObjectEvent","action":"ADD","epcList":[]}"#;
        let (document, _) = answer(text, text.len());
        assert_eq!(document["ok"], false);
        assert_eq!(document["error"]["code"], "missing_field");
        assert_eq!(
            document["error"]["message"],
            "event 1 (ObjectEvent): eventTime is missing"
        );
        assert_eq!(document["error"]["event"], 1);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_error_not_a_panic() {
        let (document, _) = answer(b"\xff\xfe{}", 4);
        assert_eq!(document["error"]["code"], "not_utf8");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_full_size() {
        // The read stops one byte past the limit, possibly inside a character.
        let start = "é".repeat(MAX_DOCUMENT_BYTES / 2 + 1);
        let (document, _) = answer(&start.as_bytes()[..MAX_DOCUMENT_BYTES + 1], 9_000_000);
        assert_eq!(document["error"]["code"], "too_large");
        assert_eq!(
            document["error"]["message"],
            format!(
                "the document is 9000000 bytes; documents over {MAX_DOCUMENT_BYTES} bytes are refused"
            )
        );
    }
}
