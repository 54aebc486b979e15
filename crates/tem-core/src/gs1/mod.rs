//! GS1 Application Identifier rules, read from a table generated from the GS1 Barcode Syntax
//! Dictionary: formats, character sets, check digits, dates, Digital Link primary keys and
//! their qualifiers, and which AIs require or exclude each other.

mod check;
mod date;
mod error;
mod names;
mod pairing;
mod rules;
mod table;
mod validate;

pub use check::{check_character_pair, gtin_check_digit, has_valid_check_digit};
pub use date::Gs1Date;
pub use error::Gs1Error;
pub use names::{field_name, field_name_vi, title_vi};
pub use pairing::check_pairings;
pub use rules::{
    Rule, ai_at_start, ai_length, company_prefix_start, is_key_qualifier, is_primary_key,
    qualifier_sequences, rule,
};
pub use validate::{Charset, ContentRule, length_bounds, validate};
