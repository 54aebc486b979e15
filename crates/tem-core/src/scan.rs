//! Per-item evidence: how often a serialised stamp has been checked, where, and what its issuer
//! says of it (issued, sold at a retailer, void). The portal answers `POST /api/v1/scans` with a
//! [`ScanHistory`]; the verdict judges it. A copied stamp shows as one serial checked many times
//! in many provinces: that is how a static QR code's clone is caught.

use serde::{Deserialize, Serialize};

use crate::json::{self, FromJson, Value, from_json};

/// Việt Nam's 34 provinces and centrally-run cities (since 1 July 2025), the only places a
/// scan may name: a fixed list keeps free text, and anything that could name a person, out of
/// the portal's records.
pub const PROVINCES: &[&str] = &[
    "Hà Nội",
    "Huế",
    "Hải Phòng",
    "Đà Nẵng",
    "TP Hồ Chí Minh",
    "Cần Thơ",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Ninh Bình",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Đồng Nai",
    "Tây Ninh",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];

/// What the widget sends when a shopper checks a serialised stamp. `province` only when the
/// shopper chose to share it; never an address, coordinates or anything that names a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRequest {
    pub gtin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    pub serial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
}

/// Where a stamp is in its life, as its issuer recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnitState {
    /// Printed and applied; not yet sold.
    Issued,
    /// Sold: a retailer scanned it at the till.
    Activated,
    /// Withdrawn by the issuer (a stolen roll of stamps, a misprint): no product should carry it.
    Void,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activation {
    /// RFC 3339.
    pub at: String,
    pub retailer: String,
}

/// The portal's answer to a scan: the count includes the scan just made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanHistory {
    pub count: u64,
    /// RFC 3339; the first time anyone checked this stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_scan_at: Option<String>,
    /// The distinct provinces shoppers chose to share, most scans first.
    #[serde(default)]
    pub provinces: Vec<String>,
    pub state: UnitState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated: Option<Activation>,
}

/// How a stamp's scan history reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanPattern {
    /// What one product in one shopper's hands looks like.
    Normal,
    /// More checks than one product usually gets, or from two provinces: worth a word.
    Unusual,
    /// One serial checked far and wide: copies of the stamp are in circulation.
    Cloned,
}

/// At most this many checks, all from one province (or none shared), is one product's life:
/// bought, checked at home, shown to family.
pub const NORMAL_MAX_SCANS: u64 = 10;
/// Past this many checks, or from this many provinces, no single product explains it.
pub const CLONED_MIN_SCANS: u64 = 25;
pub const CLONED_MIN_PROVINCES: usize = 3;

impl ScanHistory {
    pub fn pattern(&self) -> ScanPattern {
        let provinces = self.provinces.len();
        if self.count >= CLONED_MIN_SCANS || provinces >= CLONED_MIN_PROVINCES {
            ScanPattern::Cloned
        } else if self.count > NORMAL_MAX_SCANS || provinces > 1 {
            ScanPattern::Unusual
        } else {
            ScanPattern::Normal
        }
    }
}

impl FromJson for UnitState {
    fn from_json(value: &Value) -> Result<Self, json::Error> {
        match value {
            Value::String(name) => match name.as_str() {
                "issued" => Ok(UnitState::Issued),
                "activated" => Ok(UnitState::Activated),
                "void" => Ok(UnitState::Void),
                _ => Err(json::Error::data(format!("unknown state `{name}`"))),
            },
            other => Err(other.unexpected("a unit state")),
        }
    }
}

from_json! {
    Activation { at: required, retailer: required }
    ScanHistory {
        count: required, first_scan_at: optional, provinces: list, state: required,
        activated: optional
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(count: u64, provinces: &[&str]) -> ScanHistory {
        ScanHistory {
            count,
            first_scan_at: None,
            provinces: provinces.iter().map(|p| p.to_string()).collect(),
            state: UnitState::Issued,
            activated: None,
        }
    }

    #[test]
    fn the_province_list_has_each_of_the_34_once() {
        let mut sorted = PROVINCES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 34);
    }

    #[test]
    fn a_first_scan_and_a_few_at_home_are_normal() {
        assert_eq!(history(1, &[]).pattern(), ScanPattern::Normal);
        assert_eq!(history(10, &["Hà Nội"]).pattern(), ScanPattern::Normal);
    }

    #[test]
    fn many_checks_or_two_provinces_are_unusual() {
        assert_eq!(history(11, &[]).pattern(), ScanPattern::Unusual);
        assert_eq!(
            history(2, &["Hà Nội", "Huế"]).pattern(),
            ScanPattern::Unusual
        );
    }

    #[test]
    fn a_serial_checked_forty_times_in_five_provinces_is_a_clone() {
        let provinces = ["Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "TP Hồ Chí Minh"];
        assert_eq!(history(40, &provinces).pattern(), ScanPattern::Cloned);
        assert_eq!(history(25, &[]).pattern(), ScanPattern::Cloned);
        assert_eq!(history(3, &provinces[..3]).pattern(), ScanPattern::Cloned);
    }

    #[test]
    fn the_portal_answer_round_trips_and_unknown_states_are_refused() {
        let json = r#"{"count":2,"first_scan_at":"2026-11-30T01:00:00Z","provinces":["Huế"],
            "state":"activated","activated":{"at":"2026-11-29T09:00:00+07:00","retailer":"Cửa hàng A"}}"#;
        let parsed: ScanHistory = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.state, UnitState::Activated);
        let again: ScanHistory =
            serde_json::from_str(&serde_json::to_string(&parsed).unwrap()).unwrap();
        assert_eq!(again, parsed);
        assert!(serde_json::from_str::<ScanHistory>(r#"{"count":1,"state":"genuine"}"#).is_err());
    }
}
