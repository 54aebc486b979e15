//! Existing Vietnamese traceability systems, recognised by host. Their paths are their own;
//! tem only pulls out the code they identify the product by.

use serde::Serialize;

use super::host::is_within;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Platform {
    /// truyxuatnguongoc.gov.vn, the national traceability portal.
    NationalPortal,
    VeriGoods,
    NdaTrace,
    VnptCheck,
    ICheck,
    /// A provincial system under `*.check.net.vn`.
    Provincial,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::NationalPortal => {
                "Cổng thông tin truy xuất nguồn gốc sản phẩm, hàng hóa quốc gia"
            }
            Platform::VeriGoods => "VeriGoods",
            Platform::NdaTrace => "NDATrace",
            Platform::VnptCheck => "VNPT Check",
            Platform::ICheck => "iCheck",
            Platform::Provincial => "check.net.vn",
        }
    }

    pub fn from_host(host: &str) -> Option<Platform> {
        let platform = match () {
            _ if is_within(host, "truyxuatnguongoc.gov.vn") => Platform::NationalPortal,
            _ if is_within(host, "verigoods.vn") => Platform::VeriGoods,
            _ if is_within(host, "ndatrace.vn") => Platform::NdaTrace,
            _ if is_within(host, "vnptcheck.vn") => Platform::VnptCheck,
            _ if is_within(host, "icheck.vn") => Platform::ICheck,
            // The bare domain is the provinces' common landing page, not a province's system.
            _ if host.ends_with(".check.net.vn") => Platform::Provincial,
            _ => return None,
        };
        Some(platform)
    }

    /// The platform's own code for the product in a link's path and query, None when the
    /// link names no product (a home page).
    pub(super) fn code(self, path: &str, query: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let after = |marker: &str| {
            segments
                .iter()
                .position(|s| s.eq_ignore_ascii_case(marker))
                .and_then(|i| segments.get(i + 1))
                .copied()
        };
        let from_query = query.split('&').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            let known = ["code", "id", "ma", "qr", "c"]
                .iter()
                .any(|n| name.eq_ignore_ascii_case(n));
            (known && !value.is_empty()).then_some(value)
        });
        let code = match self {
            Platform::VnptCheck => after("check").or(from_query).or(segments.last().copied()),
            Platform::ICheck => after("san-pham")
                .or(from_query)
                .or(segments.last().copied()),
            // NDATrace paths are Digital Link paths: the whole path is the code.
            Platform::NdaTrace if !segments.is_empty() => return Some(segments.join("/")),
            _ => from_query.or(segments.last().copied()),
        }?;
        // The code is shown to the shopper, so decoding must not smuggle in hidden characters.
        super::percent_decode(code).filter(|c| !c.is_empty() && !super::has_hidden_characters(c))
    }
}
