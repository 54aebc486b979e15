//! Reading JSON from outside into tem's types: one reader, used by everything the widget
//! parses (records, trust lists, JWS headers, the portal's answers).
//!
//! A small parser into a tree ([`Value`]), and each type read from the tree by hand
//! ([`FromJson`]). serde's derived readers, instantiated for every type, were the largest
//! avoidable part of the widget's wasm; this reads the same documents in a fraction of the
//! code. It accepts what serde_json and the types' derives accept (the tests hold them side
//! by side): RFC 8259 JSON in UTF-8, nothing after the value; a struct only from an object,
//! its unknown members ignored, a member it knows given twice refused, an optional member
//! missing or `null` read as `None`, a list missing read as empty. One difference: nesting
//! deeper than [`MAX_DEPTH`] is refused everywhere, also inside a member that is ignored
//! (serde_json skips those at any depth).

use std::fmt;

/// How deeply arrays and objects may nest, as in serde_json: no document tem reads comes
/// near it, and the parser's recursion stays far from the stack's end.
pub const MAX_DEPTH: usize = 128;

/// A JSON value. Numbers keep their text, so that integers are read exactly.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    /// Members in document order, duplicates kept: [`Object`] refuses those it is asked for.
    Object(Vec<(String, Value)>),
}

/// Why bytes are not the JSON value asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Not JSON at all, rather than JSON of the wrong shape.
    syntax: bool,
    message: String,
}

impl Error {
    fn syntax(at: usize, what: &str) -> Error {
        Error {
            syntax: true,
            message: format!("{what} at byte {at}"),
        }
    }

    /// JSON of the wrong shape for the type.
    pub fn data(message: impl Into<String>) -> Error {
        Error {
            syntax: false,
            message: message.into(),
        }
    }

    /// The value was JSON, but not what the type holds.
    pub fn is_data(&self) -> bool {
        !self.syntax
    }

    pub(crate) fn inside(mut self, member: &str) -> Error {
        self.message = format!("{member}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Reads a `T` from `bytes`, which must hold exactly one JSON value.
pub fn from_slice<T: FromJson>(bytes: &[u8]) -> Result<T, Error> {
    T::from_json(&parse(bytes)?)
}

/// Parses `bytes`, which must hold exactly one JSON value.
pub fn parse(bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes)
        .map_err(|error| Error::syntax(error.valid_up_to(), "not UTF-8"))?;
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(MAX_DEPTH)?;
    parser.skip_space();
    if parser.at < text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> Error {
        Error::syntax(self.at, what)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Skips `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Error> {
        self.skip_space();
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        self.skip_space();
        let literal = |parser: &mut Self, word: &str, value: Value| {
            if parser.text[parser.at..].starts_with(word) {
                parser.at += word.len();
                Ok(value)
            } else {
                Err(parser.error("expected a value"))
            }
        };
        match self.peek() {
            Some(b'{' | b'[') if depth == 0 => Err(self.error("nested too deeply")),
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                self.skip_space();
                if self.eat(b'}') {
                    return Ok(Value::Object(members));
                }
                loop {
                    self.skip_space();
                    if self.peek() != Some(b'"') {
                        return Err(self.error("expected a member name"));
                    }
                    let name = self.string()?;
                    self.expect(b':', "expected `:`")?;
                    members.push((name, self.value(depth - 1)?));
                    self.skip_space();
                    if !self.eat(b',') {
                        self.expect(b'}', "expected `,` or `}`")?;
                        return Ok(Value::Object(members));
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth - 1)?);
                    self.skip_space();
                    if !self.eat(b',') {
                        self.expect(b']', "expected `,` or `]`")?;
                        return Ok(Value::Array(items));
                    }
                }
            }
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => literal(self, "true", Value::Bool(true)),
            Some(b'f') => literal(self, "false", Value::Bool(false)),
            Some(b'n') => literal(self, "null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Value, Error> {
        let start = self.at;
        self.eat(b'-');
        if !self.eat(b'0') && self.digits() == 0 {
            return Err(self.error("expected a digit"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.error("expected a digit after `.`"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return Err(self.error("expected an exponent"));
            }
        }
        Ok(Value::Number(self.text[start..self.at].to_string()))
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// A string, from its opening quote on.
    fn string(&mut self) -> Result<String, Error> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            // Quotes, backslashes and control characters are ASCII, so every stop is on a
            // character boundary of the text, which is UTF-8 already.
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// `\uXXXX`, or a surrogate pair of two, from the `u` on; leaves `at` on the last digit.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.at += 1;
                if !self.text[self.at..].starts_with("\\u") {
                    return Err(self.error("lone leading surrogate"));
                }
                self.at += 1;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("lone trailing surrogate"))
    }

    /// Four hex digits after the `u` at `at`; leaves `at` on the last one.
    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .text
            .get(self.at + 1..self.at + 5)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))
    }
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The error for this value where `expected` belongs.
    pub fn unexpected(&self, expected: &str) -> Error {
        Error::data(format!("expected {expected}, found {}", self.kind()))
    }
}

/// A type read from a JSON value, refusing any other shape.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, Error>;
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(other.unexpected("a string")),
        }
    }
}

/// An integer as JSON writes one: no fraction, no exponent, in range. `-0` is not one:
/// serde_json reads it as a float.
fn integer<T: std::str::FromStr>(value: &Value, expected: &str) -> Result<T, Error> {
    match value {
        Value::Number(text) if text != "-0" => text.parse().map_err(|_| value.unexpected(expected)),
        other => Err(other.unexpected(expected)),
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Result<Self, Error> {
        integer(value, "an unsigned integer")
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Result<Self, Error> {
        integer(value, "an integer")
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, Error> {
        match value {
            // A loop rather than `collect` into a `Result`: the same, in less code per type.
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(T::from_json(item)?);
                }
                Ok(out)
            }
            other => Err(other.unexpected("an array")),
        }
    }
}

/// An object's members, read as a struct's fields.
#[derive(Clone, Copy)]
pub struct Object<'v>(&'v [(String, Value)]);

impl<'v> Object<'v> {
    /// `value` as an object; `what` names the struct in the error.
    pub fn of(value: &'v Value, what: &str) -> Result<Object<'v>, Error> {
        match value {
            Value::Object(members) => Ok(Object(members)),
            other => Err(other.unexpected(&format!("{what} (an object)"))),
        }
    }

    /// The member called `name`, if there is one; a second of that name is an error.
    pub fn member(self, name: &str) -> Result<Option<&'v Value>, Error> {
        let mut found = self
            .0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value);
        match (found.next(), found.next()) {
            (_, Some(_)) => Err(Error::data(format!("duplicate member `{name}`"))),
            (first, None) => Ok(first),
        }
    }

    fn read<T: FromJson>(
        self,
        name: &str,
        missing: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self.member(name)? {
            Some(value) => T::from_json(value).map_err(|error| error.inside(name)),
            None => missing(),
        }
    }

    /// A member that must be there.
    pub fn required<T: FromJson>(self, name: &str) -> Result<T, Error> {
        self.read(name, || {
            Err(Error::data(format!("missing member `{name}`")))
        })
    }

    /// A member that may be missing or `null`.
    pub fn optional<T: FromJson>(self, name: &str) -> Result<Option<T>, Error> {
        self.read(name, || Ok(None))
    }

    /// A list that may be missing (empty), but not `null`.
    pub fn list<T: FromJson>(self, name: &str) -> Result<Vec<T>, Error> {
        self.read(name, || Ok(Vec::new()))
    }
}

/// Each type read by hand, member by member as its serde attributes say (`optional` for an
/// `Option`, `list` for a `Vec` with a default): see the module's notes.
macro_rules! from_json {
    ($($type:ident { $($field:ident: $read:ident),+ })+) => {
        $(impl $crate::json::FromJson for $type {
            fn from_json(value: &$crate::json::Value) -> Result<Self, $crate::json::Error> {
                let members = $crate::json::Object::of(value, stringify!($type))?;
                Ok($type { $($field: members.$read(stringify!($field))?),+ })
            }
        })+
    };
}
pub(crate) use from_json;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TraceRecord;
    use crate::scan::ScanHistory;

    const RECORD: &str = r#"{"id":"r1","product":{"gtin":"08936012345674","name":{"vi":"Mật ong","en":"Honey"},
        "origin":"Hưng Yên","standards":["VietGAP"]},"producer":{"name":"HTX"},"lot":{"lot":"L1"},
        "serial":null,"events":[{"id":"e1","time":"2026-04-24T06:30:00+07:00","stage":"harvest",
        "event_type":"ObjectEvent","summary":{"vi":"Quay mật"},"inputs":["(01)08936012345674(10)L1"]}],
        "recall":{"reason":{"vi":"x"},"date":"2026-11-20","authority":"y"},"issued_at":"2026-11-25T00:00:00Z"}"#;

    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let ours: TraceRecord = from_slice(RECORD.as_bytes()).unwrap();
        let theirs: TraceRecord = serde_json::from_str(RECORD).unwrap();
        assert_eq!(ours, theirs);
        let history = r#"{"count":3,"provinces":["Huế"],"state":"activated","activated":{"at":"a","retailer":"b"}}"#;
        assert_eq!(
            from_slice::<ScanHistory>(history.as_bytes()).unwrap(),
            serde_json::from_str::<ScanHistory>(history).unwrap()
        );
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused_at_any_depth() {
        assert!(serde_json::from_str::<crate::record::Recall>(r#"[{"vi":"x"},"d","a"]"#).is_ok());
        assert!(from_slice::<crate::record::Recall>(br#"[{"vi":"x"},"d","a"]"#).is_err());
        let nested = RECORD.replace(r#"{"name":"HTX"}"#, r#"["HTX"]"#);
        assert!(from_slice::<TraceRecord>(nested.as_bytes()).is_err());
    }

    #[test]
    fn trailing_data_unknown_enum_values_and_deep_nesting_are_errors() {
        assert!(from_slice::<ScanHistory>(br#"{"count":1,"state":"issued"} x"#).is_err());
        assert!(from_slice::<ScanHistory>(br#"{"count":1,"state":"genuine"}"#).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(deep.as_bytes()).is_err());
        let nested = |n| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
        assert!(parse(nested(MAX_DEPTH + 1).as_bytes()).is_err());
    }

    /// Accepted by both readers with the same result, or refused by both.
    fn same<T>(json: &str)
    where
        T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let ours = from_slice::<T>(json.as_bytes());
        let theirs = serde_json::from_str::<T>(json);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{json}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    proptest::proptest! {
        /// Documents put together from the tokens these types meet, most of them broken.
        /// Arrays come only as a list's value: serde_json alone reads a struct from one.
        #[test]
        fn random_documents_are_read_as_serde_json_reads_them(
            tokens in proptest::collection::vec(proptest::sample::select(&[
                "{", "}", ",", ":", " ", r#""vi""#, r#""en""#, r#""count""#,
                r#""state""#, r#""provinces""#, r#""issued""#, r#""x""#, r#""\u00e9\n""#,
                "null", "true", "0", "-0", "7", "-1", "1.5", "2e3", "01", r#"{"vi":"a""#,
                r#"{"count":1,"state":"void""#, r#","en":"b""#, r#","provinces":["x"]"#,
            ][..]), 0..24)
        ) {
            let json = tokens.concat();
            same::<crate::record::LocalText>(&json);
            same::<ScanHistory>(&json);
        }
    }

    #[test]
    fn accepts_and_refuses_what_serde_json_does() {
        use crate::record::{LocalText, RecallList};
        use crate::trust::JwkSet;
        for json in [
            r#"{"vi":"a"}"#,
            r#"{"vi":"a","en":null}"#,
            r#"{"vi":"a","en":"b","other":[1,{"x":null}]}"#,
            r#" {"vi" : "a" } "#,
            r#"{"vi":"a","vi":"b"}"#,
            r#"{"vi":"a","x":1,"x":2}"#,
            r#"{"en":"b"}"#,
            r#"{"vi":null}"#,
            r#"{"vi":1}"#,
            r#"{"vi":"a",}"#,
            r#"{"vi":"a"}x"#,
            r#"{"vi":"\u0041\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r"}"#,
            r#"{"vi":"\ud83d"}"#,
            r#"{"vi":"\ude00"}"#,
            r#"{"vi":"\ud83dx"}"#,
            r#"{"vi":"\u00g0"}"#,
            r#"{"vi":"\x"}"#,
            "{\"vi\":\"a\u{1}\"}",
            "{\"vi\":\"Mật ong\"}",
            r#"{"vi":"a""#,
            r#"{'vi':"a"}"#,
            "",
            "null",
            "[]",
        ] {
            same::<LocalText>(json);
        }
        for json in [
            r#"{"count":3,"state":"issued"}"#,
            r#"{"count":0,"state":"void","provinces":[]}"#,
            r#"{"count":3.0,"state":"issued"}"#,
            r#"{"count":3e2,"state":"issued"}"#,
            r#"{"count":-1,"state":"issued"}"#,
            r#"{"count":18446744073709551615,"state":"issued"}"#,
            r#"{"count":18446744073709551616,"state":"issued"}"#,
            r#"{"count":01,"state":"issued"}"#,
            r#"{"count":"3","state":"issued"}"#,
            r#"{"count":3,"state":"issued","provinces":null}"#,
            r#"{"count":3,"state":"issued","activated":null,"first_scan_at":null}"#,
            r#"{"count":3,"state":"Issued"}"#,
            r#"{"count":3}"#,
        ] {
            same::<ScanHistory>(json);
        }
        for json in [
            r#"{"keys":[]}"#,
            r#"{"keys":[],"iat":-5,"exp":9223372036854775807}"#,
            r#"{"keys":[],"exp":9223372036854775808}"#,
            r#"{"keys":[],"exp":1.5}"#,
            r#"{"keys":[],"exp":-0}"#,
            r#"{"keys":[],"exp":-7}"#,
            r#"{"keys":[{"kty":"OKP","iss":"Công ty"}]}"#,
            r#"{"keys":[{"kty":"OKP","iss":{"vi":"a","en":"b"},"use":"sig","domains":["a.vn"]}]}"#,
            r#"{"keys":[{"kty":"OKP","iss":null}]}"#,
            r#"{"keys":[{"kty":"OKP","iss":7}]}"#,
            r#"{"keys":[{"kty":"OKP","iss":{"en":"x"}}]}"#,
            r#"{"keys":[{"kty":"OKP","gcp":null}]}"#,
            r#"{"keys":[{"crv":"Ed25519"}]}"#,
            r#"{"keys":{}}"#,
        ] {
            same::<JwkSet>(json);
        }
        same::<TraceRecord>(RECORD);
        same::<TraceRecord>(&RECORD.replace(r#""stage":"harvest""#, r#""stage":"harvesting""#));
        same::<TraceRecord>(&RECORD.replace(r#""serial":null,"#, ""));
        same::<TraceRecord>(&RECORD.replace(r#""issued_at""#, r#""issued""#));
        same::<RecallList>(
            r#"{"recalls":[{"gtin":"1","lot":"L","date":"d","authority":"a","reason":{"vi":"x"}}]}"#,
        );
        same::<RecallList>(r#"{"recalls":[{"gtin":"1","lot":"L","date":"d","authority":"a"}]}"#);
    }
}
