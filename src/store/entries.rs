//! Correcting the entries of a timeline: notes, calls, agreements and steps, each edited or
//! deleted in one transaction (one change of the log that `settle undo` reverts). The
//! timeline event an entry wrote is found by what it says: its kind, day and text are the
//! entry's own (a note's body, a call's summary, an agreement's terms), and every edit here
//! writes them again, so they stay found. Derived state (the instalments' payments, the
//! ladder's step marks) is set again through the functions the inserts use.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;

use super::agreements::{COLUMNS as AGREEMENT_COLUMNS, agreement_from};
use super::calls::{CALL_COLUMNS, apply_to, call_from};
use super::changes::unlock_events;
use super::corrections::refresh_steps;
use super::customers::{NOTE_COLUMNS, note_body, note_from};
use super::invoices::payment_event;
use super::{Refusal, Result, Store, StoreError, text_enum};
use crate::domain::agreement::{Agreement, AgreementId, AgreementKind, NewAgreement, Schedule};
use crate::domain::call::{Call, CallId, CallOutcome};
use crate::domain::customer::{CustomerId, Note};
use crate::domain::event::EventKind;
use crate::domain::event::TimelineEntry;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, from_cents, plain_amount, to_cents};
use crate::domain::policy::Step;

/// What a line of an invoice's timeline was written by, for editing or deleting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A payment, credit or write-off (its id).
    Payment(i64),
    /// A note (its id).
    Note(i64),
    Call(CallId),
    Agreement(AgreementId),
    /// A ladder step recorded without a call (its event's id).
    Step(Step, i64),
}

/// A note with whom and what it is about, as `settle note list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteLine {
    pub note: Note,
    pub customer: String,
    pub invoice: Option<String>,
}

/// New values for a call; `None` keeps the old one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallEdit {
    pub on: Option<NaiveDate>,
    pub with: Option<Option<String>>,
    pub note: Option<String>,
    pub follow_up: Option<Option<NaiveDate>>,
    /// Only between outcomes that make no agreement and open no dispute.
    pub outcome: Option<CallOutcome>,
}

/// New terms for an agreement; `None` keeps the old ones. A promise takes one date, a plan
/// two or more (its total is split evenly again, the rounding on the last instalment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementEdit {
    pub amount: Option<Decimal>,
    pub dates: Option<Vec<NaiveDate>>,
}

const CALL_EVENTS: [EventKind; 2] = [EventKind::CallLogged, EventKind::CallAttempted];

/// The first event of one of `kinds` on the invoice (or, with none, the customer's own
/// timeline) on `on` that says `detail`.
fn event_saying(
    conn: &Connection,
    kinds: &[EventKind],
    customer: CustomerId,
    invoice: Option<InvoiceId>,
    on: NaiveDate,
    detail: &str,
) -> Result<Option<i64>> {
    let first = kinds.first().map_or("", |k| k.as_str());
    let last = kinds.last().map_or("", |k| k.as_str());
    Ok(conn
        .prepare_cached(
            "SELECT id FROM events WHERE (invoice_id = ?2 OR (?2 IS NULL AND invoice_id IS NULL AND customer_id = ?1))
               AND on_date = ?3 AND kind IN (?4, ?5) AND detail = ?6 ORDER BY id LIMIT 1",
        )?
        .query_row(params![customer.0, invoice.map(|i| i.0), on, first, last, detail.trim()], |r| r.get(0))
        .optional()?)
}

fn note_in(conn: &Connection, id: i64) -> Result<Note> {
    conn.prepare_cached(&format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1"))?
        .query_row([id], note_from)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no note with id {id} (see `settle note list`)")))
}

fn call_in(conn: &Connection, id: CallId) -> Result<Call> {
    conn.prepare_cached(&format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1"))?
        .query_row([id.0], call_from)
        .optional()?
        .ok_or_else(|| {
            StoreError::NotFound(format!("no call with id {} (see `settle call list INVOICE`)", id.0))
        })
}

/// The currency symbol of an invoice's amounts (the euro for a call on no invoice).
fn symbol(conn: &Connection, invoice: Option<InvoiceId>) -> Result<String> {
    let currency: Option<Currency> = match invoice {
        Some(i) => conn
            .prepare_cached("SELECT currency FROM invoices WHERE id = ?1")?
            .query_row([i.0], |r| text_enum(r, 0))
            .optional()?,
        None => None,
    };
    Ok(currency.unwrap_or(Currency::EUR).symbol().to_string())
}

/// An agreement's terms as stored (its instalments, without payments).
fn agreement_in(conn: &Connection, id: AgreementId) -> Result<(Agreement, CustomerId)> {
    let (mut a, customer) = conn
        .prepare_cached(&format!(
            "SELECT {AGREEMENT_COLUMNS}, i.customer_id FROM agreements a JOIN invoices i ON i.id = a.invoice_id WHERE a.id = ?1"
        ))?
        .query_row([id.0], |r| Ok((agreement_from(r)?, CustomerId(r.get(8)?))))
        .optional()?
        .ok_or_else(|| {
            StoreError::NotFound(format!("no agreement with id {} (see `settle call list INVOICE`)", id.0))
        })?;
    let rows: Vec<(u32, NaiveDate, i64)> = conn
        .prepare_cached(
            "SELECT seq, due, amount_cents FROM instalments WHERE agreement_id = ?1 ORDER BY seq",
        )?
        .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    a.instalments = rows
        .into_iter()
        .map(|(seq, due, cents)| crate::domain::agreement::Instalment {
            seq,
            due,
            amount: from_cents(cents),
            paid: Vec::new(),
        })
        .collect();
    Ok((a, customer))
}

/// The agreement a call made, if it is still there.
fn agreement_of_call(conn: &Connection, call: CallId) -> Result<Option<Agreement>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM agreements WHERE call_id = ?1 ORDER BY id LIMIT 1")?
        .query_row([call.0], |r| r.get(0))
        .optional()?;
    id.map(|id| agreement_in(conn, AgreementId(id)).map(|(a, _)| a)).transpose()
}

/// The timeline line a call wrote, as it reads with the agreement it carries now.
fn call_event(conn: &Connection, call: &Call) -> Result<Option<i64>> {
    let terms = agreement_of_call(conn, call.id)?.map(|a| a.terms());
    let summary = call.to_new(terms).summary(&symbol(conn, call.invoice)?);
    event_saying(conn, &CALL_EVENTS, call.customer, call.invoice, call.on, &summary)
}

/// Rewrites a call's timeline line (its day, kind and summary) from the call and agreement
/// rows as they are now; `event` is the line found before they changed.
fn rewrite_call_event(conn: &Connection, event: Option<i64>, id: CallId) -> Result<()> {
    let Some(event) = event else { return Ok(()) };
    let call = call_in(conn, id)?;
    let terms = agreement_of_call(conn, id)?.map(|a| a.terms());
    let summary = call.to_new(terms).summary(&symbol(conn, call.invoice)?);
    let kind = if call.reached { EventKind::CallLogged } else { EventKind::CallAttempted };
    unlock_events(conn)?;
    conn.prepare_cached("UPDATE events SET on_date = ?2, kind = ?3, detail = ?4 WHERE id = ?1")?
        .execute(params![event, call.on, kind.as_str(), summary.trim()])?;
    Ok(())
}

/// Deletes an agreement with its instalments, the payments' links to them and its timeline
/// lines (made, confirmed); the call that made it says so no more.
fn delete_agreement_in(conn: &Connection, id: AgreementId) -> Result<Agreement> {
    let (a, customer) = agreement_in(conn, id)?;
    let symbol = symbol(conn, Some(a.invoice))?;
    let made = event_saying(
        conn,
        &[EventKind::AgreementMade],
        customer,
        Some(a.invoice),
        a.made_on,
        &a.describe(&symbol),
    )?;
    let call_line = match a.call {
        Some(c) => call_event(conn, &call_in(conn, c)?)?,
        None => None,
    };
    unlock_events(conn)?;
    conn.prepare_cached(
        "DELETE FROM instalment_payments WHERE instalment_id IN (SELECT id FROM instalments WHERE agreement_id = ?1)",
    )?
    .execute([id.0])?;
    conn.prepare_cached("DELETE FROM instalments WHERE agreement_id = ?1")?.execute([id.0])?;
    if let Some(e) = made {
        conn.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([e])?;
    }
    conn.prepare_cached("DELETE FROM events WHERE invoice_id = ?1 AND kind = ?2 AND detail = ?3")?.execute(
        params![a.invoice.0, EventKind::AgreementConfirmed.as_str(), format!("agreement {}", id.0)],
    )?;
    conn.prepare_cached("DELETE FROM agreements WHERE id = ?1")?.execute([id.0])?;
    if let Some(c) = a.call {
        rewrite_call_event(conn, call_line, c)?;
    }
    Ok(a)
}

/// Deletes the step event `event` of an invoice (with a formal notice's tracking) and sets
/// the invoice's step marks again.
pub(super) fn delete_step_event_in(conn: &Connection, invoice: InvoiceId, event: i64) -> Result<NaiveDate> {
    let found: Option<(String, NaiveDate)> = conn
        .prepare_cached("SELECT kind, on_date FROM events WHERE id = ?1 AND invoice_id = ?2")?
        .query_row(params![event, invoice.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let on = match found {
        Some((kind, on)) if kind.parse::<EventKind>().ok().and_then(|k| k.step()).is_some() => on,
        _ => return Err(StoreError::NotFound("that line of the timeline is not a step".into())),
    };
    unlock_events(conn)?;
    conn.prepare_cached("DELETE FROM registered_mail WHERE event_id = ?1")?.execute([event])?;
    conn.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([event])?;
    refresh_steps(conn, invoice)?;
    Ok(on)
}

/// Deletes a timeline line, if there is one (the timeline is otherwise append-only).
fn delete_event(conn: &Connection, event: Option<i64>) -> Result<()> {
    if let Some(e) = event {
        unlock_events(conn)?;
        conn.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([e])?;
    }
    Ok(())
}

/// Rewrites what a timeline line says, if there is one.
fn set_event_detail(conn: &Connection, event: Option<i64>, detail: &str) -> Result<()> {
    if let Some(e) = event {
        unlock_events(conn)?;
        conn.prepare_cached("UPDATE events SET detail = ?2 WHERE id = ?1")?.execute(params![e, detail])?;
    }
    Ok(())
}

impl Store {
    pub fn note(&self, id: i64) -> Result<Note> {
        note_in(self.conn(), id)
    }

    /// Every note, or one customer's, newest first, with the customer's name and the
    /// invoice's number.
    pub fn note_lines(&self, customer: Option<CustomerId>) -> Result<Vec<NoteLine>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.id, n.customer_id, n.invoice_id, n.written_on, n.body, c.name, i.number
             FROM notes n JOIN customers c ON c.id = n.customer_id LEFT JOIN invoices i ON i.id = n.invoice_id
             WHERE ?1 IS NULL OR n.customer_id = ?1 ORDER BY n.written_on DESC, n.id DESC",
        )?;
        let rows = stmt.query_map([customer.map(|c| c.0)], |r| {
            Ok(NoteLine {
                note: Note {
                    id: r.get(0)?,
                    customer: CustomerId(r.get(1)?),
                    invoice: r.get::<_, Option<i64>>(2)?.map(InvoiceId),
                    on: r.get(3)?,
                    body: r.get(4)?,
                },
                customer: r.get(5)?,
                invoice: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces a note's text (checked as when it was added), and its timeline line's.
    pub fn edit_note(&self, id: i64, body: &str) -> Result<Note> {
        let body = note_body(body)?;
        let tx = self.write_tx()?;
        let old = note_in(&tx, id)?;
        let event = event_saying(&tx, &[EventKind::Note], old.customer, old.invoice, old.on, &old.body)?;
        tx.prepare_cached("UPDATE notes SET body = ?2 WHERE id = ?1")?.execute(params![id, body])?;
        set_event_detail(&tx, event, body)?;
        let new = note_in(&tx, id)?;
        tx.commit()?;
        Ok(new)
    }

    /// Deletes a note written by mistake, with its timeline line.
    pub fn delete_note(&self, id: i64) -> Result<Note> {
        let tx = self.write_tx()?;
        let old = note_in(&tx, id)?;
        let event = event_saying(&tx, &[EventKind::Note], old.customer, old.invoice, old.on, &old.body)?;
        delete_event(&tx, event)?;
        tx.prepare_cached("DELETE FROM notes WHERE id = ?1")?.execute([id])?;
        tx.commit()?;
        Ok(old)
    }

    pub fn call(&self, id: CallId) -> Result<Call> {
        call_in(self.conn(), id)
    }

    /// Changes a call's day, who was reached, its note, its follow-up date or (between
    /// outcomes that make no agreement and open no dispute) its outcome, checked as when it
    /// was logged. Its agreement moves with its day; the ladder's call mark follows whether
    /// someone was reached.
    pub fn edit_call(&self, id: CallId, e: &CallEdit) -> Result<Call> {
        let tx = self.write_tx()?;
        let old = call_in(&tx, id)?;
        let agreement = agreement_of_call(&tx, id)?;
        let event = call_event(&tx, &old)?;
        let mut new = old.clone();
        if let Some(o) = e.outcome.filter(|o| *o != old.outcome) {
            let fixed = |o: CallOutcome| o.makes_agreement() || o == CallOutcome::Dispute;
            if fixed(o) || fixed(old.outcome) {
                return Err(Refusal::FixedOutcome { call: id.0, from: old.outcome, to: o }.into());
            }
            new.outcome = o;
            new.reached = o.implies_reached().unwrap_or(old.reached);
        }
        new.on = e.on.unwrap_or(old.on);
        if let Some(w) = &e.with {
            new.with = w.as_deref().map(str::trim).filter(|w| !w.is_empty()).map(str::to_string);
        }
        if let Some(n) = &e.note {
            new.note = n.trim().to_string();
        }
        if let Some(f) = e.follow_up {
            new.follow_up = f;
        }
        let mut check = new.to_new(agreement.as_ref().map(|a| a.terms()));
        if check.agreement.is_none() && check.outcome.makes_agreement() {
            // Its agreement was deleted: the call stays what it was, the rest is checked.
            check.outcome = CallOutcome::Refused;
        }
        check.validate().map_err(StoreError::Invalid)?;
        tx.prepare_cached(
            "UPDATE calls SET called_on = ?2, reached = ?3, with_whom = ?4, outcome = ?5, follow_up = ?6, note = ?7
             WHERE id = ?1",
        )?
        .execute(params![id.0, new.on, new.reached, new.with, new.outcome.as_str(), new.follow_up, new.note])?;
        if let Some(a) = &agreement
            && a.made_on != new.on
        {
            let (_, customer) = agreement_in(&tx, a.id)?;
            let symbol = symbol(&tx, Some(a.invoice))?;
            let made = event_saying(
                &tx,
                &[EventKind::AgreementMade],
                customer,
                Some(a.invoice),
                a.made_on,
                &a.describe(&symbol),
            )?;
            tx.prepare_cached("UPDATE agreements SET made_on = ?2 WHERE id = ?1")?
                .execute(params![a.id.0, new.on])?;
            if let Some(m) = made {
                unlock_events(&tx)?;
                tx.prepare_cached("UPDATE events SET on_date = ?2 WHERE id = ?1")?
                    .execute(params![m, new.on])?;
            }
        }
        rewrite_call_event(&tx, event, id)?;
        if let Some(inv) = new.invoice {
            refresh_steps(&tx, inv)?;
        }
        let saved = call_in(&tx, id)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Deletes a call logged by mistake with its timeline line and the agreement it made; the
    /// ladder's call mark follows the calls that are left. A dispute it opened stays open
    /// (resolve it with `d`).
    pub fn delete_call(&self, id: CallId) -> Result<Call> {
        let tx = self.write_tx()?;
        let old = call_in(&tx, id)?;
        if let Some(a) = agreement_of_call(&tx, id)? {
            delete_agreement_in(&tx, a.id)?;
        }
        delete_event(&tx, call_event(&tx, &old)?)?;
        tx.prepare_cached("DELETE FROM calls WHERE id = ?1")?.execute([id.0])?;
        if let Some(inv) = old.invoice {
            refresh_steps(&tx, inv)?;
        }
        tx.commit()?;
        Ok(old)
    }

    /// Changes an agreement's amount or dates, checked as when it was made (dates not before
    /// the day it was made and in order, not more than the invoice has open); the payments
    /// applied to it are applied again to the new instalments, oldest first.
    pub fn edit_agreement(&self, id: AgreementId, e: &AgreementEdit) -> Result<Agreement> {
        let tx = self.write_tx()?;
        let (old, customer) = agreement_in(&tx, id)?;
        let symbol = symbol(&tx, Some(old.invoice))?;
        let dates = e.dates.clone().unwrap_or_else(|| old.instalments.iter().map(|i| i.due).collect());
        let total = e.amount.unwrap_or(old.total);
        let terms = match (old.kind, dates.as_slice()) {
            (AgreementKind::Promise, [on]) => NewAgreement::promise(*on, total),
            (AgreementKind::Promise, _) => {
                return Err(crate::domain::input::FieldError::new(
                    crate::domain::input::Input::Date,
                    "a promise has one date",
                )
                .into());
            }
            (AgreementKind::Plan, _) => NewAgreement::plan(total, &Schedule::Dates(dates.clone())),
        }
        .and_then(|t| t.validate(old.made_on).map(|()| t))
        .map_err(|err| StoreError::Invalid(err.to_string()))?;
        let cents = to_cents(terms.total)?;
        let (open, applied): (i64, i64) = tx
            .prepare_cached(
                "SELECT (SELECT open_cents FROM invoices WHERE id = ?1),
                        (SELECT COALESCE(SUM(paid_cents), 0) FROM instalments WHERE agreement_id = ?2)",
            )?
            .query_row(params![old.invoice.0, id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if cents > open + applied {
            let why = format!(
                "the agreement ({}) is more than the {} open on the invoice when it was made",
                plain_amount(terms.total),
                plain_amount(from_cents(open + applied))
            );
            return Err(
                crate::domain::input::FieldError::new(crate::domain::input::Input::Amount, why).into()
            );
        }
        let made = event_saying(
            &tx,
            &[EventKind::AgreementMade],
            customer,
            Some(old.invoice),
            old.made_on,
            &old.describe(&symbol),
        )?;
        let call_line = match old.call {
            Some(c) => call_event(&tx, &call_in(&tx, c)?)?,
            None => None,
        };
        let paid: Vec<(i64, i64)> = tx
            .prepare_cached(
                "SELECT DISTINCT p.id, p.amount_cents FROM instalment_payments ip
                 JOIN instalments i ON i.id = ip.instalment_id JOIN payments p ON p.id = ip.payment_id
                 WHERE i.agreement_id = ?1 ORDER BY p.id",
            )?
            .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        tx.prepare_cached(
            "DELETE FROM instalment_payments WHERE instalment_id IN (SELECT id FROM instalments WHERE agreement_id = ?1)",
        )?
        .execute([id.0])?;
        tx.prepare_cached("DELETE FROM instalments WHERE agreement_id = ?1")?.execute([id.0])?;
        tx.prepare_cached("UPDATE agreements SET total_cents = ?2 WHERE id = ?1")?
            .execute(params![id.0, cents])?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO instalments (agreement_id, seq, due, amount_cents) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (seq, (due, amount)) in terms.instalments.iter().enumerate() {
                ins.execute(params![
                    id.0,
                    i64::try_from(seq).unwrap_or(i64::MAX) + 1,
                    due,
                    to_cents(*amount)?
                ])?;
            }
        }
        for (payment, cents) in paid {
            apply_to(&tx, id.0, payment, cents)?;
        }
        set_event_detail(&tx, made, &terms.describe(&symbol))?;
        if let Some(c) = old.call {
            rewrite_call_event(&tx, call_line, c)?;
        }
        let (new, _) = agreement_in(&tx, id)?;
        tx.commit()?;
        Ok(new)
    }

    /// Deletes a promise or plan recorded by mistake; the ladder's pause ends with it.
    pub fn delete_agreement(&self, id: AgreementId) -> Result<Agreement> {
        let tx = self.write_tx()?;
        let a = delete_agreement_in(&tx, id)?;
        tx.commit()?;
        Ok(a)
    }

    /// Deletes one step of an invoice's timeline (the line `event`), recorded by mistake.
    pub fn delete_step_event(&self, invoice: InvoiceId, event: i64) -> Result<NaiveDate> {
        let tx = self.write_tx()?;
        let on = delete_step_event_in(&tx, invoice, event)?;
        tx.commit()?;
        Ok(on)
    }

    /// An invoice's timeline, oldest first, each line with the entry that wrote it (a
    /// payment, a note, a call, an agreement, a step) when it can be corrected.
    pub fn timeline_entries(&self, invoice: InvoiceId) -> Result<Vec<(TimelineEntry, Option<Entry>)>> {
        let conn = self.conn();
        let events = self.timeline(invoice)?;
        let symbol = symbol(conn, Some(invoice))?;
        // What each entry's line says, by (kind, day, text), oldest entry first.
        let mut said: HashMap<(EventKind, NaiveDate, String), VecDeque<Entry>> = HashMap::new();
        let mut put = |kind: EventKind, on: NaiveDate, text: &str, entry: Entry| {
            said.entry((kind, on, text.trim().to_string())).or_default().push_back(entry);
        };
        let mut payments = self.payment_lines(Some(invoice))?;
        payments.sort_by_key(|p| p.id);
        for p in &payments {
            let (kind, text) = payment_event(p.kind, p.cents, p.method.as_deref());
            put(kind, p.on, &text, Entry::Payment(p.id));
        }
        let notes: Vec<(i64, NaiveDate, String)> = conn
            .prepare_cached("SELECT id, written_on, body FROM notes WHERE invoice_id = ?1 ORDER BY id")?
            .query_map([invoice.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, on, body) in &notes {
            put(EventKind::Note, *on, body, Entry::Note(*id));
        }
        let agreements = self.agreements(invoice)?;
        let mut calls = self.calls(invoice)?;
        calls.sort_by_key(|c| c.id);
        for c in &calls {
            let terms = agreements.iter().find(|a| a.call == Some(c.id)).map(Agreement::terms);
            let kind = if c.reached { EventKind::CallLogged } else { EventKind::CallAttempted };
            put(kind, c.on, &c.to_new(terms).summary(&symbol), Entry::Call(c.id));
        }
        let mut by_id: Vec<&Agreement> = agreements.iter().collect();
        by_id.sort_by_key(|a| a.id);
        for a in by_id {
            put(EventKind::AgreementMade, a.made_on, &a.describe(&symbol), Entry::Agreement(a.id));
        }
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|i| events[*i].id);
        let mut entries = vec![None; events.len()];
        for i in order {
            let e = &events[i];
            let key = (e.kind, e.on, e.detail.trim().to_string());
            entries[i] = said
                .get_mut(&key)
                .and_then(VecDeque::pop_front)
                .or_else(|| e.kind.step().map(|s| Entry::Step(s, e.id)));
        }
        Ok(events.into_iter().zip(entries).collect())
    }
}
