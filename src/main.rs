use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = settle::cli::Cli::parse();
    let today = cli.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    match settle::commands::run(cli, today) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`settle report aging | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("settle: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the error is a closed output pipe, also when serde_json or csv wrapped it (neither
/// exposes the I/O error as its `source`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>().is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>()
                .is_some_and(|w| matches!(w.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe))
    })
}
