//! The widget's language, and dates and numbers written the way its reader expects. Record
//! content comes localised from the portal; the widget's own wording is in `catalogue`.

mod catalogue;

pub use catalogue::{Msg, element_title};
use tem_core::time::{day_first, is_iso_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi = 0,
    En = 1,
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

    /// The shopper's own earlier choice, else the host page's, else the first of the
    /// browser's languages the widget speaks, else Vietnamese.
    pub fn pick<'a>(
        saved: Option<&str>,
        host: Option<&str>,
        browser: impl IntoIterator<Item = &'a str>,
    ) -> Lang {
        saved
            .and_then(Lang::from_code)
            .or_else(|| host.and_then(Lang::from_code))
            .or_else(|| browser.into_iter().find_map(Lang::from_code))
            .unwrap_or_default()
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
}

/// A `YYYY-MM-DD` date: `10/07/2026` in Vietnamese, `10 Jul 2026` in English; anything else
/// is shown as it came.
pub fn format_date(iso: &str, lang: Lang) -> String {
    if !is_iso_date(iso) {
        return iso.to_string();
    }
    match lang {
        Lang::Vi => day_first(iso),
        Lang::En => {
            // A real date's month is two digits, 01 to 12.
            let digits = iso.as_bytes();
            let month = usize::from(digits[5] - b'0') * 10 + usize::from(digits[6] - b'0');
            let month = catalogue::MONTHS_EN
                .get(month.wrapping_sub(1))
                .copied()
                .unwrap_or_default();
            let day = iso[8..10].trim_start_matches('0');
            format!("{day} {month} {}", &iso[..4])
        }
    }
}

/// An RFC 3339 time as its date and the local clock time at which it happened; a bare date as
/// a date; anything unexpected as it came.
pub fn format_time(rfc3339: &str, lang: Lang) -> String {
    match (
        tem_core::time::rfc3339_to_unix(rfc3339),
        rfc3339.get(11..16),
    ) {
        (Some(_), Some(clock)) => format!("{} {clock}", format_date(&rfc3339[..10], lang)),
        _ => format_date(rfc3339, lang),
    }
}

/// A count with its thousands grouped: `1.234` in Vietnamese, `1,234` in English.
pub fn format_count(count: usize, lang: Lang) -> String {
    let digits = count.to_string();
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut grouped = String::with_capacity(digits.len() * 4 / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_keep_the_local_clock_and_read_as_each_language_writes_dates() {
        let time = "2026-07-10T06:30:00+07:00";
        assert_eq!(format_time(time, Lang::Vi), "10/07/2026 06:30");
        assert_eq!(format_time(time, Lang::En), "10 Jul 2026 06:30");
        assert_eq!(format_time("2026-07-10", Lang::Vi), "10/07/2026");
    }

    #[test]
    fn english_dates_name_the_month_and_drop_a_leading_zero() {
        assert_eq!(format_date("2026-01-05", Lang::En), "5 Jan 2026");
        assert_eq!(format_date("2026-12-31", Lang::En), "31 Dec 2026");
        assert_eq!(format_date("2026-12-31", Lang::Vi), "31/12/2026");
    }

    #[test]
    fn odd_times_are_shown_as_they_came() {
        for lang in [Lang::Vi, Lang::En] {
            for odd in [
                "",
                "hôm qua",
                "2026-13-10T06:30:00Z",
                "2026-02-30",
                "10/07/2026",
            ] {
                assert_eq!(format_time(odd, lang), odd, "{lang:?}");
            }
        }
    }

    #[test]
    fn counts_group_thousands_as_each_language_does() {
        assert_eq!(format_count(7, Lang::Vi), "7");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(1234, Lang::Vi), "1.234");
        assert_eq!(format_count(1234, Lang::En), "1,234");
        assert_eq!(format_count(1_234_567, Lang::Vi), "1.234.567");
        assert_eq!(format_count(100_000, Lang::En), "100,000");
    }

    #[test]
    fn browser_language_tags_pick_a_language() {
        assert_eq!(Lang::from_code("vi-VN"), Some(Lang::Vi));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code("é"), None);
    }

    #[test]
    fn a_choice_made_beats_the_host_page_which_beats_the_browser() {
        let browser = ["fr-FR", "en-US", "vi"];
        assert_eq!(Lang::pick(None, None, browser), Lang::En);
        assert_eq!(Lang::pick(None, Some("vi"), browser), Lang::Vi);
        assert_eq!(Lang::pick(Some("en"), Some("vi"), ["vi"]), Lang::En);
        assert_eq!(Lang::pick(Some("xx"), None, ["vi-VN"]), Lang::Vi);
        assert_eq!(Lang::pick(None, None, ["fr", "de"]), Lang::Vi);
        assert_eq!(Lang::pick(None, None, []), Lang::Vi);
    }
}
