//! Text from outside (a QR code, a portal's record) made safe to show as text. HTML escaping is
//! the page's job; this keeps text from showing other than it reads: zero-width and
//! direction-changing characters (a right-to-left override can make `gpj.exe` read `exe.jpg`)
//! and control characters are written out as `\u{…}`. It also lowers text for comparing.

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

/// `text` in lower case, as hosts and names are compared: the letters of Latin (Vietnamese's
/// included), Greek and Cyrillic are lowered and every other character is kept. Those are the
/// scripts stamps, their lookalike domains and place names are written in, and lowering only
/// them keeps Unicode's whole case table (what `str::to_lowercase` needs, 6.6 KB gzip) out
/// of the widget's page.
pub fn lowercase(text: &str) -> String {
    text.chars().map(lower).collect()
}

fn lower(c: char) -> char {
    let code = u32::from(c);
    let odd = code % 2 == 1;
    let lowered = match code {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde | 0x391..=0x3a1 | 0x3a3..=0x3ab | 0x410..=0x42f => {
            code + 0x20
        }
        // Blocks where each capital is followed by its small letter.
        0x100..=0x12f
        | 0x132..=0x137
        | 0x14a..=0x177
        | 0x1a0..=0x1a1
        | 0x1de..=0x1ef
        | 0x1f8..=0x21f
        | 0x222..=0x233
        | 0x246..=0x24f
        | 0x460..=0x481
        | 0x48a..=0x4bf
        | 0x4d0..=0x52f
        | 0x1e00..=0x1e95
        | 0x1ea0..=0x1eff
            if !odd =>
        {
            code + 1
        }
        0x139..=0x148 | 0x179..=0x17e | 0x1af | 0x1cd..=0x1dc | 0x4c1..=0x4ce if odd => code + 1,
        0x178 => 0xff,
        0x1e9e => 0xdf,
        0x386 => 0x3ac,
        0x388..=0x38a => code + 0x25,
        0x38c => 0x3cc,
        0x38e..=0x38f => code + 0x3f,
        0x400..=0x40f => code + 0x50,
        0x4c0 => 0x4cf,
        _ => code,
    };
    char::from_u32(lowered).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unicode's own lowering of `c`, when it is one character.
    fn unicode_lower(c: char) -> Option<char> {
        let mut lowered = c.to_lowercase();
        let first = lowered.next()?;
        lowered.next().is_none().then_some(first)
    }

    #[test]
    fn lowering_never_disagrees_with_unicode() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let ours = lower(c);
            assert!(
                ours == c || Some(ours) == unicode_lower(c),
                "U+{:04X} lowered to U+{:04X}",
                u32::from(c),
                u32::from(ours)
            );
        }
    }

    #[test]
    fn every_latin_greek_and_cyrillic_capital_of_these_blocks_is_lowered() {
        let blocks = [
            0x0000..=0x017f, // Basic Latin, Latin-1, Latin Extended-A
            0x1e00..=0x1eff, // Latin Extended Additional: Vietnamese's stacked marks
            0x0386..=0x03ab, // modern Greek
            0x0400..=0x052f, // Cyrillic and its supplement
        ];
        for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
            if let Some(expected) = unicode_lower(c) {
                assert_eq!(lower(c), expected, "U+{:04X}", u32::from(c));
            }
        }
        assert_eq!(lowercase("ƠƯ ĐƯỜNG HỒ CHÍ MINH"), "ơư đường hồ chí minh");
        assert_eq!(lowercase("VЕRІGOODS.VN ΑΒΓ"), "vеrіgoods.vn αβγ");
        assert_eq!(lowercase("İ 中文 ⅰ"), "İ 中文 ⅰ");
    }

    #[test]
    fn bidi_overrides_and_zero_width_characters_are_written_out() {
        assert_eq!(neutralise("Mật ong\u{202e}gnoM"), "Mật ong\\u{202e}gnoM");
        assert_eq!(neutralise("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(neutralise("dòng\nmới"), "dòng\\u{a}mới");
        assert_eq!(neutralise("Nước mắm <b>"), "Nước mắm <b>");
    }
}
