//! Wide characters (CJK, emoji) take two columns: names are cut and padded by display width,
//! so the amounts after them stay whole and in their columns at any size.

use rust_decimal::Decimal;
use settle::app::App;
use settle::domain::customer::NewCustomer;
use settle::domain::invoice::NewInvoice;
use settle::domain::money::{Currency, Money};
use settle::store::Store;

use crate::support::*;

const NAME: &str = "Café Müller 漢字 🍺 BV";

fn wide_book() -> (App, Store) {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.add_customer(&NewCustomer::named(NAME)).unwrap();
    let other = store.add_customer(&NewCustomer::named("Plain Name BV")).unwrap();
    for (n, customer) in [("2026-001", id), ("2026-002", other)] {
        store
            .add_invoice(&NewInvoice {
                number: n.into(),
                customer_id: customer,
                issued: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                amount: Money::new(Decimal::new(123456, 2), Currency::EUR),
                description: String::new(),
                reference: None,
            })
            .unwrap();
    }
    let app = App::start(&store, today()).unwrap();
    let _ = &mut store;
    (app, store)
}

/// The screen's rows that name the customer, each no wider than the screen (the screen is
/// read cell by cell: a wide character's second cell reads as a space).
fn rows_naming(screen: &str, width: u16, what: &str) -> Vec<String> {
    for line in screen.lines() {
        assert!(line.chars().count() <= usize::from(width), "a row wider than the screen: {line:?}");
    }
    screen.lines().filter(|l| l.contains(what)).map(String::from).collect()
}

#[test]
fn amounts_stay_whole_beside_a_wide_name() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, mut store) = wide_book();
        typ(&mut app, &mut store, "2");
        let receivables = screen(&app, w, h);
        let rows = rows_naming(&receivables, w, "Caf");
        assert!(!rows.is_empty(), "{receivables}");
        assert!(rows.iter().all(|r| r.contains("1,234.56")), "Receivables {w}×{h}: {rows:?}");
        // The wide name's row and the plain one put the total in the same column.
        let plain = rows_naming(&receivables, w, "Plain Name");
        let col = |r: &str| r[..r.rfind("1,234.56").unwrap()].chars().count();
        assert_eq!(col(&rows[0]), col(&plain[0]), "{receivables}");

        typ(&mut app, &mut store, "3");
        let customers = screen(&app, w, h);
        let rows = rows_naming(&customers, w, "Caf");
        assert!(rows.iter().any(|r| r.matches("1,234.56").count() == 2), "Customers {w}×{h}: {rows:?}");
    }
}
