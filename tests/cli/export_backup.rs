//! `settle export` round trips through the importers, `settle backup`, and the aging CSV.

use crate::support::{Book, TODAY, mode};

/// The invoices export without the columns no importer reads back (disputes are events).
fn invoices(book: &Book) -> String {
    let out = book.ok(&["export", "csv", "--what", "invoices"]);
    out.lines().map(|l| l.rsplit_once(',').map_or(l, |(rest, _)| rest)).collect::<Vec<_>>().join("\n")
}

fn round_trip(format: &str) {
    let from = Book::new();
    from.ok(&["demo", "--busy", "--customers", "30", "--invoices", "300", "--seed", "7"]);
    let to = Book::new();
    for what in ["customers", "invoices", "payments"] {
        let file = from.path(&format!("{what}.{format}"));
        let out = from.ok(&["export", format, "--what", what, "--out", file.to_str().unwrap()]);
        assert!(out.contains("(readable by you only)"), "{out}");
        #[cfg(unix)]
        assert_eq!(mode(&file), 0o600);
        let kind = match what {
            "invoices" => "csv",
            other => other,
        };
        to.ok(&["import", kind, file.to_str().unwrap()]);
    }
    for as_of in [TODAY, "2026-03-31", "2025-12-31"] {
        assert_eq!(from.aging(&["--as-of", as_of]), to.aging(&["--as-of", as_of]), "aging as of {as_of}");
    }
    assert!(from.aging(&[]).len() > 5, "the demo book has open invoices");
    assert_eq!(invoices(&from), invoices(&to));
    assert_eq!(
        from.ok(&["export", "csv", "--what", "payments"]),
        to.ok(&["export", "csv", "--what", "payments"])
    );
    assert_eq!(
        from.ok(&["export", "csv", "--what", "customers"]),
        to.ok(&["export", "csv", "--what", "customers"])
    );
    // And importing the same exports again changes nothing.
    let before = to.bytes();
    for (kind, what) in [("customers", "customers"), ("csv", "invoices"), ("payments", "payments")] {
        let file = from.path(&format!("{what}.{format}"));
        to.ok(&["import", kind, file.to_str().unwrap()]);
    }
    assert_eq!(to.bytes(), before);
}

#[test]
fn a_csv_export_imports_into_a_fresh_book_with_the_same_aging() {
    round_trip("csv");
}

#[test]
fn a_json_export_imports_into_a_fresh_book_with_the_same_aging() {
    round_trip("json");
}

#[test]
fn events_export_the_timeline() {
    let book = Book::new();
    book.ok(&["demo", "--busy", "--customers", "5", "--invoices", "20", "--seed", "3"]);
    let csv = book.ok(&["export", "csv", "--what", "events"]);
    assert!(csv.starts_with("date,customer,invoice,kind,channel,detail\n"), "{csv}");
    assert!(csv.lines().any(|l| l.contains(",payment,,")), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&book.ok(&["export", "json", "--what", "events"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), csv.lines().count() - 1);
}

/// A link planted at the old fixed temporary name (`FILE.part`) is left alone: the export is
/// written under a new random name and renamed into place, so the link's target keeps its
/// content and its mode.
#[cfg(unix)]
#[test]
fn an_export_never_writes_through_a_link_at_its_temporary_name() {
    use std::os::unix::fs::PermissionsExt;
    let book = Book::new();
    book.ok(&["demo", "--busy", "--customers", "3", "--invoices", "10", "--seed", "1"]);
    let victim = book.path("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = book.path("book.csv");
    std::os::unix::fs::symlink(&victim, book.path("book.csv.part")).unwrap();
    book.ok(&["export", "csv", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(mode(&victim), 0o644);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("number,"));
    assert_eq!(mode(&out), 0o600);
    assert!(std::fs::symlink_metadata(book.path("book.csv.part")).unwrap().file_type().is_symlink());
    let leftovers: Vec<_> = std::fs::read_dir(book.dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("book.csv.") && n != "book.csv.part")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_backup_is_a_private_copy_that_opens_as_a_settle_book() {
    let book = Book::new();
    book.ok(&["demo", "--busy", "--customers", "10", "--invoices", "60", "--seed", "5"]);
    let copy = book.path("copy.db");
    let out = book.ok(&["backup", copy.to_str().unwrap()]);
    assert!(out.contains("copy.db (readable by you only)"), "{out}");
    #[cfg(unix)]
    assert_eq!(mode(&copy), 0o600);
    let restored = Book::file(&copy);
    assert_eq!(restored.aging(&[]), book.aging(&[]));
    assert_eq!(
        restored.ok(&["export", "csv", "--what", "payments"]),
        book.ok(&["export", "csv", "--what", "payments"])
    );
    // Never over an existing file.
    let err = book.fails(&["backup", copy.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    // Without a path: into backups/ beside the database.
    let out = book.ok(&["backup"]);
    assert!(out.contains("/backups/book-"), "{out}");
    assert_eq!(std::fs::read_dir(book.path("backups")).unwrap().count(), 1);
}

#[test]
fn the_aging_csv_opens_cleanly_in_a_spreadsheet() {
    let book = Book::new();
    book.ok(&["demo", "--busy", "--customers", "12", "--invoices", "120", "--seed", "9"]);
    let out = book.ok(&["report", "aging", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.len(), 7);
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), 7);
        for cell in record.iter().skip(1) {
            // Plain numbers with a decimal point: no thousands separators, no currency signs.
            assert!(cell.parse::<rust_decimal::Decimal>().is_ok() && !cell.contains(','), "{cell}");
        }
    }
}

/// Eleven `settle backup` runs on a damaged book used to rotate the last good backup away.
#[test]
fn a_damaged_book_is_refused_by_backup_and_the_good_backups_stay() {
    let book = Book::new();
    book.ok(&["demo", "--busy", "--customers", "10", "--invoices", "60", "--seed", "5"]);
    for _ in 0..3 {
        book.ok(&["backup"]);
    }
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(book.path("backups"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    };
    let good = listing();
    assert_eq!(good.len(), 3);
    // Damage the b-tree page of an index, as a failing disk would.
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&book.db).unwrap();
        let root = conn
            .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'invoices_customer'", [], |r| {
                r.get(0)
            })
            .unwrap();
        (root, conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap())
    };
    let mut bytes = std::fs::read(&book.db).unwrap();
    let at = usize::try_from((root - 1) * page_size).unwrap();
    bytes[at..at + 16].fill(0xFF);
    std::fs::write(&book.db, bytes).unwrap();
    for _ in 0..11 {
        let err = book.fails(&["backup"]);
        assert!(
            err.contains("book.db: the database file is damaged (it fails SQLite's quick check"),
            "{err}"
        );
        assert!(err.contains("no older backup was removed"), "{err}");
    }
    let copy = book.path("copy.db");
    assert!(book.fails(&["backup", copy.to_str().unwrap()]).contains("quick check"));
    assert!(!copy.exists());
    assert_eq!(listing(), good);
}
