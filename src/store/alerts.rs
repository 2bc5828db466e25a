//! What the alert rules read, and the record of the alerts already told (`notified`).
//!
//! `settle check` and the app both call [`Store::alerts`]; only `check` writes the record,
//! through an [`AlertLog`]: one write transaction that decides which alerts are new, lets
//! the caller tell them, and records them.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::{Result, Store, text_enum};
use crate::domain::alerts::{AgreementFact, AgreementKind, Alert, AlertFacts, OpenInvoice};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::Standing;
use crate::domain::money::{Currency, Money, from_cents};

/// The facts for the alert rules as of `today`: every open invoice issued by then (with its
/// customer and kept open amount), where it stands by `standing` (the ladder's one answer,
/// worked out by the caller; an invoice it has no answer for is left out).
///
/// The agreements are added by [`Store::alert_facts`].
pub fn facts(
    conn: &Connection,
    today: NaiveDate,
    standing: &dyn Fn(InvoiceId, CustomerId, NaiveDate) -> Option<Standing>,
) -> Result<AlertFacts> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.number, c.name, c.profile, i.due, i.amount_cents, i.currency, i.open_cents, i.customer_id
         FROM invoices i JOIN customers c ON c.id = i.customer_id
         WHERE i.is_open = 1 AND i.issued <= ?1
         ORDER BY i.due, i.number",
    )?;
    let mut rows = stmt.query([today])?;
    let mut invoices = Vec::new();
    while let Some(r) = rows.next()? {
        let currency: Currency = text_enum(r, 6)?;
        let id = InvoiceId(r.get(0)?);
        let due: NaiveDate = r.get(4)?;
        let Some(standing) = standing(id, CustomerId(r.get(8)?), due) else { continue };
        invoices.push(OpenInvoice {
            id,
            number: r.get(1)?,
            customer: r.get(2)?,
            profile: text_enum(r, 3)?,
            due,
            amount: Money::from_cents(r.get(5)?, currency),
            open: from_cents(r.get(7)?),
            standing,
        });
    }
    Ok(AlertFacts { invoices, agreements: Vec::new() })
}

/// How an alert reached the freelancer. Being printed counts as being told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    Desktop,
    Printed,
}

impl Told {
    fn as_str(&self) -> &'static str {
        match self {
            Told::Desktop => "desktop",
            Told::Printed => "printed",
        }
    }
}

/// An open write transaction on the record of told alerts. It holds the database's write
/// lock from the start, so two `check`s running at once cannot both find the same alert
/// new. Dropping it without [`AlertLog::commit`] records nothing.
pub struct AlertLog<'a> {
    tx: super::WriteTx<'a>,
}

impl Store {
    /// The facts with the agreements still running: every promise and instalment made by
    /// `today`, paid (by `today`) or not.
    pub fn alert_facts(
        &self,
        today: NaiveDate,
        standing: &dyn Fn(InvoiceId, CustomerId, NaiveDate) -> Option<Standing>,
    ) -> Result<AlertFacts> {
        let mut f = facts(self.conn(), today, standing)?;
        for (a, currency) in self.running_agreements()? {
            if a.made_on > today {
                continue;
            }
            let kind = match a.kind {
                crate::domain::agreement::AgreementKind::Promise => AgreementKind::Promise,
                crate::domain::agreement::AgreementKind::Plan => AgreementKind::Instalment,
            };
            f.agreements.extend(a.instalments.iter().map(|i| AgreementFact {
                invoice: a.invoice,
                kind,
                due: i.due,
                amount: Money::new(i.amount, currency),
                paid: i.open_on(today).is_zero(),
            }));
        }
        Ok(f)
    }

    pub fn alert_log(&self) -> Result<AlertLog<'_>> {
        Ok(AlertLog { tx: self.write_tx()? })
    }

    /// How many alerts were ever told.
    pub fn told_count(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT count(*) FROM notified", [], |r| r.get(0))?)
    }
}

impl AlertLog<'_> {
    /// The alerts never told (in their order), and how many of the others were.
    pub fn untold(&self, alerts: Vec<Alert>) -> Result<(Vec<Alert>, usize)> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM notified WHERE kind = ?1 AND invoice_id = ?2 AND on_date = ?3)",
        )?;
        let mut fresh = Vec::new();
        let mut already = 0;
        for alert in alerts {
            let key = alert.key();
            let told: bool =
                stmt.query_row(params![key.kind.as_str(), key.invoice.0, key.on], |r| r.get(0))?;
            if told {
                already += 1;
            } else {
                fresh.push(alert);
            }
        }
        Ok((fresh, already))
    }

    /// Records alerts as told. An alert already recorded stays as it was.
    pub fn record(&self, alerts: &[Alert], told: Told) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO notified (kind, invoice_id, on_date, told) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (kind, invoice_id, on_date) DO NOTHING",
        )?;
        for alert in alerts {
            let key = alert.key();
            stmt.execute(params![key.kind.as_str(), key.invoice.0, key.on, told.as_str()])?;
        }
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        self.tx.commit()
    }
}

#[cfg(test)]
#[path = "alerts_tests.rs"]
mod tests;
