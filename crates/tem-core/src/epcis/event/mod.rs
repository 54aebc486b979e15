//! One EPCIS event checked against what its type requires and turned into an
//! [`ImportedEvent`]. Each part of the event is read in the file named after it; this one
//! puts them together.

use serde_json::Value;

use super::Warnings;
use super::cbv::Vocabulary;
use super::error::{EpcisError, Rule, Where};
use super::fields::{Fields, type_name};
use super::master::MasterData;
use super::{Action, ErrorDeclaration, EventStatus, ImportedEvent};
use crate::record::{LocalText, TimelineEvent};
use kind::{Kind, parse_action, warn_unknown_fields};
use places::{endpoints, location};
use sensors::sensors;
use time::{date_time, event_time};
use timeline::{Summary, actor, description, stage, summary};
use what::{ilmd, objects};
use why::{persistent_disposition, transactions, vocabulary};

mod kind;
mod places;
mod sensors;
mod time;
mod timeline;
mod what;
mod why;

pub(super) use timeline::note_status;
pub use timeline::stage_of_stored;

/// Event IDs are hash or UUID URIs of about 100 bytes; far longer ones only serve to make
/// every link to them expensive.
pub(super) const MAX_ID_BYTES: usize = 1024;

pub(super) fn convert(
    number: usize,
    value: &Value,
    master: &MasterData,
    warnings: &mut Warnings,
) -> Result<ImportedEvent, EpcisError> {
    let untyped = Where::Event { number, kind: None };
    let Value::Object(map) = value else {
        return Err(EpcisError::WrongType {
            at: untyped,
            field: "event".into(),
            expected: "an object",
            found: type_name(value),
        });
    };
    let kind_name = Fields::new(map, &untyped).required_str("type")?;
    let at = Where::Event {
        number,
        kind: Some(kind_name.to_string()),
    };
    let kind = Kind::parse(kind_name).ok_or_else(|| EpcisError::UnknownEventType {
        at: at.clone(),
        found: kind_name.to_string(),
    })?;
    let f = Fields::new(map, &at);
    warn_unknown_fields(&f, kind, warnings);

    let (time, instant) = event_time(&f)?;
    let record_time = date_time(&f, "recordTime")?;
    let action = match f.str("action")? {
        None if kind.requires_action() => return Err(f.missing("action")),
        None => None,
        Some(text) => {
            Some(parse_action(text).ok_or_else(|| f.invalid("action", text, Rule::Action))?)
        }
    };
    let id = match f.uri("eventID")? {
        None => format!("event-{number}"),
        Some(id) if id.len() > MAX_ID_BYTES => {
            return Err(f.invalid("eventID", id, Rule::TooLong));
        }
        Some(id) => id.to_string(),
    };
    let biz_step = vocabulary(&f, "bizStep", Vocabulary::BizStep, warnings)?;
    let disposition = vocabulary(&f, "disposition", Vocabulary::Disposition, warnings)?;
    let persistent_disposition = persistent_disposition(&f, warnings)?;
    let read_point = location(&f, "readPoint", master)?;
    let biz_location = location(&f, "bizLocation", master)?;
    let sources = endpoints(&f, "sourceList", &["type", "source"], master)?;
    let destinations = endpoints(&f, "destinationList", &["type", "destination"], master)?;
    let transactions = transactions(&f, kind)?;
    let sensors = sensors(&f)?;
    let certifications: Vec<String> = f
        .uri_or_uri_list("certificationInfo")?
        .into_iter()
        .map(str::to_string)
        .collect();
    let ilmd = ilmd(&f)?;
    if ilmd.is_some() && kind == Kind::Object && action != Some(Action::Add) {
        let written = f.str("action")?.unwrap_or_default();
        return Err(f.invalid("action", written, Rule::IlmdNeedsAdd));
    }
    let error_declaration = error_declaration(&f)?;
    let (inputs, outputs) = objects(&f, kind, action, read_point.is_some())?;

    let recalled = disposition.as_deref() == Some("recalled")
        || persistent_disposition
            .as_ref()
            .is_some_and(|p| p.set.iter().any(|d| d == "recalled"));
    let stage = stage(
        kind,
        action,
        biz_step.as_deref(),
        disposition.as_deref(),
        recalled,
        !certifications.is_empty(),
    );
    let status = match &error_declaration {
        None => EventStatus::Recorded,
        Some(declaration) if declaration.corrective_event_ids.is_empty() => EventStatus::Retracted,
        Some(_) => EventStatus::Corrected,
    };
    let place = biz_location.clone().or_else(|| read_point.clone());
    let actor = actor(biz_step.as_deref(), &sources, &destinations);
    let summary = summary(&Summary {
        kind,
        action,
        step: biz_step.as_deref(),
        stage,
        place: place.as_ref(),
        inputs: &inputs,
        outputs: &outputs,
        recalled,
        status,
        description: description(&f)?,
    });
    let event = TimelineEvent {
        id,
        time,
        stage,
        event_type: kind_name.to_string(),
        biz_step,
        disposition,
        place,
        actor,
        summary,
        inputs,
        outputs,
    };
    Ok(ImportedEvent {
        event,
        stage_label: LocalText::both(stage.label_vi(), stage.label_en()),
        action,
        read_point: read_point.filter(|_| biz_location.is_some()),
        sources,
        destinations,
        transactions,
        sensors,
        certifications,
        ilmd,
        persistent_disposition,
        status,
        error_declaration,
        corrects: Vec::new(),
        record_time,
        instant,
    })
}

fn error_declaration(f: &Fields<'_>) -> Result<Option<ErrorDeclaration>, EpcisError> {
    let Some(d) = f.object("errorDeclaration")? else {
        return Ok(None);
    };
    let declared_at =
        date_time(&d, "declarationTime")?.ok_or_else(|| d.missing("declarationTime"))?;
    Ok(Some(ErrorDeclaration {
        declared_at,
        reason: d.str("reason")?.map(str::to_string),
        corrective_event_ids: d
            .uri_list("correctiveEventIDs")?
            .into_iter()
            .map(str::to_string)
            .collect(),
    }))
}
