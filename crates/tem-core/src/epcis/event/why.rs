//! Why: the business step and dispositions in CBV words, and the business transactions.

use serde_json::Value;

use super::kind::Kind;
use crate::epcis::cbv::{self, Vocabulary};
use crate::epcis::error::{EpcisError, shown};
use crate::epcis::fields::{Fields, type_name};
use crate::epcis::{BizTransaction, PersistentDisposition, Warnings};

pub(super) fn vocabulary(
    f: &Fields<'_>,
    name: &str,
    vocabulary: Vocabulary,
    warnings: &mut Warnings,
) -> Result<Option<String>, EpcisError> {
    let Some(value) = f.str(name)? else {
        return Ok(None);
    };
    Ok(Some(normalised(f, name, value, vocabulary, warnings)))
}

fn normalised(
    f: &Fields<'_>,
    name: &str,
    value: &str,
    vocabulary: Vocabulary,
    warnings: &mut Warnings,
) -> String {
    cbv::normalise(value, vocabulary).unwrap_or_else(|word| {
        warnings.push(format!(
            "{}: {} '{}' is neither a CBV term nor a URI",
            f.at(),
            f.path(name),
            shown(&word)
        ));
        word
    })
}

pub(super) fn persistent_disposition(
    f: &Fields<'_>,
    warnings: &mut Warnings,
) -> Result<Option<PersistentDisposition>, EpcisError> {
    let Some(p) = f.object("persistentDisposition")? else {
        return Ok(None);
    };
    p.only(&["set", "unset"])?;
    if !p.has("set") && !p.has("unset") {
        return Err(p.missing("set"));
    }
    let mut list = |name: &str| -> Result<Vec<String>, EpcisError> {
        p.non_empty_array(name)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let path = format!("{name}[{index}]");
                match item {
                    Value::String(text) => Ok(normalised(
                        &p,
                        &path,
                        text,
                        Vocabulary::Disposition,
                        warnings,
                    )),
                    other => Err(EpcisError::WrongType {
                        at: p.at().clone(),
                        field: p.path(&path),
                        expected: "a string",
                        found: type_name(other),
                    }),
                }
            })
            .collect()
    };
    Ok(Some(PersistentDisposition {
        set: list("set")?,
        unset: list("unset")?,
    }))
}

pub(super) fn transactions(f: &Fields<'_>, kind: Kind) -> Result<Vec<BizTransaction>, EpcisError> {
    if kind == Kind::Transaction {
        if !f.has("bizTransactionList") {
            return Err(f.missing("bizTransactionList"));
        }
        f.non_empty_array("bizTransactionList")?;
    }
    f.objects("bizTransactionList")?
        .iter()
        .map(|item| {
            item.only(&["type", "bizTransaction"])?;
            Ok(BizTransaction {
                kind: item.str("type")?.map(str::to_string),
                id: item.required_uri("bizTransaction")?.to_string(),
            })
        })
        .collect()
}
