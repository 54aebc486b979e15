//! Master data carried in the document (`epcisHeader.epcisMasterData.vocabularyList`, or a
//! query's `resultsBody.vocabularyList`): the names and addresses that turn a GLN into a
//! place or party a shopper recognises.

use std::collections::BTreeMap;

use super::error::EpcisError;
use super::fields::Fields;

/// Names and addresses by identifier (SGLN, PGLN, Digital Link …), as written in the events.
#[derive(Debug, Default)]
pub(super) struct MasterData(BTreeMap<String, Entry>);

#[derive(Debug, Default)]
pub(super) struct Entry {
    pub name: Option<String>,
    pub address: Option<String>,
}

/// CBV master data attributes that make up a postal address, in the order they are written.
const ADDRESS_PARTS: &[&str] = &[
    "streetAddressOne",
    "streetAddressTwo",
    "streetAddressThree",
    "city",
    "state",
    "postalCode",
    "countryCode",
];

impl MasterData {
    /// Reads a `vocabularyList`, adding to what earlier lists gave.
    pub(super) fn read(&mut self, vocabularies: &[Fields<'_>]) -> Result<(), EpcisError> {
        for vocabulary in vocabularies {
            vocabulary.required_uri("type")?;
            for element in vocabulary.objects("vocabularyElementList")? {
                let id = element.required_uri("id")?;
                // Only checked: a malformed header is reported, not skipped.
                element.uri_list("children")?;
                let mut attributes = BTreeMap::new();
                for attribute in element.objects("attributes")? {
                    let name = attribute.required_uri("id")?;
                    // `urn:epcglobal:cbv:mda#name`, `cbvmda:name`, `https://…/name`.
                    let local = name.rsplit(['#', ':', '/']).next().unwrap_or(name);
                    // Numbers and objects are valid attribute values but name nothing.
                    if let Ok(Some(text)) = attribute.str("attribute") {
                        attributes.insert(local.to_string(), text.trim().to_string());
                    }
                }
                let address: Vec<String> = ADDRESS_PARTS
                    .iter()
                    .filter_map(|part| attributes.get(*part))
                    .filter(|part| !part.is_empty())
                    .cloned()
                    .collect();
                let entry = self.0.entry(id.to_string()).or_default();
                if let Some(name) = attributes.remove("name").filter(|n| !n.is_empty()) {
                    entry.name = Some(name);
                }
                if !address.is_empty() {
                    entry.address = Some(address.join(", "));
                }
            }
        }
        Ok(())
    }

    pub(super) fn get(&self, id: &str) -> Option<&Entry> {
        self.0.get(id)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::epcis::error::Where;

    #[test]
    fn names_and_addresses_are_read_from_cbv_attributes_in_any_spelling() {
        let header = json!({"vocabularyList": [{
            "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
            "vocabularyElementList": [{
                "id": "urn:epc:id:sgln:8936012.00001.0",
                "attributes": [
                    {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Kho lạnh Đông Anh"},
                    {"id": "cbvmda:streetAddressOne", "attribute": "12 Cao Lỗ"},
                    {"id": "cbvmda:city", "attribute": "Hà Nội"},
                    {"id": "cbvmda:countryCode", "attribute": "VN"},
                    {"id": "cbvmda:latitude", "attribute": 21.1}
                ]
            }]
        }]});
        let Value::Object(map) = &header else {
            unreachable!("built as an object")
        };
        let at = Where::Document;
        let mut master = MasterData::default();
        master
            .read(
                &Fields::new(map, &at)
                    .objects("vocabularyList")
                    .expect("list"),
            )
            .expect("valid");
        let entry = master
            .get("urn:epc:id:sgln:8936012.00001.0")
            .expect("entry");
        assert_eq!(entry.name.as_deref(), Some("Kho lạnh Đông Anh"));
        assert_eq!(entry.address.as_deref(), Some("12 Cao Lỗ, Hà Nội, VN"));
    }
}
