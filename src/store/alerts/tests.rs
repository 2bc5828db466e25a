use rust_decimal::dec;

use super::*;
use crate::config::Config;
use crate::domain::alerts::AlertKind;
use crate::domain::customer::NewCustomer;
use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use crate::domain::money::Currency;
use crate::domain::policy::Step;
use crate::service::alerts::{alerts, untold};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn book(invoices: &[(&str, &str)]) -> Store {
    let store = Store::open_in_memory().unwrap();
    let customer = store.add_customer(&NewCustomer::named("Acme BV")).unwrap();
    for (number, due) in invoices {
        add(&store, customer, number, due);
    }
    store
}

fn add(store: &Store, customer: crate::domain::customer::CustomerId, number: &str, due: &str) -> InvoiceId {
    store
        .add_invoice(&NewInvoice {
            number: (*number).into(),
            customer_id: customer,
            issued: d("2026-10-01"),
            due: d(due),
            amount: Money::new(dec!(1250), Currency::EUR),
            description: String::new(),
            reference: None,
        })
        .unwrap()
}

/// What `settle check` does with the store: the new alerts, told and recorded at once.
fn check(store: &Store, today: &str) -> Vec<(AlertKind, String)> {
    let log = store.alert_log().unwrap();
    let fresh = untold(store, &log, &Config::default(), d(today)).unwrap();
    log.record((0..fresh.len()).map(|i| fresh.draft(i).unwrap().key()), Told::Printed).unwrap();
    log.commit().unwrap();
    (0..fresh.len()).map(|i| fresh.alert(i).unwrap()).map(|a| (a.kind, a.number)).collect()
}

#[test]
fn running_twice_tells_once() {
    let store = book(&[("2026-041", "2026-11-22")]);
    assert_eq!(check(&store, "2026-11-23"), vec![(AlertKind::Overdue, "2026-041".to_string())]);
    assert_eq!(check(&store, "2026-11-23"), vec![]);
    assert_eq!(store.told_count().unwrap(), 1);
}

#[test]
fn a_new_day_brings_only_the_new_events() {
    let store = book(&[("2026-041", "2026-11-26")]);
    let one = |kind| vec![(kind, "2026-041".to_string())];
    assert_eq!(check(&store, "2026-11-23"), one(AlertKind::DueSoon));
    assert_eq!(check(&store, "2026-11-24"), vec![], "still due soon, already told");
    assert_eq!(check(&store, "2026-11-27"), one(AlertKind::Overdue));
    assert_eq!(check(&store, "2026-11-28"), vec![]);
    // Standard profile: the reminder falls due three days after the due date.
    assert_eq!(check(&store, "2026-11-29"), one(AlertKind::StepDue(Step::Reminder)));
    // A check skipped for days catches up once, not once per missed day, with the most
    // advanced step that fell due meanwhile (the call at +10, past the reminder at +3).
    let customer = store.customer_by_name("Acme BV").unwrap().unwrap().id;
    add(&store, customer, "2026-050", "2026-11-20");
    assert_eq!(
        check(&store, "2026-12-01"),
        vec![
            (AlertKind::Overdue, "2026-050".to_string()),
            (AlertKind::StepDue(Step::Call), "2026-050".to_string())
        ]
    );
    assert_eq!(check(&store, "2026-12-02"), vec![]);
}

#[test]
fn a_paid_invoice_produces_nothing() {
    let store = book(&[("2026-041", "2026-11-22")]);
    let id = store.invoice_by_number("2026-041").unwrap().unwrap().invoice.id;
    store
        .add_payment(&NewPayment {
            invoice: id,
            on: d("2026-11-20"),
            amount: dec!(1250),
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        })
        .unwrap();
    assert_eq!(check(&store, "2026-11-23"), vec![]);
    assert_eq!(store.told_count().unwrap(), 0);
}

#[test]
fn an_alert_not_committed_is_told_again() {
    let store = book(&[("2026-041", "2026-11-22")]);
    {
        let log = store.alert_log().unwrap();
        let fresh = untold(&store, &log, &Config::default(), d("2026-11-23")).unwrap();
        assert_eq!((fresh.len(), fresh.already), (1, 0));
        log.record(fresh.draft(0).map(|a| a.key()), Told::Desktop).unwrap();
        // Dropped here without commit: as if the process died before committing.
    }
    assert_eq!(store.told_count().unwrap(), 0);
    assert_eq!(check(&store, "2026-11-23").len(), 1);
}

#[test]
fn alerts_skip_paid_and_future_invoices() {
    let store = book(&[("2026-041", "2026-11-22"), ("2026-042", "2026-11-25")]);
    let at = |day: &str| alerts(&store, &Config::default(), d(day)).unwrap();
    let now = at("2026-11-23");
    assert_eq!(
        now.iter().map(|a| (a.kind, a.number.as_str())).collect::<Vec<_>>(),
        [(AlertKind::Overdue, "2026-041"), (AlertKind::DueSoon, "2026-042")]
    );
    assert_eq!(now[0].body, "Acme BV — invoice 2026-041, €1,250.00, 1 day overdue");
    assert!(at("2026-09-30").is_empty(), "not issued yet");
}

#[test]
fn a_database_of_the_previous_schema_gains_the_notified_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        super::super::schema::migrations().to_version(&mut conn, 1).unwrap();
        conn.execute("INSERT INTO customers (name) VALUES ('Acme BV')", []).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.told_count().unwrap(), 0);
    assert!(store.customer_by_name("Acme BV").unwrap().is_some());
}

#[test]
fn each_alert_is_recorded_as_it_was_told_once_put_back_in_the_pass_order() {
    // Told most urgent first (the overdue 2026-043 before the one due soon, 2026-041), found
    // by invoice: putting them back in the pass's order keeps each one's way of telling.
    let store = book(&[("2026-041", "2026-11-25"), ("2026-042", "2026-11-10"), ("2026-043", "2026-11-22")]);
    let log = store.alert_log().unwrap();
    let mut fresh = untold(&store, &log, &Config::default(), d("2026-11-23")).unwrap();
    let told: Vec<_> = (0..fresh.len()).map(|i| fresh.alert(i).unwrap()).collect();
    assert!(told.len() >= 3, "{told:?}");
    assert_ne!(
        told.iter().map(|a| a.invoice).collect::<Vec<_>>(),
        {
            let mut ids: Vec<_> = told.iter().map(|a| a.invoice).collect();
            ids.sort();
            ids
        },
        "the order of telling is not the order of the invoices"
    );
    // Every other alert on the desktop, one not told at all.
    let how: Vec<Option<Told>> = (0..told.len())
        .map(|i| match i % 3 {
            0 => Some(Told::Desktop),
            1 => Some(Told::Printed),
            _ => None,
        })
        .collect();
    let keys = |how_told: Told| -> Vec<AlertKey> {
        let mut k: Vec<_> = (0..told.len())
            .filter(|&i| how[i] == Some(how_told))
            .map(|i| fresh.draft(i).unwrap().key())
            .collect();
        k.sort_by_key(|k| (k.invoice, k.on));
        k
    };
    let (desktop, printed) = (keys(Told::Desktop), keys(Told::Printed));
    fresh.sort_as_found(&how);
    let recorded = |how_told: Told| -> Vec<AlertKey> {
        let k: Vec<AlertKey> = fresh.told_keys(how_told).collect();
        assert!(k.windows(2).all(|w| w[0].invoice <= w[1].invoice), "by invoice: {k:?}");
        let mut sorted = k.clone();
        sorted.sort_by_key(|k| (k.invoice, k.on));
        sorted
    };
    assert_eq!(recorded(Told::Desktop), desktop);
    assert_eq!(recorded(Told::Printed), printed);
}
