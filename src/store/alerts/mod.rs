//! What the alert rules read beside the pass over the open invoices, and the record of the
//! alerts already told (`notified`, read in that pass: [`Store::each_open_invoice_with_told`]).
//!
//! Only `check` writes the record, through an [`AlertLog`]: one write transaction during
//! which the caller finds the new alerts, tells them, and records them.

use chrono::NaiveDate;
use rusqlite::params;

use super::{Result, Store};
use crate::domain::alerts::{AgreementFact, AgreementKind, AlertKey};
use crate::domain::money::Money;

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
    /// The agreements still running, for the alert rules: every promise and instalment made
    /// by `today`, paid (by `today`) or not.
    pub fn alert_agreements(&self, today: NaiveDate) -> Result<Vec<AgreementFact>> {
        let mut facts = Vec::new();
        for (a, currency) in self.running_agreements()? {
            if a.made_on > today {
                continue;
            }
            let kind = match a.kind {
                crate::domain::agreement::AgreementKind::Promise => AgreementKind::Promise,
                crate::domain::agreement::AgreementKind::Plan => AgreementKind::Instalment,
            };
            facts.extend(a.instalments.iter().map(|i| {
                // What is still owed on it, as Today says it (a part paid is not owed again).
                let open = i.open_on(today);
                AgreementFact {
                    invoice: a.invoice,
                    kind,
                    due: i.due,
                    amount: Money::new(if open.is_zero() { i.amount } else { open }, currency),
                    paid: open.is_zero(),
                }
            }));
        }
        Ok(facts)
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
    /// Records alerts as told, all at the same moment (the column's default, worked out once
    /// rather than again for each of a first run's hundreds of thousands). An alert already
    /// recorded stays as it was.
    pub fn record(&self, alerts: impl IntoIterator<Item = AlertKey>, told: Told) -> Result<()> {
        let now: String =
            self.tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| r.get(0))?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO notified (kind, invoice_id, on_date, told, notified_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (invoice_id, kind, on_date) DO NOTHING",
        )?;
        for key in alerts {
            stmt.execute(params![key.kind.as_str(), key.invoice.0, key.on, told.as_str(), now])?;
        }
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        self.tx.commit()
    }
}

#[cfg(test)]
mod tests;
