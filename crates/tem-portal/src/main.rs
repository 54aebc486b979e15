//! `tem-portal`: the reference portal. `tem-portal stamps --out DIR` only writes the stamps.

use std::path::PathBuf;
use std::process::ExitCode;

use tem_portal::Config;

const USAGE: &str = "usage:
  tem-portal [--addr 127.0.0.1:8080] [--db var/portal.sqlite] [--www www] [--pkg pkg]
             [--stamps var/stamps] [--base-url http://127.0.0.1:8080]
  tem-portal stamps --out DIR [--base-url URL] [--db PATH]";

fn parse(args: &[String]) -> Result<(bool, Config), String> {
    let mut config = Config {
        addr: "127.0.0.1:8080"
            .parse()
            .map_err(|_| "bad default address")?,
        db: "var/portal.sqlite".into(),
        www: "www".into(),
        pkg: "pkg".into(),
        stamps: "var/stamps".into(),
        base_url: String::new(),
    };
    let mut args = args.iter();
    let mut stamps_only = false;
    while let Some(flag) = args.next() {
        if flag == "stamps" {
            stamps_only = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => {
                config.addr = value
                    .parse()
                    .map_err(|_| format!("--addr: not an address: {value}"))?
            }
            "--db" => config.db = PathBuf::from(value),
            "--www" => config.www = PathBuf::from(value),
            "--pkg" => config.pkg = PathBuf::from(value),
            "--stamps" | "--out" => config.stamps = PathBuf::from(value),
            "--base-url" => config.base_url = value.trim_end_matches('/').to_string(),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if config.base_url.is_empty() {
        config.base_url = format!("http://{}", config.addr);
    }
    Ok((stamps_only, config))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (stamps_only, config) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("tem-portal: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = if stamps_only {
        tem_portal::open_seeded(&config.db).and_then(|db| {
            let stamps = tem_portal::stamps::write(&db, &config.stamps, &config.base_url)?;
            println!(
                "{} stamps written to {}",
                stamps.len(),
                config.stamps.display()
            );
            Ok(())
        })
    } else {
        match tokio::runtime::Runtime::new() {
            Ok(runtime) => runtime.block_on(tem_portal::serve(config)),
            Err(e) => Err(e.into()),
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tem-portal: {e}");
            ExitCode::FAILURE
        }
    }
}
