//! `tem verify FILE --trust-list FILE [--root-key FILE] [--now RFC3339] [--stamp TEXT]`: a
//! compact JWS judged against a trust list, as one JSON object
//! `{"signature": "valid", "kid": …, "alg": …, "issuer": …, "payload": …}`, plus, when the
//! payload is a trace record, `"verdict"` and `"depth"` as the widget would judge it with no
//! scan history or recall list to ask (so a serialised unit is at best Caution here).
//! Exit status 0 only for a valid signature, 1 otherwise, 2 for a usage error.

use std::process::ExitCode;

use serde_json::{Map, Value, json};
use tem_core::TraceRecord;
use tem_core::record::LocalText;
use tem_core::trust::{Jwk, JwkSet, MAX_JWS_BYTES, SignatureStatus, TrustList, Verification};
use tem_core::verdict::{self, Evidence, Fetched, Trust};

const USAGE: &str =
    "usage: tem verify FILE --trust-list FILE [--root-key FILE] [--now RFC3339] [--stamp TEXT]
  FILE          a compact JWS (a trace record or any payload)
  --trust-list  the signed trust list (needs --root-key) or a bare JWK Set
  --root-key    a JWK or JWK Set file with the root public key(s)
  --now         the time to judge key and list validity at (default: the system clock)
  --stamp       what the stamp says, to judge a trace record against (default: the record's
                own GTIN, lot and serial)";

/// Trust lists and root-key files are small; this bounds what is read of a wrong file.
const MAX_KEY_FILE_BYTES: usize = MAX_JWS_BYTES;

#[derive(Debug, Default, PartialEq)]
struct Args {
    file: String,
    trust_list: String,
    root_key: Option<String>,
    now: Option<String>,
    stamp: Option<String>,
}

/// Why no verification was printed.
#[derive(Debug, PartialEq)]
enum Failure {
    /// The command line is wrong: exit status 2.
    Usage(String),
    /// A file could not be used: exit status 1, with `{"error": {"code", "message"}}`.
    Error { code: String, message: String },
}

pub fn run(args: &[String]) -> ExitCode {
    match answer(args, system_now) {
        Ok((document, status)) => {
            println!("{document}");
            status
        }
        Err(Failure::Usage(message)) => {
            eprintln!("tem verify: {message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Error { code, message }) => {
            let error = json!({ "code": code, "message": message });
            println!(
                "{}",
                json!({ "signature": null, "kid": null, "alg": null, "error": error })
            );
            ExitCode::FAILURE
        }
    }
}

fn system_now() -> Option<i64> {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    i64::try_from(elapsed.as_secs()).ok()
}

fn answer(args: &[String], clock: fn() -> Option<i64>) -> Result<(Value, ExitCode), Failure> {
    let args = parse_args(args)?;
    let now = match &args.now {
        Some(text) => tem_core::time::rfc3339_to_unix(text)
            .ok_or_else(|| Failure::Usage(format!("--now {text:?} is not an RFC 3339 time")))?,
        None => clock().ok_or_else(|| Failure::Error {
            code: "no_clock".into(),
            message: "the system clock is before 1970; give --now".into(),
        })?,
    };
    let list = trust_list(&args, now)?;
    let compact = read_text(&args.file, MAX_JWS_BYTES)?;
    // Binary garbage and oversized files are judged like any other bad JWS: malformed.
    let compact = compact.as_deref().map(str::trim).unwrap_or("");
    let verification = list.verify(compact, now);
    let status = if verification.signature == SignatureStatus::Valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    let mut document = report(&verification, &list);
    if let Some(judged) = judge_record(&verification, &list, compact, args.stamp.as_deref(), now)? {
        document.extend(judged);
    }
    Ok((Value::Object(document), status))
}

/// The verdict on a JWS whose payload is a trace record (whatever its signature says: the
/// verdict says that too), against the stamp given or the record's own identifiers.
fn judge_record(
    verification: &Verification,
    list: &TrustList,
    compact: &str,
    stamp: Option<&str>,
    now: i64,
) -> Result<Option<Map<String, Value>>, Failure> {
    let payload = match &verification.payload {
        Some(signed) => signed.clone(),
        None => match tem_core::trust::jws::parse(compact) {
            Ok(jws) => jws.payload,
            Err(_) => return Ok(None),
        },
    };
    let Ok(record) = TraceRecord::from_json(&payload) else {
        return Ok(None);
    };
    let stamp_text = match stamp {
        Some(text) => text.to_string(),
        // As an element string: it names no domain, which a stamp given here would.
        None => {
            let mut text = format!("(01){}(10){}", record.product.gtin, record.lot.lot);
            if let Some(serial) = &record.serial {
                text.push_str(&format!("(21){serial}"));
            }
            text
        }
    };
    let stamp = tem_core::payload::parse(&stamp_text).map_err(|error| {
        Failure::Usage(format!("--stamp {stamp_text:?} is not a stamp: {error}"))
    })?;
    let not_asked = LocalText::both(
        "tem verify không hỏi cổng truy xuất",
        "tem verify does not ask a portal",
    );
    let assessment = verdict::evaluate(&Evidence {
        stamp: &stamp,
        trust: Trust::List {
            list,
            fetched_at: now,
            cached: false,
        },
        record: Fetched::Got(compact),
        scans: stamp.serial().map(|_| Fetched::Unavailable(&not_asked)),
        recalls: Fetched::Unavailable(&not_asked),
        now,
    });
    let mut out = Map::new();
    out.insert("verdict".into(), json!(assessment.verdict));
    out.insert("summary".into(), json!(assessment.verdict.summary()));
    out.insert("depth".into(), json!(assessment.depth));
    Ok(Some(out))
}

/// The printed object, built in this one place: the trace-record verdict (checking the
/// verified record against the stamp) is to join it here, beside the signature.
fn report(verification: &Verification, list: &TrustList) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("signature".into(), json!(verification.signature.code()));
    out.insert("kid".into(), json!(verification.kid));
    out.insert("alg".into(), json!(verification.alg));
    // Only a key whose signature checked out names its issuer: a forgery carrying a real
    // kid must not show that issuer's name.
    let signer = match verification.signature {
        SignatureStatus::Valid => verification.key.as_ref(),
        SignatureStatus::ExpiredKey => verification.kid.as_deref().and_then(|k| list.key(k)),
        _ => None,
    };
    if let Some(issuer) = signer.and_then(Jwk::issuer_name) {
        out.insert("issuer".into(), json!(issuer));
    }
    if let Some(payload) = verification
        .payload
        .as_deref()
        .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok())
    {
        out.insert("payload".into(), payload);
    }
    out
}

fn parse_args(args: &[String]) -> Result<Args, Failure> {
    let mut parsed = Args::default();
    let (mut file, mut trust_list) = (None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let slot = match arg.as_str() {
            "--trust-list" => &mut trust_list,
            "--root-key" => &mut parsed.root_key,
            "--now" => &mut parsed.now,
            "--stamp" => &mut parsed.stamp,
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown option {flag}")));
            }
            _ => {
                if file.replace(arg.clone()).is_some() {
                    return Err(Failure::Usage("give one FILE".into()));
                }
                continue;
            }
        };
        let value = rest
            .next()
            .ok_or_else(|| Failure::Usage(format!("{arg} needs a value")))?;
        if slot.replace(value.clone()).is_some() {
            return Err(Failure::Usage(format!("{arg} is given twice")));
        }
    }
    parsed.file = file.ok_or_else(|| Failure::Usage("no FILE to verify".into()))?;
    parsed.trust_list =
        trust_list.ok_or_else(|| Failure::Usage("--trust-list is required".into()))?;
    Ok(parsed)
}

/// The trust list: a JWK Set as is, or a signed list checked against the root key(s).
fn trust_list(args: &Args, now: i64) -> Result<TrustList, Failure> {
    let text = read_text(&args.trust_list, MAX_KEY_FILE_BYTES)?.ok_or_else(|| {
        list_error(format!(
            "{} is not UTF-8 text of at most {MAX_KEY_FILE_BYTES} bytes",
            args.trust_list
        ))
    })?;
    let text = text.trim();
    let result = if text.starts_with('{') {
        TrustList::from_jwk_set(text).and_then(|list| list.current_at(now))
    } else {
        let Some(root_file) = &args.root_key else {
            return Err(Failure::Usage(format!(
                "{} is a signed trust list: give the root public key(s) with --root-key FILE",
                args.trust_list
            )));
        };
        TrustList::from_signed(text, &root_keys(root_file)?, now)
    };
    result.map_err(|error| Failure::Error {
        code: format!("trust_list_{}", error.code()),
        message: error.to_string(),
    })
}

fn list_error(message: String) -> Failure {
    Failure::Error {
        code: "trust_list_unreadable".into(),
        message,
    }
}

/// A JWK or a JWK Set; only the public parts are kept.
fn root_keys(path: &str) -> Result<Vec<Jwk>, Failure> {
    let bad = |detail: String| Failure::Error {
        code: "root_key_unreadable".into(),
        message: format!("{path}: {detail}"),
    };
    let text = read_text(path, MAX_KEY_FILE_BYTES)?.ok_or_else(|| {
        bad(format!(
            "not UTF-8 text of at most {MAX_KEY_FILE_BYTES} bytes"
        ))
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let keys = if value.get("keys").is_some() {
        serde_json::from_value::<JwkSet>(value).map(|set| set.keys)
    } else {
        serde_json::from_value::<Jwk>(value).map(|key| vec![key])
    }
    .map_err(|e| bad(format!("not a JWK or JWK Set: {e}")))?;
    Ok(keys.iter().map(Jwk::public).collect())
}

/// The file's text, None when it is not UTF-8 or longer than `limit` bytes.
fn read_text(path: &str, limit: usize) -> Result<Option<String>, Failure> {
    let (bytes, size) = crate::read_bounded(path, limit).map_err(|error| Failure::Error {
        code: "unreadable_file".into(),
        message: format!("cannot read {path}: {error}"),
    })?;
    Ok((size <= limit)
        .then(|| String::from_utf8(bytes).ok())
        .flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_options_are_read_in_any_order() {
        let parsed = parse_args(&args(&[
            "--now",
            "2026-06-01T00:00:00Z",
            "rec.jws",
            "--trust-list",
            "l.jws",
            "--root-key",
            "r.jwk",
        ]))
        .unwrap();
        assert_eq!(
            parsed,
            Args {
                file: "rec.jws".into(),
                trust_list: "l.jws".into(),
                root_key: Some("r.jwk".into()),
                now: Some("2026-06-01T00:00:00Z".into()),
                stamp: None,
            }
        );
    }

    #[test]
    fn a_wrong_command_line_is_a_usage_error() {
        for words in [
            &["rec.jws"][..],
            &["--trust-list", "l.json"],
            &["a", "b", "--trust-list", "l.json"],
            &["rec.jws", "--trust-list"],
            &["rec.jws", "--trust-list", "l", "--trust-list", "m"],
            &["rec.jws", "--trust-list", "l", "--verbose"],
        ] {
            assert!(
                matches!(parse_args(&args(words)), Err(Failure::Usage(_))),
                "{words:?}"
            );
        }
    }

    #[test]
    fn an_unreadable_now_is_a_usage_error() {
        let result = answer(
            &args(&["rec.jws", "--trust-list", "l.json", "--now", "tomorrow"]),
            || Some(0),
        );
        assert!(matches!(result, Err(Failure::Usage(_))));
    }
}
