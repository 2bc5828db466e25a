use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::ConfigCmd;
use crate::config::Config;
use crate::letters::Letters;

/// `settle config path` works even when the file is broken (you need the path to fix it);
/// `settle config check` reads everything and reports the first problem.
pub fn run(cmd: &ConfigCmd, explicit: Option<&Path>, out: &mut impl Write) -> Result<()> {
    match cmd {
        ConfigCmd::Path => {
            writeln!(out, "{}", crate::paths::config(explicit)?.display())?;
        }
        ConfigCmd::Check => {
            let config = Config::load(explicit)?;
            Letters::load(Some(&config.letters_dir))?.verify()?;
            let state = if config.found { "read" } else { "not there: the defaults apply" };
            writeln!(out, "{}: {state}.", config.path.display())?;
            writeln!(
                out,
                "Jurisdiction {}; {} interest rate rows; {} customer ladders; letter templates OK ({}).",
                config.jurisdiction,
                config.rates.rows().len(),
                config.customer_policies.len(),
                config.letters_dir.display()
            )?;
        }
    }
    Ok(())
}
