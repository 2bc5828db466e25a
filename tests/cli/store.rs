//! Opening database files: a new one is private, and a file that is not a settle database
//! (or comes from a newer settle) is refused and left exactly as it was.

use std::fs;
use std::path::{Path, PathBuf};

use settle::domain::customer::NewCustomer;
use settle::store::{Store, StoreError, schema};

use crate::support::{Book, mode, snapshot};

fn refused(path: &Path) -> StoreError {
    let before = snapshot(path);
    let err = match Store::open(path) {
        Ok(_) => panic!("{} was opened as a settle database", path.display()),
        Err(e) => e,
    };
    assert_eq!(snapshot(path), before, "{} was changed", path.display());
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "the error names the file: {text}");
    assert!(text.contains("nothing was changed"), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
    err
}

fn other_sqlite(path: &PathBuf, application_id: i64, user_version: i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA application_id = {application_id};
         PRAGMA user_version = {user_version};
         CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO things (name) VALUES ('keep me');"
    ))
    .unwrap();
}

#[cfg(unix)]
#[test]
fn a_new_database_is_private_and_so_is_a_new_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("data").join("settle").join("settle.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&tmp.path().join("data")), 0o700);
    store.add_customer(&NewCustomer::named("Acme")).unwrap();
    // SQLite gives the write-ahead log the database file's mode.
    let wal = path.with_file_name("settle.db-wal");
    assert!(wal.exists(), "the database runs in WAL mode");
    assert_eq!(mode(&wal), 0o600);
}

#[test]
fn a_settle_database_opens_again_with_its_data() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("settle.db");
    Store::open(&path).unwrap().add_customer(&NewCustomer::named("Acme")).unwrap();
    let store = Store::open(&path).unwrap();
    let names: Vec<String> = store.customers().unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Acme"]);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, schema::latest_version());
}

#[test]
fn a_text_file_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in
        [("short.txt", "hello\n".to_string()), ("invoices.csv", "number,customer,amount\n".repeat(200))]
    {
        let path = tmp.path().join(name);
        fs::write(&path, &text).unwrap();
        let err = refused(&path);
        assert!(
            matches!(&err, StoreError::Foreign { why, .. } if why.contains("not an SQLite database")),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let with_id = tmp.path().join("other.sqlite");
    other_sqlite(&with_id, 0x1234, 3);
    let err = refused(&with_id);
    assert!(matches!(&err, StoreError::Foreign { why, .. } if why.contains("0x1234")), "{err}");

    let without_id = tmp.path().join("plain.sqlite");
    other_sqlite(&without_id, 0, 0);
    let err = refused(&without_id);
    assert!(matches!(&err, StoreError::Foreign { why, .. } if why.contains("another program")), "{err}");
    let conn = rusqlite::Connection::open(&without_id).unwrap();
    let kept: String = conn.query_row("SELECT name FROM things", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, "keep me");
}

#[test]
fn a_database_from_a_newer_settle_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("settle.db");
    let newer = schema::latest_version() + 1;
    other_sqlite(&path, schema::APPLICATION_ID, newer);
    let err = refused(&path);
    match err {
        StoreError::NewerSchema { found, known, .. } => {
            assert_eq!((found, known), (newer, schema::latest_version()));
        }
        other => panic!("expected NewerSchema, got {other}"),
    }
}

#[test]
fn a_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Store::open(tmp.path()).err().expect("a directory is not a database");
    assert!(matches!(&err, StoreError::Foreign { why, .. } if why.contains("directory")), "{err}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn the_demo_book_keeps_its_open_amounts_and_ages_like_the_plain_rule() {
    use settle::domain::aging::age;
    use settle::domain::dates::add_days;
    use settle::domain::money::Currency;
    use settle::service::demo::{DemoOptions, write_demo};

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for seed in [1, 42] {
        let mut store = Store::open_in_memory().unwrap();
        write_demo(&mut store, &DemoOptions { customers: 25, invoices: 600, seed, busy: true }, today)
            .unwrap();
        assert!(store.open_amount_mismatches().unwrap().is_empty(), "seed {seed}");
        let facts: Vec<_> = store.invoice_facts().unwrap().into_iter().map(|(_, f)| f).collect();
        assert_eq!(facts.len(), 600);
        for f in &facts {
            assert!(f.issued <= today && f.due >= f.issued);
            assert!(f.reductions.iter().all(|(on, _)| *on >= f.issued && *on <= today), "{f:?}");
        }
        let plain = |as_of| -> Vec<_> {
            age(&facts, as_of).unwrap().into_iter().map(|(c, b)| (c, *b.cents())).collect()
        };
        let report = |r: settle::domain::aging::AgingReport| -> Vec<_> {
            let mut rows: Vec<_> =
                r.rows.into_iter().map(|row| (row.customer_id, *row.buckets.cents())).collect();
            rows.sort();
            rows
        };
        assert!(store.kept_amounts_hold_on(today).unwrap());
        let fast = store.aging(today, Currency::EUR).unwrap();
        assert_eq!(fast, store.aging_recomputed(today, Currency::EUR).unwrap());
        assert_eq!(report(fast), plain(today));
        for back in [1, 30, 95, 200, 400] {
            let as_of = add_days(today, -back);
            assert_eq!(report(store.aging(as_of, Currency::EUR).unwrap()), plain(as_of), "{as_of}");
        }
    }
}

/// A command that only reads, on a book that is not there (a mistyped `--db`), is refused and
/// creates nothing, where it created an empty book that owed nothing; a command that writes
/// creates the book as before.
#[test]
fn reading_a_book_that_is_not_there_is_refused_and_creates_nothing() {
    let book = Book::new();
    let reads: [&[&str]; 5] = [
        &["report", "aging"],
        &["report", "agenda"],
        &["invoice", "list"],
        &["customer", "list"],
        &["export", "csv", "--what", "invoices"],
    ];
    for args in reads {
        let err = book.fails(args);
        assert!(err.contains("there is no book at"), "{args:?}: {err}");
        assert!(err.contains(&book.db.display().to_string()), "the error names the file: {err}");
        assert!(!book.db.exists(), "{args:?} created {}", book.db.display());
    }
    book.ok(&["customer", "add", "Acme BV"]);
    assert!(book.db.exists());
    assert!(book.ok(&["customer", "list"]).contains("Acme BV"));
}
