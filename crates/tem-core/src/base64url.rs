//! Unpadded URL-safe base64 (RFC 4648 §5), as JWS, JWKs, stamp signatures (AI 8030) and
//! compressed Digital Links write it.
//!
//! Decoding is strict so that one byte string has exactly one text: signatures are compared
//! and reported by their text, and a lenient decoder would let several texts pass for one.

/// The 64 characters in value order.
pub(crate) const ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The 6-bit value of one character; None for padding, `+`, `/` and everything else.
pub(crate) fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .fold(0u32, |acc, &byte| (acc << 8) | u32::from(byte))
            << (8 * (3 - chunk.len()));
        // n bytes fill n + 1 characters; the rest of the group would be padding.
        for index in 0..=chunk.len() {
            let value = (group >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET[value as usize]));
        }
    }
    out
}

/// The bytes of `text`; None for a character outside the URL-safe alphabet (padding included),
/// a length that no byte string has (≡ 1 mod 4), or unused trailing bits that are not zero.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        buffer = (buffer << 6) | u32::from(sextet(byte)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (buffer == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpadded_text_decodes() {
        assert_eq!(
            decode("eyJhbGciOiJFUzI1NiJ9").as_deref(),
            Some(&b"{\"alg\":\"ES256\"}"[..])
        );
        assert_eq!(decode("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn padding_the_standard_alphabet_and_impossible_lengths_are_refused() {
        assert_eq!(decode("Y"), None);
        assert_eq!(decode("a+b/"), None);
        assert_eq!(decode("YQ=="), None);
        assert_eq!(decode("YQ "), None);
    }

    #[test]
    fn trailing_bits_that_are_not_zero_are_refused() {
        // "YQ" and "YR" differ only in the unused low bits of the last character.
        assert_eq!(decode("YR"), None);
        assert_eq!(decode("YWI"), Some(b"ab".to_vec()));
        assert_eq!(decode("YWJ"), None);
    }

    #[test]
    fn encoding_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255).collect();
        for length in 0..40 {
            let text = encode(&bytes[..length]);
            assert!(!text.contains('='));
            assert_eq!(text.len(), (length * 4).div_ceil(3));
            assert_eq!(decode(&text).as_deref(), Some(&bytes[..length]));
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
    }
}
