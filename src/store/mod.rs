//! The SQLite store: it owns every line of SQL and speaks domain types.
//!
//! Per-connection pragmas (foreign keys, WAL, busy timeout) are set on every open, after the
//! file has been identified as a settle database; migrations run in one transaction.

mod aging;
mod agreements;
pub mod alerts;
pub mod backup;
mod behaviour;
mod bulk;
mod calls;
mod changes;
mod claims;
mod corrections;
mod customers;
mod entries;
mod events;
mod export;
mod file;
mod imports;
mod invoices;
mod letters;
mod reach;
pub mod schema;
mod scratch;
mod screens;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::cell::RefCell;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior};

pub use aging::OpenSum;
pub use agreements::{CallAgendaItem, CallAgendaKind};
pub use alerts::{AlertLog, Told};
pub use bulk::{BookWriter, Bulk, BulkInvoice, DeferredIndexes};
pub use calls::SavedCall;
pub(crate) use changes::WriteTx;
pub use changes::{Change, ChangeRow, create_log_triggers};
pub use claims::PaidLate;
pub use corrections::{PaymentEdit, PaymentLine};
pub use entries::{AgreementEdit, CallEdit, Entry, NoteLine};
pub use events::NewEvent;
pub use export::{EventExport, InvoiceExport, PaymentExport};
pub use imports::{
    Among, BankKey, CustomerKey, InvoiceUpdate, KeptCreditNote, KeptInvoice, KnownEntry, NewCreditNote,
    OpenInvoice,
};
pub use invoices::Reduction;
pub use reach::{InvoiceBrief, Reductions, SettledRow};
pub use scratch::{OpenScratch, ScratchInvoice, ScratchRow};
pub use screens::{Billed, LadderEvent, ListedInvoice, OpenIds, OpenRow, ThankYouRow};

/// A connection's page cache and temporary storage, to be put back after a change of them.
#[derive(Debug, Clone, Copy)]
pub struct CacheSettings {
    cache_size: i64,
    temp_store: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a settle database ({why}); nothing was changed")]
    Foreign { path: PathBuf, why: String },
    #[error(
        "{path}: made by a newer settle (schema {found}, this one knows up to {known}); nothing was changed — upgrade settle"
    )]
    NewerSchema { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: the database file is damaged ({why}); nothing was changed — restore it from a backup")]
    Damaged { path: PathBuf, why: String },
    #[error("{path}: {why}; nothing was changed")]
    ReadOnly { path: PathBuf, why: String },
    /// Another settle holds the book for a long write: a bank statement long for its book, or
    /// the demo, written with a rollback journal (see [`Store::write_in_bulk`]).
    #[error(
        "{path}: the book is busy: another settle is writing to it (a long import or the demo); nothing was changed — try again when it is done"
    )]
    Busy { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    /// A value refused, naming its field (each front-end says how to give it).
    #[error(transparent)]
    Field(#[from] crate::domain::input::FieldError),
    /// A change refused until something else is done first (each front-end says how).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Not a `#[source]`: the message already holds SQLite's words, once.
    #[error("{}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

/// A change the book refuses until something else is done first, in the user's words: each
/// front-end adds how to do it (the command line its commands, the app its keys).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "a call's {from} cannot become a {to} (or the other way round): delete the call and log it again"
    )]
    FixedOutcome { call: i64, from: crate::domain::call::CallOutcome, to: crate::domain::call::CallOutcome },
    #[error("invoice {number} has {payments} payment(s), credit(s) or write-off(s); delete them first")]
    HasPayments { number: String, payments: usize },
    #[error("{name} has {invoices} invoice(s); delete them first, or archive the customer")]
    HasInvoices { name: String, invoices: i64 },
    #[error("{name} has {credit_notes} credit note(s); archive the customer instead")]
    HasCreditNotes { name: String, credit_notes: i64 },
    #[error("the database already holds customers or invoices; demo data goes into an empty book")]
    NotEmpty,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

/// A sum of money that does not fit (a book holding amounts beyond the bound settle takes in).
impl From<crate::domain::money::MoneyError> for StoreError {
    fn from(e: crate::domain::money::MoneyError) -> Self {
        StoreError::Invalid(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Sets a setting kept in the database (`meta` table) on `conn` (a connection or the
/// caller's transaction). Every writer of settings goes through here.
fn set_meta_in(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// How long one statement waits for another connection's lock (SQLite's busy handler).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a write waits in all for its turn: [`Store::write_tx`] retries `BEGIN
/// IMMEDIATE` with a growing pause while SQLite answers "busy" without having waited (in
/// WAL mode it does for some locks, such as a log being recovered), up to this long.
pub const WRITE_WAIT: Duration = Duration::from_secs(30);

/// The settle database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Keeps other opens of the same file in this process from reading it outside SQLite.
    _held: Option<file::Held>,
    /// Where this store's changes come from (`cli`, `app`…) and what they are, as the
    /// change log records them (see [`Store::set_origin`]).
    origin: RefCell<(String, String)>,
}

impl Store {
    /// Opens (or creates, owner-only) the database at `path`, refusing a file that is not a
    /// settle database or comes from a newer settle before anything is written to it.
    pub fn open(path: &Path) -> Result<Store> {
        let io_err = |source| StoreError::Io { path: path.to_path_buf(), source };
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    why: "it is a directory".into(),
                });
            }
            Ok(meta) => file::check_existing(path, &meta)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                file::check_folder_writable(path)?;
                file::create_private(path).map_err(io_err)?
            }
            Err(e) => return Err(io_err(e)),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        // Reading the header waits for a writer as every statement does.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let held = fs::metadata(path).map(|m| file::Held::take(&m)).map_err(io_err)?;
        file::identify(&conn, path)?;
        backup::before_migration(&conn, path)?;
        let mut store = Store::prepare(conn, Some(path.to_path_buf()))?;
        store._held = Some(held);
        Ok(store)
    }

    /// A second, read-only connection to a book this process already opened with
    /// [`Store::open`] (for work on another thread): no file checks, no migrations, no
    /// pragmas that write. It never opens the file outside SQLite, so the first connection
    /// keeps its locks.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "query_only", true)?;
        rusqlite::vtab::array::load_module(&conn)?;
        let held = fs::metadata(path).ok().map(|m| file::Held::take(&m));
        Ok(Store { conn, path: Some(path.to_path_buf()), _held: held, origin: RefCell::default() })
    }

    /// A fresh private database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", true)?;
        // `rarray(?)`: a list of ids bound as one parameter (a report as of a past day looks
        // up the invoices paid since).
        rusqlite::vtab::array::load_module(&conn)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if path.is_some() {
            let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            debug_assert!(mode.eq_ignore_ascii_case("wal") || mode.eq_ignore_ascii_case("memory"));
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        schema::migrations().to_latest(&mut conn)?;
        Ok(Store { conn, path, _held: None, origin: RefCell::new(("settle".into(), String::new())) })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` with this connection's page cache at `kib` KiB, then puts it back as it was.
    pub fn with_page_cache<T>(&self, kib: u32, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let before = self.settings()?;
        self.conn.pragma_update(None, "cache_size", -i64::from(kib))?;
        let out = f();
        self.put_back(before)?;
        out
    }

    /// This connection's page cache and temporary storage as they are now.
    pub fn settings(&self) -> Result<CacheSettings> {
        Ok(CacheSettings {
            cache_size: self.conn.pragma_query_value(None, "cache_size", |r| r.get(0))?,
            temp_store: self.conn.pragma_query_value(None, "temp_store", |r| r.get(0))?,
        })
    }

    /// Puts back the page cache and temporary storage [`Store::settings`] read.
    pub fn put_back(&self, settings: CacheSettings) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", settings.cache_size)?;
        self.conn.pragma_update(None, "temp_store", settings.temp_store)?;
        Ok(())
    }

    /// A write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so a busy
    /// database makes it wait for its turn instead of failing half-way. SQLite's busy
    /// handler waits up to [`BUSY_TIMEOUT`] per try; some busy answers in WAL mode come
    /// without it being called, so a busy `BEGIN` is tried again after a growing pause (5 ms
    /// to 250 ms), the last tries waiting only for what is left of [`WRITE_WAIT`] in all.
    pub(crate) fn write_tx(&self) -> Result<WriteTx<'_>> {
        let what = self.origin.borrow().1.clone();
        self.write_tx_as(&what)
    }

    /// [`Store::write_tx`] as one change of the log labelled `what` (empty: the log
    /// describes it by the rows it wrote).
    pub(crate) fn write_tx_as(&self, what: &str) -> Result<WriteTx<'_>> {
        let tx = self.begin_immediate()?;
        let source = self.origin.borrow().0.clone();
        WriteTx::begin(tx, &source, what)
    }

    /// Names where the next changes come from (`cli`, `app`, …) and what they are (a command
    /// line, an action; empty: described by what they wrote), for the change log.
    pub fn set_origin(&self, source: &str, what: &str) {
        *self.origin.borrow_mut() = (source.to_string(), what.to_string());
    }

    fn begin_immediate(&self) -> Result<Transaction<'_>> {
        let start = Instant::now();
        let mut pause = Duration::from_millis(5);
        let mut lowered = false;
        let result = loop {
            let left = WRITE_WAIT.saturating_sub(start.elapsed());
            if left < BUSY_TIMEOUT {
                self.conn.busy_timeout(left)?;
                lowered = true;
            }
            match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
                Ok(tx) => break Ok(tx),
                Err(e) if is_busy(&e) && start.elapsed() + pause < WRITE_WAIT => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(250));
                }
                Err(e) => break Err(e.into()),
            }
        };
        if lowered {
            self.conn.busy_timeout(BUSY_TIMEOUT)?;
        }
        result
    }

    /// A setting kept in the database (`meta` table).
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        set_meta_in(&self.conn, key, value)
    }

    /// Whether the book holds no customers and no invoices yet.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM invoices)",
            [],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// SQLite's own words, once (rusqlite repeats the message and appends the code), and what to
/// do about the errors a user can act on.
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(f, msg) => {
            let what = msg.clone().unwrap_or_else(|| f.to_string());
            match f.code {
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase => {
                    format!("the database file is damaged ({what}); restore it from a backup")
                }
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    format!("the database stayed busy (another settle is writing): {what}; try again")
                }
                rusqlite::ErrorCode::ReadOnly => format!("the database is read-only: {what}"),
                rusqlite::ErrorCode::DiskFull => format!("the disk is full: {what}"),
                _ => format!("database error: {what}"),
            }
        }
        other => format!("database error: {other}"),
    }
}

/// Reads a TEXT column into one of the domain's string enums.
pub(crate) fn text_enum<T>(r: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text = r.get_ref(idx)?.as_str().map_err(rusqlite::Error::from)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e)))
}

/// Maps a UNIQUE violation to a readable conflict, passing other errors through.
pub(crate) fn conflict(e: rusqlite::Error, what: impl FnOnce() -> String) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) if e.to_string().contains("UNIQUE") => {
            StoreError::Conflict(what())
        }
        _ => StoreError::Sqlite(e),
    }
}

#[cfg(test)]
mod tests;

/// The tables of a book's own rows (not the settings, the alerts told or the change log
/// itself): what the tests compare to tell a book given back by undo, or left unchanged.
pub const BOOK_TABLES: &[&str] = &[
    "customers",
    "invoices",
    "payments",
    "events",
    "notes",
    "calls",
    "agreements",
    "instalments",
    "instalment_payments",
    "registered_mail",
    "credit_notes",
    "bank_entries",
    "customer_accounts",
];

/// For tests: what a book holds, table by table.
#[cfg(test)]
pub(crate) mod testing {
    use super::{BOOK_TABLES, Store};

    /// Every row of every table of the book, but for the columns `leave_out` names.
    pub(crate) fn dump(store: &Store, leave_out: &[&str]) -> String {
        let mut out = String::new();
        for t in BOOK_TABLES {
            let mut stmt = store.conn.prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2")).unwrap();
            let kept: Vec<usize> = (0..stmt.column_count())
                .filter(|&i| !leave_out.contains(&stmt.column_name(i).unwrap()))
                .collect();
            let mut rows = stmt.query([]).unwrap();
            out.push_str(t);
            out.push('\n');
            while let Some(r) = rows.next().unwrap() {
                let cells: Vec<String> =
                    kept.iter().map(|&i| format!("{:?}", r.get_ref(i).unwrap())).collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            }
        }
        out
    }
}
