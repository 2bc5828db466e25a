//! The invoices whose principal was paid late and whose interest and costs may still be
//! claimed: Today asks, for each, whether to claim them or waive them. A large book pays
//! thousands of invoices late in a month, so this reads only the payments of the month and
//! the invoices they paid, and the events of the few whose claim depends on them.

use chrono::NaiveDate;
use rusqlite::params;

use super::invoices::step_bit;
use super::{Result, Store, text_enum};
use crate::domain::customer::CustomerId;
use crate::domain::dates::add_days;
use crate::domain::event::TimelineEntry;
use crate::domain::invoice::PaymentRecord;
use crate::domain::invoice::{Invoice, InvoiceId, PaymentKind};
use crate::domain::money::{Currency, Money, from_cents};
use crate::domain::policy::Step;

/// The mark in `invoices.steps_done`, above the ladder's steps, of an invoice whose interest
/// and costs were claimed, waived or paid (kept with the event, so Today need not read the
/// events of every invoice paid late).
pub(crate) const CLAIM_DECIDED: i64 = 1 << 6;

/// An invoice paid late, with what its claim is computed from.
#[derive(Debug, Clone)]
pub struct PaidLate {
    /// Its description and reference are left out (a claim does not read them).
    pub invoice: Invoice,
    pub payments: Vec<PaymentRecord>,
    /// The events that bear on its claim (a consumer's compliant first reminder, formal
    /// notices), oldest first; read only for the invoices `events_of` names.
    pub events: Vec<TimelineEntry>,
}

impl Store {
    /// Each invoice paid in full between `from` and `to` (by its last payment, given with it),
    /// later than its due date (or than 30 days after issue, the Belgian default when a longer
    /// term is void), with no write-off and no claim sent, waived or paid yet, one at a time
    /// to `f` in the order of ids: none is kept (a large book pays tens of thousands late in a
    /// month). Whether anything is really owed is the claim's answer. The events are read for
    /// the invoices `events_of` names (customer, formal notice sent): the only ones whose
    /// claim they can change.
    pub fn each_paid_late(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        events_of: impl Fn(CustomerId, bool) -> bool,
        mut f: impl FnMut(NaiveDate, PaidLate),
    ) -> Result<()> {
        let conn = self.conn();
        // The payments' columns all come from the index `payments_invoice`.
        let mut stmt = conn.prepare_cached(
            "WITH w AS (SELECT DISTINCT invoice_id AS id FROM payments WHERE paid_on BETWEEN ?1 AND ?2)
             SELECT i.id, i.number, i.customer_id, i.issued, i.due, i.amount_cents, i.currency, i.steps_done,
                    p.id, p.paid_on, p.amount_cents, p.kind
             FROM w JOIN invoices i ON i.id = w.id JOIN payments p ON p.invoice_id = i.id
             WHERE i.is_open = 0 AND (i.steps_done & ?3) = 0
             ORDER BY i.id, p.paid_on, p.id",
        )?;
        let mut events = conn.prepare_cached(
            "SELECT id, on_date, kind, channel, detail FROM events
             WHERE invoice_id = ?1 AND kind IN ('first_reminder_compliant', 'formal_notice_sent')
             ORDER BY on_date, id",
        )?;
        // An invoice's rows come one after the other: it is complete when the next one starts.
        let mut done = |late: Option<(PaidLate, bool)>| -> Result<()> {
            let Some((mut late, noticed)) = late else { return Ok(()) };
            let inv = &late.invoice;
            let Some(paid) = late.payments.iter().map(|p| p.on).max() else { return Ok(()) };
            let written_off = late.payments.iter().any(|p| p.kind == PaymentKind::WriteOff);
            if paid < from || paid > to || written_off || paid <= inv.due.min(add_days(inv.issued, 30)) {
                return Ok(());
            }
            if events_of(inv.customer_id, noticed) {
                let invoice = inv.id;
                let rows = events.query_map([invoice.0], |r| {
                    let channel: Option<String> = r.get(3)?;
                    Ok(TimelineEntry {
                        id: r.get(0)?,
                        invoice: Some(invoice),
                        on: r.get(1)?,
                        kind: text_enum(r, 2)?,
                        channel: channel.and_then(|c| c.parse().ok()),
                        detail: r.get(4)?,
                    })
                })?;
                late.events = rows.collect::<rusqlite::Result<_>>()?;
            }
            f(paid, late);
            Ok(())
        };
        let mut rows = stmt.query(params![from, to, CLAIM_DECIDED])?;
        let mut current: Option<(PaidLate, bool)> = None;
        while let Some(r) = rows.next()? {
            let id = InvoiceId(r.get(0)?);
            let payment = PaymentRecord {
                id: r.get(8)?,
                on: r.get(9)?,
                amount: from_cents(r.get(10)?),
                kind: text_enum(r, 11)?,
                method: None,
                note: String::new(),
            };
            if let Some((late, _)) = current.as_mut().filter(|(l, _)| l.invoice.id == id) {
                late.payments.push(payment);
                continue;
            }
            done(current.take())?;
            let currency: Currency = text_enum(r, 6)?;
            let steps: i64 = r.get(7)?;
            current = Some((
                PaidLate {
                    invoice: Invoice {
                        id,
                        number: r.get(1)?,
                        customer_id: CustomerId(r.get(2)?),
                        issued: r.get(3)?,
                        due: r.get(4)?,
                        amount: Money::from_cents(r.get(5)?, currency),
                        description: String::new(),
                        reference: None,
                        open: rust_decimal::Decimal::ZERO,
                        disputed: false,
                        written_off: false,
                    },
                    payments: vec![payment],
                    events: Vec::new(),
                },
                steps & step_bit(Step::FormalNotice) != 0,
            ));
        }
        done(current.take())
    }
}
