//! Why an EPCIS document could not be imported, in English (Display) and Vietnamese
//! (`message_vi`), serialised with a stable `code`. Every message names the place (document or
//! event, then the field path) and the rule that was broken.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Where a problem is: in the document's envelope or in one of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Where {
    Document,
    /// `number` counts from 1 in document order, as a person reading the file would.
    Event {
        number: usize,
        kind: Option<String>,
    },
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Where::Document => f.write_str("document"),
            Where::Event { number, kind: None } => write!(f, "event {number}"),
            Where::Event {
                number,
                kind: Some(kind),
            } => write!(f, "event {number} ({})", shown(kind)),
        }
    }
}

impl Where {
    fn vi(&self) -> String {
        match self {
            Where::Document => "tài liệu".into(),
            Where::Event { number, kind: None } => format!("sự kiện {number}"),
            Where::Event {
                number,
                kind: Some(kind),
            } => format!("sự kiện {number} ({})", shown(kind)),
        }
    }

    fn event_number(&self) -> Option<usize> {
        match self {
            Where::Event { number, .. } => Some(*number),
            Where::Document => None,
        }
    }
}

/// A value rule from the EPCIS 2.0 JSON schema that a field broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// `format: date-time`, which also requires the offset.
    DateTime,
    /// `^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$`
    TimeZoneOffset,
    Action,
    /// `^[A-Z0-9]{2,3}$`, a UN/CEFACT Rec 20 unit code.
    UnitOfMeasure,
    HexBinary,
    /// ILMD describes objects being created, so the schema allows it only with action ADD.
    IlmdNeedsAdd,
    /// A list the schema requires to have at least one item.
    NotEmpty,
    /// Longer than any real identifier (see `MAX_ID_BYTES`).
    TooLong,
    /// A `tem:description` longer than a timeline line can show.
    DescriptionTooLong,
}

impl Rule {
    fn en(self) -> &'static str {
        match self {
            Rule::DateTime => {
                "is not an RFC 3339 date-time with an offset (2024-10-01T08:30:00+07:00)"
            }
            Rule::TimeZoneOffset => "is not an offset between -14:00 and +14:00 written ±HH:MM",
            Rule::Action => "is not one of ADD, OBSERVE, DELETE",
            Rule::UnitOfMeasure => "is not a 2 or 3 character UN/CEFACT unit code (KGM, CEL)",
            Rule::HexBinary => "is not hexadecimal",
            Rule::IlmdNeedsAdd => "does not allow ilmd: ilmd is only allowed when action is ADD",
            Rule::NotEmpty => "is empty but must list at least one item",
            Rule::TooLong => "is longer than 1024 bytes, more than any real identifier",
            Rule::DescriptionTooLong => "is longer than 500 characters",
        }
    }

    fn vi(self) -> &'static str {
        match self {
            Rule::DateTime => {
                "không phải thời điểm RFC 3339 có múi giờ (2024-10-01T08:30:00+07:00)"
            }
            Rule::TimeZoneOffset => "không phải múi giờ ±HH:MM trong khoảng -14:00 đến +14:00",
            Rule::Action => "không phải một trong ADD, OBSERVE, DELETE",
            Rule::UnitOfMeasure => "không phải mã đơn vị UN/CEFACT 2 hoặc 3 ký tự (KGM, CEL)",
            Rule::HexBinary => "không phải chuỗi thập lục phân",
            Rule::IlmdNeedsAdd => "không được có ilmd: ilmd chỉ dùng khi action là ADD",
            Rule::NotEmpty => "trống nhưng phải có ít nhất một mục",
            Rule::TooLong => "dài hơn 1024 byte, quá dài để là mã định danh thật",
            Rule::DescriptionTooLong => "dài hơn 500 ký tự",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EpcisError {
    /// Refused before parsing, so a lying server cannot exhaust the page's memory.
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    TooDeep {
        limit: usize,
    },
    TooManyEvents {
        count: usize,
        limit: usize,
    },
    /// Not JSON at all, or cut off (`truncated`) before its end.
    InvalidJson {
        line: usize,
        column: usize,
        detail: String,
        truncated: bool,
    },
    /// The top level is neither an EPCIS document nor an event nor a list of events.
    NotEpcis {
        found: String,
    },
    Missing {
        at: Where,
        field: String,
    },
    WrongType {
        at: Where,
        field: String,
        expected: &'static str,
        found: &'static str,
    },
    Invalid {
        at: Where,
        field: String,
        value: String,
        rule: Rule,
    },
    NotUri {
        at: Where,
        field: String,
        value: String,
    },
    UnknownEventType {
        at: Where,
        found: String,
    },
    /// A member of an object the schema closes to the members `allowed`.
    UnexpectedField {
        at: Where,
        field: String,
        allowed: &'static [&'static str],
    },
    /// An event that says nothing about which objects it concerns, where its type requires it.
    NoObjects {
        at: Where,
        needs: &'static str,
    },
}

impl EpcisError {
    pub fn code(&self) -> &'static str {
        match self {
            EpcisError::TooLarge { .. } => "too_large",
            EpcisError::TooDeep { .. } => "too_deep",
            EpcisError::TooManyEvents { .. } => "too_many_events",
            EpcisError::InvalidJson { .. } => "invalid_json",
            EpcisError::NotEpcis { .. } => "not_epcis",
            EpcisError::Missing { .. } => "missing_field",
            EpcisError::WrongType { .. } => "wrong_type",
            EpcisError::Invalid { .. } => "invalid_value",
            EpcisError::NotUri { .. } => "not_uri",
            EpcisError::UnknownEventType { .. } => "unknown_event_type",
            EpcisError::UnexpectedField { .. } => "unexpected_field",
            EpcisError::NoObjects { .. } => "no_objects",
        }
    }

    /// Where the problem is, when it is inside the document.
    pub fn place(&self) -> Option<&Where> {
        match self {
            EpcisError::Missing { at, .. }
            | EpcisError::WrongType { at, .. }
            | EpcisError::Invalid { at, .. }
            | EpcisError::NotUri { at, .. }
            | EpcisError::UnknownEventType { at, .. }
            | EpcisError::UnexpectedField { at, .. }
            | EpcisError::NoObjects { at, .. } => Some(at),
            _ => None,
        }
    }

    /// The field path the problem is about (`epcList[2]`, `quantityList[0].uom`).
    pub fn field(&self) -> Option<&str> {
        match self {
            EpcisError::Missing { field, .. }
            | EpcisError::WrongType { field, .. }
            | EpcisError::Invalid { field, .. }
            | EpcisError::NotUri { field, .. }
            | EpcisError::UnexpectedField { field, .. } => Some(field),
            EpcisError::UnknownEventType { .. } => Some("type"),
            _ => None,
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            EpcisError::TooLarge { bytes, limit } => {
                format!("Tài liệu dài {bytes} byte, vượt giới hạn {limit} byte nên bị từ chối")
            }
            EpcisError::TooDeep { limit } => {
                format!("Tài liệu lồng nhau sâu hơn {limit} cấp nên bị từ chối")
            }
            EpcisError::TooManyEvents { count, limit } => {
                format!("Tài liệu có {count} sự kiện, vượt giới hạn {limit} sự kiện")
            }
            EpcisError::InvalidJson {
                line,
                column,
                truncated: true,
                ..
            } => format!(
                "Tài liệu bị cắt cụt: hết dữ liệu ở dòng {line} cột {column} (không phải JSON hợp lệ)"
            ),
            EpcisError::InvalidJson {
                line,
                column,
                detail,
                ..
            } => format!("Không phải JSON hợp lệ ở dòng {line} cột {column}: {detail}"),
            EpcisError::NotEpcis { found } => format!(
                "Không phải tài liệu EPCIS: {found} (cần EPCISDocument, EPCISQueryDocument, một sự kiện hoặc danh sách sự kiện)"
            ),
            EpcisError::Missing { at, field } => format!("{}: thiếu trường {field}", at.vi()),
            EpcisError::WrongType {
                at,
                field,
                expected,
                found,
            } => format!(
                "{}: {field} phải là {}, nhưng lại là {}",
                at.vi(),
                type_vi(expected),
                type_vi(found)
            ),
            EpcisError::Invalid {
                at,
                field,
                value,
                rule,
            } => format!("{}: {field} '{}' {}", at.vi(), shown(value), rule.vi()),
            EpcisError::NotUri { at, field, value } => {
                format!("{}: {field}: '{}' không phải URI", at.vi(), shown(value))
            }
            EpcisError::UnknownEventType { at, found } => format!(
                "{}: '{}' không phải loại sự kiện EPCIS (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent hoặc URI của loại mở rộng)",
                at.vi(),
                shown(found)
            ),
            EpcisError::UnexpectedField { at, field, allowed } => format!(
                "{}: không được có trường {field} (chỉ cho phép {})",
                at.vi(),
                allowed.join(", ")
            ),
            EpcisError::NoObjects { at, needs } => {
                format!("{}: không nói về hàng hóa nào, cần {needs}", at.vi())
            }
        }
    }
}

impl fmt::Display for EpcisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EpcisError::TooLarge { bytes, limit } => write!(
                f,
                "the document is {bytes} bytes; documents over {limit} bytes are refused"
            ),
            EpcisError::TooDeep { limit } => write!(
                f,
                "the document nests deeper than {limit} levels and is refused"
            ),
            EpcisError::TooManyEvents { count, limit } => write!(
                f,
                "the document has {count} events; at most {limit} are imported"
            ),
            EpcisError::InvalidJson {
                line,
                column,
                truncated: true,
                ..
            } => write!(
                f,
                "not valid JSON at line {line} column {column}: the document ends early (truncated?)"
            ),
            EpcisError::InvalidJson {
                line,
                column,
                detail,
                ..
            } => write!(f, "not valid JSON at line {line} column {column}: {detail}"),
            EpcisError::NotEpcis { found } => write!(
                f,
                "not an EPCIS document: {found} (expected an EPCISDocument, an EPCISQueryDocument, an event or a list of events)"
            ),
            EpcisError::Missing { at, field } => write!(f, "{at}: {field} is missing"),
            EpcisError::WrongType {
                at,
                field,
                expected,
                found,
            } => write!(f, "{at}: {field} should be {expected}, found {found}"),
            EpcisError::Invalid {
                at,
                field,
                value,
                rule,
            } => write!(f, "{at}: {field} '{}' {}", shown(value), rule.en()),
            EpcisError::NotUri { at, field, value } => {
                write!(f, "{at}: {field}: not a URI ('{}')", shown(value))
            }
            EpcisError::UnknownEventType { at, found } => write!(
                f,
                "{at}: type '{}' is not an EPCIS event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent, or an extension type URI)",
                shown(found)
            ),
            EpcisError::UnexpectedField { at, field, allowed } => write!(
                f,
                "{at}: {field} is not allowed here (only {})",
                allowed.join(", ")
            ),
            EpcisError::NoObjects { at, needs } => {
                write!(f, "{at}: names no objects; it needs {needs}")
            }
        }
    }
}

impl std::error::Error for EpcisError {}

/// Serialised as `{"code", "message", "message_vi", "event"?, "field"?}`, the shape the CLI and
/// the widget show.
impl Serialize for EpcisError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        map.serialize_entry("message_vi", &self.message_vi())?;
        if let Some(number) = self.place().and_then(Where::event_number) {
            map.serialize_entry("event", &number)?;
        }
        if let Some(field) = self.field() {
            map.serialize_entry("field", field)?;
        }
        map.end()
    }
}

/// A value as quoted in a message: short, and with control characters made visible so a
/// hostile document cannot forge lines in a log or on the page.
pub(super) fn shown(value: &str) -> String {
    const LIMIT: usize = 60;
    let mut out: String = value
        .chars()
        .take(LIMIT)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if value.chars().nth(LIMIT).is_some() {
        out.push('…');
    }
    out
}

/// The JSON type names used in English messages, in Vietnamese.
fn type_vi(name: &str) -> &str {
    match name {
        "null" => "null",
        "a boolean" => "giá trị đúng/sai",
        "a number" => "số",
        "a string" => "chuỗi",
        "an array" => "mảng",
        "an object" => "đối tượng",
        "a string or an array of strings" => "chuỗi hoặc mảng chuỗi",
        other => other,
    }
}
