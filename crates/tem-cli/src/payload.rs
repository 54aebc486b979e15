//! `tem payload STRING` (or `-` for standard input): the parse as one JSON document,
//! `{"ok": true, …}` or `{"ok": false, "error": {…}}` with exit status 1.

use std::io::Read;
use std::process::ExitCode;

use serde_json::{Value, json};

pub fn run(args: &[String]) -> ExitCode {
    let input = match args {
        // Scanned payloads can hold GS (0x1D) separators, awkward to pass as an argument.
        [dash] if dash == "-" => {
            let mut text = String::new();
            if let Err(error) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("tem payload: cannot read standard input: {error}");
                return ExitCode::from(2);
            }
            text
        }
        [input] => input.clone(),
        _ => {
            eprintln!("usage: tem payload STRING   (or - to read the payload from standard input)");
            return ExitCode::from(2);
        }
    };
    let (document, status) = answer(&input);
    println!("{document}");
    status
}

fn answer(input: &str) -> (Value, ExitCode) {
    match tem_core::payload::parse(input) {
        Ok(payload) => {
            let mut document = json!({ "ok": true });
            if let (Value::Object(out), Ok(Value::Object(fields))) =
                (&mut document, serde_json::to_value(&payload))
            {
                out.extend(fields);
                out.insert("resolver_path".into(), json!(payload.resolver_path()));
            }
            (document, ExitCode::SUCCESS)
        }
        Err(error) => (json!({ "ok": false, "error": error }), ExitCode::FAILURE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_link_prints_its_elements_and_resolver_path() {
        let (document, _) = answer("https://id.gs1.org/01/08936012345674/10/L1?17=261200");
        assert_eq!(document["ok"], true);
        assert_eq!(document["kind"]["type"], "digital_link");
        assert_eq!(document["elements"][2]["date"]["day"], 31);
        assert_eq!(document["resolver_path"], "/01/08936012345674/10/L1");
    }

    #[test]
    fn an_invalid_code_prints_the_error_with_its_code() {
        let (document, _) = answer("https://id.gs1.org/01/08936012345677");
        assert_eq!(document["ok"], false);
        assert_eq!(document["error"]["code"], "check_digit");
        assert_eq!(
            document["error"]["message"],
            "GTIN check digit should be 4, found 7"
        );
    }
}
