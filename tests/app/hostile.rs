//! Text a terminal would obey, in the app: a name written by an older settle (before input
//! refused such characters) is drawn with the placeholder, and such characters cannot be
//! typed into a form.

use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use settle::app::{App, Overlay};
use settle::domain::customer::NewCustomer;
use settle::domain::invoice::NewInvoice;
use settle::domain::money::{Currency, Money};
use settle::domain::text::is_unsafe;
use settle::store::Store;

use crate::support::*;

/// A book whose customer's name holds a right-to-left override and a zero-width space,
/// written past the store's checks, as an older settle would have.
fn legacy_book(dir: &std::path::Path) -> Store {
    let db = dir.join("book.db");
    {
        let store = Store::open(&db).unwrap();
        let id = store.add_customer(&NewCustomer::named("Acme")).unwrap();
        store
            .add_invoice(&NewInvoice {
                number: "2026-001".into(),
                customer_id: id,
                issued: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                amount: Money::new(Decimal::ONE_HUNDRED, Currency::EUR),
                description: String::new(),
                reference: None,
            })
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE customers SET name = ?1", ["Acme\u{202e}exe.\u{200b}BV\u{1b}]0;x\u{7}"]).unwrap();
    drop(conn);
    Store::open(&db).unwrap()
}

fn assert_clean(screen: &str) {
    assert!(!screen.chars().any(is_unsafe), "{screen:?}");
}

#[test]
fn a_legacy_name_with_overrides_is_drawn_with_the_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = legacy_book(dir.path());
    let mut app = App::start(&store, today()).unwrap();
    // ratatui drops the controls, and zero-width characters in most places…
    let today_screen = screen(&app, 120, 40);
    assert_clean(&today_screen);
    assert!(today_screen.contains("Remind Acmeexe.BV]0;x"), "{today_screen}");
    enter(&mut app, &mut store);
    assert_clean(&screen(&app, 120, 40));
    // …but keeps them in a panel's title (the customer's name heads its panel): there the
    // cell holding one shows the placeholder.
    typ(&mut app, &mut store, "3");
    enter(&mut app, &mut store);
    let customer = screen(&app, 120, 40);
    assert_clean(&customer);
    assert!(customer.contains("╭ Acm\u{fffd}exe\u{fffd}BV]0;x ─"), "{customer}");
}

#[test]
fn a_bidirectional_override_cannot_be_typed_into_a_form() {
    let (mut app, mut store) = demo();
    // `a` adds, `c` a customer.
    typ(&mut app, &mut store, "ac");
    assert!(matches!(app.overlay, Some(Overlay::Form(_))), "{:?}", app.overlay);
    typ(&mut app, &mut store, "Evil\u{202e}\u{200b}BV");
    press(&mut app, &mut store, code(KeyCode::Char('\u{1b}')));
    let Some(Overlay::Form(form)) = &app.overlay else { panic!("no form") };
    assert_eq!(form.fields[0].text(), "EvilBV");
}
