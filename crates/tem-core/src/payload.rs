//! What a stamp's QR code (or a typed-in code) says: GS1 Digital Links, GS1 element strings,
//! GTINs, known Vietnamese platform URLs and bare trace codes. Anything else is "not a
//! traceability code" and is never opened.

use std::fmt;

use serde::Serialize;

use crate::gs1;

/// Longest input considered: real stamps carry a few hundred bytes at most.
const MAX_INPUT: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PayloadKind {
    DigitalLink,
    ElementString,
    Gtin,
    PlatformUrl { platform: &'static str },
    TraceCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Element {
    pub ai: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// A 13-digit GTIN where the standard asks for 14 digits.
    PaddedGtin { given: String },
    /// `/gtin/…/lot/…` instead of the numeric AIs.
    DeprecatedAlias { alias: String },
    /// The link is plain HTTP, so anyone on the network could have changed what it shows.
    NotHttps,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::PaddedGtin { given } => {
                write!(
                    f,
                    "GTIN {given} has 13 digits; read as 0{given} (the standard form has 14)"
                )
            }
            Warning::DeprecatedAlias { alias } => {
                write!(
                    f,
                    "the link uses the outdated path alias '{alias}' instead of a GS1 AI number"
                )
            }
            Warning::NotHttps => write!(f, "the link is not HTTPS"),
        }
    }
}

impl Warning {
    pub fn message_vi(&self) -> String {
        match self {
            Warning::PaddedGtin { given } => {
                format!("GTIN {given} chỉ có 13 chữ số; được đọc là 0{given} (chuẩn là 14 chữ số)")
            }
            Warning::DeprecatedAlias { alias } => {
                format!("đường dẫn dùng bí danh cũ '{alias}' thay cho số AI của GS1")
            }
            Warning::NotHttps => "đường dẫn không dùng HTTPS".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PayloadError {
    Empty,
    TooLong {
        length: usize,
    },
    /// Text that is none of the forms a traceability stamp uses; kept for display only.
    NotTraceability {
        raw: String,
    },
    /// A GS1 value that breaks its rule.
    InvalidElement {
        ai: String,
        field: &'static str,
        rule: String,
    },
    UnknownAi {
        ai: String,
    },
    /// A Digital Link path whose keys are missing, repeated or out of order.
    BadPath {
        detail: String,
    },
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::Empty => write!(f, "the code is empty"),
            PayloadError::TooLong { length } => {
                write!(
                    f,
                    "the code is {length} characters long; stamps carry at most {MAX_INPUT}"
                )
            }
            PayloadError::NotTraceability { .. } => write!(f, "not a traceability code"),
            PayloadError::InvalidElement { ai, field, rule } => {
                write!(f, "{field} (AI {ai}): {rule}")
            }
            PayloadError::UnknownAi { ai } => {
                write!(f, "unknown GS1 Application Identifier ({ai})")
            }
            PayloadError::BadPath { detail } => write!(f, "Digital Link path: {detail}"),
        }
    }
}

impl std::error::Error for PayloadError {}

impl PayloadError {
    pub fn message_vi(&self) -> String {
        match self {
            PayloadError::Empty => "mã trống".into(),
            PayloadError::TooLong { length } => {
                format!("mã dài {length} ký tự; tem chỉ chứa tối đa {MAX_INPUT}")
            }
            PayloadError::NotTraceability { .. } => "đây không phải mã truy xuất nguồn gốc".into(),
            PayloadError::InvalidElement { ai, field, rule } => {
                format!("{field} (AI {ai}) không hợp lệ: {rule}")
            }
            PayloadError::UnknownAi { ai } => format!("không có mã ứng dụng GS1 ({ai})"),
            PayloadError::BadPath { detail } => format!("đường dẫn Digital Link sai: {detail}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payload {
    pub kind: PayloadKind,
    pub elements: Vec<Element>,
    /// The domain the code points at, lowercased: always shown, never opened by itself.
    pub host: Option<String>,
    pub warnings: Vec<Warning>,
    pub raw: String,
}

impl Payload {
    pub fn get(&self, ai: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|e| e.ai == ai)
            .map(|e| e.value.as_str())
    }

    pub fn gtin(&self) -> Option<&str> {
        self.get("01")
    }

    pub fn lot(&self) -> Option<&str> {
        self.get("10")
    }

    pub fn serial(&self) -> Option<&str> {
        self.get("21")
    }

    /// AI 17; a day of 00 means the last day of the month.
    pub fn expiry(&self) -> Option<Gs1Date> {
        gs1::date(self.get("17")?)
    }

    /// The canonical Digital Link path of the primary key and its qualifiers, percent-encoded,
    /// for asking a resolver; None when the code has no GS1 primary key.
    pub fn resolver_path(&self) -> Option<String> {
        let key = self.elements.iter().find(|e| gs1::is_primary_key(&e.ai))?;
        let mut path = format!("/{}/{}", key.ai, encode_segment(&key.value));
        for qualifier in gs1::qualifiers(&key.ai) {
            if let Some(value) = self.get(qualifier) {
                path.push_str(&format!("/{qualifier}/{}", encode_segment(value)));
            }
        }
        Some(path)
    }

    /// This payload as a Digital Link on `base` (e.g. `https://id.gs1.org`), data attributes
    /// in the query.
    pub fn to_digital_link(&self, base: &str) -> Option<String> {
        let mut link = format!("{}{}", base.trim_end_matches('/'), self.resolver_path()?);
        let key = self.elements.iter().find(|e| gs1::is_primary_key(&e.ai))?;
        let in_path: Vec<&str> = gs1::qualifiers(&key.ai).to_vec();
        let mut separator = '?';
        for element in &self.elements {
            if element.ai != key.ai && !in_path.contains(&element.ai.as_str()) {
                link.push_str(&format!(
                    "{separator}{}={}",
                    element.ai,
                    encode_segment(&element.value)
                ));
                separator = '&';
            }
        }
        Some(link)
    }
}

/// Parses what a stamp's QR code or a shopper's typing gives.
pub fn parse(input: &str) -> Result<Payload, PayloadError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(PayloadError::Empty);
    }
    if text.len() > MAX_INPUT {
        return Err(PayloadError::TooLong { length: text.len() });
    }
    let raw = text.to_string();
    if let Some((scheme, rest)) = split_scheme(text) {
        return parse_url(scheme, rest, raw);
    }
    if let Some(elements) = gs1::parse_element_string(text)? {
        let elements = canonical_order(elements);
        return Ok(Payload {
            kind: PayloadKind::ElementString,
            elements,
            host: None,
            warnings: vec![],
            raw,
        });
    }
    if text.bytes().all(|b| b.is_ascii_digit()) && matches!(text.len(), 8 | 12 | 13 | 14) {
        let gtin = format!("{text:0>14}");
        gs1::validate("01", &gtin)?;
        let elements = vec![Element {
            ai: "01".into(),
            value: gtin,
        }];
        return Ok(Payload {
            kind: PayloadKind::Gtin,
            elements,
            host: None,
            warnings: vec![],
            raw,
        });
    }
    if is_trace_code(text) {
        return Ok(Payload {
            kind: PayloadKind::TraceCode,
            elements: vec![],
            host: None,
            warnings: vec![],
            raw,
        });
    }
    Err(PayloadError::NotTraceability { raw })
}

/// Typed-in record numbers: letters, digits and a few separators, as printed under stamps.
fn is_trace_code(text: &str) -> bool {
    (4..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && text.bytes().any(|b| b.is_ascii_digit())
}

fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "https" => Some(("https", rest)),
        "http" => Some(("http", rest)),
        _ => None,
    }
}

/// Vietnamese traceability platforms recognised by host; their paths are opaque to us.
const PLATFORMS: &[(&str, &str)] = &[
    (
        "truyxuatnguongoc.gov.vn",
        "Cổng truy xuất nguồn gốc quốc gia",
    ),
    ("verigoods.vn", "VeriGoods"),
    ("ndatrace.vn", "NDATrace"),
    ("vnptcheck.vn", "VNPT Check"),
    ("icheck.vn", "iCheck"),
    ("check.net.vn", "check.net.vn"),
];

fn parse_url(scheme: &str, rest: &str, raw: String) -> Result<Payload, PayloadError> {
    let not_traceability = || PayloadError::NotTraceability { raw: raw.clone() };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') || authority.is_empty() {
        // user-info in a stamp URL is a classic way to disguise the real host.
        return Err(not_traceability());
    }
    let host = authority
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(not_traceability());
    }
    let after = &rest[end..];
    let (path_and_query, _fragment) = after.split_once('#').unwrap_or((after, ""));
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut warnings = Vec::new();
    if scheme == "http" {
        warnings.push(Warning::NotHttps);
    }
    match digital_link(path, query, &mut warnings)? {
        Some(elements) => Ok(Payload {
            kind: PayloadKind::DigitalLink,
            elements,
            host: Some(host),
            warnings,
            raw,
        }),
        None => {
            let platform = PLATFORMS
                .iter()
                .find(|(domain, _)| host == *domain || host.ends_with(&format!(".{domain}")))
                .map(|(_, name)| *name)
                .ok_or_else(not_traceability)?;
            Ok(Payload {
                kind: PayloadKind::PlatformUrl { platform },
                elements: vec![],
                host: Some(host),
                warnings,
                raw,
            })
        }
    }
}

/// The GS1 key-value pairs of a Digital Link path (any prefix before the primary key), or None
/// when the path holds no GS1 primary key.
fn digital_link(
    path: &str,
    query: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Vec<Element>>, PayloadError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(start) = segments
        .iter()
        .position(|s| gs1::is_primary_key(alias(s).unwrap_or(s)))
    else {
        return Ok(None);
    };
    let pairs = &segments[start..];
    if !pairs.len().is_multiple_of(2) {
        return Err(PayloadError::BadPath {
            detail: format!("'{}' has no value", pairs[pairs.len() - 1]),
        });
    }
    let mut elements = Vec::new();
    for pair in pairs.chunks(2) {
        let ai = match alias(pair[0]) {
            Some(ai) => {
                warnings.push(Warning::DeprecatedAlias {
                    alias: pair[0].to_string(),
                });
                ai.to_string()
            }
            None => pair[0].to_string(),
        };
        let mut value = percent_decode(pair[1]).ok_or_else(|| PayloadError::BadPath {
            detail: format!("the value of AI {ai} is not valid percent-encoded UTF-8"),
        })?;
        if ai == "01" && value.len() == 13 && value.bytes().all(|b| b.is_ascii_digit()) {
            warnings.push(Warning::PaddedGtin {
                given: value.clone(),
            });
            value.insert(0, '0');
        }
        elements.push(Element { ai, value });
    }
    let key = elements[0].ai.clone();
    let allowed = gs1::qualifiers(&key);
    let mut last_position = None;
    for element in &elements[1..] {
        let position = allowed
            .iter()
            .position(|q| *q == element.ai)
            .ok_or_else(|| PayloadError::BadPath {
                detail: format!("AI {} cannot qualify key AI {key}", element.ai),
            })?;
        if last_position.is_some_and(|last| position <= last) {
            return Err(PayloadError::BadPath {
                detail: format!(
                    "key qualifiers of AI {key} must come in the order {}",
                    allowed.join(", ")
                ),
            });
        }
        last_position = Some(position);
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        // Only numeric AIs are GS1 data; other parameters (linkType, tracking tags) are ignored.
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if elements.iter().any(|e| e.ai == name) {
            return Err(PayloadError::BadPath {
                detail: format!("AI {name} is given twice"),
            });
        }
        let value =
            percent_decode(&value.replace('+', " ")).ok_or_else(|| PayloadError::BadPath {
                detail: format!("the value of AI {name} is not valid percent-encoded UTF-8"),
            })?;
        elements.push(Element {
            ai: name.to_string(),
            value,
        });
    }
    for element in &elements {
        gs1::validate(&element.ai, &element.value)?;
    }
    Ok(Some(elements))
}

fn alias(segment: &str) -> Option<&'static str> {
    match segment {
        "gtin" => Some("01"),
        "lot" | "batch" => Some("10"),
        "ser" | "serial" => Some("21"),
        "cpv" => Some("22"),
        "gln" => Some("414"),
        "sscc" => Some("00"),
        _ => None,
    }
}

/// Element strings list AIs in any order; tem shows and looks them up key first.
fn canonical_order(mut elements: Vec<Element>) -> Vec<Element> {
    let key = elements
        .iter()
        .find(|e| gs1::is_primary_key(&e.ai))
        .map(|e| e.ai.clone());
    let qualifiers = key.as_deref().map_or(&[][..], gs1::qualifiers);
    elements.sort_by_key(|e| {
        if Some(&e.ai) == key.as_ref() {
            (0, 0)
        } else if let Some(position) = qualifiers.iter().position(|q| *q == e.ai) {
            (1, position)
        } else {
            (2, 0)
        }
    });
    elements
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_examples_parse_with_their_keys() {
        let p = parse("https://id.gs1.org/01/08936012345674/10/L2401A/21/ABC123").unwrap();
        assert_eq!(
            (p.gtin(), p.lot(), p.serial()),
            (Some("08936012345674"), Some("L2401A"), Some("ABC123"))
        );
        assert_eq!(p.host.as_deref(), Some("id.gs1.org"));
        let p = parse(
            "https://brand.example.vn/p/01/08936012345674/10/LOT%2F25?17=261231&linkType=all",
        )
        .unwrap();
        assert_eq!(p.lot(), Some("LOT/25"));
        assert_eq!(
            p.expiry().map(|d| d.to_string()).as_deref(),
            Some("2026-12-31")
        );
        assert_eq!(
            p.resolver_path().as_deref(),
            Some("/01/08936012345674/10/LOT%2F25")
        );
        assert_eq!(
            parse("https://id.gs1.org/414/8936012000016/254/KHO-01")
                .unwrap()
                .get("254"),
            Some("KHO-01")
        );
        assert_eq!(
            parse("https://id.gs1.org/00/389360123456789017")
                .unwrap()
                .get("00"),
            Some("389360123456789017")
        );
    }

    #[test]
    fn a_wrong_check_digit_names_the_right_one() {
        let error = parse("https://id.gs1.org/01/08936012345677").unwrap_err();
        assert_eq!(
            error.to_string(),
            "GTIN (AI 01): check digit should be 4, found 7"
        );
    }

    #[test]
    fn lenient_vietnamese_forms_are_accepted_with_a_warning() {
        let p = parse("https://example.vn/gtin/8936012345674/lot/A1").unwrap();
        assert_eq!(p.gtin(), Some("08936012345674"));
        assert!(
            p.warnings
                .iter()
                .any(|w| matches!(w, Warning::PaddedGtin { .. }))
        );
        assert!(
            p.warnings
                .iter()
                .any(|w| matches!(w, Warning::DeprecatedAlias { .. }))
        );
    }

    #[test]
    fn qualifiers_out_of_order_are_rejected() {
        assert!(matches!(
            parse("https://id.gs1.org/01/08936012345674/21/S1/10/L1"),
            Err(PayloadError::BadPath { .. })
        ));
    }

    #[test]
    fn element_strings_in_every_notation_agree() {
        let gs = '\u{1d}';
        for text in [
            format!("]Q3010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
            format!("010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
            "(01)08936012345674(17)261231(10)L1(21)S1".to_string(),
        ] {
            let p = parse(&text).unwrap();
            assert_eq!(
                (p.gtin(), p.lot(), p.serial()),
                (Some("08936012345674"), Some("L1"), Some("S1")),
                "{text}"
            );
            assert_eq!(
                p.resolver_path().as_deref(),
                Some("/01/08936012345674/10/L1/21/S1")
            );
        }
    }

    #[test]
    fn typed_numbers_are_gtins_and_platform_urls_are_named() {
        assert_eq!(
            parse("8936012345674").unwrap().gtin(),
            Some("08936012345674")
        );
        let p = parse("https://hungyen.check.net.vn/abc/123").unwrap();
        assert_eq!(
            p.kind,
            PayloadKind::PlatformUrl {
                platform: "check.net.vn"
            }
        );
        assert_eq!(p.resolver_path(), None);
    }

    #[test]
    fn hostile_text_is_not_a_traceability_code() {
        for hostile in [
            "javascript:alert(1)",
            "<script>alert(1)</script>",
            "https://id.gs1.org@evil.example/01/08936012345674",
            "https://evil.example/phish",
            "data:text/html,hi",
            "hello world",
        ] {
            assert!(
                matches!(parse(hostile), Err(PayloadError::NotTraceability { .. })),
                "{hostile}"
            );
        }
        assert!(matches!(
            parse(&"1".repeat(10_000)),
            Err(PayloadError::TooLong { .. })
        ));
    }

    #[test]
    fn digital_links_round_trip() {
        let p =
            parse("https://id.gs1.org/01/08936012345674/10/L%2B1/21/S%2F1?17=270600&3103=000500")
                .unwrap();
        let link = p.to_digital_link("https://id.gs1.org").unwrap();
        assert_eq!(parse(&link).unwrap().elements, p.elements);
        assert_eq!(p.expiry().unwrap().to_string(), "2027-06-30");
    }
}
