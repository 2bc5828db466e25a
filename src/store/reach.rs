//! Reaching every invoice: the lean pass over all of them behind the app's jump, and a
//! customer's settled invoices with how and when they were settled.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Result, Store, text_enum};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::Currency;

/// An invoice as the jump finds it: what it is matched on and what is said of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceBrief<'a> {
    pub id: InvoiceId,
    pub number: &'a str,
    pub customer: CustomerId,
    pub reference: Option<&'a str>,
    pub currency: &'a str,
    pub open_cents: i64,
}

/// What reduced a settled invoice: a payment, a credit, a write-off (any of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reductions {
    pub paid: bool,
    pub credited: bool,
    pub written_off: bool,
}

impl Reductions {
    /// "paid", "credited", "written off"… ([`crate::domain::invoice::settled_how`]).
    pub fn how(&self) -> &'static str {
        crate::domain::invoice::settled_how(self.paid, self.credited, self.written_off)
    }
}

/// A settled invoice of a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledRow {
    pub id: InvoiceId,
    pub number: String,
    pub amount_cents: i64,
    pub currency: Currency,
    /// The day of the last payment, credit or write-off.
    pub settled_on: NaiveDate,
    pub how: Reductions,
}

impl Store {
    /// Every invoice, lean, in one pass (a million in a few hundred milliseconds).
    pub fn each_invoice_brief(&self, mut f: impl FnMut(InvoiceBrief<'_>)) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, number, customer_id, reference, currency, open_cents FROM invoices",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let text = |i| r.get_ref(i).and_then(|v| v.as_str().map_err(rusqlite::Error::from));
            let reference = match r.get_ref(3)? {
                rusqlite::types::ValueRef::Null => None,
                v => Some(v.as_str().map_err(rusqlite::Error::from)?),
            };
            f(InvoiceBrief {
                id: InvoiceId(r.get(0)?),
                number: text(1)?,
                customer: CustomerId(r.get(2)?),
                reference,
                currency: text(4)?,
                open_cents: r.get(5)?,
            });
        }
        Ok(())
    }

    /// The invoices something other than a payment reduced (a credit, a write-off), with
    /// everything that reduced them: few, so every other settled invoice was simply paid.
    pub fn reduced_otherwise(&self) -> Result<HashMap<InvoiceId, Reductions>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT invoice_id, MAX(kind = 'payment'), MAX(kind = 'credit'), MAX(kind = 'write_off')
             FROM payments
             WHERE invoice_id IN (SELECT invoice_id FROM payments WHERE kind != 'payment')
             GROUP BY invoice_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                InvoiceId(r.get(0)?),
                Reductions { paid: r.get(1)?, credited: r.get(2)?, written_off: r.get(3)? },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's settled invoices, the most recently settled first.
    pub fn customer_settled_invoices(&self, customer: CustomerId) -> Result<Vec<SettledRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, i.number, i.amount_cents, i.currency, MAX(p.paid_on),
                    MAX(p.kind = 'payment'), MAX(p.kind = 'credit'), MAX(p.kind = 'write_off')
             FROM invoices i JOIN payments p ON p.invoice_id = i.id
             WHERE i.customer_id = ?1 AND i.is_open = 0
             GROUP BY i.id
             ORDER BY MAX(p.paid_on) DESC, i.id DESC",
        )?;
        let rows = stmt.query_map([customer.0], |r| {
            Ok(SettledRow {
                id: InvoiceId(r.get(0)?),
                number: r.get(1)?,
                amount_cents: r.get(2)?,
                currency: text_enum(r, 3)?,
                settled_on: r.get(4)?,
                how: Reductions { paid: r.get(5)?, credited: r.get(6)?, written_off: r.get(7)? },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
