//! The app's figures are the report's figures.

use chrono::NaiveDate;
use settle::app::App;

use crate::support::*;

fn same_as_report(app: &App, store: &settle::store::Store, as_of: NaiveDate) {
    let report = store.aging(as_of, store.book_currency().unwrap()).unwrap();
    let app_rows: Vec<(String, [i64; 5])> = app.book.ledgers[0]
        .aging
        .iter()
        .map(|l| (l.name.clone(), l.cents[..5].try_into().unwrap()))
        .collect();
    let report_rows: Vec<(String, [i64; 5])> =
        report.rows.iter().map(|r| (r.customer.clone(), *r.buckets.cents())).collect();
    assert_eq!(app_rows, report_rows);
    assert_eq!(app.book.ledgers[0].totals.cents[5], report.totals.total_cents());
    assert!(!app_rows.is_empty());
}

#[test]
fn receivables_show_the_same_figures_as_settle_report_aging() {
    let (app, store) = demo();
    same_as_report(&app, &store, today());
    // As of a day before later payments: the kept amounts do not hold, both recompute.
    let back = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    assert!(!store.kept_amounts_hold_on(back).unwrap());
    let app = App::start(&store, back).unwrap();
    same_as_report(&app, &store, back);
}

#[test]
fn customers_are_listed_as_a_reader_expects() {
    let store = settle::store::Store::open_in_memory().unwrap();
    for name in ["Brouwerij Janssens", "Bäckerei Müller", "bakkerij Peeters", "Écoles Dubois"] {
        store.add_customer(&settle::domain::customer::NewCustomer::named(name)).unwrap();
    }
    let app = App::start(&store, today()).unwrap();
    let names: Vec<&str> = app.book.customers.iter().map(|c| c.customer.name.as_str()).collect();
    assert_eq!(names, ["Bäckerei Müller", "bakkerij Peeters", "Brouwerij Janssens", "Écoles Dubois"]);
}

#[test]
fn the_invoice_form_completes_a_customer_name() {
    use ratatui::crossterm::event::KeyCode;
    let (_, mut store) = empty();
    for name in ["Drukkerij Maes BV", "Bäckerei Müller", "Bakkerij Peeters"] {
        store.add_customer(&settle::domain::customer::NewCustomer::named(name)).unwrap();
    }
    let mut app = App::start(&store, today()).unwrap();
    typ(&mut app, &mut store, "ai");
    let field = |app: &App| match &app.overlay {
        Some(settle::app::Overlay::Form(f)) => f.fields[0].clone(),
        other => panic!("no form: {other:?}"),
    };
    // Two names start with "ba": the field says so.
    typ(&mut app, &mut store, "ba");
    assert!(field(&app).error.is_some_and(|e| e.contains("2 customers match")), "{:?}", field(&app).error);
    // Accents aside, "back" is one of them: it shows, and leaving the field writes it in full.
    typ(&mut app, &mut store, "ck");
    assert!(field(&app).note.is_some_and(|n| n.contains("→ Bäckerei Müller")), "{:?}", field(&app).note);
    press(&mut app, &mut store, code(KeyCode::Tab));
    assert_eq!(field(&app).text(), "Bäckerei Müller");
    // A part of the name, not its start, when only one holds it.
    press(&mut app, &mut store, code(KeyCode::BackTab));
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "maes");
    press(&mut app, &mut store, code(KeyCode::Enter));
    assert_eq!(field(&app).text(), "Drukkerij Maes BV");
}
