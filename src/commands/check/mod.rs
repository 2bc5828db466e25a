//! `settle check`: tell the freelancer about the alerts not told before, as desktop
//! notifications or printed, and record them so no event is ever told twice.

mod timer;

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::domain::alerts::Alert;
use crate::notify;
use crate::store::{Store, Told};

pub use timer::schedule;

pub fn run(
    store: &Store,
    config: &Config,
    a: &CheckArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let alerts = crate::service::alerts::alerts(store, config, today)?;
    // One write transaction decides which alerts are new, tells them and records them; it
    // holds the write lock throughout, so a second `check` started meanwhile waits and then
    // finds them told. The order inside it is: tell first, commit after. A crash between
    // the two (a window of microseconds) rolls the record back and the next run tells those
    // alerts again: told twice at worst, never lost. The other order (commit, then tell)
    // would lose them instead, and missing the day an invoice went overdue is the failure
    // this command exists to prevent. Telling is bounded by `notify::TIMEOUT` (4 s), below
    // the store's 5 s busy timeout, so another writer waiting on the lock never fails.
    let log = store.alert_log()?;
    let (fresh, already) = log.untold(alerts)?;
    let told = tell(&fresh, a, out, &mut crate::output::stderr())?;
    if let Some((how, _)) = told {
        log.record(&fresh, how)?;
    }
    log.commit()?;
    if !a.quiet {
        writeln!(out, "{}", summary(today, fresh.len(), already, told))?;
    }
    Ok(())
}

/// Tells the alerts: desktop notifications unless `--no-notify`, printed when those cannot
/// be shown. Returns how they were told and the number of notifications, `None` when there
/// was nothing to tell. Whatever is printed is flushed before the record is committed.
fn tell(
    fresh: &[Alert],
    a: &CheckArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<Option<(Told, usize)>> {
    if fresh.is_empty() {
        return Ok(None);
    }
    let print = |out: &mut dyn Write| -> std::io::Result<()> {
        for alert in fresh {
            writeln!(out, "{}", alert.line())?;
        }
        out.flush()
    };
    if a.no_notify {
        print(out)?;
        return Ok(Some((Told::Printed, 0)));
    }
    let messages = notify::messages(fresh);
    let count = messages.len();
    match notify::send(messages, notify::TIMEOUT) {
        Ok(()) => {
            if !a.quiet {
                print(out)?;
            }
            Ok(Some((Told::Desktop, count)))
        }
        Err(why) => {
            print(out)?;
            if !a.quiet {
                // Best effort: the alerts themselves are printed on stdout already.
                let _ = writeln!(
                    err,
                    "hint: {why}; the alerts above were printed instead and count as told. \
                     Without a desktop, run `settle check --no-notify`."
                );
            }
            Ok(Some((Told::Printed, 0)))
        }
    }
}

fn summary(today: NaiveDate, new: usize, already: usize, told: Option<(Told, usize)>) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let before = if already > 0 { format!("; {already} already told") } else { String::new() };
    let new = plural(new, "new alert", "new alerts");
    match told {
        None => format!("settle check {today}: nothing new{before}."),
        Some((Told::Desktop, n)) => format!(
            "settle check {today}: {new}, shown as {}{before}.",
            plural(n, "desktop notification", "desktop notifications")
        ),
        Some((Told::Printed, _)) => format!("settle check {today}: {new}, printed above{before}."),
    }
}
