//! Text from outside (a QR code, a portal's record) made safe to show as text. HTML escaping is
//! the page's job; this keeps text from showing other than it reads: zero-width and
//! direction-changing characters (a right-to-left override can make `gpj.exe` read `exe.jpg`)
//! and control characters are written out as `\u{…}`.

/// Zero-width and direction-changing characters.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `text` with every control, zero-width and direction-changing character written as
/// `\u{…}`, so that what is shown is what the text holds.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_and_zero_width_characters_are_written_out() {
        assert_eq!(neutralise("Mật ong\u{202e}gnoM"), "Mật ong\\u{202e}gnoM");
        assert_eq!(neutralise("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(neutralise("dòng\nmới"), "dòng\\u{a}mới");
        assert_eq!(neutralise("Nước mắm <b>"), "Nước mắm <b>");
    }
}
