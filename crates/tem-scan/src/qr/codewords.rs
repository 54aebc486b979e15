//! The codewords in the order the encoder placed them, unmasked: which modules carry data
//! follows from the version alone, and the sampler looks for the same alignment patterns.

use rqrr::BitGrid;

/// The codewords in placement order, unmasked.
pub(super) fn codewords(grid: &dyn BitGrid, version: usize, mask: u16) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_centres_match_the_standard_table() {
        assert_eq!(alignment_centres(1), Vec::<usize>::new());
        assert_eq!(alignment_centres(2), [6, 18]);
        assert_eq!(alignment_centres(7), [6, 22, 38]);
        assert_eq!(alignment_centres(32), [6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_centres(40), [6, 30, 58, 86, 114, 142, 170]);
    }
}
