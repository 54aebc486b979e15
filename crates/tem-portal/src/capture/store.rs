//! Writing a planned capture for one enterprise, all or nothing: who may write what is
//! decided here, against what the portal already holds.
//!
//! An enterprise writes events that happened at its own locations (the event's business
//! location or read point is a GLN under its company prefixes), starts lots and units only of
//! its own GTINs, and names its own places and parties; it may name others' goods, as a
//! distributor ships a producer's lot, but only goods the portal already tracks.

use std::collections::BTreeSet;

use serde::Serialize;

use super::enterprise::Enterprise;
use super::plan::{Object, PlannedEvent};
use crate::db::{DbError, Key, Sql, SqlExt};
use crate::signing;

/// One reason a document was refused, naming the event or field it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The event's ID, or a JSON pointer into the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn at(at: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            at: Some(at.into()),
            message: message.into(),
        }
    }
}

/// A refused document says at most this many problems; one mistake repeated on ten
/// thousand events is one mistake.
pub const MAX_PROBLEMS: usize = 50;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stored {
    pub events: usize,
    /// Events this enterprise had captured before, by the same ID: a document sent again.
    pub already: usize,
    /// Every lot whose history changed, as (GTIN, lot).
    pub lots: BTreeSet<(String, String)>,
}

/// Writes `events` captured as job `capture_id`, or changes nothing and says why not.
pub fn store(
    tx: &mut dyn Sql,
    enterprise: &Enterprise,
    capture_id: &str,
    events: &[PlannedEvent],
) -> Result<Result<Stored, Vec<Problem>>, DbError> {
    let mut stored = Stored::default();
    let mut problems = Vec::new();
    for event in events {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        match store_event(tx, enterprise, capture_id, event)? {
            Outcome::Stored(lots) => {
                stored.events += 1;
                stored.lots.extend(lots);
            }
            Outcome::Already => stored.already += 1,
            Outcome::Refused(problem) => problems.push(Problem::at(event.id.clone(), problem)),
        }
    }
    Ok(if problems.is_empty() {
        Ok(stored)
    } else {
        Err(problems)
    })
}

enum Outcome {
    Stored(Vec<(String, String)>),
    Already,
    Refused(String),
}

fn store_event(
    tx: &mut dyn Sql,
    enterprise: &Enterprise,
    capture_id: &str,
    event: &PlannedEvent,
) -> Result<Outcome, DbError> {
    let holder: Option<Option<String>> = tx.query_opt(
        "SELECT j.enterprise_id FROM events e LEFT JOIN capture_jobs j ON j.id = e.capture_id
             WHERE e.id = ?1",
        &[&event.id],
        |r| r.get(0),
    )?;
    match holder {
        Some(Some(holder)) if holder == enterprise.id => return Ok(Outcome::Already),
        Some(_) => {
            return Ok(Outcome::Refused(
                "the portal already holds an event with this eventID from someone else".into(),
            ));
        }
        None => {}
    }
    let Some(place) = &event.place else {
        return Ok(Outcome::Refused(
            "capture needs a bizLocation or readPoint to know whose event it is".into(),
        ));
    };
    let Some(place_gln) = place.gln.as_deref() else {
        return Ok(Outcome::Refused(format!(
            "the event's location {:?} is not a GLN (urn:epc:id:sgln:…); capture needs one to know whose event it is",
            place.name
        )));
    };
    if !enterprise.owns(place_gln) {
        return Ok(Outcome::Refused(format!(
            "the event happened at GLN {place_gln}, which is not under {}'s company prefixes ({})",
            enterprise.name,
            enterprise.gcp.join(", ")
        )));
    }
    let mut lots: Vec<(String, String)> = Vec::new();
    for (object, created) in &event.objects {
        let found = match lots_of(tx, enterprise, event, object, *created)? {
            Ok(found) => found,
            Err(problem) => return Ok(Outcome::Refused(problem)),
        };
        for lot in found {
            if !lots.contains(&lot) {
                lots.push(lot);
            }
        }
    }
    let Some((gtin, lot)) = lots.first().cloned() else {
        return Ok(Outcome::Refused(format!(
            "the event names no lot, unit or pallet the portal tracks (it names: {})",
            shown_items(event)
        )));
    };
    write_place(
        tx,
        enterprise,
        "locations",
        place_gln,
        &place.name,
        place.address.as_deref(),
    )?;
    let actor_gln = match &event.actor {
        Some(actor) => match actor.gln.as_deref() {
            Some(gln) => {
                write_place(
                    tx,
                    enterprise,
                    "parties",
                    gln,
                    &actor.name,
                    actor.address.as_deref(),
                )?;
                Some(gln)
            }
            None => None,
        },
        None => None,
    };
    tx.execute(
        "INSERT INTO events (id, gtin, lot, time, event_type, biz_step, disposition, location_gln,
                             actor_gln, summary_vi, summary_en, capture_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &[
            &event.id,
            &gtin,
            &lot,
            &event.time,
            &event.event_type,
            &event.biz_step,
            &event.disposition,
            &place_gln,
            &actor_gln,
            &event.summary_vi,
            &event.summary_en,
            &capture_id,
        ],
    )?;
    for (gtin, lot) in &lots[1..] {
        tx.execute(
            "INSERT INTO event_lots (event_id, gtin, lot) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            &[&event.id, &gtin, &lot],
        )?;
    }
    for (role, items) in [("input", &event.inputs), ("output", &event.outputs)] {
        for (position, item) in items.iter().enumerate() {
            tx.execute(
                "INSERT INTO event_items (event_id, role, position, item) VALUES (?1, ?2, ?3, ?4)",
                &[&event.id, &role, &position, &item],
            )?;
        }
    }
    Ok(Outcome::Stored(lots))
}

/// The lots an object stands for: its own, a unit's, or those packed on a pallet. A lot or
/// unit the event creates is started here when it is the enterprise's to start.
fn lots_of(
    tx: &mut dyn Sql,
    enterprise: &Enterprise,
    event: &PlannedEvent,
    object: &Object,
    created: bool,
) -> Result<Result<Vec<(String, String)>, String>, DbError> {
    let (gtin, lot) = match object {
        Object::Sscc(sscc) => {
            let lots = tx.query_map(
                "SELECT DISTINCT el.gtin, el.lot FROM event_items i
                 JOIN event_lots el ON el.event_id = i.event_id WHERE i.item = ?1
                 ORDER BY el.gtin, el.lot",
                &[&format!("(00){sscc}")],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            return Ok(Ok(lots));
        }
        Object::Lot { gtin, lot } => (gtin, Some(lot.clone())),
        Object::Unit { gtin, serial } => {
            let known: Option<String> = tx.query_opt(
                "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
                &[&gtin, &serial],
                |r| r.get(0),
            )?;
            match known {
                Some(lot) => return Ok(Ok(vec![(gtin.clone(), lot)])),
                None => (gtin, None),
            }
        }
    };
    let lot_known = match &lot {
        Some(lot) => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM lots WHERE gtin = ?1 AND lot = ?2)",
            &[&gtin, &lot],
            |r| r.get::<bool>(0),
        )?,
        None => false,
    };
    if let (true, Some(lot)) = (lot_known, &lot) {
        return Ok(Ok(vec![(gtin.clone(), lot.clone())]));
    }
    // Goods the portal does not track and this event does not start: someone else's raw
    // material, say. They stay on the event as written but give it no lot.
    if !created {
        return Ok(Ok(Vec::new()));
    }
    if !enterprise.owns(gtin) {
        return Ok(Err(format!(
            "the event starts {} of GTIN {gtin}, which is not under {}'s company prefixes; only the GTIN's owner starts its lots and units",
            match object {
                Object::Unit { serial, .. } => format!("unit {serial}"),
                _ => format!("lot {}", lot.as_deref().unwrap_or_default()),
            },
            enterprise.name
        )));
    }
    let product_known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM products WHERE gtin = ?1)",
        &[&gtin],
        |r| r.get(0),
    )?;
    if !product_known {
        return Ok(Err(format!(
            "GTIN {gtin} is not registered on this portal; its product comes first"
        )));
    }
    let new_lot = event.new_lot.as_ref();
    let Some(lot) = lot.or_else(|| new_lot.map(|n| n.lot.clone())) else {
        return Ok(Err(format!(
            "the event starts a unit of GTIN {gtin} without its lot (ilmd cbvmda:lotNumber)"
        )));
    };
    let given = new_lot.filter(|n| n.lot == lot);
    // Without a production date of its own, the lot was made on the day of the event that
    // starts it, as its writer dates it.
    let produced = given
        .and_then(|n| n.production_date.clone())
        .or_else(|| event.time.get(..10).map(Into::into));
    tx.execute(
        "INSERT INTO lots (gtin, lot, production_date, expiry_date) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        &[
            &gtin,
            &lot,
            &produced,
            &given.and_then(|n| n.expiry_date.clone()),
        ],
    )?;
    if let Object::Unit { serial, .. } = object {
        tx.execute(
            "INSERT INTO units (gtin, serial, lot) VALUES (?1, ?2, ?3)",
            &[&gtin, &serial, &lot],
        )?;
    }
    Ok(Ok(vec![(gtin.clone(), lot)]))
}

/// Names a location or party: an enterprise's own are its to rename; another's is only
/// added when the portal has never heard of it.
fn write_place(
    tx: &mut dyn Sql,
    enterprise: &Enterprise,
    table: &str,
    gln: &str,
    name: &str,
    address: Option<&str>,
) -> Result<(), DbError> {
    // Without master data the importer names a place by its identifier, `(414)…`: that
    // names nothing, and must not replace a name the portal has.
    let named = !(name.starts_with("(414)") || name.starts_with("(417)"));
    let conflict = if enterprise.owns(gln) && named {
        format!(
            "DO UPDATE SET name = excluded.name, address = COALESCE(excluded.address, {table}.address)"
        )
    } else {
        "DO NOTHING".to_string()
    };
    tx.execute(
        &format!(
            "INSERT INTO {table} (gln, name, address) VALUES (?1, ?2, ?3) ON CONFLICT (gln) {conflict}"
        ),
        &[&gln, &name, &address],
    )?;
    Ok(())
}

fn shown_items(event: &PlannedEvent) -> String {
    let items: Vec<&str> = event
        .inputs
        .iter()
        .chain(&event.outputs)
        .map(String::as_str)
        .take(3)
        .collect();
    if items.is_empty() {
        "nothing".into()
    } else {
        items.join(", ")
    }
}

/// Signs again every record whose history changed: each lot's, and each of its units'.
pub fn sign_again(
    tx: &mut dyn Sql,
    lots: &BTreeSet<(String, String)>,
    now: i64,
) -> Result<(), DbError> {
    for (gtin, lot) in lots {
        // Holds the lot until commit, so that a capture on another connection or instance
        // signs after this one's events are in, and its signature is the one kept with all of
        // them. (SQLite has one writer at a time anyway.) Lots are taken in one order, so two
        // captures never wait for each other; no key column is written, so events filed
        // under the lot meanwhile do not wait for it either.
        tx.execute(
            "UPDATE lots SET expiry_date = expiry_date WHERE gtin = ?1 AND lot = ?2",
            &[&gtin, &lot],
        )?;
        let units: Vec<String> = tx.query_map(
            "SELECT serial FROM units WHERE gtin = ?1 AND lot = ?2 ORDER BY serial",
            &[&gtin, &lot],
            |r| r.get(0),
        )?;
        let serials = std::iter::once(None).chain(units.into_iter().map(Some));
        for serial in serials {
            let key = Key {
                gtin: gtin.clone(),
                lot: Some(lot.clone()),
                serial,
            };
            signing::sign_record(tx, &key, None, now)?;
        }
    }
    Ok(())
}
