//! Sorting the short lists tem sorts (a code's elements, a verdict's checks, a record's
//! missing fields). std's sort is built for long slices: each element type it is used on
//! adds kilobytes of code to the widget's wasm. An insertion sort is a few dozen bytes, and
//! on lists this short std's own sort runs one too.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in the order they came (a stable sort).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for end in 1..items.len() {
        let mut at = end;
        while at > 0 && compare(&items[at - 1], &items[at]) == Ordering::Greater {
            items.swap(at - 1, at);
            at -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_std_does_and_keeps_equal_items_in_order() {
        let mut seed = 7_u32;
        for len in 0..40 {
            let items: Vec<(u32, usize)> = (0..len)
                .map(|index| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 5, index)
                })
                .collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut theirs = items;
            theirs.sort_by_key(|a| a.0);
            assert_eq!(ours, theirs);
        }
    }
}
