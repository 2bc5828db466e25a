//! Everything in the book, row by row, for `settle export`. Each row is handed to the caller
//! as it is read, its text borrowed from SQLite's row: nothing is collected, so a book of a
//! million invoices exports in the memory of one row.

use rusqlite::Row;

use super::screens::iso_date;
use super::{Store, StoreError};
use crate::domain::event::{Channel, EventKind};
use crate::domain::idmap::IdMap;
use crate::domain::invoice::PaymentKind;
use crate::domain::money::Currency;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceExport<'a> {
    pub number: &'a str,
    pub customer: &'a str,
    /// `YYYY-MM-DD`, checked.
    pub issued: &'a str,
    pub due: &'a str,
    pub amount_cents: i64,
    pub currency: Currency,
    pub reference: Option<&'a str>,
    pub description: &'a str,
    pub open_cents: i64,
    pub disputed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentExport<'a> {
    pub invoice: &'a str,
    pub customer: &'a str,
    /// `YYYY-MM-DD`, checked.
    pub on: &'a str,
    pub amount_cents: i64,
    pub currency: Currency,
    pub kind: PaymentKind,
    pub method: Option<&'a str>,
    pub note: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventExport<'a> {
    pub customer: &'a str,
    pub invoice: Option<&'a str>,
    /// `YYYY-MM-DD`, checked.
    pub on: &'a str,
    pub kind: EventKind,
    pub channel: Option<Channel>,
    pub detail: &'a str,
}

/// Column `i` as text borrowed from the row.
pub(super) fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)
}

fn opt_text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(rusqlite::Error::from)
}

/// A stored date, passed on as it is stored once it reads as a real `YYYY-MM-DD` day.
fn date<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    let t = text(r, i)?;
    match iso_date(t) {
        Some(_) => Ok(t),
        None => Err(rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("not a date: {t}").into(),
        )),
    }
}

/// A stored name of a closed set (a currency, a kind, a channel).
fn parsed<T>(r: &Row<'_>, i: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    text(r, i)?
        .parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// A read error, as the caller's error.
pub(super) fn db<E: From<StoreError>>(e: rusqlite::Error) -> E {
    E::from(StoreError::from(e))
}

impl Store {
    /// Every customer's name, by id.
    pub(crate) fn customer_names(&self) -> super::Result<IdMap<i64, String>> {
        let mut stmt = self.conn().prepare_cached("SELECT id, name FROM customers")?;
        let names = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// Every invoice, in the order they were added, one at a time to `f`. The customers'
    /// names are read once, before (a look-up in the customers' table for each of a million
    /// invoices costs more than the rest of the row).
    pub fn each_export_invoice<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&InvoiceExport<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let names = self.customer_names().map_err(E::from)?;
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT i.number, i.customer_id, i.issued, i.due, i.amount_cents, i.currency, i.reference,
                        i.description, i.open_cents, i.disputed
                 FROM invoices i ORDER BY i.id",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let row = (|| -> rusqlite::Result<InvoiceExport<'_>> {
                let customer: i64 = r.get(1)?;
                Ok(InvoiceExport {
                    number: text(r, 0)?,
                    customer: names
                        .get(&customer)
                        .map(String::as_str)
                        .ok_or(rusqlite::Error::QueryReturnedNoRows)?,
                    issued: date(r, 2)?,
                    due: date(r, 3)?,
                    amount_cents: r.get(4)?,
                    currency: parsed(r, 5)?,
                    reference: opt_text(r, 6)?,
                    description: text(r, 7)?,
                    open_cents: r.get(8)?,
                    disputed: r.get(9)?,
                })
            })()
            .map_err(db)?;
            f(&row)?;
        }
        Ok(())
    }

    /// Every payment, credit and write-off, in the order they were recorded, one at a time.
    pub fn each_export_payment<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&PaymentExport<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT i.number, c.name, p.paid_on, p.amount_cents, i.currency, p.kind, p.method, p.note
             FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN customers c ON c.id = i.customer_id
             ORDER BY p.id",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let row = (|| -> rusqlite::Result<PaymentExport<'_>> {
                Ok(PaymentExport {
                    invoice: text(r, 0)?,
                    customer: text(r, 1)?,
                    on: date(r, 2)?,
                    amount_cents: r.get(3)?,
                    currency: parsed(r, 4)?,
                    kind: parsed(r, 5)?,
                    method: opt_text(r, 6)?,
                    note: text(r, 7)?,
                })
            })()
            .map_err(db)?;
            f(&row)?;
        }
        Ok(())
    }

    /// The whole timeline, oldest first, one event at a time. The events are read in the
    /// order they were written (`NOT INDEXED`: left to itself, SQLite reads them through the
    /// customers' index, one look-up each, three times slower on a large book) and sorted
    /// by SQLite.
    pub fn each_export_event<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&EventExport<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT c.name, i.number, e.on_date, e.kind, e.channel, e.detail
             FROM events e NOT INDEXED JOIN customers c ON c.id = e.customer_id
             LEFT JOIN invoices i ON i.id = e.invoice_id
             ORDER BY e.on_date, e.id",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let row = (|| -> rusqlite::Result<EventExport<'_>> {
                Ok(EventExport {
                    customer: text(r, 0)?,
                    invoice: opt_text(r, 1)?,
                    on: date(r, 2)?,
                    kind: parsed(r, 3)?,
                    channel: opt_text(r, 4)?.and_then(|c| c.parse().ok()),
                    detail: text(r, 5)?,
                })
            })()
            .map_err(db)?;
            f(&row)?;
        }
        Ok(())
    }
}
