//! The detail screens' data: one customer, one invoice. Loaded when the screen opens or the
//! data changes, formatted once.

use crate::domain::format;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cursor::Cursor;
use crate::call_script::{ScriptFacts, ScriptLibrary, ScriptPanel, script_panel};
use crate::config::Config;
use crate::domain::agreement::{Agreement, AgreementStatus};
use crate::domain::call::Call;
use crate::domain::customer::{Customer, CustomerId, Note};
use crate::domain::invoice::{Invoice, InvoiceId, InvoiceStatus, PaymentKind, settled_how};
use crate::domain::ladder::State;
use crate::domain::money::{Currency, Money, format_amount};
use crate::domain::policy::Step;
use crate::domain::rungs::{RungState, rungs};
use crate::service::InvoiceStanding;
use crate::service::case::{ClaimFacts, claim_of, claimable};
use crate::store::{Entry, PaymentLine, Result, Store};

fn days(n: i64) -> String {
    if n.abs() == 1 { format!("{n} day") } else { format!("{n} days") }
}

#[derive(Debug, Clone)]
pub struct CustomerDetail {
    pub customer: Customer,
    /// Label and value: contact, email, phone…
    pub facts: Vec<(&'static str, String)>,
    pub behaviour: String,
    pub invoices: Vec<InvoiceLine>,
    /// Date and text, newest first.
    pub notes: Vec<(String, String)>,
    /// The notes' ids, in the same order.
    pub note_ids: Vec<i64>,
    /// The note selected (below the invoices: `j` past the last one), for `e` and `x`.
    pub note_at: Option<usize>,
    pub cursor: Cursor,
    /// Paid, credited and written-off invoices, the most recently settled first.
    pub settled: Vec<SettledLine>,
    /// The selection in `settled`, when it is there rather than in the open invoices.
    pub settled_cursor: Cursor,
    pub in_settled: bool,
}

/// A settled invoice in a customer's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledLine {
    pub id: InvoiceId,
    pub number: String,
    pub amount: String,
    /// "12 Oct 2026": the day of its last payment, credit or write-off.
    pub when: String,
    /// "paid", "credited", "written off"…
    pub how: &'static str,
}

/// An open invoice in a customer's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub id: InvoiceId,
    pub number: String,
    pub due: String,
    pub late: String,
    pub open: String,
}

impl CustomerDetail {
    /// A promise counts as broken `grace_days` after its day.
    pub fn load(store: &Store, id: CustomerId, today: NaiveDate, grace_days: u32) -> Result<CustomerDetail> {
        let customer = store.customer(id)?;
        let none = || "–".to_string();
        let facts = vec![
            ("Contact", customer.contact.clone().unwrap_or_else(none)),
            ("Email", customer.email.clone().unwrap_or_else(none)),
            ("Phone", customer.phone.clone().unwrap_or_else(none)),
            ("VAT", customer.vat.clone().unwrap_or_else(none)),
            (
                "Address",
                customer.address.as_deref().map_or_else(none, |a| a.lines().collect::<Vec<_>>().join(", ")),
            ),
            ("Profile", format!("{} · {} · speaks {}", customer.profile, customer.kind, customer.language)),
            ("Terms", format!("{} days", customer.terms_days)),
        ];
        let behaviour = store.customer_behaviour(id, today, grace_days)?.summary();
        let invoices: Vec<InvoiceLine> = store
            .customer_open_invoices(id)?
            .into_iter()
            .map(|r| {
                let late = r.invoice.days_overdue(today);
                InvoiceLine {
                    id: r.invoice.id,
                    due: format::day_month_year(r.invoice.due),
                    late: if late > 0 { format!("{} late", days(late)) } else { "not due".into() },
                    open: Money::new(r.invoice.open, r.invoice.amount.currency).to_string(),
                    number: r.invoice.number,
                }
            })
            .collect();
        let rows = store.notes(id)?;
        let note_ids = rows.iter().map(|n| n.id).collect();
        let notes = rows.into_iter().map(|n| (format::day_month_year(n.on), n.body)).collect();
        let cursor = Cursor::new(invoices.len());
        let settled: Vec<SettledLine> = store
            .customer_settled_invoices(id)?
            .into_iter()
            .map(|r| SettledLine {
                id: r.id,
                amount: Money::from_cents(r.amount_cents, r.currency).to_string(),
                when: format::day_month_year(r.settled_on),
                how: r.how.how(),
                number: r.number,
            })
            .collect();
        let settled_cursor = Cursor::new(settled.len());
        let in_settled = invoices.is_empty() && !settled.is_empty();
        Ok(CustomerDetail {
            customer,
            facts,
            behaviour,
            invoices,
            notes,
            note_ids,
            note_at: None,
            cursor,
            settled,
            settled_cursor,
            in_settled,
        })
    }

    /// The invoice selected, open or settled (none while a note is).
    pub fn selected_invoice(&self) -> Option<InvoiceId> {
        if self.note_at.is_some() {
            None
        } else if self.in_settled {
            self.settled.get(self.settled_cursor.selected()).map(|s| s.id)
        } else {
            self.invoices.get(self.cursor.selected()).map(|i| i.id)
        }
    }

    /// The wheel: moves the selection in the invoices' list it is in.
    pub fn scroll(&mut self, rows: isize) {
        self.note_at = None;
        if self.in_settled { self.settled_cursor.scroll(rows) } else { self.cursor.scroll(rows) }
    }

    /// A click on screen row `y` selects the open or settled invoice drawn there.
    pub fn click(&mut self, y: u16) {
        if let Some(row) = self.cursor.row_at(y) {
            self.note_at = None;
            self.in_settled = false;
            self.cursor.select(row);
        } else if let Some(row) = self.settled_cursor.row_at(y) {
            self.note_at = None;
            self.in_settled = true;
            self.settled_cursor.select(row);
        }
    }

    /// Keeps the selection of an earlier load of the same customer.
    pub fn keep_selection(&mut self, old: &CustomerDetail) {
        self.cursor.select(old.cursor.selected());
        self.settled_cursor.select(old.settled_cursor.selected());
        self.note_at = old.note_at.filter(|_| !self.notes.is_empty()).map(|n| n.min(self.notes.len() - 1));
        self.in_settled = if old.in_settled {
            !self.settled.is_empty()
        } else {
            self.invoices.is_empty() && !self.settled.is_empty()
        };
    }
}

/// One rung of the step tracker, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RungLine {
    pub step: Step,
    pub state: RungState,
    /// "12 Oct 2026 by email", "due 24 Oct 2026 (30 days ago)", "skipped"…
    pub when: String,
}

/// One line of an invoice's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLine {
    pub date: String,
    pub what: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct InvoiceDetail {
    pub id: InvoiceId,
    pub number: String,
    pub customer_id: CustomerId,
    pub customer: String,
    pub issued: NaiveDate,
    pub currency: Currency,
    /// The invoice's amount (a dispute's credit may be a share of it).
    pub amount: Decimal,
    pub open: Decimal,
    pub disputed: bool,
    pub status: InvoiceStatus,
    /// The step `s` records, if any: the ladder's step to take, else (early) the next one;
    /// none while escalation waits.
    pub current_step: Option<Step>,
    /// Whether `current_step` has fallen due.
    pub due_now: bool,
    /// Why no step is to be taken now, while escalation waits ("promise to pay until …").
    pub waiting: Option<String>,
    /// Label and value: amount, open, dates, status…
    pub facts: Vec<(&'static str, String)>,
    pub rungs: Vec<RungLine>,
    pub timeline: Vec<EventLine>,
    pub cursor: Cursor,
    /// The call-script panel for the step the invoice is on (none once it is settled), or
    /// why the script could not be written.
    pub script: Option<std::result::Result<ScriptPanel, String>>,
    /// The promises and plans made on it, oldest first.
    pub agreements: Vec<AgreementLine>,
    /// The invoice as stored, for `e`.
    pub invoice: Invoice,
    /// What wrote each line of the timeline (same order), for `e` and `x`.
    pub entries: Vec<Option<Entry>>,
    /// Whether the selection is on the timeline (`j` from the invoice) rather than on the
    /// invoice itself: `e` and `x` act on what is selected.
    pub on_timeline: bool,
    /// The rows the entries are, for prefilling their forms.
    pub payments: Vec<PaymentLine>,
    pub notes: Vec<Note>,
    pub calls: Vec<Call>,
    pub agreement_rows: Vec<Agreement>,
    /// The invoice's own PDF, attached to the emails about it.
    pub pdf: Option<std::path::PathBuf>,
}

impl InvoiceDetail {
    /// The entry of the selected timeline line, when the timeline is selected.
    pub fn selected_entry(&self) -> Option<Entry> {
        if !self.on_timeline {
            return None;
        }
        self.entries.get(self.cursor.selected()).copied().flatten()
    }
}

/// A promise or plan on an invoice, with where it stands today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementLine {
    /// "Promise of €600.00 by Fri 4 Dec 2026, made 23 Nov 2026".
    pub what: String,
    pub status: AgreementStatus,
    /// "on schedule: €600.00 due Fri 4 Dec 2026".
    pub state: String,
}

impl AgreementLine {
    fn new(
        a: &Agreement,
        today: NaiveDate,
        grace_days: u32,
        settled: bool,
        currency: Currency,
    ) -> AgreementLine {
        let money = |m: Decimal| Money::new(m, currency).to_string();
        let what = match (a.kind, a.instalments.as_slice()) {
            (crate::domain::agreement::AgreementKind::Promise, [i, ..]) => {
                format!("Promise of {} by {}", money(i.amount), format::weekday_year(i.due))
            }
            (_, [first, .., last]) => format!(
                "Plan of {} in {} instalments, {} to {}",
                money(a.total),
                a.instalments.len(),
                format::weekday(first.due),
                format::weekday(last.due)
            ),
            _ => format!("{} of {}", a.kind, money(a.total)),
        };
        let confirmed = match a.confirmed_on {
            Some(d) => format!("confirmed {}", format::day_month_year(d)),
            None => "not confirmed in writing".into(),
        };
        let what = format!("{what}; made {}, {confirmed}", format::day_month_year(a.made_on));
        let status = a.status(today, grace_days, settled);
        let state = match status {
            AgreementStatus::OnSchedule { next_due, amount } => {
                format!("on schedule: {} due {}", money(amount), format::weekday_year(next_due))
            }
            AgreementStatus::Due { on, amount, grace_until } => {
                format!(
                    "due: {} on {}, grace until {}",
                    money(amount),
                    format::weekday(on),
                    format::weekday(grace_until)
                )
            }
            AgreementStatus::Broken { since, amount, .. } => {
                format!("broken since {}: {} missing", format::weekday(since), money(amount))
            }
            AgreementStatus::Kept { on } => format!("kept (last paid {})", format::weekday(on)),
            AgreementStatus::Superseded { on } => format!("replaced on {}", format::weekday(on)),
            AgreementStatus::Closed => "closed: the invoice was settled otherwise".into(),
        };
        AgreementLine { what, status, state }
    }
}

impl InvoiceDetail {
    /// Loads the invoice with everything its screen shows: where it stands on the customer's
    /// ladder (the one answer), the call script from `scripts`, the agreements' status.
    pub fn load(
        store: &Store,
        id: InvoiceId,
        today: NaiveDate,
        config: &Config,
        scripts: &ScriptLibrary,
    ) -> Result<InvoiceDetail> {
        let grace_days = config.agreements.grace_days;
        let row = store.invoice(id)?;
        let customer = store.customer(row.invoice.customer_id)?;
        let inv = &row.invoice;
        let events = store.timeline(id)?;
        let InvoiceStanding { ladder, facts: ladder_facts, standing } =
            InvoiceStanding::load(store, config, inv, &customer, &events, today)?;
        let ladder = &ladder;
        let status = inv.status();
        let open = !inv.open.is_zero();
        let rung_lines = rungs(ladder, inv.due, &ladder_facts.done, &standing)
            .into_iter()
            .map(|r| RungLine { step: r.step, state: r.state, when: rung_text(r.state, today) })
            .collect();
        let current_step = match standing.state {
            State::Open => standing.step_to_take.or(standing.next).map(|t| t.step),
            _ => None,
        };
        let waiting = match standing.state {
            State::Paused { kind, until, .. } => {
                Some(format!("{} until {}", kind.label(), format::day_month_year(until)))
            }
            State::Disputed { since } => Some(format!("disputed since {}", format::day_month_year(since))),
            State::Open | State::Settled => None,
        };
        let late = inv.days_overdue(today);
        let money = |m: Decimal| Money::new(m, inv.amount.currency).to_string();
        let status_text = match status {
            InvoiceStatus::Open | InvoiceStatus::PartlyPaid | InvoiceStatus::Disputed if late > 0 => {
                format!("{} — {} overdue", status_label(status), days(late))
            }
            InvoiceStatus::Open | InvoiceStatus::PartlyPaid | InvoiceStatus::Disputed => {
                format!("{} — due in {}", status_label(status), days(-late))
            }
            _ => status_label(status).to_string(),
        };
        // A settled invoice says how and when: "written off on 23 Nov 2026".
        let reductions = store.payment_lines(Some(id))?;
        let status_text = match reductions.iter().map(|p| p.on).max() {
            Some(last) if inv.open.is_zero() => {
                let has = |k: PaymentKind| reductions.iter().any(|p| p.kind == k);
                let how = settled_how(
                    has(PaymentKind::Payment),
                    has(PaymentKind::Credit),
                    has(PaymentKind::WriteOff),
                );
                format!("{how} on {}", format::day_month_year(last))
            }
            _ => status_text,
        };
        let mut facts = vec![
            ("Customer", format!("{} ({} customer)", customer.name, customer.profile)),
            ("Amount", money(inv.amount.amount)),
            ("Open", money(inv.open)),
            ("Issued", format::day_month_year(inv.issued)),
            ("Due", format::day_month_year(inv.due)),
            ("Status", status_text),
        ];
        // A principal paid late: the interest and costs still claimable, as Today proposes them.
        if !open {
            let claim = claim_of(config, inv, customer.kind, &store.payments(id)?, &events, today);
            if claimable(inv, &claim, &ClaimFacts::gather(inv.due, &events)) {
                facts.push((
                    "Claimable",
                    format!("{} in interest and costs; l claims, w waives", money(claim.total)),
                ));
            }
        }
        if let Some(r) = inv.reference {
            facts.push(("Reference", r.to_string()));
        }
        if !inv.description.is_empty() {
            facts.push(("For", inv.description.clone()));
        }
        let pdf = store.invoice_pdf(id)?;
        if let Some(p) = &pdf {
            facts.push(("PDF", p.display().to_string()));
        }
        // The last credits and write-offs, with their reasons.
        let otherwise: Vec<_> = reductions.iter().filter(|p| p.kind != PaymentKind::Payment).collect();
        for p in otherwise.iter().skip(otherwise.len().saturating_sub(MAX_REDUCTION_FACTS)) {
            let label = if p.kind == PaymentKind::WriteOff { "Write-off" } else { "Credited" };
            let money = Money::from_cents(p.cents, inv.amount.currency);
            facts.push((label, format!("{money} on {}: {}", format::day_month_year(p.on), p.note)));
        }
        let timeline: Vec<EventLine> = events
            .iter()
            .rev()
            .map(|e| EventLine {
                date: format::day_month_year(e.on),
                what: match e.channel {
                    Some(c) => format!("{} ({})", e.kind.label(), c.as_str().replace('_', " ")),
                    None => e.kind.label().to_string(),
                },
                detail: event_detail(e.kind, &e.detail, inv.amount.currency),
            })
            .collect();
        let entries: Vec<Option<Entry>> =
            store.timeline_entries(id)?.into_iter().rev().map(|(_, e)| e).collect();
        let currency = inv.amount.currency;
        let agreement_rows = store.agreements(id)?;
        let agreements = agreement_rows
            .iter()
            .map(|a| AgreementLine::new(a, today, grace_days, !open, currency))
            .collect();
        let script = if open {
            let facts = ScriptFacts::new(customer.clone(), inv.clone(), &events, ladder, &standing, today);
            let notes = store.notes(customer.id)?;
            let last = store.last_call(id)?;
            Some(script_panel(scripts, &facts, &notes, last.as_ref(), today).map_err(|e| e.to_string()))
        } else {
            None
        };
        Ok(InvoiceDetail {
            id,
            number: inv.number.clone(),
            customer_id: customer.id,
            customer: customer.name.clone(),
            issued: inv.issued,
            currency: inv.amount.currency,
            amount: inv.amount.amount,
            open: inv.open,
            disputed: inv.disputed,
            status,
            current_step,
            waiting,
            due_now: standing.step_to_take.is_some(),
            facts,
            rungs: rung_lines,
            cursor: Cursor::new(timeline.len()),
            timeline,
            script,
            agreements,
            invoice: inv.clone(),
            entries,
            on_timeline: false,
            payments: store.payment_lines(Some(id))?,
            notes: store.notes(customer.id)?.into_iter().filter(|n| n.invoice == Some(id)).collect(),
            calls: store.calls(id)?,
            agreement_rows,
            pdf,
        })
    }
}

/// At most this many credits and write-offs are listed with the invoice's facts (the
/// timeline has them all).
const MAX_REDUCTION_FACTS: usize = 2;

fn status_label(s: InvoiceStatus) -> &'static str {
    match s {
        InvoiceStatus::Open => "open",
        InvoiceStatus::PartlyPaid => "partly paid",
        InvoiceStatus::Paid => "paid",
        InvoiceStatus::Disputed => "disputed",
        InvoiceStatus::WrittenOff => "written off",
    }
}

/// Payment details are stored as plain amounts ("500.00 transfer"); show them as money.
fn event_detail(kind: crate::domain::event::EventKind, detail: &str, currency: Currency) -> String {
    use crate::domain::event::EventKind as K;
    if !matches!(kind, K::Payment | K::Credit | K::WrittenOff) {
        return tidy(detail);
    }
    let (amount, rest) = detail.split_once(' ').unwrap_or((detail, ""));
    match amount.parse::<Decimal>() {
        Ok(a) => format!("{} {rest}", Money::new(a, currency)).trim_end().to_string(),
        Err(_) => detail.to_string(),
    }
}

/// An event's text in the app's formats: "€5150.00 by 2026-11-17" reads "€5,150.00 by
/// 17 Nov 2026", as amounts and dates read everywhere else on screen.
fn tidy(detail: &str) -> String {
    let word = |w: &str| -> String {
        let core = w.trim_end_matches([',', ';', '.', ')']);
        let tail = &w[core.len()..];
        if let Ok(d) = NaiveDate::parse_from_str(core, "%Y-%m-%d") {
            return format!("{}{tail}", format::day_month_year(d));
        }
        for sym in ['€', '$', '£'] {
            if let Some(a) = core.strip_prefix(sym).and_then(|a| a.parse::<Decimal>().ok()) {
                return format!("{sym}{}{tail}", format_amount(a));
            }
        }
        w.to_string()
    };
    detail.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

fn rung_text(state: RungState, today: NaiveDate) -> String {
    match state {
        RungState::Done { on: Some(on), channel: Some(c) } => {
            format!("{} by {}", format::day_month_year(on), c.as_str().replace('_', " "))
        }
        RungState::Done { on: Some(on), channel: None } => format::day_month_year(on),
        RungState::Done { on: None, .. } => "done".into(),
        RungState::Skipped => "skipped".into(),
        RungState::NotNeeded => "not needed".into(),
        RungState::Blocked => "not while disputed".into(),
        RungState::Overdue { date } => format!("fell due {}, passed over", format::day_month_year(date)),
        RungState::Current { paused: true, date } => format!("waits until {}", format::day_month_year(date)),
        RungState::Current { date, .. } => {
            let d = (today - date).num_days();
            match d {
                0 => format!("due today ({})", format::day_month_year(date)),
                d if d > 0 => format!("due {} ({} ago)", format::day_month_year(date), days(d)),
                d => format!("due {} (in {})", format::day_month_year(date), days(-d)),
            }
        }
        RungState::Ahead { date } => format!("from {}", format::day_month_year(date)),
    }
}

#[cfg(test)]
mod tidy_tests {
    use super::tidy;

    #[test]
    fn amounts_and_dates_read_as_on_the_rest_of_the_screen() {
        assert_eq!(tidy("€5150.00 by 2026-11-17"), "€5,150.00 by 17 Nov 2026");
        assert_eq!(tidy("3 × £120.50 from 2026-12-01, monthly"), "3 × £120.50 from 1 Dec 2026, monthly");
        assert_eq!(tidy("called, no answer"), "called, no answer");
        assert_eq!(tidy("€abc 2026-13-40"), "€abc 2026-13-40");
    }
}
