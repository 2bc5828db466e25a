//! A scratch copy of the open invoices, in a temporary database of its own: a bank import
//! compares each line that names no invoice with them, found by amount and by customer
//! through the copy's indexes. The import holds none of a large book's open invoices in
//! memory (a million-invoice book has 280,000, 20 MB as a list), and reads none of them
//! line after line from the book itself, where its own transaction's write-ahead log, a
//! gigabyte by then, is searched for every page read.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::screens::iso_date;
use super::{OpenInvoice, Result, StoreError};
use crate::domain::customer::CustomerId;
use crate::domain::money::Currency;

/// The scratch database's page cache: it stays in memory up to this, then in its file.
const SCRATCH_CACHE_KIB: i64 = 1024;

/// An open invoice as the scratch copy gives it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScratchInvoice {
    pub number: String,
    pub customer_id: CustomerId,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub open_cents: i64,
    pub currency: Currency,
}

/// The open invoices of a book, copied while they are added, indexed once every one is.
pub struct OpenScratch {
    conn: Connection,
}

const COLUMNS: &str = "number, customer_id, due, amount_cents, open_cents, currency";

impl OpenScratch {
    /// An empty copy: a private database SQLite deletes when it is closed, in memory until
    /// its cache is full and in a temporary file after, never in the book's own file.
    pub fn new() -> Result<OpenScratch> {
        let conn = Connection::open("")?;
        conn.pragma_update(None, "temp_store", "FILE")?;
        conn.pragma_update(None, "cache_size", -SCRATCH_CACHE_KIB)?;
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.execute_batch(
            "CREATE TABLE open (number TEXT NOT NULL, customer_id INTEGER NOT NULL, due TEXT NOT NULL,
                                amount_cents INTEGER NOT NULL, open_cents INTEGER NOT NULL,
                                currency TEXT NOT NULL);
             BEGIN;",
        )?;
        Ok(OpenScratch { conn })
    }

    /// Adds an open invoice (in any order).
    pub fn add(&self, inv: &OpenInvoice<'_>) -> Result<()> {
        self.conn
            .prepare_cached(&format!("INSERT INTO open ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"))?
            .execute(params![
            inv.number,
            inv.customer_id.0,
            inv.due,
            inv.amount_cents,
            inv.open_cents,
            inv.currency.as_str()
        ])?;
        Ok(())
    }

    /// Once every open invoice was added: indexes them by open amount, the part paid ones
    /// by invoice amount, and by customer, each with every column, so the invoices of an
    /// amount or a customer are read from the index alone, never looked up in the table (at
    /// 1M invoices an amount has hundreds, and the table spills to the temporary file).
    pub fn done(&self) -> Result<()> {
        self.conn.execute_batch(&format!(
            "CREATE INDEX open_by_open ON open (open_cents, {COLUMNS});
             CREATE INDEX open_part_paid ON open (amount_cents, {COLUMNS}) WHERE open_cents <> amount_cents;
             CREATE INDEX open_by_customer ON open (customer_id, due, number, {COLUMNS});
             COMMIT;"
        ))?;
        Ok(())
    }

    /// Gives `each` the open invoices whose open amount is `cents`, and those part paid whose
    /// invoice amount is, in no order, as the rows are read: an amount has hundreds of
    /// invoices in a large book, and a line keeps three.
    pub fn each_of_cents(
        &self,
        cents: i64,
        mut each: impl FnMut(&ScratchRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM open INDEXED BY open_by_open WHERE open_cents = ?1
             UNION ALL
             SELECT {COLUMNS} FROM open INDEXED BY open_part_paid
              WHERE open_cents <> amount_cents AND amount_cents = ?1"
        ))?;
        let mut rows = stmt.query([cents])?;
        while let Some(r) = rows.next()? {
            each(&ScratchRow::read(r)?)?;
        }
        Ok(())
    }

    /// A customer's open invoices, by due date then number.
    pub fn of_customer(&self, customer: CustomerId) -> Result<Vec<ScratchInvoice>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM open INDEXED BY open_by_customer WHERE customer_id = ?1
             ORDER BY due, number"
        ))?;
        let mut rows = stmt.query([customer.0])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ScratchRow::read(r)?.owned()?);
        }
        Ok(out)
    }
}

/// An open invoice of the scratch copy as it is read, borrowing its text from the row.
#[derive(Debug, Clone, Copy)]
pub struct ScratchRow<'r> {
    pub number: &'r str,
    pub customer_id: CustomerId,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub open_cents: i64,
    /// The currency's code as stored (parsed by [`ScratchRow::owned`]).
    pub currency: &'r str,
}

impl<'r> ScratchRow<'r> {
    fn read(r: &'r rusqlite::Row<'_>) -> Result<ScratchRow<'r>> {
        let text = |i: usize| r.get_ref(i).and_then(|v| v.as_str().map_err(rusqlite::Error::from));
        let due = text(2)?;
        Ok(ScratchRow {
            number: text(0)?,
            customer_id: CustomerId(r.get(1)?),
            due: match iso_date(due) {
                Some(d) => d,
                None => r.get(2)?,
            },
            amount_cents: r.get(3)?,
            open_cents: r.get(4)?,
            currency: text(5)?,
        })
    }

    /// The invoice, its number copied and its currency parsed.
    pub fn owned(&self) -> Result<ScratchInvoice> {
        Ok(ScratchInvoice {
            number: self.number.to_string(),
            customer_id: self.customer_id,
            due: self.due,
            amount_cents: self.amount_cents,
            open_cents: self.open_cents,
            currency: self.currency.parse().map_err(|_| {
                StoreError::Invalid(format!("the scratch copy has an unknown currency {:?}", self.currency))
            })?,
        })
    }
}
