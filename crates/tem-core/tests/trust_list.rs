//! Judging record JWSs against the trust list, and reading the signed list itself.
#![cfg(feature = "sign")]

use std::sync::LazyLock;

use hmac::{Hmac, Mac};
use proptest::prelude::*;
use serde_json::json;
use tem_core::base64url;
use tem_core::trust::{
    Jwk, JwkSet, JwsError, MAX_JWS_BYTES, RECORD_TYP, SignatureStatus, TRUST_LIST_TYP, TrustList,
    TrustListError, sign,
};

const NOW: i64 = 1_780_000_000;
const DAY: i64 = 86_400;

fn issuer_key(seed: u8, kid: &str) -> Jwk {
    Jwk::ed25519_from_seed([seed; 32], kid)
}

fn list(keys: &[&Jwk]) -> TrustList {
    TrustList {
        keys: keys.iter().map(|k| k.public()).collect(),
        iat: None,
        exp: None,
    }
}

fn signed_by(key: &Jwk) -> String {
    sign(br#"{"id":"rec-1"}"#, key, Some(RECORD_TYP)).unwrap()
}

/// A compact JWS with `header` as its header JSON and any signature bytes.
fn with_header(header: &serde_json::Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        base64url::encode(header.to_string().as_bytes()),
        base64url::encode(b"{}"),
        base64url::encode(signature)
    )
}

#[test]
fn a_jws_with_a_kid_verifies_under_that_key_and_returns_its_payload() {
    let key = issuer_key(1, "coop-2026");
    let verification = list(&[&key]).verify(&signed_by(&key), NOW);
    assert_eq!(verification.signature, SignatureStatus::Valid);
    assert_eq!(verification.kid.as_deref(), Some("coop-2026"));
    assert_eq!(verification.alg.as_deref(), Some("EdDSA"));
    assert_eq!(verification.key, Some(key.public()));
    assert_eq!(
        verification.payload.as_deref(),
        Some(&br#"{"id":"rec-1"}"#[..])
    );
}

#[test]
fn alg_none_is_refused() {
    let key = issuer_key(1, "k");
    let compact = with_header(&json!({"alg": "none", "kid": "k"}), b"");
    let verification = list(&[&key]).verify(&compact, NOW);
    assert_eq!(verification.signature, SignatureStatus::UnsupportedAlg);
    assert_eq!(verification.payload, None);
    let without_kid = with_header(&json!({"alg": "none"}), b"");
    assert_eq!(
        list(&[&key]).verify(&without_kid, NOW).signature,
        SignatureStatus::UnsupportedAlg
    );
}

#[test]
fn an_hs256_token_signed_with_the_public_key_is_refused() {
    let key = issuer_key(1, "k");
    // The classic confusion: the public key's bytes (here its `x` text, as a naive verifier
    // would take it) used as the HMAC secret.
    for secret in [
        key.x.clone().unwrap().into_bytes(),
        base64url::decode(key.x.as_deref().unwrap()).unwrap(),
    ] {
        for (alg, kid) in [("HS256", Some("k")), ("HS256", None), ("HS512", Some("k"))] {
            let mut header = json!({ "alg": alg });
            if let Some(kid) = kid {
                header["kid"] = json!(kid);
            }
            let input = format!(
                "{}.{}",
                base64url::encode(header.to_string().as_bytes()),
                base64url::encode(br#"{"id":"forged"}"#)
            );
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&secret).unwrap();
            mac.update(input.as_bytes());
            let compact = format!(
                "{input}.{}",
                base64url::encode(&mac.finalize().into_bytes())
            );
            let verification = list(&[&key]).verify(&compact, NOW);
            assert_eq!(verification.signature, SignatureStatus::UnsupportedAlg);
            assert_eq!(verification.payload, None);
        }
    }
}

#[test]
fn a_key_of_another_type_than_the_alg_is_refused() {
    let mut okp_as_ec = issuer_key(1, "k").public();
    okp_as_ec.kty = "EC".into();
    let compact = signed_by(&issuer_key(1, "k"));
    assert_eq!(
        list(&[&okp_as_ec]).verify(&compact, NOW).signature,
        SignatureStatus::UnsupportedAlg
    );
    let mut other_curve = issuer_key(1, "k").public();
    other_curve.crv = Some("Ed448".into());
    assert_eq!(
        list(&[&other_curve]).verify(&compact, NOW).signature,
        SignatureStatus::UnsupportedAlg
    );
}

#[test]
fn a_key_whose_own_alg_disagrees_with_the_header_is_refused() {
    let key = issuer_key(1, "k");
    let mut es256_only = key.public();
    es256_only.alg = Some("ES256".into());
    assert_eq!(
        list(&[&es256_only]).verify(&signed_by(&key), NOW).signature,
        SignatureStatus::UnsupportedAlg
    );
    let mut for_encryption = key.public();
    for_encryption.use_ = Some("enc".into());
    assert_eq!(
        list(&[&for_encryption])
            .verify(&signed_by(&key), NOW)
            .signature,
        SignatureStatus::UnsupportedAlg
    );
}

#[test]
fn a_kid_pointing_at_an_es256_key_with_an_eddsa_header_is_refused() {
    let es256: Jwk = serde_json::from_value(json!({
        "kty": "EC", "crv": "P-256", "kid": "es",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    }))
    .unwrap();
    let compact = signed_by(&issuer_key(1, "es"));
    let verification = list(&[&es256]).verify(&compact, NOW);
    assert_eq!(verification.signature, SignatureStatus::UnsupportedAlg);
    assert_eq!(verification.kid.as_deref(), Some("es"));
}

#[test]
fn an_expired_key_reads_expired_key() {
    let mut key = issuer_key(1, "k");
    key.exp = Some(NOW - DAY);
    let verification = list(&[&key]).verify(&signed_by(&key), NOW);
    assert_eq!(verification.signature, SignatureStatus::ExpiredKey);
    assert_eq!(verification.payload, None);
    assert_eq!(verification.key, None);
}

#[test]
fn a_key_not_yet_valid_reads_expired_key() {
    let mut key = issuer_key(1, "k");
    key.nbf = Some(NOW + DAY);
    assert_eq!(
        list(&[&key]).verify(&signed_by(&key), NOW).signature,
        SignatureStatus::ExpiredKey
    );
}

#[test]
fn a_bad_signature_under_an_expired_key_is_invalid_not_expired() {
    let mut key = issuer_key(1, "k");
    key.exp = Some(NOW - DAY);
    let forged = signed_by(&issuer_key(2, "k"));
    assert_eq!(
        list(&[&key]).verify(&forged, NOW).signature,
        SignatureStatus::Invalid
    );
}

#[test]
fn an_unknown_kid_reads_unknown_key() {
    let key = issuer_key(1, "k");
    let stranger = issuer_key(2, "stranger");
    let verification = list(&[&key]).verify(&signed_by(&stranger), NOW);
    assert_eq!(verification.signature, SignatureStatus::UnknownKey);
    assert_eq!(verification.kid.as_deref(), Some("stranger"));
}

#[test]
fn a_kid_of_the_list_with_another_keys_signature_is_invalid() {
    let key = issuer_key(1, "k");
    let impostor = issuer_key(2, "k");
    assert_eq!(
        list(&[&key]).verify(&signed_by(&impostor), NOW).signature,
        SignatureStatus::Invalid
    );
}

#[test]
fn two_keys_valid_at_once_both_verify_their_own_jws_with_or_without_kid() {
    let mut old = issuer_key(1, "coop-2025");
    old.exp = Some(NOW + 30 * DAY);
    let mut new = issuer_key(2, "coop-2026");
    new.nbf = Some(NOW - DAY);
    let trust = list(&[&old, &new]);
    for key in [&old, &new] {
        let mut anonymous = key.clone();
        anonymous.kid = None;
        for compact in [signed_by(key), signed_by(&anonymous)] {
            let verification = trust.verify(&compact, NOW);
            assert_eq!(verification.signature, SignatureStatus::Valid);
            assert_eq!(verification.key, Some(key.public()));
        }
    }
    let mut stranger = issuer_key(3, "x");
    stranger.kid = None;
    assert_eq!(
        trust.verify(&signed_by(&stranger), NOW).signature,
        SignatureStatus::Invalid
    );
}

#[test]
fn without_kid_only_currently_valid_keys_of_the_alg_are_tried() {
    let mut expired = issuer_key(1, "old");
    expired.exp = Some(NOW - DAY);
    let mut anonymous = expired.clone();
    anonymous.kid = None;
    assert_eq!(
        list(&[&expired])
            .verify(&signed_by(&anonymous), NOW)
            .signature,
        SignatureStatus::UnknownKey
    );
}

#[test]
fn an_input_over_one_mebibyte_is_malformed_before_it_is_decoded() {
    let key = issuer_key(1, "k");
    let huge = format!("{}{}", signed_by(&key), "A".repeat(MAX_JWS_BYTES));
    assert_eq!(
        tem_core::trust::jws::parse(&huge),
        Err(JwsError::TooLarge {
            bytes: huge.len(),
            limit: MAX_JWS_BYTES
        })
    );
    let verification = list(&[&key]).verify(&huge, NOW);
    assert_eq!(verification.signature, SignatureStatus::Malformed);
    assert_eq!((verification.kid, verification.alg), (None, None));
}

#[test]
fn a_deeply_nested_json_header_is_refused_not_a_crash() {
    let key = issuer_key(1, "k");
    let judge = |header: String| {
        let compact = format!("{}.e30.AAAA", base64url::encode(header.as_bytes()));
        assert!(compact.len() <= MAX_JWS_BYTES);
        list(&[&key]).verify(&compact, NOW).signature
    };
    assert_eq!(judge("[".repeat(200_000)), SignatureStatus::Malformed);
    let unbalanced = format!(r#"{{"alg":"EdDSA","x":{}}}"#, "[".repeat(300_000));
    assert_eq!(judge(unbalanced), SignatureStatus::Malformed);
    let deep_where_it_matters = format!(
        r#"{{"alg":{}"EdDSA"{}}}"#,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    assert_eq!(judge(deep_where_it_matters), SignatureStatus::Malformed);
    // Deep nesting is refused in a member tem ignores too: no header needs it.
    let ignored = format!(
        r#"{{"alg":"EdDSA","x":{}1{}}}"#,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    assert_eq!(judge(ignored), SignatureStatus::Malformed);
}

#[test]
fn truncated_and_garbled_jws_are_malformed() {
    let key = issuer_key(1, "k");
    let good = signed_by(&key);
    for bad in [
        "",
        ".",
        "..",
        "not a jws",
        &good[..good.len() - 1],
        &format!("{good}."),
        &format!("{good}="),
        &good.replacen('.', "..", 1),
    ] {
        assert_eq!(
            list(&[&key]).verify(bad, NOW).signature,
            SignatureStatus::Malformed,
            "{bad:?}"
        );
    }
}

/// One JWS with a kid and one without, signed once: signing per case would dominate the run.
static SIGNED: LazyLock<(TrustList, [String; 2])> = LazyLock::new(|| {
    let key = issuer_key(1, "k");
    let mut anonymous = key.clone();
    anonymous.kid = None;
    (list(&[&key]), [signed_by(&key), signed_by(&anonymous)])
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn no_single_byte_change_of_a_signed_jws_verifies(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let (trust, signed) = &*SIGNED;
        for compact in signed {
            let mut bytes = compact.clone().into_bytes();
            let at = position.index(bytes.len());
            prop_assume!(bytes[at] != byte);
            bytes[at] = byte;
            let changed = String::from_utf8_lossy(&bytes);
            prop_assert_ne!(trust.verify(&changed, NOW).signature, SignatureStatus::Valid);
        }
    }
}

// --- the trust list itself

fn root() -> Jwk {
    issuer_key(9, "root-2026")
}

fn signed_list(keys: &[&Jwk], exp: Option<i64>, signer: &Jwk) -> String {
    let set = JwkSet {
        keys: keys.iter().map(|k| k.public()).collect(),
        iat: Some(NOW - DAY),
        exp,
    };
    sign(
        &serde_json::to_vec(&set).unwrap(),
        signer,
        Some(TRUST_LIST_TYP),
    )
    .unwrap()
}

#[test]
fn a_list_signed_by_a_root_key_is_read() {
    let mut issuer = issuer_key(1, "coop-2026");
    issuer.gcp = vec!["8936012".into()];
    issuer.domains = vec!["tem.example.vn".into()];
    let compact = signed_list(&[&issuer], Some(NOW + DAY), &root());
    let list = TrustList::from_signed(&compact, &[root().public()], NOW).unwrap();
    assert_eq!(list.keys, vec![issuer.public()]);
    assert_eq!((list.iat, list.exp), (Some(NOW - DAY), Some(NOW + DAY)));
}

#[test]
fn a_trust_list_signed_by_a_non_root_key_is_refused() {
    let issuer = issuer_key(1, "coop-2026");
    let by_issuer = signed_list(&[&issuer], None, &issuer);
    assert_eq!(
        TrustList::from_signed(&by_issuer, &[root().public()], NOW),
        Err(TrustListError::UnknownRoot {
            kid: Some("coop-2026".into())
        })
    );
    // The root's kid on someone else's signature.
    let impostor = issuer_key(2, "root-2026");
    let by_impostor = signed_list(&[&issuer], None, &impostor);
    assert_eq!(
        TrustList::from_signed(&by_impostor, &[root().public()], NOW),
        Err(TrustListError::BadSignature {
            kid: Some("root-2026".into())
        })
    );
}

#[test]
fn an_expired_trust_list_is_an_error() {
    let issuer = issuer_key(1, "coop-2026");
    let compact = signed_list(&[&issuer], Some(NOW - 1), &root());
    let error = TrustList::from_signed(&compact, &[root().public()], NOW).unwrap_err();
    assert_eq!(
        error,
        TrustListError::Expired {
            exp: NOW - 1,
            now: NOW
        }
    );
    assert_eq!(error.code(), "expired");
    assert!(error.to_string().contains("must not be trusted"));
}

#[test]
fn a_list_under_an_expired_root_or_in_garbage_is_refused() {
    let mut old_root = root();
    old_root.exp = Some(NOW - DAY);
    let compact = signed_list(&[], None, &root());
    assert!(matches!(
        TrustList::from_signed(&compact, &[old_root.public()], NOW),
        Err(TrustListError::RootExpired { .. })
    ));
    assert!(matches!(
        TrustList::from_signed("garbage", &[root().public()], NOW),
        Err(TrustListError::Malformed { .. })
    ));
    let not_a_set = sign(b"[1,2]", &root(), None).unwrap();
    assert!(matches!(
        TrustList::from_signed(&not_a_set, &[root().public()], NOW),
        Err(TrustListError::NotJwkSet { .. })
    ));
}

#[test]
fn duplicate_kids_in_a_list_are_an_error() {
    let a = issuer_key(1, "same");
    let b = issuer_key(2, "same");
    let compact = signed_list(&[&a, &b], None, &root());
    assert_eq!(
        TrustList::from_signed(&compact, &[root().public()], NOW),
        Err(TrustListError::DuplicateKid { kid: "same".into() })
    );
}

#[test]
fn a_list_holding_a_private_key_or_a_malformed_key_is_refused() {
    let with_private = json!({"keys": [issuer_key(1, "leaked")]}).to_string();
    assert_eq!(
        TrustList::from_jwk_set(&with_private),
        Err(TrustListError::PrivateKey {
            kid: Some("leaked".into())
        })
    );
    let short = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "s", "x": "AAAA"}]});
    assert!(matches!(
        TrustList::from_jwk_set(&short.to_string()),
        Err(TrustListError::BadKey { .. })
    ));
    let mut every_stamp = issuer_key(1, "greedy").public();
    every_stamp.gcp = vec![String::new()];
    let greedy = json!({ "keys": [every_stamp] }).to_string();
    assert!(matches!(
        TrustList::from_jwk_set(&greedy),
        Err(TrustListError::BadKey { .. })
    ));
}

#[test]
fn a_bare_set_keeps_its_expiry_for_the_caller_to_check() {
    let set = json!({"keys": [issuer_key(1, "k").public()], "exp": NOW}).to_string();
    let list = TrustList::from_jwk_set(&set).unwrap();
    assert!(list.clone().current_at(NOW - 1).is_ok());
    assert_eq!(
        list.current_at(NOW),
        Err(TrustListError::Expired { exp: NOW, now: NOW })
    );
}

// --- which resolver serves a stamp's domain

fn serving(seed: u8, kid: &str, domains: &[&str], resolver: Option<&str>) -> Jwk {
    let mut key = issuer_key(seed, kid).public();
    key.domains = domains.iter().map(|d| d.to_string()).collect();
    key.resolver = resolver.map(str::to_string);
    key
}

#[test]
fn a_stamp_is_asked_from_the_resolver_of_the_issuer_for_its_domain() {
    let national = serving(1, "nat", &["tem.gov.vn"], Some("https://tem.gov.vn/"));
    let coop = serving(2, "coop", &["*.hoptac.vn"], Some("https://tra.hoptac.vn"));
    let list = list(&[&national, &coop]);
    assert_eq!(
        list.resolver_for(Some("a.hoptac.vn"), NOW),
        Some("https://tra.hoptac.vn")
    );
    assert_eq!(
        list.resolver_for(Some("tem.gov.vn"), NOW),
        Some("https://tem.gov.vn")
    );
    // A domain no issuer claims, a lookalike and a code with no domain: the list's own portal.
    assert_eq!(list.resolver_for(Some("hoptac.vn"), NOW), None);
    assert_eq!(list.resolver_for(Some("xn--hptac-bva.vn"), NOW), None);
    assert_eq!(list.resolver_for(None, NOW), None);
}

#[test]
fn a_key_out_of_its_period_names_no_resolver() {
    let mut old = serving(
        2,
        "coop-2025",
        &["tem.hoptac.vn"],
        Some("https://old.hoptac.vn"),
    );
    old.exp = Some(NOW - DAY);
    let mut current = serving(
        3,
        "coop-2026",
        &["tem.hoptac.vn"],
        Some("https://tra.hoptac.vn"),
    );
    current.nbf = Some(NOW - DAY);
    let list = list(&[&old, &current]);
    assert_eq!(
        list.resolver_for(Some("tem.hoptac.vn"), NOW),
        Some("https://tra.hoptac.vn")
    );
    assert_eq!(
        list.resolver_for(Some("tem.hoptac.vn"), NOW - 2 * DAY),
        Some("https://old.hoptac.vn")
    );
}

#[test]
fn issuers_disagreeing_on_a_domains_resolver_leave_it_to_the_lists_own_portal() {
    let coop = serving(2, "coop", &["tem.hoptac.vn"], Some("https://tra.hoptac.vn"));
    let squatter = serving(3, "other", &["tem.hoptac.vn"], Some("https://evil.example"));
    assert_eq!(
        list(&[&coop, &squatter]).resolver_for(Some("tem.hoptac.vn"), NOW),
        None
    );
    let home = serving(4, "home", &["tem.hoptac.vn"], None);
    assert_eq!(
        list(&[&coop, &home]).resolver_for(Some("tem.hoptac.vn"), NOW),
        None
    );
    let rollover = serving(
        5,
        "coop-2",
        &["tem.hoptac.vn"],
        Some("https://tra.hoptac.vn/"),
    );
    assert_eq!(
        list(&[&coop, &rollover]).resolver_for(Some("tem.hoptac.vn"), NOW),
        Some("https://tra.hoptac.vn")
    );
}

#[test]
fn a_list_naming_a_resolver_that_is_not_a_plain_url_is_refused() {
    for hostile in [
        "javascript:alert(1)",
        "https://user:pass@tra.hoptac.vn",
        "https://tra.hoptac.vn/?next=//evil.example",
    ] {
        let key = serving(2, "coop", &["tem.hoptac.vn"], Some(hostile));
        let compact = signed_list(&[&key], None, &root());
        assert_eq!(
            TrustList::from_signed(&compact, &[root().public()], NOW),
            Err(TrustListError::BadKey {
                kid: Some("coop".into())
            }),
            "{hostile}"
        );
    }
}
