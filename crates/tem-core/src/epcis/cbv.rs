//! The Core Business Vocabulary terms tem reads (business steps, dispositions), in every
//! spelling EPCIS allows, and the words a shopper sees for them.

/// Business steps of CBV 2.0 with what a shopper reads for each, in Vietnamese and English.
const BIZ_STEPS: &[(&str, &str, &str)] = &[
    ("accepting", "Tiếp nhận", "Accepted"),
    ("arriving", "Đến nơi", "Arrived"),
    ("assembling", "Lắp ráp", "Assembled"),
    ("collecting", "Thu gom", "Collected"),
    ("commissioning", "Tạo mã", "Commissioned"),
    ("consigning", "Ký gửi", "Consigned"),
    ("creating_class_instance", "Tạo lô", "Lot created"),
    ("cycle_counting", "Kiểm đếm", "Counted"),
    ("decommissioning", "Hủy mã", "Decommissioned"),
    ("departing", "Khởi hành", "Departed"),
    ("destroying", "Tiêu hủy", "Destroyed"),
    ("disassembling", "Tháo rời", "Disassembled"),
    ("dispensing", "Cấp phát", "Dispensed"),
    ("encoding", "Mã hóa", "Encoded"),
    ("entering_exiting", "Ra vào", "Entered or left"),
    ("holding", "Tạm giữ", "Held"),
    ("inspecting", "Kiểm tra", "Inspected"),
    ("installing", "Lắp đặt", "Installed"),
    ("killing", "Giết mổ", "Slaughtered"),
    ("loading", "Xếp hàng lên xe", "Loaded"),
    ("other", "Công đoạn khác", "Other step"),
    ("packing", "Đóng gói", "Packed"),
    ("picking", "Lấy hàng", "Picked"),
    ("receiving", "Nhận hàng", "Received"),
    ("removing", "Tháo ra", "Removed"),
    ("repackaging", "Đóng gói lại", "Repackaged"),
    ("repairing", "Sửa chữa", "Repaired"),
    ("replacing", "Thay thế", "Replaced"),
    ("reserving", "Đặt trước", "Reserved"),
    ("retail_selling", "Bán lẻ", "Sold at retail"),
    ("sampling", "Lấy mẫu", "Sampled"),
    ("sensor_reporting", "Ghi nhận cảm biến", "Sensor readings"),
    ("shipping", "Xuất hàng", "Shipped"),
    ("staging_outbound", "Chuẩn bị xuất", "Staged for shipping"),
    ("stock_taking", "Kiểm kê", "Stock taken"),
    ("stocking", "Lên kệ", "Stocked"),
    ("storing", "Lưu kho", "Stored"),
    ("transporting", "Vận chuyển", "Transported"),
    ("unloading", "Dỡ hàng", "Unloaded"),
    ("unpacking", "Mở gói", "Unpacked"),
    ("void_shipping", "Hủy xuất hàng", "Shipping voided"),
];

const DISPOSITIONS: &[&str] = &[
    "active",
    "available",
    "completeness_inferred",
    "completeness_verified",
    "conformant",
    "container_closed",
    "container_open",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "mismatch_class",
    "mismatch_instance",
    "mismatch_quantity",
    "needs_replacement",
    "no_pedigree_match",
    "non_conformant",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unavailable",
    "unknown",
];

/// Which CBV vocabulary a term belongs to, with the spellings of its prefix.
#[derive(Clone, Copy)]
pub(crate) enum Vocabulary {
    BizStep,
    Disposition,
}

impl Vocabulary {
    /// URN form (`urn:epcglobal:cbv:bizstep:`) and web/compact form (`BizStep-`).
    fn prefixes(self) -> (&'static str, &'static str) {
        match self {
            Vocabulary::BizStep => ("urn:epcglobal:cbv:bizstep:", "BizStep-"),
            Vocabulary::Disposition => ("urn:epcglobal:cbv:disp:", "Disp-"),
        }
    }

    fn knows(self, term: &str) -> bool {
        match self {
            Vocabulary::BizStep => BIZ_STEPS.iter().any(|(name, ..)| *name == term),
            Vocabulary::Disposition => DISPOSITIONS.contains(&term),
        }
    }
}

/// A vocabulary value as tem keeps it: the bare CBV term (`shipping`) for any spelling of a
/// standard term, the value as given for a private URI. `Err` carries a bare word that is not
/// a CBV term, which the schema does not allow.
pub(crate) fn normalise(value: &str, vocabulary: Vocabulary) -> Result<String, String> {
    let (urn, web) = vocabulary.prefixes();
    let term = if let Some(term) = value.strip_prefix(urn) {
        Some(term)
    } else if let Some(compact) = value
        .strip_prefix("cbv:")
        .or_else(|| value.strip_prefix("gs1:"))
    {
        compact.strip_prefix(web)
    } else if is_gs1_web_vocabulary(value) {
        value
            .rsplit('/')
            .next()
            .and_then(|last| last.strip_prefix(web))
    } else if !value.contains(':') {
        return if vocabulary.knows(value) {
            Ok(value.to_string())
        } else {
            Err(value.to_string())
        };
    } else {
        None
    };
    match term {
        Some(term) if vocabulary.knows(term) => Ok(term.to_string()),
        _ => Ok(value.to_string()),
    }
}

fn is_gs1_web_vocabulary(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    host == "gs1.org" || host.ends_with(".gs1.org")
}

/// The Vietnamese and English words for a normalised CBV business step.
pub(super) fn step_words(step: &str) -> Option<(&'static str, &'static str)> {
    BIZ_STEPS
        .iter()
        .find(|(name, ..)| *name == step)
        .map(|(_, vi, en)| (*vi, *en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_cbv_term_normalises_to_the_bare_word() {
        for spelling in [
            "shipping",
            "cbv:BizStep-shipping",
            "gs1:BizStep-shipping",
            "urn:epcglobal:cbv:bizstep:shipping",
            "https://ref.gs1.org/cbv/BizStep-shipping",
            "https://gs1.org/voc/BizStep-shipping",
        ] {
            assert_eq!(
                normalise(spelling, Vocabulary::BizStep).as_deref(),
                Ok("shipping"),
                "{spelling}"
            );
        }
        assert_eq!(
            normalise("urn:epcglobal:cbv:disp:recalled", Vocabulary::Disposition).as_deref(),
            Ok("recalled")
        );
    }

    #[test]
    fn private_uris_are_kept_and_unknown_bare_words_rejected() {
        let private = "http://epcis.example.org/hc/bizstep/summarising_discharge";
        assert_eq!(
            normalise(private, Vocabulary::BizStep).as_deref(),
            Ok(private)
        );
        assert_eq!(
            normalise("shiping", Vocabulary::BizStep),
            Err("shiping".to_string())
        );
    }
}
