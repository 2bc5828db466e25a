//! Phone calls: saving a call with its agreement and timeline events in one transaction,
//! applying payments to instalments, and reading calls back.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::events::{NewEvent, insert_event};
use super::invoices::step_bit;
use super::{Result, Store, StoreError, text_enum};
use crate::domain::agreement::{AgreementId, allocate};
use crate::domain::call::{Call, CallId, CallOutcome, NewCall};
use crate::domain::customer::CustomerId;
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, to_cents};
use crate::domain::policy::Step;

/// What saving a call created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedCall {
    pub call: CallId,
    pub agreement: Option<AgreementId>,
    /// Whether the call opened a dispute on the invoice.
    pub dispute_opened: bool,
}

pub(super) const CALL_COLUMNS: &str =
    "id, customer_id, invoice_id, called_on, reached, with_whom, outcome, follow_up,
     claimed_paid_on, claimed_reference, note";

pub(super) fn call_from(r: &Row<'_>) -> rusqlite::Result<Call> {
    Ok(Call {
        id: CallId(r.get(0)?),
        customer: CustomerId(r.get(1)?),
        invoice: r.get::<_, Option<i64>>(2)?.map(InvoiceId),
        on: r.get(3)?,
        reached: r.get(4)?,
        with: r.get(5)?,
        outcome: text_enum(r, 6)?,
        follow_up: r.get(7)?,
        claimed_paid_on: r.get(8)?,
        claimed_reference: r.get(9)?,
        note: r.get(10)?,
    })
}

/// The facts about an invoice that saving a call checks.
struct InvoiceFacts {
    customer: i64,
    open_cents: i64,
    disputed: bool,
    currency: Currency,
}

impl Store {
    /// Saves a call: the call, its agreement and instalments (ending the invoice's earlier
    /// agreement that is not yet paid), the dispute it opens, and the timeline events, all in
    /// one transaction. A reached call on an invoice marks the ladder's call step done.
    pub fn log_call(&self, c: &NewCall) -> Result<SavedCall> {
        let tx = self.write_tx()?;
        let saved = log_call_in(&tx, c)?;
        tx.commit()?;
        Ok(saved)
    }
}

/// [`Store::log_call`] inside the caller's transaction (the demo book writes calls in its own).
pub(super) fn log_call_in(tx: &rusqlite::Transaction<'_>, c: &NewCall) -> Result<SavedCall> {
    c.validate().map_err(StoreError::Invalid)?;
    let facts = match c.invoice {
        Some(id) => Some(
            tx.prepare_cached(
                "SELECT customer_id, open_cents, disputed, currency FROM invoices WHERE id = ?1",
            )?
            .query_row([id.0], |r| {
                Ok(InvoiceFacts {
                    customer: r.get(0)?,
                    open_cents: r.get(1)?,
                    disputed: r.get(2)?,
                    currency: text_enum(r, 3)?,
                })
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", id.0)))?,
        ),
        None => None,
    };
    if let Some(f) = &facts
        && f.customer != c.customer.0
    {
        return Err(StoreError::Invalid("the invoice belongs to another customer".into()));
    }
    tx.prepare_cached(
        "INSERT INTO calls (customer_id, invoice_id, called_on, reached, with_whom, outcome, follow_up,
                                claimed_paid_on, claimed_reference, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        c.customer.0,
        c.invoice.map(|i| i.0),
        c.on,
        c.reached,
        c.with.as_deref().map(str::trim),
        c.outcome.as_str(),
        c.follow_up,
        c.claimed_paid_on,
        c.claimed_reference.as_deref().map(str::trim),
        c.note.trim()
    ])?;
    let call = CallId(tx.last_insert_rowid());
    let symbol = facts.as_ref().map_or(Currency::EUR, |f| f.currency).symbol().to_string();
    let event = |kind, channel, detail: String| NewEvent {
        customer: c.customer,
        invoice: c.invoice,
        on: c.on,
        kind,
        channel,
        detail,
    };
    // Only a call that reached someone is the ladder's call step; one nobody answered is an
    // attempt (the ladder proposes the next one).
    let kind = if c.reached { EventKind::CallLogged } else { EventKind::CallAttempted };
    insert_event(tx, &event(kind, Some(Channel::Phone), c.summary(&symbol)))?;
    if let (Some(inv), true) = (c.invoice, c.reached) {
        tx.prepare_cached("UPDATE invoices SET steps_done = steps_done | ?2 WHERE id = ?1")?
            .execute(params![inv.0, step_bit(Step::Call)])?;
    }
    let mut saved = SavedCall { call, agreement: None, dispute_opened: false };
    if let (Some(a), Some(inv), Some(f)) = (&c.agreement, c.invoice, &facts) {
        let total = to_cents(a.total).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if total > f.open_cents {
            return Err(StoreError::Invalid(format!(
                "the agreement ({}) is more than the {} still open on this invoice",
                crate::domain::money::plain_amount(a.total),
                crate::domain::money::plain_amount(crate::domain::money::from_cents(f.open_cents))
            )));
        }
        // An earlier agreement still being paid is replaced by this one.
        tx.prepare_cached(
            "UPDATE agreements SET ended_on = ?2 WHERE invoice_id = ?1 AND ended_on IS NULL
                   AND EXISTS (SELECT 1 FROM instalments s WHERE s.agreement_id = agreements.id
                               AND s.paid_cents < s.amount_cents)",
        )?
        .execute(params![inv.0, c.on])?;
        tx.prepare_cached(
                "INSERT INTO agreements (invoice_id, call_id, kind, made_on, total_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![inv.0, call.0, a.kind.as_str(), c.on, total])?;
        let id = AgreementId(tx.last_insert_rowid());
        let mut ins = tx.prepare_cached(
            "INSERT INTO instalments (agreement_id, seq, due, amount_cents) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (seq, (due, amount)) in a.instalments.iter().enumerate() {
            let cents = to_cents(*amount).map_err(|e| StoreError::Invalid(e.to_string()))?;
            ins.execute(params![id.0, i64::try_from(seq).unwrap_or(i64::MAX) + 1, due, cents])?;
        }
        insert_event(tx, &event(EventKind::AgreementMade, Some(Channel::Phone), a.describe(&symbol)))?;
        saved.agreement = Some(id);
    }
    if let (CallOutcome::Dispute, Some(inv), Some(f)) = (c.outcome, c.invoice, &facts)
        && !f.disputed
    {
        tx.prepare_cached("UPDATE invoices SET disputed = 1 WHERE id = ?1")?.execute([inv.0])?;
        insert_event(tx, &event(EventKind::DisputeOpened, Some(Channel::Phone), c.note.trim().into()))?;
        saved.dispute_opened = true;
    }
    Ok(saved)
}

impl Store {
    /// An invoice's calls, newest first.
    pub fn calls(&self, invoice: InvoiceId) -> Result<Vec<Call>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE invoice_id = ?1 ORDER BY called_on DESC, id DESC"
        ))?;
        let rows = stmt.query_map([invoice.0], call_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest call about an invoice.
    pub fn last_call(&self, invoice: InvoiceId) -> Result<Option<Call>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {CALL_COLUMNS} FROM calls WHERE invoice_id = ?1 ORDER BY called_on DESC, id DESC LIMIT 1"
            ))?
            .query_row([invoice.0], call_from)
            .optional()?)
    }

    /// The calls about every open invoice, newest first per invoice: the calls (few) are read,
    /// each with a look at its invoice (rather than a list of every open invoice first).
    pub fn open_invoice_calls(&self) -> Result<std::collections::HashMap<InvoiceId, Vec<Call>>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {CALL_COLUMNS} FROM calls
             WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.id = calls.invoice_id AND i.is_open = 1)
             ORDER BY invoice_id, called_on DESC, id DESC"
        ))?;
        let mut per: std::collections::HashMap<InvoiceId, Vec<Call>> = std::collections::HashMap::new();
        for c in stmt.query_map([], call_from)? {
            let c = c?;
            if let Some(id) = c.invoice {
                per.entry(id).or_default().push(c);
            }
        }
        Ok(per)
    }

    /// The last day each customer was reached by phone (on or before `as_of`).
    pub fn customers_reached(
        &self,
        as_of: NaiveDate,
    ) -> Result<std::collections::HashMap<CustomerId, NaiveDate>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT customer_id, max(called_on) FROM calls WHERE reached = 1 AND called_on <= ?1 GROUP BY customer_id",
        )?;
        let rows = stmt.query_map([as_of], |r| Ok((CustomerId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The last day a customer was reached by phone (on or before `as_of`).
    pub fn customer_reached(&self, customer: CustomerId, as_of: NaiveDate) -> Result<Option<NaiveDate>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT max(called_on) FROM calls WHERE customer_id = ?1 AND reached = 1 AND called_on <= ?2",
            )?
            .query_row(params![customer.0, as_of], |r| r.get(0))?)
    }

    /// The newest call with a customer, about any invoice or none.
    pub fn last_customer_call(&self, customer: CustomerId) -> Result<Option<Call>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {CALL_COLUMNS} FROM calls WHERE customer_id = ?1 ORDER BY called_on DESC, id DESC LIMIT 1"
            ))?
            .query_row([customer.0], call_from)
            .optional()?)
    }

    /// Calls whose follow-up date has come (on or before `as_of`) and after which nobody
    /// called again about the same invoice (or the same customer, for calls on no invoice);
    /// calls on invoices that are settled since are left out.
    pub fn follow_ups_due(&self, as_of: NaiveDate) -> Result<Vec<Call>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {CALL_COLUMNS} FROM calls c
             WHERE c.follow_up IS NOT NULL AND c.follow_up <= ?1 AND c.called_on <= ?1
               AND (c.invoice_id IS NULL OR EXISTS (SELECT 1 FROM invoices i WHERE i.id = c.invoice_id AND i.is_open = 1))
               AND NOT EXISTS (SELECT 1 FROM calls l WHERE l.customer_id = c.customer_id
                               AND l.invoice_id IS c.invoice_id AND l.called_on <= ?1
                               AND (l.called_on > c.called_on OR (l.called_on = c.called_on AND l.id > c.id)))
             ORDER BY c.follow_up, c.id"
        ))?;
        let rows = stmt.query_map([as_of], call_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Applies a payment to the invoice's current agreement, oldest open instalment first,
/// inside the caller's transaction (the one recording the payment). What exceeds the
/// agreement is not applied to it.
pub(crate) fn apply_payment(conn: &Connection, invoice: InvoiceId, payment: i64, cents: i64) -> Result<()> {
    let agreement: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM agreements WHERE invoice_id = ?1 AND ended_on IS NULL ORDER BY made_on DESC, id DESC LIMIT 1",
        )?
        .query_row([invoice.0], |r| r.get(0))
        .optional()?;
    let Some(agreement) = agreement else { return Ok(()) };
    apply_to(conn, agreement, payment, cents)
}

/// Applies `cents` of a payment to one agreement, oldest open instalment first.
pub(super) fn apply_to(conn: &Connection, agreement: i64, payment: i64, cents: i64) -> Result<()> {
    let open: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT id, amount_cents - paid_cents FROM instalments
             WHERE agreement_id = ?1 AND paid_cents < amount_cents ORDER BY seq",
        )?
        .query_map([agreement], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let remaining: Vec<i64> = open.iter().map(|(_, r)| *r).collect();
    let mut link = conn.prepare_cached(
        "INSERT INTO instalment_payments (instalment_id, payment_id, amount_cents) VALUES (?1, ?2, ?3)",
    )?;
    let mut bump =
        conn.prepare_cached("UPDATE instalments SET paid_cents = paid_cents + ?2 WHERE id = ?1")?;
    for (i, applied) in allocate(&remaining, cents) {
        let id = open[i].0;
        link.execute(params![id, payment, applied])?;
        bump.execute(params![id, applied])?;
    }
    Ok(())
}

/// The agreements a payment was applied to.
pub(crate) fn agreements_paid_by(conn: &Connection, payment: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT i.agreement_id FROM instalment_payments ip JOIN instalments i ON i.id = ip.instalment_id
         WHERE ip.payment_id = ?1 ORDER BY 1",
    )?;
    let rows = stmt.query_map([payment], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Applies again, in the order they were recorded and through [`apply_payment`]'s own rule,
/// the payments applied to an agreement, after one of them was changed or deleted: the
/// allocation is what it would have been had the payment been right from the start.
pub(crate) fn reallocate(conn: &Connection, agreement: i64) -> Result<()> {
    let paid: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT DISTINCT p.id, p.amount_cents FROM instalment_payments ip
             JOIN instalments i ON i.id = ip.instalment_id JOIN payments p ON p.id = ip.payment_id
             WHERE i.agreement_id = ?1 ORDER BY p.id",
        )?
        .query_map([agreement], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached(
        "DELETE FROM instalment_payments WHERE instalment_id IN (SELECT id FROM instalments WHERE agreement_id = ?1)",
    )?
    .execute([agreement])?;
    conn.prepare_cached("UPDATE instalments SET paid_cents = 0 WHERE agreement_id = ?1 AND paid_cents != 0")?
        .execute([agreement])?;
    for (payment, cents) in paid {
        apply_to(conn, agreement, payment, cents)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
