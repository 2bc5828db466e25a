//! Everything known about one invoice, gathered from the store and read through the
//! config: the customer, payments, timeline, registered mail, where it stands on its ladder
//! and the claim. `track`, the letters, the dossier and the app's Invoice screen all start
//! from here.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::claim::{Claim, ClaimInput, Reduction, SentLetter, assess};
use crate::domain::customer::{Customer, Note};
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::{Invoice, InvoiceId};
use crate::domain::ladder::Standing;
use crate::domain::policy::Ladder;
use crate::store::{PaymentRecord, RegisteredMail, Store, TimelineEntry};

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
        let reductions: Vec<Reduction> =
            payments.iter().map(|p| Reduction { on: p.on, amount: p.amount, kind: p.kind }).collect();
        let claim = assess(
            &config.rates,
            &ClaimInput {
                jurisdiction: config.jurisdiction,
                kind: customer.kind,
                currency: invoice.amount.currency,
                amount: invoice.amount.amount,
                issued: invoice.issued,
                due: invoice.due,
                reductions: &reductions,
                as_of: today,
                first_reminder: first_reminder(&invoice, &timeline, registered.as_ref()),
                demanded: None,
                terms: config.terms,
                closed: None,
            },
        );
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
        })
    }

    /// The day the invoice was paid in full, if it was.
    pub fn paid_on(&self) -> Option<NaiveDate> {
        if self.invoice.open.is_zero() { self.payments.last().map(|p| p.on) } else { None }
    }

    /// Whether an event of this kind is on the timeline.
    pub fn has(&self, kind: EventKind) -> bool {
        self.timeline.iter().any(|e| e.kind == kind)
    }
}

/// The first written reminder sent after the due date (it starts a consumer's 14 days).
fn first_reminder(
    invoice: &Invoice,
    timeline: &[TimelineEntry],
    registered: Option<&RegisteredMail>,
) -> Option<SentLetter> {
    timeline
        .iter()
        .find(|e| {
            e.on > invoice.due
                && matches!(
                    e.kind,
                    EventKind::ReminderSent | EventKind::FirmReminderSent | EventKind::FormalNoticeSent
                )
        })
        .map(|e| SentLetter {
            sent: e.on,
            channel: e.channel.unwrap_or(Channel::Email),
            received: registered
                .filter(|r| r.sent == e.on && e.kind == EventKind::FormalNoticeSent)
                .and_then(|r| r.received),
        })
}
