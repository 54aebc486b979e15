//! Reading JSON from outside into tem's types: one reader, used by everything the widget
//! parses (records, trust lists, JWS headers, the portal's answers).
//!
//! It is serde_json with one difference: a struct is only ever read from a JSON object.
//! serde's derived code can also read a struct from an array of its fields, which no document
//! tem reads uses; asking for maps only lets that code fall out of the widget's wasm (some
//! 6 KB compressed) and refuses `["08936012345674", …]` where a record belongs. Everything
//! else (types, limits, errors) is serde_json's.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

/// Reads a `T` from `bytes`, which must hold exactly one JSON value.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = T::deserialize(Objects(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// A deserializer that reads structs as maps, and every value inside them the same way.
struct Objects<D>(D);

/// The same wrapping for what a deserializer hands on: visitors, seeds, sequences, maps and
/// enums, so that values nested at any depth are read through [`Objects`].
struct Nested<T>(T);

macro_rules! forward {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Nested(visitor))
        })*
    };
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Nested(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Nested(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Nested(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Nested(visitor))
    }

    /// The one change: a struct from a map, never from a sequence.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Nested(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Nested(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident: $type:ty)*) => {
        $(fn $method<E: de::Error>(self, value: $type) -> Result<V::Value, E> {
            self.0.$method(value)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Nested<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(formatter)
    }

    visit! {
        visit_bool: bool visit_i64: i64 visit_u64: u64 visit_f64: f64 visit_str: &str
        visit_string: String visit_bytes: &[u8] visit_byte_buf: Vec<u8>
        visit_borrowed_str: &'de str visit_borrowed_bytes: &'de [u8]
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, inner: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(inner))
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(
        self,
        inner: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(inner))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, items: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Nested(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, members: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Nested(members))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Nested(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nested<S> {
    type Value = S::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, inner: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(inner))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Nested<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Nested(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Nested<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Nested(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Nested(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Nested<A> {
    type Error = A::Error;
    type Variant = Nested<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(Nested(seed))
            .map(|(value, variant)| (value, Nested(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Nested<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Nested(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Nested(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Nested(visitor))
    }
}

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
        assert!(from_slice::<Vec<serde_json::Value>>(deep.as_bytes()).is_err());
    }
}
