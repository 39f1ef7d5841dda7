//! The `candor` desktop binary.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    match candor_app::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Candor could not start: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
