//! The `leakhound` binary: parse arguments, run, map the outcome to an exit
//! code (0 no findings, 1 findings, 2 error; 130/143 when interrupted).
//! Every error, usage errors included, is one line on stderr.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc (built without transparent huge pages: zeroing 2 MiB pages cost more
/// than it saved): the scan allocates many small, short-lived buffers across threads
/// (paths, windows, lazy-DFA states), where glibc's malloc cost ~7% of a tree scan.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is a bug; its message could quote data (a file's content, a
    // secret), so it is not printed: only where it happened.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("leakhound: internal error{at} (please report it)");
    }));
    if let Err(e) = leakhound::interrupt::install() {
        eprintln!("leakhound: warning: cannot handle interrupts: {e}");
    }
    let cli = match leakhound::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return leakhound::cli::usage_error(&e),
    };
    match std::panic::catch_unwind(|| leakhound::app::run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            // One line, whatever the error quotes (a path, a config line):
            // white space collapsed, control characters escaped.
            let msg = format!("{err:#}");
            leakhound::report::escape::stderr_line(&format!(
                "error: {}",
                msg.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}
