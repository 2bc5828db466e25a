//! Writing a whole book in one transaction (demo data, imports), row by row through the same
//! inserts as the app and the command line; their statements are cached on the connection,
//! so a large book is not prepared again row after row.

use chrono::NaiveDate;

use super::customers::insert_note;
use super::events::set_dispute_in;
use super::invoices::{Reduction, insert_invoice, insert_payment};
use super::letters::record_in;
use super::{Result, Store};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::event::Channel;
use crate::domain::invoice::{InvoiceId, NewInvoice, PaymentKind};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Step;
use crate::domain::reference::PayRef;

/// An invoice with its history, written in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkInvoice {
    pub number: String,
    pub customer: CustomerId,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    pub currency: Currency,
    pub description: String,
    pub reference: Option<PayRef>,
    pub payments: Vec<(NaiveDate, i64, PaymentKind)>,
    pub steps: Vec<(Step, NaiveDate, Channel)>,
    pub notes: Vec<(NaiveDate, String)>,
    /// A dispute opened on this day and still open.
    pub disputed_since: Option<NaiveDate>,
    /// What was done once it was paid: a thank-you sent (by email), the interest and costs
    /// of a late payment waived; with its day and detail.
    pub after_payment: Vec<(crate::domain::event::EventKind, NaiveDate, String)>,
}

/// A write of many rows at once, for which some secondary indexes are dropped and built
/// again at the end, each in one sort, rather than entry by entry in the order the rows come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// A whole book written into an empty one (the demo).
    Book,
    /// The payments of a long bank statement (its first pass: the lines that name their
    /// invoice).
    Statement,
}

impl Bulk {
    /// The indexes it drops.
    ///
    /// A whole book: the secondary indexes of the invoices, payments, events and notes that
    /// no insert looks up by (the inserts read the invoices by id, the events by invoice —
    /// `events_invoice` —, the payments by invoice to set the open amount again —
    /// `payments_invoice`, kept — and the unique indexes check their rows).
    ///
    /// A statement: those its payments change in places spread over the book (by due date,
    /// day, amount and customer) and that its first pass never reads, and its bank entries
    /// by day and amount (`bank_entries_line`), which each line reads to tell a line already
    /// dealt with: while it is built again, the entries the book had before have their own
    /// (see [`DeferredIndexes::entries_before`]). The others it changes go in the order of
    /// the statement's invoices (by id, by invoice).
    fn indexes(self) -> &'static [&'static str] {
        match self {
            Bulk::Book => &[
                "invoices_customer",
                "invoices_open",
                "invoices_issued",
                "invoices_reference",
                "invoices_open_rows",
                "payments_paid",
                "payments_amount",
                "events_customer",
                "events_ladder",
                "notes_customer",
            ],
            Bulk::Statement => {
                &["invoices_open", "payments_paid", "payments_amount", "events_customer", "bank_entries_line"]
            }
        }
    }
}

/// The fewest lines of a statement for which its payments' indexes are built again rather
/// than entered line by line ([`Store::worth_deferring`]): a bank's statement of a day
/// or a month never is; a history of years loaded at once may be.
const BULK_LINES: usize = 10_000;

/// The definitions of the indexes dropped for a bulk write, to build again.
#[derive(Debug)]
#[must_use = "the dropped indexes are built again with BookWriter::build_indexes"]
pub struct DeferredIndexes {
    sql: Vec<String>,
    entries_before: i64,
}

impl DeferredIndexes {
    /// For a statement: the last bank entry the book had before it (0 for a whole book).
    /// Those up to it have an index of their own until the whole one is built again
    /// (`bank_entries_before`, by day and amount as `bank_entries_line`), which is all a
    /// line needs to be told from the lines of earlier imports
    /// ([`Among::UpTo`](super::Among::UpTo)); the statement's own entries are not in it.
    pub fn entries_before(&self) -> i64 {
        self.entries_before
    }
}

/// An open write transaction for many rows; nothing is visible until `commit`, and dropping
/// it without committing rolls everything back.
pub struct BookWriter<'a> {
    pub(super) tx: super::WriteTx<'a>,
}

impl Store {
    pub fn book_writer(&mut self) -> Result<BookWriter<'_>> {
        Ok(BookWriter { tx: self.write_tx()? })
    }

    /// A [`BookWriter`] whose rows stay out of the change log: the demo book, which fills
    /// an empty database with up to millions of rows, is not a change anyone undoes.
    pub fn book_writer_unlogged(&mut self) -> Result<BookWriter<'_>> {
        let tx = self.write_tx()?;
        tx.execute("INSERT OR IGNORE INTO undoing (one) VALUES (1)", [])?;
        Ok(BookWriter { tx })
    }

    /// Runs `write` (a bulk write: a whole book written into an empty one, or a statement
    /// long for its book) with a rollback journal instead of the write-ahead log, then goes
    /// back to the log. A transaction bigger than the page cache spills its pages as it goes:
    /// into the log, where every page read after is first looked for, in an index SQLite
    /// searches a block of 4,096 pages at a time, so each look grows with the transaction
    /// (4 % of a 1M statement's import); and the checkpoint after the commit copies them all
    /// into the file a second time. With a rollback journal the pages go to the file itself,
    /// once, and the journal keeps the pages the book had before they changed (none for an
    /// empty book). As safe: a failure, or a crash, rolls back either way; while it lasts the
    /// journal is synced in full before the file is written (`synchronous = FULL`, as SQLite
    /// advises for a rollback journal; the log's `NORMAL` comes back after). When another
    /// connection has the book open the log cannot be left, and the write simply goes
    /// through it; another process that opens the book meanwhile waits for the write, up to
    /// its busy timeout, as it would for any write.
    pub fn write_in_bulk<T>(&mut self, write: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let left_log = self.path.is_some()
            && self
                .conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
                .is_ok_and(|m| m.eq_ignore_ascii_case("delete"));
        let synchronous: i64 = self.conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
        if left_log {
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let result = write(self);
        if left_log {
            self.conn.pragma_update(None, "synchronous", synchronous)?;
            // The write is committed or rolled back by now, and says so. Going back to the log
            // needs the book alone: another connection that came meanwhile (and waited for
            // the write) may still hold it, and then the book stays in rollback mode until the
            // next open, which puts every book in the log (`Store::prepare`); this connection
            // follows it there on its next transaction.
            let _ = self.conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0));
        }
        result
    }

    /// Whether a statement of `lines` lines is long for its book, so worth its payments'
    /// indexes built again ([`Bulk::Statement`]) and a rollback journal
    /// ([`Self::write_in_bulk`]): at least [`BULK_LINES`], and at least a quarter of the
    /// entries the indexes would be built from (the invoices, twice the payments, the events,
    /// twice the bank entries: those before it, then all; by their largest ids). On the benchmark's books, whose statements are as long as the
    /// book, the four built again took 0.5 s at 100k and 3 s at 1M (measured alone), where
    /// entering them line by line took 1–2 s and 40–50 s; a book much larger than its
    /// statement stays out of it, where sorting it all would cost more than its few lines
    /// save.
    pub fn worth_deferring(&self, lines: usize) -> Result<bool> {
        if lines < BULK_LINES {
            return Ok(false);
        }
        let entries: i64 = self.conn.query_row(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM invoices) + 2 * (SELECT COALESCE(MAX(id), 0) FROM payments)
                    + (SELECT COALESCE(MAX(id), 0) FROM events) + 2 * (SELECT COALESCE(MAX(id), 0) FROM bank_entries)",
            [],
            |r| r.get(0),
        )?;
        Ok(i64::try_from(lines).unwrap_or(i64::MAX).saturating_mul(4) >= entries)
    }
}

impl BookWriter<'_> {
    pub fn add_customer(&self, c: &NewCustomer) -> Result<CustomerId> {
        super::customers::insert_customer(&self.tx, c)
    }

    /// Writes an invoice and its history through the same inserts as every other writer:
    /// the invoice, its payments (kept open amount, instalments, events), its steps, its
    /// dispute and its notes.
    pub fn add_invoice(&self, inv: &BulkInvoice) -> Result<InvoiceId> {
        let id = insert_invoice(
            &self.tx,
            &NewInvoice {
                number: inv.number.clone(),
                customer_id: inv.customer,
                issued: inv.issued,
                due: inv.due,
                amount: Money::from_cents(inv.amount_cents, inv.currency),
                description: inv.description.clone(),
                reference: inv.reference,
            },
        )?;
        for (on, cents, kind) in &inv.payments {
            insert_payment(
                &self.tx,
                &Reduction { invoice: id, on: *on, cents: *cents, kind: *kind, method: None, note: "" },
            )?;
        }
        for (step, on, channel) in &inv.steps {
            record_in(&self.tx, id, step.event_kind(), *on, Some(*channel), "", None)?;
        }
        for (kind, on, detail) in &inv.after_payment {
            let channel = (*kind == crate::domain::event::EventKind::ThankYouSent).then_some(Channel::Email);
            record_in(&self.tx, id, *kind, *on, channel, detail, None)?;
        }
        if let Some(on) = inv.disputed_since {
            set_dispute_in(&self.tx, id, true, on, "contested")?;
        }
        for (on, body) in &inv.notes {
            insert_note(&self.tx, inv.customer, Some(id), *on, body)?;
        }
        Ok(id)
    }

    pub fn add_note(&self, customer: CustomerId, on: NaiveDate, body: &str) -> Result<()> {
        insert_note(&self.tx, customer, None, on, body)?;
        Ok(())
    }

    /// Logs a call, its agreement and events, as [`Store::log_call`] does, in this transaction.
    pub fn log_call(&self, c: &crate::domain::call::NewCall) -> Result<super::SavedCall> {
        super::calls::log_call_in(&self.tx, c)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        super::set_meta_in(&self.tx, key, value)
    }

    /// For a bulk write: drops the indexes it does not read (see [`Bulk::indexes`]; a
    /// statement reads the bank entries the book had before through their own), to
    /// build each in one sort once the rows are in ([`Self::build_indexes`]) rather than
    /// entry by entry in the order the rows come (a million random customers and days).
    /// Inside the transaction: if the writing fails, they come back with the rest.
    ///
    /// Meanwhile the page cache holds 8 MiB instead of 2 (as an import's already does):
    /// every row written checks its customer (a foreign key), and ten thousand customers are
    /// 2 MiB of pages, read again and again from the file once the rows being written push
    /// them out.
    pub fn defer_indexes(&self, bulk: Bulk) -> Result<DeferredIndexes> {
        self.tx.pragma_update(None, "cache_size", -8192)?;
        let mut sql = Vec::new();
        let mut stmt = self
            .tx
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")?;
        let all: Vec<(String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut entries_before = 0;
        if bulk == Bulk::Statement {
            let last: i64 =
                self.tx.query_row("SELECT COALESCE(MAX(id), 0) FROM bank_entries", [], |r| r.get(0))?;
            self.tx.execute_batch(&format!(
                "CREATE INDEX bank_entries_before ON bank_entries (booked, amount_cents) WHERE id <= {last}"
            ))?;
            sql.push("DROP INDEX bank_entries_before".to_string());
            entries_before = last;
        }
        for (name, create) in all.into_iter().filter(|(name, _)| bulk.indexes().contains(&name.as_str())) {
            self.tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            sql.push(create);
        }
        Ok(DeferredIndexes { sql, entries_before })
    }

    /// Builds the indexes [`Self::defer_indexes`] dropped, with SQLite's own page cache again
    /// (a larger one makes the sorts no faster, only larger), its sorter helped by another
    /// thread when there is a core for it (on two cores, a 1M book's eight indexes take 3.2 s
    /// instead of 3.8; a second helper adds nothing there).
    ///
    /// The changed pages are written out first (to the log or the file, still uncommitted),
    /// so the smaller cache is smaller in memory too; and the sorts spill to temporary files
    /// whatever the connection's temporary storage (an import keeps its in memory: the
    /// sorts of a 1M statement's indexes took 73 MB there); the connection's own helper threads
    /// and temporary storage come back after.
    pub fn build_indexes(&self, deferred: DeferredIndexes) -> Result<()> {
        self.tx.cache_flush()?;
        self.tx.pragma_update(None, "cache_size", -2000)?;
        let get = |name| self.tx.pragma_query_value(None, name, |r| r.get::<_, i64>(0));
        let (threads, temp_store) = (get("threads")?, get("temp_store")?);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as i64;
        self.tx.pragma_update(None, "threads", cores - 1)?;
        self.tx.pragma_update(None, "temp_store", "FILE")?;
        let built = deferred.sql.iter().try_for_each(|create| self.tx.execute_batch(create));
        self.tx.pragma_update(None, "threads", threads)?;
        self.tx.pragma_update(None, "temp_store", temp_store)?;
        Ok(built?)
    }

    pub fn commit(self) -> Result<()> {
        self.tx.execute("DELETE FROM undoing", [])?;
        self.tx.commit()
    }
}
