//! When: the event's time in its own time zone, and the other date-time members.

use crate::epcis::error::{EpcisError, Rule};
use crate::epcis::fields::Fields;
use crate::time;

/// The event's time written in its own time zone, and the instant for ordering.
pub(super) fn event_time(f: &Fields<'_>) -> Result<(String, (i64, u32)), EpcisError> {
    let text = f.required_str("eventTime")?;
    let offset = f.required_str("eventTimeZoneOffset")?;
    let seconds =
        time::rfc3339_to_unix(text).ok_or_else(|| f.invalid("eventTime", text, Rule::DateTime))?;
    let offset_seconds = time::utc_offset_seconds(offset)
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

/// An optional date-time member, checked.
pub(super) fn date_time(f: &Fields<'_>, name: &str) -> Result<Option<String>, EpcisError> {
    match f.str(name)? {
        None => Ok(None),
        Some(text) if time::rfc3339_to_unix(text).is_some() => Ok(Some(text.to_string())),
        Some(text) => Err(f.invalid(name, text, Rule::DateTime)),
    }
}
