//! Correcting the book: listing, editing and deleting payments, editing and deleting
//! invoices and customers, archiving customers. Each is one transaction, so one change of
//! the log that `settle undo` reverts; derived state (open amounts, instalment allocation)
//! is set again through the same functions the inserts use.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::calls::{agreements_paid_by, reallocate};
use super::changes::unlock_events;
use super::invoices::{payment_event, refresh_open, step_bit, update_invoice_in};
use super::{InvoiceUpdate, Refusal, Result, Store, StoreError, conflict, text_enum};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::event::EventKind;
use crate::domain::invoice::InvoiceRow;
use crate::domain::invoice::{InvoiceId, PaymentKind, check_payment};
use crate::domain::money::{Currency, from_cents};
use crate::domain::policy::Step;

/// A payment, credit or write-off as `settle payment list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub id: i64,
    pub invoice: InvoiceId,
    pub number: String,
    pub cents: i64,
    pub currency: Currency,
    pub on: NaiveDate,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
}

/// New values for a payment; `None` keeps the old one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentEdit {
    pub cents: Option<i64>,
    pub on: Option<NaiveDate>,
    pub method: Option<Option<String>>,
    /// Move it to this invoice (of the same currency).
    pub invoice: Option<InvoiceId>,
}

const PAYMENT_COLUMNS: &str =
    "p.id, p.invoice_id, i.number, p.amount_cents, i.currency, p.paid_on, p.kind, p.method, p.note";

fn line_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<PaymentLine> {
    Ok(PaymentLine {
        id: r.get(0)?,
        invoice: InvoiceId(r.get(1)?),
        number: r.get(2)?,
        cents: r.get(3)?,
        currency: text_enum(r, 4)?,
        on: r.get(5)?,
        kind: text_enum(r, 6)?,
        method: r.get(7)?,
        note: r.get(8)?,
    })
}

fn payment_line(conn: &Connection, id: i64) -> Result<PaymentLine> {
    conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.id = ?1"
    ))?
    .query_row([id], line_from)
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no payment with id {id} (see `settle payment list`)")))
}

/// The timeline event a payment wrote, if it is still there.
fn payment_event_id(conn: &Connection, p: &PaymentLine) -> Result<Option<i64>> {
    let (kind, detail) = payment_event(p.kind, p.cents, p.method.as_deref());
    Ok(conn
        .prepare_cached(
            "SELECT id FROM events WHERE invoice_id = ?1 AND kind = ?2 AND on_date = ?3 AND detail = ?4
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![p.invoice.0, kind.as_str(), p.on, detail], |r| r.get(0))
        .optional()?)
}

/// Deletes a payment row and what hangs on it (its instalment links, the bank line that
/// brought it), then applies the agreement's other payments again and sets the open amount.
fn delete_payment_in(conn: &Connection, p: &PaymentLine) -> Result<()> {
    let agreements = agreements_paid_by(conn, p.id)?;
    conn.prepare_cached("DELETE FROM instalment_payments WHERE payment_id = ?1")?.execute([p.id])?;
    conn.prepare_cached("DELETE FROM bank_entries WHERE payment_id = ?1")?.execute([p.id])?;
    if let Some(event) = payment_event_id(conn, p)? {
        unlock_events(conn)?;
        conn.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([event])?;
    }
    conn.prepare_cached("DELETE FROM payments WHERE id = ?1")?.execute([p.id])?;
    for a in agreements {
        reallocate(conn, a)?;
    }
    refresh_open(conn, p.invoice)?;
    Ok(())
}

/// Sets an invoice's step marks again from the steps still on its timeline (after a step,
/// or the call that was one, was deleted or changed).
pub(crate) fn refresh_steps(conn: &Connection, invoice: InvoiceId) -> Result<()> {
    let kinds: Vec<String> = conn
        .prepare_cached("SELECT DISTINCT kind FROM events WHERE invoice_id = ?1")?
        .query_map([invoice.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mask = kinds
        .iter()
        .filter_map(|k| k.parse::<EventKind>().ok().and_then(|k| k.step()))
        .fold(0, |m, s| m | step_bit(s));
    // Marks above the ladder's steps (a claim decided) are not steps: they stay.
    let ladder = Step::ALL.iter().fold(0, |m, s| m | step_bit(*s));
    conn.prepare_cached("UPDATE invoices SET steps_done = (steps_done & ~?3) | ?2 WHERE id = ?1")?
        .execute(params![invoice.0, mask, ladder])?;
    Ok(())
}

impl Store {
    /// Every invoice, oldest due date first.
    pub fn all_invoices(&self) -> Result<Vec<InvoiceRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {} FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.due, i.number",
            super::invoices::COLUMNS
        ))?;
        let rows = stmt.query_map([], super::invoices::row_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Payments, credits and write-offs, of one invoice or of all, oldest first.
    pub fn payment_lines(&self, invoice: Option<InvoiceId>) -> Result<Vec<PaymentLine>> {
        // One invoice's through the index (an `?1 IS NULL OR` would read every payment).
        let which = if invoice.is_some() { "WHERE p.invoice_id = ?1" } else { "WHERE ?1 IS NULL" };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN invoices i ON i.id = p.invoice_id
             {which} ORDER BY p.paid_on, p.id"
        ))?;
        let rows = stmt.query_map([invoice.map(|i| i.0)], line_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn payment_line(&self, id: i64) -> Result<PaymentLine> {
        payment_line(self.conn(), id)
    }

    /// Deletes a payment, credit or write-off recorded by mistake, with its timeline event;
    /// the open amount and the instalment allocation are what they would be without it.
    pub fn delete_payment(&self, id: i64) -> Result<PaymentLine> {
        let tx = self.write_tx()?;
        let p = payment_line(&tx, id)?;
        delete_payment_in(&tx, &p)?;
        tx.commit()?;
        Ok(p)
    }

    /// Changes a payment's amount, date or method, checked as when it was recorded (positive,
    /// not more than was open without it, not before the invoice was issued).
    pub fn edit_payment(&self, id: i64, e: &PaymentEdit) -> Result<PaymentLine> {
        let tx = self.write_tx()?;
        let old = payment_line(&tx, id)?;
        let target = e.invoice.unwrap_or(old.invoice);
        let moving = target != old.invoice;
        let (customer, issued, open, currency): (i64, NaiveDate, i64, String) = tx
            .prepare_cached("SELECT customer_id, issued, open_cents, currency FROM invoices WHERE id = ?1")?
            .query_row([target.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
            .ok_or_else(|| {
                crate::domain::input::FieldError::new(
                    crate::domain::input::Input::Invoice,
                    format!("no invoice with id {}", target.0),
                )
            })?;
        if currency != old.currency.as_str() {
            return Err(crate::domain::input::FieldError::new(
                crate::domain::input::Input::Invoice,
                format!("that invoice is in {currency}, the payment in {}", old.currency.as_str()),
            )
            .into());
        }
        let cents = e.cents.unwrap_or(old.cents);
        let on = e.on.unwrap_or(old.on);
        let method = e.method.clone().unwrap_or_else(|| old.method.clone());
        let open_without = if moving { open } else { open + old.cents };
        check_payment(from_cents(cents), from_cents(open_without))
            .map_err(|err| crate::domain::input::FieldError::new(crate::domain::input::Input::Amount, err))?;
        if on < issued {
            return Err(crate::domain::input::FieldError::new(
                crate::domain::input::Input::Date,
                format!("{on} is before the invoice was issued ({issued})"),
            )
            .into());
        }
        let event = payment_event_id(&tx, &old)?;
        let agreements = agreements_paid_by(&tx, id)?;
        if moving {
            tx.prepare_cached("DELETE FROM instalment_payments WHERE payment_id = ?1")?.execute([id])?;
        }
        tx.prepare_cached(
            "UPDATE payments SET amount_cents = ?2, paid_on = ?3, method = ?4, invoice_id = ?5 WHERE id = ?1",
        )?
        .execute(params![id, cents, on, method, target.0])?;
        if let Some(event) = event {
            let (_, detail) = payment_event(old.kind, cents, method.as_deref());
            unlock_events(&tx)?;
            tx.prepare_cached(
                "UPDATE events SET on_date = ?2, detail = ?3, invoice_id = ?4, customer_id = ?5 WHERE id = ?1",
            )?
            .execute(params![event, on, detail, target.0, customer])?;
        }
        for a in agreements {
            reallocate(&tx, a)?;
        }
        if moving && old.kind == PaymentKind::Payment {
            super::calls::apply_payment(&tx, target, id, cents)?;
        }
        refresh_open(&tx, old.invoice)?;
        if moving {
            refresh_open(&tx, target)?;
        }
        let new = payment_line(&tx, id)?;
        tx.commit()?;
        Ok(new)
    }

    /// Deletes an invoice and its whole history (timeline, notes, calls, agreements, letters'
    /// tracking). Refused while it has payments, credits or write-offs unless
    /// `with_payments`, which deletes them too. Returns how many payments went with it.
    pub fn delete_invoice(&self, id: InvoiceId, with_payments: bool) -> Result<usize> {
        let tx = self.write_tx()?;
        let number: String = tx
            .prepare_cached("SELECT number FROM invoices WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", id.0)))?;
        let payments: Vec<i64> = tx
            .prepare_cached("SELECT id FROM payments WHERE invoice_id = ?1 ORDER BY id")?
            .query_map([id.0], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !payments.is_empty() && !with_payments {
            return Err(Refusal::HasPayments { number, payments: payments.len() }.into());
        }
        unlock_events(&tx)?;
        for sql in [
            "DELETE FROM instalment_payments WHERE payment_id IN (SELECT id FROM payments WHERE invoice_id = ?1)
                OR instalment_id IN (SELECT s.id FROM instalments s JOIN agreements a ON a.id = s.agreement_id
                                      WHERE a.invoice_id = ?1)",
            "DELETE FROM bank_entries WHERE payment_id IN (SELECT id FROM payments WHERE invoice_id = ?1)",
            "DELETE FROM instalments WHERE agreement_id IN (SELECT id FROM agreements WHERE invoice_id = ?1)",
            "DELETE FROM agreements WHERE invoice_id = ?1",
            "DELETE FROM registered_mail WHERE invoice_id = ?1",
            "DELETE FROM notified WHERE invoice_id = ?1",
            "DELETE FROM calls WHERE invoice_id = ?1",
            "DELETE FROM notes WHERE invoice_id = ?1",
            "DELETE FROM events WHERE invoice_id = ?1",
            "DELETE FROM payments WHERE invoice_id = ?1",
            "DELETE FROM invoices WHERE id = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([id.0])?;
        }
        tx.commit()?;
        Ok(payments.len())
    }

    /// Deletes a customer with its notes, calls and timeline; refused while it has invoices
    /// or credit notes.
    pub fn delete_customer(&self, id: CustomerId) -> Result<()> {
        let tx = self.write_tx()?;
        let (name, invoices, credit_notes): (String, i64, i64) = tx
            .prepare_cached(
                "SELECT name, (SELECT count(*) FROM invoices WHERE customer_id = ?1),
                        (SELECT count(*) FROM credit_notes WHERE customer_id = ?1)
                 FROM customers WHERE id = ?1",
            )?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no customer with id {}", id.0)))?;
        if invoices > 0 {
            return Err(Refusal::HasInvoices { name, invoices }.into());
        }
        if credit_notes > 0 {
            return Err(Refusal::HasCreditNotes { name, credit_notes }.into());
        }
        unlock_events(&tx)?;
        for sql in [
            "DELETE FROM calls WHERE customer_id = ?1",
            "DELETE FROM notes WHERE customer_id = ?1",
            "DELETE FROM events WHERE customer_id = ?1",
            "DELETE FROM customers WHERE id = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([id.0])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces a customer's fields (checked as when added) in one change.
    pub fn edit_customer(&self, id: CustomerId, c: &NewCustomer) -> Result<()> {
        let tx = self.write_tx()?;
        super::customers::update_customer_in(&tx, id, c)?;
        tx.commit()?;
        Ok(())
    }

    /// Hides (`true`) a customer from lists and Today, or shows it again.
    pub fn set_archived(&self, id: CustomerId, archived: bool) -> Result<()> {
        let tx = self.write_tx()?;
        let n = tx
            .prepare_cached("UPDATE customers SET archived = ?2 WHERE id = ?1")?
            .execute(params![id.0, archived])?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no customer with id {}", id.0)));
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes a ladder step recorded by mistake on an invoice (its latest event of that
    /// step, with a formal notice's registered-mail tracking); the invoice's step marks are
    /// set again from the steps still on its timeline. Returns the day the step had.
    pub fn delete_step(&self, invoice: InvoiceId, step: Step) -> Result<NaiveDate> {
        let tx = self.write_tx()?;
        let found: Option<(i64, NaiveDate)> = tx
            .prepare_cached(
                "SELECT id, on_date FROM events WHERE invoice_id = ?1 AND kind = ?2 ORDER BY on_date DESC, id DESC LIMIT 1",
            )?
            .query_row(params![invoice.0, step.event_kind().as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((event, on)) = found else {
            return Err(StoreError::NotFound(format!("no {step} is recorded on this invoice")));
        };
        super::entries::delete_step_event_in(&tx, invoice, event)?;
        tx.commit()?;
        Ok(on)
    }

    /// Replaces an invoice's number and own fields in one change; its open amount follows
    /// the new amount (an amount below what is already paid is refused). `pdf`: `None` keeps
    /// the path of its own PDF, `Some(None)` forgets it.
    pub fn edit_invoice(
        &self,
        id: InvoiceId,
        number: &str,
        u: &InvoiceUpdate,
        pdf: Option<Option<&std::path::Path>>,
    ) -> Result<()> {
        let number = number.trim();
        if number.is_empty() {
            return Err(crate::domain::input::FieldError::new(
                crate::domain::input::Input::Number,
                "it is empty",
            )
            .into());
        }
        crate::domain::limits::identifier("the invoice number", number).map_err(StoreError::Invalid)?;
        let tx = self.write_tx()?;
        tx.prepare_cached("UPDATE invoices SET number = ?2 WHERE id = ?1 AND number != ?2")?
            .execute(params![id.0, number])
            .map_err(|e| conflict(e, || format!("invoice {number} already exists")))?;
        update_invoice_in(&tx, id, u)?;
        if let Some(pdf) = pdf {
            super::invoices::set_invoice_pdf_in(&tx, id, pdf)?;
        }
        tx.commit()?;
        Ok(())
    }
}

impl super::BookWriter<'_> {
    /// Whether a customer is archived (an import compares it with its `archived` column).
    pub fn customer_archived(&self, id: CustomerId) -> Result<bool> {
        self.tx
            .prepare_cached("SELECT archived FROM customers WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no customer with id {}", id.0)))
    }

    /// Archives or un-archives a customer in the import's transaction.
    pub fn set_customer_archived(&self, id: CustomerId, archived: bool) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE customers SET archived = ?2 WHERE id = ?1")?
            .execute(params![id.0, archived])?;
        Ok(())
    }
}
