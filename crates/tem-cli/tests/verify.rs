//! `tem verify` run as a user would: the built binary on files in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use tem_core::trust::{Jwk, JwkSet, RECORD_TYP, TRUST_LIST_TYP, sign};

/// 2026-06-01T00:00:00Z
const NOW: i64 = 1_780_272_000;
const NOW_TEXT: &str = "2026-06-01T00:00:00Z";

struct Run {
    code: Option<i32>,
    json: Value,
    stderr: String,
}

fn tem_verify(args: &[&Path], options: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tem"))
        .arg("verify")
        .args(args)
        .args(options)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    Run {
        code: output.status.code(),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    issuer: Jwk,
    root: Jwk,
}

impl Fixture {
    fn new() -> Fixture {
        let mut issuer = Jwk::ed25519_from_seed([1; 32], "htx-tienlu-2026");
        issuer.iss = Some(tem_core::record::LocalText::both(
            "Hợp tác xã Tiên Lữ",
            "Tien Lu Cooperative",
        ));
        issuer.nbf = Some(NOW - 100 * 86_400);
        issuer.exp = Some(NOW + 100 * 86_400);
        Fixture {
            dir: tempfile::tempdir().unwrap(),
            issuer,
            root: Jwk::ed25519_from_seed([9; 32], "root-2026"),
        }
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn set(&self, exp: Option<i64>) -> String {
        serde_json::to_string(&JwkSet {
            keys: vec![self.issuer.public()],
            iat: Some(NOW - 86_400),
            exp,
        })
        .unwrap()
    }

    fn record(&self) -> PathBuf {
        let record = json!({"id": "rec-1", "lot": {"code": "L2401A"}}).to_string();
        self.file(
            "record.jws",
            sign(record.as_bytes(), &self.issuer, Some(RECORD_TYP)).unwrap() + "\n",
        )
    }

    fn bare_list(&self) -> PathBuf {
        self.file("trust-list.json", self.set(Some(NOW + 1_000 * 86_400)))
    }

    fn signed_list(&self, exp: Option<i64>) -> PathBuf {
        let signed = sign(self.set(exp).as_bytes(), &self.root, Some(TRUST_LIST_TYP)).unwrap();
        self.file("trust-list.jws", signed)
    }

    fn root_key(&self) -> PathBuf {
        self.file(
            "root.jwk",
            serde_json::to_string(&self.root.public()).unwrap(),
        )
    }
}

#[test]
fn a_valid_record_prints_its_signature_issuer_and_payload_and_exits_0() {
    let f = Fixture::new();
    let run = tem_verify(
        &[&f.record()],
        &[
            "--trust-list",
            f.bare_list().to_str().unwrap(),
            "--now",
            NOW_TEXT,
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.json["signature"], "valid");
    assert_eq!(run.json["kid"], "htx-tienlu-2026");
    assert_eq!(run.json["alg"], "EdDSA");
    assert_eq!(
        run.json["issuer"],
        json!({"vi": "Hợp tác xã Tiên Lữ", "en": "Tien Lu Cooperative"})
    );
    assert_eq!(run.json["payload"]["id"], "rec-1");
}

#[test]
fn a_signed_list_is_checked_against_the_root_key_file() {
    let f = Fixture::new();
    let list = f.signed_list(Some(NOW + 86_400));
    let root_set = f.file(
        "roots.json",
        json!({"keys": [f.root.public(), Jwk::ed25519_from_seed([8; 32], "root-2027").public()]})
            .to_string(),
    );
    for root in [f.root_key(), root_set] {
        let run = tem_verify(
            &[&f.record()],
            &[
                "--trust-list",
                list.to_str().unwrap(),
                "--root-key",
                root.to_str().unwrap(),
                "--now",
                NOW_TEXT,
            ],
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.json["signature"], "valid");
    }
}

#[test]
fn a_signed_list_without_a_root_key_is_a_usage_error() {
    let f = Fixture::new();
    let list = f.signed_list(None);
    let run = tem_verify(&[&f.record()], &["--trust-list", list.to_str().unwrap()]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("--root-key"), "{}", run.stderr);
}

#[test]
fn a_list_signed_by_another_key_than_the_root_is_refused() {
    let f = Fixture::new();
    let list = f.signed_list(None);
    let other = f.file(
        "other.jwk",
        serde_json::to_string(&f.issuer.public()).unwrap(),
    );
    let run = tem_verify(
        &[&f.record()],
        &[
            "--trust-list",
            list.to_str().unwrap(),
            "--root-key",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(run.json["error"]["code"], "trust_list_unknown_root");
    assert_eq!(run.json["signature"], Value::Null);
}

#[test]
fn an_expired_list_is_refused_signed_or_bare() {
    let f = Fixture::new();
    let signed = f.signed_list(Some(NOW - 1));
    let bare = f.file("expired.json", f.set(Some(NOW - 1)));
    let root = f.root_key();
    for options in [
        vec![
            "--trust-list",
            signed.to_str().unwrap(),
            "--root-key",
            root.to_str().unwrap(),
            "--now",
            NOW_TEXT,
        ],
        vec!["--trust-list", bare.to_str().unwrap(), "--now", NOW_TEXT],
    ] {
        let run = tem_verify(&[&f.record()], &options);
        assert_eq!(run.code, Some(1));
        assert_eq!(run.json["error"]["code"], "trust_list_expired");
        assert!(
            run.json["error"]["message"]
                .as_str()
                .unwrap()
                .contains("must not be trusted")
        );
    }
}

#[test]
fn now_decides_whether_the_key_is_still_valid() {
    let f = Fixture::new();
    let run = tem_verify(
        &[&f.record()],
        &[
            "--trust-list",
            f.bare_list().to_str().unwrap(),
            "--now",
            "2027-01-01T00:00:00+07:00",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(run.json["signature"], "expired_key");
    assert_eq!(run.json["issuer"]["vi"], "Hợp tác xã Tiên Lữ");
    assert_eq!(run.json.get("payload"), None);
}

#[test]
fn a_forged_record_is_invalid_and_names_no_issuer() {
    let f = Fixture::new();
    let forger = Jwk::ed25519_from_seed([2; 32], "htx-tienlu-2026");
    let forged = f.file(
        "forged.jws",
        sign(br#"{"id":"rec-1"}"#, &forger, None).unwrap(),
    );
    let run = tem_verify(
        &[&forged],
        &[
            "--trust-list",
            f.bare_list().to_str().unwrap(),
            "--now",
            NOW_TEXT,
        ],
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(run.json["signature"], "invalid");
    assert_eq!(run.json["kid"], "htx-tienlu-2026");
    assert_eq!(run.json.get("issuer"), None);
    assert_eq!(run.json.get("payload"), None);
}

#[test]
fn the_rfc_7515_es256_example_verifies_on_the_command_line() {
    let f = Fixture::new();
    let jws = f.file("es256.jws", "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
    let list = f.file(
        "es256.json",
        json!({"keys": [{"kty": "EC", "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})
        .to_string(),
    );
    let run = tem_verify(&[&jws], &["--trust-list", list.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.json["signature"], "valid");
    assert_eq!(run.json["alg"], "ES256");
    assert_eq!(run.json["payload"]["iss"], "joe");
}

#[test]
fn garbage_huge_and_missing_files_never_panic() {
    let f = Fixture::new();
    let list = f.bare_list();
    let list = list.to_str().unwrap();
    let garbage = f.file(
        "garbage.jws",
        (0..=255u8).cycle().take(10_000).collect::<Vec<u8>>(),
    );
    let huge = f.file("huge.jws", "A".repeat(3 << 20));
    let empty = f.file("empty.jws", "");
    for file in [&garbage, &huge, &empty] {
        let run = tem_verify(&[file], &["--trust-list", list]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert_eq!(run.json["signature"], "malformed");
    }
    let missing = f.dir.path().join("missing.jws");
    let run = tem_verify(&[&missing], &["--trust-list", list]);
    assert_eq!(
        (run.code, &run.json["error"]["code"]),
        (Some(1), &json!("unreadable_file"))
    );
    for bad_list in [&missing, &garbage, &huge, &f.record()] {
        let run = tem_verify(
            &[&f.record()],
            &[
                "--trust-list",
                bad_list.to_str().unwrap(),
                "--root-key",
                garbage.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, Some(1), "{bad_list:?}: {}", run.stderr);
        assert!(run.json["error"]["code"].is_string(), "{bad_list:?}");
    }
}

#[test]
fn no_arguments_is_a_usage_error() {
    let run = tem_verify(&[], &[]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("usage: tem verify"));
}

#[test]
fn a_signed_trace_record_gets_the_verdict_the_widget_would_give_it() {
    let fixture = Fixture::new();
    let record = json!({
        "id": "08936012345674.L2401A",
        "product": {"gtin": "08936012345674", "name": {"vi": "Mật ong"}, "origin": "Hưng Yên"},
        "producer": {"name": "HTX Tiên Lữ"},
        "lot": {"lot": "L2401A", "expiry_date": "2027-01-31"},
        "events": [{"id": "e1", "time": "2026-04-24T06:30:00+07:00", "stage": "packing",
                    "event_type": "AggregationEvent", "summary": {"vi": "Đóng chai"}}],
        "issued_at": "2026-05-01T00:00:00Z",
    });
    let signed = fixture.file(
        "trace.jws",
        sign(
            record.to_string().as_bytes(),
            &fixture.issuer,
            Some(RECORD_TYP),
        )
        .unwrap(),
    );
    let list = fixture.bare_list();
    let own = tem_verify(
        &[&signed],
        &["--trust-list", list.to_str().unwrap(), "--now", NOW_TEXT],
    );
    assert_eq!(own.code, Some(0), "{}", own.stderr);
    assert_eq!(
        own.json["verdict"]["state"], "caution",
        "a lot record is at best caution"
    );
    assert_eq!(own.json["depth"]["level"], "label_only");
    let other_lot = tem_verify(
        &[&signed],
        &[
            "--trust-list",
            list.to_str().unwrap(),
            "--now",
            NOW_TEXT,
            "--stamp",
            "(01)08936012345674(10)L9999",
        ],
    );
    assert_eq!(other_lot.json["verdict"]["state"], "not_authentic");
    let bad_stamp = tem_verify(
        &[&signed],
        &["--trust-list", list.to_str().unwrap(), "--stamp", "<b>"],
    );
    assert_eq!(bad_stamp.code, Some(2));
}
