//! What an AI is called in a message or beside its value, in English (the dictionary's
//! title, or the key's well-known name) and in Vietnamese (ours: the dictionary has none, and
//! a Vietnamese page must not name a field in English).

use super::rules::rule;

/// How people name an AI in messages: the key's own name where it has a well-known one.
pub fn field_name(ai: &str) -> String {
    if let Some(key) = key_name(ai) {
        return key.to_string();
    }
    match rule(ai) {
        Some(rule) if !rule.title.is_empty() => format!("AI ({ai}) {}", rule.title),
        _ => format!("AI ({ai})"),
    }
}

/// `field_name` for a Vietnamese message: our title, else the key's name where it is an
/// acronym only, else the bare AI.
pub fn field_name_vi(ai: &str) -> String {
    if let Some(title) = title_vi(ai) {
        return title.to_string();
    }
    match key_name(ai) {
        Some(key) if key.bytes().all(|b| b.is_ascii_uppercase()) => key.to_string(),
        _ => format!("AI ({ai})"),
    }
}

/// The Vietnamese title of an AI a stamp may carry; None for the many we have no name for.
pub fn title_vi(ai: &str) -> Option<&'static str> {
    let key = match ai.as_bytes() {
        [b'3', _, _, _] => &ai[..3],
        _ => ai,
    };
    AI_TITLES_VI
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, title)| *title)
}

/// The well-known name of a GS1 key (and of the GLN's AIs).
fn key_name(ai: &str) -> Option<&'static str> {
    let key = match ai {
        "00" => "SSCC",
        "01" => "GTIN",
        "02" => "GTIN of contained items",
        "03" => "MTO GTIN",
        "410" | "411" | "412" | "413" | "414" | "415" | "416" => "GLN",
        "417" => "party GLN",
        "253" => "GDTI",
        "255" => "GCN",
        "401" => "GINC",
        "402" => "GSIN",
        "8003" => "GRAI",
        "8004" => "GIAI",
        "8006" => "ITIP",
        "8013" => "GMN",
        "8017" | "8018" => "GSRN",
        _ => return None,
    };
    Some(key)
}

/// Vietnamese titles for the GS1 Application Identifiers a stamp carries: the syntax
/// dictionary names them in English only. A measure's AI is keyed without its decimal digit.
const AI_TITLES_VI: &[(&str, &str)] = &[
    ("01", "Mã sản phẩm (GTIN)"),
    ("10", "Số lô"),
    ("11", "Ngày sản xuất"),
    ("13", "Ngày đóng gói"),
    ("15", "Sử dụng tốt nhất trước ngày"),
    ("16", "Hạn bán"),
    ("17", "Hạn sử dụng"),
    ("21", "Số sê-ri"),
    ("22", "Biến thể sản phẩm"),
    ("235", "Số sê-ri của bên thứ ba"),
    ("240", "Mã nhận dạng bổ sung"),
    ("250", "Số sê-ri phụ"),
    ("310", "Khối lượng tịnh (kg)"),
    ("315", "Thể tích tịnh (lít)"),
    ("416", "Mã nơi sản xuất (GLN)"),
    ("422", "Nước xuất xứ"),
    ("7003", "Hạn sử dụng (ngày giờ)"),
    ("7007", "Ngày thu hoạch"),
    ("8008", "Thời điểm sản xuất"),
    ("8030", "Chữ ký số của tem"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_title_names_an_ai_of_the_dictionary_in_other_words() {
        for (ai, vi) in AI_TITLES_VI {
            let english = rule(ai).or_else(|| rule(&format!("{ai}0")));
            let english = english.map(|r| r.title).expect("an AI of the dictionary");
            assert!(!vi.trim().is_empty(), "({ai})");
            assert_ne!(*vi, english, "({ai}) is named in English");
        }
    }

    #[test]
    fn vietnamese_messages_never_borrow_the_dictionary_s_english_titles() {
        assert_eq!(field_name_vi("17"), "Hạn sử dụng");
        assert_eq!(field_name_vi("3103"), "Khối lượng tịnh (kg)");
        assert_eq!(field_name_vi("00"), "SSCC");
        // English words in a key's name, and AIs we have no title for, are left as numbers.
        assert_eq!(field_name_vi("02"), "AI (02)");
        assert_eq!(field_name_vi("8005"), "AI (8005)");
        assert_eq!(field_name("8005"), "AI (8005) PRICE PER UNIT");
        assert_eq!(field_name("02"), "GTIN of contained items");
    }
}
