//! `tem`: the project's pure logic on the command line, one JSON document per answer so
//! scripts and benchmarks can consume it.

use std::io::Read;
use std::process::ExitCode;

mod decode;
mod epcis;
mod payload;
mod verify;

const USAGE: &str = "usage:
  tem decode FILE...     find the QR codes in images; one JSON line per file
  tem payload STRING     parse a stamp payload; JSON out, exit 1 if invalid
  tem epcis FILE         import an EPCIS 2.0 JSON/JSON-LD document as a timeline
  tem verify FILE --trust-list FILE [--root-key FILE] [--now RFC3339] [--stamp TEXT]
                         check a compact JWS against a trust list; exit 1 unless valid";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("decode") => decode::run(&args[1..]),
        Some("payload") => payload::run(&args[1..]),
        Some("epcis") => epcis::run(&args[1..]),
        Some("verify") => verify::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The file's first `limit + 1` bytes (enough to know it is too large without holding it all
/// in memory) and its full size.
fn read_bounded(path: &str, limit: usize) -> std::io::Result<(Vec<u8>, usize)> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    let size = usize::try_from(size).unwrap_or(usize::MAX).max(bytes.len());
    Ok((bytes, size))
}
