//! Running `settle check` on a timer: a systemd user timer and service (`--install-timer`),
//! or a crontab line (`--print-cron`). Writes only under the user's config directory
//! (`$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::CheckArgs;

pub const SERVICE: &str = "settle-check.service";
pub const TIMER: &str = "settle-check.timer";

/// What the timer runs: this binary, on the database (and configuration) in effect now,
/// all as absolute paths because a timer does not start in the current directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub exe: PathBuf,
    pub db: PathBuf,
    pub config: Option<PathBuf>,
}

impl Invocation {
    fn args(&self) -> Vec<String> {
        let mut args = vec![self.exe.display().to_string(), "--db".into(), self.db.display().to_string()];
        if let Some(config) = &self.config {
            args.extend(["--config".into(), config.display().to_string()]);
        }
        args.extend(["check".into(), "--quiet".into()]);
        args
    }
}

/// `--install-timer` or `--print-cron`: runs before the database is opened, so neither
/// creates one.
pub fn schedule(a: &CheckArgs, db: &Path, config: Option<&Path>, out: &mut impl Write) -> Result<()> {
    let inv = Invocation {
        exe: std::env::current_exe().context("cannot find the path of the settle binary")?,
        db: std::path::absolute(db)?,
        config: config.map(std::path::absolute).transpose()?,
    };
    if a.print_cron {
        writeln!(out, "{}", cron_line(&inv)?)?;
        eprintln!(
            "Add it with: (crontab -l 2>/dev/null; {} check --print-cron) | crontab -",
            inv.exe.display()
        );
        return Ok(());
    }
    let dir = user_unit_dir()?;
    install(&inv, &dir)?;
    writeln!(out, "Wrote {}", dir.join(SERVICE).display())?;
    writeln!(out, "Wrote {}", dir.join(TIMER).display())?;
    writeln!(out, "They run `settle check` on {} every 30 minutes and at login.", inv.db.display())?;
    writeln!(out, "Enable the timer with:")?;
    writeln!(out, "  systemctl --user daemon-reload && systemctl --user enable --now {TIMER}")?;
    Ok(())
}

/// `systemd/user` in the user's config directory (`directories` honours XDG_CONFIG_HOME).
pub fn user_unit_dir() -> Result<PathBuf> {
    let base = directories::BaseDirs::new().context("cannot find your home directory")?;
    Ok(base.config_dir().join("systemd").join("user"))
}

/// Writes both unit files into `dir` (created owner-only if missing), replacing older ones.
pub fn install(inv: &Invocation, dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    write_file(&dir.join(SERVICE), &service_unit(inv)?)?;
    write_file(&dir.join(TIMER), &timer_unit())?;
    Ok(())
}

/// Writes through a temporary file and a rename, so a unit is never seen half-written.
fn write_file(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub fn service_unit(inv: &Invocation) -> Result<String> {
    let exec = inv.args().iter().map(|a| systemd_arg(a)).collect::<Result<Vec<_>>>()?.join(" ");
    Ok(format!(
        "# Written by `settle check --install-timer`.
[Unit]
Description=settle check: desktop notifications for invoices that need attention

[Service]
Type=oneshot
ExecStart={exec}
"
    ))
}

/// Every 30 minutes on the clock, a minute after the user's service manager starts (that
/// is, at login), and at once after a sleep that skipped a run (`Persistent`).
pub fn timer_unit() -> String {
    "# Written by `settle check --install-timer`.
[Unit]
Description=Run settle check every 30 minutes and at login

[Timer]
OnStartupSec=1min
OnCalendar=*:0/30
Persistent=true
AccuracySec=1min

[Install]
WantedBy=timers.target
"
    .to_string()
}

pub fn cron_line(inv: &Invocation) -> Result<String> {
    let words = inv.args().iter().map(|a| cron_arg(a)).collect::<Result<Vec<_>>>()?;
    Ok(format!("*/30 * * * * {}", words.join(" ")))
}

fn plain(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,:=@".contains(c))
}

fn refuse_newlines(s: &str) -> Result<()> {
    if s.contains(['\n', '\r']) {
        bail!("the path {s:?} contains a line break: a timer cannot run it");
    }
    Ok(())
}

/// One ExecStart word: `%` and `$` are systemd specifiers and variables, so doubled; a
/// word with spaces or quotes is double-quoted with C escapes.
fn systemd_arg(s: &str) -> Result<String> {
    refuse_newlines(s)?;
    let escaped = s.replace('%', "%%").replace('$', "$$");
    if plain(s) {
        return Ok(escaped);
    }
    Ok(format!("\"{}\"", escaped.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// One word of a crontab command: shell single quotes, and `%` escaped (cron turns a bare
/// `%` into a newline).
fn cron_arg(s: &str) -> Result<String> {
    refuse_newlines(s)?;
    let quoted = if plain(s) { s.to_string() } else { format!("'{}'", s.replace('\'', r"'\''")) };
    Ok(quoted.replace('%', r"\%"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(exe: &str, db: &str) -> Invocation {
        Invocation { exe: exe.into(), db: db.into(), config: None }
    }

    #[test]
    fn the_service_runs_this_binary_on_the_database_in_effect() {
        let unit = service_unit(&inv("/home/an/.cargo/bin/settle", "/home/an/books/settle.db")).unwrap();
        assert!(unit.contains(
            "\nExecStart=/home/an/.cargo/bin/settle --db /home/an/books/settle.db check --quiet\n"
        ));
        assert!(unit.contains("Type=oneshot"));
        let with_config =
            Invocation { config: Some("/etc/settle.toml".into()), ..inv("/bin/settle", "/d.db") };
        assert!(service_unit(&with_config).unwrap().contains("--db /d.db --config /etc/settle.toml check"));
    }

    #[test]
    fn odd_paths_are_quoted_for_systemd_and_cron() {
        let odd = inv("/opt/my apps/settle", "/home/an/100% \"books\"/$HOME's.db");
        let unit = service_unit(&odd).unwrap();
        assert!(
            unit.contains(
                r#"ExecStart="/opt/my apps/settle" --db "/home/an/100%% \"books\"/$$HOME's.db" check"#
            ),
            "{unit}"
        );
        assert_eq!(
            cron_line(&odd).unwrap(),
            r#"*/30 * * * * '/opt/my apps/settle' --db '/home/an/100\% "books"/$HOME'\''s.db' check --quiet"#
        );
        assert!(service_unit(&inv("/bin/settle", "/tmp/a\nb.db")).is_err());
    }

    #[test]
    fn the_timer_fires_every_half_hour_and_at_login() {
        let t = timer_unit();
        for line in ["OnCalendar=*:0/30", "OnStartupSec=1min", "Persistent=true", "WantedBy=timers.target"] {
            assert!(t.lines().any(|l| l == line), "{line} missing from\n{t}");
        }
    }
}
