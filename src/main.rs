use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    settle::platform::memory::set_at_start();
    let cli = match settle::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return command_line_error(e),
    };
    let today = cli.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    match settle::cli::commands::run(cli, today) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`settle report aging | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // The message may quote what was typed or read: it goes through the output wall.
            let _ = writeln!(settle::cli::output::stderr(), "settle: {}", settle::cli::hint::message(&e));
            ExitCode::FAILURE
        }
    }
}

/// Clap's own message (usage, help, a refused value) as clap prints it, unless an argument
/// holds a character a terminal would obey: clap would quote it as it is (its colours are
/// escapes too, so the styled message cannot be sanitised), so then the message is printed
/// plain, through the output wall.
fn command_line_error(e: clap::Error) -> ExitCode {
    let hostile =
        std::env::args_os().any(|a| a.to_string_lossy().chars().any(settle::domain::text::is_unsafe));
    if !hostile {
        e.exit();
    }
    let plain = e.render().to_string();
    let _ = if e.use_stderr() {
        write!(settle::cli::output::stderr(), "{plain}")
    } else {
        write!(settle::cli::output::Sanitised::new(std::io::stdout()), "{plain}")
    };
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
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
