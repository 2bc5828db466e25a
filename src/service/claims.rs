//! The interest and costs left on an invoice once its principal is paid: claimed by a letter
//! (see `letters::send`), waived, or recorded as paid, each once, as a timeline event. The
//! claim itself is [`crate::domain::claim::assess`]'s answer, read through [`CaseFile`].

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;

use super::CaseFile;
use crate::config::Config;
use crate::domain::event::EventKind;
use crate::domain::money::Money;
use crate::store::Store;

/// How a claim is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// Given up: nothing more is claimed.
    Waive,
    /// The customer paid the interest and costs.
    Paid,
}

impl Close {
    fn event(self) -> EventKind {
        match self {
            Close::Waive => EventKind::ClaimWaived,
            Close::Paid => EventKind::ClaimPaid,
        }
    }
}

/// Closes the claim on invoice `number` on `on` (not after `today`): the event, once. Waiving
/// is possible at any time (no interest or costs are ever claimed on the invoice then);
/// recording them paid only once something was claimable.
pub fn close(
    store: &Store,
    config: &Config,
    number: &str,
    how: Close,
    on: NaiveDate,
    today: NaiveDate,
    note: &str,
) -> Result<String> {
    if on > today {
        bail!("{on} is after today ({today})");
    }
    let case = CaseFile::by_number(store, config, number, on)?;
    let inv = &case.invoice;
    if let Some(c) = case.claim_facts().closed {
        bail!("invoice {}: the interest and costs were already {} on {}", inv.number, closed_word(c), c.on());
    }
    if on < inv.issued {
        bail!("{on} is before invoice {} was issued ({})", inv.number, inv.issued);
    }
    let owed = Money::new(case.claim.charges_open(), inv.amount.currency);
    if how == Close::Paid && case.claim.charges_open().is_zero() {
        bail!(
            "invoice {}: no interest or costs are claimable on {on}, so none can have been paid",
            inv.number
        );
    }
    let detail = match (how, note.trim()) {
        (Close::Waive, "") => format!("waived {owed} of interest and costs"),
        (Close::Paid, "") => format!("{owed} of interest and costs paid"),
        (Close::Waive, n) => format!("waived {owed} of interest and costs: {n}"),
        (Close::Paid, n) => format!("{owed} of interest and costs paid: {n}"),
    };
    crate::domain::text::check_text("note", &detail, crate::domain::text::Lines::One)
        .map_err(|e| anyhow!("{e}"))?;
    store
        .record_sent(inv.id, how.event(), on, None, &detail, None, || Ok(()))
        .with_context(|| format!("invoice {}", inv.number))?;
    Ok(format!("Invoice {}: {detail} on {on}; nothing more is claimed.", inv.number))
}

fn closed_word(c: crate::domain::claim::Closing) -> &'static str {
    match c {
        crate::domain::claim::Closing::Waived(_) => "waived",
        crate::domain::claim::Closing::Paid(_) => "recorded as paid",
    }
}
