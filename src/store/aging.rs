//! The aged-receivables queries.
//!
//! Today's report reads the kept `open_cents` through the partial covering index
//! `invoices_open`; a report as of a day before some recorded payment (or before some
//! invoice was issued) recomputes from the payments dated up to that day.

use std::collections::BTreeMap;
use std::rc::Rc;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::vtab::array::Array;
use rusqlite::{Row, params};

use super::screens::iso_date;
use super::{Result, Store, StoreError};
use crate::domain::aging::{AgingReport, AgingRow, Bucket, BucketBounds, Buckets};
use crate::domain::customer::CustomerId;
use crate::domain::idmap::IdMap;
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

/// One currency's open invoices in sum ([`Store::open_sums`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenSum {
    pub currency: Currency,
    pub invoices: i64,
    pub open_cents: i64,
    pub overdue_cents: i64,
}

/// How many invoices paid after the day of a past report are looked up with one statement.
const LOOK_UPS: usize = 32 * 1024;

/// From how many invoices (the largest id) a report as of a past day on a book in a file is
/// read by two threads ([`Store::rewound_with`]); below, one does it all.
const REWIND_THREADS_FROM: i64 = 20_000;

/// A report's buckets per currency (by code) and customer, while it is read.
type PerCurrency = BTreeMap<String, IdMap<i64, Buckets>>;

/// Adds `cents` to a customer's bucket.
fn add(per: &mut PerCurrency, currency: &str, customer: i64, bucket: Bucket, cents: i64) -> Result<()> {
    let customers = match per.get_mut(currency) {
        Some(c) => c,
        None => per.entry(currency.to_string()).or_default(),
    };
    customers.entry(customer).or_default().add(bucket, cents)?;
    Ok(())
}

/// Adds the buckets of `other` to those of `per`.
fn merge(per: &mut PerCurrency, other: PerCurrency) -> Result<()> {
    for (currency, customers) in other {
        let into = per.entry(currency).or_default();
        for (customer, buckets) in customers {
            into.entry(customer).or_default().add_all(&buckets)?;
        }
    }
    Ok(())
}

/// A stored `YYYY-MM-DD` date, read without chrono's general parser when it can be.
fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    match r.get_ref(i)?.as_str().ok().and_then(iso_date) {
        Some(d) => Ok(d),
        None => r.get(i),
    }
}

/// The currencies a statement lists, by code; codes settle does not know are left out.
fn known_currencies(stmt: &mut rusqlite::Statement<'_>) -> Result<Vec<Currency>> {
    let mut out = Vec::new();
    for code in stmt.query_map([], |r| r.get::<_, String>(0))? {
        if let Ok(c) = code?.parse::<Currency>() {
            out.push(c);
        }
    }
    Ok(out)
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
        if !self.kept_amounts_hold_on(as_of)? {
            // A past day: every currency rewound at once.
            let (mine, others): (Vec<_>, Vec<_>) =
                self.rewound(as_of, None)?.into_iter().partition(|r| r.currency == book);
            let first = match mine.into_iter().next() {
                Some(r) => r,
                None => AgingReport::new(as_of, book, Vec::new())?,
            };
            return Ok(std::iter::once(first)
                .chain(others.into_iter().filter(|r| !r.rows.is_empty()))
                .collect());
        }
        let mut reports = vec![self.aging_kept(as_of, book)?];
        // Today's report needs only the currencies something is open in (read from the open
        // invoices' index, which starts with the currency).
        for c in self.open_currencies()? {
            if c != book {
                let r = self.aging_kept(as_of, c)?;
                if !r.rows.is_empty() {
                    reports.push(r);
                }
            }
        }
        Ok(reports)
    }

    /// Per currency an open invoice is in (unknown codes left out), by code: how many are
    /// open, what is open, and what of it is overdue (due before `today`, the buckets after
    /// "not due" in [`bucket_sql`]), in one scan of the covering index `invoices_open`: the
    /// header of a large book's first frame, before its aged receivables are worked out.
    pub fn open_sums(&self, today: NaiveDate) -> Result<Vec<OpenSum>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT currency, COUNT(*), SUM(open_cents), SUM(CASE WHEN due < ?1 THEN open_cents ELSE 0 END)
             FROM invoices INDEXED BY invoices_open WHERE is_open = 1 GROUP BY currency ORDER BY currency",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query([today])?;
        while let Some(r) = rows.next()? {
            let Ok(currency) = r.get::<_, String>(0)?.parse::<Currency>() else { continue };
            out.push(OpenSum {
                currency,
                invoices: r.get(1)?,
                open_cents: r.get(2)?,
                overdue_cents: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// Every currency an open invoice is in, by code: a skip over the partial index
    /// `invoices_open`, one step per currency instead of a scan of every invoice.
    pub(crate) fn open_currencies(&self) -> Result<Vec<Currency>> {
        let mut stmt = self.conn().prepare_cached(
            "WITH RECURSIVE c(code) AS (
                 SELECT MIN(currency) FROM invoices WHERE is_open = 1
                 UNION ALL
                 SELECT (SELECT MIN(currency) FROM invoices WHERE is_open = 1 AND currency > c.code)
                 FROM c WHERE c.code IS NOT NULL)
             SELECT code FROM c WHERE code IS NOT NULL",
        )?;
        known_currencies(&mut stmt)
    }

    /// The aged receivables of one currency as of a day.
    pub fn aging(&self, as_of: NaiveDate, currency: Currency) -> Result<AgingReport> {
        if self.kept_amounts_hold_on(as_of)? {
            self.aging_kept(as_of, currency)
        } else {
            self.aging_rewound(as_of, currency)
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

    /// A report as of a past day from today's kept amounts, rewound: an invoice's open amount
    /// then is its kept one plus what was paid (credited, written off) after that day, so only
    /// the invoices open today and those paid since can have been open then. Reads the open
    /// invoices (a covering index), the payments made since (a range of `payments_paid`) and
    /// the invoices those paid and issued by then, looked up in id order.
    pub fn aging_rewound(&self, as_of: NaiveDate, currency: Currency) -> Result<AgingReport> {
        let report = self.rewound(as_of, Some(currency))?.into_iter().next();
        Ok(report.map_or_else(|| AgingReport::new(as_of, currency, Vec::new()), Ok)?)
    }

    /// [`Store::aging_rewound`] of every currency something was open in on `as_of` (or of
    /// `only`), by code, in one reading: the currencies come from the invoices rewound, never
    /// from a scan of every invoice. On a book in a file of [`REWIND_THREADS_FROM`] invoices
    /// or more, two threads share the reading (see [`Store::rewound_with`]).
    fn rewound(&self, as_of: NaiveDate, only: Option<Currency>) -> Result<Vec<AgingReport>> {
        self.rewound_with(as_of, only, REWIND_THREADS_FROM)
    }

    /// [`Store::rewound`], on two threads when the book is in a file and its invoices' ids
    /// reach `threads_from`: the other thread, on a read-only connection of its own, reads the
    /// ids of the invoices issued after `as_of` (handed over as soon as it has them), then the
    /// open invoices; this one reads the payments made after `as_of`, then looks up the
    /// invoices they paid. Measured at 1M invoices, a day five months back (262,000 payments
    /// since, 168,000 of them to invoices issued since, never looked up): 0.25 s where one
    /// thread took 0.33 s, against 0.17 s for today's report. Either way the report is of
    /// one state of the book: one thread reads in one read transaction; should another
    /// program commit while two read (`PRAGMA data_version` moved), one reads again.
    pub(crate) fn rewound_with(
        &self,
        as_of: NaiveDate,
        only: Option<Currency>,
        threads_from: i64,
    ) -> Result<Vec<AgingReport>> {
        let only = only.as_ref().map(Currency::as_str);
        let large = || -> Result<bool> {
            let last: Option<i64> =
                self.conn().query_row("SELECT max(id) FROM invoices", [], |r| r.get(0))?;
            Ok(last.unwrap_or(0) >= threads_from)
        };
        let on_one =
            || self.in_one_reading(|| Ok((self.rewound_on_one(as_of, only)?, self.customer_names()?)));
        // Inside a transaction, only this connection sees what it wrote: one thread.
        let (per, names) = match self.path() {
            Some(path) if self.conn().is_autocommit() && large()? => self.one_state_or_again(
                || Ok((self.rewound_on_two(path, as_of, only)?, self.customer_names()?)),
                on_one,
            )?,
            _ => on_one()?,
        };
        let mut reports = Vec::new();
        // Codes settle does not know are left out, as everywhere.
        for (code, customers) in per {
            let Ok(currency) = code.parse::<Currency>() else { continue };
            let rows = customers
                .into_iter()
                .filter(|(_, b)| b.total_cents() > 0)
                .map(|(c, buckets)| AgingRow {
                    customer_id: CustomerId(c),
                    customer: names.get(&c).cloned().unwrap_or_default(),
                    buckets,
                })
                .collect();
            reports.push(AgingReport::new(as_of, currency, rows)?);
        }
        Ok(reports)
    }

    /// [`Store::rewound_with`]'s reading on two threads (its doc says who reads what).
    fn rewound_on_two(
        &self,
        path: &std::path::Path,
        as_of: NaiveDate,
        only: Option<&str>,
    ) -> Result<PerCurrency> {
        crate::platform::memory::one_arena();
        std::thread::scope(|scope| -> Result<PerCurrency> {
            let (send, unborn) = std::sync::mpsc::sync_channel(1);
            let other = scope.spawn(move || -> Result<PerCurrency> {
                let store = Store::open_read_only(path)?;
                let ids = store.issued_after(as_of);
                let failed = ids.is_err();
                // The receiver is gone only if this thread's twin stopped first.
                let _ = send.send(ids);
                if failed {
                    return Ok(PerCurrency::new());
                }
                store.open_then(as_of, only)
            });
            let later = self.paid_after(as_of);
            let stopped = || StoreError::Invalid("a share of the report as of a past day stopped".into());
            // Nothing handed over: the other thread stopped before, its error says why.
            let Ok(unborn) = unborn.recv() else {
                return Err(other.join().map_err(|_| stopped())?.err().unwrap_or_else(stopped));
            };
            let mut per = PerCurrency::new();
            self.add_paid_since(&mut per, as_of, only, &later?, &unborn?)?;
            let open = other.join().map_err(|_| stopped())??;
            merge(&mut per, open)?;
            Ok(per)
        })
    }

    /// [`Store::rewound_with`]'s reading on this thread alone.
    fn rewound_on_one(&self, as_of: NaiveDate, only: Option<&str>) -> Result<PerCurrency> {
        let mut per = self.open_then(as_of, only)?;
        self.add_paid_since(&mut per, as_of, only, &self.paid_after(as_of)?, &self.issued_after(as_of)?)?;
        Ok(per)
    }

    /// The open invoices issued by `as_of`, in their buckets as of that day (their kept open
    /// amount: what was paid since is added by [`Store::add_paid_since`]).
    fn open_then(&self, as_of: NaiveDate, only: Option<&str>) -> Result<PerCurrency> {
        let mut per = PerCurrency::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT currency, customer_id, due, open_cents FROM invoices INDEXED BY invoices_open_rows
             WHERE is_open = 1 AND (?1 IS NULL OR currency = ?1) AND issued <= ?2",
        )?;
        let mut rows = stmt.query(params![only, as_of])?;
        while let Some(r) = rows.next()? {
            let currency = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            add(&mut per, currency, r.get(1)?, Bucket::of(date(r, 2)?, as_of), r.get(3)?)?;
        }
        Ok(per)
    }

    /// What was paid (credited, written off) after `as_of`, per invoice, in id order.
    fn paid_after(&self, as_of: NaiveDate) -> Result<Vec<(i64, i64)>> {
        let mut later: Vec<(i64, i64)> = self
            .conn()
            .prepare_cached(
                "SELECT invoice_id, amount_cents FROM payments INDEXED BY payments_paid WHERE paid_on > ?1",
            )?
            .query_map([as_of], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        later.sort_unstable();
        later.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 = kept.1.saturating_add(next.1);
            }
            same
        });
        Ok(later)
    }

    /// The ids of the invoices issued after `as_of`, in order: a range of the narrow index by
    /// issue date, far cheaper than looking up their rows.
    fn issued_after(&self, as_of: NaiveDate) -> Result<Vec<i64>> {
        let mut ids: Vec<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM invoices INDEXED BY invoices_issued WHERE issued > ?1")?
            .query_map([as_of], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Adds to `per` what was paid after `as_of` (`later`, by invoice in id order) to the
    /// invoices it paid, in their buckets as of that day; those issued after it (`unborn`, in
    /// order) were not there yet and are left out before any lookup.
    fn add_paid_since(
        &self,
        per: &mut PerCurrency,
        as_of: NaiveDate,
        only: Option<&str>,
        later: &[(i64, i64)],
        unborn: &[i64],
    ) -> Result<()> {
        let mut unborn = unborn.iter().peekable();
        let later: Vec<(i64, i64)> = later
            .iter()
            .filter(|(id, _)| {
                while unborn.next_if(|u| *u < id).is_some() {}
                unborn.peek() != Some(&id)
            })
            .copied()
            .collect();
        // CROSS JOIN: the ids in their order, each looked up (never a scan of the invoices); a
        // slice of them at a time, so the list bound as a parameter stays small.
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, i.currency, i.customer_id, i.due FROM rarray(?1) a CROSS JOIN invoices i ON i.id = a.value
             WHERE (?2 IS NULL OR i.currency = ?2) AND i.issued <= ?3",
        )?;
        for slice in later.chunks(LOOK_UPS) {
            let ids: Array = Rc::new(slice.iter().map(|(id, _)| Value::Integer(*id)).collect());
            let mut rows = stmt.query(params![ids, only, as_of])?;
            let mut paid = slice.iter().peekable();
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                while paid.next_if(|(p, _)| *p < id).is_some() {}
                if let Some((_, cents)) = paid.next_if(|(p, _)| *p == id) {
                    let currency = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                    add(per, currency, r.get(2)?, Bucket::of(date(r, 3)?, as_of), *cents)?;
                }
            }
        }
        Ok(())
    }

    /// Open amounts recomputed from every payment dated up to `as_of` (the reference the
    /// kept and rewound amounts are tested against).
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
