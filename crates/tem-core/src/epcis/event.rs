//! One EPCIS event checked against what its type requires and turned into an
//! [`ImportedEvent`].

use serde_json::Value;

use super::Warnings;
use super::cbv::{self, Vocabulary};
use super::error::{EpcisError, Rule, Where, shown};
use super::fields::{Fields, is_uri, type_name};
use super::identifier;
use super::master::MasterData;
use super::{
    Action, BizTransaction, Endpoint, ErrorDeclaration, EventStatus, Ilmd, ImportedEvent,
    PersistentDisposition, SensorReading,
};
use crate::record::{LocalText, Party, Place, TimelineEvent};
use crate::stage::Stage;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Aggregation,
    Transaction,
    Transformation,
    Association,
    /// A type the schema admits as a URI: an extension event, read for its common fields.
    Extension,
}

/// Event IDs are hash or UUID URIs of about 100 bytes; far longer ones only serve to make
/// every link to them expensive.
pub(super) const MAX_ID_BYTES: usize = 1024;

/// Members every event may have.
const COMMON_FIELDS: &[&str] = &[
    "@context",
    "type",
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "certificationInfo",
    "errorDeclaration",
];

/// Members shared by the "what, where, why" part of all five standard types.
const WHERE_WHY_FIELDS: &[&str] = &[
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
];

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "ObjectEvent" => Kind::Object,
            "AggregationEvent" => Kind::Aggregation,
            "TransactionEvent" => Kind::Transaction,
            "TransformationEvent" => Kind::Transformation,
            "AssociationEvent" => Kind::Association,
            _ if is_uri(name) => Kind::Extension,
            _ => return None,
        })
    }

    /// Members the schema lists for this type besides the common and where/why ones.
    fn own_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Object => &[
                "action",
                "epcList",
                "quantityList",
                "persistentDisposition",
                "ilmd",
            ],
            Kind::Aggregation | Kind::Association => {
                &["action", "parentID", "childEPCs", "childQuantityList"]
            }
            Kind::Transaction => &["action", "parentID", "epcList", "quantityList"],
            Kind::Transformation => &[
                "inputEPCList",
                "inputQuantityList",
                "outputEPCList",
                "outputQuantityList",
                "transformationID",
                "persistentDisposition",
                "ilmd",
            ],
            Kind::Extension => &[],
        }
    }

    fn requires_action(self) -> bool {
        matches!(
            self,
            Kind::Object | Kind::Aggregation | Kind::Transaction | Kind::Association
        )
    }
}

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

/// Members outside the schema for this type are most often misspellings, whose content would
/// silently vanish; extension members are URIs or compact IRIs (`example:field`).
fn warn_unknown_fields(f: &Fields<'_>, kind: Kind, warnings: &mut Warnings) {
    if kind == Kind::Extension {
        warnings.push(format!(
            "{}: an extension event type, shown as another step",
            f.at()
        ));
        return;
    }
    for key in f.keys() {
        let known = COMMON_FIELDS.contains(&key.as_str())
            || WHERE_WHY_FIELDS.contains(&key.as_str())
            || kind.own_fields().contains(&key.as_str());
        if !known && !key.contains(':') {
            warnings.push(format!(
                "{}: unknown field '{}' ignored",
                f.at(),
                shown(key)
            ));
        }
    }
}

/// The event's time written in its own time zone, and the instant for ordering.
fn event_time(f: &Fields<'_>) -> Result<(String, (i64, u32)), EpcisError> {
    let text = f.required_str("eventTime")?;
    let offset = f.required_str("eventTimeZoneOffset")?;
    let seconds =
        time::rfc3339_to_unix(text).ok_or_else(|| f.invalid("eventTime", text, Rule::DateTime))?;
    let offset_seconds = parse_offset(offset)
        .ok_or_else(|| f.invalid("eventTimeZoneOffset", offset, Rule::TimeZoneOffset))?;
    // rfc3339_to_unix accepted the text, so it is ASCII with the seconds ending at byte 19.
    let fraction: &str = text[19..]
        .strip_prefix('.')
        .map(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            &rest[..digits]
        })
        .unwrap_or_default();
    let nanos = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(9)
        .fold(0u32, |acc, digit| acc * 10 + u32::from(digit - b'0'));
    let utc = time::unix_to_rfc3339(seconds + offset_seconds);
    let local = utc.strip_suffix('Z').unwrap_or(&utc);
    let dot = if fraction.is_empty() { "" } else { "." };
    Ok((format!("{local}{dot}{fraction}{offset}"), (seconds, nanos)))
}

/// `±HH:MM` within ±14:00, as the schema's pattern allows; seconds east of UTC.
fn parse_offset(offset: &str) -> Option<i64> {
    let bytes = offset.as_bytes();
    if bytes.len() != 6 || bytes[3] != b':' || !offset.is_ascii() {
        return None;
    }
    let sign = match bytes[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let field = |range: std::ops::Range<usize>| -> Option<i64> {
        let text = &offset[range];
        text.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse().ok())
            .flatten()
    };
    let (hours, minutes) = (field(1..3)?, field(4..6)?);
    let allowed = (hours <= 13 && minutes <= 59) || (hours == 14 && minutes == 0);
    allowed.then_some(sign * (hours * 3600 + minutes * 60))
}

/// An optional date-time member, checked.
fn date_time(f: &Fields<'_>, name: &str) -> Result<Option<String>, EpcisError> {
    match f.str(name)? {
        None => Ok(None),
        Some(text) if time::rfc3339_to_unix(text).is_some() => Ok(Some(text.to_string())),
        Some(text) => Err(f.invalid(name, text, Rule::DateTime)),
    }
}

fn parse_action(text: &str) -> Option<Action> {
    match text {
        "ADD" => Some(Action::Add),
        "OBSERVE" => Some(Action::Observe),
        "DELETE" => Some(Action::Delete),
        _ => None,
    }
}

fn vocabulary(
    f: &Fields<'_>,
    name: &str,
    vocabulary: Vocabulary,
    warnings: &mut Warnings,
) -> Result<Option<String>, EpcisError> {
    let Some(value) = f.str(name)? else {
        return Ok(None);
    };
    Ok(Some(normalised(f, name, value, vocabulary, warnings)))
}

fn normalised(
    f: &Fields<'_>,
    name: &str,
    value: &str,
    vocabulary: Vocabulary,
    warnings: &mut Warnings,
) -> String {
    cbv::normalise(value, vocabulary).unwrap_or_else(|word| {
        warnings.push(format!(
            "{}: {} '{}' is neither a CBV term nor a URI",
            f.at(),
            f.path(name),
            shown(&word)
        ));
        word
    })
}

fn persistent_disposition(
    f: &Fields<'_>,
    warnings: &mut Warnings,
) -> Result<Option<PersistentDisposition>, EpcisError> {
    let Some(p) = f.object("persistentDisposition")? else {
        return Ok(None);
    };
    p.only(&["set", "unset"])?;
    if !p.has("set") && !p.has("unset") {
        return Err(p.missing("set"));
    }
    let mut list = |name: &str| -> Result<Vec<String>, EpcisError> {
        p.non_empty_array(name)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let path = format!("{name}[{index}]");
                match item {
                    Value::String(text) => Ok(normalised(
                        &p,
                        &path,
                        text,
                        Vocabulary::Disposition,
                        warnings,
                    )),
                    other => Err(EpcisError::WrongType {
                        at: p.at().clone(),
                        field: p.path(&path),
                        expected: "a string",
                        found: type_name(other),
                    }),
                }
            })
            .collect()
    };
    Ok(Some(PersistentDisposition {
        set: list("set")?,
        unset: list("unset")?,
    }))
}

/// A location or party: named by the document's master data when it has an entry, by its
/// readable identifier otherwise.
fn named(id: &str, master: &MasterData) -> (String, Option<String>) {
    let entry = master.get(id);
    let name = entry
        .and_then(|e| e.name.clone())
        .unwrap_or_else(|| identifier::readable(id));
    (name, entry.and_then(|e| e.address.clone()))
}

fn location(f: &Fields<'_>, name: &str, master: &MasterData) -> Result<Option<Place>, EpcisError> {
    let Some(location) = f.object(name)? else {
        return Ok(None);
    };
    let id = location.required_uri("id")?;
    let (name, address) = named(id, master);
    Ok(Some(Place {
        gln: identifier::gln(id),
        name,
        address,
    }))
}

fn endpoints(
    f: &Fields<'_>,
    list: &str,
    // The closed member list: `type` and the identifier's member name.
    members: &'static [&'static str; 2],
    master: &MasterData,
) -> Result<Vec<Endpoint>, EpcisError> {
    f.objects(list)?
        .iter()
        .map(|item| {
            item.only(members)?;
            let member = members[1];
            let kind = item.required_str("type")?;
            let id = item.required_uri(member)?;
            let (name, address) = named(id, master);
            Ok(Endpoint {
                kind: kind.to_string(),
                id: identifier::readable(id),
                name,
                address,
                gln: identifier::gln(id),
            })
        })
        .collect()
}

fn transactions(f: &Fields<'_>, kind: Kind) -> Result<Vec<BizTransaction>, EpcisError> {
    if kind == Kind::Transaction {
        if !f.has("bizTransactionList") {
            return Err(f.missing("bizTransactionList"));
        }
        f.non_empty_array("bizTransactionList")?;
    }
    f.objects("bizTransactionList")?
        .iter()
        .map(|item| {
            item.only(&["type", "bizTransaction"])?;
            Ok(BizTransaction {
                kind: item.str("type")?.map(str::to_string),
                id: item.required_uri("bizTransaction")?.to_string(),
            })
        })
        .collect()
}

fn sensors(f: &Fields<'_>) -> Result<Vec<SensorReading>, EpcisError> {
    let mut readings = Vec::new();
    for element in f.objects("sensorElementList")? {
        let metadata = element.object("sensorMetadata")?;
        let (meta_time, meta_device) = match &metadata {
            Some(m) => {
                for name in ["startTime", "endTime"] {
                    date_time(m, name)?;
                }
                (date_time(m, "time")?, m.uri("deviceID")?)
            }
            None => (None, None),
        };
        if !element.has("sensorReport") {
            return Err(element.missing("sensorReport"));
        }
        element.non_empty_array("sensorReport")?;
        for report in element.objects("sensorReport")? {
            if let Some(hex) = report.str("hexBinaryValue")?
                && (hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                return Err(report.invalid("hexBinaryValue", hex, Rule::HexBinary));
            }
            readings.push(SensorReading {
                kind: report.required_str("type")?.to_string(),
                time: date_time(&report, "time")?.or_else(|| meta_time.clone()),
                value: report.number("value")?,
                min_value: report.number("minValue")?,
                max_value: report.number("maxValue")?,
                mean_value: report.number("meanValue")?,
                uom: report.str("uom")?.map(str::to_string),
                string_value: report.str("stringValue")?.map(str::to_string),
                boolean_value: report.bool("booleanValue")?,
                uri_value: report.uri("uriValue")?.map(str::to_string),
                exception: report.str("exception")?.map(str::to_string),
                component: report.str("component")?.map(str::to_string),
                device: report
                    .uri("deviceID")?
                    .or(meta_device)
                    .map(identifier::readable),
            });
            for name in ["sDev", "percRank", "percValue"] {
                report.number(name)?;
            }
        }
    }
    Ok(readings)
}

fn ilmd(f: &Fields<'_>) -> Result<Option<Ilmd>, EpcisError> {
    let Some(map) = f.raw_object("ilmd")? else {
        return Ok(None);
    };
    let mut ilmd = Ilmd::default();
    for (key, value) in map {
        // CBV master data attributes arrive compact (`cbvmda:lotNumber`) or as full URIs, and
        // private vocabularies reuse CBV's names for the same things, so the local name decides.
        let local = key.rsplit([':', '/', '#']).next().unwrap_or(key);
        let slot = match local {
            "lotNumber" => Some(&mut ilmd.lot),
            "itemExpirationDate" => Some(&mut ilmd.expiry_date),
            "bestBeforeDate" => Some(&mut ilmd.best_before_date),
            "sellByDate" => Some(&mut ilmd.sell_by_date),
            "countryOfOrigin" => Some(&mut ilmd.country_of_origin),
            _ => None,
        };
        match (slot, value) {
            (Some(slot), Value::String(text)) => *slot = Some(text.clone()),
            (_, Value::String(text)) => {
                ilmd.attributes.insert(key.clone(), text.clone());
            }
            (_, other) => {
                ilmd.attributes.insert(key.clone(), other.to_string());
            }
        }
    }
    Ok(Some(ilmd))
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

/// `epcClass` made readable, with its quantity and unit when given.
fn quantities(f: &Fields<'_>, name: &str) -> Result<Vec<String>, EpcisError> {
    f.objects(name)?
        .iter()
        .map(|item| {
            item.only(&["epcClass", "quantity", "uom"])?;
            let class = identifier::readable(item.required_uri("epcClass")?);
            let quantity = item.number("quantity")?;
            let uom = item.str("uom")?;
            if let Some(uom) = uom
                && !((2..=3).contains(&uom.len())
                    && uom
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
            {
                return Err(item.invalid("uom", uom, Rule::UnitOfMeasure));
            }
            Ok(match (quantity, uom) {
                (Some(q), Some(uom)) => format!("{class} × {q} {uom}"),
                (Some(q), None) => format!("{class} × {q}"),
                (None, _) => class,
            })
        })
        .collect()
}

fn epcs(f: &Fields<'_>, name: &str) -> Result<Vec<String>, EpcisError> {
    Ok(f.uri_list(name)?
        .into_iter()
        .map(identifier::readable)
        .collect())
}

/// What went in and what came out. For objects observed or created, the objects are what the
/// step leaves behind (outputs); what is deleted or packed away is what went in.
fn objects(
    f: &Fields<'_>,
    kind: Kind,
    action: Option<Action>,
    has_read_point: bool,
) -> Result<(Vec<String>, Vec<String>), EpcisError> {
    let deleting = action == Some(Action::Delete);
    match kind {
        Kind::Object | Kind::Transaction => {
            let mut listed = epcs(f, "epcList")?;
            listed.extend(quantities(f, "quantityList")?);
            let sensor_only = has_read_point && !f.array("sensorElementList")?.is_empty();
            let named = f.has("epcList") || !f.array("quantityList")?.is_empty();
            let allowed = match kind {
                Kind::Object => named || sensor_only,
                _ => named || deleting,
            };
            if !allowed {
                return Err(EpcisError::NoObjects {
                    at: f.at().clone(),
                    needs: if kind == Kind::Object {
                        "epcList, quantityList, or sensorElementList with readPoint"
                    } else {
                        "epcList or quantityList (unless action is DELETE)"
                    },
                });
            }
            let mut objects: Vec<String> = f
                .uri("parentID")?
                .map(identifier::readable)
                .into_iter()
                .collect();
            objects.extend(listed);
            Ok(if deleting {
                (objects, Vec::new())
            } else {
                (Vec::new(), objects)
            })
        }
        Kind::Aggregation | Kind::Association => {
            let parent = match (kind, f.uri("parentID")?) {
                (Kind::Association, None) => return Err(f.missing("parentID")),
                (_, parent) => parent.map(identifier::readable),
            };
            let mut children = epcs(f, "childEPCs")?;
            children.extend(quantities(f, "childQuantityList")?);
            if children.is_empty() && !deleting {
                return Err(EpcisError::NoObjects {
                    at: f.at().clone(),
                    needs: "childEPCs or childQuantityList (unless action is DELETE)",
                });
            }
            let parent: Vec<String> = parent.into_iter().collect();
            Ok(match action {
                Some(Action::Add) => (children, parent),
                Some(Action::Delete) => (parent, children),
                _ => (Vec::new(), parent.into_iter().chain(children).collect()),
            })
        }
        Kind::Transformation => {
            let mut inputs = epcs(f, "inputEPCList")?;
            inputs.extend(quantities(f, "inputQuantityList")?);
            let mut outputs = epcs(f, "outputEPCList")?;
            outputs.extend(quantities(f, "outputQuantityList")?);
            let identified = f.uri("transformationID")?.is_some();
            let complete = !inputs.is_empty() && !outputs.is_empty();
            let partial = identified && !(inputs.is_empty() && outputs.is_empty());
            if !complete && !partial {
                return Err(EpcisError::NoObjects {
                    at: f.at().clone(),
                    needs: "both inputs (inputEPCList or inputQuantityList) and outputs (outputEPCList or outputQuantityList), or a transformationID with one of them",
                });
            }
            Ok((inputs, outputs))
        }
        Kind::Extension => Ok((Vec::new(), Vec::new())),
    }
}

fn stage(
    kind: Kind,
    action: Option<Action>,
    step: Option<&str>,
    disposition: Option<&str>,
    recalled: bool,
    certified: bool,
) -> Stage {
    if recalled {
        return Stage::Recall;
    }
    match (kind, step.map(Stage::from_biz_step)) {
        // A transformation makes new goods from old: commissioning its outputs is processing,
        // not growing.
        (Kind::Transformation, Some(Stage::Harvest)) => return Stage::Processing,
        (_, Some(stage)) if stage != Stage::Other => return stage,
        _ => {}
    }
    match disposition {
        Some("in_transit") => return Stage::Transport,
        Some("retail_sold" | "dispensed" | "partially_dispensed") => return Stage::Retail,
        Some("container_closed") => return Stage::Packing,
        _ => {}
    }
    if certified {
        return Stage::Inspection;
    }
    match (kind, action) {
        (Kind::Transformation, _) => Stage::Processing,
        (Kind::Aggregation, Some(Action::Add)) => Stage::Packing,
        _ => Stage::Other,
    }
}

/// Who acted: for goods arriving, the party receiving them; otherwise the party sending or
/// holding them. Possession says more about who did the step than ownership.
fn actor(step: Option<&str>, sources: &[Endpoint], destinations: &[Endpoint]) -> Option<Party> {
    let arriving = matches!(step, Some("receiving" | "arriving" | "accepting"));
    let (first, second) = if arriving {
        (destinations, sources)
    } else {
        (sources, destinations)
    };
    [first, second]
        .iter()
        .find_map(|side| {
            ["possessing_party", "owning_party"]
                .iter()
                .find_map(|kind| side.iter().find(|endpoint| endpoint.kind == *kind))
        })
        .map(|endpoint| Party {
            name: endpoint.name.clone(),
            address: endpoint.address.clone(),
            gln: endpoint.gln.clone(),
        })
}

struct Summary<'a> {
    kind: Kind,
    action: Option<Action>,
    step: Option<&'a str>,
    stage: Stage,
    place: Option<&'a Place>,
    inputs: &'a [String],
    outputs: &'a [String],
    recalled: bool,
    status: EventStatus,
}

/// "Xuất hàng: 2 mã hàng tại (414)0614141073467" / "Shipped: 2 items at (414)0614141073467".
fn summary(s: &Summary<'_>) -> LocalText {
    let (verb_vi, verb_en) = s
        .step
        .and_then(cbv::step_words)
        .unwrap_or_else(|| default_words(s.kind, s.action, s.stage));
    let count = |items: &[String], vi: &str, en: &str| -> (String, String) {
        match items {
            [one] => (one.clone(), one.clone()),
            many => (
                format!("{} {vi}", many.len()),
                format!(
                    "{} {en}{}",
                    many.len(),
                    if many.len() == 1 { "" } else { "s" }
                ),
            ),
        }
    };
    let what = match (s.inputs, s.outputs) {
        ([], []) => None,
        (items, []) | ([], items) => Some(count(items, "mã hàng", "item")),
        (inputs, outputs) => {
            let (in_vi, in_en) = count(inputs, "đầu vào", "input");
            let (out_vi, out_en) = count(outputs, "đầu ra", "output");
            Some((format!("{in_vi} → {out_vi}"), format!("{in_en} → {out_en}")))
        }
    };
    let mut vi = String::new();
    let mut en = String::new();
    if s.recalled {
        vi.push_str("Thu hồi — ");
        en.push_str("Recalled — ");
    }
    vi.push_str(verb_vi);
    en.push_str(verb_en);
    if let Some((what_vi, what_en)) = what {
        vi.push_str(&format!(": {what_vi}"));
        en.push_str(&format!(": {what_en}"));
    }
    if let Some(place) = s.place {
        vi.push_str(&format!(" tại {}", place.name));
        en.push_str(&format!(" at {}", place.name));
    }
    let mut text = LocalText::both(vi, en);
    note_status(&mut text, s.status);
    text
}

/// Appends to a summary that the event was declared in error.
pub(super) fn note_status(summary: &mut LocalText, status: EventStatus) {
    let (vi, en) = match status {
        EventStatus::Recorded => return,
        EventStatus::Corrected => (
            " (đã khai báo sai và có sự kiện sửa)",
            " (declared in error and corrected)",
        ),
        EventStatus::Retracted => (" (đã khai báo là sai)", " (declared in error)"),
    };
    summary.vi.push_str(vi);
    if let Some(english) = &mut summary.en {
        english.push_str(en);
    }
}

/// Words for an event without a known business step, from what its type and action say.
fn default_words(kind: Kind, action: Option<Action>, stage: Stage) -> (&'static str, &'static str) {
    use Action::{Add, Delete};
    match (kind, action) {
        (Kind::Transformation, _) => ("Chế biến", "Transformed"),
        (Kind::Aggregation, Some(Add)) => ("Gộp vào kiện", "Aggregated"),
        (Kind::Aggregation, Some(Delete)) => ("Tách khỏi kiện", "Disaggregated"),
        (Kind::Association, Some(Add)) => ("Gắn kết", "Associated"),
        (Kind::Association, Some(Delete)) => ("Gỡ gắn kết", "Disassociated"),
        (Kind::Transaction, Some(Add)) => ("Gắn với giao dịch", "Linked to a transaction"),
        (Kind::Transaction, Some(Delete)) => ("Gỡ khỏi giao dịch", "Unlinked from a transaction"),
        (Kind::Object, Some(Add)) => ("Tạo mới", "Created"),
        (Kind::Object, Some(Delete)) => ("Loại bỏ", "Removed"),
        (Kind::Extension, _) => (stage.label_vi(), stage.label_en()),
        _ => ("Ghi nhận", "Observed"),
    }
}
