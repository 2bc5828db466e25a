//! Writing a whole book in one transaction (demo data, later imports): prepared statements
//! reused for every row, the kept open amounts computed before the insert.

use chrono::NaiveDate;
use rusqlite::{Transaction, params};

use super::invoices::step_bit;
use super::{Result, Store, StoreError, conflict};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::{InvoiceId, PaymentKind};
use crate::domain::money::Currency;
use crate::domain::ogm::Ogm;
use crate::domain::policy::Step;

/// An invoice with its history, written in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkInvoice {
    pub number: String,
    pub customer: CustomerId,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub description: String,
    pub reference: Option<Ogm>,
    pub payments: Vec<(NaiveDate, i64, PaymentKind)>,
    pub steps: Vec<(Step, NaiveDate, Channel)>,
    pub notes: Vec<(NaiveDate, String)>,
    /// A dispute opened on this day and still open.
    pub disputed_since: Option<NaiveDate>,
}

/// An open write transaction for many rows; nothing is visible until `commit`, and dropping
/// it without committing rolls everything back.
pub struct BookWriter<'a> {
    pub(super) tx: Transaction<'a>,
}

impl Store {
    pub fn book_writer(&mut self) -> Result<BookWriter<'_>> {
        Ok(BookWriter { tx: self.write_tx()? })
    }
}

impl BookWriter<'_> {
    pub fn add_customer(&self, c: &NewCustomer) -> Result<CustomerId> {
        super::customers::insert_customer(&self.tx, c)
    }

    pub fn add_invoice(&self, inv: &BulkInvoice) -> Result<InvoiceId> {
        let paid: i64 = inv.payments.iter().map(|(_, c, _)| c).sum();
        if paid > inv.amount_cents || inv.payments.iter().any(|(_, c, _)| *c <= 0) {
            return Err(StoreError::Invalid(format!("invoice {}: payments exceed the amount", inv.number)));
        }
        let open = inv.amount_cents - paid;
        let mask = inv.steps.iter().fold(0, |m, (s, _, _)| m | step_bit(*s));
        self.tx
            .prepare_cached(
                "INSERT INTO invoices (number, customer_id, issued, due, amount_cents, currency, description,
                                       reference, open_cents, is_open, steps_done, disputed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                inv.number,
                inv.customer.0,
                inv.issued,
                inv.due,
                inv.amount_cents,
                inv.currency.as_str(),
                inv.description,
                inv.reference.map(|r| r.to_string()),
                open,
                open > 0,
                mask,
                inv.disputed_since.is_some()
            ])
            .map_err(|e| conflict(e, || format!("invoice {} already exists", inv.number)))?;
        let id = InvoiceId(self.tx.last_insert_rowid());
        let mut event = self.tx.prepare_cached(
            "INSERT INTO events (customer_id, invoice_id, on_date, kind, channel, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut payment = self.tx.prepare_cached(
            "INSERT INTO payments (invoice_id, paid_on, amount_cents, kind) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (on, cents, kind) in &inv.payments {
            payment.execute(params![id.0, on, cents, kind.as_str()])?;
            let ev = match kind {
                PaymentKind::Payment => EventKind::Payment,
                PaymentKind::Credit => EventKind::Credit,
                PaymentKind::WriteOff => EventKind::WrittenOff,
            };
            let detail = crate::domain::money::plain_amount(crate::domain::money::from_cents(*cents));
            event.execute(params![inv.customer.0, id.0, on, ev.as_str(), None::<&str>, detail])?;
        }
        for (step, on, channel) in &inv.steps {
            event.execute(params![
                inv.customer.0,
                id.0,
                on,
                step.event_kind().as_str(),
                channel.as_str(),
                ""
            ])?;
        }
        if let Some(on) = inv.disputed_since {
            event.execute(params![
                inv.customer.0,
                id.0,
                on,
                EventKind::DisputeOpened.as_str(),
                None::<&str>,
                "contested"
            ])?;
        }
        let mut note = self.tx.prepare_cached(
            "INSERT INTO notes (customer_id, invoice_id, written_on, body) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (on, body) in &inv.notes {
            note.execute(params![inv.customer.0, id.0, on, body])?;
            event.execute(params![inv.customer.0, id.0, on, EventKind::Note.as_str(), None::<&str>, body])?;
        }
        Ok(id)
    }

    pub fn add_note(&self, customer: CustomerId, on: NaiveDate, body: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO notes (customer_id, written_on, body) VALUES (?1, ?2, ?3)")?
            .execute(params![customer.0, on, body])?;
        self.tx
            .prepare_cached(
                "INSERT INTO events (customer_id, on_date, kind, detail) VALUES (?1, ?2, 'note', ?3)",
            )?
            .execute(params![customer.0, on, body])?;
        Ok(())
    }

    /// Logs a call, its agreement and events, as [`Store::log_call`] does, in this transaction.
    pub fn log_call(&self, c: &crate::domain::call::NewCall) -> Result<super::SavedCall> {
        super::calls::log_call_in(&self.tx, c)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}
