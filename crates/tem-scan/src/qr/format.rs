//! Format and version information, read first: the level and mask they give decide how every
//! codeword is read, and a version block that disagrees with the grid's size turns a bad grid
//! away before Reed–Solomon is spent on it.

use rqrr::BitGrid;

/// The format information (error correction level, 2 bits, then mask, 3 bits) its two copies
/// are nearest to, nearest first: each copy is a 15-bit BCH codeword, which corrects up to 3
/// wrong modules.
pub(super) fn formats(grid: &dyn BitGrid) -> Vec<u16> {
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
pub(super) fn version_agrees(grid: &dyn BitGrid, version: usize) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::decode;

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
}
