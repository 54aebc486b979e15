//! Just enough calendar arithmetic to compare RFC 3339 timestamps written with different
//! offsets, without pulling a date library into the wasm bundle.

/// Seconds since the Unix epoch for `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, None if malformed
/// or if the offset is beyond ±14:00.
pub fn rfc3339_to_unix(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    // Everything below slices by byte offset, which is only sound on ASCII text.
    if bytes.len() < 20 || !text.is_ascii() || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let days = days_from_iso_date(&text[..10])?;
    let (hour, minute, second) = (
        number(&text[11..13])?,
        number(&text[14..16])?,
        number(&text[17..19])?,
    );
    if bytes[13] != b':' || bytes[16] != b':' || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => utc_offset_seconds(rest)?,
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// `±HH:MM` within ±14:00, the span of the world's time zones and what the EPCIS schema's
/// pattern allows; seconds east of UTC.
pub(crate) fn utc_offset_seconds(offset: &str) -> Option<i64> {
    let bytes = offset.as_bytes();
    if bytes.len() != 6 || bytes[3] != b':' || !offset.is_ascii() {
        return None;
    }
    let sign = match bytes[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = (number(&offset[1..3])?, number(&offset[4..6])?);
    let allowed = (hours <= 13 && minutes <= 59) || (hours == 14 && minutes == 0);
    allowed.then_some(sign * (hours * 3600 + minutes * 60))
}

/// RFC 3339 in UTC (`2026-11-25T02:00:00Z`) for seconds since the Unix epoch.
pub fn unix_to_rfc3339(seconds: i64) -> String {
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Inverse of days_from_civil (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// Việt Nam's offset from UTC (no daylight saving): expiry dates on stamps are its dates.
pub const VIETNAM_OFFSET_SECONDS: i64 = 7 * 3600;

/// The calendar date (`YYYY-MM-DD`) in Việt Nam at an instant: a product that expires today
/// is still good until midnight there, not midnight UTC.
pub fn vietnam_date(unix: i64) -> String {
    unix_to_rfc3339(unix + VIETNAM_OFFSET_SECONDS)[..10].to_string()
}

/// An instant as a shopper in Việt Nam reads it: `dd/mm/yyyy hh:mm`, local time.
pub fn vietnam_time(unix: i64) -> String {
    let local = unix_to_rfc3339(unix + VIETNAM_OFFSET_SECONDS);
    format!("{} {}", day_first(&local[..10]), &local[11..16])
}

/// `date` plus `days` (negative to go back), both `YYYY-MM-DD`; None when `date` is not a real
/// calendar date.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let day = days_from_iso_date(date)?;
    Some(unix_to_rfc3339((day + days) * 86_400)[..10].to_string())
}

/// `2026-07-10` → `10/07/2026`, the order Vietnamese readers use; anything that is not a real
/// ISO date is returned as it came.
pub fn day_first(iso: &str) -> String {
    if !is_iso_date(iso) {
        return iso.to_string();
    }
    format!("{}/{}/{}", &iso[8..10], &iso[5..7], &iso[..4])
}

/// True for a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(text: &str) -> bool {
    days_from_iso_date(text).is_some()
}

fn days_from_iso_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || !text.is_ascii() || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (
        number(&text[..4])?,
        number(&text[5..7])?,
        number(&text[8..10])?,
    );
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn number(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vietnamese_date_turns_at_midnight_in_hanoi_not_in_greenwich() {
        let evening_utc = rfc3339_to_unix("2026-12-01T16:59:59Z").unwrap();
        assert_eq!(vietnam_date(evening_utc), "2026-12-01");
        assert_eq!(vietnam_date(evening_utc + 1), "2026-12-02");
    }

    #[test]
    fn adding_days_rolls_over_months_years_and_leap_days_both_ways() {
        assert_eq!(add_days("2026-12-30", 3).as_deref(), Some("2027-01-02"));
        assert_eq!(add_days("2026-03-01", -1).as_deref(), Some("2026-02-28"));
        assert_eq!(add_days("2024-03-01", -1).as_deref(), Some("2024-02-29"));
        assert_eq!(add_days("2026-02-30", 1), None);
    }

    #[test]
    fn known_instants_match_their_unix_time() {
        assert_eq!(rfc3339_to_unix("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            rfc3339_to_unix("2024-10-01T07:00:00+07:00"),
            Some(1_727_740_800)
        );
        assert_eq!(
            rfc3339_to_unix("2024-02-29T23:59:59.999-05:00"),
            Some(1_709_269_199)
        );
    }

    #[test]
    fn offsets_reach_fourteen_hours_either_way_and_no_further() {
        assert_eq!(utc_offset_seconds("+14:00"), Some(14 * 3600));
        assert_eq!(utc_offset_seconds("-14:00"), Some(-14 * 3600));
        assert_eq!(utc_offset_seconds("+13:59"), Some(13 * 3600 + 59 * 60));
        assert_eq!(utc_offset_seconds("-13:59"), Some(-(13 * 3600 + 59 * 60)));
        assert_eq!(utc_offset_seconds("+05:45"), Some(5 * 3600 + 45 * 60));
        assert_eq!(utc_offset_seconds("-00:00"), Some(0));
        for bad in [
            "+14:01", "-14:01", "+15:00", "+23:59", "+13:60", "07:00", "*07:00", " 07:00",
            "+07-00", "+07.00", "+0700", "+7:00", "+07:0", "+07:000", "+0a:00", "+07:-1", "+é:00",
            "Z", "",
        ] {
            assert_eq!(utc_offset_seconds(bad), None, "{bad}");
        }
        assert_eq!(
            rfc3339_to_unix("2024-01-01T14:00:00+14:00"),
            Some(1_704_067_200)
        );
        assert_eq!(rfc3339_to_unix("2024-01-01T14:00:00+14:01"), None);
        assert_eq!(rfc3339_to_unix("2024-01-01T00:00:00-15:00"), None);
    }

    #[test]
    fn dates_read_day_first_and_odd_ones_stay_as_given() {
        assert_eq!(day_first("2026-07-10"), "10/07/2026");
        assert_eq!(day_first("2026-13-10"), "2026-13-10");
        assert_eq!(day_first("hôm qua"), "hôm qua");
    }

    #[test]
    fn formatting_inverts_parsing() {
        for instant in [0, 951_782_400, 1_709_269_199, 1_795_000_000, -86_400] {
            assert_eq!(
                rfc3339_to_unix(&unix_to_rfc3339(instant)),
                Some(instant),
                "{instant}"
            );
        }
        assert_eq!(unix_to_rfc3339(1_727_740_800), "2024-10-01T00:00:00Z");
    }

    #[test]
    fn malformed_times_and_dates_are_rejected() {
        for bad in [
            "",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+7:00",
            "2024-01-01T00:00:00.Z",
            "２０２４-01-01T00:00:00Z",
            "2024-01-01Té0:00:00Z",
            "2024-01-01T00:00:00+éé:0",
            "2024-0é-01",
        ] {
            assert_eq!(rfc3339_to_unix(bad), None, "{bad}");
        }
        assert!(
            is_iso_date("2024-02-29") && !is_iso_date("2025-02-29") && !is_iso_date("2025-2-28")
        );
    }
}
