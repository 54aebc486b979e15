use std::process::ExitCode;

pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("tem decode: not built yet");
    ExitCode::from(2)
}
