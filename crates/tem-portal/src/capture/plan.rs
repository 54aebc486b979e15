//! What a captured document asks the portal to write, worked out from tem-core's import
//! before the database is touched: each event's row, the lots and units its identifiers name,
//! and the places and parties it shows. Nothing here knows who sent it; `store` decides that.

use tem_core::epcis::{Action, ImportedEvent, Timeline};
use tem_core::payload;
use tem_core::record::{Party, Place};

/// One event as the `events` and `event_items` tables keep it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedEvent {
    pub id: String,
    pub time: String,
    pub event_type: String,
    pub biz_step: Option<String>,
    pub disposition: Option<String>,
    pub summary_vi: String,
    pub summary_en: Option<String>,
    /// The business location, else the read point: where the event says it happened.
    pub place: Option<Place>,
    pub actor: Option<Party>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    /// Every GS1 object the event names, by what it is, and whether the event brings it
    /// into being (an ObjectEvent's ADD, a transformation's outputs).
    pub objects: Vec<(Object, bool)>,
    /// The lot a creating event gives its new objects (ILMD), with their expiry.
    pub new_lot: Option<NewLot>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// `(01)…(10)…`: a lot, or a quantity of one.
    Lot { gtin: String, lot: String },
    /// `(01)…(21)…`: a serialised unit.
    Unit { gtin: String, serial: String },
    /// `(00)…`: a pallet or case, whose lots are those packed on it.
    Sscc(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLot {
    pub lot: String,
    pub expiry_date: Option<String>,
    /// `tem:productionDate` (docs/epcis.md); CBV has no production date of its own.
    pub production_date: Option<String>,
}

/// Why a document cannot be captured, whoever sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Capture keeps events by their ID, so that a document sent twice is not stored twice.
    NoEventId {
        number: usize,
    },
    DuplicateEventId {
        id: String,
    },
    /// An identifier written as a GS1 key (`…/01/…`, `urn:epc:id:…`) that breaks GS1's
    /// rules: the importer keeps it as an opaque URI, but stored it would track nothing.
    InvalidKey {
        event: String,
        item: String,
        reason: String,
    },
    /// A lot's date that is not a real `YYYY-MM-DD` day.
    InvalidDate {
        event: String,
        field: &'static str,
        value: String,
    },
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::NoEventId { number } => write!(
                f,
                "event {number} has no eventID; capture needs one on every event so that a document sent again is not stored twice"
            ),
            PlanError::DuplicateEventId { id } => {
                write!(f, "the eventID {id} is given to more than one event")
            }
            PlanError::InvalidKey {
                event,
                item,
                reason,
            } => write!(f, "event {event}: {item} is not a valid GS1 key: {reason}"),
            PlanError::InvalidDate {
                event,
                field,
                value,
            } => write!(
                f,
                "event {event}: ilmd {field} {value:?} is not a date written YYYY-MM-DD"
            ),
        }
    }
}

/// The events of an imported document in time order, ready to be checked and written.
pub fn plan(timeline: &Timeline, has_event_id: &[bool]) -> Result<Vec<PlannedEvent>, PlanError> {
    if let Some(number) = has_event_id.iter().position(|given| !given) {
        return Err(PlanError::NoEventId { number: number + 1 });
    }
    let mut seen = std::collections::HashSet::new();
    timeline
        .events
        .iter()
        .map(|imported| {
            if !seen.insert(imported.event.id.as_str()) {
                return Err(PlanError::DuplicateEventId {
                    id: imported.event.id.clone(),
                });
            }
            if let Some((item, reason)) = imported
                .event
                .inputs
                .iter()
                .chain(&imported.event.outputs)
                .find_map(|item| broken_key(item).map(|reason| (item, reason)))
            {
                return Err(PlanError::InvalidKey {
                    event: imported.event.id.clone(),
                    item: item.clone(),
                    reason,
                });
            }
            let planned = planned(imported);
            if let Some(new_lot) = &planned.new_lot {
                for (field, date) in [
                    ("itemExpirationDate", &new_lot.expiry_date),
                    ("productionDate", &new_lot.production_date),
                ] {
                    if let Some(date) = date.as_ref().filter(|d| !tem_core::time::is_iso_date(d)) {
                        return Err(PlanError::InvalidDate {
                            event: planned.id.clone(),
                            field,
                            value: date.clone(),
                        });
                    }
                }
            }
            Ok(planned)
        })
        .collect()
}

/// Why an identifier written as a GS1 key is not one; None for a readable key or anything
/// that does not claim to be one.
fn broken_key(item: &str) -> Option<String> {
    let identifier = item.split(" × ").next().unwrap_or(item);
    let claims = identifier.starts_with("urn:epc:id:")
        || identifier.starts_with("urn:epc:class:")
        || ((identifier.starts_with("https://") || identifier.starts_with("http://"))
            && identifier.contains("/01/"));
    if !claims {
        return None;
    }
    Some(match payload::parse(identifier) {
        Err(error) => error.to_string(),
        Ok(_) => "it names no GTIN the portal can read".into(),
    })
}

fn planned(imported: &ImportedEvent) -> PlannedEvent {
    let event = &imported.event;
    let creates = (event.event_type == "ObjectEvent" && imported.action == Some(Action::Add))
        || event.event_type == "TransformationEvent";
    let named = |items: &[String], created: bool| {
        items
            .iter()
            .filter_map(|item| object(item))
            .map(move |object| (object, created))
            .collect::<Vec<_>>()
    };
    let mut objects: Vec<(Object, bool)> = Vec::new();
    for (object, created) in named(&event.inputs, false)
        .into_iter()
        .chain(named(&event.outputs, creates))
    {
        match objects.iter_mut().find(|(known, _)| *known == object) {
            Some((_, was)) => *was |= created,
            None => objects.push((object, created)),
        }
    }
    let new_lot = imported.ilmd.as_ref().filter(|_| creates).and_then(|ilmd| {
        Some(NewLot {
            lot: ilmd.lot.clone()?,
            expiry_date: ilmd
                .expiry_date
                .clone()
                .or_else(|| ilmd.best_before_date.clone()),
            production_date: ilmd
                .attributes
                .iter()
                .find(|(name, _)| name.rsplit([':', '/', '#']).next() == Some("productionDate"))
                .map(|(_, date)| date.clone()),
        })
    });
    PlannedEvent {
        id: event.id.clone(),
        time: event.time.clone(),
        event_type: event.event_type.clone(),
        biz_step: event.biz_step.clone(),
        disposition: event.disposition.clone(),
        summary_vi: event.summary.vi.clone(),
        summary_en: event.summary.en.clone(),
        place: event.place.clone().or_else(|| imported.read_point.clone()),
        actor: event.actor.clone(),
        inputs: event.inputs.clone(),
        outputs: event.outputs.clone(),
        objects,
        new_lot,
    }
}

/// The GS1 object a readable identifier (`(01)…(10)… × 5 KGM`) stands for, if it is one the
/// portal keeps histories of.
pub fn object(item: &str) -> Option<Object> {
    let identifier = item.split(" × ").next().unwrap_or(item);
    if !identifier.starts_with('(') {
        return None;
    }
    let parsed = payload::parse(identifier).ok()?;
    let value = |ai: &str| {
        parsed
            .elements
            .iter()
            .find(|element| element.ai == ai)
            .map(|element| element.value.clone())
    };
    if let Some(sscc) = value("00") {
        return Some(Object::Sscc(sscc));
    }
    let gtin = value("01")?;
    match (value("21"), value("10")) {
        (Some(serial), _) => Some(Object::Unit { gtin, serial }),
        (None, Some(lot)) => Some(Object::Lot { gtin, lot }),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(document: serde_json::Value) -> Timeline {
        tem_core::epcis::import(&document.to_string()).unwrap()
    }

    fn document(events: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
            "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": "2026-11-20T08:00:00+07:00",
            "epcisBody": {"eventList": events}
        })
    }

    #[test]
    fn identifiers_name_lots_units_and_pallets_and_nothing_else() {
        assert_eq!(
            object("(01)08936012345674(10)MO2604 × 5 KGM"),
            Some(Object::Lot {
                gtin: "08936012345674".into(),
                lot: "MO2604".into()
            })
        );
        assert_eq!(
            object("(01)08936012345674(21)A0001"),
            Some(Object::Unit {
                gtin: "08936012345674".into(),
                serial: "A0001".into()
            })
        );
        assert_eq!(
            object("(00)089360090000000012"),
            Some(Object::Sscc("089360090000000012".into()))
        );
        assert_eq!(object("(01)08936012345674"), None);
        assert_eq!(
            object("urn:uuid:4f0b7b43-7a0f-4bd4-9d8b-7f4a6c1e6e0a"),
            None
        );
        assert_eq!(object("(01)08936012345675(10)BADCHECK"), None);
    }

    #[test]
    fn a_commissioning_with_ilmd_plans_its_lot() {
        let timeline = imported(document(serde_json::json!([{
            "type": "ObjectEvent", "eventID": "urn:uuid:1", "action": "ADD",
            "eventTime": "2026-11-20T07:00:00+07:00", "eventTimeZoneOffset": "+07:00",
            "bizStep": "commissioning",
            "epcList": ["urn:epc:id:sgtin:8936012.034567.A0100"],
            "ilmd": {"cbvmda:lotNumber": "MO2611", "cbvmda:itemExpirationDate": "2028-11-20",
                     "tem:productionDate": "2026-11-19"}
        }])));
        let planned = plan(&timeline, &[true]).unwrap();
        assert_eq!(
            planned[0].new_lot,
            Some(NewLot {
                lot: "MO2611".into(),
                expiry_date: Some("2028-11-20".into()),
                production_date: Some("2026-11-19".into()),
            })
        );
        assert_eq!(
            planned[0].objects,
            [(
                Object::Unit {
                    gtin: "08936012345674".into(),
                    serial: "A0100".into()
                },
                true
            )]
        );
    }

    #[test]
    fn a_key_that_breaks_gs1_rules_is_refused_not_kept_as_a_uri() {
        let timeline = imported(document(serde_json::json!([{
            "type": "ObjectEvent", "eventID": "urn:uuid:1", "action": "OBSERVE",
            "eventTime": "2026-11-20T07:00:00+07:00", "eventTimeZoneOffset": "+07:00",
            "epcList": ["https://id.gs1.org/01/08936012345675/21/A1", "urn:uuid:2"]
        }])));
        let Err(PlanError::InvalidKey { item, reason, .. }) = plan(&timeline, &[true]) else {
            panic!("a bad check digit passed");
        };
        assert!(item.ends_with("/21/A1"));
        assert!(reason.contains("check digit"), "{reason}");
    }

    #[test]
    fn every_event_needs_an_id_of_its_own() {
        let event = |id: &str| {
            serde_json::json!({
                "type": "ObjectEvent", "eventID": id, "action": "OBSERVE",
                "eventTime": "2026-11-20T07:00:00+07:00", "eventTimeZoneOffset": "+07:00",
                "epcList": ["urn:epc:id:sgtin:8936012.034567.A0100"]
            })
        };
        let twice = imported(document(serde_json::json!([
            event("urn:uuid:1"),
            event("urn:uuid:1")
        ])));
        assert_eq!(
            plan(&twice, &[true, true]),
            Err(PlanError::DuplicateEventId {
                id: "urn:uuid:1".into()
            })
        );
        assert_eq!(
            plan(&twice, &[true, false]),
            Err(PlanError::NoEventId { number: 2 })
        );
    }
}
