use std::process::ExitCode;

pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("tem payload: not built yet");
    ExitCode::from(2)
}
