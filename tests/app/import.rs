//! Importing a bank statement from the app (`i`): the path with Tab completion, the dry run
//! with the lines that matched nothing and their candidates, one key per choice, and one
//! write on confirmation; the same statement again, or the same day in another format,
//! records nothing twice.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use settle::app::import::ImportView;
use settle::app::keys::Context;
use settle::app::{App, Overlay};
use settle::domain::customer::NewCustomer;
use settle::domain::invoice::{InvoiceId, NewInvoice};
use settle::domain::money::{Currency, Money};
use settle::import::Choice;
use settle::store::Store;

use crate::support::*;

fn bank(name: &str) -> String {
    format!("{}/tests/fixtures/bank/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The invoices the sample statements pay, and the app on them.
fn book() -> (App, Store) {
    let store = Store::open_in_memory().unwrap();
    let invoices = [
        ("INV-0002", "Harbour Lights Ltd", "750.00", Some("+++000/0000/00202+++")),
        ("INV-0003", "Maple & Finch", "2200.00", None),
        ("F2026-031", "Atelier Dubois", "1980.00", None),
    ];
    for (number, customer, amount, reference) in invoices {
        let id = match store.add_customer(&NewCustomer::named(customer)) {
            Ok(id) => id,
            Err(_) => store.customer_by_name(customer).unwrap().unwrap().id,
        };
        store
            .add_invoice(&NewInvoice {
                number: number.into(),
                customer_id: id,
                issued: d("2026-10-01"),
                due: d("2026-10-31"),
                amount: Money::new(amount.parse::<Decimal>().unwrap(), Currency::EUR),
                description: String::new(),
                reference: reference.map(|r| r.parse().unwrap()),
            })
            .unwrap();
    }
    let app = App::start(&store, today()).unwrap();
    (app, store)
}

fn review(app: &App) -> &settle::app::import::Review {
    match &app.overlay {
        Some(Overlay::Import(v)) => match &**v {
            ImportView::Review(r) => r,
            ImportView::Path(p) => panic!("still on the path: {:?}", p.error),
        },
        other => panic!("no import on screen: {other:?}, status {:?}", app.status),
    }
}

fn open(app: &mut App, store: &mut Store, path: &str) {
    typ(app, store, "i");
    assert_eq!(app.context(), Context::ImportPath);
    typ(app, store, path);
    enter(app, store);
}

fn paid(store: &Store, id: i64) -> usize {
    store.payments(InvoiceId(id)).unwrap().len()
}

#[test]
fn a_statement_is_reviewed_then_written_with_the_choices() {
    let (mut app, mut store) = book();
    open(&mut app, &mut store, &bank("camt053-2026-11-20.xml"));
    let r = review(&app);
    assert_eq!(app.context(), Context::ImportReview);
    assert_eq!(r.to_record(), 2);
    assert_eq!(r.outcome.unmatched.len(), 2);
    assert_eq!(r.outcome.unmatched[0].candidates[0].number, "INV-0003");
    // Nothing is written by the dry run.
    assert_eq!(paid(&store, 1), 0);
    let s = screen(&app, 100, 30);
    assert!(s.contains("Import camt053-2026-11-20.xml: dry run"), "{s}");
    assert!(s.contains("✓ €750.00 on INV-0002 (Harbour Lights Ltd)"), "{s}");
    assert!(s.contains("bad check digits (they would be 02)"), "{s}");
    assert!(s.contains("1  INV-0003 Maple & Finch (2,200.00 open): same customer name and amount"), "{s}");
    insta::assert_snapshot!("import_review_100x30", render(&app, 100, 30).backend());
    // 1 assigns the mistyped line to its first candidate; x sets the gift aside.
    typ(&mut app, &mut store, "1");
    typ(&mut app, &mut store, "x");
    let r = review(&app);
    assert_eq!(r.choices, [Some(Choice::Assign("INV-0003".into())), Some(Choice::SetAside)]);
    assert!(screen(&app, 100, 30).contains("→ INV-0003"));
    enter(&mut app, &mut store);
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let status = app.status.clone().unwrap();
    assert_eq!(status.text, "Statement imported: 3 payments recorded, 1 set aside.");
    assert_eq!((paid(&store, 1), paid(&store, 2), paid(&store, 3)), (1, 1, 1));
    // Again, and the same day from CODA: nothing left to record or to choose.
    for file in ["camt053-2026-11-20.xml", "coda-2026-11-20.cod"] {
        open(&mut app, &mut store, &bank(file));
        let r = review(&app);
        assert_eq!((r.to_record(), r.outcome.unmatched.len(), r.outcome.unchanged), (0, 0, 4), "{file}");
        assert!(
            screen(&app, 100, 30).contains("Every incoming line matched an invoice or was dealt with before")
        );
        enter(&mut app, &mut store);
        assert_eq!((paid(&store, 1), paid(&store, 2), paid(&store, 3)), (1, 1, 1), "{file}");
    }
}

#[test]
fn skip_leaves_a_line_for_next_time_and_a_bad_file_says_why() {
    let (mut app, mut store) = book();
    open(&mut app, &mut store, &bank("bad/coda-127.cod"));
    let Some(Overlay::Import(v)) = &app.overlay else { panic!("closed") };
    let ImportView::Path(p) = &**v else { panic!("reviewed a bad file") };
    assert!(
        p.error.as_deref().unwrap_or("").contains("a CODA record is 128 characters long"),
        "{:?}",
        p.error
    );
    assert!(screen_words(&app, 100, 30).contains("a CODA record is 128 characters long"));
    esc(&mut app, &mut store);
    // However long the checkout's path, the reason is on screen whole (it wraps).
    let dir = tempfile::tempdir().unwrap();
    for pad in 1..=40 {
        let sub = dir.path().join("d".repeat(pad));
        std::fs::create_dir_all(&sub).unwrap();
        let file = sub.join("coda-127.cod");
        std::fs::copy(bank("bad/coda-127.cod"), &file).unwrap();
        open(&mut app, &mut store, file.to_str().unwrap());
        let words = screen_words(&app, 100, 30);
        assert!(words.contains("a CODA record is 128 characters long"), "{pad}: {words}");
        esc(&mut app, &mut store);
    }
    assert!(app.overlay.is_none());
    open(&mut app, &mut store, &bank("coda-2026-11-20.cod"));
    typ(&mut app, &mut store, "s");
    enter(&mut app, &mut store);
    assert_eq!(
        app.status.clone().unwrap().text,
        "Statement imported: 2 payments recorded, 2 left for later."
    );
    open(&mut app, &mut store, &bank("camt053-2026-11-20.xml"));
    assert_eq!(review(&app).outcome.unmatched.len(), 2);
    // A candidate number the line does not have is said, not taken.
    typ(&mut app, &mut store, "3");
    assert_eq!(review(&app).error.as_deref(), Some("This line has no candidate 3."));
}

#[test]
fn tab_completes_the_path() {
    let (mut app, mut store) = book();
    typ(&mut app, &mut store, "i");
    typ(&mut app, &mut store, &bank("cod"));
    press(&mut app, &mut store, code(KeyCode::Tab));
    let Some(Overlay::Import(v)) = &app.overlay else { panic!("closed") };
    let ImportView::Path(p) = &**v else { panic!("not the path") };
    assert_eq!(p.input.lines().join(""), bank("coda-2026-11-20.cod"));
    typ(&mut app, &mut store, "");
    press(&mut app, &mut store, code(KeyCode::Esc));
    typ(&mut app, &mut store, "i");
    typ(&mut app, &mut store, &bank("camt053-"));
    press(&mut app, &mut store, code(KeyCode::Tab));
    let s = screen(&app, 100, 30);
    assert!(s.contains("camt053-november.zip") && s.contains("camt053-v08-2026-11-21.xml"), "{s}");
    // The footer and the help come from the key table.
    assert!(s.contains("complete"), "{s}");
}

#[test]
fn i_is_on_today_and_receivables_only() {
    let (mut app, mut store) = book();
    assert!(screen(&app, 120, 30).contains("i import"));
    typ(&mut app, &mut store, "3");
    typ(&mut app, &mut store, "i");
    assert!(app.overlay.is_none());
    typ(&mut app, &mut store, "2");
    typ(&mut app, &mut store, "i");
    assert_eq!(app.context(), Context::ImportPath);
}
