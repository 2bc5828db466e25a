//! A scratch copy of the open invoices, in a temporary database of its own: a bank import
//! compares each line that names no invoice with them, found by amount and by customer
//! through the copy's indexes. The import holds none of a large book's open invoices in
//! memory (a million-invoice book has 280,000, 20 MB as a list), and reads none of them
//! line after line from the book itself, where its own transaction's write-ahead log, a
//! gigabyte by then, is searched for every page read.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{OpenInvoice, Result, text_enum};
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
    /// by invoice amount, and by customer (with every column, so a customer's invoices are
    /// read from the index alone, by due date then number).
    pub fn done(&self) -> Result<()> {
        self.conn.execute_batch(&format!(
            "CREATE INDEX open_by_open ON open (open_cents);
             CREATE INDEX open_part_paid ON open (amount_cents) WHERE open_cents <> amount_cents;
             CREATE INDEX open_by_customer ON open (customer_id, due, number, {COLUMNS});
             COMMIT;"
        ))?;
        Ok(())
    }

    /// The open invoices whose open amount is `cents`, and those part paid whose invoice
    /// amount is, in no order.
    pub fn of_cents(&self, cents: i64) -> Result<Vec<ScratchInvoice>> {
        self.rows(
            &format!(
                "SELECT {COLUMNS} FROM open WHERE open_cents = ?1
                 UNION ALL
                 SELECT {COLUMNS} FROM open WHERE open_cents <> amount_cents AND amount_cents = ?1"
            ),
            cents,
        )
    }

    /// A customer's open invoices, by due date then number.
    pub fn of_customer(&self, customer: CustomerId) -> Result<Vec<ScratchInvoice>> {
        self.rows(
            &format!(
                "SELECT {COLUMNS} FROM open INDEXED BY open_by_customer WHERE customer_id = ?1
                 ORDER BY due, number"
            ),
            customer.0,
        )
    }

    fn rows(&self, sql: &str, key: i64) -> Result<Vec<ScratchInvoice>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([key])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ScratchInvoice {
                number: r.get(0)?,
                customer_id: CustomerId(r.get(1)?),
                due: r.get(2)?,
                amount_cents: r.get(3)?,
                open_cents: r.get(4)?,
                currency: text_enum(r, 5)?,
            });
        }
        Ok(out)
    }
}
