//! Key sequences on the app state, checked against the state and the store's writes.

use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use settle::app::keys::Context;
use settle::app::{Effect, Message, Overlay, Tab, update};
use settle::domain::customer::CustomerId;
use settle::domain::event::EventKind;
use settle::domain::invoice::InvoiceId;

use crate::support::*;

/// The invoice selected first on Today, and its customer.
struct Item {
    invoice: InvoiceId,
    customer_id: CustomerId,
}

fn first_item(app: &settle::app::App) -> Item {
    let i = app.today_view.selected(&app.book).expect("Today has items");
    Item { invoice: i.invoice.id, customer_id: i.invoice.customer_id }
}

#[test]
fn navigation_never_asks_the_store() {
    let (mut app, _store) = demo();
    for c in ['j', 'j', 'k', '2', 'j', '>', '<', 's', '3', 'j', '1', '2'] {
        let asked = app.receivables.forecast_asked;
        let fx = update(&mut app, Message::Key(code(KeyCode::Char(c))));
        // The one exception: the cash-in forecast, the first time Receivables shows.
        if c == '2' && !asked {
            assert_eq!(fx, [Effect::LoadForecast]);
        } else {
            assert!(fx.is_empty(), "{c} asked for {fx:?}");
        }
    }
    for k in [KeyCode::Down, KeyCode::PageDown, KeyCode::End, KeyCode::Home, KeyCode::Up] {
        assert!(update(&mut app, Message::Key(code(k))).is_empty());
    }
}

#[test]
fn tabs_drill_down_and_back() {
    let (mut app, mut store) = demo();
    assert_eq!((app.tab, app.context()), (Tab::Today, Context::Today));
    let item = first_item(&app);
    enter(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Invoice);
    assert_eq!(app.invoice.as_ref().map(|i| i.id), Some(item.invoice));
    esc(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Today, "Esc goes back");
    assert!(!app.quit);

    // Receivables → customer → invoice, and back out the same way.
    typ(&mut app, &mut store, "2");
    let customer = app.receivables.selected(&app.book).unwrap();
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::Customer);
    assert_eq!(app.customer_detail().map(|d| d.customer.id), Some(customer));
    enter(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Invoice);
    assert_eq!(app.invoice.as_ref().map(|i| i.customer_id), Some(customer));
    esc(&mut app, &mut store);
    assert_eq!(app.context(), Context::Customer);
    esc(&mut app, &mut store);
    assert_eq!(app.tab, Tab::Receivables);
    typ(&mut app, &mut store, "3");
    assert_eq!(app.context(), Context::Customers, "going back closed the detail");
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "q");
    assert!(app.quit, "q quits from anywhere, also below the top");
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let (mut app, mut store) = demo();
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "n");
    press(&mut app, &mut store, ctrl('c'));
    assert!(app.quit);
}

#[test]
fn a_note_from_the_invoice_screen_is_saved() {
    let (mut app, mut store) = demo();
    let item = first_item(&app);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "n");
    assert_eq!(app.context(), Context::FormText);
    // An empty note is not saved.
    enter(&mut app, &mut store);
    assert!(matches!(&app.overlay, Some(Overlay::Form(f)) if f.error.is_some()));
    typ(&mut app, &mut store, "Called Koen, pays on Friday");
    enter(&mut app, &mut store);
    assert!(app.overlay.is_none());
    assert_eq!(app.status.as_ref().map(|s| s.text.starts_with("Note added")), Some(true));
    let notes = store.notes(item.customer_id).unwrap();
    assert_eq!(notes[0].body, "Called Koen, pays on Friday");
    assert_eq!(notes[0].invoice, Some(item.invoice));
    // The screen shows it without another key.
    let timeline = &app.invoice.as_ref().unwrap().timeline;
    assert_eq!(timeline[0].detail, "Called Koen, pays on Friday");
}

#[test]
fn a_payment_is_checked_as_typed_and_recorded() {
    let (mut app, mut store) = demo();
    let item = first_item(&app);
    enter(&mut app, &mut store);
    let open = app.invoice.as_ref().unwrap().open;
    typ(&mut app, &mut store, "p");
    let field_error = |app: &settle::app::App| match &app.overlay {
        Some(Overlay::Form(f)) => f.fields[0].error.clone(),
        _ => None,
    };
    // Over-payment: refused in place, nothing saved.
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, &format!("{}", open + Decimal::ONE));
    assert!(field_error(&app).unwrap().contains("still open"), "{:?}", field_error(&app));
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_some());
    assert_eq!(store.invoice(item.invoice).unwrap().invoice.open, open);
    // An ambiguous amount is refused too.
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "1,000");
    assert!(field_error(&app).unwrap().contains("ambiguous"));
    // 100,00 is fine; the date accepts shortcuts but not the future.
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "100,00");
    assert_eq!(field_error(&app), None);
    enter(&mut app, &mut store);
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "+2");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_some(), "a payment dated in the future is refused");
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "2026-11-20");
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "transfer");
    enter(&mut app, &mut store);
    assert!(app.overlay.is_none());
    let after = store.invoice(item.invoice).unwrap().invoice.open;
    assert_eq!(after, open - Decimal::ONE_HUNDRED);
    assert_eq!(app.invoice.as_ref().unwrap().open, after, "the screen reloaded");
    let last = store
        .timeline(item.invoice)
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| e.kind == EventKind::Payment)
        .unwrap();
    assert_eq!(last.detail, "100.00 transfer");
    assert_eq!(last.on.to_string(), "2026-11-20");
}

#[test]
fn a_step_is_recorded_with_its_channel() {
    let (mut app, mut store) = demo();
    // The first line of Today with a ladder step to take.
    // (Not a customer's group: Enter opens an invoice.)
    while app.today_view.selected_group(&app.book).is_some()
        || app.today_view.selected(&app.book).is_some_and(|i| i.step.is_none())
    {
        typ(&mut app, &mut store, "j");
    }
    let item = first_item(&app);
    enter(&mut app, &mut store);
    let step = app.invoice.as_ref().unwrap().current_step.unwrap();
    typ(&mut app, &mut store, "s");
    assert_eq!(app.context(), Context::FormChoice, "the channel comes first");
    press(&mut app, &mut store, code(KeyCode::Right));
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let done = store
        .timeline(item.invoice)
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| e.kind == step.event_kind())
        .unwrap();
    assert_eq!(done.on, today());
    assert!(done.channel.is_some());
    assert_ne!(app.invoice.as_ref().unwrap().current_step, Some(step), "the tracker moved on");
}

#[test]
fn a_dispute_opens_and_resolves() {
    let (mut app, mut store) = demo();
    let item = first_item(&app);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "d");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_some(), "a dispute needs a reason");
    typ(&mut app, &mut store, "Says the renderings were late");
    press(&mut app, &mut store, ctrl('s'));
    assert!(store.invoice(item.invoice).unwrap().invoice.disputed);
    assert!(app.invoice.as_ref().unwrap().disputed);
    typ(&mut app, &mut store, "d");
    press(&mut app, &mut store, ctrl('s'));
    assert!(!store.invoice(item.invoice).unwrap().invoice.disputed);
    let kinds: Vec<EventKind> = store.timeline(item.invoice).unwrap().iter().map(|e| e.kind).collect();
    assert!(kinds.ends_with(&[EventKind::DisputeOpened, EventKind::DisputeResolved]));
}

#[test]
fn adding_a_customer_and_an_invoice() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "ac");
    // A name already in the book is refused as typed.
    let taken = app.book.customers[0].customer.name.clone();
    typ(&mut app, &mut store, &taken);
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("no form") };
    assert!(f.fields[0].error.as_deref().unwrap().contains("already exists"));
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "Nieuwe Klant BV");
    press(&mut app, &mut store, code(KeyCode::Tab));
    typ(&mut app, &mut store, "Els Peeters");
    press(&mut app, &mut store, code(KeyCode::Tab));
    typ(&mut app, &mut store, "els@klant.example");
    for _ in 0..4 {
        press(&mut app, &mut store, code(KeyCode::Tab)); // Phone, VAT, Language, Profile.
    }
    press(&mut app, &mut store, code(KeyCode::Right)); // Profile: trusted.
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let c = store.customer_by_name("nieuwe klant bv").unwrap().unwrap();
    assert_eq!(c.email.as_deref(), Some("els@klant.example"));
    assert_eq!(c.profile.as_str(), "trusted");

    // The new customer is selected on Customers; `a i` fills it in.
    typ(&mut app, &mut store, "3/nieuwe");
    enter(&mut app, &mut store);
    enter(&mut app, &mut store);
    assert_eq!(app.customer_detail().map(|d| d.customer.id), Some(c.id));
    typ(&mut app, &mut store, "ai");
    typ(&mut app, &mut store, "2026-900");
    enter(&mut app, &mut store);
    press(&mut app, &mut store, ctrl('u'));
    typ(&mut app, &mut store, "2026-11-20");
    enter(&mut app, &mut store);
    // Due left empty: the customer's 30 days.
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("no form") };
    assert_eq!(f.field("Due").unwrap().note.as_deref(), Some("Sun 20 Dec 2026 (+30 days)"));
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "1.250,00");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
    let inv = store.invoice_by_number("2026-900").unwrap().unwrap().invoice;
    assert_eq!(
        (inv.customer_id, inv.due.to_string(), inv.amount.amount.to_string()),
        (c.id, "2026-12-20".into(), "1250.00".into())
    );
    assert_eq!(app.customer_detail().unwrap().invoices.len(), 1, "the detail reloaded");
}

#[test]
fn the_welcome_screen_loads_the_demo() {
    let (mut app, mut store) = empty();
    assert_eq!(app.context(), Context::Welcome);
    typ(&mut app, &mut store, "d");
    assert!(!store.is_empty().unwrap());
    assert_eq!(app.context(), Context::Today);
    assert_eq!(store.customers().unwrap().len(), 40);
}

#[test]
fn sorting_and_filtering() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "2");
    let totals = |app: &settle::app::App| -> Vec<i64> {
        app.receivables.rows.iter().map(|r| app.book.ledgers[0].aging[*r].cents[5]).collect()
    };
    let t = totals(&app);
    assert!(t.windows(2).all(|w| w[0] >= w[1]), "largest total first");
    typ(&mut app, &mut store, "s");
    let t = totals(&app);
    assert!(t.windows(2).all(|w| w[0] <= w[1]), "s reverses");
    typ(&mut app, &mut store, ">");
    assert_eq!(app.receivables.column, 0);
    let names: Vec<String> =
        app.receivables.rows.iter().map(|r| app.book.ledgers[0].aging[*r].name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "names A to Z");

    typ(&mut app, &mut store, "3/bakk");
    assert_eq!(app.context(), Context::FilterInput);
    assert!(
        app.customers.rows.iter().all(|r| app.book.customers[*r]
            .customer
            .name
            .to_lowercase()
            .contains("bakk"))
    );
    assert!(!app.customers.rows.is_empty());
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::Customers);
    esc(&mut app, &mut store);
    assert_eq!(app.customers.rows.len(), app.book.customers.len(), "Esc clears the filter");
    assert!(!app.quit);
}

#[test]
fn a_change_by_another_program_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.db");
    let mut store = settle::store::Store::open(&path).unwrap();
    settle::service::demo::write_demo(
        &mut store,
        &settle::service::demo::DemoOptions { customers: 5, invoices: 30, seed: 42, busy: true },
        today(),
    )
    .unwrap();
    let mut app = settle::app::App::start(&store, today()).unwrap();
    let before = store.data_version().unwrap();
    let other = settle::store::Store::open(&path).unwrap();
    other.add_customer(&settle::domain::customer::NewCustomer::named("Late Arrival BV")).unwrap();
    assert_ne!(store.data_version().unwrap(), before, "the runner's tick sees the change");
    settle::app::dispatch(&mut app, &mut store, Message::Changed);
    assert!(app.book.customers.iter().any(|c| c.customer.name == "Late Arrival BV"));
    assert!(app.status.is_some());
}

#[test]
fn receivables_shows_the_cash_in_forecast_and_how_it_is_made() {
    let (mut app, mut store) = demo();
    assert!(app.receivables.forecast.is_none(), "not loaded for the first frame");
    typ(&mut app, &mut store, "2");
    let f = app.receivables.forecast.as_ref().expect("loaded when the tab opens");
    assert_eq!(f.buckets.len(), 8);
    let screen = screen(&app, 120, 40);
    assert!(screen.contains("Expected cash-in, next 8 weeks (EUR)"), "{screen}");
    assert!(screen.contains("Agreed dates, else due date + customer's average delay."), "{screen}");
    // A reload forgets it; it comes back with the book.
    press(&mut app, &mut store, ctrl('r'));
    assert!(app.receivables.forecast.is_some(), "reloaded with the book while on the tab");
}

#[test]
fn pasted_text_goes_into_the_field_never_taken_as_keys() {
    use settle::app::Message;
    let (mut app, mut store) = demo();
    let before = (app.tab, app.context());
    // On Today nothing is being typed: a pasted "2a" does not switch tabs or open Add, and a
    // pasted "q" does not quit.
    let fx = settle::app::update(&mut app, Message::Paste("2aq".into()));
    assert!(fx.is_empty());
    assert_eq!((app.tab, app.context()), before);
    assert!(!app.quit && app.overlay.is_none());
    // In the filter line it is typed, on one line, control characters left out.
    typ(&mut app, &mut store, "/");
    settle::app::update(&mut app, Message::Paste("ma\u{1b}es\nq".into()));
    assert_eq!(app.context(), Context::FilterInput);
    assert_eq!(app.filter().map(|f| f.input.lines().join("")), Some("maes q".to_string()));
    assert!(!app.quit);
}

#[test]
fn u_undoes_the_last_change_and_the_screen_follows() {
    let (mut app, mut store) = demo();
    let item = first_item(&app);
    enter(&mut app, &mut store);
    let open = app.invoice.as_ref().unwrap().open;
    typ(&mut app, &mut store, "n");
    typ(&mut app, &mut store, "Wrong customer, sorry");
    enter(&mut app, &mut store);
    assert_eq!(store.notes(item.customer_id).unwrap()[0].body, "Wrong customer, sorry");
    let log = store.changes(5).unwrap();
    assert_eq!((log.len(), log[0].source.as_str()), (1, "app"), "the demo book is not in the log");
    assert!(log[0].what.starts_with("note for"), "{:?}", log[0]);

    typ(&mut app, &mut store, "u");
    let status = app.status.as_ref().unwrap();
    assert!(!status.error && status.text.starts_with("Undid change #1 (app): note for"), "{}", status.text);
    assert!(store.notes(item.customer_id).unwrap().iter().all(|n| n.body != "Wrong customer, sorry"));
    assert!(app.invoice.as_ref().unwrap().timeline.iter().all(|e| e.detail != "Wrong customer, sorry"));
    assert_eq!(app.invoice.as_ref().unwrap().open, open);

    typ(&mut app, &mut store, "u");
    assert_eq!(app.status.as_ref().unwrap().text, "Nothing to undo.");
}

#[test]
fn customers_sort_by_their_figures() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "3>");
    let counts = |app: &settle::app::App| -> Vec<i64> {
        app.customers.rows.iter().map(|r| app.book.customers[*r].open_invoices).collect()
    };
    assert!(counts(&app).windows(2).all(|w| w[0] >= w[1]), "most open invoices first");
    typ(&mut app, &mut store, ">>");
    let overdue: Vec<i64> =
        app.customers.rows.iter().map(|r| app.book.customers[*r].amounts[0].overdue_cents).collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "most overdue first");
    assert!(screen(&app, 120, 40).contains("Overdue▼"));
    typ(&mut app, &mut store, "s");
    let overdue: Vec<i64> =
        app.customers.rows.iter().map(|r| app.book.customers[*r].amounts[0].overdue_cents).collect();
    assert!(overdue.windows(2).all(|w| w[0] <= w[1]), "s reverses");
    typ(&mut app, &mut store, ">");
    assert_eq!(app.customers.column, 0, "back to names, as the book lists them");
    assert_eq!(app.customers.rows, (0..app.book.customers.len()).collect::<Vec<_>>());
}
