//! Agreements (promises and instalment plans) read back with their instalments and the
//! payments applied to them; the confirmed-in-writing flag; what is due or broken on a day.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::events::{NewEvent, insert_event};
use super::{Result, Store, StoreError, text_enum};
use crate::domain::agreement::{
    Agreement, AgreementId, AgreementKind, AgreementStatus, Allocation, Instalment,
};
use crate::domain::call::{CallId, CallOutcome};
use crate::domain::customer::CustomerId;
use crate::domain::event::EventKind;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, Money, from_cents};

pub(super) const COLUMNS: &str =
    "a.id, a.invoice_id, a.call_id, a.kind, a.made_on, a.total_cents, a.confirmed_on, a.ended_on";

pub(super) fn agreement_from(r: &Row<'_>) -> rusqlite::Result<Agreement> {
    Ok(Agreement {
        id: AgreementId(r.get(0)?),
        invoice: InvoiceId(r.get(1)?),
        call: r.get::<_, Option<i64>>(2)?.map(CallId),
        kind: text_enum(r, 3)?,
        made_on: r.get(4)?,
        total: from_cents(r.get(5)?),
        confirmed_on: r.get(6)?,
        ended_on: r.get(7)?,
        instalments: Vec::new(),
    })
}

/// What a line of the call agenda asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CallAgendaKind {
    /// A promise or an instalment was missed: chase it, escalation resumes.
    Broken,
    /// A promise or an instalment is due today or within its grace: check the bank.
    Due,
    /// The customer said they paid: check it before insisting.
    CheckClaimedPayment,
    /// A call-back (or the next contact about a dispute) is due.
    CallBack,
}

/// A line of the call agenda, for Today and `settle check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallAgendaItem {
    pub kind: CallAgendaKind,
    pub customer: CustomerId,
    pub customer_name: String,
    pub invoice: Option<InvoiceId>,
    pub number: Option<String>,
    /// Promise or plan, for agreement lines.
    pub agreement: Option<(AgreementId, AgreementKind)>,
    pub call: Option<CallId>,
    /// The date the line is about: the agreed date, the day it broke, the follow-up date.
    pub date: NaiveDate,
    pub amount: Option<Money>,
    /// The agreement's status, for agreement lines.
    pub status: Option<AgreementStatus>,
}

impl Store {
    /// Fills in instalments and the payments applied to them.
    fn with_instalments(&self, mut agreements: Vec<Agreement>) -> Result<Vec<Agreement>> {
        let mut inst = self.conn().prepare_cached(
            "SELECT id, seq, due, amount_cents FROM instalments WHERE agreement_id = ?1 ORDER BY seq",
        )?;
        let mut alloc = self.conn().prepare_cached(
            "SELECT p.paid_on, ip.amount_cents FROM instalment_payments ip JOIN payments p ON p.id = ip.payment_id
             WHERE ip.instalment_id = ?1 ORDER BY p.paid_on, p.id",
        )?;
        for a in &mut agreements {
            let rows: Vec<(i64, u32, NaiveDate, i64)> = inst
                .query_map([a.id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, seq, due, cents) in rows {
                let paid = alloc
                    .query_map([id], |r| Ok(Allocation { on: r.get(0)?, amount: from_cents(r.get(1)?) }))?
                    .collect::<rusqlite::Result<_>>()?;
                a.instalments.push(Instalment { seq, due, amount: from_cents(cents), paid });
            }
        }
        Ok(agreements)
    }

    /// An invoice's agreements, oldest first.
    pub fn agreements(&self, invoice: InvoiceId) -> Result<Vec<Agreement>> {
        let list = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM agreements a WHERE a.invoice_id = ?1 ORDER BY a.made_on, a.id"
            ))?
            .query_map([invoice.0], agreement_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.with_instalments(list)
    }

    pub fn agreement(&self, id: AgreementId) -> Result<Agreement> {
        let a = self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM agreements a WHERE a.id = ?1"))?
            .query_row([id.0], agreement_from)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no agreement with id {}", id.0)))?;
        self.with_instalments(vec![a])?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("no agreement with id {}", id.0)))
    }

    /// Every agreement of the open invoices (running, kept or replaced), per invoice, oldest
    /// first: what the step tracker needs of them for the whole book. (CROSS JOIN: the
    /// agreements, few, are read first, each with a look at its invoice, rather than every
    /// open invoice looked for among the agreements.)
    pub fn open_invoice_agreements(&self) -> Result<std::collections::HashMap<InvoiceId, Vec<Agreement>>> {
        let list = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM agreements a CROSS JOIN invoices i ON i.id = a.invoice_id
                 WHERE i.is_open = 1 ORDER BY a.made_on, a.id"
            ))?
            .query_map([], agreement_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut per: std::collections::HashMap<InvoiceId, Vec<Agreement>> = std::collections::HashMap::new();
        for a in self.with_instalments(list)? {
            per.entry(a.invoice).or_default().push(a);
        }
        Ok(per)
    }

    /// The agreements still running on open invoices (not replaced), with the invoice's
    /// currency: the input of the agenda and the forecast.
    pub fn running_agreements(&self) -> Result<Vec<(Agreement, Currency)>> {
        let rows = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS}, i.currency FROM agreements a
                 CROSS JOIN invoices i ON i.id = a.invoice_id
                 WHERE a.ended_on IS NULL AND i.is_open = 1 ORDER BY a.id"
            ))?
            .query_map([], |r| Ok((agreement_from(r)?, text_enum::<Currency>(r, 8)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (list, currencies): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
        Ok(self.with_instalments(list)?.into_iter().zip(currencies).collect())
    }

    /// Records that the customer confirmed an agreement in writing, with its event.
    pub fn confirm_agreement(&self, id: AgreementId, on: NaiveDate) -> Result<()> {
        let tx = self.write_tx()?;
        let (invoice, customer, confirmed, made_on): (i64, i64, Option<NaiveDate>, NaiveDate) = tx
            .prepare_cached(
                "SELECT a.invoice_id, i.customer_id, a.confirmed_on, a.made_on
                 FROM agreements a JOIN invoices i ON i.id = a.invoice_id WHERE a.id = ?1",
            )?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no agreement with id {}", id.0)))?;
        if let Some(c) = confirmed {
            return Err(StoreError::Invalid(format!("agreement {} was already confirmed on {c}", id.0)));
        }
        if on < made_on {
            return Err(StoreError::Invalid(format!("{on} is before the agreement was made ({made_on})")));
        }
        tx.prepare_cached("UPDATE agreements SET confirmed_on = ?2 WHERE id = ?1")?
            .execute(params![id.0, on])?;
        insert_event(
            &tx,
            &NewEvent {
                customer: CustomerId(customer),
                invoice: Some(InvoiceId(invoice)),
                on,
                kind: EventKind::AgreementConfirmed,
                channel: None,
                detail: format!("agreement {}", id.0),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// What phone agreements and calls ask for on `as_of`: broken promises and missed
    /// instalments not acted on yet ([`AgreementStatus::acted_on`]), promises and instalments due (today or within the grace), claimed
    /// payments to check and call-backs due. Broken first, then by date.
    pub fn call_agenda(&self, as_of: NaiveDate, grace_days: u32) -> Result<Vec<CallAgendaItem>> {
        self.call_agenda_of(&self.running_agreements()?, as_of, grace_days)
    }

    /// [`Store::call_agenda`] for `running`, the [`Store::running_agreements`] already read.
    pub fn call_agenda_of(
        &self,
        running: &[(Agreement, Currency)],
        as_of: NaiveDate,
        grace_days: u32,
    ) -> Result<Vec<CallAgendaItem>> {
        let mut items = Vec::new();
        let mut names = self.conn().prepare_cached(
            "SELECT c.id, c.name, i.number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?1",
        )?;
        // The day of the latest ladder step taken on the invoice, up to `as_of`.
        let mut last_step = self.conn().prepare_cached(
            "SELECT MAX(on_date) FROM events WHERE invoice_id = ?1 AND on_date <= ?2
                AND kind IN ('nudge_sent', 'reminder_sent', 'call_logged', 'firm_reminder_sent',
                             'formal_notice_sent', 'handed_to_agency')",
        )?;
        for (a, currency) in running {
            if a.made_on > as_of {
                continue;
            }
            let status = a.status(as_of, grace_days, false);
            if matches!(status, AgreementStatus::Broken { .. }) {
                let last_step = last_step.query_row(params![a.invoice.0, as_of], |r| r.get(0))?;
                if status.acted_on(last_step) {
                    continue;
                }
            }
            let (kind, date, amount) = match status {
                AgreementStatus::Broken { since, amount, .. } => (CallAgendaKind::Broken, since, amount),
                AgreementStatus::Due { on, amount, .. } => (CallAgendaKind::Due, on, amount),
                _ => continue,
            };
            let (customer, customer_name, number): (i64, String, String) =
                names.query_row([a.invoice.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            items.push(CallAgendaItem {
                kind,
                customer: CustomerId(customer),
                customer_name,
                invoice: Some(a.invoice),
                number: Some(number),
                agreement: Some((a.id, a.kind)),
                call: a.call,
                date,
                amount: Some(Money::new(amount, *currency)),
                status: Some(status),
            });
        }
        let mut customer_name = self.conn().prepare_cached("SELECT name FROM customers WHERE id = ?1")?;
        let mut number = self.conn().prepare_cached("SELECT number FROM invoices WHERE id = ?1")?;
        for call in self.follow_ups_due(as_of)? {
            let kind = if call.outcome == CallOutcome::AlreadyPaid {
                CallAgendaKind::CheckClaimedPayment
            } else {
                CallAgendaKind::CallBack
            };
            let number = match call.invoice {
                Some(i) => Some(number.query_row([i.0], |r| r.get::<_, String>(0))?),
                None => None,
            };
            items.push(CallAgendaItem {
                kind,
                customer: call.customer,
                customer_name: customer_name.query_row([call.customer.0], |r| r.get(0))?,
                invoice: call.invoice,
                number,
                agreement: None,
                call: Some(call.id),
                date: call.follow_up.unwrap_or(call.on),
                amount: None,
                status: None,
            });
        }
        items.sort_by(|a, b| (a.kind, a.date, &a.number).cmp(&(b.kind, b.date, &b.number)));
        Ok(items)
    }
}
