//! Dates in GS1 fields: `YYMMDD` in the sliding century window, `YYYYMMDD`, and day 00.

use std::fmt;

use serde::Serialize;

/// A calendar date from a GS1 date field. `DD = 00` (allowed in YYMMDD fields such as expiry)
/// means the last day of the month and is resolved to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Gs1Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Gs1Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Two-digit years are read in the GS1 sliding window (General Specifications 7.12): up to 49
/// years back and 50 ahead of this year. Core code has no clock (it runs in wasm), so the
/// window is anchored on the year this rule set was last reviewed.
const WINDOW_ANCHOR_YEAR: u16 = 2026;

impl Gs1Date {
    /// `YYMMDD`, with `DD = 00` read as the month's last day when `day_zero_ok`.
    pub fn from_yymmdd(text: &str, day_zero_ok: bool) -> Option<Gs1Date> {
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let yy: u16 = text[..2].parse().ok()?;
        let anchor_century = WINDOW_ANCHOR_YEAR / 100 * 100;
        let difference = i32::from(yy) - i32::from(WINDOW_ANCHOR_YEAR % 100);
        let year = match difference {
            51..=99 => anchor_century - 100 + yy,
            -99..=-50 => anchor_century + 100 + yy,
            _ => anchor_century + yy,
        };
        Self::checked(year, &text[2..4], &text[4..6], day_zero_ok)
    }

    /// `YYYYMMDD`.
    pub fn from_yyyymmdd(text: &str) -> Option<Gs1Date> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::checked(text[..4].parse().ok()?, &text[4..6], &text[6..8], false)
    }

    fn checked(year: u16, month: &str, day: &str, day_zero_ok: bool) -> Option<Gs1Date> {
        let month: u8 = month.parse().ok()?;
        let day: u8 = day.parse().ok()?;
        if !(1..=12).contains(&month) {
            return None;
        }
        let last = crate::time::days_in_month(i64::from(year), i64::from(month)) as u8;
        match day {
            0 if day_zero_ok => Some(Gs1Date {
                year,
                month,
                day: last,
            }),
            1.. if day <= last => Some(Gs1Date { year, month, day }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gs1::validate;

    #[test]
    fn day_zero_is_the_last_day_of_the_month_only_where_allowed() {
        assert_eq!(
            validate("17", "240200")
                .unwrap()
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-02-29")
        );
        assert!(validate("7006", "240200").is_err());
        assert_eq!(
            Gs1Date::from_yymmdd("991231", false).map(|d| d.year),
            Some(1999)
        );
        assert_eq!(
            Gs1Date::from_yymmdd("751231", false).map(|d| d.year),
            Some(2075)
        );
    }
}
