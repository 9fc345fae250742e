//! The `leakhound` binary: parse arguments, run, map the outcome to an exit
//! code (0 no findings, 1 findings, 2 error).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = leakhound::cli::Cli::parse();
    match leakhound::app::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let msg = format!("{err:#}");
            eprintln!(
                "leakhound: error: {}",
                msg.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            ExitCode::from(2)
        }
    }
}
