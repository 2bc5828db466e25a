//! The invoices whose principal was paid late and whose interest and costs may still be
//! claimed: Today asks, for each, whether to claim them or waive them.

use chrono::NaiveDate;
use rusqlite::params;

use super::{Result, Store};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;

impl Store {
    /// Invoices paid in full between `from` and `to` (by their last payment), later than
    /// their due date (or than 30 days after issue, the Belgian default when a longer term is
    /// void), with no write-off and no claim sent, waived or paid. Reads only the payments of
    /// that span (an index range); whether anything is really owed is the claim's answer.
    pub fn paid_late(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(InvoiceId, CustomerId)>> {
        let rows = self
            .conn()
            .prepare_cached(
                "SELECT i.id, i.customer_id,
                        (SELECT max(p.paid_on) FROM payments p WHERE p.invoice_id = i.id) AS paid
                 FROM invoices i
                 WHERE i.id IN (SELECT invoice_id FROM payments WHERE paid_on BETWEEN ?1 AND ?2)
                   AND i.is_open = 0
                   AND paid BETWEEN ?1 AND ?2
                   AND paid > min(i.due, date(i.issued, '+30 days'))
                   AND NOT EXISTS (SELECT 1 FROM payments w WHERE w.invoice_id = i.id AND w.kind = 'write_off')
                   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id
                                   AND e.kind IN ('claim_sent', 'claim_waived', 'claim_paid'))
                 ORDER BY paid DESC, i.id",
            )?
            .query_map(params![from, to], |r| Ok((InvoiceId(r.get(0)?), CustomerId(r.get(1)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
