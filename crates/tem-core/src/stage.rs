//! The stages of a product's life that a shopper recognises, and how EPCIS business steps
//! map onto them.

use serde::{Deserialize, Serialize};

use crate::json::{self, FromJson, Value};

/// A stage of the supply chain, in the order a product normally passes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stage {
    /// Growing, raising, catching or harvesting the raw material.
    Harvest,
    Processing,
    Packing,
    Storage,
    Transport,
    Retail,
    Inspection,
    Recall,
    /// A step we could not place; shown with its raw business step.
    Other,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Harvest,
        Stage::Processing,
        Stage::Packing,
        Stage::Storage,
        Stage::Transport,
        Stage::Retail,
        Stage::Inspection,
        Stage::Recall,
        Stage::Other,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            Stage::Harvest => "Nuôi trồng, thu hoạch",
            Stage::Processing => "Chế biến",
            Stage::Packing => "Đóng gói",
            Stage::Storage => "Lưu kho",
            Stage::Transport => "Vận chuyển",
            Stage::Retail => "Bán lẻ",
            Stage::Inspection => "Kiểm tra, chứng nhận",
            Stage::Recall => "Thu hồi",
            Stage::Other => "Công đoạn khác",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Stage::Harvest => "Growing and harvest",
            Stage::Processing => "Processing",
            Stage::Packing => "Packing",
            Stage::Storage => "Storage",
            Stage::Transport => "Transport",
            Stage::Retail => "Retail",
            Stage::Inspection => "Inspection and certification",
            Stage::Recall => "Recall",
            Stage::Other => "Other step",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Harvest => "harvest",
            Stage::Processing => "processing",
            Stage::Packing => "packing",
            Stage::Storage => "storage",
            Stage::Transport => "transport",
            Stage::Retail => "retail",
            Stage::Inspection => "inspection",
            Stage::Recall => "recall",
            Stage::Other => "other",
        }
    }

    /// The stage named as the record writes it (`harvest`, …).
    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.as_str() == name)
    }

    /// Places a CBV business step (bare, `cbv:`-prefixed, URN or URI form) on a stage.
    pub fn from_biz_step(biz_step: &str) -> Stage {
        let step = biz_step
            .rsplit([':', '/', '-'])
            .next()
            .unwrap_or(biz_step)
            .to_ascii_lowercase();
        match step.as_str() {
            "commissioning" | "harvesting" | "growing" | "raising" | "slaughtering"
            | "catching" | "encoding" => Stage::Harvest,
            "transforming"
            | "creating_class_instance"
            | "repairing"
            | "assembling"
            | "cooking"
            | "processing" => Stage::Processing,
            "packing" | "unpacking" | "labeling" | "loading" | "installing" => Stage::Packing,
            "storing" | "stocking" | "picking" | "accepting" | "holding" => Stage::Storage,
            "shipping" | "departing" | "arriving" | "receiving" | "transporting"
            | "staging_outbound" | "void_shipping" => Stage::Transport,
            "retail_selling" | "dispensing" | "point_of_sale" => Stage::Retail,
            "inspecting" | "sampling" | "certifying" | "cycle_counting" => Stage::Inspection,
            // CBV has no recall step: a recall shows as the `recalled` disposition.
            "recalling" => Stage::Recall,
            _ => Stage::Other,
        }
    }
}

impl FromJson for Stage {
    fn from_json(value: &Value) -> Result<Self, json::Error> {
        match value {
            Value::String(name) => Stage::from_name(name)
                .ok_or_else(|| json::Error::data(format!("unknown stage `{name}`"))),
            other => Err(other.unexpected("a stage")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn biz_steps_in_every_spelling_land_on_the_same_stage() {
        for spelling in [
            "shipping",
            "cbv:BizStep-shipping",
            "urn:epcglobal:cbv:bizstep:shipping",
            "https://ref.gs1.org/cbv/BizStep-shipping",
        ] {
            assert_eq!(
                Stage::from_biz_step(spelling),
                Stage::Transport,
                "{spelling}"
            );
        }
    }

    #[test]
    fn unknown_steps_are_other_not_a_guess() {
        assert_eq!(
            Stage::from_biz_step("https://example.com/steps/dancing"),
            Stage::Other
        );
        // Steps that do not say where the product is in its life: a sensor report can come
        // from any stage, removing takes a part out of an assembly, destroying ends it.
        for step in [
            "sensor_reporting",
            "removing",
            "destroying",
            "entering_exiting",
        ] {
            assert_eq!(Stage::from_biz_step(step), Stage::Other, "{step}");
        }
    }

    #[test]
    fn every_stage_has_labels_in_both_languages() {
        for stage in Stage::ALL {
            assert!(!stage.label_vi().is_empty() && !stage.label_en().is_empty());
            let json = serde_json::to_string(&stage).unwrap();
            assert_eq!(json, format!("\"{}\"", stage.as_str()));
        }
    }
}
