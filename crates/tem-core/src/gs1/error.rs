//! [`Gs1Error`]: what was wrong with a GS1 value, with its text in Vietnamese and English.

use std::fmt;

use super::names::{field_name, field_name_vi};
use super::rules::rule;
use super::validate::{Charset, ContentRule, components};

/// Why a GS1 value is wrong, naming the field and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gs1Error {
    UnknownAi {
        ai: String,
    },
    Empty {
        ai: String,
    },
    Length {
        ai: String,
        min: usize,
        max: usize,
        found: usize,
    },
    Charset {
        ai: String,
        position: usize,
        character: char,
        allowed: Charset,
    },
    CheckDigit {
        ai: String,
        expected: String,
        found: String,
    },
    Date {
        ai: String,
        value: String,
        format: &'static str,
    },
    /// A content rule of the dictionary other than length, characters, check digit or date.
    Content {
        ai: String,
        value: String,
        rule: ContentRule,
    },
    Duplicate {
        ai: String,
    },
    Requires {
        ai: String,
        alternatives: String,
    },
    Excludes {
        ai: String,
        other: String,
    },
}

impl Gs1Error {
    /// A stable machine-readable name for the rule that was broken.
    pub fn code(&self) -> &'static str {
        match self {
            Gs1Error::UnknownAi { .. } => "unknown_ai",
            Gs1Error::Empty { .. } => "empty_value",
            Gs1Error::Length { .. } => "length",
            Gs1Error::Charset { .. } => "charset",
            Gs1Error::CheckDigit { .. } => "check_digit",
            Gs1Error::Date { .. } => "date",
            Gs1Error::Content { .. } => "content",
            Gs1Error::Duplicate { .. } => "duplicate_ai",
            Gs1Error::Requires { .. } => "requires_ai",
            Gs1Error::Excludes { .. } => "excludes_ai",
        }
    }

    pub fn ai(&self) -> &str {
        match self {
            Gs1Error::UnknownAi { ai }
            | Gs1Error::Empty { ai }
            | Gs1Error::Length { ai, .. }
            | Gs1Error::Charset { ai, .. }
            | Gs1Error::CheckDigit { ai, .. }
            | Gs1Error::Date { ai, .. }
            | Gs1Error::Content { ai, .. }
            | Gs1Error::Duplicate { ai }
            | Gs1Error::Requires { ai, .. }
            | Gs1Error::Excludes { ai, .. } => ai,
        }
    }

    pub fn message_vi(&self) -> String {
        let field = field_name_vi(self.ai());
        match self {
            Gs1Error::UnknownAi { ai } => format!("({ai}) không phải mã ứng dụng (AI) GS1"),
            Gs1Error::Empty { .. } => format!("{field} không có giá trị"),
            Gs1Error::Length {
                ai,
                min,
                max,
                found,
            } => {
                let unit = if numeric(ai) {
                    "chữ số"
                } else {
                    "ký tự"
                };
                format!(
                    "{field} phải có {} {unit}, nhưng có {found}",
                    span(*min, *max, "đến")
                )
            }
            Gs1Error::Charset {
                position,
                character,
                allowed,
                ..
            } => format!(
                "{field}: ký tự {character:?} ở vị trí {position} không được phép ({})",
                allowed.vietnamese()
            ),
            Gs1Error::CheckDigit {
                expected, found, ..
            } => {
                format!("Số kiểm tra của {field} phải là {expected}, nhưng là {found}")
            }
            Gs1Error::Date { value, format, .. } => {
                format!("{field} phải là một ngày dạng {format}, nhưng là {value}")
            }
            Gs1Error::Content { value, rule, .. } => {
                format!("{field} phải là {}, nhưng là {value}", rule.vietnamese())
            }
            Gs1Error::Duplicate { .. } => {
                format!("{field} xuất hiện nhiều lần")
            }
            Gs1Error::Requires { alternatives, .. } => {
                format!("{field} chỉ dùng kèm với {alternatives}")
            }
            Gs1Error::Excludes { other, .. } => {
                format!("{field} không được dùng cùng {}", field_name_vi(other))
            }
        }
    }
}

/// True when every part of the AI's format is digits, so lengths are counted in digits.
fn numeric(ai: &str) -> bool {
    rule(ai).is_some_and(|r| components(r.spec).all(|c| c.charset == Charset::Digits))
}

fn span(min: usize, max: usize, to: &str) -> String {
    if min == max {
        min.to_string()
    } else {
        format!("{min} {to} {max}")
    }
}

impl fmt::Display for Gs1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = field_name(self.ai());
        match self {
            Gs1Error::UnknownAi { ai } => write!(f, "({ai}) is not a GS1 Application Identifier"),
            Gs1Error::Empty { .. } => write!(f, "{field} has no value"),
            Gs1Error::Length {
                ai,
                min,
                max,
                found,
            } => {
                let unit = if numeric(ai) { "digits" } else { "characters" };
                write!(
                    f,
                    "{field} should have {} {unit}, found {found}",
                    span(*min, *max, "to")
                )
            }
            Gs1Error::Charset {
                position,
                character,
                allowed,
                ..
            } => write!(
                f,
                "{field}: character {character:?} at position {position} is not allowed ({})",
                allowed.english()
            ),
            Gs1Error::CheckDigit {
                expected, found, ..
            } => {
                write!(f, "{field} check digit should be {expected}, found {found}")
            }
            Gs1Error::Date { value, format, .. } => {
                write!(f, "{field} should be a date {format}, found {value}")
            }
            Gs1Error::Content { value, rule, .. } => {
                write!(f, "{field} should be {}, found {value}", rule.english())
            }
            Gs1Error::Duplicate { .. } => write!(f, "{field} appears more than once"),
            Gs1Error::Requires { alternatives, .. } => {
                write!(f, "{field} is only valid together with {alternatives}")
            }
            Gs1Error::Excludes { other, .. } => {
                write!(
                    f,
                    "{field} cannot be used together with {}",
                    field_name(other)
                )
            }
        }
    }
}

impl std::error::Error for Gs1Error {}

#[cfg(test)]
mod tests {
    use crate::gs1::validate;

    #[test]
    fn messages_name_the_field_and_the_rule() {
        let error = validate("01", "08936012345677").unwrap_err();
        assert_eq!(error.to_string(), "GTIN check digit should be 4, found 7");
        assert_eq!(
            error.message_vi(),
            "Số kiểm tra của Mã sản phẩm (GTIN) phải là 4, nhưng là 7"
        );
        assert_eq!(
            validate("01", "893601234567").unwrap_err().to_string(),
            "GTIN should have 14 digits, found 12"
        );
        assert_eq!(
            validate("10", "LÔ1").unwrap_err().to_string(),
            "AI (10) BATCH/LOT: character 'Ô' at position 2 is not allowed (GS1 character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_))"
        );
        let expiry = validate("17", "261331").unwrap_err();
        assert_eq!(
            expiry.to_string(),
            "AI (17) USE BY or EXPIRY should be a date YYMMDD, found 261331"
        );
        assert_eq!(
            expiry.message_vi(),
            "Hạn sử dụng phải là một ngày dạng YYMMDD, nhưng là 261331"
        );
    }
}
