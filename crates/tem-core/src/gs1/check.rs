//! Check digits (GS1 mod 10) and the check character pairs that end a GMN or MUDI.

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
pub(super) const CSET82: &[u8] =
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gs1::{Gs1Error, validate};

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
}
