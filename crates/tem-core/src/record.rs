//! The trace record: product master data plus the timeline of what happened to the lot.
//!
//! This is the JSON the portal serves at `/api/v1/records/{id}` and through the Digital Link
//! resolver, and what EPCIS 2.0 documents are imported into. Field names follow Circular
//! 02/2024/TT-BKHCN's minimum consumer fields: who, what, where, when for every stage.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::json::from_json;
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
    /// Not JSON, nested deeper than any record (the reader stops at 128 levels), or not shaped
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
        let mut record: TraceRecord = crate::json::from_slice(bytes)
            .map_err(|error| RecordError::Malformed(error.to_string()))?;
        record.neutralise();
        Ok(record)
    }
}

/// Writes out hidden characters in every string a type holds. By hand rather than through a
/// `serde_json::Value`, which would put a second JSON reader in the widget; the test
/// `every_string_field_is_neutralised` fails when a field is left out here.
trait Neutralise {
    fn neutralise(&mut self);
}

impl Neutralise for String {
    fn neutralise(&mut self) {
        if self
            .chars()
            .any(|c| c.is_control() || crate::text::is_invisible(c))
        {
            *self = crate::text::neutralise(self);
        }
    }
}

impl<T: Neutralise> Neutralise for Option<T> {
    fn neutralise(&mut self) {
        if let Some(value) = self {
            value.neutralise();
        }
    }
}

impl<T: Neutralise> Neutralise for Vec<T> {
    fn neutralise(&mut self) {
        self.iter_mut().for_each(Neutralise::neutralise);
    }
}

macro_rules! neutralise_fields {
    ($($type:ty: $($field:ident),+;)+) => {
        $(impl Neutralise for $type {
            fn neutralise(&mut self) {
                $(self.$field.neutralise();)+
            }
        })+
    };
}

neutralise_fields! {
    LocalText: vi, en;
    TraceRecord: id, product, producer, lot, serial, events, recall, issued_at;
    Product: gtin, name, brand, description, image, origin, net_content, standards;
    Party: name, address, gln;
    Lot: lot, production_date, expiry_date;
    Place: gln, name, address;
    TimelineEvent: id, time, event_type, biz_step, disposition, place, actor, summary, inputs, outputs;
    Recall: reason, date, authority;
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
    pub date: String,
    pub authority: String,
    pub reason: LocalText,
}

impl RecallNotice {
    pub fn recall(&self) -> Recall {
        Recall {
            reason: self.reason.clone(),
            date: self.date.clone(),
            authority: self.authority.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallList {
    pub recalls: Vec<RecallNotice>,
}

from_json! {
    LocalText { vi: required, en: optional }
    TraceRecord {
        id: required, product: required, producer: required, lot: required, serial: optional,
        events: required, recall: optional, issued_at: required
    }
    Product {
        gtin: required, name: required, brand: optional, description: optional,
        image: optional, origin: required, net_content: optional, standards: list
    }
    Party { name: required, address: optional, gln: optional }
    Lot { lot: required, production_date: optional, expiry_date: optional }
    Place { gln: optional, name: required, address: optional }
    TimelineEvent {
        id: required, time: required, stage: required, event_type: required,
        biz_step: optional, disposition: optional, place: optional, actor: optional,
        summary: required, inputs: list, outputs: list
    }
    Recall { reason: required, date: required, authority: required }
    RecallNotice { gtin: required, lot: required, date: required, authority: required, reason: required }
    RecallList { recalls: required }
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

    /// Every string of a record with every optional part present, as its JSON shows it.
    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => out.push(text.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(members) => members.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }

    fn hostile(value: &mut serde_json::Value) {
        match value {
            // `stage` is an enum: its names are not free text.
            serde_json::Value::String(text) if text != "harvest" => text.push('\u{202e}'),
            serde_json::Value::Array(items) => items.iter_mut().for_each(hostile),
            serde_json::Value::Object(members) => members.values_mut().for_each(hostile),
            _ => {}
        }
    }

    #[test]
    fn every_string_field_is_neutralised() {
        let text = || LocalText::both("vi", "en");
        let place = Place {
            gln: Some("gln".into()),
            name: "name".into(),
            address: Some("address".into()),
        };
        let party = Party {
            name: "name".into(),
            address: Some("address".into()),
            gln: Some("gln".into()),
        };
        let full = TraceRecord {
            id: "id".into(),
            product: Product {
                gtin: "gtin".into(),
                name: text(),
                brand: Some("brand".into()),
                description: Some(text()),
                image: Some("image".into()),
                origin: "origin".into(),
                net_content: Some("net".into()),
                standards: vec!["standard".into()],
            },
            producer: party.clone(),
            lot: Lot {
                lot: "lot".into(),
                production_date: Some("date".into()),
                expiry_date: Some("date".into()),
            },
            serial: Some("serial".into()),
            events: vec![TimelineEvent {
                id: "id".into(),
                time: "time".into(),
                stage: Stage::Harvest,
                event_type: "type".into(),
                biz_step: Some("step".into()),
                disposition: Some("disposition".into()),
                place: Some(place),
                actor: Some(party),
                summary: text(),
                inputs: vec!["input".into()],
                outputs: vec!["output".into()],
            }],
            recall: Some(Recall {
                reason: text(),
                date: "date".into(),
                authority: "authority".into(),
            }),
            issued_at: "at".into(),
        };
        let mut json = serde_json::to_value(&full).unwrap();
        hostile(&mut json);
        let record = TraceRecord::from_json(json.to_string().as_bytes()).unwrap();
        let mut shown = Vec::new();
        strings(&serde_json::to_value(&record).unwrap(), &mut shown);
        assert!(shown.len() > 30, "{shown:?}");
        for text in shown.iter().filter(|t| *t != "harvest") {
            assert!(text.ends_with("\\u{202e}"), "left as it came: {text:?}");
        }
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
