//! Correcting the book: the change log, undo, delete, edit, write-off, archive.

use super::support::*;

#[test]
fn undo_reverts_the_last_change_and_goes_further_back() {
    let book = Book::new();
    assert!(book.ok(&["log"]).contains("No changes recorded yet"));
    let empty = book.book_dump();
    book.ok(&["customer", "add", "Acme", "--terms", "45"]);
    let with_customer = book.book_dump();
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
    let with_invoice = book.book_dump();
    book.ok(&["payment", "add", "2026-001", "--amount", "400", "--date", "2026-11-10"]);
    book.ok(&["step", "record", "2026-001", "--step", "reminder", "--date", "2026-11-16"]);

    let log = book.ok(&["log"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    assert!(lines[0].contains("[cli] step record 2026-001"), "{log}");
    assert!(lines[1].contains("payment add 2026-001") && lines[1].contains("payments +1"), "{log}");
    assert!(!log.contains("--today") && !log.contains("--db"), "{log}");
    let rows = book.ok(&["log", "--limit", "1", "--rows"]);
    assert!(rows.contains("update invoices") && rows.contains("\"steps_done\":0"), "{rows}");

    let out = book.ok(&["undo"]);
    assert!(out.contains("Undid #4") && out.contains("Next to undo: #3"), "{out}");
    let out = book.ok(&["undo"]);
    assert!(out.contains("payment add"), "{out}");
    assert_eq!(book.book_dump(), with_invoice, "the payment, its event and the open amount are gone");
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), with_customer);
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), empty);
    assert!(book.ok(&["undo"]).contains("Nothing to undo"));
    assert!(book.ok(&["log"]).contains("No changes recorded yet"));
}

#[test]
fn an_import_is_undone_as_a_whole() {
    let book = small_book();
    let before = book.book_dump();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("inv.csv");
    std::fs::write(
        &csv,
        "number,customer,issued,due,amount\n2026-101,Beta,2026-10-01,2026-10-31,100.00\n2026-102,Gamma,2026-10-02,2026-11-01,200.00\n",
    )
    .unwrap();
    book.ok(&["import", "csv", csv.to_str().unwrap()]);
    assert_ne!(book.book_dump(), before);
    let log = book.ok(&["log", "--limit", "1"]);
    assert!(log.contains("import csv") && log.contains("invoices +2"), "{log}");
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), before);
}

#[test]
fn undo_refuses_a_row_changed_outside_the_log_and_changes_nothing() {
    let book = small_book();
    let conn = rusqlite::Connection::open(&book.db).unwrap();
    conn.execute("UPDATE payments SET note = 'by hand'", []).unwrap();
    drop(conn);
    let before = book.book_dump();
    let err = book.fails(&["undo"]);
    assert!(err.contains("changed since outside"), "{err}");
    assert_eq!(book.book_dump(), before);
}
