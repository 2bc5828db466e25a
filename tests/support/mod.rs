//! Running settle on a temporary database, and reading what it prints; the tmux, session bus
//! and SMTP servers some tests need. Each test binary uses part of it.
#![allow(dead_code)]

pub mod bus;
pub mod common;
pub mod smtp;
pub mod tmux;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-23";
pub const BUCKETS: [&str; 5] = ["not_due", "d1_30", "d31_60", "d61_90", "d90_plus"];

pub fn settle() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_settle"));
    cmd.env_remove("SETTLE_DB").env_remove("SETTLE_CONFIG").env("HOME", "/nonexistent/settle-test-home");
    cmd
}

/// A database in its own temporary directory.
pub struct Book {
    _dir: TempDir,
    pub db: PathBuf,
}

impl Book {
    pub fn new() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("settle.db");
        Book { _dir: dir, db }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = settle();
        cmd.arg("--db").arg(&self.db).args(["--today", TODAY]).args(args);
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

    pub fn json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["report", "aging", "--format", "json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).unwrap()
    }

    /// Every row of every table, as text: what "nothing changed" compares.
    pub fn dump(&self) -> String {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut out = String::new();
        for table in ["meta", "customers", "invoices", "payments", "events", "notes"] {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid")).unwrap();
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

    /// Every row of every table of the book (what undo must give back), without settings,
    /// alerts told and the change log itself.
    pub fn book_dump(&self) -> String {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut out = String::new();
        for table in [
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
        ] {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap();
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
    book.ok(&[
        "invoice",
        "add",
        "2026-001",
        "--customer",
        "Acme",
        "--issued",
        "2026-10-01",
        "--amount",
        "1000",
    ]);
    book.ok(&["payment", "add", "2026-001", "--amount", "400", "--date", "2026-11-10"]);
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

/// The bytes, modification time and neighbours of a file that must stay untouched.
pub fn snapshot(path: &Path) -> (Vec<u8>, std::time::SystemTime, Vec<String>) {
    let mut names: Vec<String> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (fs::read(path).unwrap(), fs::metadata(path).unwrap().modified().unwrap(), names)
}
