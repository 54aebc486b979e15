//! Compact JWS (RFC 7515): `header.payload.signature`, each part unpadded base64url.
//!
//! Only what tem's signers produce is accepted: EdDSA over Ed25519 (RFC 8037) and, with the
//! `es256` feature, ES256 (ECDSA P-256 with SHA-256, raw `r || s`). Everything else, `none`
//! and the HMAC algorithms included, is refused before any key is looked at, so a public key
//! can never be mistaken for a shared secret.

use std::fmt;

use serde::Serialize;

use super::jwk::Jwk;
use crate::base64url;
use crate::json::Object;

/// The largest compact JWS read at all; checked before anything is decoded. A trace record
/// with its timeline and a trust list are each far smaller.
pub const MAX_JWS_BYTES: usize = 1 << 20;

/// The protected header members tem reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub alg: String,
    pub kid: Option<String>,
    pub typ: Option<String>,
    pub cty: Option<String>,
}

/// A compact JWS taken apart; nothing about it is trusted until [`Jws::verify`] says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jws {
    pub header: Header,
    /// The payload bytes as signed: read them only after the signature is verified.
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
    /// `header.payload` exactly as received: the bytes the signature covers.
    signing_input: String,
}

/// Why a text is not a compact JWS tem can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum JwsError {
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// Not exactly three `.`-separated parts.
    Parts {
        count: usize,
    },
    /// A part that is not strict unpadded base64url.
    Base64 {
        part: &'static str,
    },
    HeaderNotJson,
    HeaderNotObject,
    MissingAlg,
    /// `alg`, `kid`, `typ` or `cty` not a string, or a member given twice.
    BadMember,
    /// `crit` names extensions the verifier must understand; tem understands none.
    Critical,
    /// `b64: false` (RFC 7797) changes what is signed; tem signs and reads encoded payloads only.
    UnencodedPayload,
}

impl JwsError {
    pub fn code(&self) -> &'static str {
        match self {
            JwsError::TooLarge { .. } => "too_large",
            JwsError::Parts { .. } => "parts",
            JwsError::Base64 { .. } => "base64",
            JwsError::HeaderNotJson => "header_not_json",
            JwsError::HeaderNotObject => "header_not_object",
            JwsError::MissingAlg => "missing_alg",
            JwsError::BadMember => "bad_member",
            JwsError::Critical => "critical",
            JwsError::UnencodedPayload => "unencoded_payload",
        }
    }
}

impl fmt::Display for JwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwsError::TooLarge { bytes, limit } => {
                write!(f, "the JWS is {bytes} bytes long, more than {limit}")
            }
            JwsError::Parts { count } => {
                write!(f, "a compact JWS has three parts, this has {count}")
            }
            JwsError::Base64 { part } => write!(f, "the {part} is not unpadded base64url"),
            JwsError::HeaderNotJson => f.write_str("the header is not JSON"),
            JwsError::HeaderNotObject => f.write_str("the header is not a JSON object"),
            JwsError::MissingAlg => f.write_str("the header names no algorithm (alg)"),
            JwsError::BadMember => f.write_str(
                "a header member is not a string where one is needed, or is given twice",
            ),
            JwsError::Critical => f.write_str("the header lists critical extensions (crit)"),
            JwsError::UnencodedPayload => f.write_str("unencoded payloads (b64) are not read"),
        }
    }
}

impl std::error::Error for JwsError {}

/// Why a signature did not verify under one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum VerifyError {
    /// An algorithm tem does not verify (`none`, HMAC, RSA, ES256 without the feature …).
    UnsupportedAlg { alg: String },
    /// The key is of another type or curve than the algorithm, or is meant for another
    /// algorithm or use.
    KeyMismatch { alg: String },
    /// The key's coordinates are not a valid public key.
    BadKey,
    /// The signature does not verify (including one of the wrong length or in DER).
    BadSignature,
}

impl VerifyError {
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::UnsupportedAlg { .. } => "unsupported_alg",
            VerifyError::KeyMismatch { .. } => "key_mismatch",
            VerifyError::BadKey => "bad_key",
            VerifyError::BadSignature => "bad_signature",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::UnsupportedAlg { alg } => {
                write!(f, "the algorithm {alg:?} is not accepted")
            }
            VerifyError::KeyMismatch { alg } => write!(f, "the key is not a key for {alg}"),
            VerifyError::BadKey => f.write_str("the key is not a valid public key"),
            VerifyError::BadSignature => f.write_str("the signature does not verify"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// The algorithms tem verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alg {
    EdDsa,
    #[cfg(feature = "es256")]
    Es256,
}

impl Alg {
    pub(crate) fn from_name(name: &str) -> Result<Alg, VerifyError> {
        match name {
            "EdDSA" => Ok(Alg::EdDsa),
            #[cfg(feature = "es256")]
            "ES256" => Ok(Alg::Es256),
            _ => Err(VerifyError::UnsupportedAlg {
                alg: name.to_string(),
            }),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Alg::EdDsa => "EdDSA",
            #[cfg(feature = "es256")]
            Alg::Es256 => "ES256",
        }
    }

    /// Ok when `key` is a signature key of this algorithm's type and curve whose own `alg`
    /// and `use`, where given, agree.
    pub(crate) fn fits(self, key: &Jwk) -> Result<(), VerifyError> {
        let (kty, crv) = match self {
            Alg::EdDsa => ("OKP", "Ed25519"),
            #[cfg(feature = "es256")]
            Alg::Es256 => ("EC", "P-256"),
        };
        let fits = key.kty == kty
            && key.crv.as_deref() == Some(crv)
            && key.alg.as_deref().is_none_or(|alg| alg == self.name())
            && key.use_.as_deref().is_none_or(|u| u == "sig");
        if fits {
            Ok(())
        } else {
            Err(VerifyError::KeyMismatch {
                alg: self.name().to_string(),
            })
        }
    }

    /// Checks `signature` over `message` with `key`, which must already fit.
    pub(crate) fn verify(
        self,
        key: &Jwk,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyError> {
        match self {
            Alg::EdDsa => {
                let public = key.ed25519_public().ok_or(VerifyError::BadKey)?;
                let public = ed25519_dalek::VerifyingKey::from_bytes(&public)
                    .map_err(|_| VerifyError::BadKey)?;
                let signature = ed25519_dalek::Signature::from_slice(signature)
                    .map_err(|_| VerifyError::BadSignature)?;
                // Strict: no small-order keys or non-canonical points, so one key has one
                // meaning and a signature cannot be valid for several messages.
                public
                    .verify_strict(message, &signature)
                    .map_err(|_| VerifyError::BadSignature)
            }
            #[cfg(feature = "es256")]
            Alg::Es256 => {
                use p256::ecdsa::signature::Verifier;
                let (x, y) = key.p256_public().ok_or(VerifyError::BadKey)?;
                let point =
                    p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
                let public = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                    .map_err(|_| VerifyError::BadKey)?;
                // JWS carries the fixed 64-byte `r || s` (RFC 7518 §3.4); `from_slice` takes
                // exactly that, so DER is refused.
                let signature = p256::ecdsa::Signature::from_slice(signature)
                    .map_err(|_| VerifyError::BadSignature)?;
                public
                    .verify(message, &signature)
                    .map_err(|_| VerifyError::BadSignature)
            }
        }
    }
}

/// Takes a compact JWS apart, refusing what tem cannot honour (see [`JwsError`]). Nothing is
/// verified here: that is [`Jws::verify`], or the trust list's.
pub fn parse(compact: &str) -> Result<Jws, JwsError> {
    if compact.len() > MAX_JWS_BYTES {
        return Err(JwsError::TooLarge {
            bytes: compact.len(),
            limit: MAX_JWS_BYTES,
        });
    }
    let parts: Vec<&str> = compact.split('.').collect();
    let [header_text, payload_text, signature_text] = parts[..] else {
        return Err(JwsError::Parts { count: parts.len() });
    };
    let header = base64url::decode(header_text).ok_or(JwsError::Base64 { part: "header" })?;
    let payload = base64url::decode(payload_text).ok_or(JwsError::Base64 { part: "payload" })?;
    let signature =
        base64url::decode(signature_text).ok_or(JwsError::Base64 { part: "signature" })?;
    let header = read_header(&header)?;
    Ok(Jws {
        header,
        payload,
        signature,
        signing_input: compact[..header_text.len() + 1 + payload_text.len()].to_string(),
    })
}

/// The header's members; a member given twice is refused.
fn read_header(json: &[u8]) -> Result<Header, JwsError> {
    // The parser stops at 128 levels of nesting, so no header can overflow the stack.
    let value = crate::json::parse(json).map_err(|_| JwsError::HeaderNotJson)?;
    let members = Object::of(&value, "header").map_err(|_| JwsError::HeaderNotObject)?;
    let read = || -> Result<_, crate::json::Error> {
        Ok((
            members.optional::<String>("alg")?,
            members.optional("kid")?,
            members.optional("typ")?,
            members.optional("cty")?,
            // There at all, whatever the value (`null` included).
            members.member("crit")?.is_some(),
            members.member("b64")?.is_some(),
        ))
    };
    let (alg, kid, typ, cty, crit, b64) = read().map_err(|_| JwsError::BadMember)?;
    if crit {
        return Err(JwsError::Critical);
    }
    if b64 {
        return Err(JwsError::UnencodedPayload);
    }
    Ok(Header {
        alg: alg.ok_or(JwsError::MissingAlg)?,
        kid,
        typ,
        cty,
    })
}

impl Jws {
    /// Ok only when `key` suits the header's algorithm and the signature checks out under it.
    /// The key's validity period is the trust list's business, not this.
    pub fn verify(&self, key: &Jwk) -> Result<(), VerifyError> {
        let alg = Alg::from_name(&self.header.alg)?;
        alg.fits(key)?;
        alg.verify(key, self.signing_input.as_bytes(), &self.signature)
    }
}

/// Why a signature could not be made.
#[cfg(feature = "sign")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignError {
    /// tem signs with Ed25519 private keys only: `kty: OKP, crv: Ed25519` with `d`.
    NotEd25519PrivateKey,
    /// The key's `x` is not the public key of its `d`.
    PublicKeyMismatch,
    /// There is nothing to sign: the stamp has no GS1 primary key.
    NoPrimaryKey,
}

#[cfg(feature = "sign")]
impl SignError {
    pub fn code(&self) -> &'static str {
        match self {
            SignError::NotEd25519PrivateKey => "not_ed25519_private_key",
            SignError::PublicKeyMismatch => "public_key_mismatch",
            SignError::NoPrimaryKey => "no_primary_key",
        }
    }
}

#[cfg(feature = "sign")]
impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::NotEd25519PrivateKey => f.write_str("the key is not an Ed25519 private key"),
            SignError::PublicKeyMismatch => f.write_str("the key's x does not belong to its d"),
            SignError::NoPrimaryKey => f.write_str("the stamp has no GS1 primary key to sign"),
        }
    }
}

#[cfg(feature = "sign")]
impl std::error::Error for SignError {}

/// The Ed25519 signature of `message` under `key`, a private JWK.
#[cfg(feature = "sign")]
pub(crate) fn ed25519_sign(message: &[u8], key: &Jwk) -> Result<[u8; 64], SignError> {
    use ed25519_dalek::Signer;
    if Alg::EdDsa.fits(key).is_err() {
        return Err(SignError::NotEd25519PrivateKey);
    }
    let seed = key.ed25519_seed().ok_or(SignError::NotEd25519PrivateKey)?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    if key.ed25519_public() != Some(signing.verifying_key().to_bytes()) {
        return Err(SignError::PublicKeyMismatch);
    }
    Ok(signing.sign(message).to_bytes())
}

/// A compact JWS of `payload` with the header `{"alg":"EdDSA","kid":…,"typ":…}` (members
/// left out when the key has no `kid` or no `typ` is given).
#[cfg(feature = "sign")]
pub fn sign(payload: &[u8], key: &Jwk, typ: Option<&str>) -> Result<String, SignError> {
    #[derive(Serialize)]
    struct SigningHeader<'a> {
        alg: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        kid: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        typ: Option<&'a str>,
    }
    let header = SigningHeader {
        alg: Alg::EdDsa.name(),
        kid: key.kid.as_deref(),
        typ,
    };
    // A struct of strings always serialises.
    let header = serde_json::to_vec(&header).unwrap_or_default();
    let signing_input = format!(
        "{}.{}",
        base64url::encode(&header),
        base64url::encode(payload)
    );
    let signature = ed25519_sign(signing_input.as_bytes(), key)?;
    Ok(format!("{signing_input}.{}", base64url::encode(&signature)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(json: &str) -> String {
        format!("{}.e30.AAAA", base64url::encode(json.as_bytes()))
    }

    #[test]
    fn the_header_members_are_read() {
        let compact = header(r#"{"alg":"EdDSA","kid":"k1","typ":"tem-record+jws","x":1}"#);
        let jws = parse(&compact).unwrap();
        assert_eq!(jws.header.alg, "EdDSA");
        assert_eq!(jws.header.kid.as_deref(), Some("k1"));
        assert_eq!(jws.header.typ.as_deref(), Some("tem-record+jws"));
        assert_eq!(jws.header.cty, None);
        assert_eq!(jws.payload, b"{}");
        assert_eq!(jws.signature, [0, 0, 0]);
        assert_eq!(format!("{}.AAAA", jws.signing_input), compact);
    }

    #[test]
    fn headers_tem_cannot_honour_are_refused() {
        assert_eq!(
            parse(&header(r#"{"alg":"EdDSA","crit":["exp"],"exp":1}"#)),
            Err(JwsError::Critical)
        );
        assert_eq!(
            parse(&header(r#"{"alg":"EdDSA","b64":false,"crit":["b64"]}"#)),
            Err(JwsError::Critical)
        );
        assert_eq!(
            parse(&header(r#"{"alg":"EdDSA","b64":true}"#)),
            Err(JwsError::UnencodedPayload)
        );
        assert_eq!(
            parse(&header(r#"["EdDSA"]"#)),
            Err(JwsError::HeaderNotObject)
        );
        assert_eq!(parse(&header(r#"{"kid":"k"}"#)), Err(JwsError::MissingAlg));
        assert_eq!(parse(&header(r#"{"alg":1}"#)), Err(JwsError::BadMember));
        assert_eq!(
            parse(&header(r#"{"alg":"EdDSA","kid":7}"#)),
            Err(JwsError::BadMember)
        );
        // Two parsers that disagree on which `alg` counts are an attack; neither counts.
        assert_eq!(
            parse(&header(r#"{"alg":"none","alg":"EdDSA"}"#)),
            Err(JwsError::BadMember)
        );
        assert_eq!(
            parse(&header(r#"{"alg":"EdDSA","crit":null}"#)),
            Err(JwsError::Critical)
        );
        assert_eq!(parse(&header(" \"EdDSA\"")), Err(JwsError::HeaderNotObject));
        assert_eq!(parse(&header("{")), Err(JwsError::HeaderNotJson));
    }

    #[test]
    fn only_three_strict_base64url_parts_make_a_jws() {
        assert_eq!(parse("a.b"), Err(JwsError::Parts { count: 2 }));
        assert_eq!(parse("e30.e30.e30.e30"), Err(JwsError::Parts { count: 4 }));
        assert_eq!(
            parse("e30=.e30.AAAA"),
            Err(JwsError::Base64 { part: "header" })
        );
        assert_eq!(
            parse("e30.e3+.AAAA"),
            Err(JwsError::Base64 { part: "payload" })
        );
    }
}
