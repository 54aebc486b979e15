//! EPCIS 2.0 JSON/JSON-LD import into the timeline model.
//!
//! [`import`] takes a whole document (EPCISDocument, EPCISQueryDocument), a bare event or a
//! list of events, checks what the EPCIS 2.0 JSON schema requires where it matters to a reader
//! (required fields per event type, value formats, JSON types), and gives the events in time
//! order as [`ImportedEvent`]s: a [`TimelineEvent`] (stage, place, party, inputs and outputs,
//! Vietnamese and English summary) plus what EPCIS says beyond it (sensor readings, ILMD,
//! certifications, error declarations, sources and destinations). JSON-LD is read as plain
//! JSON with the standard context's compact names; `@context` is accepted in any form and not
//! fetched.
//!
//! Events are numbered from 1 in messages; array members from 0 (`epcList[2]`), as in JSON
//! paths.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::record::{LocalText, Place, TimelineEvent};
use crate::time;
use master::MasterData;

pub(crate) mod cbv;
mod error;
mod event;
mod fields;
pub(crate) mod identifier;
mod master;

pub use error::{EpcisError, Rule, Where};
pub use event::stage_of_stored;

/// Documents larger than this are refused unread: a lot's whole history is far smaller, and
/// the parsed form takes several times the text's size in the page's memory.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// The official examples nest about 10 levels deep (extension objects inside sensor data).
pub const MAX_DEPTH: usize = 64;
pub const MAX_EVENTS: usize = 10_000;
/// At most this many warnings are kept (then a count of the rest); a hostile document could
/// otherwise fill memory with them.
pub const MAX_WARNINGS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// In time order; events at the same instant keep their document order.
    pub events: Vec<ImportedEvent>,
    /// What was accepted but deserves a look (unknown fields, non-CBV vocabulary, dangling
    /// corrective event IDs …), each naming its event.
    pub warnings: Vec<String>,
}

impl Timeline {
    /// The plain timeline events, as a [`crate::TraceRecord`] holds them.
    pub fn into_timeline_events(self) -> Vec<TimelineEvent> {
        self.events.into_iter().map(|e| e.event).collect()
    }
}

/// One EPCIS event on the timeline, with what EPCIS records beyond [`TimelineEvent`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedEvent {
    #[serde(flatten)]
    pub event: TimelineEvent,
    /// The stage's name for display.
    pub stage_label: LocalText,
    /// Absent for TransformationEvents, which have no action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Where the event was observed, given when the event also names a business location
    /// (then `event.place`, where the goods are afterwards).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_point: Option<Place>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Endpoint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<Endpoint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<BizTransaction>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sensors: Vec<SensorReading>,
    /// URIs of certificates (certificationInfo) the event refers to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ilmd: Option<Ilmd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_disposition: Option<PersistentDisposition>,
    pub status: EventStatus,
    /// Present on the event that declares itself in error (its copies only share the status).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_declaration: Option<ErrorDeclaration>,
    /// IDs of the events in error that this event corrects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrects: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_time: Option<String>,
    /// Seconds since the epoch and nanoseconds, to order events written with different offsets.
    #[serde(skip)]
    instant: (i64, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Action {
    Add,
    Observe,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Nothing in the document says it is wrong.
    Recorded,
    /// Declared in error, with corrective events named.
    Corrected,
    /// Declared in error with nothing in its place: it did not happen as recorded.
    Retracted,
}

/// A source or destination of a business transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// `owning_party`, `possessing_party`, `location`, or a non-CBV type URI.
    pub kind: String,
    /// The identifier, readable (`(417)4012345002256`) when it is a GS1 key.
    pub id: String,
    /// From the document's master data; the readable identifier when it has none.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gln: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BizTransaction {
    /// `po`, `desadv`, `inv` … or a non-CBV type URI; None when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub id: String,
}

/// One sensor report, with the time and device of its sensorMetadata when it has none itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SensorReading {
    /// Measurement type (`Temperature`) or its URI.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_value: Option<f64>,
    /// UN/CEFACT unit code (`CEL`, `KGM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boolean_value: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_value: Option<String>,
    /// `ALARM_CONDITION` or `ERROR_CONDITION` when the sensor raised one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// Instance/lot master data given when objects are created.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Ilmd {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_before_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sell_by_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_of_origin: Option<String>,
    /// Every other attribute by its name as written, nested values as compact JSON.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersistentDisposition {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unset: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorDeclaration {
    /// RFC 3339, as declared.
    pub declared_at: String,
    /// `did_not_occur`, `incorrect_data`, or a non-CBV reason URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrective_event_ids: Vec<String>,
}

/// Imports an EPCIS 2.0 JSON or JSON-LD text: a document, a query document, one event or a
/// list of events.
pub fn import(json: &str) -> Result<Timeline, EpcisError> {
    if json.len() > MAX_DOCUMENT_BYTES {
        return Err(EpcisError::TooLarge {
            bytes: json.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    check_depth(json)?;
    let root: Value = serde_json::from_str(json).map_err(|error| json_error(&error))?;
    let mut warnings = Warnings::default();
    let mut master = MasterData::default();
    let events = envelope(&root, &mut master, &mut warnings)?;
    if events.len() > MAX_EVENTS {
        return Err(EpcisError::TooManyEvents {
            count: events.len(),
            limit: MAX_EVENTS,
        });
    }
    let mut imported = events
        .iter()
        .enumerate()
        .map(|(index, value)| event::convert(index + 1, value, &master, &mut warnings))
        .collect::<Result<Vec<_>, _>>()?;
    apply_error_declarations(&mut imported, &mut warnings);
    // A stable sort: events at the same instant keep the order the document gives them.
    imported.sort_by_key(|event| event.instant);
    Ok(Timeline {
        events: imported,
        warnings: warnings.finish(),
    })
}

/// Warnings as they are found, up to [`MAX_WARNINGS`].
#[derive(Default)]
struct Warnings {
    list: Vec<String>,
    dropped: usize,
}

impl Warnings {
    fn push(&mut self, warning: String) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(warning);
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.list
                .push(format!("{} more warnings not shown", self.dropped));
        }
        self.list
    }
}

/// The document's events, wherever its type keeps them, and the master data it carries.
fn envelope<'a>(
    root: &'a Value,
    master: &mut MasterData,
    warnings: &mut Warnings,
) -> Result<&'a [Value], EpcisError> {
    let map = match root {
        Value::Array(events) => return Ok(events),
        Value::Object(map) => map,
        other => {
            return Err(EpcisError::NotEpcis {
                found: format!("the top level is {}", fields::type_name(other)),
            });
        }
    };
    static DOCUMENT: Where = Where::Document;
    let document = fields::Fields::new(map, &DOCUMENT);
    let Some(kind) = document.str("type")? else {
        if document.has("eventList") {
            warnings.push("document: no type; read as a bare event list".into());
            return document.array("eventList");
        }
        return Err(document.missing("type"));
    };
    let query = match kind {
        "EPCISDocument" => false,
        "EPCISQueryDocument" => true,
        // A single event, with its own @context.
        _ => return Ok(std::slice::from_ref(root)),
    };
    // A query document's schema requires neither; a plain document's requires both.
    let version = match document.str("schemaVersion")? {
        None if query => None,
        None => return Err(document.missing("schemaVersion")),
        Some(version) => Some(version),
    };
    if let Some(version) = version.filter(|v| !v.starts_with('2')) {
        warnings.push(format!(
            "document: schemaVersion is {}, read as EPCIS 2.0",
            error::shown(version)
        ));
    }
    match document.str("creationDate")? {
        None if query => {}
        None => return Err(document.missing("creationDate")),
        Some(date) if time::rfc3339_to_unix(date).is_none() => {
            return Err(document.invalid("creationDate", date, Rule::DateTime));
        }
        Some(_) => {}
    }
    if let Some(header) = document.object("epcisHeader")?
        && let Some(data) = header.object("epcisMasterData")?
    {
        master.read(&data.objects("vocabularyList")?)?;
    }
    let body = document
        .object("epcisBody")?
        .ok_or_else(|| document.missing("epcisBody"))?;
    let results = if query {
        let query = body
            .object("queryResults")?
            .ok_or_else(|| body.missing("queryResults"))?;
        query.required_str("queryName")?;
        let results = query
            .object("resultsBody")?
            .ok_or_else(|| query.missing("resultsBody"))?;
        master.read(&results.objects("vocabularyList")?)?;
        results
    } else {
        body
    };
    if !results.has("eventList") {
        return Err(results.missing("eventList"));
    }
    results.array("eventList")
}

/// Refuses nesting beyond [`MAX_DEPTH`] before parsing, so that depth is a clear error and not
/// serde_json's recursion limit.
fn check_depth(json: &str) -> Result<(), EpcisError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for byte in json.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(EpcisError::TooDeep { limit: MAX_DEPTH });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn json_error(error: &serde_json::Error) -> EpcisError {
    let text = error.to_string();
    // serde_json appends " at line L column C", which the message says in its own words.
    let detail = match text.rfind(" at line ") {
        Some(end) => text[..end].to_string(),
        None => text,
    };
    EpcisError::InvalidJson {
        line: error.line(),
        column: error.column(),
        detail,
        truncated: error.is_eof(),
    }
}

/// Marks events declared in error (and other copies of them, which share their eventID) and
/// links each corrective event to what it corrects.
fn apply_error_declarations(events: &mut [ImportedEvent], warnings: &mut Warnings) {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, event) in events.iter().enumerate() {
        by_id.entry(&event.event.id).or_default().push(index);
    }
    // Each declaring event with every copy of it, and (corrective event, declaring event) pairs.
    let mut marks: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut links: Vec<(usize, usize)> = Vec::new();
    let mut seen = HashSet::new();
    for (index, event) in events.iter().enumerate() {
        let Some(declaration) = &event.error_declaration else {
            continue;
        };
        if !seen.insert(event.event.id.as_str()) {
            continue;
        }
        marks.push((index, by_id[event.event.id.as_str()].clone()));
        let mut named = HashSet::new();
        for corrective in &declaration.corrective_event_ids {
            if !named.insert(corrective.as_str()) {
                continue;
            }
            match by_id.get(corrective.as_str()) {
                // Copies of one event are the same event: linking the first is enough, and
                // keeps a hostile document from multiplying links.
                Some(copies) if links.len() < MAX_EVENTS => links.push((copies[0], index)),
                Some(_) => {}
                None => warnings.push(format!(
                    "event {}: its corrective event {} is not in this document",
                    error::shown(&event.event.id),
                    error::shown(corrective)
                )),
            }
        }
    }
    if links.len() >= MAX_EVENTS {
        warnings.push(format!(
            "document: only the first {MAX_EVENTS} corrections are linked"
        ));
    }
    for (declared, copies) in marks {
        let status = events[declared].status;
        for copy in copies {
            if events[copy].status == EventStatus::Recorded {
                events[copy].status = status;
                event::note_status(&mut events[copy].event.summary, status);
            }
        }
    }
    for (corrective, declared) in links {
        let id = events[declared].event.id.clone();
        events[corrective].corrects.push(id);
    }
}
