//! Two writers and a reader: the app open in a terminal while `settle check` runs from a timer
//! and `settle payment add` runs in another terminal, all at once. No "database is locked"
//! reaches anyone, nothing is lost, and the app shows the new payments within a tick.

mod tmux_support;

use std::path::Path;
use std::process::{Command, Output};
use std::thread;

use tmux_support::Tmux;

const TODAY: &str = "2026-11-23";

fn settle(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_settle"))
        .env_remove("SETTLE_CONFIG")
        .env("HOME", "/nonexistent/settle-test-home")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
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
    assert!(settle(&db, &["demo"]).status.success());
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
