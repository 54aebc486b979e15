//! What: the objects an event names (EPCs and quantities), which of them went in and which
//! came out, and the lot data (ILMD) given for them.

use serde_json::Value;

use super::kind::Kind;
use crate::epcis::error::{EpcisError, Rule};
use crate::epcis::fields::Fields;
use crate::epcis::identifier;
use crate::epcis::{Action, Ilmd};

pub(super) fn ilmd(f: &Fields<'_>) -> Result<Option<Ilmd>, EpcisError> {
    let Some(map) = f.raw_object("ilmd")? else {
        return Ok(None);
    };
    let mut ilmd = Ilmd::default();
    for (key, value) in map {
        // CBV master data attributes arrive compact (`cbvmda:lotNumber`) or as full URIs, and
        // private vocabularies reuse CBV's names for the same things, so the local name decides.
        let local = key.rsplit([':', '/', '#']).next().unwrap_or(key);
        let slot = match local {
            "lotNumber" => Some(&mut ilmd.lot),
            "itemExpirationDate" => Some(&mut ilmd.expiry_date),
            "bestBeforeDate" => Some(&mut ilmd.best_before_date),
            "sellByDate" => Some(&mut ilmd.sell_by_date),
            "countryOfOrigin" => Some(&mut ilmd.country_of_origin),
            _ => None,
        };
        match (slot, value) {
            (Some(slot), Value::String(text)) => *slot = Some(text.clone()),
            (_, Value::String(text)) => {
                ilmd.attributes.insert(key.clone(), text.clone());
            }
            (_, other) => {
                ilmd.attributes.insert(key.clone(), other.to_string());
            }
        }
    }
    Ok(Some(ilmd))
}

/// `epcClass` made readable, with its quantity and unit when given.
fn quantities(f: &Fields<'_>, name: &str) -> Result<Vec<String>, EpcisError> {
    f.objects(name)?
        .iter()
        .map(|item| {
            item.only(&["epcClass", "quantity", "uom"])?;
            let class = identifier::readable(item.required_uri("epcClass")?);
            let quantity = item.number("quantity")?;
            let uom = item.str("uom")?;
            if let Some(uom) = uom
                && !((2..=3).contains(&uom.len())
                    && uom
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
            {
                return Err(item.invalid("uom", uom, Rule::UnitOfMeasure));
            }
            Ok(match (quantity, uom) {
                (Some(q), Some(uom)) => format!("{class} × {q} {uom}"),
                (Some(q), None) => format!("{class} × {q}"),
                (None, _) => class,
            })
        })
        .collect()
}

fn epcs(f: &Fields<'_>, name: &str) -> Result<Vec<String>, EpcisError> {
    Ok(f.uri_list(name)?
        .into_iter()
        .map(identifier::readable)
        .collect())
}

/// What went in and what came out. For objects observed or created, the objects are what the
/// step leaves behind (outputs); what is deleted or packed away is what went in.
pub(super) fn objects(
    f: &Fields<'_>,
    kind: Kind,
    action: Option<Action>,
    has_read_point: bool,
) -> Result<(Vec<String>, Vec<String>), EpcisError> {
    let deleting = action == Some(Action::Delete);
    match kind {
        Kind::Object | Kind::Transaction => {
            let mut listed = epcs(f, "epcList")?;
            listed.extend(quantities(f, "quantityList")?);
            let sensor_only = has_read_point && !f.array("sensorElementList")?.is_empty();
            let named = f.has("epcList") || !f.array("quantityList")?.is_empty();
            let allowed = match kind {
                Kind::Object => named || sensor_only,
                _ => named || deleting,
            };
            if !allowed {
                return Err(EpcisError::NoObjects {
                    at: f.at().clone(),
                    needs: if kind == Kind::Object {
                        "epcList, quantityList, or sensorElementList with readPoint"
                    } else {
                        "epcList or quantityList (unless action is DELETE)"
                    },
                });
            }
            let mut objects: Vec<String> = f
                .uri("parentID")?
                .map(identifier::readable)
                .into_iter()
                .collect();
            objects.extend(listed);
            Ok(if deleting {
                (objects, Vec::new())
            } else {
                (Vec::new(), objects)
            })
        }
        Kind::Aggregation | Kind::Association => {
            let parent = match (kind, f.uri("parentID")?) {
                (Kind::Association, None) => return Err(f.missing("parentID")),
                (_, parent) => parent.map(identifier::readable),
            };
            let mut children = epcs(f, "childEPCs")?;
            children.extend(quantities(f, "childQuantityList")?);
            if children.is_empty() && !deleting {
                return Err(EpcisError::NoObjects {
                    at: f.at().clone(),
                    needs: "childEPCs or childQuantityList (unless action is DELETE)",
                });
            }
            let parent: Vec<String> = parent.into_iter().collect();
            Ok(match action {
                Some(Action::Add) => (children, parent),
                Some(Action::Delete) => (parent, children),
                _ => (Vec::new(), parent.into_iter().chain(children).collect()),
            })
        }
        Kind::Transformation => {
            let mut inputs = epcs(f, "inputEPCList")?;
            inputs.extend(quantities(f, "inputQuantityList")?);
            let mut outputs = epcs(f, "outputEPCList")?;
            outputs.extend(quantities(f, "outputQuantityList")?);
            let identified = f.uri("transformationID")?.is_some();
            let complete = !inputs.is_empty() && !outputs.is_empty();
            let partial = identified && !(inputs.is_empty() && outputs.is_empty());
            if !complete && !partial {
                return Err(EpcisError::NoObjects {
                    at: f.at().clone(),
                    needs: "both inputs (inputEPCList or inputQuantityList) and outputs (outputEPCList or outputQuantityList), or a transformationID with one of them",
                });
            }
            Ok((inputs, outputs))
        }
        Kind::Extension => Ok((Vec::new(), Vec::new())),
    }
}
