use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = settle::cli::Cli::parse();
    let today = cli.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    match settle::commands::run(cli, today) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`settle report aging | head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("settle: {e:#}");
            ExitCode::FAILURE
        }
    }
}
