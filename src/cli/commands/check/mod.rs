//! `settle check`: tell the freelancer about the alerts not told before, as desktop
//! notifications or printed, and record them so no event is ever told twice.

mod timer;

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::domain::alerts::{Alert, Urgency};
use crate::domain::invoice::InvoiceId;
use crate::platform::notify;
use crate::service::alerts::Untold;
use crate::store::{Store, Told};

pub use timer::schedule;

pub fn run(
    store: &Store,
    config: &Config,
    a: &CheckArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    // One write transaction decides which alerts are new, tells them and records them; it
    // holds the write lock throughout, so a second `check` started meanwhile waits and then
    // finds them told. The order inside it is: tell first, commit after. A crash between
    // the two (a window of microseconds) rolls the record back and the next run tells those
    // alerts again: told twice at worst, never lost. The other order (commit, then tell)
    // would lose them instead, and missing the day an invoice went overdue is the failure
    // this command exists to prevent. Telling is bounded by `notify::TIMEOUT` (4 s), well
    // below the time a write waits for its turn (`store::WRITE_WAIT`, 30 s), so another
    // writer waiting on the lock never fails.
    //
    // It reads the open invoices once, in order, and appends its records: the pass's smaller
    // page cache serves it as well and keeps a first run on a large book (hundreds of
    // thousands of new alerts held to be told) within its memory.
    let (untold, told) = store.with_page_cache(crate::service::pass::PAGE_CACHE_KIB, || {
        let log = store.alert_log()?;
        let mut untold = crate::service::alerts::untold(store, &log, config, today)?;
        let told = tell(&Worded(&untold), a, out, &mut crate::cli::output::stderr(), |m| {
            notify::send(m, notify::TIMEOUT)
        });
        // Each alert is recorded only once it was shown or printed; one left untold (its
        // notification failed and printing it failed too) is told by the next run. They are
        // recorded by invoice, the order of the book's index of them.
        untold.sort_as_found(&told.how);
        for how in [Told::Desktop, Told::Printed] {
            log.record(untold.told_keys(how), how)?;
        }
        log.commit()?;
        Ok((untold, told))
    })?;
    if let Some(e) = told.error {
        return Err(e.into());
    }
    if !a.quiet {
        writeln!(out, "{}", summary(today, untold.already, &told))?;
    }
    Ok(())
}

/// The new alerts as [`tell`] reads them: how many, the invoice and urgency of each, and each
/// in words, asked for only when it is printed or shown.
trait Fresh {
    fn len(&self) -> usize;
    fn invoice(&self, i: usize) -> InvoiceId;
    fn urgency(&self, i: usize) -> Urgency;
    fn alert(&self, i: usize) -> std::io::Result<Alert>;
}

impl Fresh for [Alert] {
    fn len(&self) -> usize {
        <[Alert]>::len(self)
    }

    fn invoice(&self, i: usize) -> InvoiceId {
        self[i].invoice
    }

    fn urgency(&self, i: usize) -> Urgency {
        self[i].urgency
    }

    fn alert(&self, i: usize) -> std::io::Result<Alert> {
        Ok(self[i].clone())
    }
}

/// The drafts of the new alerts, put into words as they are told.
struct Worded<'a>(&'a Untold);

impl Fresh for Worded<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn invoice(&self, i: usize) -> InvoiceId {
        self.0.draft(i).map_or(InvoiceId(0), |d| d.invoice)
    }

    fn urgency(&self, i: usize) -> Urgency {
        self.0.draft(i).map_or(Urgency::Low, |d| d.urgency())
    }

    fn alert(&self, i: usize) -> std::io::Result<Alert> {
        self.0.alert(i).ok_or_else(|| std::io::Error::other(format!("no alert {i}")))
    }
}

/// How the new alerts were told.
#[derive(Debug, Default)]
struct Telling {
    /// For each new alert, how it was told (`None`: not told).
    how: Vec<Option<Told>>,
    /// Desktop notifications shown.
    shown: usize,
    /// Why each notification that could not be shown failed.
    failed: Vec<notify::NotifyError>,
    /// Printing failed (the output was closed): the alerts not shown stay untold.
    error: Option<std::io::Error>,
}

impl Telling {
    fn count(&self, told: Told) -> usize {
        self.how.iter().filter(|h| **h == Some(told)).count()
    }
}

/// Tells the alerts: desktop notifications unless `--no-notify` (through `send`, one result
/// per message), and printed: all of them unless `--quiet`, else those whose notification
/// failed. Whatever is printed is flushed before it counts as told.
fn tell(
    fresh: &(impl Fresh + ?Sized),
    a: &CheckArgs,
    out: &mut impl Write,
    err: &mut impl Write,
    send: impl FnOnce(Vec<notify::Message>) -> Vec<Result<(), notify::NotifyError>>,
) -> Telling {
    let mut told = Telling { how: vec![None; fresh.len()], ..Telling::default() };
    if fresh.len() == 0 {
        return told;
    }
    if !a.no_notify {
        let batches =
            notify::batches_of(fresh.len(), |i| fresh.invoice(i), |i| fresh.urgency(i), |i| fresh.alert(i));
        let (messages, groups): (Vec<_>, Vec<_>) = match batches {
            Ok(b) => b.into_iter().unzip(),
            Err(e) => {
                told.error = Some(e);
                return told;
            }
        };
        let mut results = send(messages).into_iter();
        for group in groups {
            match results.next().unwrap_or_else(|| Err(notify::NotifyError::Failed("no answer".into()))) {
                Ok(()) => {
                    told.shown += 1;
                    for &i in &group {
                        told.how[i] = Some(Told::Desktop);
                    }
                }
                Err(why) => told.failed.push(why),
            }
        }
    }
    // Printed: every alert, or with `--quiet` those not shown on the desktop; one at a time,
    // put into words as it is printed.
    let unshown = |how: &[Option<Told>], i: usize| how[i] != Some(Told::Desktop);
    let print = |out: &mut dyn Write, how: &[Option<Told>]| -> std::io::Result<()> {
        for i in (0..fresh.len()).filter(|&i| !a.quiet || unshown(how, i)) {
            writeln!(out, "{}", fresh.alert(i)?.line())?;
        }
        out.flush()
    };
    match print(out, &told.how) {
        Ok(()) => {
            for i in 0..fresh.len() {
                if unshown(&told.how, i) {
                    told.how[i] = Some(Told::Printed);
                }
            }
        }
        Err(e) => told.error = Some(e),
    }
    if let Some(why) = told.failed.first()
        && !a.quiet
    {
        // Best effort: the alerts themselves are printed on stdout already.
        let _ = if told.shown == 0 {
            writeln!(
                err,
                "hint: {why}; the alerts above were printed instead and count as told. \
                 Without a desktop, run `settle check --no-notify`."
            )
        } else {
            writeln!(
                err,
                "hint: {} of {} desktop notifications could not be shown ({why}); their alerts \
                 were printed above and count as told.",
                told.failed.len(),
                told.failed.len() + told.shown
            )
        };
    }
    told
}

fn summary(today: NaiveDate, already: usize, told: &Telling) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let before = if already > 0 { format!("; {already} already told") } else { String::new() };
    let fresh = told.how.len();
    let new = plural(fresh, "new alert", "new alerts");
    let (desktop, printed) = (told.count(Told::Desktop), told.count(Told::Printed));
    let notifications = |n: usize| plural(n, "desktop notification", "desktop notifications");
    if fresh == 0 {
        format!("settle check {today}: nothing new{before}.")
    } else if desktop == fresh {
        format!("settle check {today}: {new}, shown as {}{before}.", notifications(told.shown))
    } else if printed == fresh && told.shown == 0 {
        format!("settle check {today}: {new}, printed above{before}.")
    } else {
        format!(
            "settle check {today}: {new}, {desktop} shown as {}, {printed} printed above ({} failed){before}.",
            notifications(told.shown),
            notifications(told.failed.len())
        )
    }
}

#[cfg(test)]
mod tests;
