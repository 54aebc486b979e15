//! The RFCs' own examples: tem must verify what every other JOSE implementation verifies.

use tem_core::trust::{Jwk, SignatureStatus, TrustList, jws};

/// RFC 8037 §A.1: the Ed25519 key (private part included, as printed there).
const RFC8037_KEY: &str = r#"{"kty":"OKP","crv":"Ed25519",
    "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

/// RFC 8037 §A.4: "Example of Ed25519 signing" signed with that key.
const RFC8037_JWS: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

/// RFC 7515 §A.3: the P-256 public key and the ES256 JWS of the JWT claims of §A.1.
const RFC7515_KEY: &str = r#"{"kty":"EC","crv":"P-256",
    "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
const RFC7515_JWS: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

fn key(json: &str) -> Jwk {
    serde_json::from_str(json).unwrap()
}

fn list_of(key: Jwk) -> TrustList {
    TrustList {
        keys: vec![key],
        iat: None,
        exp: None,
    }
}

#[test]
fn the_rfc_8037_ed25519_example_verifies() {
    let public = key(RFC8037_KEY).public();
    let parsed = jws::parse(RFC8037_JWS).unwrap();
    assert_eq!(parsed.verify(&public), Ok(()));
    assert_eq!(parsed.payload, b"Example of Ed25519 signing");
    let verification = list_of(public).verify(RFC8037_JWS, 0);
    assert_eq!(verification.signature, SignatureStatus::Valid);
    assert_eq!(verification.alg.as_deref(), Some("EdDSA"));
    assert_eq!(verification.kid, None);
    assert_eq!(
        verification.payload.as_deref(),
        Some(&b"Example of Ed25519 signing"[..])
    );
}

#[cfg(feature = "sign")]
#[test]
fn signing_the_rfc_8037_example_gives_the_rfcs_jws() {
    // Ed25519 is deterministic, and a key without kid and no typ give the header {"alg":"EdDSA"}.
    let signed = tem_core::trust::sign(b"Example of Ed25519 signing", &key(RFC8037_KEY), None);
    assert_eq!(signed.as_deref(), Ok(RFC8037_JWS));
}

#[cfg(feature = "sign")]
#[test]
fn a_key_from_the_rfc_8037_seed_is_the_rfcs_key() {
    let seed = tem_core::base64url::decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A").unwrap();
    let made = Jwk::ed25519_from_seed(seed.try_into().unwrap(), "rfc8037");
    assert_eq!(made.x, key(RFC8037_KEY).x);
    assert_eq!(made.d, key(RFC8037_KEY).d);
}

#[cfg(feature = "es256")]
#[test]
fn the_rfc_7515_es256_example_verifies() {
    let parsed = jws::parse(RFC7515_JWS).unwrap();
    assert_eq!(parsed.verify(&key(RFC7515_KEY)), Ok(()));
    let verification = list_of(key(RFC7515_KEY)).verify(RFC7515_JWS, 0);
    assert_eq!(verification.signature, SignatureStatus::Valid);
    assert_eq!(verification.alg.as_deref(), Some("ES256"));
}

#[cfg(feature = "es256")]
#[test]
fn an_es256_signature_in_der_is_refused() {
    let (input, signature) = RFC7515_JWS.rsplit_once('.').unwrap();
    let raw = tem_core::base64url::decode(signature).unwrap();
    let integer = |bytes: &[u8]| {
        let mut out = vec![0x02];
        let pad = bytes[0] >= 0x80;
        out.push(32 + u8::from(pad));
        if pad {
            out.push(0);
        }
        out.extend_from_slice(bytes);
        out
    };
    let body = [integer(&raw[..32]), integer(&raw[32..])].concat();
    let der = [vec![0x30, body.len() as u8], body].concat();
    let compact = format!("{input}.{}", tem_core::base64url::encode(&der));
    let verification = list_of(key(RFC7515_KEY)).verify(&compact, 0);
    assert_eq!(verification.signature, SignatureStatus::Invalid);
}

#[cfg(not(feature = "es256"))]
#[test]
fn without_the_es256_feature_es256_is_unsupported_never_valid() {
    let verification = list_of(key(RFC7515_KEY)).verify(RFC7515_JWS, 0);
    assert_eq!(verification.signature, SignatureStatus::UnsupportedAlg);
    assert_eq!(verification.payload, None);
}
