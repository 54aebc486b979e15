//! JSON Web Keys (RFC 7517) as tem's trust list holds them: the RFC members plus who the
//! issuer is, when the key may be used, and what it may sign (stamp domains, GS1 company
//! prefixes).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::base64url;
use crate::json::{self, FromJson, Object, Value, from_json};
use crate::record::LocalText;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// `OKP` (Ed25519) or `EC` (P-256).
    pub kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// The issuer's name; a plain string in the JSON is its Vietnamese name.
    #[serde(
        default,
        deserialize_with = "issuer",
        skip_serializing_if = "Option::is_none"
    )]
    pub iss: Option<LocalText>,
    /// Not before (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Expires at (unix seconds): the key is no longer valid from this second on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Hosts whose stamps this issuer may sign: lowercase ASCII, `*.example.vn` for the
    /// subdomains of `example.vn` (not `example.vn` itself).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// GS1 company prefixes whose stamp signatures (AI 8030) this key makes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gcp: Vec<String>,
    /// Base URL of the issuer's GS1 Digital Link resolver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolver: Option<String>,
    /// The private key; a trust list never holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
}

/// A JWK Set (RFC 7517 §5) with tem's issue and expiry times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
}

/// `iss` as a plain string (the Vietnamese name) or as `{"vi": …, "en": …}`.
fn issuer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<LocalText>, D::Error> {
    // A visitor rather than an untagged enum or a JSON value: both would pull machinery
    // into the widget that nothing else there needs.
    struct Issuer;
    impl<'de> Visitor<'de> for Issuer {
        type Value = Option<LocalText>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an issuer name: a string or {\"vi\": …, \"en\": …}")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, vi: &str) -> Result<Self::Value, E> {
            Ok(Some(LocalText::vi(vi)))
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            LocalText::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    deserializer.deserialize_any(Issuer)
}

/// Whether `prefix` may stand in a key's `gcp`: 3 to 12 digits. An empty prefix would let
/// the key sign every stamp; real GS1 prefixes have at least three digits (a country's own).
pub fn is_gcp_entry(prefix: &str) -> bool {
    (3..=12).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_digit())
}

impl Jwk {
    /// True when `now` is within the key's period: `nbf ≤ now < exp`, either end open.
    pub fn is_valid_at(&self, now: i64) -> bool {
        self.nbf.is_none_or(|nbf| nbf <= now) && self.exp.is_none_or(|exp| now < exp)
    }

    /// True when a stamp pointing at `host` may be signed by this issuer. Only plain DNS
    /// names are ever allowed: a host with `@`, `:`, a trailing dot, an empty label or
    /// anything but ASCII letters, digits, `-` and `.` is refused outright, so userinfo,
    /// ports and Unicode lookalikes (which arrive as `xn--` names) cannot pass.
    pub fn allows_domain(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let plain = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        plain
            && self.domains.iter().any(|entry| {
                let entry = entry.to_ascii_lowercase();
                match entry.strip_prefix("*.") {
                    // `host` has no empty label, so something stands before the dot.
                    Some(parent) => host
                        .strip_suffix(parent)
                        .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
                    None => entry == host,
                }
            })
    }

    /// This key without its private part.
    pub fn public(&self) -> Jwk {
        Jwk {
            d: None,
            ..self.clone()
        }
    }

    pub fn issuer_name(&self) -> Option<&LocalText> {
        self.iss.as_ref()
    }

    /// The 32-byte Ed25519 public key in `x`.
    pub(crate) fn ed25519_public(&self) -> Option<[u8; 32]> {
        coordinate(self.x.as_deref()?)
    }

    /// The P-256 public point's coordinates in `x` and `y`.
    #[cfg(feature = "es256")]
    pub(crate) fn p256_public(&self) -> Option<([u8; 32], [u8; 32])> {
        Some((
            coordinate(self.x.as_deref()?)?,
            coordinate(self.y.as_deref()?)?,
        ))
    }

    /// True when the key material has the shape its type and curve call for (32-byte `x`,
    /// and `y` for P-256); whether the point is on the curve is checked when it is used.
    pub fn has_well_formed_material(&self) -> bool {
        let x = self.x.as_deref().and_then(coordinate).is_some();
        let y = self.y.as_deref().and_then(coordinate).is_some();
        match (self.kty.as_str(), self.crv.as_deref()) {
            ("OKP", Some("Ed25519")) => x && self.y.is_none(),
            ("EC", Some("P-256")) => x && y,
            // Other kinds of keys may sit in a shared list; they never verify here.
            _ => true,
        }
    }

    /// The 32-byte Ed25519 seed in `d`.
    #[cfg(feature = "sign")]
    pub(crate) fn ed25519_seed(&self) -> Option<[u8; 32]> {
        coordinate(self.d.as_deref()?)
    }

    /// The Ed25519 key of `seed` (RFC 8032 §5.1.5), public `x` and private `d`, for EdDSA.
    #[cfg(feature = "sign")]
    pub fn ed25519_from_seed(seed: [u8; 32], kid: &str) -> Jwk {
        let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        Jwk {
            kty: "OKP".into(),
            crv: Some("Ed25519".into()),
            x: Some(base64url::encode(public.as_bytes())),
            y: None,
            kid: Some(kid.into()),
            alg: Some("EdDSA".into()),
            use_: Some("sig".into()),
            iss: None,
            nbf: None,
            exp: None,
            domains: Vec::new(),
            gcp: Vec::new(),
            resolver: None,
            d: Some(base64url::encode(&seed)),
        }
    }
}

fn coordinate(text: &str) -> Option<[u8; 32]> {
    base64url::decode(text)?.try_into().ok()
}

impl FromJson for Jwk {
    fn from_json(value: &Value) -> Result<Self, json::Error> {
        let members = Object::of(value, "Jwk")?;
        let iss = match members.member("iss")? {
            None | Some(Value::Null) => None,
            Some(Value::String(vi)) => Some(LocalText::vi(vi.as_str())),
            Some(other @ Value::Object(_)) => {
                Some(LocalText::from_json(other).map_err(|error| error.inside("iss"))?)
            }
            Some(other) => return Err(other.unexpected("an issuer name").inside("iss")),
        };
        Ok(Jwk {
            kty: members.required("kty")?,
            crv: members.optional("crv")?,
            x: members.optional("x")?,
            y: members.optional("y")?,
            kid: members.optional("kid")?,
            alg: members.optional("alg")?,
            use_: members.optional("use")?,
            iss,
            nbf: members.optional("nbf")?,
            exp: members.optional("exp")?,
            domains: members.list("domains")?,
            gcp: members.list("gcp")?,
            resolver: members.optional("resolver")?,
            d: members.optional("d")?,
        })
    }
}

from_json! {
    JwkSet { keys: required, iat: optional, exp: optional }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(json: &str) -> Jwk {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_issuer_may_be_a_plain_string_or_bilingual() {
        let plain = key(r#"{"kty":"OKP","iss":"Hợp tác xã Tiên Lữ"}"#);
        assert_eq!(
            plain.issuer_name(),
            Some(&LocalText::vi("Hợp tác xã Tiên Lữ"))
        );
        let both = key(r#"{"kty":"OKP","iss":{"vi":"Cục","en":"Agency"}}"#);
        assert_eq!(both.issuer_name(), Some(&LocalText::both("Cục", "Agency")));
        assert_eq!(key(r#"{"kty":"OKP"}"#).issuer_name(), None);
        assert_eq!(key(r#"{"kty":"OKP","iss":null}"#).issuer_name(), None);
        assert!(serde_json::from_str::<Jwk>(r#"{"kty":"OKP","iss":7}"#).is_err());
        assert!(serde_json::from_str::<Jwk>(r#"{"kty":"OKP","iss":{"en":"x"}}"#).is_err());
    }

    #[test]
    fn a_key_is_valid_from_nbf_up_to_but_not_at_exp() {
        let k = key(r#"{"kty":"OKP","nbf":100,"exp":200}"#);
        assert!(!k.is_valid_at(99));
        assert!(k.is_valid_at(100));
        assert!(k.is_valid_at(199));
        assert!(!k.is_valid_at(200));
        assert!(key(r#"{"kty":"OKP"}"#).is_valid_at(i64::MIN));
    }

    #[test]
    fn domains_match_exactly_or_as_subdomains_of_a_wildcard() {
        let k = key(r#"{"kty":"OKP","domains":["tem.example.vn","*.hoptac.vn"]}"#);
        assert!(k.allows_domain("tem.example.vn"));
        assert!(k.allows_domain("TEM.Example.VN"));
        assert!(k.allows_domain("a.hoptac.vn"));
        assert!(k.allows_domain("a.b.hoptac.vn"));
        assert!(!k.allows_domain("hoptac.vn"));
        assert!(!k.allows_domain("xhoptac.vn"));
        assert!(!k.allows_domain(".hoptac.vn"));
        assert!(!k.allows_domain("example.vn"));
        assert!(!k.allows_domain("tem.example.vn.evil.vn"));
    }

    #[test]
    fn hosts_with_userinfo_ports_trailing_dots_or_unicode_are_never_allowed() {
        let k = key(r#"{"kty":"OKP","domains":["tem.example.vn","*.example.vn"]}"#);
        for host in [
            "tem.example.vn.",
            "evil.vn@tem.example.vn",
            "tem.example.vn:443",
            "tém.example.vn",
            "tem.example.vn\u{2060}",
            "a..example.vn",
            "",
            "tem.example.vn/",
        ] {
            assert!(!k.allows_domain(host), "{host:?}");
        }
    }

    #[test]
    fn the_public_key_has_no_private_part() {
        let k = key(r#"{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AQ"}"#);
        assert_eq!(k.public().d, None);
        assert_eq!(k.public().x.as_deref(), Some("AA"));
        assert!(
            !serde_json::to_string(&k.public())
                .unwrap()
                .contains("\"d\"")
        );
    }
}
