//! Record depth: does a trace record hold a real production → processing → distribution
//! history, or only the label "for show"?
//!
//! Shoppers' sharpest complaint about traceability stamps is that many carry only generic
//! information and an electronic copy of the label, filled in automatically, and not the
//! history of the product. This check names what such a record lacks, against the minimum
//! consumer fields of Circular 02/2024/TT-BKHCN and Decree 37/2026 and the per-stage data the
//! Circular asks for. It is one check among the verdict's and never enough on its own to make
//! a stamp authentic: it only answers [`Depth::passes`].
//!
//! The rules, in the order the level is decided:
//! - **Label-only** when the history has no events; only one event (one step is not a
//!   history); no growing/harvest or processing step ([`Stage::Harvest`],
//!   [`Stage::Processing`]); or two or more events that are all at one place and whose
//!   readable times span less than [`ONE_PLACE_SPAN_SECONDS`]. "One place" means every event
//!   has the same place key: its GLN when it gives a valid one, else its place name (trimmed,
//!   case-folded), else "no place" — a record that never says where anything happened shows no
//!   journey either.
//! - **Full** when nothing below is found: a distribution step ([`Stage::Storage`],
//!   [`Stage::Transport`] or [`Stage::Retail`]); every event with a product trace code (a
//!   non-blank input or output), a valid location GLN, a stage name (a placed stage, or a
//!   business step when the stage is [`Stage::Other`]) and a readable RFC 3339 time; times
//!   that never go back (each readable time compared as an instant with the previous readable
//!   one); every shipping event followed, later in the list, by a receiving, arriving or
//!   accepting event (or a void_shipping) for one of the same items; every processing event
//!   naming its inputs; and, for a record, every consumer field.
//! - **Partial** otherwise.
//!
//! "Later in the list" relies on the timeline being in time order, as a record's is and as
//! EPCIS import sorts it; a receipt listed after its shipment but dated before it shows up as
//! times out of order.

use serde::Serialize;

use crate::epcis::cbv::{self, Vocabulary};
use crate::epcis::identifier;
use crate::gs1;
use crate::payload::{self, PayloadKind};
use crate::record::{TimelineEvent, TraceRecord};
use crate::stage::Stage;
use crate::time::{is_iso_date, rfc3339_to_unix};

mod words;

/// Events all at one place whose times span less than this read as label-only: a real
/// history from harvest to shelf does not fit in half an hour at one address.
pub const ONE_PLACE_SPAN_SECONDS: i64 = 30 * 60;

/// How much of a real history the record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Production or processing, and distribution, with every stage's trace data.
    Full,
    /// A history, with gaps.
    Partial,
    /// Label information only: no production history to speak of.
    LabelOnly,
}

/// What the depth check found. Built by [`assess`] or [`assess_events`]; every list is in
/// timeline order and empty when nothing was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Depth {
    pub level: Level,
    /// The history's shape: what makes it label-only, or no distribution step.
    pub history: Vec<HistoryGap>,
    pub consumer_fields: ConsumerFields,
    pub stage_gaps: Vec<StageGap>,
    /// Shipping events with no later receipt of the same items.
    pub unreceived_shipments: Vec<EventRef>,
    /// Events dated before the event listed before them.
    pub out_of_order: Vec<OutOfOrder>,
    /// Processing (transformation) events that name no inputs.
    pub transformations_without_inputs: Vec<EventRef>,
    /// The lots processing events name as inputs (one step back), for the widget to link;
    /// for a record, never the record's own lot.
    pub input_lots: Vec<LotRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HistoryGap {
    NoEvents,
    SingleEvent,
    /// No growing, harvest or processing step.
    NoProductionStage,
    /// No storage, transport or retail step.
    NoDistributionStage,
    /// Every event at one place within [`ONE_PLACE_SPAN_SECONDS`].
    OnePlaceWithinMinutes,
}

impl HistoryGap {
    fn is_label_only(self) -> bool {
        self != HistoryGap::NoDistributionStage
    }
}

/// The consumer fields, when there was product master data to check them in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ConsumerFields {
    /// An EPCIS document carries events, not product master data: the fields are not
    /// missing, there is nowhere they could have been.
    NotApplicable,
    Checked {
        missing: Vec<ConsumerField>,
    },
}

impl ConsumerFields {
    /// The fields found missing; none when not applicable.
    pub fn missing(&self) -> &[ConsumerField] {
        match self {
            ConsumerFields::NotApplicable => &[],
            ConsumerFields::Checked { missing } => missing,
        }
    }
}

/// The minimum consumer fields of Circular 02/2024/TT-BKHCN and Decree 37/2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerField {
    ProductName,
    Image,
    ProducerNameAddress,
    Origin,
    Brand,
    BatchOrSerial,
    Expiry,
    Standards,
}

/// The per-stage data the Circular asks for, in the order they are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageField {
    ProductTraceCode,
    LocationGln,
    StageName,
    EventTime,
}

/// One event of the timeline: its position (from 0; messages count from 1) and its ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRef {
    pub index: usize,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageGap {
    #[serde(flatten)]
    pub event: EventRef,
    pub stage: Stage,
    pub missing: Vec<StageField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutOfOrder {
    #[serde(flatten)]
    pub event: EventRef,
    /// The previous event with a readable time, which this one is dated before.
    pub previous: EventRef,
}

/// A lot a processing event names as an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotRef {
    /// GTIN-14.
    pub gtin: String,
    pub lot: String,
    /// The processing event that names it.
    pub event: EventRef,
}

impl LotRef {
    /// The lot's Digital Link path on the same portal (`/01/{gtin}/10/{lot}`, lot
    /// percent-encoded).
    pub fn path(&self) -> String {
        format!(
            "/01/{}/10/{}",
            self.gtin,
            payload::percent_encode(&self.lot)
        )
    }
}

impl Depth {
    /// Whether the check passed: only a full history does. The verdict maps `false` to a
    /// warning, never to a failure — a thin record is not proof of a fake.
    pub fn passes(&self) -> bool {
        self.level == Level::Full
    }

    fn judged(mut self) -> Depth {
        self.level = if self.history.iter().any(|gap| gap.is_label_only()) {
            Level::LabelOnly
        } else if self.history.is_empty()
            && self.consumer_fields.missing().is_empty()
            && self.stage_gaps.is_empty()
            && self.unreceived_shipments.is_empty()
            && self.out_of_order.is_empty()
            && self.transformations_without_inputs.is_empty()
        {
            Level::Full
        } else {
            Level::Partial
        };
        self
    }
}

/// The depth of a trace record: its history and its consumer fields.
pub fn assess(record: &TraceRecord) -> Depth {
    let own_lot = (record.product.gtin.as_str(), record.lot.lot.as_str());
    let consumer_fields = ConsumerFields::Checked {
        missing: missing_consumer_fields(record),
    };
    assess_history(&record.events, Some(own_lot), consumer_fields)
}

/// The depth of a bare timeline (an imported EPCIS document), which has no product master
/// data: its consumer fields are [`ConsumerFields::NotApplicable`].
pub fn assess_events(events: &[TimelineEvent]) -> Depth {
    assess_history(events, None, ConsumerFields::NotApplicable)
}

/// What one timeline event is, read once for every rule.
struct Facts<'a> {
    event: &'a TimelineEvent,
    instant: Option<i64>,
    /// The bare CBV term for a standard step, the step as given otherwise.
    step: Option<String>,
    inputs: Vec<Object>,
    outputs: Vec<Object>,
}

impl Facts<'_> {
    fn reference(&self, index: usize) -> EventRef {
        EventRef {
            index,
            id: self.event.id.clone(),
        }
    }

    fn objects(&self) -> impl Iterator<Item = &Object> {
        self.inputs.iter().chain(&self.outputs)
    }

    fn is_processing(&self) -> bool {
        self.event.event_type == "TransformationEvent" || self.event.stage == Stage::Processing
    }

    fn is_shipping(&self) -> bool {
        self.step.as_deref() == Some("shipping")
    }

    /// Receiving, arriving and accepting end a shipment; a voided shipment needs no receipt.
    fn closes_shipment(&self) -> bool {
        matches!(
            self.step.as_deref(),
            Some("receiving" | "arriving" | "accepting" | "void_shipping")
        )
    }
}

/// An identifier of what went in or came out, in a form that compares across spellings.
struct Object {
    /// `(01)…(10)…` for a GS1 key in any form (EPC URN, Digital Link, element string), the
    /// identifier as written otherwise.
    key: String,
    /// GTIN and lot, when the identifier names a lot.
    lot: Option<(String, String)>,
}

impl Object {
    /// None for a blank identifier.
    fn read(written: &str) -> Option<Object> {
        // The EPCIS import writes a class with its quantity as `{class} × {quantity} {unit}`.
        let id = written
            .split_once(" × ")
            .map_or(written, |(id, _)| id)
            .trim();
        if id.is_empty() {
            return None;
        }
        let Some(elements) = gs1_elements(id) else {
            return Some(Object {
                key: id.to_string(),
                lot: None,
            });
        };
        let value = |ai: &str| {
            elements
                .iter()
                .find(|(key, _)| key == ai)
                .map(|(_, value)| value.clone())
        };
        Some(Object {
            key: elements
                .iter()
                .map(|(ai, value)| format!("({ai}){value}"))
                .collect(),
            lot: value("01").zip(value("10")),
        })
    }
}

/// The GS1 elements of an EPC URN or Digital Link (as EPCIS writes them) or of an element
/// string (as the import and the portal write them).
fn gs1_elements(id: &str) -> Option<Vec<(String, String)>> {
    identifier::gs1_elements(id).or_else(|| {
        let parsed = payload::parse(id).ok()?;
        (parsed.kind == PayloadKind::ElementString).then(|| {
            parsed
                .elements
                .into_iter()
                .map(|element| (element.ai, element.value))
                .collect()
        })
    })
}

fn assess_history(
    events: &[TimelineEvent],
    own_lot: Option<(&str, &str)>,
    consumer_fields: ConsumerFields,
) -> Depth {
    let facts: Vec<Facts<'_>> = events
        .iter()
        .map(|event| Facts {
            event,
            instant: rfc3339_to_unix(&event.time),
            step: event
                .biz_step
                .as_deref()
                .map(|step| cbv::normalise(step, Vocabulary::BizStep).unwrap_or_else(|word| word)),
            inputs: event
                .inputs
                .iter()
                .filter_map(|i| Object::read(i))
                .collect(),
            outputs: event
                .outputs
                .iter()
                .filter_map(|o| Object::read(o))
                .collect(),
        })
        .collect();
    Depth {
        level: Level::Partial,
        history: history_gaps(&facts),
        consumer_fields,
        stage_gaps: stage_gaps(&facts),
        unreceived_shipments: unreceived_shipments(&facts),
        out_of_order: out_of_order(&facts),
        transformations_without_inputs: facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_processing() && f.inputs.is_empty())
            .map(|(index, f)| f.reference(index))
            .collect(),
        input_lots: input_lots(&facts, own_lot),
    }
    .judged()
}

fn history_gaps(facts: &[Facts<'_>]) -> Vec<HistoryGap> {
    let Some(first) = facts.first() else {
        return vec![HistoryGap::NoEvents];
    };
    let has = |stages: &[Stage]| facts.iter().any(|f| stages.contains(&f.event.stage));
    let mut gaps = Vec::new();
    if facts.len() == 1 {
        gaps.push(HistoryGap::SingleEvent);
    }
    if !has(&[Stage::Harvest, Stage::Processing]) {
        gaps.push(HistoryGap::NoProductionStage);
    }
    if !has(&[Stage::Storage, Stage::Transport, Stage::Retail]) {
        gaps.push(HistoryGap::NoDistributionStage);
    }
    let one_place = facts
        .iter()
        .all(|f| place_key(f.event) == place_key(first.event));
    let instants = facts.iter().filter_map(|f| f.instant);
    let span = instants
        .clone()
        .max()
        .zip(instants.min())
        .map_or(0, |(last, first)| last - first);
    if facts.len() > 1 && one_place && span < ONE_PLACE_SPAN_SECONDS {
        gaps.push(HistoryGap::OnePlaceWithinMinutes);
    }
    gaps
}

/// The event's GLN when it gives a valid one, else its place name; None without a place.
fn place_key(event: &TimelineEvent) -> Option<String> {
    let place = event.place.as_ref()?;
    Some(match place.gln.as_deref().filter(|gln| is_gln(gln)) {
        Some(gln) => gln.to_string(),
        None => crate::text::lowercase(place.name.trim()),
    })
}

fn is_gln(text: &str) -> bool {
    gs1::validate("414", text).is_ok()
}

fn stage_gaps(facts: &[Facts<'_>]) -> Vec<StageGap> {
    facts
        .iter()
        .enumerate()
        .filter_map(|(index, f)| {
            let event = f.event;
            let named = event.stage != Stage::Other
                || event
                    .biz_step
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty());
            let located = event
                .place
                .as_ref()
                .and_then(|p| p.gln.as_deref())
                .is_some_and(is_gln);
            let missing: Vec<StageField> = [
                (StageField::ProductTraceCode, f.objects().next().is_some()),
                (StageField::LocationGln, located),
                (StageField::StageName, named),
                (StageField::EventTime, f.instant.is_some()),
            ]
            .into_iter()
            .filter_map(|(field, present)| (!present).then_some(field))
            .collect();
            (!missing.is_empty()).then(|| StageGap {
                event: f.reference(index),
                stage: event.stage,
                missing,
            })
        })
        .collect()
}

fn unreceived_shipments(facts: &[Facts<'_>]) -> Vec<EventRef> {
    // Where each item was last received, so each shipment asks about its own items only. A
    // list rather than a map: a record's items are few, and a hash map of its own would cost
    // the widget's wasm kilobytes.
    let mut last_receipt: Vec<(&str, usize)> = Vec::new();
    let (mut last_any, mut last_itemless) = (None, None);
    for (index, f) in facts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.closes_shipment())
    {
        last_any = Some(index);
        // A receipt that names nothing cannot be told apart from one of the shipment's
        // items: its missing trace code is reported on its own, and it counts as a receipt.
        if f.objects().next().is_none() {
            last_itemless = Some(index);
        }
        for object in f.objects() {
            match last_receipt.iter_mut().find(|(key, _)| *key == object.key) {
                Some(entry) => entry.1 = index,
                None => last_receipt.push((&object.key, index)),
            }
        }
    }
    let after = |receipt: Option<usize>, index: usize| receipt.is_some_and(|r| r > index);
    let received = |index: usize, shipment: &Facts<'_>| {
        if shipment.objects().next().is_none() {
            return after(last_any, index);
        }
        after(last_itemless, index)
            || shipment.objects().any(|o| {
                let receipt = last_receipt.iter().find(|(key, _)| *key == o.key);
                after(receipt.map(|(_, at)| *at), index)
            })
    };
    facts
        .iter()
        .enumerate()
        .filter(|(index, f)| f.is_shipping() && !received(*index, f))
        .map(|(index, f)| f.reference(index))
        .collect()
}

fn out_of_order(facts: &[Facts<'_>]) -> Vec<OutOfOrder> {
    let mut found = Vec::new();
    let mut previous: Option<(usize, i64)> = None;
    for (index, f) in facts.iter().enumerate() {
        let Some(instant) = f.instant else { continue };
        if let Some((before, earlier)) = previous
            && instant < earlier
        {
            found.push(OutOfOrder {
                event: f.reference(index),
                previous: facts[before].reference(before),
            });
        }
        previous = Some((index, instant));
    }
    found
}

fn input_lots(facts: &[Facts<'_>], own_lot: Option<(&str, &str)>) -> Vec<LotRef> {
    let mut lots: Vec<LotRef> = Vec::new();
    for (index, f) in facts.iter().enumerate().filter(|(_, f)| f.is_processing()) {
        for (gtin, lot) in f.inputs.iter().filter_map(|o| o.lot.as_ref()) {
            // Linking a record to itself is no step back.
            if own_lot == Some((gtin.as_str(), lot.as_str())) {
                continue;
            }
            let found = LotRef {
                gtin: gtin.clone(),
                lot: lot.clone(),
                event: f.reference(index),
            };
            if !lots.contains(&found) {
                lots.push(found);
            }
        }
    }
    lots
}

fn missing_consumer_fields(record: &TraceRecord) -> Vec<ConsumerField> {
    let blank = |text: Option<&str>| text.is_none_or(|t| t.trim().is_empty());
    let (product, producer) = (&record.product, &record.producer);
    [
        (ConsumerField::ProductName, blank(Some(&product.name.vi))),
        (ConsumerField::Image, blank(product.image.as_deref())),
        (
            ConsumerField::ProducerNameAddress,
            blank(Some(&producer.name)) || blank(producer.address.as_deref()),
        ),
        (ConsumerField::Origin, blank(Some(&product.origin))),
        (ConsumerField::Brand, blank(product.brand.as_deref())),
        (
            ConsumerField::BatchOrSerial,
            blank(Some(&record.lot.lot)) && blank(record.serial.as_deref()),
        ),
        (
            ConsumerField::Expiry,
            !record.lot.expiry_date.as_deref().is_some_and(is_iso_date),
        ),
        (
            ConsumerField::Standards,
            product.standards.iter().all(|s| s.trim().is_empty()),
        ),
    ]
    .into_iter()
    .filter_map(|(field, missing)| missing.then_some(field))
    .collect()
}

#[cfg(test)]
mod tests;
