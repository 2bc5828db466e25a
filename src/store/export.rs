//! Everything in the book, row by row, for `settle export`.

use chrono::NaiveDate;

use super::{Result, Store, text_enum};
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::PaymentKind;
use crate::domain::money::Currency;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceExport {
    pub number: String,
    pub customer: String,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub reference: Option<String>,
    pub description: String,
    pub open_cents: i64,
    pub disputed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentExport {
    pub invoice: String,
    pub customer: String,
    pub on: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventExport {
    pub customer: String,
    pub invoice: Option<String>,
    pub on: NaiveDate,
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub detail: String,
}

impl Store {
    /// Every invoice, in the order they were added.
    pub fn export_invoices(&self) -> Result<Vec<InvoiceExport>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.number, c.name, i.issued, i.due, i.amount_cents, i.currency, i.reference, i.description,
                    i.open_cents, i.disputed
             FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(InvoiceExport {
                number: r.get(0)?,
                customer: r.get(1)?,
                issued: r.get(2)?,
                due: r.get(3)?,
                amount_cents: r.get(4)?,
                currency: text_enum(r, 5)?,
                reference: r.get(6)?,
                description: r.get(7)?,
                open_cents: r.get(8)?,
                disputed: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every payment, credit and write-off, in the order they were recorded.
    pub fn export_payments(&self) -> Result<Vec<PaymentExport>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.number, c.name, p.paid_on, p.amount_cents, i.currency, p.kind, p.method, p.note
             FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN customers c ON c.id = i.customer_id
             ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PaymentExport {
                invoice: r.get(0)?,
                customer: r.get(1)?,
                on: r.get(2)?,
                amount_cents: r.get(3)?,
                currency: text_enum(r, 4)?,
                kind: text_enum(r, 5)?,
                method: r.get(6)?,
                note: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The whole timeline, oldest first.
    pub fn export_events(&self) -> Result<Vec<EventExport>> {
        let mut stmt = self.conn().prepare(
            "SELECT c.name, i.number, e.on_date, e.kind, e.channel, e.detail
             FROM events e JOIN customers c ON c.id = e.customer_id LEFT JOIN invoices i ON i.id = e.invoice_id
             ORDER BY e.on_date, e.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let channel: Option<String> = r.get(4)?;
            Ok(EventExport {
                customer: r.get(0)?,
                invoice: r.get(1)?,
                on: r.get(2)?,
                kind: text_enum(r, 3)?,
                channel: channel.and_then(|c| c.parse().ok()),
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
