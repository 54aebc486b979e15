//! The data segments in every mode, with what rqrr's decoder refuses (FNC1 for GS1,
//! structured append) and the ECI and Hanzi charsets the text is decoded in.

use super::{Charset, Payload};

/// Reads the segments of the data codewords.
pub(super) fn parse(data: &[u8], version: usize) -> Option<Payload> {
    let mut bits = Bits { data, pos: 0 };
    let class = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let mut out = Payload {
        bytes: Vec::new(),
        charset: Charset::Undeclared,
        gs1: false,
        symbology: "]Q1",
    };
    let (mut eci, mut fnc1_second) = (false, false);
    while bits.remaining() >= 4 {
        match bits.take(4)? {
            0 => break,
            1 => {
                let mut count = bits.take([10, 12, 14][class])?;
                while count > 0 {
                    let digits = count.min(3);
                    let value = bits.take([0, 4, 7, 10][digits])?;
                    if value >= [1, 10, 100, 1000][digits] {
                        return None;
                    }
                    let text = format!("{value:0digits$}");
                    out.bytes.extend_from_slice(text.as_bytes());
                    count -= digits;
                }
            }
            2 => {
                const TABLE: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
                let mut count = bits.take([9, 11, 13][class])?;
                let mut text = Vec::with_capacity(count);
                while count > 0 {
                    if count >= 2 {
                        let pair = bits.take(11)?;
                        text.push(*TABLE.get(pair / 45)?);
                        text.push(*TABLE.get(pair % 45)?);
                        count -= 2;
                    } else {
                        text.push(*TABLE.get(bits.take(6)?)?);
                        count -= 1;
                    }
                }
                if out.gs1 || fnc1_second {
                    text = fnc1_percent(&text);
                }
                out.bytes.extend_from_slice(&text);
            }
            4 => {
                let count = bits.take([8, 16, 16][class])?;
                for _ in 0..count {
                    out.bytes.push(bits.take(8)? as u8);
                }
            }
            8 => {
                let count = bits.take([8, 10, 12][class])?;
                for _ in 0..count {
                    let value = bits.take(13)?;
                    let sjis = (value / 0xc0) << 8 | (value % 0xc0);
                    let sjis = if sjis + 0x8140 <= 0x9ffc {
                        sjis + 0x8140
                    } else {
                        sjis + 0xc140
                    };
                    out.bytes
                        .extend_from_slice(&[(sjis >> 8) as u8, sjis as u8]);
                }
            }
            7 => {
                let first = bits.take(8)?;
                let designator = if first & 0x80 == 0 {
                    first
                } else if first & 0xc0 == 0x80 {
                    (first & 0x3f) << 8 | bits.take(8)?
                } else {
                    (first & 0x1f) << 16 | bits.take(16)?
                };
                out.charset = match designator {
                    1 | 3 => Charset::Latin1,
                    20 => Charset::ShiftJis,
                    26 => Charset::Utf8,
                    29 => Charset::Gb,
                    _ => out.charset,
                };
                eci = true;
            }
            // Hanzi (GB/T 18284, Chinese codes): a subset indicator, then 13 bits a character.
            13 => {
                const GB2312: usize = 1;
                if bits.take(4)? != GB2312 {
                    return None;
                }
                let count = bits.take([8, 10, 12][class])?;
                for _ in 0..count {
                    let value = bits.take(13)?;
                    let packed = (value / 0x60) << 8 | (value % 0x60);
                    let gb = if packed < 0xa00 {
                        packed + 0xa1a1
                    } else {
                        packed + 0xa6a1
                    };
                    out.bytes.extend_from_slice(&[(gb >> 8) as u8, gb as u8]);
                }
                out.charset = Charset::Gb;
            }
            5 => out.gs1 = true,
            9 => {
                bits.take(8)?;
                fnc1_second = true;
            }
            // Structured append: the symbol's place in the sequence, which we do not join.
            3 => {
                bits.take(16)?;
            }
            _ => return None,
        }
    }
    out.symbology = match (out.gs1, fnc1_second, eci) {
        (true, _, false) => "]Q3",
        (true, _, true) => "]Q4",
        (false, true, false) => "]Q5",
        (false, true, true) => "]Q6",
        (false, false, true) => "]Q2",
        (false, false, false) => "]Q1",
    };
    Some(out)
}

/// In FNC1 mode an alphanumeric `%` stands for FNC1 (the GS separator) and `%%` for `%`.
fn fnc1_percent(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.iter().copied().peekable();
    while let Some(c) = chars.next() {
        if c != b'%' {
            out.push(c);
        } else if chars.next_if_eq(&b'%').is_some() {
            out.push(b'%');
        } else {
            out.push(0x1d);
        }
    }
    out
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn remaining(&self) -> usize {
        self.data.len() * 8 - self.pos
    }

    fn take(&mut self, n: usize) -> Option<usize> {
        if n > self.remaining() {
            return None;
        }
        let mut value = 0usize;
        for _ in 0..n {
            let bit = self.data[self.pos / 8] >> (7 - self.pos % 8) & 1;
            value = value << 1 | usize::from(bit);
            self.pos += 1;
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gs1_alphanumeric_percent_is_a_separator_and_doubled_percent_a_percent() {
        assert_eq!(fnc1_percent(b"10ABC%21X%%Y"), b"10ABC\x1d21X%Y");
    }

    /// Packs (value, width) fields into codewords, padded with zero bits.
    fn pack(fields: &[(usize, usize)]) -> Vec<u8> {
        let bits: Vec<bool> = fields
            .iter()
            .flat_map(|&(value, width)| (0..width).rev().map(move |i| value >> i & 1 == 1))
            .collect();
        bits.chunks(8)
            .map(|byte| {
                byte.iter()
                    .enumerate()
                    .fold(0, |acc, (i, &b)| acc | u8::from(b) << (7 - i))
            })
            .collect()
    }

    #[test]
    fn hanzi_segment_gives_gb2312_bytes() {
        // 阿 is GB 2312 B0A2: (0xB0A2 - 0xA6A1) packs to 0x0A·0x60 + 0x01.
        let data = pack(&[
            (0b1101, 4),
            (1, 4),
            (1, 8),
            (0x0a * 0x60 + 0x01, 13),
            (0, 4),
        ]);
        let payload = parse(&data, 1).expect("parses");
        assert_eq!(payload.bytes, [0xb0, 0xa2]);
        assert_eq!(payload.charset, Charset::Gb);
    }

    #[test]
    fn hanzi_subsets_other_than_gb2312_are_refused() {
        let data = pack(&[(0b1101, 4), (2, 4), (1, 8), (0, 13), (0, 4)]);
        assert!(parse(&data, 1).is_none());
    }

    #[test]
    fn eci_designators_set_the_charset() {
        for (designator, charset) in [
            (3, Charset::Latin1),
            (20, Charset::ShiftJis),
            (26, Charset::Utf8),
            (29, Charset::Gb),
        ] {
            let data = pack(&[
                (0b0111, 4),
                (designator, 8),
                (0b0100, 4),
                (1, 8),
                (0x41, 8),
                (0, 4),
            ]);
            let payload = parse(&data, 1).expect("parses");
            assert_eq!(
                (payload.bytes.as_slice(), payload.charset),
                (&b"A"[..], charset)
            );
            assert_eq!(payload.symbology, "]Q2");
        }
    }
}
