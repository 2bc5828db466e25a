//! Bad input, foreign files, defaults and where the database comes from.

use std::fs;

use crate::support::*;

#[test]
fn bad_input_is_refused_clearly_and_changes_nothing() {
    let book = small_book();
    let add = |number: &'static str, extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["invoice", "add", number, "--customer", "Acme", "--issued", "2026-11-01"];
        v.extend_from_slice(extra);
        v
    };
    let pay = |amount: &'static str, date: &'static str| -> Vec<&'static str> {
        vec!["payment", "add", "2026-001", "--amount", amount, "--date", date]
    };
    let bad_ogm = "+++000/0000/00203+++";
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec![
                "invoice",
                "add",
                "2026-002",
                "--customer",
                "Nobody",
                "--issued",
                "2026-11-01",
                "--amount",
                "5",
            ],
            vec!["unknown customer 'Nobody'"],
        ),
        (add("2026-001", &["--amount", "5"]), vec!["invoice 2026-001 already exists"]),
        (add(" 2026-001 ", &["--amount", "5"]), vec!["invoice 2026-001 already exists"]),
        (
            vec![
                "invoice",
                "add",
                "2026-002",
                "--customer",
                "Acme",
                "--issued",
                "2026-13-45",
                "--amount",
                "5",
            ],
            vec!["--issued", "'2026-13-45' is not a real day"],
        ),
        (
            add("2026-002", &["--due", "next week", "--amount", "5"]),
            vec!["--due", "'next week' is not a date"],
        ),
        (
            add("2026-002", &["--due", "2026-10-01", "--amount", "5"]),
            vec!["2026-10-01 is before the issue date"],
        ),
        (add("2026-002", &["--amount", "12,3,4"]), vec!["--amount", "'12,3,4' is not an amount"]),
        (add("2026-002", &["--amount", "1,234"]), vec!["--amount", "'1,234' is ambiguous"]),
        (add("2026-002", &["--amount", "0"]), vec!["--amount", "must be positive"]),
        (
            add("2026-002", &["--amount", "5", "--currency", "XYZ"]),
            vec!["--currency", "unknown currency 'XYZ'"],
        ),
        (add("2026-002", &["--amount", "5", "--ref", bad_ogm]), vec!["--ref", bad_ogm, "check digits"]),
        (add("2026-002", &["--amount", "5", "--ref", "+++12/34+++"]), vec!["--ref", "12 digits"]),
        (pay("12,3,4", "2026-11-20"), vec!["--amount", "'12,3,4' is not an amount"]),
        (pay("1,234", "2026-11-20"), vec!["--amount", "ambiguous"]),
        (pay("600.01", "2026-11-20"), vec!["2026-001", "600.00 still open", "over-payment refused"]),
        (pay("10", "2026-02-30"), vec!["--date", "'2026-02-30' is not a real day"]),
        (pay("10", "2026-09-30"), vec!["before the invoice was issued"]),
        (pay("10", "2026-11-24"), vec!["--date", "in the future"]),
        (
            vec!["payment", "add", "2026-999", "--amount", "5", "--date", "2026-11-20"],
            vec!["unknown invoice '2026-999'"],
        ),
        (vec!["customer", "add", "acme"], vec!["a customer named 'acme' already exists"]),
        (vec!["customer", "add", "Bob", "--profile", "vip"], vec!["--profile", "unknown profile 'vip'"]),
        (vec!["demo"], vec!["already holds"]),
    ];
    let before = book.dump();
    let report = book.json(&[]);
    for (args, wanted) in cases {
        let err = book.fails(&args);
        for w in wanted {
            assert!(err.contains(w), "{args:?}: stderr should mention {w:?}, got: {err}");
        }
        assert!(err.lines().filter(|l| !l.trim().is_empty()).count() <= 3, "{args:?}: short: {err}");
        assert_eq!(book.dump(), before, "{args:?} changed the book");
    }
    assert_eq!(book.json(&[]), report);
    assert_eq!(report["customers"][0]["total"], "600.00");
}

fn refused_as_db(book: &Book, wanted: &[&str]) {
    let before = snapshot(&book.db);
    for args in [&["report", "aging"][..], &["customer", "add", "Acme"], &["demo"]] {
        let err = book.fails(args);
        assert!(err.contains(&book.db.display().to_string()), "names the file: {err}");
        for w in wanted {
            assert!(err.contains(w), "{args:?}: stderr should mention {w:?}, got: {err}");
        }
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert_eq!(snapshot(&book.db), before, "{args:?} touched the file");
    }
}

#[test]
fn a_text_file_as_db_is_refused_and_untouched() {
    let book = Book::new();
    fs::write(&book.db, "number,customer,amount\n2026-001,Acme,100\n").unwrap();
    refused_as_db(&book, &["not a settle database", "not an SQLite database", "nothing was changed"]);
}

#[test]
fn a_newer_or_foreign_sqlite_file_as_db_is_refused_and_untouched() {
    let newer = settle::store::schema::latest_version() + 1;
    for (app_id, version, wanted) in [
        (settle::store::schema::APPLICATION_ID, newer, "made by a newer settle"),
        (0x4242, 1, "not a settle database"),
    ] {
        let book = Book::new();
        let conn = rusqlite::Connection::open(&book.db).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {app_id}; PRAGMA user_version = {version};
             CREATE TABLE later (x TEXT); INSERT INTO later VALUES ('kept');"
        ))
        .unwrap();
        drop(conn);
        refused_as_db(&book, &[wanted, "nothing was changed"]);
    }
}

#[test]
fn an_invoice_without_due_date_uses_the_customers_terms() {
    let book = Book::new();
    book.ok(&["customer", "add", "Slow Payer BV", "--terms", "45"]);
    book.ok(&["customer", "add", "Usual"]);
    let out = book.issue("A-1", "slow payer bv", "2026-10-01", "100");
    assert!(out.contains("due 2026-11-15"), "{out}");
    book.issue("A-2", "Usual", "01/10/2026", "100");
    let args =
        ["invoice", "add", "A-3", "--customer", "Usual", "--issued", "2026-10-01", "--due", "2026-10-11"];
    book.ok(&[&args[..], &["--amount", "100"]].concat());
    let due = |n: &str| book.scalar(&format!("SELECT due FROM invoices WHERE number = '{n}'"));
    assert_eq!(
        (due("A-1"), due("A-2"), due("A-3")),
        ("2026-11-15".into(), "2026-10-31".into(), "2026-10-11".into())
    );
}

#[test]
fn a_valid_structured_reference_is_kept() {
    let book = Book::new();
    book.ok(&["customer", "add", "Acme"]);
    let ogm = settle::domain::ogm::Ogm::generate(2_026_000_017).unwrap().to_string();
    book.ok(&[
        "invoice",
        "add",
        "A-1",
        "--customer",
        "Acme",
        "--issued",
        "2026-10-01",
        "--amount",
        "5",
        "--ref",
        &ogm,
    ]);
    assert_eq!(book.scalar("SELECT reference FROM invoices"), ogm);
}

#[test]
fn settle_db_from_the_environment_is_used_and_the_flag_wins() {
    let book = Book::new();
    settle()
        .env("SETTLE_DB", &book.db)
        .args(["--today", TODAY, "customer", "add", "Acme"])
        .assert()
        .success();
    assert!(book.db.exists(), "SETTLE_DB names the database");
    assert!(book.ok(&["customer", "list"]).contains("Acme"));
    let text = book.db.with_file_name("notes.txt");
    fs::write(&text, "not a database").unwrap();
    let out = settle()
        .env("SETTLE_DB", &text)
        .arg("--db")
        .arg(&book.db)
        .args(["customer", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("Acme"));
}
