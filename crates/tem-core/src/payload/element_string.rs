//! GS1 element strings as scanners and people write them: with a symbology identifier
//! (`]Q3`, `]d2`, `]C1`, …) and GS separators, without either, or in the bracketed
//! human-readable form `(01)…(17)…(10)…`.

use super::{Element, PayloadError, canonical};
use crate::gs1::{self, Gs1Error};

/// FNC1 as scanners transmit it between variable-length fields.
const GS: char = '\u{1d}';

/// Symbology identifiers that announce GS1 data: GS1-128, GS1 DataBar, GS1 DataMatrix,
/// GS1 QR Code, GS1 DotCode.
const GS1_SYMBOLOGIES: &[&str] = &["]C1", "]e0", "]d2", "]Q3", "]J1"];

/// The elements of an element string in canonical order; None when `text` is not one.
pub(super) fn parse(text: &str) -> Result<Option<Vec<Element>>, PayloadError> {
    // `^` stands for FNC1 in GS1's own tools (`^0108936012345674…`); it is not in any GS1
    // character set, so every `^` is a separator.
    let caret_form = text
        .strip_prefix('^')
        .map(|rest| rest.replace('^', "\u{1d}"));
    let text = caret_form.as_deref().unwrap_or(text);
    let prefixed = GS1_SYMBOLOGIES
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .or(caret_form.as_deref());
    let body = prefixed.unwrap_or(text).trim_start_matches(GS);
    let pairs: Vec<(&str, String)> = if starts_with_bracketed_ai(body) {
        bracketed(body)?
    } else if prefixed.is_some() || text.contains(GS) {
        owned(separated(body)?)
    } else if gs1::ai_at_start(body).is_some_and(|(ai, _)| gs1::is_primary_key(ai))
        && body.len() > 4
    {
        // Without any marker, only data that starts with a GS1 key is read as GS1; the key's
        // own errors are reported since such text cannot be anything else.
        match separated(body) {
            Ok(pairs) => owned(pairs),
            Err(error) if body.starts_with(error.ai()) => return Err(error.into()),
            Err(_) => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut elements: Vec<Element> = Vec::with_capacity(pairs.len());
    for (ai, value) in pairs {
        // An element string may repeat an AI with the same value (GS1 allows it); another
        // value is refused by the pairing check.
        if !elements.iter().any(|e| e.ai == ai && e.value == value) {
            elements.push(Element::new(ai, &value)?);
        }
    }
    canonical(elements).map(Some)
}

/// `(` then two to four digits and `)`: the bracketed form, even when the AI is unknown.
fn starts_with_bracketed_ai(text: &str) -> bool {
    let digits = text.bytes().skip(1).take_while(u8::is_ascii_digit).count();
    text.starts_with('(')
        && (2..=4).contains(&digits)
        && text.as_bytes().get(1 + digits) == Some(&b')')
}

fn owned<'a>(pairs: Vec<(&'a str, &str)>) -> Vec<(&'a str, String)> {
    pairs
        .into_iter()
        .map(|(ai, value)| (ai, value.to_string()))
        .collect()
}

/// `01…17…10…<GS>21…`: predefined-length AIs end by their length, others at GS or the end.
fn separated(mut data: &str) -> Result<Vec<(&str, &str)>, Gs1Error> {
    let mut pairs = Vec::new();
    while !data.is_empty() {
        let Some((ai, rule)) = gs1::ai_at_start(data) else {
            let ai: String = data
                .chars()
                .take_while(char::is_ascii_digit)
                .take(4)
                .collect();
            return Err(Gs1Error::UnknownAi {
                ai: if ai.is_empty() {
                    data.chars().take(4).collect()
                } else {
                    ai
                },
            });
        };
        let rest = &data[ai.len()..];
        let end = if rule.fixed {
            gs1::length_bounds(&rule).1.min(rest.len())
        } else {
            rest.find(GS).unwrap_or(rest.len())
        };
        // A value ends at a char boundary: fixed lengths are counted in ASCII characters and
        // anything else fails the character set check anyway.
        let end = (0..=end)
            .rev()
            .find(|&i| rest.is_char_boundary(i))
            .unwrap_or(0);
        let (value, remaining) = rest.split_at(end);
        pairs.push((ai, value));
        data = remaining.strip_prefix(GS).unwrap_or(remaining);
        // Validate each AI before reading on, so the error names where the data went wrong.
        gs1::validate(ai, value)?;
    }
    Ok(pairs)
}

/// `(01)08936012345674(17)261231(10)L1`. A `(` inside a value is only a new AI when a known
/// AI and `)` follow it and no `\\` escapes it (`\\(` is GS1's escape for a literal bracket).
fn bracketed(data: &str) -> Result<Vec<(&str, String)>, Gs1Error> {
    let mut starts = Vec::new();
    for (index, _) in data.match_indices('(') {
        let after = &data[index + 1..];
        let escaped = data[..index].ends_with('\\');
        if let Some(close) = after.find(')').filter(|&c| (2..=4).contains(&c))
            && !escaped
            && gs1::rule(&after[..close]).is_some()
        {
            starts.push((index, close));
        }
    }
    if starts.first().is_none_or(|(index, _)| *index != 0) {
        let ai: String = data
            .chars()
            .skip(1)
            .take_while(char::is_ascii_digit)
            .collect();
        return Err(Gs1Error::UnknownAi { ai });
    }
    let mut pairs = Vec::new();
    for (n, &(index, close)) in starts.iter().enumerate() {
        let ai = &data[index + 1..index + 1 + close];
        let end = starts.get(n + 1).map_or(data.len(), |(next, _)| *next);
        let value = data[index + close + 2..end]
            .trim_matches(' ')
            .replace("\\(", "(");
        pairs.push((ai, value));
    }
    Ok(pairs)
}
