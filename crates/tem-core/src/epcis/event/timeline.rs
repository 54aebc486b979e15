//! What the timeline shows for an event: its stage, who acted, and the summary line in
//! Vietnamese and English.

use super::kind::Kind;
use crate::epcis::cbv;
use crate::epcis::error::{EpcisError, Rule};
use crate::epcis::fields::Fields;
use crate::epcis::{Action, Endpoint, EventStatus};
use crate::record::{LocalText, Party, Place};
use crate::stage::Stage;

/// The stage of an event a store kept without its EPCIS document: its type, business step
/// and disposition. The rule is the importer's, so a stored event and an imported one of the
/// same kind land in the same stage (a recalled disposition included); what the row does not
/// keep (the action, certifications) counts as absent.
pub fn stage_of_stored(
    event_type: &str,
    biz_step: Option<&str>,
    disposition: Option<&str>,
) -> Stage {
    let kind = Kind::parse(event_type).unwrap_or(Kind::Extension);
    let recalled = disposition == Some("recalled");
    stage(kind, None, biz_step, disposition, recalled, false)
}

pub(super) fn stage(
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
pub(super) fn actor(
    step: Option<&str>,
    sources: &[Endpoint],
    destinations: &[Endpoint],
) -> Option<Party> {
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

/// tem's one EPCIS extension (`docs/epcis.md`): what the step was, in its writer's words, as a
/// Vietnamese string or `{"vi": …, "en": …}`. The vocabulary names a step ("Thu hoạch") but not
/// what it was ("Quay mật từ 120 thùng ong").
pub(super) const DESCRIPTION: &str = "tem:description";
/// Longer than a timeline line can show.
pub(super) const MAX_DESCRIPTION_CHARS: usize = 500;

pub(super) fn description(f: &Fields<'_>) -> Result<Option<LocalText>, EpcisError> {
    if !f.has(DESCRIPTION) {
        return Ok(None);
    }
    let text = match f.str(DESCRIPTION) {
        Ok(Some(vi)) => LocalText::vi(vi.trim()),
        _ => {
            let Some(both) = f.object(DESCRIPTION)? else {
                return Ok(None);
            };
            both.only(&["vi", "en"])?;
            LocalText {
                vi: both.required_str("vi")?.trim().to_string(),
                en: both.str("en")?.map(|en| en.trim().to_string()),
            }
        }
    };
    for written in std::iter::once(&text.vi).chain(&text.en) {
        if written.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(f.invalid(DESCRIPTION, written, Rule::DescriptionTooLong));
        }
    }
    Ok(Some(text).filter(|text| !text.vi.is_empty()))
}

pub(super) struct Summary<'a> {
    pub(super) kind: Kind,
    pub(super) action: Option<Action>,
    pub(super) step: Option<&'a str>,
    pub(super) stage: Stage,
    pub(super) place: Option<&'a Place>,
    pub(super) inputs: &'a [String],
    pub(super) outputs: &'a [String],
    pub(super) recalled: bool,
    pub(super) status: EventStatus,
    /// The writer's own words, which stand in for the verb, objects and place.
    pub(super) description: Option<LocalText>,
}

/// "Xuất hàng: 2 mã hàng tại (414)0614141073467" / "Shipped: 2 items at (414)0614141073467".
pub(super) fn summary(s: &Summary<'_>) -> LocalText {
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
    if let Some(description) = &s.description {
        vi.push_str(&description.vi);
        // Without English words of the writer's, the English line says what the vocabulary does.
        match &description.en {
            Some(english) => en.push_str(english),
            None => en.push_str(verb_en),
        }
        let mut text = LocalText::both(vi, en);
        note_status(&mut text, s.status);
        return text;
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
pub(in crate::epcis) fn note_status(summary: &mut LocalText, status: EventStatus) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_event_gets_the_stage_an_imported_one_would() {
        assert_eq!(
            stage_of_stored("ObjectEvent", Some("shipping"), Some("in_transit")),
            Stage::Transport
        );
        assert_eq!(
            stage_of_stored("ObjectEvent", Some("holding"), Some("recalled")),
            Stage::Recall
        );
        assert_eq!(
            stage_of_stored("TransformationEvent", Some("commissioning"), None),
            Stage::Processing
        );
        assert_eq!(
            stage_of_stored("ObjectEvent", None, Some("retail_sold")),
            Stage::Retail
        );
        assert_eq!(
            stage_of_stored("not an event type", None, None),
            Stage::Other
        );
    }
}
