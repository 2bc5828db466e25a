//! The app in a real terminal: the built binary inside an isolated tmux server, on a demo
//! book and a fixed day. Switch tabs, open an invoice, add a note, record a payment, quit;
//! then check the database through `settle report` and that the terminal was restored.
//!
//! Without tmux the test says so and passes, unless `SETTLE_REQUIRE_E2E=1` (CI), when it
//! fails. Screens are polled for their text with a timeout, never waited for with a sleep.

use std::path::Path;
use std::process::Command;

use crate::support::tmux::Tmux;
use crate::support::{settle_on, succeeds};

const TODAY: &str = "2026-11-23";

fn settle(db: &Path, args: &[&str]) -> String {
    succeeds(&mut settle_on(db, None, TODAY, args))
}

fn open_total(db: &Path) -> String {
    let report: serde_json::Value =
        serde_json::from_str(&settle(db, &["report", "aging", "--format", "json"])).expect("JSON report");
    report["totals"]["total"].as_str().expect("a total").to_string()
}

#[test]
fn a_morning_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    settle(&db, &["demo", "--busy"]);
    let before = open_total(&db);

    let command = format!(
        "'{}' --db '{}' --today {TODAY}; echo \"settle exited with $?\"; exec sleep 60",
        env!("CARGO_BIN_EXE_settle"),
        db.display()
    );
    let Some(tmux) = Tmux::start("morning", 120, 40, &command) else { return };

    tmux.wait_for("things to do");
    tmux.keys(&["2"]);
    tmux.wait_for("Aged receivables (EUR) as of 2026-11-23");
    // The cash-in forecast is worked out in the background and shows when ready.
    tmux.wait_for("Agreed dates, else due date");
    tmux.keys(&["3"]);
    tmux.wait_for("Customers (40)");
    tmux.keys(&["1"]);
    tmux.wait_for("things to do");

    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Step tracker");
    let number = screen
        .split("╭ Invoice ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the invoice number in the panel title")
        .to_string();

    tmux.keys(&["n"]);
    tmux.wait_for("Add a note");
    tmux.type_text("Called Koen: pays on Friday");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Note added for");
    tmux.wait_for("Called Koen: pays on Friday");

    tmux.keys(&["p"]);
    tmux.wait_for("Record a payment");
    tmux.keys(&["C-u"]);
    tmux.type_text("100");
    tmux.keys(&["Enter", "Enter"]);
    tmux.type_text("transfer");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("Recorded €100.00 on {number}"));

    tmux.keys(&["Escape"]);
    tmux.wait_for("things to do");
    // q quits from anywhere, not only from the top.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Step tracker");
    tmux.keys(&["q"]);
    tmux.wait_for("settle exited with 0");
    let alternate = tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]);
    assert_eq!(
        String::from_utf8_lossy(&alternate.stdout).trim(),
        "0",
        "the terminal left the alternate screen"
    );

    // The database agrees.
    let cents = |s: &str| -> i64 { s.replace('.', "").parse().unwrap() };
    assert_eq!(cents(&open_total(&db)), cents(&before) - 10_000, "the payment lowered the open total");
    let store = settle::store::Store::open(&db).unwrap();
    let invoice = store.invoice_by_number(&number).unwrap().expect("the invoice");
    let notes = store.notes(invoice.invoice.customer_id).unwrap();
    assert_eq!(notes[0].body, "Called Koen: pays on Friday");
}

#[test]
fn sigterm_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    settle(&db, &["demo", "--busy", "--customers", "5", "--invoices", "50"]);
    // A shell runs settle and says how it ended; settle is the shell's only child.
    let shell_pid = dir.path().join("shell.pid");
    let command = format!(
        "echo $$ > '{}'; '{}' --db '{}' --today {TODAY}; echo \"settle exited with $?\"; exec sleep 60",
        shell_pid.display(),
        env!("CARGO_BIN_EXE_settle"),
        db.display()
    );
    let Some(tmux) = Tmux::start("sigterm", 80, 24, &command) else { return };
    tmux.wait_for("things to do");
    let alternate = || {
        let out = tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(alternate(), "1", "the app is on the alternate screen");
    let shell = std::fs::read_to_string(&shell_pid).unwrap().trim().to_string();
    let pid = child_of(&shell).expect("settle runs under the shell");
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    tmux.wait_for("settle exited with 0");
    assert_eq!(alternate(), "0", "the terminal left the alternate screen");
}

/// The pid of a process's child, from /proc.
fn child_of(parent: &str) -> Option<String> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // pid (comm) state ppid …
        let ppid = stat.rsplit_once(") ")?.1.split_whitespace().nth(1)?;
        (ppid == parent).then(|| e.file_name().to_string_lossy().into_owned())
    })
}
