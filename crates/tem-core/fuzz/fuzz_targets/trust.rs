//! Any text judged as a JWS, read as a trust list or checked as a signed stamp must give an
//! answer, never a panic, and only a valid verification may carry a payload.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tem_core::trust::{SignatureStatus, TrustList, verify_stamp};

/// The RFC 8037 public key, as an issuer for GS1 prefix 893.
static LIST: LazyLock<TrustList> = LazyLock::new(|| {
    TrustList::from_jwk_set(
        r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"rfc8037","gcp":["893"],
            "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#,
    )
    .unwrap_or_else(|e| panic!("the fuzz list does not load: {e}"))
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let verification = LIST.verify(&text, 0);
    let valid = verification.signature == SignatureStatus::Valid;
    assert_eq!(verification.payload.is_some(), valid);
    assert_eq!(verification.key.is_some(), valid);
    if let Err(error) = TrustList::from_signed(&text, &LIST.keys, 0) {
        let _ = error.to_string();
    }
    let _ = TrustList::from_jwk_set(&text);
    if let Ok(stamp) = tem_core::payload::parse(&text) {
        let _ = verify_stamp(&stamp, &LIST, 0);
    }
});
