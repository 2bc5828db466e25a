//! Letters sent and what they record: steps (never twice), registered mail of a formal
//! notice and its receipt, thank-yous; and the payments list a dossier shows.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::invoices::step_bit;
use super::{NewEvent, Result, Store, StoreError, text_enum};
use crate::domain::customer::CustomerId;
use crate::domain::event::{Channel, EventKind, RegisteredMail};
use crate::domain::invoice::{InvoiceId, PaymentRecord};
use crate::domain::money::from_cents;

/// Records a step or thank-you inside the caller's transaction (see `Store::record_sent`).
pub(crate) fn record_in(
    conn: &Connection,
    invoice: InvoiceId,
    kind: EventKind,
    on: NaiveDate,
    channel: Option<Channel>,
    detail: &str,
    tracking: Option<&str>,
) -> Result<i64> {
    let (customer, number, disputed): (i64, String, bool) = conn
        .prepare_cached("SELECT customer_id, number, disputed FROM invoices WHERE id = ?1")?
        .query_row([invoice.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no invoice with id {}", invoice.0)))?;
    if kind == EventKind::HandedToAgency && disputed {
        let since: Option<(NaiveDate, String)> = conn
            .prepare_cached(
                "SELECT on_date, detail FROM events WHERE invoice_id = ?1 AND kind = 'dispute_opened'
                 ORDER BY on_date DESC, id DESC LIMIT 1",
            )?
            .query_row([invoice.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let why = match since {
            Some((d, detail)) if !detail.is_empty() => format!(" since {d} ({detail})"),
            Some((d, _)) => format!(" since {d}"),
            None => String::new(),
        };
        return Err(StoreError::Invalid(format!(
            "invoice {number} is disputed{why}: a disputed invoice is not handed to a collection agency. \
             Resolve the dispute with the customer first; escalation resumes once it is resolved"
        )));
    }
    if kind.once_per_invoice() {
        let before: Option<NaiveDate> = conn
            .prepare_cached("SELECT on_date FROM events WHERE invoice_id = ?1 AND kind = ?2 LIMIT 1")?
            .query_row(params![invoice.0, kind.as_str()], |r| r.get(0))
            .optional()?;
        if let Some(d) = before {
            return Err(StoreError::Conflict(format!(
                "invoice {number}: '{}' was already recorded on {d}; a letter is never recorded twice",
                kind.label()
            )));
        }
    }
    if let Some(t) = tracking
        && t.trim().is_empty()
    {
        return Err(StoreError::Invalid("the registered-mail tracking number is empty".into()));
    }
    if let Some(t) = tracking {
        crate::domain::limits::identifier("the registered-mail tracking number", t)
            .map_err(StoreError::Invalid)?;
    }
    let id = super::events::insert_event(
        conn,
        &NewEvent::on_invoice(CustomerId(customer), invoice, on, kind, channel, detail),
    )?;
    let bit = match kind {
        EventKind::ClaimSent | EventKind::ClaimWaived | EventKind::ClaimPaid => {
            Some(super::claims::CLAIM_DECIDED)
        }
        k => k.step().map(step_bit),
    };
    if let Some(bit) = bit {
        conn.prepare_cached("UPDATE invoices SET steps_done = steps_done | ?2 WHERE id = ?1")?
            .execute(params![invoice.0, bit])?;
    }
    if let Some(t) = tracking {
        conn.prepare_cached(
            "INSERT INTO registered_mail (event_id, invoice_id, tracking) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, invoice.0, t.trim()])?;
    }
    Ok(id)
}

impl Store {
    /// Records a letter as sent (its step or thank-you, and the registered-mail tracking
    /// number if any), running `finish` (saving the letter's file) before the commit: if
    /// `finish` fails nothing is recorded.
    #[allow(clippy::too_many_arguments)]
    pub fn record_sent(
        &self,
        invoice: InvoiceId,
        kind: EventKind,
        on: NaiveDate,
        channel: Option<Channel>,
        detail: &str,
        tracking: Option<&str>,
        finish: impl FnOnce() -> std::result::Result<(), StoreError>,
    ) -> Result<i64> {
        self.record_sent_with(invoice, kind, &[], on, channel, detail, tracking, finish)
    }

    /// [`Store::record_sent`], with more events of the same letter in the same transaction
    /// (a consumer's first reminder that carried every mention the law requires).
    #[allow(clippy::too_many_arguments)]
    pub fn record_sent_with(
        &self,
        invoice: InvoiceId,
        kind: EventKind,
        also: &[EventKind],
        on: NaiveDate,
        channel: Option<Channel>,
        detail: &str,
        tracking: Option<&str>,
        finish: impl FnOnce() -> std::result::Result<(), StoreError>,
    ) -> Result<i64> {
        let ids = self.record_sent_all(&[(invoice, also)], kind, on, channel, detail, tracking, finish)?;
        ids.first().copied().ok_or_else(|| StoreError::Invalid("no letter was recorded".into()))
    }

    /// One letter about several invoices (a customer's grouped letter): [`Store::record_sent_with`]
    /// on each invoice, with its own extra events, in ONE transaction (one change of the log,
    /// undone as one), `finish` run once before the commit. If any invoice refuses (its step
    /// already recorded), or `finish` fails, nothing is recorded. The ids of the step events,
    /// in order.
    #[allow(clippy::too_many_arguments)]
    pub fn record_sent_all(
        &self,
        invoices: &[(InvoiceId, &[EventKind])],
        kind: EventKind,
        on: NaiveDate,
        channel: Option<Channel>,
        detail: &str,
        tracking: Option<&str>,
        finish: impl FnOnce() -> std::result::Result<(), StoreError>,
    ) -> Result<Vec<i64>> {
        let tx = self.write_tx()?;
        let mut ids = Vec::with_capacity(invoices.len());
        for (invoice, also) in invoices {
            ids.push(record_in(&tx, *invoice, kind, on, channel, detail, tracking)?);
            for k in *also {
                record_in(&tx, *invoice, *k, on, channel, detail, None)?;
            }
        }
        finish()?;
        tx.commit()?;
        Ok(ids)
    }

    /// Whether [`Store::record_sent_all`] would record these events, without recording
    /// anything: the same checks (a step never twice, no agency on a disputed invoice), in a
    /// transaction rolled back at once. Run before an email goes out, so a letter already
    /// recorded is refused before it is sent.
    pub fn check_sendable(
        &self,
        invoices: &[(InvoiceId, &[EventKind])],
        kind: EventKind,
        on: NaiveDate,
        channel: Option<Channel>,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        for (invoice, also) in invoices {
            record_in(&tx, *invoice, kind, on, channel, "", None)?;
            for k in *also {
                record_in(&tx, *invoice, *k, on, channel, "", None)?;
            }
        }
        // Dropped without a commit: rolled back.
        drop(tx);
        Ok(())
    }

    /// The registered formal notice of an invoice, if one was recorded.
    pub fn registered_mail(&self, invoice: InvoiceId) -> Result<Option<RegisteredMail>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT r.event_id, e.on_date, r.tracking, r.received_on FROM registered_mail r
                 JOIN events e ON e.id = r.event_id WHERE r.invoice_id = ?1 ORDER BY e.on_date DESC LIMIT 1",
            )?
            .query_row([invoice.0], |r| {
                Ok(RegisteredMail {
                    event_id: r.get(0)?,
                    sent: r.get(1)?,
                    tracking: r.get(2)?,
                    received: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Records the day the registered formal notice was received (with its timeline event):
    /// deadlines that run from receipt start from that day.
    pub fn set_notice_received(&self, invoice: InvoiceId, on: NaiveDate) -> Result<RegisteredMail> {
        let mail = self.registered_mail(invoice)?.ok_or_else(|| {
            StoreError::Invalid(
                "no formal notice by registered mail is recorded on this invoice: record it with its tracking number first"
                    .into(),
            )
        })?;
        if on < mail.sent {
            return Err(StoreError::Invalid(format!(
                "received on {on}, before it was sent ({}): check the date",
                mail.sent
            )));
        }
        if let Some(before) = mail.received {
            return Err(StoreError::Conflict(format!(
                "the formal notice was already recorded as received on {before}"
            )));
        }
        let tx = self.write_tx()?;
        tx.prepare_cached("UPDATE registered_mail SET received_on = ?2 WHERE event_id = ?1")?
            .execute(params![mail.event_id, on])?;
        let customer: i64 = tx
            .prepare_cached("SELECT customer_id FROM invoices WHERE id = ?1")?
            .query_row([invoice.0], |r| r.get(0))?;
        super::events::insert_event(
            &tx,
            &NewEvent {
                customer: CustomerId(customer),
                invoice: Some(invoice),
                on,
                kind: EventKind::NoticeReceived,
                channel: Some(Channel::Letter),
                detail: format!("registered mail {}", mail.tracking),
            },
        )?;
        tx.commit()?;
        Ok(RegisteredMail { received: Some(on), ..mail })
    }

    /// An invoice's payments, credits and write-offs, oldest first.
    pub fn payments(&self, invoice: InvoiceId) -> Result<Vec<PaymentRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, paid_on, amount_cents, kind, method, note FROM payments WHERE invoice_id = ?1 ORDER BY paid_on, id",
        )?;
        let rows = stmt.query_map([invoice.0], |r| {
            Ok(PaymentRecord {
                id: r.get(0)?,
                on: r.get(1)?,
                amount: from_cents(r.get(2)?),
                kind: text_enum(r, 3)?,
                method: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The registered formal notices of the open invoices (the latest of each): what every
    /// open invoice's tracker needs of them, in one query over the registered letters (few),
    /// each joined to its event and its invoice.
    pub fn open_registered_mail(&self) -> Result<HashMap<InvoiceId, RegisteredMail>> {
        let mut mail = HashMap::new();
        // CROSS JOIN keeps SQLite reading the registered letters first, rather than every event.
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.invoice_id, r.event_id, e.on_date, r.tracking, r.received_on
             FROM registered_mail r CROSS JOIN events e ON e.id = r.event_id
             CROSS JOIN invoices i ON i.id = r.invoice_id
             WHERE i.is_open = 1 ORDER BY e.on_date",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                InvoiceId(r.get(0)?),
                RegisteredMail {
                    event_id: r.get(1)?,
                    sent: r.get(2)?,
                    tracking: r.get(3)?,
                    received: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (id, m) = row?;
            mail.insert(id, m);
        }
        Ok(mail)
    }
}

#[cfg(test)]
mod tests;
