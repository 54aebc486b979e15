//! What a stamp's QR code (or a typed-in code) says: GS1 Digital Links (plain and
//! compressed), GS1 element strings, GTINs, known Vietnamese platform URLs and bare trace
//! codes. Anything else is "not a traceability code": kept for display, never opened.

use serde::Serialize;

use crate::gs1::{self, Gs1Date};

mod compressed;
mod digital_link;
mod element_string;
mod error;
mod host;
mod platform;

pub use error::{MAX_INPUT, PayloadError, Warning};
pub use platform::Platform;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PayloadKind {
    DigitalLink,
    /// A Digital Link whose AIs are packed into a base64 path segment.
    CompressedDigitalLink,
    ElementString,
    /// An EAN-8, UPC-A, EAN-13 or GTIN-14 number on its own.
    Gtin,
    /// A link to a known Vietnamese traceability system; `code` is that system's own
    /// identifier, opaque to tem.
    PlatformUrl {
        platform: Platform,
        code: String,
    },
    /// A code typed by hand from under a stamp, looked up by the portal as is.
    TraceCode,
    /// A compact JWS; `elements` and `host` come from the signed text when it is itself a
    /// stamp payload. The signature is not checked here: until the verdict checks it against
    /// the trust list, the content is only a claim.
    SignedJws {
        alg: String,
        kid: Option<String>,
    },
}

/// One GS1 Application Identifier and its value, with the date it carries where the AI is a
/// date (`DD = 00` already resolved to the month's last day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Element {
    pub ai: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Gs1Date>,
}

impl Element {
    /// An element checked against the GS1 syntax dictionary.
    pub fn new(ai: &str, value: &str) -> Result<Element, PayloadError> {
        let date = gs1::validate(ai, value)?;
        Ok(Element {
            ai: ai.to_string(),
            value: value.to_string(),
            date,
        })
    }

    pub fn title(&self) -> &'static str {
        gs1::rule(&self.ai).map_or("", |r| r.title)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payload {
    pub kind: PayloadKind,
    /// Primary key first, then its qualifiers in the standard order, then data attributes by AI.
    pub elements: Vec<Element>,
    /// The domain the code points at, lowercase ASCII (`xn--` for international names):
    /// always shown to the shopper, never opened by itself.
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

    /// The 14-digit GTIN (AI 01).
    pub fn gtin(&self) -> Option<&str> {
        self.get("01")
    }

    pub fn lot(&self) -> Option<&str> {
        self.get("10")
    }

    pub fn serial(&self) -> Option<&str> {
        self.get("21")
    }

    /// The expiry date (AI 17); `DD = 00` means the last day of the month.
    pub fn expiry(&self) -> Option<Gs1Date> {
        self.elements
            .iter()
            .find(|e| e.ai == "17")
            .and_then(|e| e.date)
    }

    /// The GS1 primary key: the first element when the payload has one.
    pub fn primary_key(&self) -> Option<&Element> {
        self.elements.first().filter(|e| gs1::is_primary_key(&e.ai))
    }

    /// The canonical Digital Link path for a resolver, e.g. `/01/08936012345674/10/L%2F1/21/S1`
    /// (primary key and key qualifiers, percent-encoded); None without a GS1 key.
    pub fn resolver_path(&self) -> Option<String> {
        self.primary_key()?;
        Some(digital_link_path(
            self.elements
                .iter()
                .take(1 + self.qualifier_count())
                .map(|element| (element.ai.as_str(), element.value.as_str())),
        ))
    }

    /// This payload as a GS1 Digital Link under `base` (e.g. `https://id.gs1.org`, a path
    /// prefix allowed), data attributes in the query; None without a GS1 key.
    pub fn to_digital_link(&self, base: &str) -> Option<String> {
        let mut link = format!("{}{}", base.trim_end_matches('/'), self.resolver_path()?);
        let attributes = self.elements.iter().skip(1 + self.qualifier_count());
        for (index, element) in attributes.enumerate() {
            link.push(if index == 0 { '?' } else { '&' });
            link.push_str(&element.ai);
            link.push('=');
            link.push_str(&percent_encode(&element.value));
        }
        Some(link)
    }

    /// How many elements after the primary key are its key qualifiers.
    fn qualifier_count(&self) -> usize {
        let Some(key) = self.primary_key() else {
            return 0;
        };
        let sequence = qualifier_sequence(&key.ai, &self.elements[1..]);
        self.elements[1..]
            .iter()
            .take_while(|e| sequence.contains(&e.ai.as_str()))
            .count()
    }
}

/// Reads what a stamp's QR code or a shopper's typing gives.
pub fn parse(input: &str) -> Result<Payload, PayloadError> {
    let text = input.trim_matches(|c: char| c.is_whitespace() && c != '\u{1d}');
    if text.is_empty() {
        return Err(PayloadError::Empty);
    }
    if text.len() > MAX_INPUT {
        return Err(PayloadError::TooLong { length: text.len() });
    }
    let raw = text.to_string();
    if has_hidden_characters(text) {
        return Err(PayloadError::NotTraceabilityCode { raw });
    }
    // Nothing is trusted here: checking the signature against the trust list is
    // `trust::TrustList::verify`'s work, and an empty signature is not even a claim.
    if let Ok(jws) = crate::trust::jws::parse(text)
        && !jws.signature.is_empty()
    {
        // The signed text is read like any other stamp, but never as a JWS again.
        let inner = std::str::from_utf8(&jws.payload)
            .ok()
            .filter(|t| !has_hidden_characters(t))
            .and_then(|t| parse_unsigned(t.trim()).ok());
        let kind = PayloadKind::SignedJws {
            alg: jws.header.alg,
            kid: jws.header.kid,
        };
        let (elements, host, warnings) = inner
            .map(|p| (p.elements, p.host, p.warnings))
            .unwrap_or_default();
        return Ok(Payload {
            kind,
            elements,
            host,
            warnings,
            raw,
        });
    }
    parse_unsigned(text)
}

/// Every form but a JWS, for text already trimmed, bounded and free of control characters.
fn parse_unsigned(text: &str) -> Result<Payload, PayloadError> {
    let raw = text.to_string();
    if text.is_empty() {
        return Err(PayloadError::Empty);
    }
    // Scanners that announce the symbology say `]Q1` (QR Code) or `]d1` (Data Matrix) before
    // plain text such as a link.
    let link = ["]Q1", "]d1"]
        .iter()
        .find_map(|id| text.strip_prefix(id))
        .unwrap_or(text);
    if let Some(payload) = digital_link::parse_url(link)? {
        return Ok(Payload { raw, ..payload });
    }
    if is_gtin_shaped(text) {
        let element = Element::new("01", &format!("{text:0>14}"))?;
        return Ok(Payload {
            kind: PayloadKind::Gtin,
            elements: vec![element],
            host: None,
            warnings: vec![],
            raw,
        });
    }
    if let Some(elements) = element_string::parse(text)? {
        return Ok(Payload {
            kind: PayloadKind::ElementString,
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
    Err(PayloadError::NotTraceabilityCode { raw })
}

/// Text that is not a code, made safe to show as text (see [`crate::text::neutralise`]) and
/// cut to `max_chars` with an ellipsis.
pub fn display_text(raw: &str, max_chars: usize) -> String {
    match raw.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", crate::text::neutralise(&raw[..end])),
        None => crate::text::neutralise(raw),
    }
}

/// Control characters other than the GS separator, and invisible ones: no stamp format has
/// them, and they are a favourite for disguising text.
fn has_hidden_characters(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\u{1d}') || crate::text::is_invisible(c))
}

/// EAN-8, UPC-A, EAN-13 or GTIN-14 digits.
fn is_gtin_shaped(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit()) && matches!(text.len(), 8 | 12 | 13 | 14)
}

/// The GTIN element for a number that is a valid GTIN of any length, padded to 14 digits.
fn gtin_element(text: &str) -> Option<Element> {
    is_gtin_shaped(text)
        .then(|| Element::new("01", &format!("{text:0>14}")).ok())
        .flatten()
}

/// Record numbers printed under stamps: letters, digits and a few separators, with at least
/// one digit so that ordinary words are not mistaken for codes.
fn is_trace_code(text: &str) -> bool {
    (6..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// Puts elements in canonical order (key, its qualifiers as the standard orders them, then
/// data attributes by AI) and checks the GS1 pairing rules over the whole set.
fn canonical(mut elements: Vec<Element>) -> Result<Vec<Element>, PayloadError> {
    let ais: Vec<&str> = elements.iter().map(|e| e.ai.as_str()).collect();
    gs1::check_pairings(&ais)?;
    let Some(key) = elements
        .iter()
        .find(|e| gs1::is_primary_key(&e.ai))
        .map(|e| e.ai.clone())
    else {
        crate::order::sort_by(&mut elements, |a, b| a.ai.cmp(&b.ai));
        return Ok(elements);
    };
    let sequence = qualifier_sequence(&key, &elements);
    crate::order::sort_by(&mut elements, |a, b| {
        canonical_rank(a, &key, &sequence).cmp(&canonical_rank(b, &key, &sequence))
    });
    Ok(elements)
}

/// Where `element` goes: the key first, then its qualifiers in `sequence`'s order, then
/// data attributes by AI.
fn canonical_rank<'e>(element: &'e Element, key: &str, sequence: &[&str]) -> (u8, usize, &'e str) {
    if element.ai == key {
        return (0, 0, "");
    }
    match sequence.iter().position(|q| *q == element.ai) {
        Some(position) => (1, position, ""),
        None => (2, 0, &element.ai),
    }
}

/// The qualifier sequence of `key` that `elements` use: the one holding most of them, ties
/// going to the sequence of the first qualifier met (in a link, the path's). Elements of the
/// other sequences are then plain data attributes.
fn qualifier_sequence(key: &str, elements: &[Element]) -> Vec<&'static str> {
    let sequences = gs1::qualifier_sequences(key);
    let first = elements
        .iter()
        .find_map(|e| sequences.iter().position(|s| s.contains(&e.ai.as_str())));
    let held = |s: &Vec<&str>| {
        elements
            .iter()
            .filter(|e| s.contains(&e.ai.as_str()))
            .count()
    };
    let mut best: Option<(usize, (usize, usize))> = None;
    for (index, sequence) in sequences.iter().enumerate() {
        let score = (held(sequence), usize::from(Some(index) == first));
        if best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((index, score));
        }
    }
    best.and_then(|(index, _)| sequences.into_iter().nth(index))
        .unwrap_or_default()
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is (GS1's syntax
/// engine reads it so, and `%` is a valid GS1 character). None when the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A Digital Link path from a primary key and its qualifiers as `(AI, value)` pairs, in the
/// order given, values percent-encoded: `/01/08936012345674/10/L%2F1`. The one way paths are
/// built, for the resolver's reading of a code and for the portal's printed stamps alike.
pub fn digital_link_path<'a>(elements: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut path = String::new();
    for (ai, value) in elements {
        path.push('/');
        path.push_str(ai);
        path.push('/');
        path.push_str(&percent_encode(value));
    }
    path
}

/// Escapes all but RFC 3986 unreserved characters, as the Digital Link standard asks.
pub fn percent_encode(value: &str) -> String {
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
