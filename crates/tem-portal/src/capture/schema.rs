//! The official EPCIS 2.0 JSON schema, as a validator built once at start-up.

use std::path::Path;

use serde_json::Value;

use super::store::Problem;
use crate::error::PortalError;

pub struct Schema(jsonschema::Validator);

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Schema(EPCIS 2.0)")
    }
}

impl Schema {
    /// Reads and compiles the schema at `path`; a file that is not a draft-07 schema is an
    /// error at start-up rather than a capture that lets everything through.
    pub fn load(path: &Path) -> Result<Schema, PortalError> {
        let invalid = |reason: String| PortalError::Schema {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read(path).map_err(|source| PortalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let schema: Value =
            serde_json::from_slice(&text).map_err(|e| invalid(format!("not JSON: {e}")))?;
        if schema.pointer("/definitions/epcisDocument").is_none() {
            return Err(invalid("it does not define EPCISDocument".into()));
        }
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&schema)
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Schema(validator))
    }

    /// What the schema finds wrong with `document`, each at its JSON pointer; at most `max`.
    pub fn problems(&self, document: &Value, max: usize) -> Vec<Problem> {
        self.0
            .iter_errors(document)
            .take(max)
            .map(|error| {
                let at = error.instance_path().to_string();
                Problem::at(
                    if at.is_empty() { "/".into() } else { at },
                    error.to_string(),
                )
            })
            .collect()
    }
}
