//! Everything known about one invoice, gathered from the store and read through the
//! config: the customer, payments, timeline, registered mail, where it stands on its ladder
//! and the claim. `track`, `step record`, the letters (from the command line and the app's
//! letter preview) and the dossier start from here; the app's Invoice screen reads where the
//! invoice stands through [`super::standing::InvoiceStanding`] instead.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::claim::{Claim, ClaimInput, Closing, Reduction, SentLetter, assess};
use crate::domain::customer::{Customer, Note};
use crate::domain::event::RegisteredMail;
use crate::domain::event::TimelineEntry;
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::PaymentRecord;
use crate::domain::invoice::{Invoice, InvoiceId};
use crate::domain::ladder::Standing;
use crate::domain::policy::Ladder;
use crate::store::Store;

use super::LadderInput;
use super::standing::InvoiceStanding;

#[derive(Debug, Clone)]
pub struct CaseFile {
    pub today: NaiveDate,
    pub invoice: Invoice,
    pub customer: Customer,
    pub payments: Vec<PaymentRecord>,
    /// The invoice's timeline, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The customer's relationship notes, newest first.
    pub notes: Vec<Note>,
    pub registered: Option<RegisteredMail>,
    pub ladder: Ladder,
    /// The ladder's facts: steps done, pauses, call attempts.
    pub facts: LadderInput,
    /// Where the invoice stands today: the one answer.
    pub standing: Standing,
    pub claim: Claim,
    /// The invoice's own PDF, if its path was given (the file may since have gone).
    pub pdf: Option<std::path::PathBuf>,
}

impl CaseFile {
    /// The case of invoice `number` as of `today`.
    pub fn by_number(store: &Store, config: &Config, number: &str, today: NaiveDate) -> Result<CaseFile> {
        let row = store
            .invoice_by_number(number)?
            .ok_or_else(|| anyhow!("unknown invoice '{}' (see `settle invoice list`)", number.trim()))?;
        CaseFile::load(store, config, row.invoice.id, today)
    }

    /// The case of an invoice as of `today`.
    pub fn load(store: &Store, config: &Config, id: InvoiceId, today: NaiveDate) -> Result<CaseFile> {
        let row = store.invoice(id)?;
        let invoice = row.invoice;
        let customer = store.customer(invoice.customer_id)?;
        let payments = store.payments(id)?;
        let timeline = store.timeline(id)?;
        let notes = store.notes(customer.id)?;
        let registered = store.registered_mail(id)?;
        let InvoiceStanding { ladder, facts, standing } =
            InvoiceStanding::load(store, config, &invoice, &customer, &timeline, today)?;
        let claim = claim_of(config, &invoice, customer.kind, &payments, &timeline, today);
        let pdf = store.invoice_pdf(id)?;
        Ok(CaseFile {
            today,
            invoice,
            customer,
            payments,
            timeline,
            notes,
            registered,
            ladder,
            facts,
            standing,
            claim,
            pdf,
        })
    }

    /// The day the invoice was paid in full, if it was.
    pub fn paid_on(&self) -> Option<NaiveDate> {
        if self.invoice.open.is_zero() { self.payments.last().map(|p| p.on) } else { None }
    }

    /// The claim facts of its timeline.
    pub fn claim_facts(&self) -> ClaimFacts {
        ClaimFacts::gather(self.invoice.due, &self.timeline)
    }

    /// Whether interest and costs are still claimable on a paid principal, and not claimed,
    /// waived or paid yet: what Today proposes to claim or waive.
    pub fn claimable(&self) -> bool {
        claimable(&self.invoice, &self.claim, &self.claim_facts())
    }

    /// Whether an event of this kind is on the timeline.
    pub fn has(&self, kind: EventKind) -> bool {
        self.timeline.iter().any(|e| e.kind == kind)
    }
}

/// What the timeline says about the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClaimFacts {
    /// The consumer's first reminder that carried every mention the law requires (a letter
    /// lacking one, or a formal notice sent as first contact, starts nothing).
    pub first_reminder: Option<SentLetter>,
    /// The first formal notice or claim letter: interest and costs demanded in writing.
    pub demanded: Option<NaiveDate>,
    /// The day a letter claimed the interest and costs left after the principal was paid.
    pub claimed: Option<NaiveDate>,
    pub closed: Option<Closing>,
}

impl ClaimFacts {
    /// The facts from an invoice's timeline (oldest first).
    pub fn gather(due: NaiveDate, timeline: &[TimelineEntry]) -> ClaimFacts {
        let mut f = ClaimFacts::default();
        for e in timeline {
            match e.kind {
                EventKind::FirstReminderCompliant if e.on > due && f.first_reminder.is_none() => {
                    f.first_reminder = Some(SentLetter {
                        sent: e.on,
                        channel: e.channel.unwrap_or(Channel::Email),
                        received: None,
                    });
                }
                EventKind::FormalNoticeSent | EventKind::ClaimSent => {
                    f.demanded = Some(f.demanded.map_or(e.on, |d| d.min(e.on)));
                    if e.kind == EventKind::ClaimSent {
                        f.claimed = f.claimed.or(Some(e.on));
                    }
                }
                EventKind::ClaimWaived if f.closed.is_none() => f.closed = Some(Closing::Waived(e.on)),
                EventKind::ClaimPaid if f.closed.is_none() => f.closed = Some(Closing::Paid(e.on)),
                _ => {}
            }
        }
        f
    }
}

/// Whether interest and costs are still claimable on a paid principal, and not claimed,
/// waived or paid yet (a claim survives the payment of the principal).
pub fn claimable(invoice: &Invoice, claim: &Claim, facts: &ClaimFacts) -> bool {
    invoice.open.is_zero()
        && !invoice.written_off
        && claim.lawful
        && claim.total > rust_decimal::Decimal::ZERO
        && facts.claimed.is_none()
        && facts.closed.is_none()
}

/// The claim on an invoice of `customer` with these payments and timeline, as of `today`:
/// the one way every surface asks [`assess`].
pub fn claim_of(
    config: &Config,
    invoice: &Invoice,
    kind: crate::domain::customer::CustomerKind,
    payments: &[PaymentRecord],
    timeline: &[TimelineEntry],
    today: NaiveDate,
) -> Claim {
    let reductions: Vec<Reduction> =
        payments.iter().map(|p| Reduction { on: p.on, amount: p.amount, kind: p.kind }).collect();
    let facts = ClaimFacts::gather(invoice.due, timeline);
    assess(
        &config.rates,
        &ClaimInput {
            jurisdiction: config.jurisdiction,
            kind,
            currency: invoice.amount.currency,
            amount: invoice.amount.amount,
            issued: invoice.issued,
            due: invoice.due,
            reductions: &reductions,
            as_of: today,
            first_reminder: facts.first_reminder,
            demanded: facts.demanded,
            terms: config.terms,
            closed: facts.closed,
        },
    )
}
