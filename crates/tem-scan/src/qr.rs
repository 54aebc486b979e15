//! Our own reading of a sampled QR grid: unmasking, Reed–Solomon correction and every data
//! mode, including what rqrr's decoder refuses (FNC1 for GS1, structured-append segments) and
//! ECI charsets, with 512 bytes of GF(256) tables where rqrr's decoder would link a 64 KB one
//! into the widget's wasm; rqrr still finds and samples the grid. Its block tables are private,
//! so the block layout is found from the codeword count instead: the one layout of the stated
//! level whose Reed–Solomon blocks all check (or correct) is the right one.

use rqrr::BitGrid;

/// A payload decoded from its codewords.
pub(crate) struct Payload {
    pub bytes: Vec<u8>,
    /// What the code says about its bytes' charset, if anything.
    pub charset: Charset,
    pub gs1: bool,
    pub symbology: &'static str,
}

/// A charset a code declared, by ECI designator or by using Hanzi mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    /// Nothing declared: the reader guesses.
    Undeclared,
    Latin1,
    ShiftJis,
    /// GB 2312 (Hanzi mode, GB/T 18284) or its supersets GBK and GB 18030 (ECI 29).
    Gb,
    Utf8,
}

/// Decodes `grid` (dark = true).
pub(crate) fn decode(grid: &dyn BitGrid) -> Option<Payload> {
    let size = grid.size();
    if !(21..=177).contains(&size) || size % 4 != 1 {
        return None;
    }
    let version = (size - 17) / 4;
    if !version_agrees(grid, version) {
        return None;
    }
    let gf = Gf::new();
    // Reed–Solomon decides between format readings that are equally near a valid one.
    formats(grid).into_iter().find_map(|format| {
        let (ecc_level, mask) = (format >> 3, format & 7);
        let data = correct(&gf, &codewords(grid, version, mask), ecc_level)?;
        parse(&data, version)
    })
}

/// The format information (error correction level, 2 bits, then mask, 3 bits) its two copies
/// are nearest to, nearest first: each copy is a 15-bit BCH codeword, which corrects up to 3
/// wrong modules.
fn formats(grid: &dyn BitGrid) -> Vec<u16> {
    let size = grid.size();
    let bit = |x: usize, y: usize| u16::from(grid.bit(y, x));
    // Around the top-left finder: along row 8, skipping the timing column, then up column 8.
    let first_path = (0..6)
        .map(|x| (x, 8))
        .chain([(7, 8), (8, 8), (8, 7)])
        .chain((0..6).rev().map(|y| (8, y)));
    // Split between the bottom-left and top-right finders.
    let second_path = (size - 7..size)
        .rev()
        .map(|y| (8, y))
        .chain((size - 8..size).map(|x| (x, 8)));
    let read = |path: &mut dyn Iterator<Item = (usize, usize)>| {
        path.fold(0u16, |bits, (x, y)| bits << 1 | bit(x, y))
    };
    let copies = [
        read(&mut first_path.into_iter()),
        read(&mut second_path.into_iter()),
    ];
    let mut candidates: Vec<(u32, u16)> = (0..32u16)
        .filter_map(|format| {
            let codeword = format_codeword(format);
            let distance = copies
                .iter()
                .map(|copy| (copy ^ codeword).count_ones())
                .min()?;
            (distance <= 3).then_some((distance, format))
        })
        .collect();
    candidates.sort_unstable();
    candidates.into_iter().map(|(_, format)| format).collect()
}

/// Whether a grid of version 7 or up carries its version: one of its two version blocks within
/// the 3 wrong modules BCH(18, 6) corrects. A grid sampled at the wrong size or place almost
/// never does, and turning it away here saves Reed–Solomon on thousands of codewords.
fn version_agrees(grid: &dyn BitGrid, version: usize) -> bool {
    if version < 7 {
        return true;
    }
    let size = grid.size();
    let expected = version_codeword(version);
    let read = |transposed: bool| {
        (0..18).fold(0u32, |bits, i| {
            let (x, y) = version_bit_module(size, i);
            let dark = if transposed {
                grid.bit(x, y)
            } else {
                grid.bit(y, x)
            };
            bits | u32::from(dark) << i
        })
    };
    [false, true]
        .into_iter()
        .any(|transposed| (read(transposed) ^ expected).count_ones() <= 3)
}

/// The masked BCH(15, 5) codeword of 5 format bits (generator x¹⁰+x⁸+x⁵+x⁴+x²+x+1).
fn format_codeword(format: u16) -> u16 {
    bch_codeword(u32::from(format), 0x537, 10) as u16 ^ 0x5412
}

/// Where bit `bit` of the version codeword sits, as (x, y), in the block beside the
/// bottom-left finder; the block beside the top-right finder is its transpose.
pub(crate) fn version_bit_module(size: usize, bit: usize) -> (usize, usize) {
    (bit / 3, size - 11 + bit % 3)
}

/// The BCH(18, 6) codeword that codes of version 7 and up carry for their version.
pub(crate) fn version_codeword(version: usize) -> u32 {
    bch_codeword(version as u32, 0x1f25, 12)
}

/// `data` followed by the remainder of its division by `generator`, of degree `parity_bits`.
fn bch_codeword(data: u32, generator: u32, parity_bits: u32) -> u32 {
    let mut remainder = data << parity_bits;
    for shift in (parity_bits..32 - generator.leading_zeros() + parity_bits).rev() {
        if remainder & 1 << shift != 0 {
            remainder ^= generator << (shift - parity_bits);
        }
    }
    data << parity_bits | remainder
}

/// The codewords in placement order, unmasked.
fn codewords(grid: &dyn BitGrid, version: usize, mask: u16) -> Vec<u8> {
    let size = grid.size();
    let alignment = alignment_centres(version);
    let mut bytes = Vec::with_capacity(size * size / 8);
    let (mut byte, mut count) = (0u8, 0);
    let mut right = size - 1;
    let mut upward = true;
    while right > 0 {
        if right == 6 {
            // The vertical timing pattern takes a whole column.
            right -= 1;
        }
        for i in 0..size {
            let y = if upward { size - 1 - i } else { i };
            for x in [right, right - 1] {
                if reserved(size, version, &alignment, x, y) {
                    continue;
                }
                byte = byte << 1 | u8::from(grid.bit(y, x) ^ masked(mask, x, y));
                count += 1;
                if count == 8 {
                    bytes.push(byte);
                    (byte, count) = (0, 0);
                }
            }
        }
        upward = !upward;
        right = right.saturating_sub(2);
    }
    bytes
}

fn masked(mask: u16, x: usize, y: usize) -> bool {
    match mask {
        0 => (y + x).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (y + x).is_multiple_of(3),
        4 => (y / 2 + x / 3).is_multiple_of(2),
        5 => (y * x) % 2 + (y * x) % 3 == 0,
        6 => ((y * x) % 2 + (y * x) % 3).is_multiple_of(2),
        _ => ((y * x) % 3 + (y + x) % 2).is_multiple_of(2),
    }
}

/// Alignment pattern centre coordinates (ISO/IEC 18004 annex E), evenly spaced from the far
/// edge back towards the fixed one at 6.
pub(crate) fn alignment_centres(version: usize) -> Vec<usize> {
    if version < 2 {
        return Vec::new();
    }
    let size = 17 + 4 * version;
    let count = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut centres: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    centres.push(6);
    centres.reverse();
    centres
}

/// Function patterns and format/version areas, which carry no data.
fn reserved(size: usize, version: usize, alignment: &[usize], x: usize, y: usize) -> bool {
    let near = |v: usize| v < 9;
    let far = |v: usize| v >= size - 8;
    if (near(x) && near(y)) || (far(x) && near(y)) || (near(x) && far(y)) || x == 6 || y == 6 {
        return true;
    }
    if version >= 7
        && ((y < 6 && (size - 11..size - 8).contains(&x))
            || (x < 6 && (size - 11..size - 8).contains(&y)))
    {
        return true;
    }
    let last = alignment.len().saturating_sub(1);
    alignment.iter().enumerate().any(|(i, &ay)| {
        alignment.iter().enumerate().any(|(j, &ax)| {
            // The three corners with finder patterns have no alignment pattern.
            let on_finder = (i == 0 && (j == 0 || j == last)) || (i == last && j == 0);
            !on_finder && y.abs_diff(ay) <= 2 && x.abs_diff(ax) <= 2
        })
    })
}

/// Error-correction codewords per block used by ISO/IEC 18004 at some version and level.
const ECC_PER_BLOCK: [usize; 13] = [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30];

/// The data codewords, error-corrected, or None when no block layout of the level checks.
fn correct(gf: &Gf, codewords: &[u8], ecc_level: u16) -> Option<Vec<u8>> {
    let total = codewords.len();
    // Share of the codewords spent on error correction; format bits 01 = L, 00 = M, 11 = Q, 10 = H.
    let (low, high) = match ecc_level {
        1 => (0.15, 0.30),
        0 => (0.30, 0.46),
        3 => (0.44, 0.60),
        _ => (0.56, 0.70),
    };
    let mut layouts = Vec::new();
    // A code word for n parity codewords also checks for any fewer (the generators divide
    // each other), so the most parity that checks is the true layout.
    for &ecc in ECC_PER_BLOCK.iter().rev() {
        for blocks in 1..=81 {
            let share = (ecc * blocks) as f64 / total as f64;
            if total / blocks > ecc && (low..=high).contains(&share) {
                layouts.push((blocks, ecc));
            }
        }
    }
    // A clean read checks under exactly one layout; only then risk correcting.
    for correcting in [false, true] {
        for &(blocks, ecc) in &layouts {
            if let Some(data) = deinterleave_and_check(gf, codewords, blocks, ecc, correcting) {
                return Some(data);
            }
        }
    }
    None
}

fn deinterleave_and_check(
    gf: &Gf,
    codewords: &[u8],
    blocks: usize,
    ecc: usize,
    correcting: bool,
) -> Option<Vec<u8>> {
    let total = codewords.len();
    let short_len = total / blocks;
    let long_count = total % blocks;
    let short_count = blocks - long_count;
    let short_data = short_len.checked_sub(ecc)?;
    let ecc_start = short_data * blocks + long_count;
    let mut data = Vec::with_capacity(total);
    // Block by block, straight from the interleaved codewords: a wrong layout usually fails
    // on its first block, before the rest is gathered.
    for index in 0..blocks {
        let long = index >= short_count;
        let mut block: Vec<u8> = (0..short_data)
            .map(|i| codewords[i * blocks + index])
            .chain(long.then(|| codewords[short_data * blocks + index - short_count]))
            .chain((0..ecc).map(|i| codewords[ecc_start + i * blocks + index]))
            .collect();
        let syndromes = gf.syndromes(&block, ecc);
        if syndromes.iter().any(|&s| s != 0) {
            if !correcting {
                return None;
            }
            gf.correct(&mut block, &syndromes)?;
        }
        data.extend_from_slice(&block[..block.len() - ecc]);
    }
    Some(data)
}

/// GF(256) with QR's polynomial x⁸ + x⁴ + x³ + x² + 1.
struct Gf {
    exp: [u8; 512],
    log: [u8; 256],
}

impl Gf {
    fn new() -> Self {
        let (mut exp, mut log) = ([0u8; 512], [0u8; 256]);
        let mut x = 1u16;
        for i in 0..255 {
            exp[i] = x as u8;
            exp[i + 255] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11d;
            }
        }
        Gf { exp, log }
    }

    fn mul(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[usize::from(self.log[usize::from(a)]) + usize::from(self.log[usize::from(b)])]
        }
    }

    fn div(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[usize::from(self.log[usize::from(a)]) + 255
                - usize::from(self.log[usize::from(b)])]
        }
    }

    /// α to the power `e` (any sign, taken modulo 255).
    fn pow(&self, e: isize) -> u8 {
        self.exp[e.rem_euclid(255) as usize]
    }

    /// The block, first codeword the highest power, evaluated at α⁰ … α^(ecc-1).
    fn syndromes(&self, block: &[u8], ecc: usize) -> Vec<u8> {
        (0..ecc)
            .map(|i| {
                block
                    .iter()
                    .fold(0u8, |acc, &c| self.mul(acc, self.pow(i as isize)) ^ c)
            })
            .collect()
    }

    fn eval(&self, poly: &[u8], x: u8) -> u8 {
        // Lowest power first.
        poly.iter().rev().fold(0u8, |acc, &c| self.mul(acc, x) ^ c)
    }

    /// Corrects up to ecc/2 wrong codewords in place (Berlekamp–Massey, Chien, Forney).
    fn correct(&self, block: &mut [u8], syndromes: &[u8]) -> Option<()> {
        let n = block.len();
        let (mut sigma, mut prev) = (vec![1u8], vec![1u8]);
        let (mut errors, mut shift, mut prev_d) = (0usize, 1usize, 1u8);
        for k in 0..syndromes.len() {
            let mut d = syndromes[k];
            for i in 1..=errors.min(sigma.len() - 1) {
                d ^= self.mul(sigma[i], syndromes[k - i]);
            }
            if d == 0 {
                shift += 1;
                continue;
            }
            let factor = self.div(d, prev_d);
            let mut next = sigma.clone();
            next.resize(next.len().max(prev.len() + shift), 0);
            for (i, &p) in prev.iter().enumerate() {
                next[i + shift] ^= self.mul(factor, p);
            }
            if 2 * errors <= k {
                prev = std::mem::replace(&mut sigma, next);
                errors = k + 1 - errors;
                prev_d = d;
                shift = 1;
            } else {
                sigma = next;
                shift += 1;
            }
        }
        if 2 * errors > syndromes.len() {
            return None;
        }
        // Ω = S·σ mod x^ecc, lowest power first.
        let mut omega = vec![0u8; syndromes.len()];
        for (i, &s) in syndromes.iter().enumerate() {
            for (j, &c) in sigma.iter().enumerate() {
                if i + j < omega.len() {
                    omega[i + j] ^= self.mul(s, c);
                }
            }
        }
        let mut found = 0;
        for (position, codeword) in block.iter_mut().enumerate() {
            let power = (n - 1 - position) as isize;
            let x_inv = self.pow(-power);
            if self.eval(&sigma, x_inv) != 0 {
                continue;
            }
            // σ'(x): in characteristic 2 only the odd terms survive differentiation.
            let derivative: u8 = sigma
                .iter()
                .enumerate()
                .skip(1)
                .step_by(2)
                .fold(0u8, |acc, (i, &c)| {
                    acc ^ self.mul(c, self.pow(-power * (i as isize - 1)))
                });
            if derivative == 0 {
                return None;
            }
            let magnitude = self.mul(
                self.pow(power),
                self.div(self.eval(&omega, x_inv), derivative),
            );
            *codeword ^= magnitude;
            found += 1;
        }
        let clean = self
            .syndromes(block, syndromes.len())
            .iter()
            .all(|&s| s == 0);
        (found == errors && clean).then_some(())
    }
}

/// Reads the segments of the data codewords.
fn parse(data: &[u8], version: usize) -> Option<Payload> {
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
    fn a_grid_whose_version_blocks_disagree_with_its_size_is_turned_away() {
        let code =
            qrcode::QrCode::with_version("tem", qrcode::Version::Normal(7), qrcode::EcLevel::M)
                .unwrap();
        let (size, colours) = (code.width(), code.to_colors());
        let dark = |x: usize, y: usize| colours[y * size + x] == qrcode::Color::Dark;
        let grid = rqrr::SimpleGrid::from_func(size, dark);
        assert_eq!(
            decode(&grid).map(|payload| payload.bytes),
            Some(b"tem".to_vec())
        );
        // Both blocks with 4 wrong modules: beyond what BCH(18, 6) corrects.
        let in_block = |x: usize, y: usize| {
            let near = |a: usize, b: usize| a < 2 && (size - 11..size - 9).contains(&b);
            near(x, y) || near(y, x)
        };
        let damaged = rqrr::SimpleGrid::from_func(size, |x, y| dark(x, y) != in_block(x, y));
        assert!(decode(&damaged).is_none());
    }

    /// `data` followed by its `ecc` Reed–Solomon parity codewords, as a QR encoder writes them.
    fn with_parity(gf: &Gf, data: &[u8], ecc: usize) -> Vec<u8> {
        // Generator ∏ (x − αⁱ), highest power first.
        let mut generator = vec![1u8];
        for i in 0..ecc {
            let root = gf.pow(i as isize);
            let mut next = vec![0u8; generator.len() + 1];
            for (j, &c) in generator.iter().enumerate() {
                next[j] ^= c;
                next[j + 1] ^= gf.mul(c, root);
            }
            generator = next;
        }
        let mut remainder = data.to_vec();
        remainder.resize(data.len() + ecc, 0);
        for i in 0..data.len() {
            let factor = remainder[i];
            for (j, &g) in generator.iter().enumerate() {
                remainder[i + j] ^= gf.mul(g, factor);
            }
        }
        [data, &remainder[data.len()..]].concat()
    }

    #[test]
    fn reed_solomon_corrects_up_to_half_as_many_codewords_as_it_has_parity() {
        let gf = Gf::new();
        let data: Vec<u8> = (0..16u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(5))
            .collect();
        let clean = with_parity(&gf, &data, 10);
        assert!(gf.syndromes(&clean, 10).iter().all(|&s| s == 0));
        let mut damaged = clean.clone();
        for (position, flip) in [(0, 0xff), (3, 1), (9, 0x80), (17, 0x2a), (25, 7)] {
            damaged[position] ^= flip;
        }
        let syndromes = gf.syndromes(&damaged, 10);
        assert_eq!(gf.correct(&mut damaged, &syndromes), Some(()));
        assert_eq!(damaged, clean);
    }

    #[test]
    fn reed_solomon_refuses_more_errors_than_it_can_correct() {
        let gf = Gf::new();
        let data: Vec<u8> = (0..16).map(|i| i * 11 + 3).collect();
        let mut damaged = with_parity(&gf, &data, 10);
        for position in [1, 4, 8, 12, 19, 23] {
            damaged[position] ^= 0x55;
        }
        let syndromes = gf.syndromes(&damaged, 10);
        assert_eq!(gf.correct(&mut damaged, &syndromes), None);
    }

    #[test]
    fn block_layout_is_found_from_the_codeword_count_and_level() {
        // Version 1-M: one block of 16 data and 10 parity codewords.
        let gf = Gf::new();
        let data: Vec<u8> = (0..16).map(|i| 200 - i * 3).collect();
        let mut codewords = with_parity(&gf, &data, 10);
        codewords[2] ^= 0x10;
        assert_eq!(correct(&gf, &codewords, 0), Some(data));
    }

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

    #[test]
    fn format_codewords_match_the_standard_table() {
        // ISO/IEC 18004 table C.1: M with mask 0, L with mask 0, H with mask 7.
        assert_eq!(format_codeword(0b00_000), 0x5412);
        assert_eq!(format_codeword(0b01_000), 0x77c4);
        assert_eq!(format_codeword(0b10_111), 0x083b);
    }

    #[test]
    fn version_codewords_match_the_standard_table() {
        // ISO/IEC 18004 table D.1.
        assert_eq!(version_codeword(7), 0x07c94);
        assert_eq!(version_codeword(21), 0x15683);
        assert_eq!(version_codeword(40), 0x28c69);
    }

    #[test]
    fn format_codewords_are_seven_bits_apart() {
        for a in 0..32 {
            for b in a + 1..32 {
                assert!((format_codeword(a) ^ format_codeword(b)).count_ones() >= 7);
            }
        }
    }

    #[test]
    fn alignment_centres_match_the_standard_table() {
        assert_eq!(alignment_centres(1), Vec::<usize>::new());
        assert_eq!(alignment_centres(2), [6, 18]);
        assert_eq!(alignment_centres(7), [6, 22, 38]);
        assert_eq!(alignment_centres(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_centres(40), [6, 30, 58, 86, 114, 142, 170]);
    }
}
