//! Interface text in Vietnamese (first) and English. Record content comes localised from the
//! portal; this is only the widget's own wording.

use tem_core::time::day_first;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("vi") => Some(Lang::Vi),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn is_en(self) -> bool {
        self == Lang::En
    }

    /// Picks the wording for this language.
    pub fn t(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Formats an RFC 3339 time as a Vietnamese reader expects it (dd/mm/yyyy hh:mm), keeping
/// the local time at which it happened; anything unexpected is shown as it came.
pub fn format_time(rfc3339: &str) -> String {
    match (
        tem_core::time::rfc3339_to_unix(rfc3339),
        rfc3339.get(11..16),
    ) {
        (Some(_), Some(clock)) => format!("{} {clock}", day_first(&rfc3339[..10])),
        _ => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_day_first_and_keep_the_local_clock() {
        assert_eq!(format_time("2026-07-10T06:30:00+07:00"), "10/07/2026 06:30");
    }

    #[test]
    fn odd_times_are_shown_as_they_came() {
        for odd in ["", "hôm qua", "2026-13-10T06:30:00Z", "2026-07-10"] {
            let shown = format_time(odd);
            assert!(shown == odd || odd == "2026-07-10", "{odd} -> {shown}");
        }
    }

    #[test]
    fn browser_language_tags_pick_a_language() {
        assert_eq!(Lang::from_code("vi-VN"), Some(Lang::Vi));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code("é"), None);
    }
}
