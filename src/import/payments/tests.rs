use chrono::NaiveDate;
use rust_decimal::dec;

use proptest::prelude::*;

use super::*;
use crate::domain::customer::NewCustomer;
use crate::domain::invoice::{NewInvoice, NewPayment};
use crate::domain::money::Currency;
use crate::domain::ogm::Ogm;
use crate::import::bank::parse_statement;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Two customers with four invoices each (100 to 800 EUR; the fourth carries a
/// structured reference), and 50 EUR recorded by hand on the first.
fn small_book() -> Store {
    fill(Store::open_in_memory().unwrap())
}

/// [`small_book`] in a file.
fn small_book_at(path: &std::path::Path) -> Store {
    fill(Store::open(path).unwrap())
}

fn fill(store: Store) -> Store {
    for (c, name) in ["Maple & Finch", "Quarry Design"].into_iter().enumerate() {
        let customer = store.add_customer(&NewCustomer::named(name)).unwrap();
        for n in 1..=4 {
            let k = c * 4 + n;
            store
                .add_invoice(&NewInvoice {
                    number: format!("INV-{k}"),
                    customer_id: customer,
                    issued: day("2026-10-01"),
                    due: day("2026-10-31"),
                    amount: Money::new(rust_decimal::Decimal::from(k * 100), Currency::EUR),
                    description: String::new(),
                    reference: (n == 4).then(|| PayRef::Ogm(Ogm::generate(k as u64).unwrap())),
                })
                .unwrap();
        }
    }
    let first = store.invoice_id("INV-1").unwrap().unwrap();
    store
        .add_payment(&NewPayment {
            invoice: first,
            on: day("2026-11-10"),
            amount: dec!(50),
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        })
        .unwrap();
    store
}

/// What a book holds, but for the moments rows were written: every row, and the schema
/// (each index's definition, by name).
fn contents(store: &Store) -> String {
    let mut stmt =
        store.conn().prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").unwrap();
    let schema = stmt
        .query_map([], |r| {
            Ok(format!(
                "{:?}",
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?
                )
            ))
        })
        .unwrap();
    let schema: Vec<String> = schema.map(Result::unwrap).collect();
    crate::store::testing::dump(store, &["created_at"]) + &schema.join("\n")
}

#[test]
fn an_import_puts_the_connection_back_as_it_was() {
    let mut store = small_book();
    let settings = |s: &Store| -> (i64, i64, i64) {
        let get = |name| s.conn().pragma_query_value(None, name, |r| r.get(0)).unwrap();
        (get("cache_size"), get("temp_store"), get("threads"))
    };
    let before = settings(&store);
    let text = b"date;amount;counterparty;communication\n2026-11-12;42,00;MAPLE AND FINCH BV;thanks\n";
    let p = parse_statement("b.csv", text, &[], day("2026-11-23")).unwrap();
    let dry = Options { dry_run: true, ..Options::default() };
    for deferring in [Deferring::Always, Deferring::WhenWorth] {
        for opts in [dry, Options::default()] {
            // A line that names no invoice: the import hands its cache back for the
            // candidates (and, its indexes deferred, builds them with helper threads).
            let out =
                import_lines(&mut store, &mut p.records.as_slice(), &[], opts, None, deferring).unwrap();
            assert_eq!(out.not_matched, 1);
            assert_eq!(settings(&store), before);
        }
    }
}

/// One line of a statement: paying an invoice by its number or its structured
/// reference, an amount by hand, or naming nothing; for so many euros, on a day.
fn statement(lines: &[(u8, usize, i64, u32)]) -> String {
    let mut text = String::from("date;amount;counterparty;communication\n");
    for (how, k, euros, d) in lines {
        let k = k % 8 + 1;
        let communication = match how % 4 {
            0 => format!("Invoice INV-{k}"),
            // The reference of INV-4 or INV-8, or one no invoice carries.
            1 => Ogm::generate(if k % 4 == 0 { k as u64 } else { 99 }).unwrap().to_string(),
            2 => "thanks".to_string(),
            _ => "hand".to_string(),
        };
        text.push_str(&format!("2026-11-{d:02};{euros},00;MAPLE AND FINCH BV;{communication}\n"));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A statement gone through with its payments' indexes dropped and built again, or
    /// entered line by line, does the same: the same outcome, the same rows, the same
    /// indexes; a second import of a longer statement too (its first lines already
    /// dealt with), and a dry run or a refused one leaves the book as it was.
    #[test]
    fn deferring_the_indexes_changes_nothing_but_the_time(
        earlier in proptest::collection::vec((0u8..4, 0usize..8, 1i64..900, 5u32..20), 0..6),
        later in proptest::collection::vec((0u8..4, 0usize..8, 1i64..900, 5u32..20), 0..12),
        dry in any::<bool>(),
    ) {
        let mut both = Vec::new();
        for deferring in [Deferring::Never, Deferring::Always] {
            let mut store = small_book();
            let mut lines = |text: &str, opts| {
                let p = parse_statement("b.csv", text.as_bytes(), &[], day("2026-11-23")).unwrap();
                import_lines(&mut store, &mut p.records.as_slice(), &[], opts, None, deferring)
                    .map_err(|e| format!("{e:#}"))
            };
            let first = lines(&statement(&earlier), Options::default());
            let all: Vec<_> = earlier.iter().chain(&later).copied().collect();
            let second = lines(&statement(&all), Options { dry_run: dry, ..Options::default() });
            both.push((first, second, contents(&store)));
        }
        prop_assert_eq!(&both[0], &both[1]);
    }
}

#[test]
fn a_refused_statement_puts_the_indexes_it_dropped_back() {
    let mut store = small_book();
    let before = contents(&store);
    // Settle's own export names an invoice the book does not have: a bad file.
    let text = "date,invoice,counterparty,amount,currency,kind,method,note\n\
                2026-11-12,INV-1,Maple & Finch,100.00,EUR,payment,,\n\
                2026-11-12,INV-99,Maple & Finch,100.00,EUR,payment,,\n";
    let p = parse_statement("b.csv", text.as_bytes(), &[], day("2026-11-23")).unwrap();
    let e =
        import_lines(&mut store, &mut p.records.as_slice(), &[], Options::default(), None, Deferring::Always)
            .unwrap_err();
    assert!(format!("{e:#}").contains("no such invoice"), "{e:#}");
    assert_eq!(contents(&store), before);
    let indexes: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('invoices_open', 'payments_paid', 'payments_amount', 'events_customer')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 4);
}

#[test]
fn only_a_statement_long_for_its_book_is_worth_its_indexes_built_again() {
    let store = small_book();
    // 8 invoices, 1 payment and the book's events: a few dozen entries to build again.
    assert!(!store.worth_deferring(9_999).unwrap(), "a statement of a day or a month never is");
    assert!(store.worth_deferring(10_000).unwrap());
    // A book of 40,000 invoices' worth of entries (by the largest id): a quarter of it.
    store.conn().execute("UPDATE payments SET id = 20000 WHERE id = 1", []).unwrap();
    assert!(
        !store.worth_deferring(10_000).unwrap(),
        "40,000 + the invoices and events: more than 4 × 10,000"
    );
    assert!(store.worth_deferring(10_100).unwrap());
}

/// Lines of a bank's own statement (camt.053): with an account or none, one of two bank
/// references or none, a rank, and one of three days and three amounts; so that the lines
/// of one statement, and of two, are often the same line, in every way the rule allows.
fn bank_lines(spec: &[(u8, usize, u8, u8, u32, u8)]) -> Vec<BankLine> {
    spec.iter()
        .enumerate()
        .map(|(i, &(how, k, account, reference, seq, d))| {
            let k = k % 8 + 1;
            let origin = crate::import::model::Origin {
                file: "s.xml".into(),
                at: crate::import::At::Record(i as u64 + 1),
            };
            let on = day(&format!("2026-11-{:02}", 10 + d % 3));
            let amount = rust_decimal::Decimal::from(100 * (1 + k % 3));
            let mut line = BankLine::new(origin, crate::import::model::StatementFormat::Camt053, on, amount);
            line.account = ["", "BE68539007547034"][usize::from(account % 2)].to_string();
            line.entry_ref = [None, Some("E1"), Some("E2")][usize::from(reference % 3)].map(str::to_string);
            line.seq = seq;
            line.counterparty = "MAPLE AND FINCH BV".to_string();
            line.communication = match how % 3 {
                0 => format!("Invoice INV-{k}"),
                1 => "thanks".to_string(),
                _ => "hand".to_string(),
            };
            line
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// While a long statement builds the index of the bank entries again, a line is told
    /// already dealt with as it is through that index: by an entry of an earlier import, or
    /// of an earlier line of the same statement.
    #[test]
    fn a_line_already_dealt_with_is_told_the_same_while_its_index_is_built_again(
        earlier in proptest::collection::vec((0u8..3, 0usize..8, 0u8..2, 0u8..3, 1u32..3, 0u8..3), 0..6),
        later in proptest::collection::vec((0u8..3, 0usize..8, 0u8..2, 0u8..3, 1u32..3, 0u8..3), 0..12),
    ) {
        let mut both = Vec::new();
        for deferring in [Deferring::Never, Deferring::Always] {
            let mut store = small_book();
            let mut import = |lines: Vec<BankLine>| {
                import_lines(&mut store, &mut lines.as_slice(), &[], Options::default(), None, deferring)
                    .map_err(|e| format!("{e:#}"))
            };
            let first = import(bank_lines(&earlier));
            let all: Vec<_> = earlier.iter().chain(&later).copied().collect();
            let second = import(bank_lines(&all));
            both.push((first, second, contents(&store)));
        }
        prop_assert_eq!(&both[0], &both[1]);
    }
}

/// The book's automatic backups, by name.
fn backups(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let dir = crate::store::backup::backup_dir(path);
    crate::store::backup::list_backups(&dir, "book").unwrap_or_default()
}

#[test]
fn a_long_statement_is_written_with_a_rollback_journal_and_backed_up_before_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut store = small_book_at(&path);
    let before = contents(&store);
    let import = |store: &mut Store, text: &str, opts| {
        let p = parse_statement("b.csv", text.as_bytes(), &[], day("2026-11-23")).unwrap();
        import_lines(store, &mut p.records.as_slice(), &[], opts, None, Deferring::Always)
    };
    let text = statement(&[(0, 1, 100, 12), (2, 0, 70, 12)]);
    // A dry run takes no backup; a refused import removes the one it took.
    let dry = import(&mut store, &text, Options { dry_run: true, ..Options::default() }).unwrap();
    assert_eq!(dry.backup, None);
    let refused = "date,invoice,counterparty,amount,currency,kind,method,note\n\
                   2026-11-12,INV-99,Maple & Finch,100.00,EUR,payment,,\n";
    import(&mut store, refused, Options::default()).unwrap_err();
    assert_eq!(backups(&path), Vec::<std::path::PathBuf>::new());
    assert_eq!(contents(&store), before);

    let out = import(&mut store, &text, Options::default()).unwrap();
    assert_eq!((out.changed(), out.not_matched), (1, 1));
    let backup = out.backup.expect("a backup of the book as it was");
    assert_eq!(backups(&path), vec![backup.clone()]);
    assert_eq!(contents(&Store::open(&backup).unwrap()), before);
    assert_ne!(contents(&store), before);
    // Back to the log, synced as before.
    let pragma = |name| {
        store.conn().pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0)).unwrap()
    };
    assert_eq!(pragma("journal_mode"), rusqlite::types::Value::Text("wal".into()));
    assert_eq!(pragma("synchronous"), rusqlite::types::Value::Integer(1));
}

#[test]
fn with_another_connection_on_the_book_a_long_statement_goes_through_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut store = small_book_at(&path);
    let reader = Store::open_read_only(&path).unwrap();
    let count =
        |s: &Store| s.conn().query_row("SELECT count(*) FROM payments", [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count(&reader), 1);
    let p =
        parse_statement("b.csv", statement(&[(0, 1, 100, 12)]).as_bytes(), &[], day("2026-11-23")).unwrap();
    let out =
        import_lines(&mut store, &mut p.records.as_slice(), &[], Options::default(), None, Deferring::Always)
            .unwrap();
    assert_eq!(out.changed(), 1);
    assert!(out.backup.is_some_and(|b| b.exists()));
    assert_eq!(count(&reader), 2, "the other connection reads the import once committed");
    let mode: String = store.conn().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}
