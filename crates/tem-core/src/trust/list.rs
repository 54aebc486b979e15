//! The trust list: issuers' public keys, published as a JWK Set signed by a root key that the
//! widget carries, and the one place where a JWS is judged against those keys.

use std::fmt;

use serde::Serialize;

use super::jwk::{Jwk, JwkSet};
use super::jws::{self, Alg, Jws, JwsError, VerifyError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustList {
    pub keys: Vec<Jwk>,
    /// When the list was issued (unix seconds).
    pub iat: Option<i64>,
    /// When the list stops being trustworthy (unix seconds).
    pub exp: Option<i64>,
}

/// What a JWS's signature amounts to against a trust list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub signature: SignatureStatus,
    /// The header's `kid` and `alg`, as claimed (present whenever the header could be read).
    pub kid: Option<String>,
    pub alg: Option<String>,
    /// The key that verified (Valid only).
    pub key: Option<Jwk>,
    /// The signed payload (Valid only): the only bytes a caller may read a record from.
    pub payload: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureStatus {
    Valid,
    /// The signature does not verify under the key(s) it was checked with.
    Invalid,
    /// No key of the list was meant for it (its `kid`, or for a JWS without one, no currently
    /// valid key of its algorithm).
    UnknownKey,
    /// The signature verifies, but under a key outside its `nbf`–`exp` period now: expired,
    /// or not yet valid.
    ExpiredKey,
    /// An algorithm tem does not verify, or a key of another type than the algorithm.
    UnsupportedAlg,
    /// Not a compact JWS tem can read.
    Malformed,
}

impl SignatureStatus {
    pub fn code(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "valid",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::UnknownKey => "unknown_key",
            SignatureStatus::ExpiredKey => "expired_key",
            SignatureStatus::UnsupportedAlg => "unsupported_alg",
            SignatureStatus::Malformed => "malformed",
        }
    }
}

/// Why a trust list cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TrustListError {
    /// The signed list is not a compact JWS tem can read.
    Malformed {
        reason: JwsError,
    },
    /// The payload (or the bare set) is not a JWK Set.
    NotJwkSet {
        reason: String,
    },
    /// No root key is meant for the list's signature: signed by someone else.
    UnknownRoot {
        kid: Option<String>,
    },
    /// The signature does not verify under the root key.
    BadSignature {
        kid: Option<String>,
    },
    /// The root key that signed is outside its own validity period.
    RootExpired {
        kid: Option<String>,
    },
    /// The list is signed with an algorithm (or key type) tem does not verify.
    UnsupportedAlg {
        alg: String,
    },
    /// The list is past its own `exp`: whatever it says may have been revoked since, so
    /// callers must not trust it.
    Expired {
        exp: i64,
        now: i64,
    },
    DuplicateKid {
        kid: String,
    },
    /// A key carries a private part: the publisher leaked it, so the key cannot be trusted.
    PrivateKey {
        kid: Option<String>,
    },
    /// A key's material, its `gcp` entries or its `resolver` are not well formed.
    BadKey {
        kid: Option<String>,
    },
}

impl TrustListError {
    pub fn code(&self) -> &'static str {
        match self {
            TrustListError::Malformed { .. } => "malformed",
            TrustListError::NotJwkSet { .. } => "not_jwk_set",
            TrustListError::UnknownRoot { .. } => "unknown_root",
            TrustListError::BadSignature { .. } => "bad_signature",
            TrustListError::RootExpired { .. } => "root_expired",
            TrustListError::UnsupportedAlg { .. } => "unsupported_alg",
            TrustListError::Expired { .. } => "expired",
            TrustListError::DuplicateKid { .. } => "duplicate_kid",
            TrustListError::PrivateKey { .. } => "private_key",
            TrustListError::BadKey { .. } => "bad_key",
        }
    }
}

impl fmt::Display for TrustListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kid = |kid: &Option<String>| kid.as_deref().unwrap_or("(none)").to_string();
        match self {
            TrustListError::Malformed { reason } => {
                write!(f, "the trust list is malformed: {reason}")
            }
            TrustListError::NotJwkSet { reason } => {
                write!(f, "the trust list is not a JWK Set: {reason}")
            }
            TrustListError::UnknownRoot { kid: k } => write!(
                f,
                "the trust list is not signed by a root key (kid {})",
                kid(k)
            ),
            TrustListError::BadSignature { kid: k } => write!(
                f,
                "the trust list's signature does not verify (kid {})",
                kid(k)
            ),
            TrustListError::RootExpired { kid: k } => write!(
                f,
                "the root key that signed the trust list is not valid now (kid {})",
                kid(k)
            ),
            TrustListError::UnsupportedAlg { alg } => {
                write!(
                    f,
                    "the trust list is signed with {alg:?}, which is not accepted"
                )
            }
            TrustListError::Expired { exp, now } => write!(
                f,
                "the trust list expired at {exp} (now {now}): it must not be trusted"
            ),
            TrustListError::DuplicateKid { kid } => {
                write!(f, "the trust list holds two keys with kid {kid:?}")
            }
            TrustListError::PrivateKey { kid: k } => write!(
                f,
                "the trust list holds a private key (kid {}): it must not be trusted",
                kid(k)
            ),
            TrustListError::BadKey { kid: k } => {
                write!(f, "the trust list holds a malformed key (kid {})", kid(k))
            }
        }
    }
}

impl std::error::Error for TrustListError {}

impl TrustList {
    /// A list published as a compact JWS whose payload is a JWK Set, signed by one of `roots`
    /// and not past its own `exp` at `now`.
    pub fn from_signed(
        compact: &str,
        roots: &[Jwk],
        now: i64,
    ) -> Result<TrustList, TrustListError> {
        let roots = TrustList {
            keys: roots.to_vec(),
            iat: None,
            exp: None,
        };
        let parsed = jws::parse(compact).map_err(|reason| TrustListError::Malformed { reason })?;
        let verification = roots.judge(parsed, now);
        let kid = verification.kid;
        let payload = match verification.signature {
            SignatureStatus::Valid => verification.payload.unwrap_or_default(),
            SignatureStatus::UnknownKey => return Err(TrustListError::UnknownRoot { kid }),
            SignatureStatus::ExpiredKey => return Err(TrustListError::RootExpired { kid }),
            SignatureStatus::UnsupportedAlg => {
                return Err(TrustListError::UnsupportedAlg {
                    alg: verification.alg.unwrap_or_default(),
                });
            }
            // Malformed cannot come from a JWS already parsed; failing closed all the same.
            SignatureStatus::Invalid | SignatureStatus::Malformed => {
                return Err(TrustListError::BadSignature { kid });
            }
        };
        TrustList::from_set_bytes(&payload)?.current_at(now)
    }

    /// A bare JWK Set, trusted as given (from a file the user chose, or a test); its `exp`
    /// is not checked here, see [`TrustList::current_at`].
    pub fn from_jwk_set(json: &str) -> Result<TrustList, TrustListError> {
        TrustList::from_set_bytes(json.as_bytes())
    }

    /// The list, unless it has an `exp` and `now` is at or past it.
    pub fn current_at(self, now: i64) -> Result<TrustList, TrustListError> {
        match self.exp {
            Some(exp) if now >= exp => Err(TrustListError::Expired { exp, now }),
            _ => Ok(self),
        }
    }

    pub fn key(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
    }

    fn from_set_bytes(json: &[u8]) -> Result<TrustList, TrustListError> {
        let set: JwkSet = crate::json::from_slice(json).map_err(|e| TrustListError::NotJwkSet {
            reason: e.to_string(),
        })?;
        for (index, key) in set.keys.iter().enumerate() {
            let kid = || key.kid.clone();
            if key.d.is_some() {
                return Err(TrustListError::PrivateKey { kid: kid() });
            }
            let gcp_ok = key
                .gcp
                .iter()
                .all(|prefix| super::jwk::is_gcp_entry(prefix));
            // A resolver is where widgets send shoppers' requests: a URL that could carry
            // credentials or a script is refused with the key.
            let resolver_ok = key.resolver.as_deref().is_none_or(super::is_resolver_url);
            if !gcp_ok || !resolver_ok || !key.has_well_formed_material() {
                return Err(TrustListError::BadKey { kid: kid() });
            }
            if let Some(kid) = &key.kid
                && set.keys[..index]
                    .iter()
                    .any(|k| k.kid.as_ref() == Some(kid))
            {
                return Err(TrustListError::DuplicateKid { kid: kid.clone() });
            }
        }
        Ok(TrustList {
            keys: set.keys,
            iat: set.iat,
            exp: set.exp,
        })
    }

    /// Judges the compact JWS `compact` at `now` (unix seconds).
    ///
    /// With a `kid`, only that key is tried. Its validity period is looked at only after the
    /// signature checked out, so a forgery under an expired key reads Invalid, not ExpiredKey.
    /// Without a `kid`, every currently valid key of the algorithm is tried, so two keys of
    /// one issuer valid at once (a rollover) each verify their own signatures.
    pub fn verify(&self, compact: &str, now: i64) -> Verification {
        match jws::parse(compact) {
            Ok(parsed) => self.judge(parsed, now),
            Err(_) => outcome(SignatureStatus::Malformed, None, None),
        }
    }

    fn judge(&self, parsed: Jws, now: i64) -> Verification {
        let header = &parsed.header;
        let (kid, alg_name) = (header.kid.clone(), Some(header.alg.clone()));
        let Ok(alg) = Alg::from_name(&header.alg) else {
            return outcome(SignatureStatus::UnsupportedAlg, kid, alg_name);
        };
        let (status, key) = match &header.kid {
            Some(wanted) => match self.key(wanted) {
                None => (SignatureStatus::UnknownKey, None),
                Some(key) => match parsed.verify(key) {
                    Ok(()) if key.is_valid_at(now) => (SignatureStatus::Valid, Some(key)),
                    Ok(()) => (SignatureStatus::ExpiredKey, None),
                    Err(VerifyError::UnsupportedAlg { .. } | VerifyError::KeyMismatch { .. }) => {
                        (SignatureStatus::UnsupportedAlg, None)
                    }
                    Err(VerifyError::BadKey | VerifyError::BadSignature) => {
                        (SignatureStatus::Invalid, None)
                    }
                },
            },
            None => {
                let mut candidates = self
                    .keys
                    .iter()
                    .filter(|k| k.is_valid_at(now) && alg.fits(k).is_ok())
                    .peekable();
                if candidates.peek().is_none() {
                    (SignatureStatus::UnknownKey, None)
                } else {
                    match candidates.find(|k| parsed.verify(k).is_ok()) {
                        Some(key) => (SignatureStatus::Valid, Some(key)),
                        None => (SignatureStatus::Invalid, None),
                    }
                }
            }
        };
        let mut verification = outcome(status, kid, alg_name);
        if let Some(key) = key {
            verification.key = Some(key.clone());
            verification.payload = Some(parsed.payload);
        }
        verification
    }
}

fn outcome(signature: SignatureStatus, kid: Option<String>, alg: Option<String>) -> Verification {
    Verification {
        signature,
        kid,
        alg,
        key: None,
        payload: None,
    }
}
