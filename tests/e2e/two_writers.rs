//! Two writers and a reader: the app open in a terminal while `settle check` runs from a timer
//! and `settle payment add` runs in another terminal, all at once. No "database is locked"
//! reaches anyone, nothing is lost, and the app shows the new payments within a tick.

use std::path::Path;
use std::process::Output;
use std::thread;

use crate::support::settle_on;
use crate::support::tmux::Tmux;

const TODAY: &str = "2026-11-23";

fn settle(db: &Path, args: &[&str]) -> Output {
    settle_on(db, None, TODAY, args)
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .output()
        .expect("settle runs")
}

fn open_total_cents(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT sum(open_cents) FROM invoices WHERE is_open = 1", [], |r| r.get(0)).unwrap()
}

/// "447,702.61" as the app's header writes it.
fn grouped(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{:02}", cents % 100)
}

#[test]
fn the_app_check_and_payments_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(settle(&db, &["demo", "--busy"]).status.success());
    let before = open_total_cents(&db);

    let command = format!("'{}' --db '{}' --today {TODAY}", env!("CARGO_BIN_EXE_settle"), db.display());
    let Some(tmux) = Tmux::start("two-writers", 120, 40, &command) else { return };
    tmux.wait_for(&format!("Open €{}", grouped(before)));

    // Eight open invoices get €1.00 each from "another terminal" while check runs "from the timer".
    let numbers: Vec<String> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt =
            conn.prepare("SELECT number FROM invoices WHERE open_cents >= 100 ORDER BY id LIMIT 8").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(numbers.len(), 8);
    let payers: Vec<_> = numbers
        .iter()
        .cloned()
        .map(|n| {
            let db = db.clone();
            thread::spawn(move || settle(&db, &["payment", "add", &n, "--amount", "1.00", "--date", TODAY]))
        })
        .collect();
    let checkers: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            thread::spawn(move || settle(&db, &["check", "--no-notify", "--quiet"]))
        })
        .collect();
    for out in payers.into_iter().chain(checkers).map(|t| t.join().unwrap()) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a writer failed: {err}");
        assert!(!err.contains("locked") && !err.contains("busy"), "{err}");
    }

    let after = open_total_cents(&db);
    assert_eq!(after, before - 8 * 100, "every payment landed, once");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let doubled: i64 = conn
        .query_row("SELECT count(*) FROM (SELECT 1 FROM notified GROUP BY kind, invoice_id, on_date HAVING count(*) > 1)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(doubled, 0, "no alert told twice");
    // The app notices the change on its tick and shows the new total.
    tmux.wait_for(&format!("Open €{}", grouped(after)));
    tmux.keys(&["q"]);
}

/// The process's POSIX locks on the file at `path` (lines of /proc/locks naming its inode).
fn locks_held_by(pid: u32, path: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(path).unwrap().ino();
    let locks = std::fs::read_to_string("/proc/locks").unwrap();
    locks
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128" (a "->" waiter line has one field more)
            let f = if f.get(1) == Some(&"->") { &f[1..] } else { &f[..] };
            f.get(4) == Some(&pid.to_string().as_str())
                && f.get(5).is_some_and(|dev_ino| dev_ino.rsplit(':').next() == Some(&inode.to_string()))
        })
        .count()
}

/// The files beside `db` (its write-ahead log, its shared memory) that the process has open
/// although they were deleted under it. Only beside `db`: the other tests of this binary run
/// in the same process, with files of their own.
fn deleted_files_open(pid: u32, db: &Path) -> Vec<String> {
    let dir = db.parent().unwrap().display().to_string();
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|p| p.display().to_string())
        .filter(|p| p.starts_with(&dir) && p.ends_with("(deleted)"))
        .collect()
}

/// A second connection to an open book (the app's background job, or a second `Store::open`)
/// must not drop the first one's locks: closing any descriptor on the file drops every POSIX
/// lock the process holds on it, and then an outside reader believes it is the last one and
/// deletes the write-ahead log under the open connection.
#[test]
fn a_second_connection_keeps_the_first_ones_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(settle(&db, &["demo", "--busy", "--customers", "3", "--invoices", "6"]).status.success());
    let store = settle::store::Store::open(&db).unwrap();
    store.set_meta("first", "1").unwrap();
    assert!(locks_held_by(std::process::id(), &db) > 0, "the open connection holds a lock");

    // As the app's background job does, then as a careless second open would.
    thread::scope(|s| {
        s.spawn(|| {
            let reader = settle::store::Store::open_read_only(&db).unwrap();
            assert_eq!(reader.meta("first").unwrap().as_deref(), Some("1"));
        });
    });
    drop(settle::store::Store::open(&db).unwrap());
    assert!(locks_held_by(std::process::id(), &db) > 0, "the first connection lost its lock");

    // An outside reader opens and closes the book; the log stays, and the next write is seen.
    assert!(settle(&db, &["report", "aging"]).status.success());
    assert!(deleted_files_open(std::process::id(), &db).is_empty(), "the log was deleted under us");
    store.set_meta("second", "2").unwrap();
    let outside =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let seen: String =
        outside.query_row("SELECT value FROM meta WHERE key = 'second'", [], |r| r.get(0)).unwrap();
    assert_eq!(seen, "2");
    assert!(store.set_meta("third", "3").is_ok() && deleted_files_open(std::process::id(), &db).is_empty());
}

/// The same through the app: Receivables starts the forecast on a background thread; after it
/// has come, a reader from outside must find the app still holding its lock and its log.
#[test]
fn the_app_keeps_its_lock_after_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    assert!(settle(&db, &["demo", "--busy"]).status.success());
    let command = format!("exec '{}' --db '{}' --today {TODAY}", env!("CARGO_BIN_EXE_settle"), db.display());
    let Some(tmux) = Tmux::start("keeps-lock", 120, 40, &command) else { return };
    tmux.wait_for("Today");
    tmux.keys(&["2"]);
    tmux.wait_until("the forecast", |s| s.contains("Receivables") && !s.contains("Working out the forecast"));
    let pid: u32 =
        String::from_utf8_lossy(&tmux.run(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]).stdout)
            .trim()
            .parse()
            .expect("the pane's pid");
    assert!(locks_held_by(pid, &db) > 0, "the app lost its lock on the book");
    assert!(settle(&db, &["report", "aging"]).status.success());
    assert!(
        deleted_files_open(pid, &db).is_empty(),
        "the app writes to a deleted log: {:?}",
        deleted_files_open(pid, &db)
    );
    assert!(db.with_file_name("book.db-wal").exists(), "the app's log was deleted");
    tmux.keys(&["q"]);
}
