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
                        Some(u) if s.password_keyring => {
                            format!(", logged in as {u} with the password the system keyring keeps")
                        }
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
        ConfigCmd::SmtpPassword => {
            let config = Config::load(explicit)?;
            let path = config.path.display().to_string();
            let Some(smtp) = &config.smtp else {
                anyhow::bail!("{path} has no [smtp] table: give host, from and user first");
            };
            let Some(user) = smtp.keyring_user() else {
                anyhow::bail!("[smtp] in {path} has no user: without a login there is no password to keep");
            };
            let password = read_password(&format!("SMTP password for {user} (not shown): "))?;
            crate::config::smtp::store_keyring_password(&user, &password)?;
            writeln!(
                out,
                "The system keyring now keeps the SMTP password for {user} (service \"{}\").",
                crate::config::smtp::KEYRING_SERVICE
            )?;
            if !smtp.password_keyring {
                writeln!(
                    out,
                    "settle still runs password_command: put password_keyring = true in its place under [smtp] in {path} to use the keyring."
                )?;
            }
        }
    }
    Ok(())
}

/// A password from standard input: typed without echo on a terminal (Enter ends it, Ctrl-C
/// gives up), else everything piped in; surrounding blanks and the line end are dropped, as
/// `password_command`'s output is.
fn read_password(prompt: &str) -> Result<String> {
    use std::io::{IsTerminal, Read};
    let mut text = String::new();
    if std::io::stdin().is_terminal() {
        use ratatui::crossterm::terminal;
        let mut err = std::io::stderr();
        write!(err, "{prompt}")?;
        err.flush()?;
        terminal::enable_raw_mode()?;
        let typed = (|| -> Result<Option<String>> {
            let mut bytes = Vec::new();
            for b in std::io::stdin().lock().bytes() {
                match b? {
                    b'\r' | b'\n' => return Ok(Some(String::from_utf8(bytes)?)),
                    3 | 4 => return Ok(None),
                    0x7f | 8 => {
                        // Drop the last character, not just its last byte.
                        while let Some(last) = bytes.pop() {
                            if last & 0xC0 != 0x80 {
                                break;
                            }
                        }
                    }
                    b => bytes.push(b),
                }
            }
            Ok(None)
        })();
        terminal::disable_raw_mode()?;
        writeln!(err)?;
        text = typed?.ok_or_else(|| anyhow::anyhow!("no password given; nothing was stored"))?;
    } else {
        std::io::stdin().lock().take(64 * 1024).read_to_string(&mut text).map_err(|e| {
            anyhow::anyhow!("the password on standard input could not be read ({e}); nothing was stored")
        })?;
    }
    let password = text.trim();
    if password.is_empty() {
        anyhow::bail!("no password on standard input; nothing was stored");
    }
    Ok(password.to_string())
}
