//! Store tests: refused writes change nothing, and the kept open amounts (the fast path of
//! today's aging report) always agree with the amounts recomputed from payments and with the
//! plain aging rule of `domain::aging::age`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::dec;

use super::*;
use crate::domain::aging::{AgingReport, InvoiceFacts, age};
use crate::domain::customer::{CustomerId, NewCustomer};
use crate::domain::dates::add_days;
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::{Currency, Money, from_cents};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-23";

/// Row counts of every table and each invoice's kept amounts: what "nothing changed" means.
type State = (Vec<(String, i64)>, Vec<(String, i64, i64, bool)>);

fn state(store: &Store) -> State {
    let counts = ["customers", "invoices", "payments", "events", "notes", "meta"]
        .iter()
        .map(|t| {
            let n: i64 =
                store.conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
            (t.to_string(), n)
        })
        .collect();
    let mut stmt = store
        .conn
        .prepare("SELECT number, amount_cents, open_cents, is_open FROM invoices ORDER BY id")
        .unwrap();
    let invoices = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (counts, invoices)
}

fn invoice(number: &str, customer: CustomerId, issued: &str, due: &str, amount: Decimal) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        customer_id: customer,
        issued: d(issued),
        due: d(due),
        amount: Money::new(amount, Currency::EUR),
        description: String::new(),
        reference: None,
    }
}

fn payment(invoice: InvoiceId, on: &str, amount: Decimal) -> NewPayment {
    NewPayment {
        invoice,
        on: d(on),
        amount,
        kind: PaymentKind::Payment,
        method: Some("transfer".into()),
        note: String::new(),
    }
}

/// One customer with one invoice of 1,000.00 issued 2026-10-01, due 2026-10-31.
fn small_book() -> (Store, CustomerId, InvoiceId) {
    let store = Store::open_in_memory().unwrap();
    let acme = store.add_customer(&NewCustomer::named("Acme")).unwrap();
    let inv = store.add_invoice(&invoice("2026-001", acme, "2026-10-01", "2026-10-31", dec!(1000))).unwrap();
    (store, acme, inv)
}

#[test]
fn migrating_a_used_database_again_changes_nothing() {
    let (mut store, _, inv) = small_book();
    store.add_payment(&payment(inv, "2026-11-02", dec!(250))).unwrap();
    let before = state(&store);
    schema::migrations().to_latest(&mut store.conn).unwrap();
    schema::migrations().to_latest(&mut store.conn).unwrap();
    assert_eq!(state(&store), before);
    let version: i64 = store.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, schema::latest_version());
    let app: i64 = store.conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
    assert_eq!(app, schema::APPLICATION_ID);
}

#[test]
fn a_duplicate_invoice_number_is_refused_and_changes_nothing() {
    let (store, acme, _) = small_book();
    let other = store.add_customer(&NewCustomer::named("Other")).unwrap();
    let before = state(&store);
    for (number, customer) in [("2026-001", acme), (" 2026-001 ", other)] {
        let err = store
            .add_invoice(&invoice(number, customer, "2026-11-01", "2026-12-01", dec!(5)))
            .expect_err("a second invoice 2026-001 must be refused");
        assert!(matches!(&err, StoreError::Conflict(m) if m.contains("2026-001")), "{err}");
        assert_eq!(state(&store), before);
    }
    let kept = store.invoice_by_number("2026-001").unwrap().unwrap();
    assert_eq!((kept.customer.as_str(), kept.invoice.amount.amount), ("Acme", dec!(1000)));
}

#[test]
fn an_over_payment_is_refused_and_changes_nothing() {
    let (store, _, inv) = small_book();
    store.add_payment(&payment(inv, "2026-11-02", dec!(400))).unwrap();
    let before = state(&store);
    let err = store.add_payment(&payment(inv, "2026-11-03", dec!(600.01))).unwrap_err();
    assert!(matches!(&err, StoreError::Field(f) if f.why.contains("over-payment")), "{err}");
    assert_eq!(state(&store), before, "no payment row, no event, same open amount");
    assert_eq!(store.invoice(inv).unwrap().invoice.open, dec!(600));
    assert_eq!(store.timeline(inv).unwrap().len(), 1);

    // Exactly the rest settles it; after that even a cent is too much.
    store.add_payment(&payment(inv, "2026-11-04", dec!(600))).unwrap();
    let paid = store.invoice(inv).unwrap().invoice;
    assert_eq!(paid.open, Decimal::ZERO);
    let before = state(&store);
    assert!(store.add_payment(&payment(inv, "2026-11-05", dec!(0.01))).is_err());
    assert_eq!(state(&store), before);
    assert!(store.open_invoices().unwrap().is_empty());
}

#[test]
fn a_payment_dated_before_the_invoice_or_not_positive_is_refused() {
    let (store, _, inv) = small_book();
    let before = state(&store);
    let err = store.add_payment(&payment(inv, "2026-09-30", dec!(10))).unwrap_err();
    assert!(matches!(&err, StoreError::Field(f) if f.why.contains("before the invoice was issued")), "{err}");
    for amount in [dec!(0), dec!(-5), dec!(1.005)] {
        let err = store.add_payment(&payment(inv, "2026-10-05", amount)).unwrap_err();
        assert!(matches!(err, StoreError::Field(_) | StoreError::Invalid(_)), "{amount}: {err}");
    }
    let err = store.add_payment(&payment(InvoiceId(999), "2026-10-05", dec!(1))).unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert_eq!(state(&store), before);
    // The issue day itself is fine.
    store.add_payment(&payment(inv, "2026-10-01", dec!(10))).unwrap();
}

#[test]
fn the_book_writer_refuses_what_the_app_refuses() {
    let (mut store, acme, _) = small_book();
    let before = state(&store);
    let bulk = |number: &str, payments| BulkInvoice {
        number: number.into(),
        customer: acme,
        issued: d("2026-10-01"),
        due: d("2026-10-31"),
        amount_cents: 10_000,
        currency: Currency::EUR,
        description: String::new(),
        reference: None,
        payments,
        steps: Vec::new(),
        notes: Vec::new(),
        disputed_since: None,
        after_payment: Vec::new(),
    };
    let w = store.book_writer().unwrap();
    let early = w.add_invoice(&bulk("2026-101", vec![(d("2026-09-30"), 10_000, PaymentKind::Payment)]));
    assert!(matches!(&early, Err(StoreError::Field(f)) if f.why.contains("before the invoice was issued")));
    let over = w.add_invoice(&bulk(
        "2026-102",
        vec![(d("2026-10-02"), 6_000, PaymentKind::Payment), (d("2026-10-03"), 4_001, PaymentKind::Credit)],
    ));
    assert!(matches!(&over, Err(StoreError::Field(f)) if f.why.contains("over-payment")), "{over:?}");
    drop(w);
    assert_eq!(state(&store), before, "an error rolls the whole book back");
}

#[test]
fn the_mismatch_check_sees_a_wrong_kept_amount() {
    let (store, _, inv) = small_book();
    store.add_payment(&payment(inv, "2026-11-02", dec!(400))).unwrap();
    assert!(store.open_amount_mismatches().unwrap().is_empty());
    store.conn.execute("UPDATE invoices SET open_cents = 70000 WHERE id = ?1", [inv.0]).unwrap();
    assert_eq!(store.open_amount_mismatches().unwrap(), [("2026-001".to_string(), 70_000, 60_000)]);
}

// ---- property: kept amounts and both aging paths agree with the plain rule ----

/// A payment, credit or write-off: days after the issue date (clamped to today), the share of
/// what is still open (100 = all of it), and its kind.
type Reduction = (i64, i64, PaymentKind);

#[derive(Debug, Clone)]
struct Inv {
    customer: usize,
    issued_ago: i64,
    terms: i64,
    amount_cents: i64,
    usd: bool,
    reductions: Vec<Reduction>,
}

fn kind() -> impl Strategy<Value = PaymentKind> {
    prop_oneof![6 => Just(PaymentKind::Payment), 1 => Just(PaymentKind::Credit), 1 => Just(PaymentKind::WriteOff)]
}

fn inv() -> impl Strategy<Value = Inv> {
    (
        0usize..4,
        0i64..400,
        0i64..90,
        1i64..500_000,
        prop::bool::weighted(0.15),
        prop::collection::vec((0i64..300, prop_oneof![1i64..100, Just(100i64)], kind()), 0..4),
    )
        .prop_map(|(customer, issued_ago, terms, amount_cents, usd, reductions)| Inv {
            customer,
            issued_ago,
            terms,
            amount_cents,
            usd,
            reductions,
        })
}

/// The book written to the store, and what the test knows about each invoice on its own.
struct Written {
    store: Store,
    /// EUR invoices only: the facts the plain rule ages.
    eur: Vec<InvoiceFacts>,
    /// Every invoice: number and open cents after all its reductions.
    open: Vec<(String, i64)>,
    /// The directory of a book in a file, removed when the test is done.
    _dir: Option<tempfile::TempDir>,
}

/// The book of `invoices`, written one by one or in `bulk`, in memory or in a file.
fn write_book(invoices: &[Inv], bulk: bool, in_file: bool) -> Written {
    let today = d(TODAY);
    let dir = in_file.then(|| tempfile::tempdir().unwrap());
    let mut store = match &dir {
        Some(dir) => Store::open(&dir.path().join("book.db")).unwrap(),
        None => Store::open_in_memory().unwrap(),
    };
    let customers: Vec<CustomerId> =
        (0..4).map(|i| store.add_customer(&NewCustomer::named(format!("Customer {i}"))).unwrap()).collect();
    let mut eur = Vec::new();
    let mut open = Vec::new();
    let mut planned = Vec::new();
    for (n, spec) in invoices.iter().enumerate() {
        let issued = add_days(today, -spec.issued_ago);
        let mut left = spec.amount_cents;
        let mut reductions = Vec::new();
        for (after, share, kind) in &spec.reductions {
            let cents = if *share == 100 { left } else { (left * share / 100).max(1).min(left) };
            if cents == 0 {
                continue;
            }
            left -= cents;
            reductions.push((add_days(issued, *after).min(today), cents, *kind));
        }
        let number = format!("2026-{n:04}");
        let currency = if spec.usd { "USD".parse().unwrap() } else { Currency::EUR };
        planned.push((number.clone(), customers[spec.customer], issued, spec, currency, reductions.clone()));
        open.push((number, left));
        if !spec.usd {
            eur.push(InvoiceFacts {
                customer_id: customers[spec.customer],
                issued,
                due: add_days(issued, spec.terms),
                amount_cents: spec.amount_cents,
                reductions: reductions.iter().map(|(on, c, _)| (*on, *c)).collect(),
            });
        }
    }
    if bulk {
        let w = store.book_writer().unwrap();
        for (number, customer, issued, spec, currency, reductions) in &planned {
            w.add_invoice(&BulkInvoice {
                number: number.clone(),
                customer: *customer,
                issued: *issued,
                due: add_days(*issued, spec.terms),
                amount_cents: spec.amount_cents,
                currency: *currency,
                description: String::new(),
                reference: None,
                payments: reductions.clone(),
                steps: Vec::new(),
                notes: Vec::new(),
                disputed_since: None,
                after_payment: Vec::new(),
            })
            .unwrap();
        }
        w.commit().unwrap();
    } else {
        for (number, customer, issued, spec, currency, reductions) in &planned {
            let id = store
                .add_invoice(&NewInvoice {
                    number: number.clone(),
                    customer_id: *customer,
                    issued: *issued,
                    due: add_days(*issued, spec.terms),
                    amount: Money::from_cents(spec.amount_cents, *currency),
                    description: String::new(),
                    reference: None,
                })
                .unwrap();
            for (on, cents, kind) in reductions {
                let p = NewPayment {
                    invoice: id,
                    on: *on,
                    amount: from_cents(*cents),
                    kind: *kind,
                    method: None,
                    note: String::new(),
                };
                store.add_payment(&p).unwrap();
            }
        }
    }
    Written { store, eur, open, _dir: dir }
}

fn by_customer(r: &AgingReport) -> BTreeMap<CustomerId, [i64; 5]> {
    r.rows.iter().map(|row| (row.customer_id, *row.buckets.cents())).collect()
}

fn plain(facts: &[InvoiceFacts], as_of: NaiveDate) -> BTreeMap<CustomerId, [i64; 5]> {
    age(facts, as_of).unwrap().into_iter().map(|(c, b)| (c, *b.cents())).collect()
}

/// Open cents as of a day, written out here rather than taken from the domain.
fn open_on(facts: &[InvoiceFacts], as_of: NaiveDate) -> i64 {
    facts
        .iter()
        .filter(|f| f.issued <= as_of)
        .map(|f| {
            f.amount_cents - f.reductions.iter().filter(|(on, _)| *on <= as_of).map(|(_, c)| c).sum::<i64>()
        })
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn kept_open_amounts_and_both_aging_paths_follow_the_plain_rule(
        invoices in prop::collection::vec(inv(), 0..30),
        bulk in any::<bool>(),
        in_file in any::<bool>(),
        past in prop::collection::vec(1i64..450, 1..4),
        ahead in 1i64..120,
    ) {
        let today = d(TODAY);
        let Written { store, eur, open, _dir } = write_book(&invoices, bulk, in_file);

        prop_assert!(store.open_amount_mismatches().unwrap().is_empty());
        for (number, left) in &open {
            let row = store.invoice_by_number(number).unwrap().unwrap();
            prop_assert_eq!(row.invoice.open, from_cents(*left), "invoice {}", number);
        }
        let open_count = open.iter().filter(|(_, left)| *left > 0).count();
        prop_assert_eq!(store.open_invoices().unwrap().len(), open_count);

        // Today: nothing is dated later, so `aging` takes the kept path, and all three agree.
        prop_assert!(store.kept_amounts_hold_on(today).unwrap());
        let fast = store.aging(today, Currency::EUR).unwrap();
        let kept = store.aging_kept(today, Currency::EUR).unwrap();
        let recomputed = store.aging_recomputed(today, Currency::EUR).unwrap();
        prop_assert_eq!(&fast, &kept);
        prop_assert_eq!(&kept, &recomputed);
        prop_assert_eq!(by_customer(&fast), plain(&eur, today));
        prop_assert_eq!(fast.totals.total_cents(), open_on(&eur, today));
        // A day ahead ages the same open amounts further: kept path, same as the plain rule.
        let ahead = add_days(today, ahead);
        prop_assert_eq!(&store.aging(ahead, Currency::EUR).unwrap(), &store.aging_recomputed(ahead, Currency::EUR).unwrap());
        prop_assert_eq!(by_customer(&store.aging(ahead, Currency::EUR).unwrap()), plain(&eur, ahead));

        for back in past {
            let as_of = add_days(today, -back);
            let recomputed = store.aging_recomputed(as_of, Currency::EUR).unwrap();
            prop_assert_eq!(by_customer(&recomputed), plain(&eur, as_of), "as of {}", as_of);
            prop_assert_eq!(recomputed.totals.total_cents(), open_on(&eur, as_of), "as of {}", as_of);
            // Fully paid (as of that day) means in no bucket: every row has something open.
            prop_assert!(recomputed.rows.iter().all(|r| r.buckets.total_cents() > 0));
            prop_assert_eq!(&store.aging(as_of, Currency::EUR).unwrap(), &recomputed);
            // The report of every currency, rewound at once, gives the same (EUR is the book's).
            let all = store.aging_by_currency(as_of).unwrap();
            prop_assert_eq!(all.first(), Some(&recomputed), "as of {}", as_of);
            // Read by two threads (a book in a file), every currency is as read by one.
            prop_assert_eq!(store.rewound_with(as_of, None, 0).unwrap(), store.rewound_with(as_of, None, i64::MAX).unwrap());
        }
    }
}

/// In WAL mode SQLite sometimes answers "busy" without calling the busy handler; with the
/// handler off, that is what every busy answer looks like. A write must still wait its turn.
#[test]
fn a_write_waits_for_its_turn_even_when_sqlite_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let store = Store::open(&db).unwrap();
    let mine = store.add_customer(&NewCustomer::named("Mine")).unwrap();
    store.conn().busy_timeout(std::time::Duration::ZERO).unwrap();
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO customers (name) VALUES ('Other');").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        other.execute_batch("COMMIT").unwrap();
    });
    let start = std::time::Instant::now();
    store.add_note(mine, None, d("2026-11-23"), "waited").unwrap();
    assert!(start.elapsed() >= std::time::Duration::from_millis(300), "{:?}", start.elapsed());
    holder.join().unwrap();
    assert_eq!(store.customers().unwrap().len(), 2);
}

#[test]
fn today_s_aging_lists_the_currencies_open_today_and_a_past_one_those_open_then() {
    let (store, acme, _) = small_book();
    let gbp = |n: &str, amount| NewInvoice {
        amount: Money::new(amount, "GBP".parse().unwrap()),
        ..invoice(n, acme, "2026-09-01", "2026-10-01", amount)
    };
    let usd = NewInvoice {
        amount: Money::new(dec!(70), "USD".parse().unwrap()),
        ..invoice("US-1", acme, "2026-09-01", "2026-10-01", dec!(70))
    };
    store.add_invoice(&gbp("GB-1", dec!(300))).unwrap();
    let paid = store.add_invoice(&usd).unwrap();
    // The USD invoice was paid on 1 November: open before, not today.
    store.add_payment(&payment(paid, "2026-11-01", dec!(70))).unwrap();
    let codes = |as_of: &str| -> Vec<String> {
        store.aging_by_currency(d(as_of)).unwrap().iter().map(|r| r.currency.to_string()).collect()
    };
    assert_eq!(store.open_currencies().unwrap().len(), 2, "EUR and GBP are open");
    assert_eq!(codes(TODAY), ["EUR", "GBP"]);
    assert_eq!(codes("2026-10-15"), ["EUR", "GBP", "USD"]);
}

#[test]
fn a_bulk_write_leaves_the_log_for_a_rollback_journal_unless_another_connection_is_on_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut store = Store::open(&path).unwrap();
    let settings = |s: &Store| -> (String, i64) {
        let get = |name| {
            s.conn().pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0)).unwrap()
        };
        match (get("journal_mode"), get("synchronous")) {
            (rusqlite::types::Value::Text(mode), rusqlite::types::Value::Integer(sync)) => (mode, sync),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(settings(&store), ("wal".to_string(), 1));
    // Synced in full (2) while the journal holds the book's pages; the log and NORMAL after.
    let during = store.write_in_bulk(|s| Ok(settings(s))).unwrap();
    assert_eq!(during, ("delete".to_string(), 2));
    assert_eq!(settings(&store), ("wal".to_string(), 1));
    // A failed write too.
    let failed: Result<()> = store.write_in_bulk(|_| Err(StoreError::Invalid("no".into())));
    assert!(failed.is_err());
    assert_eq!(settings(&store), ("wal".to_string(), 1));
    // Another connection that came during the write and still reads after it: the write
    // stands, and the next open puts the book back in the log.
    let mut late = None;
    let written = store.write_in_bulk(|_| {
        let reader = rusqlite::Connection::open(&path)?;
        reader.execute_batch("BEGIN")?;
        reader.query_row("SELECT count(*) FROM invoices", [], |r| r.get::<_, i64>(0))?;
        late = Some(reader);
        Ok("written")
    });
    assert_eq!(written.unwrap(), "written");
    assert_eq!(settings(&store), ("delete".to_string(), 1), "still held by the late reader");
    drop(late);
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(settings(&store), ("wal".to_string(), 1));
    // Another connection reading the book keeps it in the log.
    let reader = Store::open_read_only(&path).unwrap();
    reader.conn().query_row("SELECT count(*) FROM invoices", [], |r| r.get::<_, i64>(0)).unwrap();
    let during = store.write_in_bulk(|s| Ok(settings(s))).unwrap();
    assert_eq!(during, ("wal".to_string(), 1));
}

#[test]
fn a_book_held_by_another_settles_long_write_is_said_busy_not_foreign() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    drop(Store::open(&path).unwrap());
    // What a long import holds once it writes with a rollback journal: the whole file.
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer.execute_batch("PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE;").unwrap();
    let started = std::time::Instant::now();
    let e = Store::open(&path).err().expect("busy");
    assert!(matches!(e, StoreError::Busy { .. }), "{e}");
    assert!(e.to_string().contains("try again when it is done"), "{e}");
    assert!(started.elapsed() >= BUSY_TIMEOUT, "it waited for the writer as any statement does");
    writer.execute_batch("COMMIT").unwrap();
    drop(writer);
    Store::open(&path).unwrap();
}

/// A reading on several connections stands only if no other connection committed while it
/// read; else the book is read again. The commit here is another program's, made between the
/// two connections' reads.
#[test]
fn a_reading_on_two_connections_is_read_again_if_another_program_wrote_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let store = Store::open(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    let count = |s: &Store| -> Result<i64> {
        Ok(s.conn().query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
    };
    // Nothing written meanwhile: what the two read stands.
    let read = store.one_state_or_again(|| Ok(("two", count(&store)?)), || Ok(("again", -1))).unwrap();
    assert_eq!(read, ("two", 0));
    // Another program adds a customer between the first connection's read and the second's.
    let read = store
        .one_state_or_again(
            || {
                let first = count(&store)?;
                other.execute("INSERT INTO customers (name) VALUES ('Atelier Dupont')", [])?;
                let second = count(&Store::open_read_only(&path)?)?;
                assert_ne!(first, second, "the two read different states");
                Ok(("two", first))
            },
            || Ok(("again", count(&store)?)),
        )
        .unwrap();
    assert_eq!(read, ("again", 1));
}
