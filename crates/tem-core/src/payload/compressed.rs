//! Compressed GS1 Digital Links (GS1 Digital Link: Compression, the algorithm of GS1's
//! reference toolkit): the AIs and values packed into bits and written in URL-safe base64,
//! as in `https://id.gs1.org/ARHKVAdpQg` for `/01/09780345418913`.

use crate::base64url;
use crate::gs1;

const HEX: &[u8] = b"0123456789ABCDEF";

/// Codes that stand for a common sequence of AIs, so their AIs need not be spelled out.
const SEQUENCES: &[(u8, &[&str])] = &[
    (0x0A, &["01", "22"]),
    (0x0B, &["01", "10"]),
    (0x0C, &["01", "21"]),
    (0x0D, &["01", "17"]),
    (0x0E, &["01", "7003"]),
    (0x0F, &["01", "30"]),
    (0x1A, &["01", "10", "21", "17"]),
    (0x1B, &["01", "15"]),
    (0x1C, &["01", "11"]),
    (0x1D, &["01", "16"]),
    (0x1E, &["01", "91"]),
    (0x1F, &["01", "10", "15"]),
    (0x2A, &["01", "3100"]),
    (0x2B, &["01", "3101"]),
    (0x2C, &["01", "3102"]),
    (0x2D, &["01", "3103"]),
    (0x2E, &["01", "3104"]),
    (0x2F, &["01", "3105"]),
    (0x3A, &["01", "3200"]),
    (0x3B, &["01", "3201"]),
    (0x3C, &["01", "3202"]),
    (0x3D, &["01", "3203"]),
    (0x3E, &["01", "3204"]),
    (0x3F, &["01", "3205"]),
    (0x9A, &["8010", "8011"]),
    (0x9B, &["8017", "8019"]),
    (0x9C, &["8018", "8019"]),
    (0x9D, &["414", "254"]),
    (0xA0, &["01", "3920"]),
    (0xA1, &["01", "3921"]),
    (0xA2, &["01", "3922"]),
    (0xA3, &["01", "3923"]),
    (0xA4, &["01", "3924"]),
    (0xA5, &["01", "3925"]),
    (0xA6, &["01", "3926"]),
    (0xA7, &["01", "3927"]),
    (0xA8, &["01", "3928"]),
    (0xA9, &["01", "3929"]),
    (0xC0, &["255", "3900"]),
    (0xC1, &["255", "3901"]),
    (0xC2, &["255", "3902"]),
    (0xC3, &["255", "3903"]),
    (0xC4, &["255", "3904"]),
    (0xC5, &["255", "3905"]),
    (0xC6, &["255", "3906"]),
    (0xC7, &["255", "3907"]),
    (0xC8, &["255", "3908"]),
    (0xC9, &["255", "3909"]),
    (0xCA, &["255", "3940"]),
    (0xCB, &["255", "3941"]),
    (0xCC, &["255", "3942"]),
    (0xCD, &["255", "3943"]),
];

struct Bits {
    bits: Vec<u8>,
    position: usize,
}

impl Bits {
    fn from_base64(text: &str) -> Option<Bits> {
        let mut bits = Vec::with_capacity(text.len() * 6);
        // Bit by bit rather than through `base64url::decode`: a compressed link is a bit string
        // padded to whole characters, not to whole bytes.
        for byte in text.bytes() {
            let value = base64url::sextet(byte)?;
            bits.extend((0..6).rev().map(|shift| (value >> shift) & 1));
        }
        Some(Bits { bits, position: 0 })
    }

    fn remaining(&self) -> usize {
        self.bits.len() - self.position
    }

    fn read(&mut self, count: usize) -> Option<u32> {
        debug_assert!(count <= 32);
        let end = self
            .position
            .checked_add(count)
            .filter(|&end| end <= self.bits.len())?;
        let value = self.bits[self.position..end]
            .iter()
            .fold(0u32, |acc, &bit| (acc << 1) | u32::from(bit));
        self.position = end;
        Some(value)
    }

    /// `digits` decimal digits stored as one binary number, zero-padded on the left.
    fn read_digits(&mut self, digits: usize) -> Option<String> {
        let count = value_bits(digits);
        let end = self
            .position
            .checked_add(count)
            .filter(|&end| end <= self.bits.len())?;
        // Binary to decimal by doubling a little-endian digit vector: values reach 300 bits.
        let mut decimal: Vec<u8> = vec![0];
        for &bit in &self.bits[self.position..end] {
            let mut carry = bit;
            for digit in decimal.iter_mut() {
                let doubled = *digit * 2 + carry;
                *digit = doubled % 10;
                carry = doubled / 10;
            }
            if carry > 0 {
                decimal.push(carry);
            }
        }
        self.position = end;
        while decimal.len() > 1 && decimal.last() == Some(&0) {
            decimal.pop();
        }
        if digits == 0 {
            return Some(String::new());
        }
        if decimal.len() > digits {
            return None;
        }
        decimal.resize(digits, 0);
        Some(decimal.iter().rev().map(|d| char::from(b'0' + d)).collect())
    }
}

/// Bits holding a number of `digits` decimal digits, as the toolkit counts them.
fn value_bits(digits: usize) -> usize {
    (digits as f64 * std::f64::consts::LOG2_10 + 0.01).ceil() as usize
}

/// Bits of the length field of a component at most `max` characters long.
fn length_bits(max: usize) -> usize {
    ((max as f64).log2() + 0.01).ceil() as usize
}

/// How a value is packed: fixed or variable length, digits or characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    numeric: bool,
    fixed: bool,
    length: usize,
}

/// The packing of an AI's value, from its dictionary format: adjacent fixed parts of one kind
/// are packed as one, and optional parts join the variable-length part before them.
fn parts(spec: &str) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for word in spec.split_whitespace() {
        let kind = word.split(',').next().unwrap_or(word);
        let optional = kind.starts_with('[');
        let kind = kind.trim_start_matches('[').trim_end_matches(']');
        let numeric = kind.starts_with('N');
        let (variable, length) = match kind.get(1..).and_then(|rest| rest.strip_prefix("..")) {
            Some(max) => (true, max.parse().unwrap_or(0)),
            None => (
                false,
                kind.get(1..).and_then(|n| n.parse().ok()).unwrap_or(0),
            ),
        };
        let fixed = !variable && !optional;
        match out.last_mut() {
            Some(last) if last.numeric == numeric && last.fixed && fixed => last.length += length,
            Some(last) if !numeric && !last.numeric && last.fixed && variable && !optional => {
                last.fixed = false;
                last.length += length;
            }
            Some(last) if last.numeric == numeric && !last.fixed && optional => {
                last.length += length
            }
            _ => out.push(Part {
                numeric,
                fixed,
                length,
            }),
        }
    }
    out
}

fn read_value(bits: &mut Bits, ai: &str) -> Option<String> {
    let rule = gs1::rule(ai)?;
    let mut value = String::new();
    for part in parts(rule.spec) {
        let text = match (part.numeric, part.fixed) {
            (true, true) => bits.read_digits(part.length)?,
            (true, false) => {
                let digits = bits.read(length_bits(part.length))? as usize;
                bits.read_digits(digits)?
            }
            (false, fixed) => {
                // Characters carry their encoding first, then (if variable) their count.
                let encoding = bits.read(3)?;
                let count = if fixed {
                    part.length
                } else {
                    bits.read(length_bits(part.length))? as usize
                };
                read_encoded(bits, encoding, count)?
            }
        };
        value.push_str(&text);
    }
    Some(value)
}

fn read_encoded(bits: &mut Bits, encoding: u32, count: usize) -> Option<String> {
    let (alphabet, width, lower) = match encoding {
        0 => return bits.read_digits(count),
        1 => (HEX, 4, true),
        2 => (HEX, 4, false),
        3 => (&base64url::ALPHABET[..], 6, false),
        4 => (&[][..], 7, false),
        _ => return None,
    };
    let mut text = String::with_capacity(count);
    for _ in 0..count {
        let index = bits.read(width)? as usize;
        let character = if alphabet.is_empty() {
            char::from(index as u8)
        } else {
            char::from(*alphabet.get(index)?)
        };
        text.push(if lower {
            character.to_ascii_lowercase()
        } else {
            character
        });
    }
    Some(text)
}

/// The (AI, value) pairs packed in `segment`; None unless the whole segment decodes cleanly
/// (known AIs, values that fit, nothing left but zero padding).
pub(super) fn decode(segment: &str) -> Option<Vec<(String, String)>> {
    let mut bits = Bits::from_base64(segment)?;
    let mut pairs = Vec::new();
    while bits.remaining() > 8 {
        let (h1, h2) = (bits.read(4)?, bits.read(4)?);
        let code = (h1 << 4 | h2) as u8;
        if h1 <= 9 && h2 <= 9 {
            let mut ai = format!("{h1}{h2}");
            let length = gs1::ai_length(&ai)?;
            while ai.len() < length {
                let digit = bits.read(4)?;
                if digit > 9 {
                    return None;
                }
                ai.push(char::from(b'0' + digit as u8));
            }
            let value = read_value(&mut bits, &ai)?;
            pairs.push((ai, value));
        } else if let Some((_, sequence)) = SEQUENCES.iter().find(|(c, _)| *c == code) {
            for ai in *sequence {
                let value = read_value(&mut bits, ai)?;
                pairs.push((ai.to_string(), value));
            }
        } else if h1 == 0xF {
            // A non-GS1 query parameter: skipped, as in an uncompressed link.
            let key_length = (h2 << 3 | bits.read(3)?) as usize;
            for _ in 0..key_length {
                bits.read(6)?;
            }
            let encoding = bits.read(3)?;
            let count = bits.read(7)? as usize;
            read_encoded(&mut bits, encoding, count)?;
        } else {
            return None;
        }
    }
    let padding_is_zero = bits.bits[bits.position..].iter().all(|&b| b == 0);
    (padding_is_zero && bits.remaining() < 6 && !pairs.is_empty()).then_some(pairs)
}

/// True when `segment` could be a compressed link at all: URL-safe base64 and long enough to
/// hold an AI and a value.
pub(super) fn looks_compressed(segment: &str) -> bool {
    segment.len() >= 4 && segment.bytes().all(|b| base64url::sextet(b).is_some())
}
