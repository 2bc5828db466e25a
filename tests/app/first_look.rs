//! A large book's first frame is a first look (the header's amounts, the agenda's first
//! sections); the whole book follows from another connection and replaces it, unless a
//! reload came first.

use chrono::NaiveDate;
use settle::app::{App, Message, Resources, dispatch};
use settle::domain::customer::NewCustomer;
use settle::service::demo::{DemoOptions, write_demo};
use settle::store::Store;

use crate::support::{screen, today, typ};

/// A demo book the app last opened a week ago, and the app on it with a first look whatever
/// the book's size.
fn first_look() -> (App, Store) {
    let mut store = Store::open_in_memory().unwrap();
    write_demo(&mut store, &DemoOptions { customers: 12, invoices: 120, seed: 42, busy: true }, today())
        .unwrap();
    store.record_app_run(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()).unwrap();
    let app = App::start_first_frame_from(&store, today(), Resources::shipped().unwrap(), 0).unwrap();
    (app, store)
}

#[test]
fn the_first_look_shows_the_first_sections_and_the_whole_book_replaces_it() {
    let (mut app, mut store) = first_look();
    assert!(app.book.is_first_look());
    let first = screen(&app, 120, 40);
    assert!(first.contains("Today — the first lines; the rest is loading"), "{first}");
    assert!(first.contains("Passed due since Mon 16 Nov"), "{first}");
    assert!(!first.contains("Steps due today or earlier"), "{first}");
    // The header's amounts are there already (the DSO comes with the whole book); what needs
    // the whole book says it is coming.
    let whole = App::start(&store, today()).unwrap();
    let whole_screen = screen(&whole, 120, 40);
    let amounts = |s: &str| {
        let header = s.lines().next().unwrap_or("").to_string();
        let (Some(open), Some(dso)) = (header.find("Open"), header.find("DSO")) else { return header };
        header[open..dso].trim().to_string()
    };
    assert!(amounts(&first).starts_with("Open €"), "{first}");
    assert_eq!(amounts(&first), amounts(&whole_screen));
    assert!(first.lines().next().unwrap().contains("DSO …"), "{first}");
    typ(&mut app, &mut store, "2");
    assert!(screen(&app, 120, 40).contains("Working out the whole book…"));
    typ(&mut app, &mut store, "3");
    assert!(screen(&app, 120, 40).contains("Working out the whole book…"));
    assert!(app.customers.rows.is_empty(), "no customer to open before their figures are known");
    typ(&mut app, &mut store, "1");

    let job = app.whole_book_job().expect("a first look asks for the whole book");
    let answer = job.run(Some(&store));
    dispatch(&mut app, &mut store, answer);
    assert!(!app.book.is_first_look());
    assert!(app.whole_book_job().is_none());
    // The app now shows what it shows when started on the whole book.
    assert_eq!(screen(&app, 120, 40), whole_screen);
    typ(&mut app, &mut store, "3");
    assert_eq!(app.customers.rows.len(), app.book.customers.len());
}

#[test]
fn a_whole_book_older_than_a_reload_is_left_unused() {
    let (mut app, mut store) = first_look();
    let stale = app.whole_book_job().unwrap().run(Some(&store));
    assert!(matches!(stale, Message::WholeBook(_)));
    // Another program adds a customer; the app's tick reloads the book.
    store.add_customer(&NewCustomer::named("Late Arrival BV")).unwrap();
    dispatch(&mut app, &mut store, Message::Changed);
    assert!(!app.book.is_first_look());
    let fresh = screen(&app, 120, 40);
    // The whole book read before the change arrives late: it changes nothing.
    dispatch(&mut app, &mut store, stale);
    assert!(app.book.customers.iter().any(|c| c.customer.name == "Late Arrival BV"));
    assert_eq!(screen(&app, 120, 40), fresh);
}

#[test]
fn a_small_book_opens_whole() {
    let mut store = Store::open_in_memory().unwrap();
    write_demo(&mut store, &DemoOptions { customers: 12, invoices: 120, seed: 42, busy: true }, today())
        .unwrap();
    let app = App::start_first_frame(&store, today(), Resources::shipped().unwrap()).unwrap();
    assert!(!app.book.is_first_look(), "fewer open invoices than a first look is for");
    assert!(app.whole_book_job().is_none());
}
