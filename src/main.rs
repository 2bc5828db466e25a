use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    set_malloc_parameters();
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

/// glibc's malloc serves a block of 128 KiB or more with its own mapping, given back to the
/// system when it is freed, but it raises that threshold each time such a block is freed (up
/// to 32 MiB): after the first large list is dropped, the next ones (a million-invoice book's
/// agenda, its lists while they grow) come from the heap, whose freed pages stay resident. Set
/// explicitly, the threshold stays at 128 KiB (measured at 1M: the app's session 74 to 63 MB,
/// `report agenda` 42 to 38 MB; the reports no slower, side by side).
///
/// And one arena for every thread: a pass's second thread would otherwise get its own, whose
/// freed blocks the main thread never uses again (`report agenda` at 1M: 31 to 30 MB).
fn set_malloc_parameters() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets malloc's parameters; this runs first in `main`, before any
    // other thread exists or any large block is allocated.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 1);
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
