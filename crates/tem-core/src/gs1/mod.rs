//! GS1 Application Identifier rules, read from a table generated from the GS1 Barcode Syntax
//! Dictionary: formats, character sets, check digits, dates, Digital Link primary keys and
//! their qualifiers, and which AIs require or exclude each other.

use std::fmt;

use serde::Serialize;

mod table;

/// One dictionary entry, for a single AI or a range of AIs of the same length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub ai: &'static str,
    pub last: &'static str,
    /// Predefined length: no FNC1/GS separator follows it in an element string.
    pub fixed: bool,
    /// Allowed as a Digital Link data attribute (in the query).
    pub dl_attribute: bool,
    /// Components such as `N13,csum,gcppos1 [X..17]`.
    pub spec: &'static str,
    /// `Some` for Digital Link primary keys: the allowed qualifier sequences, `|`-separated.
    pub dl_key: Option<&'static str>,
    /// Space-separated groups that must each be satisfied; in a group `,` separates
    /// alternatives and `+` joins AIs that must appear together.
    pub req: &'static str,
    pub ex: &'static str,
    pub title: &'static str,
}

/// The dictionary rule for an AI, None when the AI is not defined.
pub fn rule(ai: &str) -> Option<&'static Rule> {
    if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    table::RULES
        .iter()
        .find(|r| r.ai.len() == ai.len() && r.ai <= ai && ai <= r.last)
}

/// The AI that starts an element string. GS1 AIs are prefix-free, so at most one length fits.
pub fn ai_at_start(data: &str) -> Option<(&str, &'static Rule)> {
    (2..=4).find_map(|len| {
        let ai = data.get(..len)?;
        rule(ai).map(|r| (ai, r))
    })
}

/// The length of the AIs that start with `prefix` (GS1 AIs sharing their first two digits
/// share their length), None when no AI starts so.
pub fn ai_length(prefix: &str) -> Option<usize> {
    table::RULES
        .iter()
        .find(|r| r.ai.starts_with(prefix))
        .map(|r| r.ai.len())
}

pub fn is_primary_key(ai: &str) -> bool {
    rule(ai).is_some_and(|r| r.dl_key.is_some())
}

/// The qualifier sequences allowed after a primary key, e.g. `[[22, 10, 21], [235]]` for a GTIN;
/// empty for an AI that is not a key or takes no qualifiers.
pub fn qualifier_sequences(ai: &str) -> Vec<Vec<&'static str>> {
    match rule(ai).and_then(|r| r.dl_key) {
        Some(spec) if !spec.is_empty() => spec
            .split('|')
            .map(|seq| seq.split(',').collect())
            .collect(),
        _ => Vec::new(),
    }
}

/// Where the GS1 Company Prefix starts in a key's value (0-based), from the dictionary's
/// `gcpposN` flag: 1 for a GTIN or an SSCC (after the indicator or extension digit), 0 for a
/// GLN, 1 for a GRAI (after its leading zero). None when the AI holds no company prefix.
pub fn company_prefix_start(ai: &str) -> Option<usize> {
    let mut offset: usize = 0;
    for component in rule(ai)?.spec.split_whitespace() {
        let mut flags = component.split(',');
        let format = flags.next()?;
        if let Some(position) = flags.find_map(|flag| flag.strip_prefix("gcppos")) {
            return offset.checked_add(position.parse::<usize>().ok()?.checked_sub(1)?);
        }
        // Only a fixed-length component before the prefix lets its position be known.
        offset += format.get(1..)?.parse::<usize>().ok()?;
    }
    None
}

/// True when `ai` can qualify any key at all; such AIs belong in a Digital Link path.
pub fn is_key_qualifier(ai: &str) -> bool {
    table::RULES
        .iter()
        .filter_map(|r| r.dl_key)
        .any(|spec| spec.split(['|', ',']).any(|q| q == ai))
}

/// How people name an AI in messages: the key's own name where it has a well-known one.
pub fn field_name(ai: &str) -> String {
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
        _ => "",
    };
    if !key.is_empty() {
        return key.to_string();
    }
    match rule(ai) {
        Some(rule) if !rule.title.is_empty() => format!("AI ({ai}) {}", rule.title),
        _ => format!("AI ({ai})"),
    }
}

/// The GS1 mod-10 check digit of `digits` (the key without its check digit); the same rule
/// serves GTIN, GLN, SSCC, GSRN, GDTI and GRAI. None unless all characters are digits.
pub fn gtin_check_digit(digits: &str) -> Option<u8> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Weights alternate 3, 1, … starting from the digit next to the check digit.
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    Some(((10 - sum % 10) % 10) as u8)
}

/// True when the last digit of `key` is its correct mod-10 check digit.
pub fn has_valid_check_digit(key: &str) -> bool {
    match key.as_bytes().split_last() {
        Some((&last, body)) if last.is_ascii_digit() => {
            std::str::from_utf8(body).ok().and_then(gtin_check_digit) == Some(last - b'0')
        }
        _ => false,
    }
}

/// GS1 AI encodable character set 82, in the order that gives each character its value for
/// check character pairs.
const CSET82: &[u8] =
    b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET32: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// The two check characters that end a GMN or MUDI (GS1 General Specifications 7.9.5).
pub fn check_character_pair(body: &str) -> Option<[char; 2]> {
    const PRIMES: [u32; 23] = [
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83,
    ];
    if body.len() > PRIMES.len() {
        return None;
    }
    let mut sum = 0u32;
    for (byte, weight) in body.bytes().rev().zip(PRIMES) {
        let value = CSET82.iter().position(|&c| c == byte)? as u32;
        sum += value * weight;
    }
    let sum = (sum % 1021) as usize;
    Some([CSET32[sum / 32] as char, CSET32[sum % 32] as char])
}

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

/// Why a GS1 value is wrong, naming the field and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gs1Error {
    UnknownAi {
        ai: String,
    },
    Empty {
        ai: String,
    },
    Length {
        ai: String,
        min: usize,
        max: usize,
        found: usize,
    },
    Charset {
        ai: String,
        position: usize,
        character: char,
        allowed: Charset,
    },
    CheckDigit {
        ai: String,
        expected: String,
        found: String,
    },
    Date {
        ai: String,
        value: String,
        format: &'static str,
    },
    /// A content rule of the dictionary other than length, characters, check digit or date.
    Content {
        ai: String,
        value: String,
        rule: ContentRule,
    },
    Duplicate {
        ai: String,
    },
    Requires {
        ai: String,
        alternatives: String,
    },
    Excludes {
        ai: String,
        other: String,
    },
}

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
    fn english(self) -> &'static str {
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

    fn vietnamese(self) -> &'static str {
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

    fn english(self) -> &'static str {
        match self {
            Charset::Digits => "digits only",
            Charset::Cset82 => "GS1 character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_)",
            Charset::Cset39 => "GS1 character set 39 (capitals, digits, # - /)",
            Charset::Base64Url => "URL-safe base64 (letters, digits, - _ =)",
        }
    }

    fn vietnamese(self) -> &'static str {
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

impl Gs1Error {
    /// A stable machine-readable name for the rule that was broken.
    pub fn code(&self) -> &'static str {
        match self {
            Gs1Error::UnknownAi { .. } => "unknown_ai",
            Gs1Error::Empty { .. } => "empty_value",
            Gs1Error::Length { .. } => "length",
            Gs1Error::Charset { .. } => "charset",
            Gs1Error::CheckDigit { .. } => "check_digit",
            Gs1Error::Date { .. } => "date",
            Gs1Error::Content { .. } => "content",
            Gs1Error::Duplicate { .. } => "duplicate_ai",
            Gs1Error::Requires { .. } => "requires_ai",
            Gs1Error::Excludes { .. } => "excludes_ai",
        }
    }

    pub fn ai(&self) -> &str {
        match self {
            Gs1Error::UnknownAi { ai }
            | Gs1Error::Empty { ai }
            | Gs1Error::Length { ai, .. }
            | Gs1Error::Charset { ai, .. }
            | Gs1Error::CheckDigit { ai, .. }
            | Gs1Error::Date { ai, .. }
            | Gs1Error::Content { ai, .. }
            | Gs1Error::Duplicate { ai }
            | Gs1Error::Requires { ai, .. }
            | Gs1Error::Excludes { ai, .. } => ai,
        }
    }

    pub fn message_vi(&self) -> String {
        let field = field_name(self.ai());
        match self {
            Gs1Error::UnknownAi { ai } => format!("({ai}) không phải mã ứng dụng (AI) GS1"),
            Gs1Error::Empty { .. } => format!("{field} không có giá trị"),
            Gs1Error::Length {
                ai,
                min,
                max,
                found,
            } => {
                let unit = if numeric(ai) {
                    "chữ số"
                } else {
                    "ký tự"
                };
                format!(
                    "{field} phải có {} {unit}, nhưng có {found}",
                    span(*min, *max, "đến")
                )
            }
            Gs1Error::Charset {
                position,
                character,
                allowed,
                ..
            } => format!(
                "{field}: ký tự {character:?} ở vị trí {position} không được phép ({})",
                allowed.vietnamese()
            ),
            Gs1Error::CheckDigit {
                expected, found, ..
            } => {
                format!("Số kiểm tra của {field} phải là {expected}, nhưng là {found}")
            }
            Gs1Error::Date { value, format, .. } => {
                format!("{field} phải là một ngày dạng {format}, nhưng là {value}")
            }
            Gs1Error::Content { value, rule, .. } => {
                format!("{field} phải là {}, nhưng là {value}", rule.vietnamese())
            }
            Gs1Error::Duplicate { .. } => {
                format!("{field} xuất hiện nhiều lần")
            }
            Gs1Error::Requires { alternatives, .. } => {
                format!("{field} chỉ dùng kèm với {alternatives}")
            }
            Gs1Error::Excludes { other, .. } => {
                format!("{field} không được dùng cùng {}", field_name(other))
            }
        }
    }
}

/// True when every part of the AI's format is digits, so lengths are counted in digits.
fn numeric(ai: &str) -> bool {
    rule(ai).is_some_and(|r| components(r.spec).all(|c| c.charset == Charset::Digits))
}

fn span(min: usize, max: usize, to: &str) -> String {
    if min == max {
        min.to_string()
    } else {
        format!("{min} {to} {max}")
    }
}

impl fmt::Display for Gs1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = field_name(self.ai());
        match self {
            Gs1Error::UnknownAi { ai } => write!(f, "({ai}) is not a GS1 Application Identifier"),
            Gs1Error::Empty { .. } => write!(f, "{field} has no value"),
            Gs1Error::Length {
                ai,
                min,
                max,
                found,
            } => {
                let unit = if numeric(ai) { "digits" } else { "characters" };
                write!(
                    f,
                    "{field} should have {} {unit}, found {found}",
                    span(*min, *max, "to")
                )
            }
            Gs1Error::Charset {
                position,
                character,
                allowed,
                ..
            } => write!(
                f,
                "{field}: character {character:?} at position {position} is not allowed ({})",
                allowed.english()
            ),
            Gs1Error::CheckDigit {
                expected, found, ..
            } => {
                write!(f, "{field} check digit should be {expected}, found {found}")
            }
            Gs1Error::Date { value, format, .. } => {
                write!(f, "{field} should be a date {format}, found {value}")
            }
            Gs1Error::Content { value, rule, .. } => {
                write!(f, "{field} should be {}, found {value}", rule.english())
            }
            Gs1Error::Duplicate { .. } => write!(f, "{field} appears more than once"),
            Gs1Error::Requires { alternatives, .. } => {
                write!(f, "{field} is only valid together with {alternatives}")
            }
            Gs1Error::Excludes { other, .. } => {
                write!(
                    f,
                    "{field} cannot be used together with {}",
                    field_name(other)
                )
            }
        }
    }
}

impl std::error::Error for Gs1Error {}

/// One part of a format specification such as `N3,iso3166` or `[X..17]`.
struct Component<'a> {
    charset: Charset,
    min: usize,
    max: usize,
    optional: bool,
    linters: &'a str,
}

fn components(spec: &str) -> impl Iterator<Item = Component<'_>> {
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
    let (min, max) = length_bounds(rule);
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

/// Checks that each AI's required companions are present and no excluded AI is, over all
/// the AIs one stamp carries.
pub fn check_pairings(ais: &[&str]) -> Result<(), Gs1Error> {
    for (index, ai) in ais.iter().enumerate() {
        if ais[..index].contains(ai) {
            return Err(Gs1Error::Duplicate { ai: ai.to_string() });
        }
    }
    for &ai in ais {
        let Some(rule) = rule(ai) else { continue };
        for group in rule.req.split_whitespace() {
            let satisfied = group.split(',').any(|alternative| {
                alternative
                    .split('+')
                    .all(|needed| ais.iter().any(|a| matches_pattern(a, needed)))
            });
            if !satisfied {
                let alternatives = group
                    .split(',')
                    .map(|alternative| {
                        alternative
                            .split('+')
                            .map(|a| format!("({a})"))
                            .collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join(" or ");
                return Err(Gs1Error::Requires {
                    ai: ai.to_string(),
                    alternatives,
                });
            }
        }
        for pattern in rule.ex.split([' ', ',']).filter(|p| !p.is_empty()) {
            if let Some(other) = ais
                .iter()
                .find(|a| **a != ai && matches_pattern(a, pattern))
            {
                return Err(Gs1Error::Excludes {
                    ai: ai.to_string(),
                    other: other.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// `n` in a dictionary pattern such as `310n` stands for any digit.
fn matches_pattern(ai: &str, pattern: &str) -> bool {
    ai.len() == pattern.len()
        && ai
            .bytes()
            .zip(pattern.bytes())
            .all(|(a, p)| p == b'n' || a == p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_company_prefix_starts_where_the_dictionary_says() {
        assert_eq!(company_prefix_start("01"), Some(1));
        assert_eq!(company_prefix_start("00"), Some(1));
        assert_eq!(company_prefix_start("414"), Some(0));
        assert_eq!(company_prefix_start("8003"), Some(1));
        assert_eq!(company_prefix_start("8004"), Some(0));
        assert_eq!(company_prefix_start("10"), None);
        for rule in table::RULES.iter().filter(|r| r.dl_key.is_some()) {
            assert!(company_prefix_start(rule.ai).is_some(), "({})", rule.ai);
        }
    }

    #[test]
    fn every_dictionary_format_is_understood() {
        for rule in table::RULES {
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
        for rule in table::RULES {
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
    fn mod10_check_digits_of_known_keys() {
        assert_eq!(gtin_check_digit("0893601234567"), Some(4));
        assert_eq!(gtin_check_digit("38936012345678901"), Some(7));
        assert_eq!(gtin_check_digit("893601200001"), Some(6));
        assert_eq!(gtin_check_digit("12a"), None);
        assert!(has_valid_check_digit("08936012345674"));
        assert!(!has_valid_check_digit("08936012345677"));
    }

    #[test]
    fn gmn_check_character_pair_from_the_general_specifications() {
        assert_eq!(
            check_character_pair("1987654Ad4X4bL5ttr2310c"),
            Some(['2', 'K'])
        );
        assert!(validate("8013", "1987654Ad4X4bL5ttr2310c2K").is_ok());
        assert!(matches!(
            validate("8013", "1987654Ad4X4bL5ttr2310c2L"),
            Err(Gs1Error::CheckDigit { .. })
        ));
    }

    #[test]
    fn ranges_and_lengths_come_from_the_dictionary() {
        assert_eq!(rule("3103").map(|r| r.title), Some("NET WEIGHT (kg)"));
        assert!(rule("3106").is_none());
        assert_eq!(ai_at_start("3103000500").map(|(ai, _)| ai), Some("3103"));
        assert_eq!(length_bounds(rule("253").unwrap()), (13, 30));
        assert_eq!(
            qualifier_sequences("01"),
            vec![vec!["22", "10", "21"], vec!["235"]]
        );
        assert!(qualifier_sequences("00").is_empty() && is_primary_key("00"));
        assert!(is_key_qualifier("254") && !is_key_qualifier("17"));
    }

    #[test]
    fn messages_name_the_field_and_the_rule() {
        let error = validate("01", "08936012345677").unwrap_err();
        assert_eq!(error.to_string(), "GTIN check digit should be 4, found 7");
        assert_eq!(
            error.message_vi(),
            "Số kiểm tra của GTIN phải là 4, nhưng là 7"
        );
        assert_eq!(
            validate("01", "893601234567").unwrap_err().to_string(),
            "GTIN should have 14 digits, found 12"
        );
        assert_eq!(
            validate("10", "LÔ1").unwrap_err().to_string(),
            "AI (10) BATCH/LOT: character 'Ô' at position 2 is not allowed (GS1 character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_))"
        );
        assert_eq!(
            validate("17", "261331").unwrap_err().to_string(),
            "AI (17) USE BY or EXPIRY should be a date YYMMDD, found 261331"
        );
    }

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

    #[test]
    fn pairings_follow_req_and_ex() {
        assert!(check_pairings(&["01", "10", "17", "21"]).is_ok());
        assert_eq!(
            check_pairings(&["10"]).unwrap_err().to_string(),
            "AI (10) BATCH/LOT is only valid together with (01) or (02) or (03) or (8006) or (8026)"
        );
        assert!(matches!(
            check_pairings(&["01", "3103", "3102"]),
            Err(Gs1Error::Excludes { .. })
        ));
        assert!(matches!(
            check_pairings(&["01", "21", "235"]),
            Err(Gs1Error::Excludes { .. })
        ));
        assert!(matches!(
            check_pairings(&["01", "01"]),
            Err(Gs1Error::Duplicate { .. })
        ));
    }
}
