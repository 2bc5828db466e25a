//! What the tests that run the built `settle` share (`tests/cli/` and `tests/e2e/`, each
//! including this folder as its `support` module): a book in a temporary folder driven
//! through the real binary, and the outside programs some tests need — tmux ([`tmux`]), a
//! session bus with a notification server ([`bus`]) and an SMTP server ([`smtp`], which
//! `tests/app/` uses too). Each test binary uses part of it.
#![allow(dead_code)]

pub mod bus;
pub mod smtp;
pub mod tmux;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-23";
pub const SETTLE: &str = env!("CARGO_BIN_EXE_settle");
pub const BUCKETS: [&str; 5] = ["not_due", "d1_30", "d31_60", "d61_90", "d90_plus"];

/// A file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The binary with no database, config or home of the one running the tests.
pub fn settle() -> Command {
    Command::from_std(isolated())
}

fn isolated() -> std::process::Command {
    let mut cmd = std::process::Command::new(SETTLE);
    cmd.env_remove("SETTLE_DB").env_remove("SETTLE_CONFIG").env("HOME", "/nonexistent/settle-test-home");
    cmd
}

/// `settle --db DB [--config CONFIG] --today DAY ARGS`, isolated as [`settle`] is: a plain
/// command, to run, spawn or kill.
pub fn settle_on(db: &Path, config: Option<&Path>, today: &str, args: &[&str]) -> std::process::Command {
    let mut cmd = isolated();
    cmd.arg("--db").arg(db);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    cmd.args(["--today", today]).args(args);
    cmd
}

/// Runs `cmd`, which must succeed: its standard output.
pub fn succeeds(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().expect("settle runs");
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A database, `book.db`, in its own temporary directory.
pub struct Book {
    pub dir: TempDir,
    pub db: PathBuf,
    today: Option<&'static str>,
    /// The configuration file every run is given (`--config`), if any.
    pub config: Option<PathBuf>,
}

impl Book {
    /// Every run is on [`TODAY`].
    pub fn new() -> Book {
        Book::on(Some(TODAY))
    }

    /// No `--today`: each run names its day (or it is the clock's).
    pub fn undated() -> Book {
        Book::on(None)
    }

    fn on(today: Option<&'static str>) -> Book {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        Book { dir, db, today, config: None }
    }

    /// A book on an existing database file (a backup, a copy), run on [`TODAY`].
    pub fn file(db: &Path) -> Book {
        Book { dir: tempfile::tempdir().unwrap(), db: db.to_path_buf(), today: Some(TODAY), config: None }
    }

    /// A book on [`TODAY`] whose every run reads `config.toml`, written beside it with `text`.
    pub fn configured(text: &str) -> Book {
        let mut book = Book::new();
        let config = book.path("config.toml");
        fs::write(&config, text).unwrap();
        book.config = Some(config);
        book
    }

    /// Runs a command; what it gave, whether it succeeded or not.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd(args).output().unwrap()
    }

    /// An undated book with one invoice that passed its due date the day before [`TODAY`].
    pub fn with_overdue_invoice() -> Book {
        let book = Book::undated();
        book.ok(&["customer", "add", "Acme BV"]);
        book.invoice("2026-041", "Acme BV", "2026-11-22", "1250");
        book
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `settle --db <book> [--today] ARGS`, with the book's folder as its home (so what settle
    /// keeps beside its configuration, such as saved import profiles, stays with the book); a
    /// run that hangs fails after a minute.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = settle();
        cmd.env("HOME", self.dir.path()).arg("--db").arg(&self.db);
        if let Some(config) = &self.config {
            cmd.arg("--config").arg(config);
        }
        if let Some(day) = self.today {
            cmd.args(["--today", day]);
        }
        cmd.args(args).timeout(Duration::from_secs(60));
        cmd
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().success().get_output().clone();
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail cleanly; returns its standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().failure().get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        err
    }

    /// Adds invoice `number` of `amount` for `customer`, issued on `issued`, due after the
    /// customer's terms.
    pub fn issue(&self, number: &str, customer: &str, issued: &str, amount: &str) -> String {
        self.ok(&["invoice", "add", number, "--customer", customer, "--issued", issued, "--amount", amount])
    }

    pub fn invoice(&self, number: &str, customer: &str, due: &str, amount: &str) {
        self.ok(&["invoice", "add", number, "--customer", customer, "--issued", "2026-10-23"]
            .into_iter()
            .chain(["--due", due, "--amount", amount])
            .collect::<Vec<_>>());
    }

    /// The samples' invoices: one added by hand, then the English and French CSV files.
    pub fn with_sample_invoices(&self) {
        self.ok(&["customer", "add", "Harbour Lights Ltd"]);
        self.ok(&[
            "invoice",
            "add",
            "INV-0002",
            "--customer",
            "Harbour Lights Ltd",
            "--issued",
            "2026-10-01",
            "--due",
            "2026-10-31",
            "--amount",
            "750.00",
            "--ref",
            "+++000/0000/00202+++",
        ]);
        self.ok(&["import", "csv", &fixture("csv/invoices-en.csv")]);
        self.ok(&["import", "csv", &fixture("csv/factures-fr.csv")]);
    }

    /// Imports every shared sample, the way the samples' README describes.
    pub fn with_samples(&self) {
        self.with_sample_invoices();
        self.ok(&["import", "ubl", &fixture("ubl")]);
        self.ok(&["import", "payments", &fixture("csv/bank-statement.csv")]);
    }

    pub fn json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["report", "aging", "--format", "json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).unwrap()
    }

    /// The aging report as CSV lines (header first, the rest sorted).
    pub fn aging(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["report", "aging", "--format", "csv"];
        args.extend_from_slice(extra);
        let out = self.ok(&args);
        let mut lines: Vec<String> = out.lines().map(String::from).collect();
        lines[1..].sort();
        lines
    }

    /// The database file's bytes, once settle has closed it (no write-ahead log left over).
    pub fn bytes(&self) -> Vec<u8> {
        let mut wal = self.db.as_os_str().to_os_string();
        wal.push("-wal");
        assert!(!Path::new(&wal).exists(), "a -wal file is left over");
        fs::read(&self.db).unwrap()
    }
    /// Every row of every table, as text: what "nothing changed" compares.
    pub fn dump(&self) -> String {
        self.rows(&["meta", "customers", "invoices", "payments", "events", "notes"], "rowid")
    }

    /// Every row of every table of the book (what undo must give back), without settings,
    /// alerts told and the change log itself.
    pub fn book_dump(&self) -> String {
        self.rows(settle::store::BOOK_TABLES, "1, 2")
    }

    /// Each table's name, then its rows in `order`, one line each.
    fn rows(&self, tables: &[&str], order: &str) -> String {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut out = String::new();
        for table in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {order}")).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            out.push_str(table);
            out.push('\n');
            while let Some(r) = rows.next().unwrap() {
                let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            }
        }
        out
    }

    pub fn scalar(&self, sql: &str) -> String {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// Acme (45-day terms) with invoice 2026-001 of 1,000.00 issued 2026-10-01, 400.00 paid.
pub fn small_book() -> Book {
    let book = Book::new();
    book.ok(&["customer", "add", "Acme", "--terms", "45", "--lang", "nl"]);
    book.issue("2026-001", "Acme", "2026-10-01", "1000");
    book.ok(&["payment", "add", "2026-001", "--amount", "400", "--date", "2026-11-10"]);
    book
}

/// A book with a customer, Bakkerij Janssens (at `email`), whose invoice F-2026-017's
/// reminder is due, and a config (`config.toml`, given to every run) pointing at the SMTP
/// server on `port` (`extra` ends its `[smtp]` table).
pub fn mail_book(email: &str, port: u16, extra: &str) -> Book {
    let book = Book::configured(&format!(
        "[me]\nname = \"Ann Peeters\"\nemail = \"ann@peeters-design.be\"\niban = \"BE68 5390 0754 7034\"\n\n\
         [smtp]\nhost = \"127.0.0.1\"\nport = {port}\nfrom = \"Ann Peeters <billing@peeters-design.be>\"\nsecurity = \"none\"\n{extra}"
    ));
    book.ok(&["customer", "add", "Bakkerij Janssens", "--email", email, "--lang", "nl"]);
    book.issue("F-2026-017", "Bakkerij Janssens", "2026-10-01", "1210");
    book
}

pub fn demo_book() -> Book {
    let book = Book::new();
    let out = book.ok(&["demo", "--busy"]);
    assert!(out.contains("Demo book as of 2026-11-23"), "{out}");
    book
}

/// `1,234.56` or `1234.56` → cents; anything else fails the test.
pub fn cents(s: &str) -> i64 {
    let plain = s.replace(',', "");
    let (int, frac) = plain.split_once('.').unwrap_or_else(|| panic!("{s}: no decimals"));
    assert!(!int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()), "{s}");
    assert!(frac.len() == 2 && frac.bytes().all(|b| b.is_ascii_digit()), "{s}: two decimals");
    int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

/// A JSON amount: a string with exactly two decimals and no thousands separator.
pub fn json_cents(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is not a string"));
    assert!(!s.contains(','), "{s}");
    cents(s)
}

pub fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

/// Everything that could betray a write to a file that must stay untouched: the bytes, the
/// modification time, and the files beside it (no -wal, -shm or -journal left behind).
pub fn snapshot(path: &Path) -> (Vec<u8>, std::time::SystemTime, Vec<String>) {
    let mut names: Vec<String> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (fs::read(path).unwrap(), fs::metadata(path).unwrap().modified().unwrap(), names)
}

/// A file's permission bits.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The open invoice of an undated book that falls due next after [`TODAY`], read from
/// `settle invoice list` (its lines end in "due YYYY-MM-DD" while not late).
pub fn next_to_fall_due(book: &Book) -> (chrono::NaiveDate, String) {
    let start: chrono::NaiveDate = TODAY.parse().unwrap();
    book.ok(&["--today", TODAY, "invoice", "list"])
        .lines()
        .filter_map(|l| {
            let (_, date) = l.rsplit_once(" due ")?;
            let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
            Some((date, l.split_whitespace().next()?.to_string()))
        })
        .filter(|(date, _)| *date > start)
        .min()
        .expect("the demo book has invoices not yet due")
}
