use std::process::ExitCode;

pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("tem epcis: not built yet");
    ExitCode::from(2)
}
