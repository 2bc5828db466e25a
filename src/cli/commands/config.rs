use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::ConfigCmd;
use crate::config::Config;
use crate::letters::Letters;

/// `settle config path` works even when the file is broken (you need the path to fix it);
/// `settle config check` reads everything, reports the first problem, and warns when `[me]`
/// lacks what a letter to a consumer must carry.
pub fn run(cmd: &ConfigCmd, explicit: Option<&Path>, out: &mut impl Write) -> Result<()> {
    match cmd {
        ConfigCmd::Path => {
            writeln!(out, "{}", crate::platform::paths::config(explicit)?.display())?;
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
            match &config.smtp {
                Some(s) => writeln!(
                    out,
                    "Email: letters go from {} through {}:{} ({}){}.",
                    s.from,
                    s.host,
                    s.port,
                    match s.security {
                        crate::config::smtp::Security::Starttls => "STARTTLS",
                        crate::config::smtp::Security::Tls => "TLS",
                        crate::config::smtp::Security::None => "unencrypted, on this machine",
                    },
                    match &s.user {
                        Some(u) => format!(", logged in as {u} with the password password_command prints"),
                        None => String::new(),
                    }
                )?,
                None => writeln!(
                    out,
                    "Email: no [smtp] table: `settle letter --send` is off (--eml and --mailto work without it)."
                )?,
            }
            let missing = config.me.missing_for_consumers(config.jurisdiction);
            if !missing.is_empty() {
                writeln!(
                    out,
                    "Warning: [me] lacks {}: a consumer's first reminder must carry your name, address{} and IBAN \
                     (Code of Economic Law art. XIX.2 in Belgium); without them it does not start the consumer's 14 days, \
                     and no interest or costs may ever be charged.",
                    missing.join(", "),
                    if config.jurisdiction == crate::domain::interest::Jurisdiction::Be {
                        ", enterprise number"
                    } else {
                        ""
                    }
                )?;
            }
        }
    }
    Ok(())
}
