//! GS1 Application Identifier rules that stamps use: formats, check digits, dates, which AIs are
//! primary keys and which qualify them. Rules follow the GS1 General Specifications and the GS1
//! syntax dictionary; the AIs listed are those seen on product, lot and location labels.

use crate::payload::{Element, Gs1Date, PayloadError};

/// Group separator (FNC1 inside an element string).
pub const GS: char = '\u{1d}';

#[derive(Debug, Clone, Copy)]
enum Format {
    /// Exactly `len` digits, the last a mod-10 check digit.
    Key {
        len: usize,
    },
    /// A 13-digit GLN-style key followed by up to `extra` more characters.
    KeyAndExtension {
        extra: usize,
        numeric: bool,
    },
    Digits {
        min: usize,
        max: usize,
    },
    /// GS1 character set 82 (printable ASCII subset), 1..=max characters.
    Text {
        max: usize,
    },
    /// YYMMDD; `zero_day` allows DD = 00 (end of month).
    Date {
        zero_day: bool,
    },
}

struct Rule {
    ai: &'static str,
    title: &'static str,
    format: Format,
}

const fn rule(ai: &'static str, title: &'static str, format: Format) -> Rule {
    Rule { ai, title, format }
}

use Format::*;

const RULES: &[Rule] = &[
    rule("00", "SSCC", Key { len: 18 }),
    rule("01", "GTIN", Key { len: 14 }),
    rule("02", "GTIN of contained items", Key { len: 14 }),
    rule("10", "batch/lot", Text { max: 20 }),
    rule("11", "production date", Date { zero_day: false }),
    rule("12", "due date", Date { zero_day: true }),
    rule("13", "packaging date", Date { zero_day: true }),
    rule("15", "best before date", Date { zero_day: true }),
    rule("16", "sell by date", Date { zero_day: false }),
    rule("17", "expiry date", Date { zero_day: true }),
    rule("20", "variant", Digits { min: 2, max: 2 }),
    rule("21", "serial number", Text { max: 20 }),
    rule("22", "consumer product variant", Text { max: 20 }),
    rule("235", "third-party serial (TPX)", Text { max: 28 }),
    rule("240", "additional product identification", Text { max: 30 }),
    rule("241", "customer part number", Text { max: 30 }),
    rule("250", "secondary serial number", Text { max: 30 }),
    rule(
        "253",
        "GDTI",
        KeyAndExtension {
            extra: 17,
            numeric: false,
        },
    ),
    rule("254", "GLN extension", Text { max: 20 }),
    rule(
        "255",
        "GCN",
        KeyAndExtension {
            extra: 12,
            numeric: true,
        },
    ),
    rule("30", "count", Digits { min: 1, max: 8 }),
    rule("37", "count of trade items", Digits { min: 1, max: 8 }),
    rule("400", "customer's order number", Text { max: 30 }),
    rule("401", "GINC", Text { max: 30 }),
    rule("402", "GSIN", Key { len: 17 }),
    rule("410", "ship to GLN", Key { len: 13 }),
    rule("412", "purchased from GLN", Key { len: 13 }),
    rule("413", "ship for GLN", Key { len: 13 }),
    rule("414", "GLN", Key { len: 13 }),
    rule("416", "production location GLN", Key { len: 13 }),
    rule("417", "party GLN", Key { len: 13 }),
    rule("422", "country of origin", Digits { min: 3, max: 3 }),
    rule("7003", "expiry date and time", Digits { min: 10, max: 10 }),
    rule("7040", "GS1 UIC extension", Text { max: 4 }),
    rule(
        "8003",
        "GRAI",
        KeyAndExtension {
            extra: 17,
            numeric: false,
        },
    ),
    rule("8004", "GIAI", Text { max: 30 }),
    rule("8006", "ITIP", Digits { min: 18, max: 18 }),
    rule("8010", "CPID", Text { max: 30 }),
    rule("8011", "CPID serial", Digits { min: 1, max: 12 }),
    rule("8013", "GMN", Text { max: 25 }),
    rule("8017", "GSRN (provider)", Key { len: 18 }),
    rule("8018", "GSRN (recipient)", Key { len: 18 }),
    rule(
        "8019",
        "service relation instance",
        Digits { min: 1, max: 10 },
    ),
    rule("8020", "payment slip reference", Text { max: 25 }),
    // DigSig: a signature over the other elements, base64url (checked when verified, not here).
    rule("8030", "digital signature", Text { max: 90 }),
    rule("8200", "extended packaging URL", Text { max: 70 }),
    rule("90", "internal information", Text { max: 30 }),
];

const PRIMARY_KEYS: &[&str] = &[
    "00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8013",
    "8017", "8018",
];

pub fn is_primary_key(ai: &str) -> bool {
    PRIMARY_KEYS.contains(&ai)
}

/// The key qualifiers of a primary key, in the order a Digital Link path must give them.
pub fn qualifiers(key: &str) -> &'static [&'static str] {
    match key {
        "01" => &["22", "10", "21"],
        "414" => &["254"],
        "417" => &["7040"],
        "8006" => &["22", "10", "21"],
        "8010" => &["8011"],
        "8018" => &["8019"],
        _ => &[],
    }
}

/// A variable-measure or range AI (31nn–36nn: 6 digits) or an internal AI (91–99).
fn rule_for(ai: &str) -> Option<(&'static str, Format)> {
    if let Some(rule) = RULES.iter().find(|r| r.ai == ai) {
        return Some((rule.title, rule.format));
    }
    let digits = ai.as_bytes();
    if ai.len() == 4
        && ai.bytes().all(|b| b.is_ascii_digit())
        && (b'1'..=b'6').contains(&digits[1])
        && digits[0] == b'3'
    {
        return Some(("measure", Digits { min: 6, max: 6 }));
    }
    if ai.len() == 2 && digits[0] == b'9' && digits[1] != b'0' {
        return Some(("company internal information", Text { max: 90 }));
    }
    None
}

/// Length in digits of the AI at the start of an element string, if it is one we know.
fn ai_at(text: &str) -> Option<&str> {
    (2..=4)
        .filter_map(|n| text.get(..n))
        .find(|ai| ai.bytes().all(|b| b.is_ascii_digit()) && rule_for(ai).is_some())
}

/// Fixed value lengths of the predefined-length AIs: they need no separator after them.
fn fixed_length(ai: &str) -> Option<usize> {
    match rule_for(ai)?.1 {
        Key { len } => Some(len),
        Date { .. } => Some(6),
        Digits { min, max } if min == max && ai.starts_with(['2', '3']) => Some(max),
        _ => None,
    }
}

/// The mod-10 check digit of the digits before the last one (GTIN, GLN, SSCC …).
pub fn check_digit(digits_without_check: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, byte) in digits_without_check.bytes().rev().enumerate() {
        if !byte.is_ascii_digit() {
            return None;
        }
        let digit = u32::from(byte - b'0');
        sum += if i % 2 == 0 { digit * 3 } else { digit };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

/// YYMMDD → date, with the GS1 century rule's usual window (here: 2000–2099) and DD = 00 meaning
/// the last day of the month.
pub fn date(yymmdd: &str) -> Option<Gs1Date> {
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = 2000 + yymmdd[..2].parse::<u16>().ok()?;
    let month = yymmdd[2..4].parse::<u8>().ok()?;
    let day = yymmdd[4..].parse::<u8>().ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let last = crate::time::days_in_month(i64::from(year), i64::from(month)) as u8;
    match day {
        0 => Some(Gs1Date {
            year,
            month,
            day: last,
        }),
        d if d <= last => Some(Gs1Date {
            year,
            month,
            day: d,
        }),
        _ => None,
    }
}

fn invalid(ai: &str, title: &'static str, rule: String) -> PayloadError {
    PayloadError::InvalidElement {
        ai: ai.to_string(),
        field: title,
        rule,
    }
}

fn is_cset82(c: char) -> bool {
    c.is_ascii_graphic()
        && !matches!(
            c,
            '#' | '$' | '@' | '[' | '\\' | ']' | '^' | '`' | '{' | '|' | '}' | '~'
        )
}

/// Checks one AI value against its rule.
pub fn validate(ai: &str, value: &str) -> Result<(), PayloadError> {
    let (title, format) =
        rule_for(ai).ok_or_else(|| PayloadError::UnknownAi { ai: ai.to_string() })?;
    let err = |rule: String| Err(invalid(ai, title, rule));
    let digits = |v: &str| v.bytes().all(|b| b.is_ascii_digit());
    match format {
        Key { len } => {
            if value.len() != len || !digits(value) {
                return err(format!("should be {len} digits, found {:?}", value));
            }
            check(ai, title, value)
        }
        KeyAndExtension { extra, numeric } => {
            let (key, rest) = value.split_at(value.len().min(13));
            if key.len() != 13 || !digits(key) {
                return err("should start with 13 digits".into());
            }
            if rest.len() > extra || (numeric && !digits(rest)) || !rest.chars().all(is_cset82) {
                return err(format!(
                    "may have at most {extra} more characters after the 13-digit key"
                ));
            }
            check(ai, title, key)
        }
        Digits { min, max } => {
            if !(min..=max).contains(&value.len()) || !digits(value) {
                let want = if min == max {
                    format!("{min}")
                } else {
                    format!("{min} to {max}")
                };
                return err(format!("should be {want} digits, found {:?}", value));
            }
            Ok(())
        }
        Text { max } => {
            if value.is_empty() || value.chars().count() > max {
                return err(format!(
                    "should be 1 to {max} characters, found {}",
                    value.chars().count()
                ));
            }
            match value.chars().find(|c| !is_cset82(*c)) {
                Some(c) => err(format!(
                    "character {c:?} is not allowed (GS1 character set 82)"
                )),
                None => Ok(()),
            }
        }
        Date { zero_day } => {
            if value.len() == 6
                && digits(value)
                && (zero_day || &value[4..] != "00")
                && date(value).is_some()
            {
                return Ok(());
            }
            err(format!("should be a date YYMMDD, found {:?}", value))
        }
    }
}

fn check(ai: &str, title: &'static str, value: &str) -> Result<(), PayloadError> {
    let (body, last) = value.split_at(value.len() - 1);
    let expected = check_digit(body).unwrap_or(0);
    let found = last.as_bytes()[0] - b'0';
    if expected != found {
        return Err(invalid(
            ai,
            title,
            format!("check digit should be {expected}, found {found}"),
        ));
    }
    Ok(())
}

/// Parses a GS1 element string: `]Q3`/`]d2`/`]C1`/`]e0`-prefixed or bare with GS separators,
/// or the human-readable `(01)…(10)…` form. None when the text is not in any of these forms.
pub fn parse_element_string(text: &str) -> Result<Option<Vec<Element>>, PayloadError> {
    if text.starts_with('(') {
        return parse_bracketed(text).map(Some);
    }
    let (body, prefixed) = match ["]Q3", "]d2", "]C1", "]e0", "]J1"]
        .iter()
        .find(|p| text.starts_with(**p))
    {
        Some(prefix) => (&text[prefix.len()..], true),
        None => (text.strip_prefix(GS).unwrap_or(text), false),
    };
    if !prefixed && (body.len() < 16 || ai_at(body).is_none_or(|ai| !is_primary_key(ai))) {
        return Ok(None);
    }
    match parse_concatenated(body) {
        Ok(elements) => Ok(Some(elements)),
        Err(error) if prefixed || text.contains(GS) => Err(error),
        Err(_) => Ok(None),
    }
}

fn parse_concatenated(mut rest: &str) -> Result<Vec<Element>, PayloadError> {
    let mut elements: Vec<Element> = Vec::new();
    while !rest.is_empty() {
        rest = rest.trim_start_matches(GS);
        if rest.is_empty() {
            break;
        }
        let ai = ai_at(rest).ok_or_else(|| PayloadError::UnknownAi {
            ai: rest.chars().take(4).collect(),
        })?;
        let after = &rest[ai.len()..];
        let end = match fixed_length(ai) {
            Some(len) => len.min(after.len()),
            None => after.find(GS).unwrap_or(after.len()),
        };
        let value = after
            .get(..end)
            .ok_or_else(|| PayloadError::UnknownAi { ai: ai.to_string() })?;
        push(&mut elements, ai, value)?;
        rest = &after[end..];
    }
    if elements.is_empty() {
        return Err(PayloadError::Empty);
    }
    Ok(elements)
}

fn parse_bracketed(text: &str) -> Result<Vec<Element>, PayloadError> {
    let mut elements = Vec::new();
    for part in text.split('(').skip(1) {
        let (ai, value) = part
            .split_once(')')
            .ok_or_else(|| PayloadError::UnknownAi {
                ai: part.chars().take(4).collect(),
            })?;
        push(&mut elements, ai, value.trim_end())?;
    }
    Ok(elements)
}

fn push(elements: &mut Vec<Element>, ai: &str, value: &str) -> Result<(), PayloadError> {
    validate(ai, value)?;
    if elements.iter().any(|e| e.ai == ai) {
        return Err(invalid(
            ai,
            rule_for(ai).map_or("element", |r| r.0),
            "is given twice".into(),
        ));
    }
    elements.push(Element {
        ai: ai.to_string(),
        value: value.to_string(),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_known_keys() {
        assert_eq!(check_digit("0893601234567"), Some(4));
        assert_eq!(check_digit("978034541891"), Some(3));
        assert_eq!(check_digit("12a"), None);
    }

    #[test]
    fn day_zero_means_the_last_day_of_the_month() {
        assert_eq!(date("240200").unwrap().to_string(), "2024-02-29");
        assert_eq!(date("250231"), None);
        assert!(validate("17", "260200").is_ok());
        assert!(validate("11", "260200").is_err());
    }

    #[test]
    fn measures_and_internal_ais_follow_their_families() {
        assert!(validate("3103", "000500").is_ok());
        assert!(validate("3103", "5").is_err());
        assert!(validate("91", "anything-goes").is_ok());
        assert!(matches!(
            validate("89", "x"),
            Err(PayloadError::UnknownAi { .. })
        ));
    }
}
