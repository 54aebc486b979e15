//! `tem-portal`: the reference portal. `tem-portal stamps --out DIR` only writes the stamps.

use std::path::PathBuf;
use std::process::ExitCode;

use tem_portal::Config;

const USAGE: &str = "usage:
  tem-portal [--addr 127.0.0.1:8080] [--db var/portal.sqlite] [--www www] [--pkg pkg]
             [--stamps var/stamps] [--base-url http://127.0.0.1:8080]
  tem-portal stamps --out DIR [--base-url URL] [--db PATH]";

enum Command {
    Serve(Config),
    Stamps(Config),
}

fn parse(args: &[String]) -> Result<Command, String> {
    let mut config = Config::default();
    let (stamps_only, flags) = match args.split_first() {
        Some((first, rest)) if first == "stamps" => (true, rest),
        _ => (false, args),
    };
    let mut flags = flags.iter();
    while let Some(flag) = flags.next() {
        let value = flags
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match (flag.as_str(), stamps_only) {
            ("--addr", false) => {
                config.addr = value
                    .parse()
                    .map_err(|_| format!("--addr: {value} is not an address like 0.0.0.0:8080"))?
            }
            ("--db", _) => config.db = PathBuf::from(value),
            ("--www", false) => config.www = PathBuf::from(value),
            ("--pkg", false) => config.pkg = PathBuf::from(value),
            ("--stamps", false) | ("--out", true) => config.stamps = PathBuf::from(value),
            ("--base-url", _) => {
                if !value.starts_with("http://") && !value.starts_with("https://") {
                    return Err(format!(
                        "--base-url: {value} should start with http:// or https://"
                    ));
                }
                config.base_url = Some(value.trim_end_matches('/').to_string())
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(if stamps_only {
        Command::Stamps(config)
    } else {
        Command::Serve(config)
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = match parse(&args) {
        Ok(Command::Stamps(config)) => {
            let base_url = config
                .base_url
                .unwrap_or_else(|| format!("http://{}", config.addr));
            tem_portal::write_stamps(&config.db, &config.stamps, &base_url).map(|stamps| {
                println!(
                    "{} stamps written to {}",
                    stamps.len(),
                    config.stamps.display()
                );
            })
        }
        Ok(Command::Serve(config)) => match tokio::runtime::Runtime::new() {
            Ok(runtime) => runtime.block_on(tem_portal::serve(config)),
            Err(e) => {
                eprintln!("tem-portal: cannot start the async runtime: {e}");
                return ExitCode::FAILURE;
            }
        },
        Err(message) => {
            eprintln!("tem-portal: {message}\n{USAGE}");
            return ExitCode::from(2);
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
