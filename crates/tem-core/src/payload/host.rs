//! The host a link really points at, in the ASCII form a browser would use, and whether it
//! imitates a domain shoppers trust.

/// Domains whose lookalikes are worth a warning: GS1's resolver and the platforms.
const TRUSTED: &[&str] = &[
    "id.gs1.org",
    "gs1.org",
    "gs1vn.org.vn",
    "truyxuatnguongoc.gov.vn",
    "verigoods.vn",
    "ndatrace.vn",
    "vnptcheck.vn",
    "icheck.vn",
    "check.net.vn",
];

/// Lowercases the host and converts labels with non-ASCII letters to punycode (`xn--…`);
/// None when what is left is not a DNS name or IP address.
pub(super) fn to_ascii(host: &str) -> Option<String> {
    let lower = crate::text::lowercase(host);
    let lower = lower.trim_end_matches('.');
    if lower.is_empty() || lower.len() > 253 {
        return None;
    }
    let mut labels = Vec::new();
    for label in lower.split(['.', '\u{3002}', '\u{ff0e}']) {
        let ascii = if label.is_ascii() {
            label.to_string()
        } else {
            format!("xn--{}", punycode(label)?)
        };
        let valid = !ascii.is_empty()
            && ascii.len() <= 63
            && ascii
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !ascii.starts_with('-')
            && !ascii.ends_with('-');
        if !valid {
            return None;
        }
        labels.push(ascii);
    }
    Some(labels.join("."))
}

/// The host of `[2001:db8::1]` (given without its `[`), with any `:port` after `]` allowed;
/// None for anything else, zone identifiers included (they only mean something locally).
pub(super) fn ipv6_literal(literal: &str) -> Option<String> {
    let (inside, rest) = literal.split_once(']')?;
    let port_ok = rest.is_empty()
        || rest
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let address_ok = inside.contains(':')
        && inside
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    (port_ok && address_ok).then(|| format!("[{}]", inside.to_ascii_lowercase()))
}

pub(super) fn is_international(ascii_host: &str) -> bool {
    ascii_host.split('.').any(|label| label.starts_with("xn--"))
}

/// The trusted domain `host` imitates without being it (or a subdomain of it), if any.
/// `unicode_host` is the host as written, so that Cyrillic and Greek lookalikes are caught.
pub(super) fn imitated(ascii_host: &str, unicode_host: &str) -> Option<&'static str> {
    if TRUSTED.iter().any(|t| is_within(ascii_host, t)) {
        return None;
    }
    let shape = skeleton(unicode_host);
    TRUSTED.iter().copied().find(|trusted| {
        let target = skeleton(trusted);
        shape == target
            || shape.ends_with(&format!(".{target}"))
            // `verigoods.vn.example.com`, `verigoods-vn.com`: the trusted name inside another domain.
            || shape.replace('.', "").contains(&target.replace('.', ""))
    })
}

/// True for `domain` itself and its subdomains.
pub(super) fn is_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// A crude visual skeleton: letters that look alike map to one, separators vanish.
fn skeleton(host: &str) -> String {
    let mut out = String::with_capacity(host.len());
    for c in crate::text::lowercase(host).chars() {
        let mapped = match c {
            '0' | 'о' | 'ο' | 'ó' | 'ò' | 'ô' | 'ơ' | 'ö' => 'o',
            '1' | 'l' | 'і' | 'ı' | 'í' | 'ì' | 'ï' | '|' => 'i',
            'а' | 'α' | 'á' | 'à' | 'â' | 'ă' | 'ä' => 'a',
            'е' | 'ε' | 'é' | 'è' | 'ê' | 'ë' => 'e',
            'с' | 'ϲ' => 'c',
            'р' | 'ρ' => 'p',
            'х' | 'χ' => 'x',
            'у' | 'ý' | 'ỳ' => 'y',
            'ѕ' | '5' => 's',
            'ј' => 'j',
            'ԁ' | 'đ' => 'd',
            'ɡ' | '9' => 'g',
            'ν' | 'ú' | 'ù' | 'ư' | 'ü' => 'u',
            'т' | 'τ' => 't',
            'к' | 'κ' => 'k',
            'н' => 'h',
            'м' => 'm',
            'п' => 'n',
            '-' | '_' | '\u{3002}' | '\u{ff0e}' => continue,
            other => other,
        };
        out.push(mapped);
    }
    out.replace("rn", "m").replace("vv", "w")
}

/// RFC 3492 punycode encoding of one label (without the `xn--` prefix).
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let digit = |d: u32| -> char {
        let d = d as u8;
        if d < 26 {
            (b'a' + d) as char
        } else {
            (b'0' + d - 26) as char
        }
    };
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_names_become_punycode() {
        assert_eq!(
            to_ascii("Bücher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(
            to_ascii("truyxuất.vn").as_deref(),
            Some("xn--truyxut-co4c.vn")
        );
        assert_eq!(to_ascii("ID.GS1.ORG").as_deref(), Some("id.gs1.org"));
        // Browsers lower a host before encoding it, Vietnamese capitals included.
        assert_eq!(
            to_ascii("TRUYXUẤT.VN").as_deref(),
            Some("xn--truyxut-co4c.vn")
        );
        assert_eq!(to_ascii("bad host"), None);
        assert_eq!(to_ascii("-x.vn"), None);
    }

    #[test]
    fn lookalikes_of_trusted_domains_are_named() {
        assert_eq!(
            imitated("xn--verigods-sbh.vn", "verigoоds.vn"),
            Some("verigoods.vn")
        );
        // In capitals: Cyrillic О (U+041E) for O.
        assert_eq!(
            imitated("xn--verigods-sbh.vn", "VERIGOОDS.VN"),
            Some("verigoods.vn")
        );
        assert_eq!(
            imitated("verigoods-vn.com", "verigoods-vn.com"),
            Some("verigoods.vn")
        );
        assert_eq!(
            imitated("icheck.vn.example.com", "icheck.vn.example.com"),
            Some("icheck.vn")
        );
        assert_eq!(imitated("id.gs1.org", "id.gs1.org"), None);
        assert_eq!(
            imitated("hungyen.check.net.vn", "hungyen.check.net.vn"),
            None
        );
        assert_eq!(imitated("brand.example.vn", "brand.example.vn"), None);
    }
}
