//! Call mode: `c` opens the script beside the call form; keys fill the form; Ctrl-S saves
//! the call (and offers the confirmation email), Esc writes nothing.

use ratatui::crossterm::event::KeyCode;
use settle::app::App;
use settle::app::call::{CallMode, CallSave, CallTarget};
use settle::app::effects::Effect;
use settle::app::keys::Context;
use settle::app::{Message, Overlay, update};
use settle::domain::call::CallOutcome;
use settle::domain::call_form::Field;
use settle::domain::invoice::InvoiceId;
use settle::store::Store;

use crate::support::*;

fn mode(app: &App) -> &CallMode {
    match &app.overlay {
        Some(Overlay::Call(m)) => m,
        other => panic!("call mode is not open: {other:?}"),
    }
}

/// The demo book with call mode open on the first invoice of Today.
fn calling() -> (App, Store, InvoiceId) {
    let (mut app, mut store) = demo();
    let invoice = app.today_view.selected(&app.book).unwrap().invoice.id;
    typ(&mut app, &mut store, "c");
    (app, store, invoice)
}

fn key(app: &mut App, k: KeyCode) -> Vec<Effect> {
    update(app, Message::Key(code(k)))
}

fn chars(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| key(app, KeyCode::Char(c))).collect()
}

#[test]
fn c_on_today_opens_call_mode_on_the_selected_invoice() {
    let (mut app, mut store) = demo();
    let invoice = app.today_view.selected(&app.book).unwrap().invoice.id;
    let fx = key(&mut app, KeyCode::Char('c'));
    assert_eq!(fx, vec![Effect::PrepareCall(CallTarget::Invoice(invoice))], "preparing asks the store");
    assert!(app.overlay.is_none());
    typ(&mut app, &mut store, "c");
    let m = mode(&app);
    assert_eq!(m.setup.context.invoice, Some(invoice));
    assert!(m.setup.panel.is_some(), "the script is ready");
    assert_eq!((m.focus, app.context()), (Field::Outcome, Context::CallOutcome));
    assert!(m.form.reached);
}

#[test]
fn c_on_a_customer_calls_about_their_invoice_due_first() {
    let (mut app, mut store) = demo();
    typ(&mut app, &mut store, "3");
    let customer = app.customers.selected(&app.book).unwrap();
    assert_eq!(key(&mut app, KeyCode::Char('c')), vec![Effect::PrepareCall(CallTarget::Customer(customer))]);
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::Customer);
    typ(&mut app, &mut store, "c");
    assert_eq!(mode(&app).setup.customer.id, customer);
}

#[test]
fn c_on_the_invoice_screen_calls_about_that_invoice() {
    let (mut app, mut store) = demo();
    enter(&mut app, &mut store);
    let id = app.invoice.as_ref().unwrap().id;
    assert_eq!(key(&mut app, KeyCode::Char('c')), vec![Effect::PrepareCall(CallTarget::Invoice(id))]);
}

#[test]
fn outcome_keys_choose_and_move_on_to_the_fields_they_ask_for() {
    let (mut app, _store, _) = calling();
    assert!(chars(&mut app, "p").is_empty());
    let m = mode(&app);
    assert_eq!(m.form.outcome, Some(CallOutcome::Promise));
    assert_eq!(m.focus, Field::PromiseDate, "the date is asked next");
    assert_eq!(
        m.fields(),
        [Field::Reached, Field::With, Field::Outcome, Field::PromiseDate, Field::Amount, Field::Note]
    );
    // Back to the outcome, and another one: no answer also means nobody was reached.
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.context(), Context::CallOutcome);
    chars(&mut app, "n");
    let m = mode(&app);
    assert_eq!((m.form.outcome, m.form.reached), (Some(CallOutcome::NoAnswer), false));
    assert!(!m.fields().contains(&Field::With));
    assert_eq!(m.focus, Field::FollowUp);
    key(&mut app, KeyCode::Up);
    for (k, o) in [
        ('l', CallOutcome::Plan),
        ('d', CallOutcome::Dispute),
        ('a', CallOutcome::AlreadyPaid),
        ('b', CallOutcome::Callback),
        ('r', CallOutcome::Refused),
    ] {
        chars(&mut app, &k.to_string());
        assert_eq!(mode(&app).form.outcome, Some(o), "{k}");
        key(&mut app, KeyCode::BackTab);
        while mode(&app).focus != Field::Outcome {
            key(&mut app, KeyCode::BackTab);
        }
    }
    // Other letters do nothing on the outcome.
    chars(&mut app, "xq");
    assert_eq!(mode(&app).form.outcome, Some(CallOutcome::Refused));
    assert!(app.overlay.is_some());
}

#[test]
fn reached_toggles_with_space_and_y_n() {
    let (mut app, _store, _) = calling();
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    assert_eq!((mode(&app).focus, app.context()), (Field::Reached, Context::CallReached));
    chars(&mut app, " ");
    assert!(!mode(&app).form.reached);
    assert!(!mode(&app).fields().contains(&Field::With), "nobody to speak with");
    chars(&mut app, " ");
    assert!(mode(&app).form.reached);
    chars(&mut app, "n");
    assert!(!mode(&app).form.reached);
    chars(&mut app, "y");
    assert!(mode(&app).form.reached);
    key(&mut app, KeyCode::Tab);
    assert_eq!(mode(&app).focus, Field::With);
}

#[test]
fn typing_shows_the_parsed_date_and_amount_as_hints() {
    let (mut app, _store, _) = calling();
    chars(&mut app, "p05/12/2026");
    let m = mode(&app);
    assert_eq!(m.form.promise_date, "05/12/2026");
    assert_eq!(m.message(Field::PromiseDate, today()), Some(Ok("Sat 5 Dec 2026".into())));
    assert!(screen(&app, 120, 40).contains("Sat 5 Dec 2026"));
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    chars(&mut app, "x");
    assert!(
        matches!(mode(&app).message(Field::PromiseDate, today()), Some(Err(_))),
        "a bad date is an error"
    );
    update(&mut app, Message::Key(ctrl('u')));
    assert_eq!(mode(&app).form.promise_date, "");
    chars(&mut app, "+7");
    key(&mut app, KeyCode::Tab);
    assert_eq!(mode(&app).focus, Field::Amount);
    update(&mut app, Message::Key(ctrl('u')));
    chars(&mut app, "1.234,5");
    assert_eq!(mode(&app).message(Field::Amount, today()), Some(Ok("€1,234.50".into())));
}

#[test]
fn esc_cancels_and_writes_nothing() {
    let (mut app, store, invoice) = calling();
    chars(&mut app, "p+7");
    let fx = key(&mut app, KeyCode::Esc);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(app.overlay.is_none());
    assert!(store.calls(invoice).unwrap().is_empty());
    assert!(app.status.as_ref().unwrap().text.contains("nothing was saved"));
}

#[test]
fn ctrl_s_saves_through_an_effect_and_offers_the_confirmation() {
    let (mut app, mut store, invoice) = calling();
    chars(&mut app, "p+10");
    let fx = update(&mut app, Message::Key(ctrl('s')));
    let [Effect::SaveCall(save)] = fx.as_slice() else { panic!("{fx:?}") };
    let CallSave { setup, form } = save.as_ref();
    assert_eq!((setup.context.invoice, form.promise_date.as_str()), (Some(invoice), "+10"));
    assert!(store.calls(invoice).unwrap().is_empty(), "the update itself writes nothing");

    press(&mut app, &mut store, ctrl('s'));
    let calls = store.calls(invoice).unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].outcome, CallOutcome::Promise);
    assert_eq!(store.agreements(invoice).unwrap().len(), 1);
    let status = app.status.clone().unwrap();
    assert!(status.text.starts_with("Call logged: promise of €"), "{}", status.text);
    assert!(status.text.contains("by Thu 3 Dec 2026"), "{}", status.text);
    let Some(Overlay::Confirm(view)) = &app.overlay else { panic!("the confirmation is offered") };
    assert!(!view.mail.body.is_empty());
    assert_eq!(app.context(), Context::Confirmation);
    // A book in memory has nowhere to save it: said, not failed.
    typ(&mut app, &mut store, "s");
    assert!(app.status.as_ref().unwrap().error);
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    esc(&mut app, &mut store);
    assert!(app.overlay.is_none());
}

#[test]
fn enter_on_the_last_field_saves_and_field_errors_keep_the_form_open() {
    let (mut app, mut store, invoice) = calling();
    typ(&mut app, &mut store, "p");
    // A date in the past: refused on its field, nothing written.
    typ(&mut app, &mut store, "2026-11-01");
    for _ in 0..3 {
        enter(&mut app, &mut store);
    }
    let m = mode(&app);
    assert_eq!(m.focus, Field::PromiseDate, "the field in error has the focus");
    assert!(m.error_of(Field::PromiseDate).unwrap().contains("in the past"));
    assert!(m.error.is_some());
    assert!(store.calls(invoice).unwrap().is_empty());
    // Correcting it clears the error; Enter through to the note saves.
    update(&mut app, Message::Key(ctrl('u')));
    assert!(mode(&app).error_of(Field::PromiseDate).is_none());
    typ(&mut app, &mut store, "fri");
    enter(&mut app, &mut store);
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "Pays Friday");
    enter(&mut app, &mut store);
    assert_eq!(store.calls(invoice).unwrap()[0].note, "Pays Friday");
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
}

#[test]
fn a_call_with_no_agreement_just_says_what_was_logged() {
    let (mut app, mut store, invoice) = calling();
    typ(&mut app, &mut store, "b+2");
    press(&mut app, &mut store, ctrl('s'));
    assert!(app.overlay.is_none(), "no email to confirm");
    assert_eq!(app.status.unwrap().text, "Call logged: call back; next contact Wed 25 Nov 2026.");
    assert_eq!(store.calls(invoice).unwrap().len(), 1);
}

#[test]
fn the_script_scrolls_with_page_keys() {
    let (mut app, _store, _) = calling();
    key(&mut app, KeyCode::PageDown);
    assert_eq!(mode(&app).scroll, 10);
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(mode(&app).scroll, 0);
    for _ in 0..100 {
        key(&mut app, KeyCode::PageDown);
    }
    assert!(mode(&app).scroll < mode(&app).script_lines());
}

#[test]
fn call_mode_snapshot() {
    let (mut app, mut store, _) = calling();
    typ(&mut app, &mut store, "p05/12/2026");
    insta::assert_snapshot!("call_mode_promise_120x40", render(&app, 120, 40).backend());
    // The focused field and the date's hint are styled: cyan label, grey hint.
    let t = render(&app, 120, 40);
    let buf = t.backend().buffer();
    let (x, y) = (0..40u16)
        .find_map(|y| {
            let row: String = (0..120).map(|x| buf[(x, y)].symbol()).collect();
            row.find("Sat 5 Dec 2026").map(|i| (row[..i].chars().count() as u16, y))
        })
        .expect("the hint is on screen");
    assert_eq!(buf[(x, y)].fg, ratatui::style::Color::DarkGray);
    typ(&mut app, &mut store, "x");
    let t = render(&app, 120, 40);
    let buf = t.backend().buffer();
    let (x, y) = (0..40u16)
        .find_map(|y| {
            let row: String = (0..120).map(|x| buf[(x, y)].symbol()).collect();
            row.find("✗").map(|i| (row[..i].chars().count() as u16, y))
        })
        .expect("the error is on screen");
    assert_eq!(buf[(x, y)].fg, ratatui::style::Color::Red, "errors in red");
}

#[test]
fn confirmation_snapshot() {
    let (mut app, mut store, _) = calling();
    typ(&mut app, &mut store, "p05/12/2026");
    press(&mut app, &mut store, ctrl('s'));
    insta::assert_snapshot!("call_confirmation_120x40", render(&app, 120, 40).backend());
}

#[test]
fn call_mode_draws_at_every_size() {
    let (mut app, mut store, _) = calling();
    typ(&mut app, &mut store, "l");
    for (w, h) in [(60, 15), (80, 24), (61, 16), (200, 60), (10, 3)] {
        render(&app, w, h);
    }
}

#[test]
fn the_invoice_screen_shows_the_script_and_the_agreement_after_a_call() {
    let (mut app, mut store) = demo();
    enter(&mut app, &mut store);
    let inv = app.invoice.as_ref().unwrap();
    assert!(inv.agreements.is_empty());
    let script = inv.script.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(script.last_call, None);
    assert!(screen(&app, 120, 40).contains("Call script: reminder"));
    typ(&mut app, &mut store, "c");
    typ(&mut app, &mut store, "p05/12/2026");
    press(&mut app, &mut store, ctrl('s'));
    esc(&mut app, &mut store);
    // Reloaded after the save: the promise, on schedule, and the call as the last one.
    let inv = app.invoice.as_ref().unwrap();
    assert_eq!(inv.agreements.len(), 1);
    assert_eq!(inv.agreements[0].status.label(), "on schedule");
    assert!(
        inv.agreements[0].what.starts_with("Promise of €5,375.00 by Sat 5 Dec 2026"),
        "{}",
        inv.agreements[0].what
    );
    let script = inv.script.as_ref().unwrap().as_ref().unwrap();
    assert!(script.last_call.as_deref().unwrap().contains("promise to pay"));
    let s = screen(&app, 120, 40);
    assert!(s.contains("on schedule: €5,375.00 due Sat 5 Dec 2026"), "{s}");
}

#[test]
fn capital_e_emails_the_confirmation_and_keeps_it_on_the_timeline() {
    let Some(server) = crate::support::smtp::Smtp::start("app-confirmation", None) else { return };
    let (mut app, mut store, invoice) = calling();
    typ(&mut app, &mut store, "p05/12/2026");
    press(&mut app, &mut store, ctrl('s'));
    let Some(Overlay::Confirm(view)) = &app.overlay else { panic!("no confirmation: {:?}", app.overlay) };
    let subject = view.mail.subject.clone();
    let text = format!(
        "[me]\nname = \"Ann Peeters\"\nemail = \"ann@peeters-design.be\"\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"ann@peeters-design.be\"\nsecurity = \"none\"\n",
        server.port
    );
    app.resources.config =
        settle::config::Config::from_text(std::path::Path::new("config.toml"), &text).unwrap();
    typ(&mut app, &mut store, "E");
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1, "{:?}", app.status);
    assert!(got[0].contains(".call_confirmation."), "its Message-ID names it");
    let id = got[0].lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap().trim().to_string();
    let kept: Vec<_> = store
        .timeline(invoice)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == settle::domain::event::EventKind::ConfirmationSent)
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        kept[0].detail.contains(&subject) && kept[0].detail.contains(&format!("Message-ID {id}")),
        "{kept:?}"
    );
    let said = app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(said.starts_with("Sent the ") && said.ends_with("it is on the invoice's timeline."), "{said}");
    assert!(app.overlay.is_none(), "closed once sent");
}
