//! Stamp signatures: GS1 AI 8030 (DigSig) in a Digital Link's query, an Ed25519 signature
//! over the stamp's other elements, checkable offline with no record.
//!
//! What is signed is the GS1 element string of the payload in canonical order (see
//! `docs/signatures.md`), not the URL: the same stamp is the same bytes whatever host it
//! points at, however its values are percent-encoded and in whatever order its query lists
//! the attributes. The host is checked separately, against the issuer's `domains`.

use serde::Serialize;

use super::jwk::Jwk;
use super::jws::Alg;
use super::list::{SignatureStatus, TrustList};
use crate::base64url;
use crate::gs1;
use crate::payload::Payload;

/// The AI that carries the signature.
pub const DIGSIG_AI: &str = "8030";

/// The group separator that ends a variable-length value in an element string.
const GS: u8 = 0x1d;

/// What a stamp's own signature (AI 8030) amounts to against a trust list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StampSignature {
    /// The stamp carries no AI 8030.
    Absent,
    /// Verified by the key `kid` of the issuer holding the key's company prefix.
    Valid {
        kid: Option<String>,
    },
    Invalid,
    /// No key of the list holds the company prefix of the stamp's GS1 key.
    UnknownKey,
    /// The signature verifies only under a key outside its validity period now.
    ExpiredKey,
    /// The 8030 value is not a 64-byte signature, or the stamp has no GS1 key to sign.
    Malformed,
}

impl StampSignature {
    /// The same judgement in the terms of a JWS verification; None when there is no signature.
    pub fn status(&self) -> Option<SignatureStatus> {
        match self {
            StampSignature::Absent => None,
            StampSignature::Valid { .. } => Some(SignatureStatus::Valid),
            StampSignature::Invalid => Some(SignatureStatus::Invalid),
            StampSignature::UnknownKey => Some(SignatureStatus::UnknownKey),
            StampSignature::ExpiredKey => Some(SignatureStatus::ExpiredKey),
            StampSignature::Malformed => Some(SignatureStatus::Malformed),
        }
    }
}

/// The bytes a stamp signature covers: every element but 8030, in the payload's canonical
/// order (primary key, its qualifiers, data attributes by AI), each as its AI digits and its
/// value, with a GS after every variable-length value but the last. None without a GS1
/// primary key.
pub fn signed_bytes(payload: &Payload) -> Option<Vec<u8>> {
    payload.primary_key()?;
    let signed: Vec<_> = payload
        .elements
        .iter()
        .filter(|e| e.ai != DIGSIG_AI)
        .collect();
    let mut bytes = Vec::new();
    for (index, element) in signed.iter().enumerate() {
        bytes.extend_from_slice(element.ai.as_bytes());
        bytes.extend_from_slice(element.value.as_bytes());
        let fixed = gs1::rule(&element.ai).is_some_and(|rule| rule.fixed);
        if !fixed && index + 1 < signed.len() {
            bytes.push(GS);
        }
    }
    Some(bytes)
}

/// Judges the stamp's AI 8030 with the keys of `list` whose `gcp` prefixes the company prefix
/// digits of the stamp's GS1 key.
pub fn verify_stamp(payload: &Payload, list: &TrustList, now: i64) -> StampSignature {
    let Some(value) = payload.get(DIGSIG_AI) else {
        return StampSignature::Absent;
    };
    let (Some(signature), Some(message), Some(prefix)) = (
        base64url::decode(value).filter(|s| s.len() == 64),
        signed_bytes(payload),
        company_prefix_digits(payload),
    ) else {
        return StampSignature::Malformed;
    };
    let keys: Vec<&Jwk> = list
        .keys
        .iter()
        // An empty entry would cover every stamp; lists refuse it, a hand-built one may not.
        .filter(|k| {
            k.gcp
                .iter()
                .any(|gcp| !gcp.is_empty() && prefix.starts_with(gcp.as_str()))
        })
        .filter(|k| Alg::EdDsa.fits(k).is_ok())
        .collect();
    if keys.is_empty() {
        return StampSignature::UnknownKey;
    }
    let verifies = |key: &Jwk| Alg::EdDsa.verify(key, &message, &signature).is_ok();
    // The period is looked at only among keys whose signature checks out, as for a JWS: a
    // forgery is Invalid whatever the keys' dates.
    let (current, other): (Vec<&Jwk>, Vec<&Jwk>) =
        keys.into_iter().partition(|k| k.is_valid_at(now));
    if let Some(key) = current.into_iter().find(|k| verifies(k)) {
        StampSignature::Valid {
            kid: key.kid.clone(),
        }
    } else if other.into_iter().any(verifies) {
        StampSignature::ExpiredKey
    } else {
        StampSignature::Invalid
    }
}

/// The primary key's value from where its company prefix starts.
fn company_prefix_digits(payload: &Payload) -> Option<&str> {
    let key = payload.primary_key()?;
    key.value.get(gs1::company_prefix_start(&key.ai)?..)
}

/// The 8030 value for `payload` (whose own 8030, if any, is left out of what is signed):
/// the unpadded base64url of the Ed25519 signature, 86 characters.
#[cfg(feature = "sign")]
pub fn sign_stamp(payload: &Payload, key: &Jwk) -> Result<String, super::jws::SignError> {
    let message = signed_bytes(payload).ok_or(super::jws::SignError::NoPrimaryKey)?;
    Ok(base64url::encode(&super::jws::ed25519_sign(&message, key)?))
}

/// `link` with `8030=value` added to its query (before any fragment).
#[cfg(feature = "sign")]
pub fn with_stamp_signature(link: &str, value: &str) -> String {
    let (base, fragment) = match link.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (link, None),
    };
    let separator = match base.split_once('?') {
        None => "?",
        Some((_, "")) => "",
        Some((_, query)) if query.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut out = format!("{base}{separator}{DIGSIG_AI}={value}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}
