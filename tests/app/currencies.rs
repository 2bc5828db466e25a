//! A book with EUR and GBP invoices (and a customer named with wide characters): each
//! currency has its own totals in the header, Receivables switches currency with `$` and says
//! the other exists, Customers shows each currency's amounts.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use settle::app::App;
use settle::domain::customer::NewCustomer;
use settle::domain::invoice::NewInvoice;
use settle::domain::money::{Currency, Money};
use settle::store::Store;

use crate::support::*;

pub const WIDE: &str = "Café Müller 漢字 🍺 BV";

/// Three customers: a wide name and a plain one owing euros, a British one owing pounds.
pub fn two_currencies() -> (App, Store) {
    let store = Store::open_in_memory().unwrap();
    let wide = store.add_customer(&NewCustomer::named(WIDE)).unwrap();
    let plain = store.add_customer(&NewCustomer::named("Plain Name BV")).unwrap();
    let brit = store.add_customer(&NewCustomer::named("Thames Printing Ltd")).unwrap();
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    for (n, customer, cents, currency, due) in [
        ("2026-001", wide, 123456, Currency::EUR, day(10, 1)),
        ("2026-002", plain, 50000, Currency::EUR, day(12, 1)),
        ("2026-003", brit, 98765, "GBP".parse::<Currency>().unwrap(), day(9, 1)),
        ("2026-004", brit, 20000, "GBP".parse::<Currency>().unwrap(), day(12, 10)),
    ] {
        store
            .add_invoice(&NewInvoice {
                number: n.into(),
                customer_id: customer,
                issued: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
                due,
                amount: Money::new(Decimal::new(cents, 2), currency),
                description: String::new(),
                reference: None,
            })
            .unwrap();
    }
    let app = App::start(&store, today()).unwrap();
    (app, store)
}

fn snap(name: &str, app: &App) {
    for (w, h) in [(120, 40), (80, 24)] {
        let terminal = render(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn the_header_has_a_line_per_currency() {
    let (app, _store) = two_currencies();
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[0].contains("EUR") && lines[0].contains("€1,734.56"), "{w}×{h}:\n{s}");
        assert!(lines[1].contains("GBP") && lines[1].contains("£1,187.65"), "{w}×{h}:\n{s}");
        assert!(lines[0].contains("2026  "), "the day and the figures never run together: {:?}", lines[0]);
    }
}

#[test]
fn receivables_switch_currency_and_say_the_other_exists() {
    let (mut app, mut store) = two_currencies();
    typ(&mut app, &mut store, "2");
    snap("currencies_receivables", &app);
    let s = screen(&app, 120, 40);
    assert!(s.contains("(EUR · also GBP: $ switches)"), "{s}");
    assert!(!s.contains("Thames"), "{s}");
    typ(&mut app, &mut store, "$");
    snap("currencies_receivables_gbp", &app);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Thames Printing Ltd") && s.contains("1,187.65"), "{s}");
    assert!(s.contains("(GBP · also EUR: $ switches)"), "{s}");
    // Enter opens the pound customer.
    enter(&mut app, &mut store);
    assert_eq!(app.customer_detail().map(|d| d.customer.name.as_str()), Some("Thames Printing Ltd"));
}

#[test]
fn customers_show_each_currencys_amounts() {
    let (mut app, mut store) = two_currencies();
    typ(&mut app, &mut store, "3");
    snap("currencies_customers", &app);
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        let thames = s.lines().find(|l| l.contains("Thames")).unwrap();
        assert!(thames.contains("1,187.65") && thames.contains("987.65"), "{w}×{h}: {thames}");
        let wide = s.lines().find(|l| l.contains("Caf")).unwrap();
        assert_eq!(wide.matches("1,234.56").count(), 2, "{w}×{h}: {wide}");
    }
}

#[test]
fn today_on_two_currencies() {
    let (app, _store) = two_currencies();
    snap("currencies_today", &app);
}

#[test]
fn one_currency_says_so() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "2$");
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("Only EUR")), "{:?}", app.status);
}
