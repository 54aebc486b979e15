//! Printable sample stamps: PNG QR codes of GS1 Digital Links pointing at this portal, a page
//! to print them from, and a JSON index for scripts and tests.

use std::fs;
use std::io;
use std::path::Path;

use qrcode::{Color, EcLevel, QrCode};
use sha2::{Digest, Sha256};
use tem_core::payload;

use crate::db::Key;
use crate::error::PortalError;
use crate::html::escape;

const MODULE_PIXELS: usize = 8;
const QUIET_MODULES: usize = 4;

#[derive(Debug, serde::Serialize)]
pub struct Stamp {
    pub record_id: String,
    pub name: String,
    pub gtin: String,
    pub lot: String,
    pub serial: Option<String>,
    pub url: String,
    pub png: String,
    /// The demo case this stamp shows (`cloned`, `void` …), if it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<&'static str>,
    #[serde(skip)]
    pub caption: Option<&'static str>,
}

/// A stamp to print: what it is for, and the link it carries.
pub struct Spec {
    pub key: Key,
    pub name: String,
    pub url: String,
    pub case: Option<crate::cases::Case>,
}

/// The Digital Link a stamp for `key` carries.
pub fn digital_link(base_url: &str, key: &Key) -> String {
    let elements = [
        Some(("01", key.gtin.as_str())),
        key.lot.as_deref().map(|lot| ("10", lot)),
        key.serial.as_deref().map(|serial| ("21", serial)),
    ];
    format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        payload::digital_link_path(elements.into_iter().flatten())
    )
}

/// Writes a PNG for every stamp, the printable `index.html` and `stamps.json` into `out`,
/// creating it if needed. A stamp whose link no QR code can hold is left out, with a warning.
pub fn write(specs: Vec<Spec>, out: &Path) -> Result<Vec<Stamp>, PortalError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PortalError::Io { path, source }
    };
    fs::create_dir_all(out).map_err(io_error(out))?;
    let mut stamps = Vec::new();
    for Spec {
        key,
        name,
        url,
        case,
    } in specs
    {
        let lot = key.lot.clone().unwrap_or_default();
        let record_id = Key::record_id(&key.gtin, &lot, key.serial.as_deref());
        let Ok(code) = QrCode::with_error_correction_level(&url, EcLevel::M) else {
            tracing::warn!(
                stamp = %key,
                length = url.len(),
                "skipped: its link is too long for a QR code (a shorter --base-url may help)"
            );
            continue;
        };
        let png = file_name(&record_id);
        let path = out.join(&png);
        write_png(&path, &code).map_err(io_error(&path))?;
        stamps.push(Stamp {
            record_id,
            name,
            gtin: key.gtin,
            lot,
            serial: key.serial,
            url,
            png,
            case: case.map(|c| c.name()),
            caption: case.map(|c| c.caption()),
        });
    }
    let index = out.join("stamps.json");
    let json = serde_json::to_vec_pretty(&stamps).map_err(io::Error::other);
    json.and_then(|json| fs::write(&index, json))
        .map_err(io_error(&index))?;
    let page_path = out.join("index.html");
    fs::write(&page_path, page(&stamps)).map_err(io_error(&page_path))?;
    Ok(stamps)
}

/// The longest record id kept whole in a file name, well under any file system's limit.
const MAX_PLAIN_NAME: usize = 64;

/// The PNG's name for a record: the id itself when it is short and made of characters safe
/// everywhere; otherwise a readable prefix of it, `~` (which plain names never have) and a
/// hash of the whole id, so that a lot with `/` or thousands of characters has a name too.
pub fn file_name(record_id: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if record_id.len() <= MAX_PLAIN_NAME
        && record_id.chars().all(safe)
        && !record_id.starts_with('.')
    {
        return format!("{record_id}.png");
    }
    let prefix: String = record_id
        .chars()
        .take(40)
        .map(|c| if safe(c) { c } else { '_' })
        .collect();
    let digest = Sha256::digest(record_id.as_bytes());
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}~{hash}.png", prefix.trim_start_matches('.'))
}

fn write_png(path: &Path, code: &QrCode) -> io::Result<()> {
    let modules = code.width();
    let side = (modules + 2 * QUIET_MODULES) * MODULE_PIXELS;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (mx, my) = (
                index % modules + QUIET_MODULES,
                index / modules + QUIET_MODULES,
            );
            for y in my * MODULE_PIXELS..(my + 1) * MODULE_PIXELS {
                pixels[y * side + mx * MODULE_PIXELS..y * side + (mx + 1) * MODULE_PIXELS].fill(0);
            }
        }
    }
    let side = u32::try_from(side).map_err(io::Error::other)?;
    let file = io::BufWriter::new(fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(io::Error::other)?;
    writer.write_image_data(&pixels).map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)
}

fn page(stamps: &[Stamp]) -> String {
    let cards: String = stamps
        .iter()
        .map(|s| {
            format!(
                "<figure><img src=\"{png}\" alt=\"QR\"><figcaption>{caption}<strong>{name}</strong><br>GTIN {gtin} · Lô {lot}{serial}<br><code>{url}</code></figcaption></figure>\n",
                caption = s.caption.map(|c| format!("<em>{}</em><br>", escape(c))).unwrap_or_default(),
                png = escape(&s.png),
                name = escape(&s.name),
                gtin = s.gtin,
                lot = escape(&s.lot),
                serial = s.serial.as_deref().map(|x| format!(" · Sê-ri {}", escape(x))).unwrap_or_default(),
                url = escape(&s.url),
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">
<title>Tem mẫu — tem</title><style>
body{{font:14px system-ui,sans-serif;margin:16px}}main{{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px}}
figure{{margin:0;border:1px dashed #999;padding:8px;break-inside:avoid;text-align:center}}img{{width:180px;height:180px;image-rendering:pixelated}}
code{{font-size:10px;word-break:break-all}}@media print{{p{{display:none}}}}</style></head><body>
<h1>Tem truy xuất nguồn gốc mẫu</h1><p>In trang này hoặc quét trực tiếp trên màn hình bằng điện thoại. Dữ liệu là dữ liệu mẫu.</p>
<main>{cards}</main></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_keep_their_name_and_others_get_a_short_safe_one() {
        assert_eq!(
            file_name("08936012345674.MO2604.A0001"),
            "08936012345674.MO2604.A0001.png"
        );
        let slash = file_name("08936012345674.LOT/25");
        assert!(slash.starts_with("08936012345674.LOT_25~"), "{slash}");
        assert_ne!(slash, file_name("08936012345674.LOT_25"));
        assert_ne!(slash, file_name("08936012345674.LOT:25"));
        let long = file_name(&format!("08936012345674.{}", "A".repeat(3000)));
        assert!(long.len() < 80, "{long}");
        for hostile in ["../../etc/passwd", ".hidden", "a\0b", "lô/25"] {
            let name = file_name(hostile);
            assert!(!name.contains('/') && !name.starts_with('.'), "{name}");
        }
    }
}
