//! What imports need inside their one transaction (a [`BookWriter`]): look-ups to match
//! rows against the book, updates, payments and the records that make imports idempotent.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::bulk::BookWriter;
use super::customers::customer_in;
use super::invoices::{Reduction, insert_payment};
use super::{CacheSettings, Result, text_enum};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::invoice::InvoiceId;
use crate::domain::money::Currency;
use crate::domain::reference::PayRef;

/// A customer as an import matches it: by name (ignoring case) or by VAT number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerKey {
    pub id: CustomerId,
    pub name: String,
    pub vat: Option<String>,
    pub terms_days: u32,
}

/// An invoice already in the book, as an import compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptInvoice {
    pub id: InvoiceId,
    pub number: String,
    pub customer_id: CustomerId,
    pub customer: String,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub description: String,
    pub reference: Option<PayRef>,
    pub open_cents: i64,
}

/// An open invoice as an import compares a bank line with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice<'a> {
    pub number: &'a str,
    pub customer_id: CustomerId,
    pub customer: &'a str,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub open_cents: i64,
    pub currency: Currency,
}

/// New values for an invoice's own fields (`--update`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceUpdate {
    pub customer_id: CustomerId,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub description: String,
    pub reference: Option<PayRef>,
}

/// What identifies a bank line (see [`BookWriter::bank_entry`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankKey<'a> {
    pub account: &'a str,
    pub booked: NaiveDate,
    pub cents: i64,
    pub seq: u32,
    pub format: &'a str,
    pub reference: Option<&'a str>,
}

/// Which bank entries [`BookWriter::bank_entry`] looks among.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Among {
    /// All of them, through their index (`bank_entries_line`).
    All,
    /// Those up to this id, the book's before a long statement's import, through their own
    /// index while the whole one is built again (`bank_entries_before`, see
    /// [`DeferredIndexes::entries_before`](super::DeferredIndexes::entries_before)).
    UpTo(i64),
    /// This one.
    Id(i64),
}

/// A bank line already dealt with: how (`matched`, `chosen`, `linked`, `ignored`), and the
/// payment and invoice it went to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntry {
    pub how: String,
    pub payment: Option<i64>,
    pub invoice: Option<String>,
}

/// A credit note already imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptCreditNote {
    pub customer_id: CustomerId,
    pub issued: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
}

/// A credit note to remember, with what it could not reduce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCreditNote<'a> {
    pub number: &'a str,
    pub customer_id: CustomerId,
    pub issued: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub invoice_number: Option<&'a str>,
    pub unapplied_cents: i64,
}

const KEPT_COLUMNS: &str =
    "i.id, i.number, i.customer_id, c.name, i.issued, i.due, i.amount_cents, i.currency,
     i.description, i.reference, i.open_cents";

fn kept_from(r: &Row<'_>) -> rusqlite::Result<KeptInvoice> {
    let reference: Option<String> = r.get(9)?;
    Ok(KeptInvoice {
        id: InvoiceId(r.get(0)?),
        number: r.get(1)?,
        customer_id: CustomerId(r.get(2)?),
        customer: r.get(3)?,
        issued: r.get(4)?,
        due: r.get(5)?,
        amount_cents: r.get(6)?,
        currency: text_enum(r, 7)?,
        description: r.get(8)?,
        reference: reference.and_then(|s| s.parse().ok()),
        open_cents: r.get(10)?,
    })
}

impl super::Store {
    /// Gives one big transaction 8 MiB of page cache instead of SQLite's 2 MiB (64 MiB took
    /// 0.6 s less of a 100,000-line bank import's 9 s, but 60 MB more at its peak; 16 MiB was
    /// no faster); and keeps each statement's own journal (the pages a statement changes,
    /// kept until it is done, in case it fails half-way) in memory: SQLite writes it to a
    /// temporary file from 64 KiB on, and then every later statement of the transaction
    /// journals there, a system call a page (80 % of a 100,000-line bank import's time).
    /// Returns the settings it replaced, for [`Store::put_back`] once the write is over.
    pub fn prepare_for_bulk_write(&self) -> Result<CacheSettings> {
        let before = self.settings()?;
        self.conn().pragma_update(None, "cache_size", -8192)?;
        self.conn().pragma_update(None, "temp_store", "MEMORY")?;
        Ok(before)
    }
}

impl BookWriter<'_> {
    /// The book's currency (the `currency` setting, EUR when unset).
    pub fn book_currency(&self) -> Result<Currency> {
        let value: Option<String> = self
            .tx
            .prepare_cached("SELECT value FROM meta WHERE key = 'currency'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(value.and_then(|c| c.parse().ok()).unwrap_or_default())
    }

    /// Every customer's name, VAT number and payment terms.
    pub fn customer_keys(&self) -> Result<Vec<CustomerKey>> {
        let mut stmt =
            self.tx.prepare_cached("SELECT id, name, vat, terms_days FROM customers ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(CustomerKey {
                id: CustomerId(r.get(0)?),
                name: r.get(1)?,
                vat: r.get(2)?,
                terms_days: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Fills a customer's empty contact fields (never overwrites one); true if any changed.
    pub fn fill_customer_blanks(
        &self,
        id: CustomerId,
        contact: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
        vat: Option<&str>,
        address: Option<&str>,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE customers SET contact = COALESCE(contact, ?2), email = COALESCE(email, ?3),
                        phone = COALESCE(phone, ?4), vat = COALESCE(vat, ?5), address = COALESCE(address, ?6)
                 WHERE id = ?1 AND ((contact IS NULL AND ?2 IS NOT NULL) OR (email IS NULL AND ?3 IS NOT NULL)
                        OR (phone IS NULL AND ?4 IS NOT NULL) OR (vat IS NULL AND ?5 IS NOT NULL)
                        OR (address IS NULL AND ?6 IS NOT NULL))",
            )?
            .execute(params![id.0, contact, email, phone, vat, address])?;
        Ok(n > 0)
    }

    /// A customer's full record, by id.
    pub fn customer_record(&self, id: CustomerId) -> Result<NewCustomer> {
        Ok(customer_in(&self.tx, id)?.to_new())
    }

    /// Replaces a customer's fields (`--update` of a customers import).
    pub fn update_customer(&self, id: CustomerId, c: &NewCustomer) -> Result<()> {
        super::customers::update_customer_in(&self.tx, id, c)
    }

    /// Whether the book knows the invoice's own PDF.
    pub fn invoice_has_pdf(&self, id: InvoiceId) -> Result<bool> {
        let pdf: Option<String> = self
            .tx
            .prepare_cached("SELECT pdf FROM invoices WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))?;
        Ok(pdf.is_some())
    }

    /// Keeps the path of the invoice's own PDF (a file the import wrote beside the book).
    pub fn set_invoice_pdf(&self, id: InvoiceId, pdf: &std::path::Path) -> Result<()> {
        super::invoices::set_invoice_pdf_in(&self.tx, id, Some(pdf))
    }

    /// The invoice with this number, if the book has it.
    pub fn kept_invoice(&self, number: &str) -> Result<Option<KeptInvoice>> {
        Ok(self
            .tx
            .prepare_cached(&format!(
                "SELECT {KEPT_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.number = ?1"
            ))?
            .query_row([number.trim()], kept_from)
            .optional()?)
    }

    /// The invoices carrying this structured reference (normally one).
    pub fn invoices_with_reference(&self, reference: PayRef) -> Result<Vec<KeptInvoice>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {KEPT_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.reference = ?1 ORDER BY i.id"
        ))?;
        let rows = stmt.query_map([reference.to_string()], kept_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's open invoices in one currency, oldest due date first.
    pub fn open_invoices_of(&self, customer: CustomerId, currency: Currency) -> Result<Vec<KeptInvoice>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {KEPT_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.customer_id = ?1 AND i.currency = ?2 AND i.is_open = 1 ORDER BY i.due, i.number"
        ))?;
        let rows = stmt.query_map(params![customer.0, currency.as_str()], kept_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes an invoice's own fields, keeping what was already paid on it: the open amount
    /// becomes the new amount less the payments, and may not go below zero.
    pub fn update_invoice(&self, id: InvoiceId, u: &InvoiceUpdate) -> Result<()> {
        super::invoices::update_invoice_in(&self.tx, id, u)
    }

    /// Records a payment, credit or write-off in the import's transaction, as every writer
    /// does (see [`insert_payment`]).
    pub fn add_reduction(&self, p: &Reduction<'_>) -> Result<i64> {
        insert_payment(&self.tx, p)
    }

    /// What became of a bank line already dealt with, if it was: the same account (or
    /// either unknown), booking date and amount, and the same bank reference when both lines
    /// come from the same format and have one, else the same rank. Among every entry, or
    /// only some of them while a long statement builds their index again ([`Among`]).
    pub fn bank_entry(&self, key: &BankKey<'_>, among: Among) -> Result<Option<KnownEntry>> {
        // The one rule of a line's sameness, whichever entries it is looked for among.
        const SAME_LINE: &str =
            "e.booked = ?2 AND e.amount_cents = ?3 AND (e.account = ?1 OR e.account = '' OR ?1 = '')
                AND CASE WHEN e.format = ?4 AND e.reference IS NOT NULL AND ?5 IS NOT NULL
                         THEN e.reference = ?5 ELSE e.seq = ?6 END";
        let (from, only, id) = match among {
            Among::All => ("bank_entries e", String::new(), None),
            // A literal, so that SQLite can tell the partial index holds every such entry.
            Among::UpTo(last) => {
                ("bank_entries e INDEXED BY bank_entries_before", format!("e.id <= {last} AND "), None)
            }
            Among::Id(id) => ("bank_entries e", "e.id = ?7 AND ".to_string(), Some(id)),
        };
        Ok(self
            .tx
            .prepare_cached(&format!(
                "SELECT e.how, e.payment_id, i.number FROM {from}
                   LEFT JOIN payments p ON p.id = e.payment_id LEFT JOIN invoices i ON i.id = p.invoice_id
                  WHERE {only}{SAME_LINE}
                  ORDER BY e.id LIMIT 1"
            ))?
            .query_row(
                &params![key.account, key.booked, key.cents, key.format, key.reference, key.seq, id]
                    [..if id.is_some() { 7 } else { 6 }],
                |r| Ok(KnownEntry { how: r.get(0)?, payment: r.get(1)?, invoice: r.get(2)? }),
            )
            .optional()?)
    }

    /// Remembers a bank line: matched to, chosen for or linked to a payment, or set aside.
    /// Returns its id.
    pub fn record_bank_entry(&self, key: &BankKey<'_>, payment: Option<i64>, how: &str) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO bank_entries (account, booked, amount_cents, seq, format, reference, payment_id, how)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![key.account, key.booked, key.cents, key.seq, key.format, key.reference, payment, how])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// A payment recorded by hand (no bank line behind it yet) of this amount, within a week
    /// of `on`, on `invoice` if given: the nearest in date.
    pub fn unlinked_payment(
        &self,
        cents: i64,
        on: NaiveDate,
        invoice: Option<InvoiceId>,
    ) -> Result<Option<(i64, String, NaiveDate)>> {
        let from = crate::domain::dates::add_days(on, -7);
        let to = crate::domain::dates::add_days(on, 7);
        // With an invoice, its payments by day (`payments_invoice`); without, the payments of
        // the amount by day (`payments_amount`).
        let sql = match invoice {
            Some(_) => {
                "SELECT p.id, i.number, p.paid_on FROM payments p INDEXED BY payments_invoice
                   JOIN invoices i ON i.id = p.invoice_id
                  WHERE p.invoice_id = ?4 AND p.paid_on BETWEEN ?2 AND ?3 AND p.amount_cents = ?1
                    AND p.kind = 'payment'
                    AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.payment_id = p.id)
                  ORDER BY abs(julianday(p.paid_on) - julianday(?5)), p.id LIMIT 1"
            }
            None => {
                "SELECT p.id, i.number, p.paid_on FROM payments p INDEXED BY payments_amount
                   JOIN invoices i ON i.id = p.invoice_id
                  WHERE p.amount_cents = ?1 AND p.paid_on BETWEEN ?2 AND ?3
                    AND p.kind = 'payment'
                    AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.payment_id = p.id)
                  ORDER BY abs(julianday(p.paid_on) - julianday(?5)), p.id LIMIT 1"
            }
        };
        Ok(self
            .tx
            .prepare_cached(sql)?
            .query_row(params![cents, from, to, invoice.map(|i| i.0), on], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// Hands back the page cache the transaction has used so far: writes its changed pages
    /// out (to the write-ahead log, still uncommitted) and keeps 1 MiB from then on. For an
    /// import whose writes are done and whose reads go in order (then a scratch copy of the
    /// open invoices): at 1M, 8 MiB given back before the copy is made.
    pub fn release_cache(&self) -> Result<()> {
        self.tx.cache_flush()?;
        self.tx.pragma_update(None, "cache_size", -1024)?;
        self.tx.release_memory()?;
        Ok(())
    }

    /// Every open invoice as an import compares a bank line with it (the candidates for a
    /// line that names none, as this transaction leaves the book), one at a time, in no order.
    /// Read from the covering index of the open invoices, each customer's name looked up: the
    /// planner's own choice, the narrower index by currency, looks up every invoice's row
    /// for its number (6.5 s against 1.6 s in `sqlite3` for a million open invoices).
    pub fn each_open_invoice(&self, each: &mut dyn FnMut(&OpenInvoice<'_>) -> Result<()>) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT i.number, i.customer_id, c.name, i.due, i.amount_cents, i.open_cents, i.currency
               FROM invoices i INDEXED BY invoices_open_rows CROSS JOIN customers c ON c.id = i.customer_id
              WHERE i.is_open = 1",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let currency: Currency = text_enum(r, 6)?;
            let text = |i: usize| r.get_ref(i).and_then(|v| v.as_str().map_err(rusqlite::Error::from));
            each(&OpenInvoice {
                number: text(0)?,
                customer_id: CustomerId(r.get(1)?),
                customer: text(2)?,
                due: r.get(3)?,
                amount_cents: r.get(4)?,
                open_cents: r.get(5)?,
                currency,
            })?;
        }
        Ok(())
    }

    /// Remembers that a customer paid from this account.
    pub fn remember_account(&self, customer: CustomerId, iban: &str, on: NaiveDate) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO customer_accounts (iban, customer_id, first_seen) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![iban, customer.0, on])?;
        Ok(())
    }

    /// The customers who paid from this account before.
    pub fn account_customers(&self, iban: &str) -> Result<Vec<CustomerId>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT customer_id FROM customer_accounts WHERE iban = ?1 ORDER BY customer_id",
        )?;
        let rows = stmt.query_map([iban], |r| Ok(CustomerId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A credit note already imported, by number.
    pub fn kept_credit_note(&self, number: &str) -> Result<Option<KeptCreditNote>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT customer_id, issued, amount_cents, currency FROM credit_notes WHERE number = ?1",
            )?
            .query_row([number.trim()], |r| {
                Ok(KeptCreditNote {
                    customer_id: CustomerId(r.get(0)?),
                    issued: r.get(1)?,
                    amount_cents: r.get(2)?,
                    currency: text_enum(r, 3)?,
                })
            })
            .optional()?)
    }

    pub fn add_credit_note(&self, c: &NewCreditNote<'_>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO credit_notes (number, customer_id, issued, amount_cents, currency, invoice_number, unapplied_cents)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                c.number.trim(),
                c.customer_id.0,
                c.issued,
                c.amount_cents,
                c.currency.as_str(),
                c.invoice_number,
                c.unapplied_cents
            ])?;
        Ok(())
    }
}
