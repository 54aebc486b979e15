//! Signatures and the trust list: which keys speak for which issuers, and whether a record
//! JWS or a stamp's own signature (GS1 AI 8030) was made by one of them.
//!
//! Verification is always available; making keys and signatures needs the `sign` feature,
//! and ES256 the `es256` feature (without it ES256 is unsupported, never valid).

/// The JWS `typ` of a trace record, and of the trust list. Informational: verification does
/// not depend on it.
pub const RECORD_TYP: &str = "tem-record+jws";
pub const TRUST_LIST_TYP: &str = "tem-trust-list+jws";

/// Where a portal serves the trust list, and where widgets ask for it: a well-known path, the
/// same on every portal.
pub const TRUST_LIST_PATH: &str = "/.well-known/tem/trust-list.jws";

pub mod digsig;
pub mod jwk;
pub mod jws;
pub mod list;
pub mod resolver;

pub use digsig::{StampSignature, signed_bytes, verify_stamp};
pub use jwk::{Jwk, JwkSet, is_gcp_entry};
pub use jws::{Header, Jws, JwsError, MAX_JWS_BYTES, VerifyError};
pub use list::{SignatureStatus, TrustList, TrustListError, Verification};
pub use resolver::is_resolver_url;

#[cfg(feature = "sign")]
pub use digsig::{sign_stamp, with_stamp_signature};
#[cfg(feature = "sign")]
pub use jws::{SignError, sign};
