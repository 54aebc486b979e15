//! The trace record: product master data plus the timeline of what happened to the lot.
//!
//! This is the JSON the portal serves at `/api/v1/records/{id}` and through the Digital Link
//! resolver, and what EPCIS 2.0 documents are imported into. Field names follow Circular
//! 02/2024/TT-BKHCN's minimum consumer fields: who, what, where, when for every stage.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::stage::Stage;

/// A real record is a few kilobytes; past this it is an attack or a mistake, refused before it
/// is parsed.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Text that the publisher may give in Vietnamese and, optionally, English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalText {
    pub vi: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalText {
    pub fn vi(text: impl Into<String>) -> Self {
        LocalText {
            vi: text.into(),
            en: None,
        }
    }

    pub fn both(vi: impl Into<String>, en: impl Into<String>) -> Self {
        LocalText {
            vi: vi.into(),
            en: Some(en.into()),
        }
    }

    /// The English text when asked for and present, the Vietnamese otherwise.
    pub fn get(&self, english: bool) -> &str {
        match (&self.en, english) {
            (Some(en), true) if !en.is_empty() => en,
            _ => &self.vi,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceRecord {
    /// The portal's identifier of this record (stable, URL-safe).
    pub id: String,
    pub product: Product,
    pub producer: Party,
    pub lot: Lot,
    /// Serial number of the individual unit, when the stamp is serialised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// Events in time order.
    pub events: Vec<TimelineEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall: Option<Recall>,
    /// When the portal produced this copy of the record (RFC 3339).
    pub issued_at: String,
}

/// Why bytes from a portal are not a trace record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordError {
    TooLarge {
        bytes: usize,
        max: usize,
    },
    /// Not JSON, nested deeper than any record (serde_json stops at 128 levels), or not shaped
    /// like a record.
    Malformed(String),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::TooLarge { bytes, max } => {
                write!(f, "the record is {bytes} bytes; at most {max} are accepted")
            }
            RecordError::Malformed(why) => write!(f, "not a trace record: {why}"),
        }
    }
}

impl std::error::Error for RecordError {}

impl TraceRecord {
    /// Parses a record from a portal, refusing oversized or malformed input, with every
    /// string neutralised (bidi and zero-width characters written out) so that no field can
    /// show other than it reads, whichever part of the page shows it.
    pub fn from_json(bytes: &[u8]) -> Result<TraceRecord, RecordError> {
        if bytes.len() > MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge {
                bytes: bytes.len(),
                max: MAX_RECORD_BYTES,
            });
        }
        let mut value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|error| RecordError::Malformed(error.to_string()))?;
        neutralise_strings(&mut value);
        serde_json::from_value(value).map_err(|error| RecordError::Malformed(error.to_string()))
    }
}

fn neutralise_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => *text = crate::text::neutralise(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(neutralise_strings),
        serde_json::Value::Object(members) => members.values_mut().for_each(neutralise_strings),
        _ => {}
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// GTIN-14, digits only.
    pub gtin: String,
    pub name: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalText>,
    /// Path or URL of the product image, relative to the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Where the product comes from, as a shopper would say it ("Hưng Yên, Việt Nam").
    pub origin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_content: Option<String>,
    /// Applied standards and certifications (VietGAP, OCOP 4 sao, TCVN …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// GS1 Global Location Number (13 digits) identifying the party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gln: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    pub lot: String,
    /// ISO 8601 dates (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gln: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// One thing that happened to the product, in a shopper's terms, with its EPCIS origin kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: String,
    /// RFC 3339 time with the offset at which the event happened.
    pub time: String,
    pub stage: Stage,
    /// EPCIS event type: ObjectEvent, AggregationEvent, TransformationEvent, …
    pub event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Party>,
    /// What happened, in words.
    pub summary: LocalText,
    /// Identifiers of what went in and what came out (EPCs, Digital Links, class + quantity).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recall {
    pub reason: LocalText,
    /// ISO 8601 date the recall was announced.
    pub date: String,
    /// Who ordered or announced it.
    pub authority: String,
}

/// An active recall as `GET /api/v1/recalls` lists it: asked for on its own, so that a record
/// that is too big, slow or broken still shows its recall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallNotice {
    pub gtin: String,
    pub lot: String,
    #[serde(flatten)]
    pub recall: Recall,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallList {
    pub recalls: Vec<RecallNotice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"id":"r1","product":{"gtin":"08936012345674","name":{"vi":"Nước mắm"},
            "origin":"Hải Phòng"},"producer":{"name":"Cơ sở A"},"lot":{"lot":"L1"},
            "events":[],"issued_at":"2026-11-25T00:00:00Z"}"#;

    #[test]
    fn bidi_and_zero_width_characters_in_any_field_are_written_out() {
        let hostile = MINIMAL
            .replace("Nước mắm", r"Nước mắm\u202e<script>x</script>")
            .replace("Cơ sở A", r"Cơ\u200bsở A");
        let record = TraceRecord::from_json(hostile.as_bytes()).unwrap();
        assert_eq!(
            record.product.name.vi,
            r"Nước mắm\u{202e}<script>x</script>"
        );
        assert_eq!(record.producer.name, r"Cơ\u{200b}sở A");
    }

    #[test]
    fn an_oversized_record_is_refused_before_parsing() {
        let huge = format!("{}{}", MINIMAL, " ".repeat(MAX_RECORD_BYTES));
        assert!(matches!(
            TraceRecord::from_json(huge.as_bytes()),
            Err(RecordError::TooLarge { .. })
        ));
    }

    #[test]
    fn deeply_nested_or_truncated_json_is_malformed_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            TraceRecord::from_json(deep.as_bytes()),
            Err(RecordError::Malformed(_))
        ));
        assert!(matches!(
            TraceRecord::from_json(&MINIMAL.as_bytes()[..40]),
            Err(RecordError::Malformed(_))
        ));
    }

    #[test]
    fn english_falls_back_to_vietnamese_when_missing_or_empty() {
        assert_eq!(LocalText::vi("Mật ong").get(true), "Mật ong");
        assert_eq!(
            LocalText {
                vi: "Mật ong".into(),
                en: Some(String::new())
            }
            .get(true),
            "Mật ong"
        );
        assert_eq!(LocalText::both("Mật ong", "Honey").get(true), "Honey");
        assert_eq!(LocalText::both("Mật ong", "Honey").get(false), "Mật ong");
    }

    #[test]
    fn optional_fields_may_be_absent_from_the_json() {
        let json = r#"{"id":"r1","product":{"gtin":"08936012345674","name":{"vi":"Nước mắm"},
            "origin":"Hải Phòng"},"producer":{"name":"Cơ sở A"},"lot":{"lot":"L1"},
            "events":[],"issued_at":"2026-11-25T00:00:00Z"}"#;
        let record: TraceRecord = serde_json::from_str(json).unwrap();
        assert_eq!(record.product.name.vi, "Nước mắm");
        assert!(record.recall.is_none() && record.serial.is_none());
    }
}
