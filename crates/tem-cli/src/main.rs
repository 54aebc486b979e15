//! `tem`: the project's pure logic on the command line, one JSON document per answer so
//! scripts and benchmarks can consume it.

use std::process::ExitCode;

mod decode;
mod epcis;
mod payload;

const USAGE: &str = "usage:
  tem decode FILE...     find the QR codes in images; one JSON line per file
  tem payload STRING     parse a stamp payload; JSON out, exit 1 if invalid
  tem epcis FILE         import an EPCIS 2.0 JSON/JSON-LD document as a timeline";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("decode") => decode::run(&args[1..]),
        Some("payload") => payload::run(&args[1..]),
        Some("epcis") => epcis::run(&args[1..]),
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
