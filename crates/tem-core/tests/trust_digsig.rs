//! Stamp signatures (GS1 AI 8030): what is signed, and that a signed stamp survives being
//! printed and scanned while any change to what it says is caught.
#![cfg(feature = "sign")]

use tem_core::base64url;
use tem_core::gs1;
use tem_core::payload::{self, Payload};
use tem_core::trust::{
    Jwk, StampSignature, TrustList, sign_stamp, signed_bytes, verify_stamp, with_stamp_signature,
};

const NOW: i64 = 1_780_000_000;

/// The stamp of the worked example in docs/signatures.md.
const EXAMPLE_LINK: &str = "https://tem.example.vn/01/08936012345674/10/L2401A/21/ABC123?17=261231";

fn example_key() -> Jwk {
    let seed: [u8; 32] = std::array::from_fn(|i| i as u8);
    let mut key = Jwk::ed25519_from_seed(seed, "htx-tienlu-2026");
    key.gcp = vec!["8936012".into()];
    key
}

fn trust(keys: &[Jwk]) -> TrustList {
    TrustList {
        keys: keys.iter().map(Jwk::public).collect(),
        iat: None,
        exp: None,
    }
}

fn parse(link: &str) -> Payload {
    payload::parse(link).unwrap()
}

/// `link` signed with `key`, as it would be printed in the QR code.
fn signed(link: &str, key: &Jwk) -> String {
    with_stamp_signature(link, &sign_stamp(&parse(link), key).unwrap())
}

/// `<GS>` for the separator, as the docs show the signed bytes.
fn shown(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\u{1d}', "<GS>")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_signed_bytes_are_the_element_string_in_canonical_order() {
    let bytes = signed_bytes(&parse(EXAMPLE_LINK)).unwrap();
    assert_eq!(
        shown(&bytes),
        "010893601234567410L2401A<GS>21ABC123<GS>17261231"
    );
    // The signature itself is not signed, wherever it stands.
    let signed = parse(&signed(EXAMPLE_LINK, &example_key()));
    assert_eq!(signed_bytes(&signed).unwrap(), bytes);
    assert_eq!(signed_bytes(&parse("FAKE-CODE-123")), None);
}

#[test]
fn a_stamp_signature_is_86_characters_that_gs1_accepts_for_8030() {
    let value = sign_stamp(&parse(EXAMPLE_LINK), &example_key()).unwrap();
    assert_eq!(value.len(), 86);
    assert!(gs1::validate("8030", &value).is_ok());
}

#[test]
fn a_signed_stamp_printed_and_scanned_again_verifies() {
    let link = signed(EXAMPLE_LINK, &example_key());
    assert!(link.starts_with(&format!("{EXAMPLE_LINK}&8030=")));
    let scanned = parse(&link.to_string());
    assert_eq!(
        verify_stamp(&scanned, &trust(&[example_key()]), NOW),
        StampSignature::Valid {
            kid: Some("htx-tienlu-2026".into())
        }
    );
}

#[test]
fn the_order_of_the_query_attributes_does_not_matter() {
    let link = "https://tem.example.vn/01/08936012345674/21/S1?3103=000500&17=261231";
    let value = sign_stamp(&parse(link), &example_key()).unwrap();
    let list = trust(&[example_key()]);
    for reordered in [
        format!(
            "https://tem.example.vn/01/08936012345674/21/S1?3103=000500&17=261231&8030={value}"
        ),
        format!(
            "https://tem.example.vn/01/08936012345674/21/S1?8030={value}&17=261231&3103=000500"
        ),
        format!(
            "https://tem.example.vn/01/08936012345674/21/S1?17=261231;8030={value};3103=000500"
        ),
        // The signature covers what the stamp says, not the host: that is checked against the
        // issuer's domains.
        format!("https://id.gs1.org/01/08936012345674/21/S1?17=261231&3103=000500&8030={value}"),
    ] {
        assert!(
            matches!(
                verify_stamp(&parse(&reordered), &list, NOW),
                StampSignature::Valid { .. }
            ),
            "{reordered}"
        );
    }
}

#[test]
fn changing_any_character_of_any_value_is_caught() {
    let link = signed(EXAMPLE_LINK, &example_key());
    let list = trust(&[example_key()]);
    let original = parse(&link);
    for element in &original.elements {
        let marker = if link.contains(&format!("/{}/{}", element.ai, element.value)) {
            format!("/{}/", element.ai)
        } else {
            format!("{}=", element.ai)
        };
        let start = link.find(&format!("{marker}{}", element.value)).unwrap() + marker.len();
        for offset in 0..element.value.len() {
            let at = start + offset;
            let old = link.as_bytes()[at];
            let new = match old {
                b'0'..=b'8' => old + 1,
                b'9' => b'0',
                b'A'..=b'Y' | b'a'..=b'y' => old + 1,
                _ => b'A',
            };
            let changed = format!("{}{}{}", &link[..at], char::from(new), &link[at + 1..]);
            // A change the GS1 rules catch (a GTIN check digit, a date) never reaches the check.
            let Ok(changed) = payload::parse(&changed) else {
                continue;
            };
            let verdict = verify_stamp(&changed, &list, NOW);
            assert!(
                !matches!(verdict, StampSignature::Valid { .. }),
                "({}) offset {offset}: {verdict:?}",
                element.ai
            );
        }
    }
}

#[test]
fn removing_or_adding_an_element_is_caught() {
    let value = sign_stamp(&parse(EXAMPLE_LINK), &example_key()).unwrap();
    let list = trust(&[example_key()]);
    for changed in [
        format!("https://tem.example.vn/01/08936012345674/10/L2401A/21/ABC123?8030={value}"),
        format!(
            "https://tem.example.vn/01/08936012345674/10/L2401A/21/ABC123?17=261231&15=261130&8030={value}"
        ),
        format!("https://tem.example.vn/01/08936012345674/21/ABC123?17=261231&8030={value}"),
    ] {
        assert_eq!(
            verify_stamp(&parse(&changed), &list, NOW),
            StampSignature::Invalid
        );
    }
}

#[test]
fn an_unsigned_stamp_has_no_stamp_signature() {
    assert_eq!(
        verify_stamp(&parse(EXAMPLE_LINK), &trust(&[example_key()]), NOW),
        StampSignature::Absent
    );
}

#[test]
fn a_stamp_of_a_company_prefix_no_key_holds_reads_unknown_key() {
    let link = signed(EXAMPLE_LINK, &example_key());
    let mut elsewhere = example_key();
    elsewhere.gcp = vec!["8936099".into()];
    assert_eq!(
        verify_stamp(&parse(&link), &trust(&[elsewhere]), NOW),
        StampSignature::UnknownKey
    );
    // The indicator digit is not part of the company prefix.
    let mut with_indicator = example_key();
    with_indicator.gcp = vec!["0893601".into()];
    assert_eq!(
        verify_stamp(&parse(&link), &trust(&[with_indicator]), NOW),
        StampSignature::UnknownKey
    );
}

#[test]
fn a_stamp_signed_with_an_expired_or_not_yet_valid_key_reads_expired_key() {
    let link = parse(&signed(EXAMPLE_LINK, &example_key()));
    let mut expired = example_key();
    expired.exp = Some(NOW - 1);
    assert_eq!(
        verify_stamp(&link, &trust(&[expired]), NOW),
        StampSignature::ExpiredKey
    );
    let mut early = example_key();
    early.nbf = Some(NOW + 1);
    assert_eq!(
        verify_stamp(&link, &trust(&[early]), NOW),
        StampSignature::ExpiredKey
    );
}

#[test]
fn during_a_rollover_the_current_key_is_credited() {
    let mut old = example_key();
    old.kid = Some("old".into());
    old.exp = Some(NOW - 1);
    let mut new = Jwk::ed25519_from_seed([7; 32], "new");
    new.gcp = old.gcp.clone();
    let list = trust(&[old.clone(), new.clone()]);
    assert_eq!(
        verify_stamp(&parse(&signed(EXAMPLE_LINK, &new)), &list, NOW),
        StampSignature::Valid {
            kid: Some("new".into())
        }
    );
    assert_eq!(
        verify_stamp(&parse(&signed(EXAMPLE_LINK, &old)), &list, NOW),
        StampSignature::ExpiredKey
    );
}

#[test]
fn a_signature_that_is_not_64_bytes_is_malformed() {
    let list = trust(&[example_key()]);
    for value in ["AAAA", &"A".repeat(88), &"A".repeat(85)] {
        let link = format!("{EXAMPLE_LINK}&8030={value}");
        let Ok(stamp) = payload::parse(&link) else {
            continue;
        };
        assert_eq!(verify_stamp(&stamp, &list, NOW), StampSignature::Malformed);
    }
}

#[test]
fn an_sscc_is_matched_by_the_prefix_after_its_extension_digit() {
    let link = "https://id.gs1.org/00/389360123456789017";
    let mut key = example_key();
    key.gcp = vec!["8936012".into()];
    let signed = parse(&signed(link, &key));
    assert!(matches!(
        verify_stamp(&signed, &trust(&[key.clone()]), NOW),
        StampSignature::Valid { .. }
    ));
    key.gcp = vec!["3893601".into()];
    assert_eq!(
        verify_stamp(&signed, &trust(&[key]), NOW),
        StampSignature::UnknownKey
    );
}

#[test]
fn the_signature_is_appended_to_the_query_before_any_fragment() {
    assert_eq!(
        with_stamp_signature("https://a.vn/01/x", "S"),
        "https://a.vn/01/x?8030=S"
    );
    assert_eq!(
        with_stamp_signature("https://a.vn/01/x?17=1", "S"),
        "https://a.vn/01/x?17=1&8030=S"
    );
    assert_eq!(
        with_stamp_signature("https://a.vn/01/x?", "S"),
        "https://a.vn/01/x?8030=S"
    );
    assert_eq!(
        with_stamp_signature("https://a.vn/01/x#top", "S"),
        "https://a.vn/01/x?8030=S#top"
    );
}

/// The worked example's values, as docs/signatures.md prints them.
fn worked_example() -> Vec<(&'static str, String)> {
    let key = example_key();
    let bytes = signed_bytes(&parse(EXAMPLE_LINK)).unwrap();
    let value = sign_stamp(&parse(EXAMPLE_LINK), &key).unwrap();
    vec![
        ("link", EXAMPLE_LINK.to_string()),
        ("signed bytes", shown(&bytes)),
        ("hex", hex(&bytes)),
        (
            "seed",
            hex(&base64url::decode(key.d.as_deref().unwrap()).unwrap()),
        ),
        ("d", key.d.clone().unwrap()),
        ("x", key.x.clone().unwrap()),
        ("8030", value.clone()),
        ("signed link", with_stamp_signature(EXAMPLE_LINK, &value)),
    ]
}

#[test]
fn the_worked_example_in_the_docs_is_what_the_code_computes() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/signatures.md"
    ))
    .unwrap();
    // The doc wraps nothing: each value appears whole on its line.
    let missing: Vec<_> = worked_example()
        .into_iter()
        .filter(|(_, value)| !doc.contains(value.as_str()))
        .collect();
    assert!(missing.is_empty(), "docs/signatures.md lacks {missing:#?}");
    // The trust-list example is a list tem reads, holding the example's key.
    let example = doc
        .split("```json\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let list = TrustList::from_jwk_set(example).unwrap();
    let listed = &list.keys[0];
    assert_eq!(
        (&listed.x, &listed.gcp),
        (&example_key().x, &example_key().gcp)
    );
    assert!(listed.allows_domain("tem.example.vn") && listed.allows_domain("a.htx-tienlu.vn"));
    let signed = parse(&signed(EXAMPLE_LINK, &example_key()));
    assert!(matches!(
        verify_stamp(&signed, &list, listed.nbf.unwrap()),
        StampSignature::Valid { .. }
    ));
}
