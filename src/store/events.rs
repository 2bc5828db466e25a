//! The append-only timeline, steps taken and disputes.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, text_enum};
use crate::domain::customer::CustomerId;
use crate::domain::event::{Channel, EventKind, TimelineEntry};
use crate::domain::invoice::InvoiceId;
use crate::domain::policy::Step;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub customer: CustomerId,
    pub invoice: Option<InvoiceId>,
    pub on: NaiveDate,
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub detail: String,
}

impl NewEvent {
    /// An event on one of `customer`'s invoices; the detail is kept trimmed.
    pub fn on_invoice(
        customer: CustomerId,
        invoice: InvoiceId,
        on: NaiveDate,
        kind: EventKind,
        channel: Option<Channel>,
        detail: &str,
    ) -> NewEvent {
        NewEvent { customer, invoice: Some(invoice), on, kind, channel, detail: detail.trim().to_string() }
    }
}

/// Inserts one event; takes a `&Connection` so it runs inside the caller's transaction.
pub(crate) fn insert_event(conn: &Connection, e: &NewEvent) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO events (customer_id, invoice_id, on_date, kind, channel, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![e.customer.0, e.invoice.map(|i| i.0), e.on, e.kind.as_str(), e.channel.map(|c| c.as_str()), e.detail])?;
    Ok(conn.last_insert_rowid())
}

/// [`Store::set_dispute`] inside the caller's transaction (the demo book writes its disputes
/// in its own).
pub(crate) fn set_dispute_in(
    conn: &Connection,
    invoice: InvoiceId,
    open: bool,
    on: NaiveDate,
    detail: &str,
) -> Result<()> {
    let (customer, disputed): (i64, bool) = conn
        .prepare_cached("SELECT customer_id, disputed FROM invoices WHERE id = ?1")?
        .query_row([invoice.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", invoice.0)))?;
    if disputed == open {
        return Err(StoreError::Invalid(
            if open { "this invoice is already disputed" } else { "this invoice has no open dispute" }.into(),
        ));
    }
    conn.prepare_cached("UPDATE invoices SET disputed = ?2 WHERE id = ?1")?
        .execute(params![invoice.0, open])?;
    let kind = if open { EventKind::DisputeOpened } else { EventKind::DisputeResolved };
    insert_event(conn, &NewEvent::on_invoice(CustomerId(customer), invoice, on, kind, None, detail))?;
    Ok(())
}

impl Store {
    /// Records a ladder step as done on an invoice: the event and the invoice's step marks,
    /// in one transaction. A letter step already recorded is refused (calls may repeat), and
    /// so is handing a disputed invoice to an agency.
    pub fn record_step(
        &self,
        invoice: InvoiceId,
        step: Step,
        on: NaiveDate,
        channel: Option<Channel>,
        detail: &str,
    ) -> Result<i64> {
        let tx = self.write_tx()?;
        let id = super::letters::record_in(&tx, invoice, step.event_kind(), on, channel, detail, None)?;
        tx.commit()?;
        Ok(id)
    }

    /// Records one step as done on several invoices (a customer's group on Today) in one
    /// transaction, so one undo takes them all back. The ids of the events, in order.
    pub fn record_steps(
        &self,
        invoices: &[InvoiceId],
        step: Step,
        on: NaiveDate,
        channel: Option<Channel>,
        detail: &str,
    ) -> Result<Vec<i64>> {
        let tx = self.write_tx()?;
        let ids = invoices
            .iter()
            .map(|invoice| {
                super::letters::record_in(&tx, *invoice, step.event_kind(), on, channel, detail, None)
            })
            .collect::<Result<Vec<i64>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// Opens (`true`) or resolves (`false`) a dispute on an invoice, with its event.
    pub fn set_dispute(&self, invoice: InvoiceId, open: bool, on: NaiveDate, detail: &str) -> Result<()> {
        let tx = self.write_tx()?;
        set_dispute_in(&tx, invoice, open, on, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Resolves the dispute on an invoice and records the credit it ended with (a payment row
    /// of kind credit, checked as every reduction is), in one transaction: one change of the
    /// log, undone as one.
    pub fn resolve_dispute_with(
        &self,
        invoice: InvoiceId,
        on: NaiveDate,
        detail: &str,
        credit: &crate::domain::invoice::NewPayment,
    ) -> Result<()> {
        let cents =
            crate::domain::money::to_cents(credit.amount).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let tx = self.write_tx()?;
        set_dispute_in(&tx, invoice, false, on, detail)?;
        super::invoices::insert_payment(
            &tx,
            &super::invoices::Reduction {
                invoice: credit.invoice,
                on: credit.on,
                cents,
                kind: credit.kind,
                method: credit.method.as_deref(),
                note: &credit.note,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// An invoice's timeline, oldest first.
    pub fn timeline(&self, invoice: InvoiceId) -> Result<Vec<TimelineEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, invoice_id, on_date, kind, channel, detail FROM events WHERE invoice_id = ?1 ORDER BY on_date, id",
        )?;
        let rows = stmt.query_map([invoice.0], |r| {
            let channel: Option<String> = r.get(4)?;
            Ok(TimelineEntry {
                id: r.get(0)?,
                invoice: r.get::<_, Option<i64>>(1)?.map(InvoiceId),
                on: r.get(2)?,
                kind: text_enum(r, 3)?,
                channel: channel.and_then(|c| c.parse().ok()),
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
