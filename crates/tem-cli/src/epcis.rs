//! `tem epcis FILE`: the document's timeline as one JSON document,
//! `{"ok": true, "events": […], "warnings": […]}` or `{"ok": false, "error": {…}}` with exit
//! status 1.

use std::process::ExitCode;

use serde_json::{Value, json};

pub fn run(args: &[String]) -> ExitCode {
    let [path] = args else {
        eprintln!("usage: tem epcis FILE");
        return ExitCode::from(2);
    };
    let (document, status) = match std::fs::read(path) {
        Ok(bytes) => answer(&bytes),
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

fn answer(bytes: &[u8]) -> (Value, ExitCode) {
    // JSON is UTF-8 by definition (RFC 8259); a byte order mark is tolerated, as parsers may.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        let error = json!({
            "code": "not_utf8",
            "message": "the file is not UTF-8 text, so it is not JSON",
        });
        return (json!({ "ok": false, "error": error }), ExitCode::FAILURE);
    };
    match tem_core::epcis::import(text) {
        Ok(timeline) => (
            json!({ "ok": true, "events": timeline.events, "warnings": timeline.warnings }),
            ExitCode::SUCCESS,
        ),
        Err(error) => (json!({ "ok": false, "error": error }), ExitCode::FAILURE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_prints_its_events_in_time_order() {
        let (document, _) = answer(
            br#"[{"type":"ObjectEvent","action":"OBSERVE","bizStep":"receiving","epcList":[],
                  "eventTime":"2024-10-02T08:00:00+07:00","eventTimeZoneOffset":"+07:00"},
                 {"type":"ObjectEvent","action":"OBSERVE","bizStep":"shipping","epcList":[],
                  "eventTime":"2024-10-01T08:00:00Z","eventTimeZoneOffset":"+07:00"}]"#,
        );
        assert_eq!(document["ok"], true);
        assert_eq!(document["events"][0]["stage"], "transport");
        assert_eq!(document["events"][0]["biz_step"], "shipping");
        assert_eq!(document["events"][0]["time"], "2024-10-01T15:00:00+07:00");
        assert_eq!(document["events"][1]["biz_step"], "receiving");
        assert_eq!(document["warnings"], json!([]));
    }

    #[test]
    fn an_invalid_document_prints_the_error_with_its_code() {
        let (document, _) = answer(br#"{"type":"ObjectEvent","action":"ADD","epcList":[]}"#);
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
        let (document, _) = answer(b"\xff\xfe{}");
        assert_eq!(document["error"]["code"], "not_utf8");
    }
}
