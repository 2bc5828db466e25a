//! Correcting the book: the change log, undo, delete, edit, write-off, archive.

use super::support::*;

#[test]
fn undo_reverts_the_last_change_and_goes_further_back() {
    let book = Book::new();
    assert!(book.ok(&["log"]).contains("No changes recorded yet"));
    let empty = book.book_dump();
    book.ok(&["customer", "add", "Acme", "--terms", "45"]);
    let with_customer = book.book_dump();
    book.issue("2026-001", "Acme", "2026-10-01", "1000");
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

fn payments_json(book: &Book, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["payment", "list", "--format", "json"];
    args.extend_from_slice(extra);
    let v: serde_json::Value = serde_json::from_str(&book.ok(&args)).unwrap();
    v.as_array().unwrap().clone()
}

fn open_of(book: &Book, number: &str) -> String {
    book.scalar(&format!(
        "SELECT printf('%d/%d', open_cents, is_open) FROM invoices WHERE number = '{number}'"
    ))
}

#[test]
fn payments_are_listed_with_ids_edited_and_deleted_and_the_open_amount_follows() {
    let book = small_book();
    book.ok(&["payment", "add", "2026-001", "--amount", "100", "--date", "2026-11-12", "--method", "cash"]);
    let list = payments_json(&book, &["2026-001"]);
    assert_eq!(list.len(), 2);
    for p in &list {
        for key in ["id", "invoice", "amount", "currency", "date", "method"] {
            assert!(p.get(key).is_some(), "{key} missing in {p}");
        }
    }
    assert_eq!(list[1]["amount"], "100.00");
    assert_eq!(list[1]["method"], "cash");
    assert_eq!(list[1]["invoice"], "2026-001");
    let id = list[1]["id"].as_i64().unwrap().to_string();
    assert!(book.ok(&["payment", "list"]).contains("cash"));
    assert_eq!(open_of(&book, "2026-001"), "50000/1");

    // Edit: validated like add, one change.
    let before = book.book_dump();
    let err = book.fails(&["payment", "edit", &id, "--amount", "700"]);
    assert!(err.contains("--amount") && err.contains("over-payment"), "{err}");
    let err = book.fails(&["payment", "edit", &id, "--date", "2026-09-01"]);
    assert!(err.contains("--date"), "{err}");
    assert!(book.fails(&["payment", "edit", &id, "--amount", "0"]).contains("--amount"));
    assert!(book.fails(&["payment", "edit", "999", "--amount", "1"]).contains("no payment with id 999"));
    assert_eq!(book.book_dump(), before, "refused edits change nothing");
    book.ok(&["payment", "edit", &id, "--amount", "600", "--date", "2026-11-13"]);
    assert_eq!(open_of(&book, "2026-001"), "0/0");
    assert_eq!(
        book.scalar("SELECT group_concat(detail, ';') FROM events WHERE kind = 'payment'"),
        "400.00;600.00 cash"
    );

    // Delete: asks on a terminal, needs --yes in a script; the event goes with it.
    let err = book.fails(&["payment", "delete", &id]);
    assert!(err.contains("--yes"), "{err}");
    book.ok(&["payment", "delete", &id, "--yes"]);
    assert_eq!(open_of(&book, "2026-001"), "60000/1");
    assert_eq!(payments_json(&book, &[]).len(), 1);
    assert_eq!(book.scalar("SELECT group_concat(detail, ';') FROM events WHERE kind = 'payment'"), "400.00");
    book.ok(&["undo"]);
    assert_eq!(open_of(&book, "2026-001"), "0/0");
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), before);
}

#[test]
fn deleting_a_payment_applies_the_plans_other_payments_again() {
    let book = small_book();
    book.ok(&[
        "call",
        "log",
        "2026-001",
        "--reached",
        "--outcome",
        "plan",
        "--plan",
        "3",
        "--every",
        "30",
        "--first",
        "2026-11-25",
    ]);
    book.ok(&["payment", "add", "2026-001", "--amount", "250", "--date", "2026-11-20"]);
    book.ok(&["payment", "add", "2026-001", "--amount", "100", "--date", "2026-11-21"]);
    let alloc = || {
        book.scalar(
            "SELECT group_concat(paid_cents, ',') FROM (SELECT paid_cents FROM instalments ORDER BY seq)",
        )
    };
    assert_eq!(alloc(), "20000,15000,0");
    let first = payments_json(&book, &["2026-001"])[1]["id"].as_i64().unwrap().to_string();
    book.ok(&["payment", "delete", &first, "--yes"]);
    assert_eq!(alloc(), "10000,0,0", "the later payment now pays the first instalment");
    book.ok(&["undo"]);
    assert_eq!(alloc(), "20000,15000,0");
}

#[test]
fn invoices_are_edited_written_off_credited_listed_and_deleted() {
    let book = small_book();
    book.ok(&["customer", "add", "Beta"]);
    let before = book.book_dump();
    let err = book.fails(&["invoice", "edit", "2026-001", "--amount", "300"]);
    assert!(err.contains("400.00 is already paid"), "{err}");
    let err = book.fails(&["invoice", "edit", "2026-001", "--due", "2026-09-01"]);
    assert!(err.contains("--due"), "{err}");
    let err = book.fails(&["invoice", "edit", "2026-001", "--customer", "Nobody"]);
    assert!(err.contains("--customer"), "{err}");
    assert_eq!(book.book_dump(), before);
    let out = book.ok(&[
        "invoice",
        "edit",
        "2026-001",
        "--amount",
        "1200",
        "--description",
        "Site",
        "--number",
        "2026-001b",
    ]);
    assert!(out.contains("2026-001b") && out.contains("€800.00 open"), "{out}");
    assert_eq!(open_of(&book, "2026-001b"), "80000/1");

    let out = book.ok(&[
        "invoice",
        "credit",
        "2026-001b",
        "--amount",
        "120",
        "--reason",
        "resolved with a 10 % discount",
    ]);
    assert!(out.contains("€680.00 still open"), "{out}");
    let err = book.fails(&["invoice", "write-off", "2026-001b", "--amount", "700", "--reason", "bankrupt"]);
    assert!(err.contains("over-payment"), "{err}");
    assert!(book.fails(&["invoice", "write-off", "2026-001b", "--reason", " "]).contains("--reason"));
    book.ok(&["invoice", "write-off", "2026-001b", "--reason", "bankrupt"]);
    assert_eq!(open_of(&book, "2026-001b"), "0/0");
    let kinds = book.scalar("SELECT group_concat(kind || ':' || note, ';') FROM payments ORDER BY id");
    assert_eq!(kinds, "payment:;credit:resolved with a 10 % discount;write_off:bankrupt");

    assert_eq!(book.ok(&["invoice", "list"]), "");
    assert!(book.ok(&["invoice", "list", "--paid"]).contains("written off"));
    assert!(book.ok(&["invoice", "list", "--all", "--customer", "acme"]).contains("2026-001b"));
    assert_eq!(book.ok(&["invoice", "list", "--all", "--customer", "Beta"]), "");

    let err = book.fails(&["invoice", "delete", "2026-001b", "--yes"]);
    assert!(err.contains("--with-payments"), "{err}");
    let err = book.fails(&["customer", "delete", "Acme", "--yes"]);
    assert!(err.contains("has 1 invoice"), "{err}");
    book.ok(&["invoice", "delete", "2026-001b", "--yes", "--with-payments"]);
    assert_eq!(book.scalar("SELECT count(*) || '/' || (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM payments) FROM invoices"), "0/0/0");
    book.ok(&["customer", "delete", "Acme", "--yes"]);
    for _ in 0..5 {
        book.ok(&["undo"]);
    }
    assert_eq!(book.book_dump(), before);
}

#[test]
fn customers_are_edited_archived_and_deleted() {
    let book = small_book();
    book.ok(&["customer", "add", "Typo Ltd", "--email", "info@typo.be"]);
    let err = book.fails(&["customer", "edit", "Typo Ltd", "--email", "not-an-email"]);
    assert!(err.contains("not an email address"), "{err}");
    assert!(book.fails(&["customer", "edit", "Typo Ltd", "--name", "acme"]).contains("already exists"));
    book.ok(&[
        "customer",
        "edit",
        "typo ltd",
        "--name",
        "Tipo Ltd",
        "--email",
        "billing@tipo.be",
        "--terms",
        "14",
        "--profile",
        "new",
    ]);
    let list = book.ok(&["customer", "list"]);
    assert!(list.contains("Tipo Ltd") && list.contains("billing@tipo.be") && list.contains(" 14d"), "{list}");
    book.ok(&["customer", "edit", "Tipo Ltd", "--email", ""]);
    assert!(!book.ok(&["customer", "list"]).contains("billing@tipo.be"));

    book.ok(&["customer", "archive", "Acme"]);
    assert!(!book.ok(&["customer", "list"]).contains("Acme"));
    assert!(book.ok(&["customer", "list", "--all"]).contains("Acme"));
    assert!(book.fails(&["customer", "archive", "Acme"]).contains("already archived"));
    book.ok(&["customer", "unarchive", "Acme"]);
    assert!(book.ok(&["customer", "list"]).contains("Acme"));

    let err = book.fails(&["customer", "delete", "Tipo Ltd"]);
    assert!(err.contains("--yes"), "{err}");
    book.ok(&["customer", "delete", "Tipo Ltd", "--yes"]);
    assert!(book.fails(&["customer", "delete", "Tipo Ltd", "--yes"]).contains("unknown customer"));
}

#[test]
fn archived_customers_leave_today_and_the_export_brings_the_flag_back() {
    let book = small_book();
    let agenda = book.ok(&["report", "agenda", "--format", "json"]);
    assert!(agenda.contains("2026-001"), "{agenda}");
    book.ok(&["customer", "archive", "Acme"]);
    let agenda = book.ok(&["report", "agenda", "--format", "json"]);
    assert!(!agenda.contains("2026-001"), "{agenda}");

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("customers.csv");
    book.ok(&["export", "csv", "--what", "customers", "--out", csv.to_str().unwrap()]);
    let other = Book::new();
    other.ok(&["import", "customers", csv.to_str().unwrap()]);
    assert!(!other.ok(&["customer", "list"]).contains("Acme"));
    assert!(other.ok(&["customer", "list", "--all"]).contains("(archived)"));

    // Un-archived in the book, archived in the file: --update reads the column back.
    book.ok(&["customer", "unarchive", "Acme"]);
    let err = book.fails(&["import", "customers", csv.to_str().unwrap()]);
    assert!(err.contains("archived no → yes"), "{err}");
    book.ok(&["import", "customers", "--update", csv.to_str().unwrap()]);
    assert!(book.ok(&["customer", "list", "--all"]).contains("(archived)"));
    std::fs::write(&csv, "name,archived\nAcme,maybe\n").unwrap();
    let err = book.fails(&["import", "customers", "--update", csv.to_str().unwrap()]);
    assert!(err.contains("archived") && err.contains("not yes or no"), "{err}");
}

#[test]
fn a_backup_is_restored_after_checks_and_the_book_is_saved_first() {
    let book = small_book();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    book.ok(&["backup", copy.to_str().unwrap()]);
    let at_backup = book.book_dump();
    book.ok(&["payment", "add", "2026-001", "--amount", "600", "--date", "2026-11-20"]);
    let later = book.book_dump();

    let err = book.fails(&["backup", "--restore", copy.to_str().unwrap()]);
    assert!(err.contains("--yes"), "{err}");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some text that is long enough").unwrap();
    let err = book.fails(&["backup", "--restore", text.to_str().unwrap(), "--yes"]);
    assert!(err.contains("notes.txt") && err.contains("not a settle database"), "{err}");
    let err = book.fails(&["backup", "--restore", dir.path().join("missing.db").to_str().unwrap(), "--yes"]);
    assert!(err.contains("missing.db"), "{err}");
    assert_eq!(book.book_dump(), later, "refused restores change nothing");

    let out = book.ok(&["backup", "--restore", copy.to_str().unwrap(), "--yes"]);
    assert!(out.contains("Restored the book from") && out.contains("backups"), "{out}");
    assert_eq!(book.book_dump(), at_backup);
    let saved = out.split(" is in ").nth(1).unwrap().trim().trim_end_matches('.').to_string();
    let undo_restore = book.ok(&["backup", "--restore", &saved, "--yes"]);
    assert!(undo_restore.contains("Restored"), "{undo_restore}");
    assert_eq!(book.book_dump(), later);
}

#[test]
fn a_customer_has_a_postal_address_of_several_lines() {
    let book = Book::new();
    book.ok(&["customer", "add", "Acme", "--address", "Kerkstraat 1 | 9000 Gent"]);
    assert_eq!(book.scalar("SELECT address FROM customers"), "Kerkstraat 1\n9000 Gent");
    let out = book.ok(&["customer", "edit", "Acme", "--address", "Acme NV\nDok Noord 7\n9000 Gent"]);
    assert!(out.contains("  Dok Noord 7"), "{out}");
    assert_eq!(book.scalar("SELECT address FROM customers"), "Acme NV\nDok Noord 7\n9000 Gent");
    let rows = book.ok(&["log", "--limit", "1", "--rows"]);
    assert!(
        rows.contains(r#""address":"Kerkstraat 1\n9000 Gent""#),
        "the log records the new column: {rows}"
    );
    let err = book.fails(&["customer", "edit", "Acme", "--address", &"x".repeat(600)]);
    assert!(err.contains("address"), "{err}");
    book.ok(&["undo"]);
    assert_eq!(book.scalar("SELECT address FROM customers"), "Kerkstraat 1\n9000 Gent");

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "name,adres\nAcme,\"Nieuwe Weg 2\n1000 Brussel\"\nBeta,Markt 3\n").unwrap();
    assert!(book.fails(&["import", "customers", csv.to_str().unwrap()]).contains("--update"));
    book.ok(&["import", "customers", "--update", csv.to_str().unwrap()]);
    assert_eq!(
        book.scalar("SELECT group_concat(address, ';') FROM (SELECT address FROM customers ORDER BY id)"),
        "Nieuwe Weg 2\n1000 Brussel;Markt 3"
    );
    // The export writes the address in a column the import reads back.
    let out = dir.path().join("out.csv");
    book.ok(&["export", "csv", "--what", "customers", "--out", out.to_str().unwrap()]);
    let other = Book::new();
    other.ok(&["import", "customers", out.to_str().unwrap()]);
    assert_eq!(
        other.scalar("SELECT group_concat(address, ';') FROM (SELECT address FROM customers ORDER BY id)"),
        "Nieuwe Weg 2\n1000 Brussel;Markt 3"
    );
    // A Peppol invoice gives its buyer's address to a new customer.
    let ubl = format!("{}/tests/fixtures/ubl/ubl-tc434-example2.xml", env!("CARGO_MANIFEST_DIR"));
    other.ok(&["import", "ubl", &ubl]);
    assert_eq!(
        other.scalar("SELECT address FROM customers WHERE name = 'The Buyercompany'"),
        "Anystreet 8\nBack door\n101 Anytown\nNO"
    );
}

#[test]
fn a_step_recorded_by_mistake_is_deleted_and_the_ladder_follows() {
    let book = small_book();
    book.ok(&["step", "record", "2026-001", "--step", "reminder", "--date", "2026-11-16"]);
    let before = book.book_dump();
    book.ok(&["step", "record", "2026-001", "--step", "firm_reminder", "--date", "2026-11-20"]);
    let steps = || book.scalar("SELECT printf('%d', steps_done) FROM invoices");
    let marked = steps();
    assert!(book.fails(&["step", "delete", "2026-001", "--step", "firm_reminder"]).contains("--yes"));
    let out = book.ok(&["step", "delete", "2026-001", "--step", "firm_reminder", "--yes"]);
    assert!(out.contains("Deleted the firm_reminder of 2026-11-20"), "{out}");
    assert_eq!(book.book_dump(), before, "the event and the step mark are gone");
    assert_ne!(steps(), marked);
    let err = book.fails(&["step", "delete", "2026-001", "--step", "formal_notice", "--yes"]);
    assert!(err.contains("no formal_notice is recorded"), "{err}");
    // Recorded again, it is accepted (a letter is never recorded twice, but this one was deleted).
    book.ok(&["step", "record", "2026-001", "--step", "firm_reminder", "--date", "2026-11-21"]);
}

#[test]
fn a_payment_on_the_wrong_invoice_moves_to_the_right_one() {
    let book = small_book();
    book.issue("2026-002", "Acme", "2026-10-15", "300");
    let id = payments_json(&book, &["2026-001"])[0]["id"].as_i64().unwrap().to_string();
    let err = book.fails(&["payment", "edit", &id, "--invoice", "2026-002"]);
    assert!(err.contains("--amount") && err.contains("over-payment"), "400 does not fit in 300: {err}");
    let err = book.fails(&["payment", "edit", &id, "--invoice", "2026-999"]);
    assert!(err.contains("--invoice"), "{err}");
    book.ok(&["payment", "edit", &id, "--invoice", "2026-002", "--amount", "300"]);
    assert_eq!(open_of(&book, "2026-001"), "100000/1");
    assert_eq!(open_of(&book, "2026-002"), "0/0");
    let moved = book.scalar("SELECT i.number || ' ' || e.detail FROM events e JOIN invoices i ON i.id = e.invoice_id WHERE e.kind = 'payment'");
    assert_eq!(moved, "2026-002 300.00");
    book.ok(&["undo"]);
    assert_eq!(open_of(&book, "2026-001"), "60000/1");
    assert_eq!(open_of(&book, "2026-002"), "30000/1");
}

#[test]
fn the_formal_notice_and_the_dossier_carry_the_customer_s_address() {
    let book = small_book();
    book.ok(&["customer", "edit", "Acme", "--address", "Dok Noord 7 | 9000 Gent"]);
    let letter = book.ok(&["letter", "2026-001", "--step", "formal_notice", "--today", "2027-01-20"]);
    assert!(letter.contains("Acme\nDok Noord 7\n9000 Gent\n"), "the envelope window: {letter}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d");
    book.ok(&["export", "dossier", "2026-001", "--out", out.to_str().unwrap(), "--today", "2027-01-20"]);
    let md = std::fs::read_to_string(out.join("dossier.md")).unwrap();
    assert!(md.contains("- Address: Dok Noord 7, 9000 Gent"), "{md}");
    let json = std::fs::read_to_string(out.join("dossier.json")).unwrap();
    assert!(json.contains(r#""address": "Dok Noord 7\n9000 Gent""#), "{json}");
}

#[test]
fn notes_are_added_listed_edited_and_deleted_each_undone() {
    let book = small_book();
    let out = book.ok(&["note", "add", "Acme", "--invoice", "2026-001", "Wants invoices by post"]);
    assert!(out.contains("Note 1 added for Acme"), "{out}");
    book.ok(&["note", "add", "Acme", "Prefers calls in the morning"]);
    let list = book.ok(&["note", "list", "Acme"]);
    assert!(list.contains("     1  2026-11-23  Acme · invoice 2026-001: Wants invoices by post"), "{list}");
    assert!(list.contains("     2  2026-11-23  Acme: Prefers calls in the morning"), "{list}");
    let before_edit = book.book_dump();
    book.ok(&["note", "edit", "1", "--text", "Wants invoices by email"]);
    assert!(book.ok(&["note", "list"]).contains("Wants invoices by email"));
    let events = book.ok(&["export", "csv", "--what", "events"]);
    assert!(events.contains("note,,Wants invoices by email") && !events.contains("by post"), "{events}");
    assert!(book.fails(&["note", "edit", "1", "--text", "  "]).contains("--text: the note is empty"));
    let without_yes = book.fails(&["note", "delete", "2"]);
    assert!(without_yes.contains("add --yes"), "{without_yes}");
    book.ok(&["note", "delete", "2", "--yes"]);
    let list = book.ok(&["note", "list"]);
    assert!(!list.contains("morning"), "{list}");
    assert!(
        !book.ok(&["export", "csv", "--what", "events"]).contains("morning"),
        "its timeline line goes too"
    );
    book.ok(&["undo"]);
    assert!(book.ok(&["note", "list"]).contains("morning"));
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), before_edit);
    assert!(book.fails(&["note", "delete", "x", "--yes"]).contains("'x' is not a number"));
    assert!(book.fails(&["note", "delete", "99", "--yes"]).contains("no note with id 99"));
    assert!(book.fails(&["note", "add", "Nobody", "hi"]).contains("unknown customer 'Nobody'"));
}

fn promised_book() -> Book {
    let book = small_book();
    let out = book.ok(&[
        "call",
        "log",
        "2026-001",
        "--outcome",
        "promise",
        "--promise-date",
        "2026-11-30",
        "--amount",
        "600",
        "--note",
        "after payday",
    ]);
    assert!(out.contains("Agreement 1:"), "{out}");
    book
}

#[test]
fn calls_are_listed_with_ids_edited_and_deleted_with_their_agreement() {
    let book = promised_book();
    let list = book.ok(&["call", "list", "2026-001"]);
    assert!(list.contains("call 1: ") && list.contains("agreement 1 (promise"), "{list}");
    let before = book.book_dump();
    let out = book.ok(&[
        "call",
        "edit",
        "1",
        "--date",
        "2026-11-20",
        "--with",
        "Anna",
        "--note",
        "after their payday",
    ]);
    assert!(out.contains("Call 1 is now: Fri 20 Nov 2026, spoke with Anna"), "{out}");
    let events = book.ok(&["export", "csv", "--what", "events"]);
    assert!(
        events.contains("2026-11-20,Acme,2026-001,call_logged,phone,spoke with Anna: promise to pay (€600.00 by 2026-11-30). after their payday"),
        "{events}"
    );
    assert!(
        events.contains("2026-11-20,Acme,2026-001,agreement_made"),
        "the agreement moves with its call: {events}"
    );
    let refused = book.fails(&["call", "edit", "1", "--outcome", "refused"]);
    assert!(refused.contains("--outcome") && refused.contains("call delete 1"), "{refused}");
    assert!(book.fails(&["call", "edit", "1", "--date", "2026-12-01"]).contains("in the future"));
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), before);

    let track = book.ok(&["track", "2026-001"]);
    assert!(track.contains("done 2026-11-23  call") && track.contains("paused"), "{track}");
    book.ok(&["call", "delete", "1", "--yes"]);
    let list = book.ok(&["call", "list", "2026-001"]);
    assert!(list.contains("No call logged yet") && !list.contains("agreement 1"), "{list}");
    let track = book.ok(&["track", "2026-001"]);
    assert!(!track.contains("done 2026-11-23  call") && !track.contains("paused"), "{track}");
    assert!(!book.ok(&["export", "csv", "--what", "events"]).contains("call_logged"));
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), before, "the call comes back whole");
    assert!(book.fails(&["call", "delete", "7", "--yes"]).contains("no call with id 7"));
}

#[test]
fn deleting_a_promise_resumes_the_ladder_and_editing_it_moves_the_pause() {
    let book = promised_book();
    let track = book.ok(&["track", "2026-001"]);
    assert!(track.contains("paused since 2026-11-23: promise to pay, until 2026-12-02"), "{track}");
    let out = book.ok(&["agreement", "edit", "1", "--date", "2026-12-10", "--amount", "500"]);
    assert!(out.contains("Agreement 1 (promise) is now €500.00 by 2026-12-10"), "{out}");
    let track = book.ok(&["track", "2026-001"]);
    assert!(track.contains("until 2026-12-12"), "the pause follows the new date: {track}");
    let err = book.fails(&["agreement", "edit", "1", "--amount", "700"]);
    assert!(err.contains("more than the 600.00 open"), "{err}");
    assert!(book.fails(&["agreement", "edit", "1", "--date", "2026-11-01"]).contains("2026-11-01"));
    assert!(book.fails(&["agreement", "edit", "1", "--dates", "2026-12-01,2026-12-20"]).contains("one date"));
    let before = book.book_dump();
    book.ok(&["agreement", "delete", "1", "--yes"]);
    let track = book.ok(&["track", "2026-001"]);
    assert!(!track.contains("paused") && track.contains("next: firm_reminder"), "{track}");
    let events = book.ok(&["export", "csv", "--what", "events"]);
    assert!(
        !events.contains("agreement_made") && events.contains("reached: promise to pay. after payday"),
        "{events}"
    );
    book.ok(&["undo"]);
    assert_eq!(book.book_dump(), before);
}

#[test]
fn a_plan_edited_applies_its_payments_again() {
    let book = small_book();
    book.ok(&[
        "call",
        "log",
        "2026-001",
        "--outcome",
        "plan",
        "--amount",
        "600",
        "--dates",
        "2026-11-25,2026-12-25",
    ]);
    book.ok(&["payment", "add", "2026-001", "--amount", "300", "--date", "2026-11-23"]);
    let out = book.ok(&["agreement", "edit", "1", "--dates", "2026-11-25,2026-12-10,2027-01-10"]);
    assert!(out.contains("3 × €200.00 from 2026-11-25 to 2027-01-10"), "{out}");
    let list = book.ok(&["call", "list", "2026-001"]);
    assert!(list.contains("1. €200.00 on Wed 25 Nov 2026, paid €200.00"), "{list}");
    assert!(list.contains("2. €200.00 on Thu 10 Dec 2026, paid €100.00"), "{list}");
    assert!(list.contains("3. €200.00 on Sun 10 Jan 2027, paid €0.00"), "{list}");
    let err = book.fails(&["agreement", "edit", "1", "--dates", "2026-12-01"]);
    assert!(err.contains("--dates") || err.contains("instalments"), "{err}");
}
