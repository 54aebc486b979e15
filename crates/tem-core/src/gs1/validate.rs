//! Checking one value against its AI's format: components, lengths, character sets, check
//! digits, dates and the dictionary's other content rules.

use serde::Serialize;

use super::check::{CSET82, check_character_pair, gtin_check_digit};
use super::date::Gs1Date;
use super::error::Gs1Error;
use super::rules::{Rule, rule};

/// The dictionary's content rules ("linters") that tem checks besides dates and check digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContentRule {
    Time,
    NonZero,
    Zero,
    YesNo,
    Hyphen,
    PieceOfTotal,
    NoZeroPrefix,
    HasNonDigit,
    PercentEncoding,
    Latitude,
    Longitude,
    Winding,
    Sex,
    MediaType,
    PositionInSequence,
    ImporterIndex,
    Iban,
    Base64Padding,
}

impl ContentRule {
    pub(super) fn english(self) -> &'static str {
        match self {
            ContentRule::Time => "a valid time of day",
            ContentRule::NonZero => "not all zeros",
            ContentRule::Zero => "the digit 0",
            ContentRule::YesNo => "0 (no) or 1 (yes)",
            ContentRule::Hyphen => "a hyphen",
            ContentRule::PieceOfTotal => "a piece number no greater than the total, both from 01",
            ContentRule::NoZeroPrefix => "a number without leading zeros",
            ContentRule::HasNonDigit => "not only digits",
            ContentRule::PercentEncoding => "correctly percent-encoded",
            ContentRule::Latitude => "a latitude code between 0000000000 and 1800000000",
            ContentRule::Longitude => "a longitude code between 0000000000 and 3600000000",
            ContentRule::Winding => "a winding direction of 0, 1 or 9",
            ContentRule::Sex => "an ISO 5218 sex code (0, 1, 2 or 9)",
            ContentRule::MediaType => "a media type code from 01 to 10 or 80 to 99",
            ContentRule::PositionInSequence => "a position in sequence such as 1/2",
            ContentRule::ImporterIndex => "one of - 0-9 A-Z _ a-z",
            ContentRule::Iban => "a valid IBAN",
            ContentRule::Base64Padding => {
                "base64 with at most two = at the end, to a length divisible by 3"
            }
        }
    }

    pub(super) fn vietnamese(self) -> &'static str {
        match self {
            ContentRule::Time => "một giờ hợp lệ trong ngày",
            ContentRule::NonZero => "không phải toàn số 0",
            ContentRule::Zero => "chữ số 0",
            ContentRule::YesNo => "0 (không) hoặc 1 (có)",
            ContentRule::Hyphen => "dấu gạch ngang",
            ContentRule::PieceOfTotal => "số thứ tự kiện không lớn hơn tổng số, cả hai từ 01",
            ContentRule::NoZeroPrefix => "một số không có số 0 ở đầu",
            ContentRule::HasNonDigit => "không chỉ gồm chữ số",
            ContentRule::PercentEncoding => "mã hoá phần trăm đúng",
            ContentRule::Latitude => "mã vĩ độ từ 0000000000 đến 1800000000",
            ContentRule::Longitude => "mã kinh độ từ 0000000000 đến 3600000000",
            ContentRule::Winding => "chiều cuộn 0, 1 hoặc 9",
            ContentRule::Sex => "mã giới tính ISO 5218 (0, 1, 2 hoặc 9)",
            ContentRule::MediaType => "mã loại phương tiện từ 01 đến 10 hoặc 80 đến 99",
            ContentRule::PositionInSequence => "vị trí trong dãy, ví dụ 1/2",
            ContentRule::ImporterIndex => "một trong các ký tự - 0-9 A-Z _ a-z",
            ContentRule::Iban => "một số IBAN hợp lệ",
            ContentRule::Base64Padding => {
                "base64 có tối đa hai dấu = ở cuối, độ dài chia hết cho 3"
            }
        }
    }
}

/// The character sets of the dictionary's format types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Charset {
    /// `N`
    Digits,
    /// `X`: GS1 AI encodable character set 82.
    Cset82,
    /// `Y`: character set 39.
    Cset39,
    /// `Z`: URL-safe base64.
    Base64Url,
}

impl Charset {
    fn from_letter(letter: u8) -> Option<Charset> {
        match letter {
            b'N' => Some(Charset::Digits),
            b'X' => Some(Charset::Cset82),
            b'Y' => Some(Charset::Cset39),
            b'Z' => Some(Charset::Base64Url),
            _ => None,
        }
    }

    pub fn allows(self, byte: u8) -> bool {
        match self {
            Charset::Digits => byte.is_ascii_digit(),
            Charset::Cset82 => CSET82.contains(&byte),
            Charset::Cset39 => {
                byte.is_ascii_digit()
                    || byte.is_ascii_uppercase()
                    || matches!(byte, b'#' | b'-' | b'/')
            }
            Charset::Base64Url => {
                byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'=')
            }
        }
    }

    pub(super) fn english(self) -> &'static str {
        match self {
            Charset::Digits => "digits only",
            Charset::Cset82 => "GS1 character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_)",
            Charset::Cset39 => "GS1 character set 39 (capitals, digits, # - /)",
            Charset::Base64Url => "URL-safe base64 (letters, digits, - _ =)",
        }
    }

    pub(super) fn vietnamese(self) -> &'static str {
        match self {
            Charset::Digits => "chỉ chữ số",
            Charset::Cset82 => {
                "bộ ký tự GS1 82 (chữ Latin không dấu, chữ số và !\"%&'()*+,-./:;<=>?_)"
            }
            Charset::Cset39 => "bộ ký tự GS1 39 (chữ in hoa, chữ số, # - /)",
            Charset::Base64Url => "base64 cho URL (chữ, số, - _ =)",
        }
    }
}

/// One part of a format specification such as `N3,iso3166` or `[X..17]`.
pub(super) struct Component<'a> {
    pub(super) charset: Charset,
    min: usize,
    max: usize,
    optional: bool,
    linters: &'a str,
}

pub(super) fn components(spec: &str) -> impl Iterator<Item = Component<'_>> {
    spec.split_whitespace().filter_map(|word| {
        let (kind, linters) = word.split_once(',').unwrap_or((word, ""));
        let optional = kind.starts_with('[');
        let kind = kind.trim_start_matches('[').trim_end_matches(']');
        let charset = Charset::from_letter(*kind.as_bytes().first()?)?;
        let (min, max) = match kind[1..].strip_prefix("..") {
            Some(max) => (1, max.parse().ok()?),
            None => {
                let length = kind[1..].parse().ok()?;
                (length, length)
            }
        };
        Some(Component {
            charset,
            min,
            max,
            optional,
            linters,
        })
    })
}

/// The shortest and longest value a rule allows.
pub fn length_bounds(rule: &Rule) -> (usize, usize) {
    components(rule.spec).fold((0, 0), |(min, max), c| {
        (if c.optional { min } else { min + c.min }, max + c.max)
    })
}

/// Checks `value` against the dictionary format of `ai`: length, character set, check digit,
/// dates and the other content rules tem knows. Returns the date the value carries, if any.
///
/// Rules that need reference lists (ISO country and currency codes, GS1 Company Prefix
/// ranges, coupon formats) are not checked: the widget does not carry those lists.
pub fn validate(ai: &str, value: &str) -> Result<Option<Gs1Date>, Gs1Error> {
    let rule = rule(ai).ok_or_else(|| Gs1Error::UnknownAi { ai: ai.to_string() })?;
    if value.is_empty() {
        return Err(Gs1Error::Empty { ai: ai.to_string() });
    }
    let first_charset = components(rule.spec)
        .next()
        .map_or(Charset::Cset82, |c| c.charset);
    if let Some((index, character)) = value.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        return Err(Gs1Error::Charset {
            ai: ai.to_string(),
            position: index + 1,
            character,
            allowed: first_charset,
        });
    }
    let (min, max) = length_bounds(&rule);
    let length_error = || Gs1Error::Length {
        ai: ai.to_string(),
        min,
        max,
        found: value.len(),
    };
    let mut offset = 0;
    let mut date = None;
    for component in components(rule.spec) {
        let rest = &value[offset..];
        if rest.is_empty() && component.optional {
            break;
        }
        let take = if component.min == component.max {
            component.max
        } else {
            rest.len().min(component.max)
        };
        if rest.len() < take.max(component.min) {
            return Err(length_error());
        }
        let part = &rest[..take];
        // Base64 keeps `=` for padding at the end; anywhere else it is a wrong character.
        let base64 = component.charset == Charset::Base64Url;
        let padding = if base64 {
            part.bytes().rev().take_while(|&b| b == b'=').count()
        } else {
            0
        };
        let body = &part[..part.len() - padding];
        if let Some(index) = body
            .bytes()
            .position(|b| !component.charset.allows(b) || (base64 && b == b'='))
        {
            return Err(Gs1Error::Charset {
                ai: ai.to_string(),
                position: offset + index + 1,
                character: part.as_bytes()[index] as char,
                allowed: component.charset,
            });
        }
        if padding > 2 || (padding > 0 && !part.len().is_multiple_of(3)) {
            return Err(Gs1Error::Content {
                ai: ai.to_string(),
                value: part.to_string(),
                rule: ContentRule::Base64Padding,
            });
        }
        for linter in component.linters.split(',').filter(|l| !l.is_empty()) {
            if let Some(found) = lint(ai, linter, part)? {
                date = date.or(Some(found));
            }
        }
        offset += take;
    }
    if offset != value.len() {
        return Err(length_error());
    }
    Ok(date)
}

fn lint(ai: &str, linter: &str, part: &str) -> Result<Option<Gs1Date>, Gs1Error> {
    let date_error = |format| Gs1Error::Date {
        ai: ai.to_string(),
        value: part.to_string(),
        format,
    };
    match linter {
        "csum" => {
            let (body, last) = part.split_at(part.len().saturating_sub(1));
            let expected = gtin_check_digit(body)
                .map(|d| d.to_string())
                .unwrap_or_default();
            if expected != last {
                let found = last.to_string();
                return Err(Gs1Error::CheckDigit {
                    ai: ai.to_string(),
                    expected,
                    found,
                });
            }
        }
        "csumalpha" => {
            let (body, pair) = part.split_at(part.len().saturating_sub(2));
            let expected: String = check_character_pair(body)
                .filter(|_| pair.len() == 2)
                .map(String::from_iter)
                .unwrap_or_default();
            if expected != pair {
                let found = pair.to_string();
                return Err(Gs1Error::CheckDigit {
                    ai: ai.to_string(),
                    expected,
                    found,
                });
            }
        }
        "yymmd0" => {
            return Gs1Date::from_yymmdd(part, true)
                .map(Some)
                .ok_or_else(|| date_error("YYMMDD"));
        }
        "yymmdd" => {
            return Gs1Date::from_yymmdd(part, false)
                .map(Some)
                .ok_or_else(|| date_error("YYMMDD"));
        }
        "yyyymmdd" => {
            return Gs1Date::from_yyyymmdd(part)
                .map(Some)
                .ok_or_else(|| date_error("YYYYMMDD"));
        }
        _ => {
            if let Some((rule, false)) = content_rule(linter, part) {
                return Err(Gs1Error::Content {
                    ai: ai.to_string(),
                    value: part.to_string(),
                    rule,
                });
            }
        }
    }
    Ok(None)
}

/// The content rule a linter stands for and whether `part` keeps it; None for rules that
/// need reference lists (ISO 3166/4217 codes, GS1 Company Prefix positions, coupon and package
/// type codes), which are left to the issuer's systems.
fn content_rule(linter: &str, part: &str) -> Option<(ContentRule, bool)> {
    let number = |text: &str| text.parse::<u64>().ok();
    let below = |text: &str, limit| number(text).is_some_and(|v| v < limit);
    Some(match linter {
        "hhmi" => (
            ContentRule::Time,
            part.len() == 4 && below(&part[..2], 24) && below(&part[2..], 60),
        ),
        "hh" => (ContentRule::Time, below(part, 24)),
        "mi" | "ss" => (ContentRule::Time, below(part, 60)),
        "nonzero" => (ContentRule::NonZero, !part.bytes().all(|b| b == b'0')),
        "zero" => (ContentRule::Zero, part == "0"),
        "yesno" => (ContentRule::YesNo, matches!(part, "0" | "1")),
        "hyphen" => (ContentRule::Hyphen, part == "-"),
        "pieceoftotal" => {
            let (piece, total) = part.split_at(part.len() / 2);
            let ok =
                matches!((number(piece), number(total)), (Some(p), Some(t)) if p >= 1 && p <= t);
            (ContentRule::PieceOfTotal, ok)
        }
        "nozeroprefix" => (
            ContentRule::NoZeroPrefix,
            part == "0" || !part.starts_with('0'),
        ),
        "hasnondigit" => (
            ContentRule::HasNonDigit,
            part.bytes().any(|b| !b.is_ascii_digit()),
        ),
        "pcenc" => (ContentRule::PercentEncoding, percent_encoding_ok(part)),
        "latitude" => (
            ContentRule::Latitude,
            number(part).is_some_and(|v| v <= 1_800_000_000),
        ),
        "longitude" => (
            ContentRule::Longitude,
            number(part).is_some_and(|v| v <= 3_600_000_000),
        ),
        "winding" => (ContentRule::Winding, matches!(part, "0" | "1" | "9")),
        "iso5218" => (ContentRule::Sex, matches!(part, "0" | "1" | "2" | "9")),
        "mediatype" => {
            let ok = number(part).is_some_and(|v| (1..=10).contains(&v) || (80..=99).contains(&v));
            (ContentRule::MediaType, ok)
        }
        "posinseqslash" => (
            ContentRule::PositionInSequence,
            position_in_sequence_ok(part),
        ),
        "importeridx" => {
            let ok = part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            (ContentRule::ImporterIndex, ok)
        }
        "iban" => (ContentRule::Iban, iban_ok(part)),
        _ => return None,
    })
}

fn percent_encoding_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// `position/total`: both written without leading zeros, 1 ≤ position ≤ total.
fn position_in_sequence_ok(text: &str) -> bool {
    let Some((position, total)) = text.split_once('/') else {
        return false;
    };
    let number = |n: &str| {
        let plain = !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
        plain.then(|| n.parse::<u32>().ok()).flatten()
    };
    matches!((number(position), number(total)), (Some(p), Some(t)) if p <= t)
}

/// ISO 13616: country letters, two check digits, then letters and digits, mod 97 equal to 1.
fn iban_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < 5
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return false;
    }
    let rearranged = bytes[4..].iter().chain(&bytes[..4]);
    let remainder = rearranged.fold(0u32, |acc, &b| {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    });
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gs1::rules::rules;

    #[test]
    fn every_dictionary_format_is_understood() {
        for rule in rules() {
            let words = rule.spec.split_whitespace().count();
            assert_eq!(
                components(rule.spec).count(),
                words,
                "({}) {}",
                rule.ai,
                rule.spec
            );
            assert!(
                rule.ai.len() == rule.last.len() && rule.ai <= rule.last,
                "({})",
                rule.ai
            );
        }
    }

    /// Dictionary rules tem deliberately does not check: they need reference lists the widget
    /// does not carry.
    const UNCHECKED_LINTERS: &[&str] = &[
        "iso3166",
        "iso3166999",
        "iso3166alpha2",
        "iso4217",
        "gcppos1",
        "gcppos2",
        "couponcode",
        "couponposoffer",
        "packagetype",
    ];

    #[test]
    fn every_dictionary_content_rule_is_checked_or_knowingly_left_out() {
        const HANDLED_IN_LINT: &[&str] = &["csum", "csumalpha", "yymmd0", "yymmdd", "yyyymmdd"];
        for rule in rules() {
            for component in components(rule.spec) {
                for linter in component.linters.split(',').filter(|l| !l.is_empty()) {
                    assert!(
                        HANDLED_IN_LINT.contains(&linter)
                            || UNCHECKED_LINTERS.contains(&linter)
                            || content_rule(linter, "0").is_some(),
                        "({}) uses the unknown rule {linter}",
                        rule.ai
                    );
                }
            }
        }
    }

    #[test]
    fn each_content_rule_accepts_and_rejects_real_values() {
        let cases: &[(&str, &str, &str)] = &[
            // (AI, a valid value, an invalid value)
            ("7003", "2401011230", "2401012460"),
            ("8008", "24010112", "24010125"),
            ("8008", "2401011259", "2401011260"),
            ("8008", "240101125959", "240101125960"),
            ("8001", "12345678901201", "00005678901201"),
            ("8003", "0893601200001612", "1893601200001612"),
            ("4321", "1", "2"),
            ("4330", "001234-", "001234+"),
            ("8006", "089360123456740202", "089360123456740002"),
            ("8011", "12", "012"),
            ("8014", "1987654Ad4X4bL5ttr2310c2K", "1987654321"),
            ("4300", "ACME%20CORP", "ACME%2GCORP"),
            ("4309", "03574312970125001980", "18000000010125001980"),
            ("4309", "03574312973600000000", "03574312973600000001"),
            ("7252", "2", "3"),
            ("7241", "80", "11"),
            ("7258", "1/2", "3/2"),
            ("7258", "2/2", "01/"),
            ("7040", "1A-_", "1AB+"),
            ("8007", "GB82WEST12345698765432", "GB82WEST12345698765431"),
            ("8030", "12=", "123="),
            ("8030", "1==", "1=2"),
        ];
        for (ai, good, bad) in cases {
            assert!(
                validate(ai, good).is_ok(),
                "({ai}) {good}: {:?}",
                validate(ai, good)
            );
            assert!(validate(ai, bad).is_err(), "({ai}) {bad} should be refused");
        }
    }

    #[test]
    fn rules_needing_reference_lists_are_not_checked() {
        assert!(validate("422", "999").is_ok());
        assert!(validate("4307", "ZZ").is_ok());
    }

    #[test]
    fn optional_components_and_content_rules() {
        assert!(validate("7007", "240101").is_ok());
        assert!(validate("7007", "240101240131").is_ok());
        assert!(validate("7007", "2401012401").is_err());
        assert!(validate("8006", "089360123456740102").is_ok());
        assert!(matches!(
            validate("8006", "089360123456740302"),
            Err(Gs1Error::Content { .. })
        ));
        assert!(validate("8007", "GB82WEST12345698765432").is_ok());
        assert!(validate("8007", "GB82WEST12345698765433").is_err());
        assert!(matches!(
            validate("7003", "2401012460"),
            Err(Gs1Error::Content { .. })
        ));
    }
}
