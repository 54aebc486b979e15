//! What can be wrong with a payload, and what was accepted only leniently: each in English
//! (Display) and Vietnamese (`message_vi`), and serialised with a stable `code`.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::gs1::{self, Gs1Error};

/// Text longer than any QR code can hold (7089 digits at most) is not from a stamp.
pub const MAX_INPUT: usize = 7089;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    Empty,
    TooLong {
        length: usize,
    },
    /// None of the forms a traceability stamp uses. The text is kept so the page can show it
    /// (escaped); it is never opened.
    NotTraceabilityCode {
        raw: String,
    },
    /// A GS1 value or combination of values that breaks a rule of the syntax dictionary.
    Gs1(Gs1Error),
    /// A link whose visible host is not where it goes (`https://id.gs1.org@evil.example/…`).
    DisguisedHost {
        shown: String,
        real: String,
    },
    /// A link to a host made to look like a known traceability platform.
    LookalikeHost {
        host: String,
        resembles: &'static str,
    },
    /// A Digital Link path key with no value after it.
    MissingValue {
        ai: String,
    },
    /// Key qualifiers not in one of the orders the standard allows.
    QualifierOrder {
        key: String,
        found: Vec<String>,
        allowed: String,
    },
    /// An AI that identifies (a key or key qualifier) given as a query data attribute, or a
    /// data attribute given in the path.
    MisplacedAi {
        ai: String,
        in_path: bool,
    },
    /// Percent-escapes that decode to bytes that are not UTF-8.
    PercentEncoding {
        ai: String,
    },
    /// A Digital Link whose path ends in `/` after its GS1 data.
    TrailingSlash,
}

impl From<Gs1Error> for PayloadError {
    fn from(error: Gs1Error) -> Self {
        PayloadError::Gs1(error)
    }
}

impl PayloadError {
    pub fn code(&self) -> &'static str {
        match self {
            PayloadError::Empty => "empty",
            PayloadError::TooLong { .. } => "too_long",
            PayloadError::NotTraceabilityCode { .. } => "not_traceability_code",
            PayloadError::Gs1(error) => error.code(),
            PayloadError::DisguisedHost { .. } => "disguised_host",
            PayloadError::LookalikeHost { .. } => "lookalike_host",
            PayloadError::MissingValue { .. } => "missing_value",
            PayloadError::QualifierOrder { .. } => "qualifier_order",
            PayloadError::MisplacedAi { .. } => "misplaced_ai",
            PayloadError::PercentEncoding { .. } => "percent_encoding",
            PayloadError::TrailingSlash => "trailing_slash",
        }
    }

    /// The AI the error is about, when there is one.
    pub fn ai(&self) -> Option<&str> {
        match self {
            PayloadError::Gs1(error) => Some(error.ai()),
            PayloadError::MissingValue { ai }
            | PayloadError::MisplacedAi { ai, .. }
            | PayloadError::PercentEncoding { ai } => Some(ai),
            PayloadError::QualifierOrder { key, .. } => Some(key),
            _ => None,
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            PayloadError::Empty => "Mã trống".into(),
            PayloadError::TooLong { length } => {
                format!("Mã dài {length} ký tự, quá dài để là mã QR trên tem (tối đa {MAX_INPUT})")
            }
            PayloadError::NotTraceabilityCode { .. } => {
                "Đây không phải mã truy xuất nguồn gốc".into()
            }
            PayloadError::Gs1(error) => error.message_vi(),
            PayloadError::DisguisedHost { shown, real } => {
                format!("Đường dẫn giả dạng {shown} nhưng thực ra dẫn tới {real}")
            }
            PayloadError::LookalikeHost { host, resembles } => {
                format!("Tên miền {host} giả dạng {resembles}")
            }
            PayloadError::MissingValue { ai } => {
                format!(
                    "{} trong đường dẫn không có giá trị",
                    gs1::field_name_vi(ai)
                )
            }
            PayloadError::QualifierOrder {
                key,
                found,
                allowed,
            } => format!(
                "Các thành phần phụ của {} phải theo thứ tự {allowed}, nhưng là {}",
                gs1::field_name_vi(key),
                found.join(", ")
            ),
            PayloadError::MisplacedAi { ai, in_path: true } => {
                format!(
                    "{} là thuộc tính dữ liệu, phải nằm trong phần truy vấn (?{ai}=…)",
                    gs1::field_name_vi(ai)
                )
            }
            PayloadError::MisplacedAi { ai, in_path: false } => {
                format!(
                    "{} là khoá hoặc thành phần của khoá, phải nằm trong đường dẫn (/{ai}/…)",
                    gs1::field_name_vi(ai)
                )
            }
            PayloadError::PercentEncoding { ai } => {
                format!(
                    "{}: mã hoá phần trăm sai (sau % phải là hai chữ số hệ 16, kết quả phải là UTF-8)",
                    gs1::field_name_vi(ai)
                )
            }
            PayloadError::TrailingSlash => {
                "Đường dẫn Digital Link không được kết thúc bằng dấu /".into()
            }
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::Empty => write!(f, "the code is empty"),
            PayloadError::TooLong { length } => {
                write!(
                    f,
                    "the code is {length} characters long, more than a QR code can hold ({MAX_INPUT})"
                )
            }
            PayloadError::NotTraceabilityCode { .. } => write!(f, "not a traceability code"),
            PayloadError::Gs1(error) => error.fmt(f),
            PayloadError::DisguisedHost { shown, real } => {
                write!(f, "the link pretends to go to {shown} but goes to {real}")
            }
            PayloadError::LookalikeHost { host, resembles } => {
                write!(f, "the domain {host} imitates {resembles}")
            }
            PayloadError::MissingValue { ai } => {
                write!(f, "{} in the link path has no value", gs1::field_name(ai))
            }
            PayloadError::QualifierOrder {
                key,
                found,
                allowed,
            } => write!(
                f,
                "key qualifiers of {} should come in the order {allowed}, found {}",
                gs1::field_name(key),
                found.join(", ")
            ),
            PayloadError::MisplacedAi { ai, in_path: true } => write!(
                f,
                "{} is a data attribute and belongs in the query (?{ai}=…), not the path",
                gs1::field_name(ai)
            ),
            PayloadError::MisplacedAi { ai, in_path: false } => write!(
                f,
                "{} identifies the item and belongs in the path (/{ai}/…), not the query",
                gs1::field_name(ai)
            ),
            PayloadError::PercentEncoding { ai } => write!(
                f,
                "{} is not correctly percent-encoded (% must be followed by two hex digits, giving UTF-8)",
                gs1::field_name(ai)
            ),
            PayloadError::TrailingSlash => write!(f, "a Digital Link path must not end with /"),
        }
    }
}

impl std::error::Error for PayloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PayloadError::Gs1(error) => Some(error),
            _ => None,
        }
    }
}

/// Serialised as `{"code", "message", "message_vi", "ai"?, "raw"?, "display"?}`, the shape the CLI and the
/// widget show.
impl Serialize for PayloadError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        map.serialize_entry("message_vi", &self.message_vi())?;
        if let Some(ai) = self.ai() {
            map.serialize_entry("ai", ai)?;
        }
        if let PayloadError::NotTraceabilityCode { raw } = self {
            map.serialize_entry("raw", raw)?;
            map.serialize_entry("display", &super::display_text(raw, 200))?;
        }
        map.end()
    }
}

/// Something accepted only leniently, or worth the shopper's attention.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A GTIN-8, -12 or -13 where a Digital Link needs 14 digits.
    PaddedGtin { given: String },
    /// A deprecated Digital Link path alias such as `/gtin/` for `/01/`.
    DeprecatedAlias { alias: String, ai: String },
    /// Plain HTTP: anyone on the network could change what the link shows.
    NotHttps,
    /// A link without `https://`, as typed by hand.
    NoScheme,
    /// A host with non-Latin or accented letters (shown in its `xn--` form): check it carefully.
    InternationalDomain { host: String },
    /// A host made to look like a known traceability or GS1 domain.
    LookalikeHost {
        host: String,
        resembles: &'static str,
    },
}

impl Warning {
    pub fn code(&self) -> &'static str {
        match self {
            Warning::PaddedGtin { .. } => "padded_gtin",
            Warning::DeprecatedAlias { .. } => "deprecated_alias",
            Warning::NotHttps => "not_https",
            Warning::NoScheme => "no_scheme",
            Warning::InternationalDomain { .. } => "international_domain",
            Warning::LookalikeHost { .. } => "lookalike_host",
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            Warning::PaddedGtin { given } => format!(
                "GTIN {given} có {} chữ số; được đọc là {given:0>14} (Digital Link cần 14 chữ số)",
                given.len()
            ),
            Warning::DeprecatedAlias { alias, ai } => {
                format!("Đường dẫn dùng tên cũ '{alias}' thay cho mã AI ({ai}) của GS1")
            }
            Warning::NotHttps => {
                "Đường dẫn không dùng HTTPS, nội dung có thể bị thay đổi trên đường truyền".into()
            }
            Warning::NoScheme => "Đường dẫn thiếu https://".into(),
            Warning::InternationalDomain { host } => {
                format!("Tên miền {host} có chữ có dấu hoặc không phải chữ Latin: hãy kiểm tra kỹ")
            }
            Warning::LookalikeHost { host, resembles } => {
                format!("Tên miền {host} giả dạng {resembles}")
            }
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::PaddedGtin { given } => write!(
                f,
                "GTIN {given} has {} digits; read as {given:0>14} (a Digital Link needs 14)",
                given.len()
            ),
            Warning::DeprecatedAlias { alias, ai } => {
                write!(
                    f,
                    "the link uses the outdated name '{alias}' instead of GS1 AI ({ai})"
                )
            }
            Warning::NotHttps => write!(
                f,
                "the link is not HTTPS, so what it shows could be changed on the way"
            ),
            Warning::NoScheme => write!(f, "the link has no https://"),
            Warning::InternationalDomain { host } => {
                write!(
                    f,
                    "the domain {host} uses accented or non-Latin letters: check it carefully"
                )
            }
            Warning::LookalikeHost { host, resembles } => {
                write!(f, "the domain {host} imitates {resembles}")
            }
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        map.serialize_entry("message_vi", &self.message_vi())?;
        map.end()
    }
}
