//! Queries behind the app's screens. Each runs when data changes or a screen opens, never
//! per frame.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::invoices::{COLUMNS, row_from};
use super::{Result, Store};
use crate::domain::agenda::StepSet;
use crate::domain::alerts::{AlertKey, AlertKind};
use crate::domain::customer::CustomerId;
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::InvoiceId;
use crate::domain::invoice::InvoiceRow;
use crate::domain::money::{Currency, Money};

/// An open invoice as the one pass over the open invoices reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenRow<'a> {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub due: NaiveDate,
    pub open_cents: i64,
    pub currency: &'a str,
    pub number: &'a str,
    /// What the invoice was for and the day it was issued: read only by the pass with the
    /// alerts told ([`Store::each_open_invoice_with_told`]), every other one does without.
    pub billed: Option<Billed>,
}

/// An open invoice's amount and issue day (see [`OpenRow::billed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Billed {
    pub amount_cents: i64,
    pub issued: NaiveDate,
}

/// A range of invoice ids, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenIds {
    from: i64,
    to: i64,
}

impl OpenIds {
    /// Every id.
    pub const ALL: OpenIds = OpenIds { from: i64::MIN, to: i64::MAX };

    /// One invoice's id.
    pub fn one(id: InvoiceId) -> OpenIds {
        OpenIds { from: id.0, to: id.0 }
    }
}

/// One of an invoice's events that the ladder reads (a step, a dispute opened or resolved),
/// as the pass over the open invoices reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LadderEvent {
    pub on: NaiveDate,
    pub kind: EventKind,
    pub channel: Option<Channel>,
}

impl From<&crate::domain::event::TimelineEntry> for LadderEvent {
    fn from(e: &crate::domain::event::TimelineEntry) -> LadderEvent {
        LadderEvent { on: e.on, kind: e.kind, channel: e.channel }
    }
}

/// The kinds of event the ladder reads: those the index `events_ladder` holds.
const LADDER_KINDS: [EventKind; 8] = [
    EventKind::NudgeSent,
    EventKind::ReminderSent,
    EventKind::CallLogged,
    EventKind::FirmReminderSent,
    EventKind::FormalNoticeSent,
    EventKind::HandedToAgency,
    EventKind::DisputeOpened,
    EventKind::DisputeResolved,
];

/// The open invoices in id order (between two ids), from the covering index
/// `invoices_open_rows`: the columns every pass reads, and those only the alerts' pass reads
/// (each column costs, at a hundred thousand rows and more).
const OPEN_ROWS: &str = "SELECT id, customer_id, due, open_cents, currency, number
 FROM invoices INDEXED BY invoices_open_rows WHERE is_open = 1 AND id >= ?1 AND id <= ?2 ORDER BY id";
const OPEN_ROWS_BILLED: &str =
    "SELECT id, customer_id, due, open_cents, currency, number, amount_cents, issued
 FROM invoices INDEXED BY invoices_open_rows WHERE is_open = 1 AND id >= ?1 AND id <= ?2 ORDER BY id";

/// The alerts told, by invoice, from the covering index `notified_invoice`.
const TOLD: &str = "SELECT invoice_id, kind, on_date FROM notified INDEXED BY notified_invoice
 WHERE invoice_id >= ?1 AND invoice_id <= ?2 ORDER BY invoice_id";

/// The ladder's events of every invoice, by invoice, day and record, from the covering index
/// `events_ladder` (its condition, word for word, so SQLite takes it).
const LADDER_EVENTS: &str = "SELECT invoice_id, on_date, kind, channel FROM events INDEXED BY events_ladder
 WHERE kind IN ('nudge_sent', 'reminder_sent', 'call_logged', 'firm_reminder_sent', 'formal_notice_sent',
                'handed_to_agency', 'dispute_opened', 'dispute_resolved')
   AND invoice_id >= ?1 AND invoice_id <= ?2
 ORDER BY invoice_id, on_date, id";

/// An open invoice as `settle invoice list` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedInvoice<'a> {
    pub number: &'a str,
    pub customer: &'a str,
    pub due: NaiveDate,
    pub amount: Money,
    pub open: Money,
}

/// A paid invoice to thank the customer for, as Today reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThankYouRow {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub number: String,
    pub due: NaiveDate,
    pub currency: String,
    /// What the invoice was for (all of it was paid).
    pub amount_cents: i64,
    pub steps_done: StepSet,
    /// The day of the last payment.
    pub paid_on: NaiveDate,
}

/// `meta` keys of the app's run days.
const LAST_RUN: &str = "app_last_run";
const PREVIOUS_RUN: &str = "app_previous_run";

/// Reads a stored `YYYY-MM-DD` date without chrono's general parser (a million of them
/// for the first frame of a large book); `None` sends anything else to the general one.
pub(super) fn iso_date(s: &str) -> Option<NaiveDate> {
    iso_date_bytes(s.as_bytes())
}

/// [`iso_date`] of the bytes of a stored date (no check that they are UTF-8 first).
pub(super) fn iso_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// A query read beside the open invoices, in the same invoice order: the rows of the
/// current invoice, those of invoices that are not open (settled, or not reached) passed.
struct Beside<'s, T> {
    rows: Option<rusqlite::Rows<'s>>,
    read: fn(&rusqlite::Row<'_>) -> Result<Option<T>>,
    next: Option<(InvoiceId, T)>,
    mine: Vec<T>,
}

impl<'s, T> Beside<'s, T> {
    fn new(
        rows: Option<rusqlite::Rows<'s>>,
        read: fn(&rusqlite::Row<'_>) -> Result<Option<T>>,
    ) -> Result<Self> {
        let mut b = Beside { rows, read, next: None, mine: Vec::new() };
        b.next = b.read_next()?;
        Ok(b)
    }

    /// The next row (rows that read as nothing, such as an alert of a kind no longer told,
    /// are passed); its invoice is in column 0.
    fn read_next(&mut self) -> Result<Option<(InvoiceId, T)>> {
        let Some(rows) = self.rows.as_mut() else { return Ok(None) };
        while let Some(r) = rows.next()? {
            if let Some(t) = (self.read)(r)? {
                return Ok(Some((InvoiceId(r.get(0)?), t)));
            }
        }
        Ok(None)
    }

    /// Keeps the rows of invoice `id` in `mine`.
    fn advance_to(&mut self, id: InvoiceId) -> Result<()> {
        self.mine.clear();
        while let Some((invoice, _)) = &self.next {
            if *invoice > id {
                break;
            }
            if let Some((invoice, t)) = self.next.take()
                && invoice == id
            {
                self.mine.push(t);
            }
            self.next = self.read_next()?;
        }
        Ok(())
    }
}

/// An event of [`LADDER_EVENTS`], its text compared as bytes (a few hundred thousand rows).
fn ladder_event(r: &rusqlite::Row<'_>) -> Result<Option<LadderEvent>> {
    let bytes = |i| r.get_ref(i).and_then(|v| v.as_bytes_or_null().map_err(rusqlite::Error::from));
    let kind_text = bytes(2)?.unwrap_or_default();
    let kind = match LADDER_KINDS.iter().find(|k| k.as_str().as_bytes() == kind_text) {
        Some(k) => *k,
        None => super::text_enum(r, 2)?,
    };
    let channel = match bytes(3)? {
        None => None,
        Some(c) => [Channel::Email, Channel::Letter, Channel::Phone, Channel::InPerson]
            .into_iter()
            .find(|k| k.as_str().as_bytes() == c)
            .or_else(|| std::str::from_utf8(c).ok().and_then(|c| c.parse().ok())),
    };
    let on = match bytes(1)?.and_then(iso_date_bytes) {
        Some(d) => d,
        None => r.get(1)?,
    };
    Ok(Some(LadderEvent { on, kind, channel }))
}

/// An alert of [`TOLD`].
fn told_key(r: &rusqlite::Row<'_>) -> Result<Option<AlertKey>> {
    let text = |i| r.get_ref(i).and_then(|v| v.as_str().map_err(rusqlite::Error::from));
    let Some(kind) = AlertKind::named(text(1)?) else { return Ok(None) };
    let on = match iso_date(text(2)?) {
        Some(d) => d,
        None => r.get(2)?,
    };
    Ok(Some(AlertKey { kind, invoice: InvoiceId(r.get(0)?), on }))
}

impl Store {
    /// SQLite's `PRAGMA data_version`: it changes when another connection commits, so a
    /// long-running app can notice writes by `settle check` or a second terminal.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn().pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// What `on_two` read (on several connections, each reading in turn), if no other
    /// connection committed meanwhile (`PRAGMA data_version` did not move); else they may have
    /// read the book before and after, and `again` reads it once more (in one transaction).
    pub fn one_state_or_again<T>(
        &self,
        on_two: impl FnOnce() -> Result<T>,
        again: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let before = self.data_version()?;
        let read = on_two()?;
        if self.data_version()? == before { Ok(read) } else { again() }
    }

    /// Runs `f`'s reads in one read transaction, so they all see the book as it was at the
    /// first (a transaction already open is that transaction).
    pub fn in_one_reading<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn().is_autocommit() {
            return f();
        }
        self.conn().execute_batch("BEGIN")?;
        let out = f();
        // It only read: ending it changes nothing, whatever `f` gave.
        let end = self.conn().execute_batch("COMMIT");
        let out = out?;
        end?;
        Ok(out)
    }

    /// Records that the app runs on `today` and returns the day of the run before today, if
    /// any. Running twice on one day keeps the earlier day, so "since the last run" stays
    /// the same all day.
    pub fn record_app_run(&self, today: NaiveDate) -> Result<Option<NaiveDate>> {
        let day = |key: &str| -> Result<Option<NaiveDate>> {
            Ok(self.meta(key)?.and_then(|v| v.parse::<NaiveDate>().ok()))
        };
        let last = day(LAST_RUN)?;
        if last == Some(today) {
            return day(PREVIOUS_RUN);
        }
        let tx = self.write_tx()?;
        if let Some(last) = last {
            super::set_meta_in(&tx, PREVIOUS_RUN, &last.to_string())?;
        }
        super::set_meta_in(&tx, LAST_RUN, &today.to_string())?;
        tx.commit()?;
        Ok(last.filter(|d| *d < today))
    }

    /// Calls `f` for every open invoice, in id order, read from the covering index
    /// `invoices_open_rows` without visiting the table: one pass gives Today's agenda, the
    /// aging buckets, the open counts and the alerts. Borrowed text, so nothing is allocated
    /// per row unless `f` keeps it.
    pub fn each_open_invoice(&self, mut f: impl FnMut(OpenRow<'_>)) -> Result<()> {
        self.open_pass(OpenIds::ALL, false, false, |r, _, _| f(r))
    }

    /// [`Store::each_open_invoice`], each invoice with its ladder events, oldest first (as
    /// its timeline orders them). The events are read alongside from the index
    /// `events_ladder`, in the same invoice order: one pass over each, whatever the book's
    /// size, and only the current invoice's events in memory.
    pub fn each_open_invoice_with_events(&self, f: impl FnMut(OpenRow<'_>, &[LadderEvent])) -> Result<()> {
        self.each_open_invoice_with_events_in(OpenIds::ALL, f)
    }

    /// [`Store::each_open_invoice_with_events`] over the open invoices whose ids are in
    /// `ids` (a share of the pass, for another thread: [`Store::open_ranges`]).
    pub fn each_open_invoice_with_events_in(
        &self,
        ids: OpenIds,
        mut f: impl FnMut(OpenRow<'_>, &[LadderEvent]),
    ) -> Result<()> {
        self.open_pass(ids, true, false, |r, e, _| f(r, e))
    }

    /// The open invoices due on a day from `from` up to `to` (not included), by id.
    pub fn open_ids_due_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<InvoiceId>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id FROM invoices INDEXED BY invoices_open WHERE is_open = 1 AND due >= ?1 AND due < ?2
             ORDER BY id",
        )?;
        let ids = stmt.query_map(params![from, to], |r| Ok(InvoiceId(r.get(0)?)))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// The open invoices' ids cut into `count` ranges as wide as each other (their shares
    /// of the pass for several threads: [`Store::each_open_invoice_with_events_in`]); none
    /// when they span fewer than `least` ids, too few for threads to be worth it.
    pub fn open_ranges(&self, count: i64, least: i64) -> Result<Option<Vec<OpenIds>>> {
        let end = |order: &str| -> Result<Option<i64>> {
            Ok(self
                .conn()
                .query_row(
                    &format!(
                        "SELECT id FROM invoices INDEXED BY invoices_open_rows WHERE is_open = 1 ORDER BY id {order} LIMIT 1"
                    ),
                    [],
                    |r| r.get(0),
                )
                .optional()?)
        };
        let (Some(first), Some(last)) = (end("ASC")?, end("DESC")?) else { return Ok(None) };
        if last.saturating_sub(first) < least {
            return Ok(None);
        }
        let width = ((last - first) / count.max(1)).max(1);
        let mut ranges = Vec::new();
        let mut from = i64::MIN;
        let mut at = first.saturating_add(width);
        while at <= last {
            ranges.push(OpenIds { from, to: at - 1 });
            from = at;
            at = at.saturating_add(width);
        }
        ranges.push(OpenIds { from, to: i64::MAX });
        Ok(Some(ranges))
    }

    /// [`Store::each_open_invoice_with_events`], each invoice also with the alerts already
    /// told about it (`settle check`'s record, read alongside in the same order from the index
    /// `notified_invoice`): every alert is compared with what was told in one pass.
    pub fn each_open_invoice_with_told(
        &self,
        f: impl FnMut(OpenRow<'_>, &[LadderEvent], &[AlertKey]),
    ) -> Result<()> {
        self.open_pass(OpenIds::ALL, true, true, f)
    }

    fn open_pass(
        &self,
        ids: OpenIds,
        with_events: bool,
        with_told: bool,
        mut f: impl FnMut(OpenRow<'_>, &[LadderEvent], &[AlertKey]),
    ) -> Result<()> {
        let range = params![ids.from, ids.to];
        let mut stmt = self.conn().prepare_cached(if with_told { OPEN_ROWS_BILLED } else { OPEN_ROWS })?;
        let mut rows = stmt.query(range)?;
        let mut events_stmt = self.conn().prepare_cached(LADDER_EVENTS)?;
        let mut events =
            Beside::new(with_events.then(|| events_stmt.query(range)).transpose()?, ladder_event)?;
        let mut told_stmt = self.conn().prepare_cached(TOLD)?;
        let mut told = Beside::new(with_told.then(|| told_stmt.query(range)).transpose()?, told_key)?;
        while let Some(r) = rows.next()? {
            let text = |i| r.get_ref(i).and_then(|v| v.as_str().map_err(rusqlite::Error::from));
            let date = |i| {
                let b = r.get_ref(i).and_then(|v| v.as_bytes().map_err(rusqlite::Error::from))?;
                iso_date_bytes(b).map_or_else(|| r.get(i), Ok)
            };
            let id = InvoiceId(r.get(0)?);
            events.advance_to(id)?;
            told.advance_to(id)?;
            f(
                OpenRow {
                    id,
                    customer_id: CustomerId(r.get(1)?),
                    due: date(2)?,
                    open_cents: r.get(3)?,
                    currency: text(4)?,
                    number: text(5)?,
                    billed: match with_told {
                        true => Some(Billed { amount_cents: r.get(6)?, issued: date(7)? }),
                        false => None,
                    },
                },
                &events.mine,
                &told.mine,
            );
        }
        Ok(())
    }

    /// Every open invoice (of every currency), oldest due date first, one at a time to `f`,
    /// its text borrowed from the row: nothing is collected.
    pub fn each_open_invoice_by_due<E: From<super::StoreError>>(
        &self,
        mut f: impl FnMut(&ListedInvoice<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        use super::export::{db, text};
        let names = self.customer_names().map_err(E::from)?;
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT number, customer_id, due, amount_cents, open_cents, currency FROM invoices
                 WHERE is_open = 1 ORDER BY due, number",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let row = (|| -> rusqlite::Result<ListedInvoice<'_>> {
                let currency: Currency = super::text_enum(r, 5)?;
                let customer: i64 = r.get(1)?;
                Ok(ListedInvoice {
                    number: text(r, 0)?,
                    customer: names.get(&customer).map_or("", String::as_str),
                    due: iso_date(text(r, 2)?).map_or_else(|| r.get(2), Ok)?,
                    amount: Money::from_cents(r.get(3)?, currency),
                    open: Money::from_cents(r.get(4)?, currency),
                })
            })()
            .map_err(db)?;
            f(&row)?;
        }
        Ok(())
    }

    /// Cents invoiced in `currency` on the days after `from` up to and including `to`.
    pub fn invoiced_between(&self, currency: Currency, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM invoices INDEXED BY invoices_issued
                 WHERE issued > ?2 AND issued <= ?3 AND currency = ?1",
            )?
            .query_row(params![currency.as_str(), from, to], |r| r.get(0))?)
    }

    /// For each of a customer's invoices paid in full (write-offs left out): its due date and
    /// the day the last payment arrived.
    pub fn paid_history(&self, customer: CustomerId) -> Result<Vec<(NaiveDate, NaiveDate)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.due, MAX(p.paid_on) FROM invoices i JOIN payments p ON p.invoice_id = i.id
             WHERE i.customer_id = ?1 AND i.is_open = 0
             GROUP BY i.id HAVING SUM(p.kind = 'write_off') = 0",
        )?;
        let rows = stmt.query_map([customer.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's open invoices, oldest due date first.
    pub fn customer_open_invoices(&self, customer: CustomerId) -> Result<Vec<InvoiceRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.customer_id = ?1 AND i.is_open = 1 ORDER BY i.due, i.number"
        ))?;
        let rows = stmt.query_map([customer.0], row_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The number of open invoices per customer.
    pub fn open_counts(&self) -> Result<Vec<(CustomerId, i64)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT customer_id, count(*) FROM invoices INDEXED BY invoices_open WHERE is_open = 1 GROUP BY customer_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((CustomerId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The id of the invoice with this number, if any.
    pub fn invoice_id(&self, number: &str) -> Result<Option<InvoiceId>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM invoices WHERE number = ?1")?
            .query_row([number.trim()], |r| r.get(0).map(InvoiceId))
            .optional()?)
    }
}

impl Store {
    /// Invoices paid in full between `from` and `to` (by their last payment) that needed at
    /// least one reminder (or a call, or more) and were not thanked yet, nor have interest and
    /// costs claimed and still unpaid: Today proposes the thank-you letter for each. Reads only the payments of that span (an index range).
    pub fn thank_yous_due(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ThankYouRow>> {
        let mask = super::invoices::step_mask_after_nudge();
        let rows = self
            .conn()
            .prepare_cached(
                "SELECT i.id, i.customer_id, i.number, i.due, i.currency, i.steps_done, i.amount_cents,
                        (SELECT max(p.paid_on) FROM payments p WHERE p.invoice_id = i.id) AS paid
                 FROM invoices i
                 WHERE i.id IN (SELECT invoice_id FROM payments WHERE paid_on BETWEEN ?1 AND ?2)
                   AND i.is_open = 0 AND (i.steps_done & ?3) != 0
                   AND NOT EXISTS (SELECT 1 FROM payments w WHERE w.invoice_id = i.id AND w.kind = 'write_off')
                   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id AND e.kind = 'thank_you_sent')
                   AND (NOT EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id AND e.kind = 'claim_sent')
                        OR EXISTS (SELECT 1 FROM events e WHERE e.invoice_id = i.id
                                   AND e.kind IN ('claim_paid', 'claim_waived')))
                   AND paid BETWEEN ?1 AND ?2
                 ORDER BY paid DESC, i.id",
            )?
            .query_map(params![from, to, mask], |r| {
                Ok(ThankYouRow {
                    id: InvoiceId(r.get(0)?),
                    customer_id: CustomerId(r.get(1)?),
                    number: r.get(2)?,
                    due: r.get(3)?,
                    currency: r.get(4)?,
                    steps_done: StepSet(u8::try_from(r.get::<_, i64>(5)? & 0x3f).unwrap_or(0)),
                    amount_cents: r.get(6)?,
                    paid_on: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::NewCustomer;
    use crate::domain::invoice::{NewInvoice, NewPayment, PaymentKind};
    use crate::domain::money::Money;
    use crate::domain::policy::Step;
    use rust_decimal::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn book() -> (Store, CustomerId) {
        let s = Store::open_in_memory().unwrap();
        let c = s.add_customer(&NewCustomer::named("Acme BV")).unwrap();
        for (n, due) in [("A-1", "2026-11-01"), ("A-2", "2026-11-25"), ("A-3", "2026-12-20")] {
            s.add_invoice(&NewInvoice {
                number: n.into(),
                customer_id: c,
                issued: d("2026-10-01"),
                due: d(due),
                amount: Money::new(dec!(100), Currency::EUR),
                description: String::new(),
                reference: None,
            })
            .unwrap();
        }
        (s, c)
    }

    #[test]
    fn iso_dates_parse_fast_and_strictly() {
        assert_eq!(iso_date("2026-11-23"), Some(d("2026-11-23")));
        for bad in ["2026-02-30", "2026-1-23", "20261123xx", "2026/11/23", "abcd-ef-gh", ""] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn run_days_remember_the_run_before_today() {
        let (s, _) = book();
        assert_eq!(s.record_app_run(d("2026-11-20")).unwrap(), None);
        assert_eq!(s.record_app_run(d("2026-11-23")).unwrap(), Some(d("2026-11-20")));
        // A second run the same day sees the same previous day.
        assert_eq!(s.record_app_run(d("2026-11-23")).unwrap(), Some(d("2026-11-20")));
        assert_eq!(s.record_app_run(d("2026-11-24")).unwrap(), Some(d("2026-11-23")));
    }

    #[test]
    fn the_open_pass_skips_paid_invoices_and_gives_each_its_ladder_events() {
        let (s, _) = book();
        let numbers = |s: &Store| {
            let mut v = Vec::new();
            s.each_open_invoice_with_events(|r, events| {
                let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
                v.push((r.number.to_string(), kinds, r.currency.to_string(), r.billed))
            })
            .unwrap();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let id2 = s.invoice_id("A-2").unwrap().unwrap();
        s.record_step(id2, Step::Call, d("2026-11-20"), None, "").unwrap();
        let all = numbers(&s);
        assert_eq!(all.len(), 3);
        assert_eq!(all[1], ("A-2".to_string(), vec![EventKind::CallLogged], "EUR".to_string(), None));
        assert!(all[0].1.is_empty() && all[2].1.is_empty());
        let mut billed = Vec::new();
        s.each_open_invoice_with_told(|r, _, told| billed.push((r.billed, told.len()))).unwrap();
        assert_eq!(billed[0], (Some(Billed { amount_cents: 10_000, issued: d("2026-10-01") }), 0));
        let id = s.invoice_id("A-1").unwrap().unwrap();
        s.add_payment(&NewPayment {
            invoice: id,
            on: d("2026-11-10"),
            amount: dec!(100),
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        })
        .unwrap();
        assert_eq!(numbers(&s).iter().map(|n| n.0.as_str()).collect::<Vec<_>>(), ["A-2", "A-3"]);
        assert_eq!(s.invoiced_between(Currency::EUR, d("2026-09-30"), d("2026-10-01")).unwrap(), 30_000);
        assert_eq!(s.invoiced_between(Currency::EUR, d("2026-10-01"), d("2026-11-23")).unwrap(), 0);
    }

    #[test]
    fn paid_history_and_open_invoices_of_a_customer() {
        let (s, c) = book();
        let id = s.invoice_id("A-1").unwrap().unwrap();
        for (on, amount) in [("2026-11-05", dec!(40)), ("2026-11-09", dec!(60))] {
            s.add_payment(&NewPayment {
                invoice: id,
                on: d(on),
                amount,
                kind: PaymentKind::Payment,
                method: None,
                note: String::new(),
            })
            .unwrap();
        }
        assert_eq!(s.paid_history(c).unwrap(), [(d("2026-11-01"), d("2026-11-09"))]);
        let open: Vec<String> =
            s.customer_open_invoices(c).unwrap().into_iter().map(|r| r.invoice.number).collect();
        assert_eq!(open, ["A-2", "A-3"]);
        assert_eq!(s.open_counts().unwrap(), [(c, 2)]);
    }

    #[test]
    fn data_version_moves_when_another_connection_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let a = Store::open(&path).unwrap();
        let before = a.data_version().unwrap();
        let b = Store::open(&path).unwrap();
        b.add_customer(&NewCustomer::named("Other")).unwrap();
        assert_ne!(a.data_version().unwrap(), before);
    }
}
