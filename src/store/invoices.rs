//! Invoices and the payments, credits and write-offs that settle them.
//!
//! `open_cents` and `is_open` are kept current here, in the same transaction as every
//! reduction, so today's figures never need to sum the payments table.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, Store, StoreError, conflict, text_enum};
use crate::domain::aging::InvoiceFacts;
use crate::domain::customer::CustomerId;
use crate::domain::event::EventKind;
use crate::domain::input::{FieldError, Input};
use crate::domain::invoice::{
    Invoice, InvoiceId, InvoiceRow, NewInvoice, NewPayment, PaymentKind, check_payment,
};
use crate::domain::money::{Currency, Money, from_cents, plain_amount, to_cents};
use crate::domain::policy::Step;

pub(super) const COLUMNS: &str =
    "i.id, i.number, i.customer_id, i.issued, i.due, i.amount_cents, i.currency, i.description,
     i.reference, i.open_cents, i.disputed,
     EXISTS (SELECT 1 FROM payments w WHERE w.invoice_id = i.id AND w.kind = 'write_off'),
     c.name, c.profile, i.steps_done";

pub(super) fn row_from(r: &Row<'_>) -> rusqlite::Result<InvoiceRow> {
    let currency: Currency = text_enum(r, 6)?;
    let reference: Option<String> = r.get(8)?;
    Ok(InvoiceRow {
        invoice: Invoice {
            id: InvoiceId(r.get(0)?),
            number: r.get(1)?,
            customer_id: CustomerId(r.get(2)?),
            issued: r.get(3)?,
            due: r.get(4)?,
            amount: Money::from_cents(r.get(5)?, currency),
            description: r.get(7)?,
            reference: reference.and_then(|s| s.parse().ok()),
            open: from_cents(r.get(9)?),
            disputed: r.get(10)?,
            written_off: r.get(11)?,
        },
        customer: r.get(12)?,
        profile: text_enum(r, 13)?,
        steps_done: steps_from_mask(r.get(14)?),
    })
}

pub(crate) fn step_bit(step: Step) -> i64 {
    1 << (step as u32)
}

/// The step marks of every step after the nudge: "needed at least one reminder".
pub(crate) fn step_mask_after_nudge() -> i64 {
    Step::ALL.iter().filter(|s| **s != Step::Nudge).map(|s| step_bit(*s)).fold(0, |a, b| a | b)
}

pub(crate) fn steps_from_mask(mask: i64) -> Vec<Step> {
    Step::ALL.iter().copied().filter(|s| mask & step_bit(*s) != 0).collect()
}

/// Checks and inserts a new invoice on `conn` (a connection or the caller's transaction):
/// all of it open, no step taken, no dispute. Every writer of invoices goes through here.
pub(crate) fn insert_invoice(conn: &Connection, inv: &NewInvoice) -> Result<InvoiceId> {
    inv.validate().map_err(StoreError::Invalid)?;
    let cents = to_cents(inv.amount.amount).map_err(|e| StoreError::Invalid(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO invoices (number, customer_id, issued, due, amount_cents, currency, description,
                               reference, open_cents, is_open)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5, 1)",
    )?
    .execute(params![
        inv.number.trim(),
        inv.customer_id.0,
        inv.issued,
        inv.due,
        cents,
        inv.amount.currency.as_str(),
        inv.description,
        inv.reference.map(|r| r.to_string()),
    ])
    .map_err(|e| conflict(e, || format!("invoice {} already exists", inv.number.trim())))?;
    Ok(InvoiceId(conn.last_insert_rowid()))
}

/// A payment, credit or write-off to record, whatever brought it in: the app, `settle
/// payment add`, a bank statement, a credit note or the demo book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduction<'a> {
    pub invoice: InvoiceId,
    pub on: NaiveDate,
    pub cents: i64,
    pub kind: PaymentKind,
    pub method: Option<&'a str>,
    pub note: &'a str,
}

/// Records a payment, credit or write-off on `conn` (a connection or the caller's
/// transaction). An amount that is not positive or is more than still open, or a date before
/// the invoice was issued, is refused before anything is written. Otherwise: the row; a
/// payment is applied to the invoice's running agreement, oldest instalment first; the kept
/// open amount; the timeline event. Every writer of payments goes through here.
pub(crate) fn insert_payment(conn: &Connection, p: &Reduction<'_>) -> Result<i64> {
    let (customer, issued, open_cents): (i64, NaiveDate, i64) = conn
        .prepare_cached("SELECT customer_id, issued, open_cents FROM invoices WHERE id = ?1")?
        .query_row([p.invoice.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", p.invoice.0)))?;
    let amount = from_cents(p.cents);
    check_payment(amount, from_cents(open_cents)).map_err(|e| FieldError::new(Input::Amount, e))?;
    if p.on < issued {
        let why = format!("the {} on {} is before the invoice was issued ({issued})", p.kind, p.on);
        return Err(FieldError::new(Input::Date, why).into());
    }
    conn.prepare_cached(
        "INSERT INTO payments (invoice_id, paid_on, amount_cents, kind, method, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![p.invoice.0, p.on, p.cents, p.kind.as_str(), p.method, p.note])?;
    let id = conn.last_insert_rowid();
    if p.kind == PaymentKind::Payment {
        super::calls::apply_payment(conn, p.invoice, id, p.cents)?;
    }
    refresh_open(conn, p.invoice)?;
    let (kind, detail) = payment_event(p.kind, p.cents, p.method);
    super::events::insert_event(
        conn,
        &super::NewEvent {
            customer: CustomerId(customer),
            invoice: Some(p.invoice),
            on: p.on,
            kind,
            channel: None,
            detail,
        },
    )?;
    Ok(id)
}

/// The timeline event a payment, credit or write-off writes: its kind and its detail.
pub(crate) fn payment_event(kind: PaymentKind, cents: i64, method: Option<&str>) -> (EventKind, String) {
    let event = match kind {
        PaymentKind::Payment => EventKind::Payment,
        PaymentKind::Credit => EventKind::Credit,
        PaymentKind::WriteOff => EventKind::WrittenOff,
    };
    (event, format!("{} {}", plain_amount(from_cents(cents)), method.unwrap_or("")).trim().to_string())
}

/// Sets an invoice's kept open amount (and `is_open`) to its amount less every payment,
/// credit and write-off on it, on `conn` (the caller's transaction). Every change to an
/// invoice's amount or reductions ends here; more reduced than the amount is refused.
pub(crate) fn refresh_open(conn: &Connection, invoice: InvoiceId) -> Result<i64> {
    let (amount, reduced): (i64, i64) = conn
        .prepare_cached(
            "SELECT amount_cents, (SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE invoice_id = ?1)
             FROM invoices WHERE id = ?1",
        )?
        .query_row([invoice.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", invoice.0)))?;
    let open = amount - reduced;
    if open < 0 {
        return Err(StoreError::Invalid(format!(
            "{} is already paid on it, more than the amount {}",
            plain_amount(from_cents(reduced)),
            plain_amount(from_cents(amount))
        )));
    }
    conn.prepare_cached("UPDATE invoices SET open_cents = ?2, is_open = (?2 > 0) WHERE id = ?1")?
        .execute(params![invoice.0, open])?;
    Ok(open)
}

/// Replaces an invoice's own fields on `conn` (the caller's transaction) and sets its open
/// amount again from its reductions: `settle invoice edit` and an import's `--update`.
pub(crate) fn update_invoice_in(conn: &Connection, id: InvoiceId, u: &super::InvoiceUpdate) -> Result<()> {
    if u.amount_cents <= 0 {
        return Err(StoreError::Invalid(format!(
            "the amount must be positive, not {}",
            plain_amount(from_cents(u.amount_cents))
        )));
    }
    if u.due < u.issued {
        return Err(StoreError::Invalid(format!(
            "the due date {} is before the issue date {}",
            u.due, u.issued
        )));
    }
    crate::domain::text::check_text("description", &u.description, crate::domain::text::Lines::Many)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let n = conn
        .prepare_cached(
            "UPDATE invoices SET customer_id = ?2, issued = ?3, due = ?4, amount_cents = ?5, currency = ?6,
                    description = ?7, reference = ?8, open_cents = MIN(open_cents, ?5), is_open = (MIN(open_cents, ?5) > 0)
             WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            u.customer_id.0,
            u.issued,
            u.due,
            u.amount_cents,
            u.currency.as_str(),
            u.description,
            u.reference.map(|r| r.to_string()),
        ])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("no invoice with id {}", id.0)));
    }
    refresh_open(conn, id)?;
    Ok(())
}

/// Sets (or, with `None`, forgets) the path of an invoice's own PDF on `conn` (the caller's
/// transaction). The caller has checked the file (`files::checked_pdf`).
pub(crate) fn set_invoice_pdf_in(conn: &Connection, id: InvoiceId, pdf: Option<&Path>) -> Result<()> {
    let text = match pdf {
        Some(p) => Some(p.to_str().ok_or_else(|| {
            crate::domain::input::FieldError::new(
                crate::domain::input::Input::Pdf,
                format!("{} is not a UTF-8 path", p.display()),
            )
        })?),
        None => None,
    };
    let n =
        conn.prepare_cached("UPDATE invoices SET pdf = ?2 WHERE id = ?1")?.execute(params![id.0, text])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("no invoice with id {}", id.0)));
    }
    Ok(())
}

impl Store {
    pub fn add_invoice(&self, inv: &NewInvoice) -> Result<InvoiceId> {
        self.add_invoice_with_pdf(inv, None)
    }

    /// Adds an invoice and the path of its own PDF, in one change.
    pub fn add_invoice_with_pdf(&self, inv: &NewInvoice, pdf: Option<&Path>) -> Result<InvoiceId> {
        let tx = self.write_tx()?;
        let id = insert_invoice(&tx, inv)?;
        if pdf.is_some() {
            set_invoice_pdf_in(&tx, id, pdf)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// The path of the invoice's own PDF, if one was given.
    pub fn invoice_pdf(&self, id: InvoiceId) -> Result<Option<PathBuf>> {
        let pdf: Option<Option<String>> = self
            .conn()
            .prepare_cached("SELECT pdf FROM invoices WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?;
        let pdf = pdf.ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", id.0)))?;
        Ok(pdf.map(PathBuf::from))
    }

    pub fn invoice(&self, id: InvoiceId) -> Result<InvoiceRow> {
        self.conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?1"
            ))?
            .query_row([id.0], row_from)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", id.0)))
    }

    pub fn invoice_by_number(&self, number: &str) -> Result<Option<InvoiceRow>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.number = ?1"
            ))?
            .query_row([number.trim()], row_from)
            .optional()?)
    }

    /// Every open invoice (of every currency), oldest due date first.
    pub fn open_invoices(&self) -> Result<Vec<InvoiceRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.is_open = 1 ORDER BY i.due, i.number"
        ))?;
        let rows = stmt.query_map([], row_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's invoices, newest first.
    pub fn customer_invoices(&self, customer: CustomerId) -> Result<Vec<InvoiceRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.customer_id = ?1 ORDER BY i.due DESC, i.number DESC"
        ))?;
        let rows = stmt.query_map([customer.0], row_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a payment, credit or write-off (see [`insert_payment`]) in one transaction. An
    /// over-payment is refused and changes nothing.
    pub fn add_payment(&self, p: &NewPayment) -> Result<i64> {
        let cents = to_cents(p.amount).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let tx = self.write_tx()?;
        let id = insert_payment(
            &tx,
            &Reduction {
                invoice: p.invoice,
                on: p.on,
                cents,
                kind: p.kind,
                method: p.method.as_deref(),
                note: &p.note,
            },
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every invoice with its dated reductions: the input of the plain aging rule.
    pub fn invoice_facts(&self) -> Result<Vec<(InvoiceId, InvoiceFacts)>> {
        let mut facts: Vec<(InvoiceId, InvoiceFacts)> = Vec::new();
        let mut stmt = self.conn().prepare(
            "SELECT i.id, i.customer_id, i.issued, i.due, i.amount_cents, p.paid_on, p.amount_cents
             FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id ORDER BY i.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id = InvoiceId(r.get(0)?);
            if facts.last().is_none_or(|(last, _)| *last != id) {
                facts.push((
                    id,
                    InvoiceFacts {
                        customer_id: CustomerId(r.get(1)?),
                        issued: r.get(2)?,
                        due: r.get(3)?,
                        amount_cents: r.get(4)?,
                        reductions: Vec::new(),
                    },
                ));
            }
            if let (Some(on), Some(c)) = (r.get::<_, Option<NaiveDate>>(5)?, r.get::<_, Option<i64>>(6)?)
                && let Some((_, f)) = facts.last_mut()
            {
                f.reductions.push((on, c));
            }
        }
        Ok(facts)
    }

    /// Invoices whose kept open amount differs from the one recomputed from their
    /// payments: (number, kept, recomputed). Empty in a healthy book.
    pub fn open_amount_mismatches(&self) -> Result<Vec<(String, i64, i64)>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.number, i.open_cents, i.amount_cents - COALESCE(SUM(p.amount_cents), 0) AS recomputed
             FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id
             GROUP BY i.id HAVING i.open_cents != recomputed OR i.is_open != (recomputed > 0)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
