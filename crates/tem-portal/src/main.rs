//! `tem-portal`: the reference portal. `tem-portal stamps --out DIR` only writes the stamps;
//! `tem-portal keygen` makes a signing key (the trust list's root, or an issuer's).

use std::path::PathBuf;
use std::process::ExitCode;

use tem_portal::Config;
use tem_portal::db::Location;

const USAGE: &str = "usage:
  tem-portal [--addr 127.0.0.1:8080] [--db var/portal.sqlite] [--www www] [--pkg pkg]
             [--stamps var/stamps] [--base-url http://127.0.0.1:8080]
             [--root-key trust/demo-root.jwk] [--seed demo]
             [--embed-origin https://shop.example ...] [--epcis-schema FILE]
  tem-portal stamps --out DIR [--base-url URL] [--db PATH] [--seed demo]

  --db takes a SQLite file (created when missing) or a PostgreSQL database as
  postgres://user@host:port/dbname (the password from PGPASSWORD, or in the URL), for
  several portal instances on one database.
  --seed demo fills a new, empty database with the demo data; one that holds data is
  served as it is. --embed-origin names a host whose pages may frame /embed (repeatable).
  --epcis-schema names the official EPCIS 2.0 JSON schema; POST /capture is off without it.
  tem-portal keygen --kid NAME --out FILE   (private JWK to FILE, public JWK to stdout)
  tem-portal enterprise add --id ID --name NAME --gcp PREFIX [--gcp ...] [--db PATH]
             (registers an enterprise for EPCIS capture; prints its token once)
  tem-portal issuer add --id ID --name NAME [--name-en NAME] --key FILE
             [--domain HOST ...] [--gcp PREFIX ...] [--resolver URL] [--db PATH]
             (FILE: a JWK or JWK Set; private keys: this portal signs for the issuer;
             public keys and --resolver: the issuer signs on its own resolver, which serves
             its --domain stamps; published in the trust list from the next start)
  tem-portal issuer keys --id ID [--db PATH]
             (the issuer's public keys as a JWK Set, for another portal's issuer add)";

enum Command {
    Serve(Config),
    Stamps(Config),
    Keygen {
        kid: String,
        out: PathBuf,
    },
    AddEnterprise {
        db: Location,
        id: String,
        name: String,
        gcp: Vec<String>,
    },
    AddIssuer {
        db: Location,
        issuer: tem_portal::issuers::NewIssuer,
        key_file: PathBuf,
    },
    IssuerKeys {
        db: Location,
        id: String,
    },
}

fn parse_issuer(flags: &[String]) -> Result<Command, String> {
    let (action, flags) = match flags.split_first() {
        Some((action, rest)) if action == "add" || action == "keys" => (action.as_str(), rest),
        _ => return Err("issuer takes one action: add or keys".into()),
    };
    let mut db = Config::default().db;
    let mut issuer = tem_portal::issuers::NewIssuer::default();
    let mut key_file = None;
    let mut flags = flags.iter();
    while let Some(flag) = flags.next() {
        let value = flags
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match (flag.as_str(), action) {
            ("--db", _) => db = Location::parse(value),
            ("--id", _) => issuer.id = value.clone(),
            ("--name", "add") => issuer.name_vi = value.clone(),
            ("--name-en", "add") => issuer.name_en = Some(value.clone()),
            ("--domain", "add") => issuer.domains.push(value.clone()),
            ("--gcp", "add") => issuer.gcp.push(value.clone()),
            ("--resolver", "add") => issuer.resolver = Some(value.clone()),
            ("--key", "add") => key_file = Some(PathBuf::from(value)),
            _ => return Err(format!("issuer {action}: unknown option {flag}")),
        }
    }
    match (action, key_file) {
        _ if issuer.id.is_empty() => Err(format!("issuer {action} needs --id")),
        ("keys", _) => Ok(Command::IssuerKeys { db, id: issuer.id }),
        (_, Some(key_file)) => Ok(Command::AddIssuer {
            db,
            issuer,
            key_file,
        }),
        (_, None) => Err("issuer add needs --key FILE (a JWK or a JWK Set)".into()),
    }
}

/// The keys in `path`: one JWK, or a JWK Set.
fn read_keys(path: &std::path::Path) -> Result<Vec<tem_core::trust::Jwk>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let unreadable =
        |e: serde_json::Error| format!("{}: not a JWK or JWK Set: {e}", path.display());
    let value: serde_json::Value = serde_json::from_str(&text).map_err(unreadable)?;
    if value.get("keys").is_some() {
        serde_json::from_value::<tem_core::trust::JwkSet>(value)
            .map(|set| set.keys)
            .map_err(unreadable)
    } else {
        serde_json::from_value(value)
            .map(|key| vec![key])
            .map_err(unreadable)
    }
}

fn parse_enterprise(flags: &[String]) -> Result<Command, String> {
    let Some(flags) = flags.strip_prefix(&["add".to_string()]) else {
        return Err("enterprise takes one action: add".into());
    };
    let (mut db, mut id, mut name, mut gcp) = (Config::default().db, None, None, Vec::new());
    let mut flags = flags.iter();
    while let Some(flag) = flags.next() {
        let value = flags
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--db" => db = Location::parse(value),
            "--id" => id = Some(value.clone()),
            "--name" => name = Some(value.clone()),
            "--gcp" => gcp.push(value.clone()),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    match (id, name) {
        (Some(id), Some(name)) => Ok(Command::AddEnterprise { db, id, name, gcp }),
        _ => Err("enterprise add needs --id, --name and --gcp".into()),
    }
}

fn parse_keygen(flags: &[String]) -> Result<Command, String> {
    let (mut kid, mut out) = (None, None);
    let mut flags = flags.iter();
    while let Some(flag) = flags.next() {
        let value = flags
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--kid" => kid = Some(value.clone()),
            "--out" => out = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    match (kid, out) {
        (Some(kid), Some(out)) => Ok(Command::Keygen { kid, out }),
        _ => Err("keygen needs --kid and --out".into()),
    }
}

/// Writes a new private key where only its owner can read it, and prints its public half.
fn keygen(kid: &str, out: &std::path::Path) -> Result<(), String> {
    use std::io::Write;
    let key = tem_portal::signing::generate_key(kid).map_err(|e| e.to_string())?;
    let private = serde_json::to_string_pretty(&key).map_err(|e| e.to_string())?;
    let public = serde_json::to_string_pretty(&key.public()).map_err(|e| e.to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(out)
        .map_err(|e| format!("{}: {e} (keygen never overwrites a key)", out.display()))?;
    writeln!(file, "{private}").map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{public}");
    Ok(())
}

/// A host origin as browsers compare them: scheme, host and port only, no trailing slash.
fn origin(value: &str) -> Result<String, String> {
    let refuse = || {
        format!("--embed-origin: {value} should be an origin like https://shop.example (no path)")
    };
    let (scheme, host) = value.split_once("://").ok_or_else(refuse)?;
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if !matches!(scheme, "http" | "https") || !host_ok {
        return Err(refuse());
    }
    Ok(value.to_ascii_lowercase())
}

fn parse(args: &[String]) -> Result<Command, String> {
    if let Some((first, rest)) = args.split_first()
        && first == "keygen"
    {
        return parse_keygen(rest);
    }
    if let Some((first, rest)) = args.split_first()
        && first == "enterprise"
    {
        return parse_enterprise(rest);
    }
    if let Some((first, rest)) = args.split_first()
        && first == "issuer"
    {
        return parse_issuer(rest);
    }
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
            ("--db", _) => config.db = Location::parse(value),
            ("--seed", _) => config.seed = Some(value.parse()?),
            ("--www", false) => config.www = PathBuf::from(value),
            ("--pkg", false) => config.pkg = PathBuf::from(value),
            ("--stamps", false) | ("--out", true) => config.stamps = PathBuf::from(value),
            ("--root-key", false) => config.root_key = PathBuf::from(value),
            ("--embed-origin", false) => config.embed_origins.push(origin(value)?),
            ("--epcis-schema", false) => config.epcis_schema = Some(PathBuf::from(value)),
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
    tem_portal::log::init();
    let result = match parse(&args) {
        Ok(Command::Keygen { kid, out }) => {
            return match keygen(&kid, &out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("tem-portal keygen: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        Ok(Command::AddEnterprise { db, id, name, gcp }) => {
            tem_portal::add_enterprise(&db, &id, &name, &gcp).map(|token| {
                eprintln!(
                    "enterprise {id} registered; its token follows, shown this once (the portal keeps only its hash)"
                );
                println!("{token}");
            })
        }
        Ok(Command::AddIssuer {
            db,
            mut issuer,
            key_file,
        }) => match read_keys(&key_file) {
            Ok(keys) => {
                issuer.keys = keys;
                tem_portal::add_issuer(&db, &issuer).map(|()| {
                    eprintln!(
                        "issuer {} registered with {} key(s); the trust list carries them from the portal's next start",
                        issuer.id,
                        issuer.keys.len()
                    );
                })
            }
            Err(message) => {
                eprintln!("tem-portal: {message}");
                return ExitCode::FAILURE;
            }
        },
        Ok(Command::IssuerKeys { db, id }) => {
            tem_portal::issuer_keys(&db, &id).map(|set| match serde_json::to_string_pretty(&set) {
                Ok(json) => println!("{json}"),
                Err(e) => eprintln!("tem-portal: {e}"),
            })
        }
        Ok(Command::Stamps(config)) => {
            let base_url = config
                .base_url
                .unwrap_or_else(|| format!("http://{}", config.addr));
            tem_portal::write_stamps(&config.db, config.seed, &config.stamps, &base_url).map(
                |stamps| {
                    println!(
                        "{} stamps written to {}",
                        stamps.len(),
                        config.stamps.display()
                    );
                },
            )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn serve_options_fill_the_config_and_a_trailing_slash_is_dropped() {
        let Ok(Command::Serve(config)) = parse(&args(
            "--addr 0.0.0.0:9000 --db d.sqlite --stamps s --base-url http://192.168.1.20:9000/",
        )) else {
            panic!("serve command expected");
        };
        assert_eq!(config.addr.port(), 9000);
        assert_eq!(config.db, Location::Sqlite(PathBuf::from("d.sqlite")));
        assert_eq!(config.stamps, PathBuf::from("s"));
        assert_eq!(config.base_url.as_deref(), Some("http://192.168.1.20:9000"));
        assert_eq!(config.www, PathBuf::from("www"));
    }

    #[test]
    fn stamps_writes_to_out_and_refuses_server_only_options() {
        let Ok(Command::Stamps(config)) = parse(&args("stamps --out o")) else {
            panic!("stamps command expected");
        };
        assert_eq!(config.stamps, PathBuf::from("o"));
        assert!(parse(&args("stamps --www w")).is_err());
        assert!(parse(&args("--out o")).is_err());
    }

    #[test]
    fn embed_origins_are_origins_and_may_be_given_again() {
        let Ok(Command::Serve(config)) = parse(&args(
            "--embed-origin https://Shop.example --embed-origin http://localhost:8080",
        )) else {
            panic!("serve command expected");
        };
        assert_eq!(
            config.embed_origins,
            ["https://shop.example", "http://localhost:8080"]
        );
        for bad in [
            "shop.example",
            "https://shop.example/",
            "ftp://x",
            "https://a/b",
        ] {
            let error = parse(&args(&format!("--embed-origin {bad}")))
                .err()
                .unwrap_or_default();
            assert!(error.contains("origin like"), "{bad}: {error}");
        }
    }

    #[test]
    fn issuer_add_takes_repeated_domains_and_needs_an_id_and_a_key() {
        let Ok(Command::AddIssuer {
            issuer, key_file, ..
        }) = parse(&args(
            "issuer add --id hoptac --name HTX --domain a.vn --domain *.b.vn --key k.jwk \
             --resolver https://tra.b.vn",
        ))
        else {
            panic!("issuer add expected");
        };
        assert_eq!(issuer.domains, ["a.vn", "*.b.vn"]);
        assert_eq!(issuer.resolver.as_deref(), Some("https://tra.b.vn"));
        assert_eq!(key_file, PathBuf::from("k.jwk"));
        for (line, expected) in [
            ("issuer add --name HTX --key k", "needs --id"),
            ("issuer add --id h --name HTX", "needs --key"),
            ("issuer keys --id h --resolver x", "unknown option"),
            ("issuer remove --id h", "add or keys"),
        ] {
            let error = parse(&args(line)).err().unwrap_or_default();
            assert!(error.contains(expected), "{line}: {error}");
        }
    }

    #[test]
    fn seed_takes_only_the_demo() {
        let Ok(Command::Serve(config)) = parse(&args("--seed demo")) else {
            panic!("serve command expected");
        };
        assert_eq!(config.seed, Some(tem_portal::Seed::Demo));
        let Ok(Command::Serve(config)) = parse(&args("")) else {
            panic!("serve command expected");
        };
        assert_eq!(config.seed, None);
        let error = parse(&args("stamps --out o --seed all"))
            .err()
            .unwrap_or_default();
        assert!(error.contains("demo"), "{error}");
    }

    #[test]
    fn a_base_url_without_scheme_or_a_flag_without_value_is_refused() {
        let error = parse(&args("--base-url 192.168.1.20:8080"))
            .err()
            .unwrap_or_default();
        assert!(error.contains("http://"), "{error}");
        let error = parse(&args("--db")).err().unwrap_or_default();
        assert!(error.contains("needs a value"), "{error}");
    }
}
