//! The aged-receivables queries.
//!
//! Today's report reads the kept `open_cents` through the partial covering index
//! `invoices_open`; a report as of a day before some recorded payment (or before some
//! invoice was issued) recomputes from the payments dated up to that day.

use chrono::NaiveDate;
use rusqlite::params;

use super::{Result, Store};
use crate::domain::aging::{AgingReport, AgingRow, BucketBounds, Buckets};
use crate::domain::customer::CustomerId;
use crate::domain::money::Currency;

/// Sums open cents into the five buckets by comparing due dates with the bucket bounds
/// (?2..?5), grouped per customer. `{source}` yields (customer_id, due, open_cents).
fn bucket_sql(source: &str) -> String {
    format!(
        "SELECT c.id, c.name, a.nd, a.b1, a.b2, a.b3, a.b4 FROM (
           SELECT customer_id,
             SUM(CASE WHEN due >= ?2 THEN open_cents ELSE 0 END) AS nd,
             SUM(CASE WHEN due < ?2 AND due >= ?3 THEN open_cents ELSE 0 END) AS b1,
             SUM(CASE WHEN due < ?3 AND due >= ?4 THEN open_cents ELSE 0 END) AS b2,
             SUM(CASE WHEN due < ?4 AND due >= ?5 THEN open_cents ELSE 0 END) AS b3,
             SUM(CASE WHEN due < ?5 THEN open_cents ELSE 0 END) AS b4
           FROM ({source}) GROUP BY customer_id
         ) a JOIN customers c ON c.id = a.customer_id"
    )
}

impl Store {
    /// The book's currency: the `currency` setting, EUR when unset.
    pub fn book_currency(&self) -> Result<Currency> {
        Ok(self.meta("currency")?.and_then(|c| c.parse().ok()).unwrap_or_default())
    }

    /// The aged receivables of every currency with something open as of a day: the book's
    /// currency first (even when nothing is open in it), then the others by code.
    pub fn aging_by_currency(&self, as_of: NaiveDate) -> Result<Vec<AgingReport>> {
        let book = self.book_currency()?;
        let mut reports = vec![self.aging(as_of, book)?];
        for c in self.currencies()? {
            if c != book {
                let r = self.aging(as_of, c)?;
                if !r.rows.is_empty() {
                    reports.push(r);
                }
            }
        }
        Ok(reports)
    }

    /// Every currency an invoice of the book is in, by code (unknown codes left out).
    pub fn currencies(&self) -> Result<Vec<Currency>> {
        let mut stmt =
            self.conn().prepare_cached("SELECT DISTINCT currency FROM invoices ORDER BY currency")?;
        let codes = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for code in codes {
            if let Ok(c) = code?.parse::<Currency>() {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The aged receivables of one currency as of a day.
    pub fn aging(&self, as_of: NaiveDate, currency: Currency) -> Result<AgingReport> {
        if self.kept_amounts_hold_on(as_of)? {
            self.aging_kept(as_of, currency)
        } else {
            self.aging_recomputed(as_of, currency)
        }
    }

    /// Whether the kept open amounts are the open amounts as of `as_of`: true when no
    /// payment is dated after it and no invoice issued after it (two index look-ups).
    pub fn kept_amounts_hold_on(&self, as_of: NaiveDate) -> Result<bool> {
        let (last_paid, last_issued): (Option<NaiveDate>, Option<NaiveDate>) = self.conn().query_row(
            "SELECT (SELECT max(paid_on) FROM payments), (SELECT max(issued) FROM invoices)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(last_paid.is_none_or(|d| d <= as_of) && last_issued.is_none_or(|d| d <= as_of))
    }

    /// The fast path: kept open amounts through the partial covering index.
    pub fn aging_kept(&self, as_of: NaiveDate, currency: Currency) -> Result<AgingReport> {
        let sql = bucket_sql(
            "SELECT customer_id, due, open_cents FROM invoices INDEXED BY invoices_open
             WHERE is_open = 1 AND currency = ?1",
        );
        self.run_aging(&sql, as_of, currency)
    }

    /// The slow path: open amounts recomputed from payments dated up to `as_of`.
    pub fn aging_recomputed(&self, as_of: NaiveDate, currency: Currency) -> Result<AgingReport> {
        // One covering-index look-up per invoice over a sequential scan of the invoices (a
        // LEFT JOIN on a grouped payments subquery is about twice as slow). `LIMIT -1` keeps
        // SQLite from flattening the subquery into the outer sums, which would repeat the
        // correlated look-up once per bucket expression.
        let sql = bucket_sql(
            "SELECT customer_id, due, open_cents FROM (
               SELECT i.customer_id, i.due, i.amount_cents - COALESCE(
                   (SELECT SUM(p.amount_cents) FROM payments p
                    WHERE p.invoice_id = i.id AND p.paid_on <= ?6), 0) AS open_cents
               FROM invoices i NOT INDEXED
               WHERE i.currency = ?1 AND i.issued <= ?6 LIMIT -1)
             WHERE open_cents > 0",
        );
        self.run_aging(&sql, as_of, currency)
    }

    fn run_aging(&self, sql: &str, as_of: NaiveDate, currency: Currency) -> Result<AgingReport> {
        let b = BucketBounds::as_of(as_of);
        let mut stmt = self.conn().prepare_cached(sql)?;
        // ?6 (the as-of day) is only used by the recomputing query: bind what each one names.
        let all =
            params![currency.as_str(), b.not_due_from, b.d1_30_from, b.d31_60_from, b.d61_90_from, as_of];
        let used = stmt.parameter_count().min(all.len());
        let rows = stmt.query_map(&all[..used], |r| {
            Ok((
                AgingRow {
                    customer_id: CustomerId(r.get(0)?),
                    customer: r.get(1)?,
                    buckets: Buckets::default(),
                },
                [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
            ))
        })?;
        let mut aged = Vec::new();
        for row in rows {
            let (mut row, cents) = row?;
            row.buckets = Buckets::new(cents)?;
            aged.push(row);
        }
        Ok(AgingReport::new(as_of, currency, aged)?)
    }
}
