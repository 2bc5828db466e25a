//! Everything known about one invoice, gathered from the store and read through the
//! config: the customer, payments, timeline, registered mail, the tracker and the claim.
//! Letters, the dossier and the app's invoice screen all start from here, so they show the
//! same figures.

use std::collections::HashMap;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::config::Config;
use crate::domain::claim::{Claim, ClaimInput, SentLetter, assess};
use crate::domain::customer::{Customer, Note};
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::{Invoice, InvoiceId};
use crate::domain::pause::tracker_pauses;
use crate::domain::policy::Ladder;
use crate::domain::tracker::{DoneStep, Pause, PauseKind, Tracker, notice_term, track};
use crate::store::{InvoiceRow, PaymentRecord, RegisteredMail, Store, TimelineEntry};

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
    pub pauses: Vec<Pause>,
    pub tracker: Tracker,
    pub claim: Claim,
}

impl CaseFile {
    /// The case of invoice `number` as of `today`.
    pub fn by_number(store: &Store, config: &Config, number: &str, today: NaiveDate) -> Result<CaseFile> {
        let row = store
            .invoice_by_number(number)?
            .ok_or_else(|| anyhow!("unknown invoice '{}' (see `settle invoice list`)", number.trim()))?;
        CaseFile::load(store, config, row.invoice.id, today, &[])
    }

    /// The case of an invoice, its promises and instalment plans pausing its ladder.
    /// `more_pauses` are further pause facts.
    pub fn load(
        store: &Store,
        config: &Config,
        id: InvoiceId,
        today: NaiveDate,
        more_pauses: &[Pause],
    ) -> Result<CaseFile> {
        let row = store.invoice(id)?;
        let invoice = row.invoice;
        let customer = store.customer(invoice.customer_id)?;
        let payments = store.payments(id)?;
        let timeline = store.timeline(id)?;
        let notes = store.notes(customer.id)?;
        let registered = store.registered_mail(id)?;
        let ladder = config.ladder_for(&customer.name, customer.profile).clone();
        let done: Vec<DoneStep> = timeline
            .iter()
            .filter_map(|e| e.kind.step().map(|step| DoneStep { step, on: e.on, channel: e.channel }))
            .collect();
        let mut pauses = store_pauses(config, &timeline, registered.as_ref());
        let agreements = store.agreements(id)?;
        pauses.extend(tracker_pauses(&agreements, today, config.agreements.grace_days));
        pauses.extend_from_slice(more_pauses);
        let open = !invoice.open.is_zero();
        let tracker = track(&ladder, invoice.due, open, &done, &pauses, today);
        let reductions: Vec<(NaiveDate, Decimal)> = payments.iter().map(|p| (p.on, p.amount)).collect();
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
            },
        )
        .with_context(|| format!("invoice {}: computing interest", invoice.number))?;
        Ok(CaseFile {
            today,
            invoice,
            customer,
            payments,
            timeline,
            notes,
            registered,
            ladder,
            pauses,
            tracker,
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

/// The tracker of every open invoice as of `today` (three queries, whatever the book's
/// size, and one more for the agreements), its promises and instalment plans pausing it.
/// `more_pauses` adds further pause facts per invoice.
pub fn open_trackers(
    store: &Store,
    config: &Config,
    today: NaiveDate,
    more_pauses: &HashMap<InvoiceId, Vec<Pause>>,
) -> Result<Vec<(InvoiceRow, Tracker)>> {
    let (events, mail) = store.open_tracker_events()?;
    let agreements = store.open_invoice_agreements()?;
    let none = Vec::new();
    let rows = store.open_invoices()?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.invoice.id;
            let timeline = events.get(&id).unwrap_or(&none);
            let done: Vec<DoneStep> = timeline
                .iter()
                .filter_map(|e| e.kind.step().map(|step| DoneStep { step, on: e.on, channel: e.channel }))
                .collect();
            let mut pauses = store_pauses(config, timeline, mail.get(&id));
            if let Some(list) = agreements.get(&id) {
                pauses.extend(tracker_pauses(list, today, config.agreements.grace_days));
            }
            pauses.extend(more_pauses.get(&id).into_iter().flatten().copied());
            let ladder = config.ladder_for(&row.customer, row.profile);
            let tracker = track(ladder, row.invoice.due, true, &done, &pauses, today);
            (row, tracker)
        })
        .collect())
}

/// The pauses the store knows: disputes (from their events) and a formal notice's term.
fn store_pauses(
    config: &Config,
    timeline: &[TimelineEntry],
    registered: Option<&RegisteredMail>,
) -> Vec<Pause> {
    let mut pauses: Vec<Pause> = Vec::new();
    for e in timeline {
        match e.kind {
            EventKind::DisputeOpened => {
                pauses.push(Pause { kind: PauseKind::Dispute, since: e.on, until: None, ended: None })
            }
            EventKind::DisputeResolved => {
                if let Some(p) =
                    pauses.iter_mut().rev().find(|p| p.kind == PauseKind::Dispute && p.ended.is_none())
                {
                    p.ended = Some(e.on);
                }
            }
            EventKind::FormalNoticeSent => {
                let received = match registered.filter(|r| r.sent == e.on) {
                    Some(r) => r.received,
                    // Sent by email: received the day it was sent.
                    None if e.channel == Some(Channel::Email) => Some(e.on),
                    None => None,
                };
                pauses.push(notice_term(
                    config.jurisdiction,
                    e.on,
                    received,
                    config.letters.notice_term_days,
                ));
            }
            _ => {}
        }
    }
    pauses
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
