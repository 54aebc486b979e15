//! Typed reads of one JSON object's members, each failure reported with the event and the
//! full field path (`quantityList[0].uom`), so schema violations read like the schema.

use serde_json::{Map, Value};

use super::error::{EpcisError, Rule, Where};

pub(super) struct Fields<'a> {
    map: &'a Map<String, Value>,
    at: &'a Where,
    /// Path of this object inside the event, with a trailing `.` (empty at the event's top).
    prefix: String,
}

impl<'a> Fields<'a> {
    pub(super) fn new(map: &'a Map<String, Value>, at: &'a Where) -> Self {
        Fields {
            map,
            at,
            prefix: String::new(),
        }
    }

    pub(super) fn at(&self) -> &'a Where {
        self.at
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &'a String> {
        self.map.keys()
    }

    pub(super) fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    pub(super) fn missing(&self, name: &str) -> EpcisError {
        EpcisError::Missing {
            at: self.at.clone(),
            field: self.path(name),
        }
    }

    pub(super) fn invalid(&self, name: &str, value: &str, rule: Rule) -> EpcisError {
        EpcisError::Invalid {
            at: self.at.clone(),
            field: self.path(name),
            value: value.to_string(),
            rule,
        }
    }

    fn wrong_type(&self, field: String, expected: &'static str, found: &Value) -> EpcisError {
        EpcisError::WrongType {
            at: self.at.clone(),
            field,
            expected,
            found: type_name(found),
        }
    }

    /// For objects the schema closes (`additionalProperties: false`): any other member is
    /// an error, since a misspelt one would lose its value silently.
    pub(super) fn only(&self, allowed: &'static [&'static str]) -> Result<(), EpcisError> {
        match self.map.keys().find(|key| !allowed.contains(&key.as_str())) {
            None => Ok(()),
            Some(key) => Err(EpcisError::UnexpectedField {
                at: self.at.clone(),
                field: self.path(key),
                allowed,
            }),
        }
    }

    pub(super) fn str(&self, name: &str) -> Result<Option<&'a str>, EpcisError> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(self.wrong_type(self.path(name), "a string", other)),
        }
    }

    pub(super) fn required_str(&self, name: &str) -> Result<&'a str, EpcisError> {
        self.str(name)?.ok_or_else(|| self.missing(name))
    }

    pub(super) fn number(&self, name: &str) -> Result<Option<f64>, EpcisError> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Value::Number(number)) => Ok(number.as_f64()),
            Some(other) => Err(self.wrong_type(self.path(name), "a number", other)),
        }
    }

    pub(super) fn bool(&self, name: &str) -> Result<Option<bool>, EpcisError> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(other) => Err(self.wrong_type(self.path(name), "a boolean", other)),
        }
    }

    pub(super) fn uri(&self, name: &str) -> Result<Option<&'a str>, EpcisError> {
        let Some(text) = self.str(name)? else {
            return Ok(None);
        };
        self.check_uri(self.path(name), text).map(Some)
    }

    pub(super) fn required_uri(&self, name: &str) -> Result<&'a str, EpcisError> {
        self.uri(name)?.ok_or_else(|| self.missing(name))
    }

    fn check_uri(&self, field: String, text: &'a str) -> Result<&'a str, EpcisError> {
        if is_uri(text) {
            Ok(text)
        } else {
            Err(EpcisError::NotUri {
                at: self.at.clone(),
                field,
                value: text.to_string(),
            })
        }
    }

    /// The members of an array, empty when the field is absent.
    pub(super) fn array(&self, name: &str) -> Result<&'a [Value], EpcisError> {
        match self.map.get(name) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.wrong_type(self.path(name), "an array", other)),
        }
    }

    /// An array the schema requires to have items when it is present.
    pub(super) fn non_empty_array(&self, name: &str) -> Result<&'a [Value], EpcisError> {
        let items = self.array(name)?;
        if self.has(name) && items.is_empty() {
            return Err(self.invalid(name, "[]", Rule::NotEmpty));
        }
        Ok(items)
    }

    /// An array of URIs (`epcList`, `childEPCs`, `correctiveEventIDs` …).
    pub(super) fn uri_list(&self, name: &str) -> Result<Vec<&'a str>, EpcisError> {
        self.array(name)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let field = format!("{}[{index}]", self.path(name));
                match item {
                    Value::String(text) => self.check_uri(field, text),
                    other => Err(self.wrong_type(field, "a string", other)),
                }
            })
            .collect()
    }

    /// A field the schema allows as one URI or a list of them (`certificationInfo`).
    pub(super) fn uri_or_uri_list(&self, name: &str) -> Result<Vec<&'a str>, EpcisError> {
        match self.map.get(name) {
            None => Ok(Vec::new()),
            Some(Value::String(text)) => Ok(vec![self.check_uri(self.path(name), text)?]),
            Some(Value::Array(_)) => self.uri_list(name),
            Some(other) => {
                Err(self.wrong_type(self.path(name), "a string or an array of strings", other))
            }
        }
    }

    pub(super) fn object(&self, name: &str) -> Result<Option<Fields<'a>>, EpcisError> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(self.nested(map, self.path(name)))),
            Some(other) => Err(self.wrong_type(self.path(name), "an object", other)),
        }
    }

    /// The raw members of an object field, for open-ended content such as ILMD.
    pub(super) fn raw_object(
        &self,
        name: &str,
    ) -> Result<Option<&'a Map<String, Value>>, EpcisError> {
        match self.map.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(other) => Err(self.wrong_type(self.path(name), "an object", other)),
        }
    }

    /// Each member of an array of objects, as fields named `name[i]`.
    pub(super) fn objects(&self, name: &str) -> Result<Vec<Fields<'a>>, EpcisError> {
        self.array(name)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let path = format!("{}[{index}]", self.path(name));
                match item {
                    Value::Object(map) => Ok(self.nested(map, path)),
                    other => Err(self.wrong_type(path, "an object", other)),
                }
            })
            .collect()
    }

    fn nested(&self, map: &'a Map<String, Value>, path: String) -> Fields<'a> {
        Fields {
            map,
            at: self.at,
            prefix: format!("{path}."),
        }
    }
}

pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// RFC 3986's shape where it matters here: a scheme, a colon, something after it, and no
/// spaces or control characters (which no URI may contain unescaped).
pub(super) fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_uri;

    #[test]
    fn uris_need_a_scheme_and_no_spaces() {
        for uri in [
            "urn:epc:id:sgtin:0614141.107346.2017",
            "https://id.gs1.org/01/09520123456788",
            "ni:///sha-256;df7b?ver=CBV2.0",
            "geo:42.698334,23.319941",
            "example:myField",
        ] {
            assert!(is_uri(uri), "{uri}");
        }
        for not_uri in [
            "",
            "0614141.107346.2017",
            ":x",
            "1urn:x",
            "urn:",
            "urn:a b",
            "ur n:x",
        ] {
            assert!(!is_uri(not_uri), "{not_uri}");
        }
    }
}
