//! Product illustrations, drawn as small SVGs so the demo needs no photo files and no CDN.

/// (slug, background, accent, short label)
const ART: &[(&str, &str, &str, &str)] = &[
    ("mat-ong-hoa-nhan", "#f6c445", "#a86a00", "Mật ong"),
    ("long-nhan", "#c98b4a", "#6b3e12", "Long nhãn"),
    ("nuoc-mam-cat-hai", "#b5542c", "#5a2410", "Nước mắm"),
    ("mia-tim-ngoc-lac", "#7a4f8f", "#3c2148", "Mía tím"),
    ("nem-chua", "#e08a7c", "#2e7d32", "Nem chua"),
    ("nuoc-nhan", "#d9c27a", "#1e6f5c", "Nước nhãn"),
    ("me-xung-hue", "#e3b86b", "#7a4b12", "Mè xửng"),
    ("gao-nep-cai-hoa-vang", "#f2e3a1", "#8a7a2a", "Nếp cái"),
];

pub fn svg(slug: &str) -> Option<String> {
    let (_, background, accent, label) = ART.iter().find(|(s, ..)| *s == slug)?;
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="14" fill="{background}"/><circle cx="48" cy="40" r="22" fill="{accent}" opacity=".85"/><circle cx="40" cy="33" r="6" fill="#fff" opacity=".5"/><text x="48" y="84" font-family="system-ui,sans-serif" font-size="12" font-weight="700" text-anchor="middle" fill="{accent}">{label}</text></svg>"##
    ))
}
