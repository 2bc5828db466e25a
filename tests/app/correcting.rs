//! Correcting the book in the app: `e` edits what is selected with the add forms prefilled,
//! `x` deletes a line after a y/N question, and `u` undoes each as one change.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;
use settle::app::keys::Context;
use settle::app::{App, Overlay};
use settle::domain::call::{CallOutcome, NewCall};
use settle::domain::customer::NewCustomer;
use settle::domain::event::Channel;
use settle::domain::invoice::{InvoiceId, NewInvoice, NewPayment, PaymentKind};
use settle::domain::money::{Currency, Money};
use settle::domain::policy::Step;
use settle::store::{Entry, Store};

use crate::support::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One customer, one invoice with a payment, a note, a reminder and a call that promised
/// the rest; the app open on it.
fn book() -> (App, Store, InvoiceId) {
    let store = Store::open_in_memory().unwrap();
    let c = store.add_customer(&NewCustomer::named("Acme")).unwrap();
    let inv = store
        .add_invoice(&NewInvoice {
            number: "2026-001".into(),
            customer_id: c,
            issued: d("2026-09-01"),
            due: d("2026-10-01"),
            amount: Money::new(Decimal::new(1000, 0), Currency::EUR),
            description: "Design".into(),
            reference: None,
        })
        .unwrap();
    store
        .add_payment(&NewPayment {
            invoice: inv,
            on: d("2026-11-10"),
            amount: Decimal::new(400, 0),
            kind: PaymentKind::Payment,
            method: Some("transfer".into()),
            note: String::new(),
        })
        .unwrap();
    store.record_step(inv, Step::Reminder, d("2026-11-12"), Some(Channel::Email), "").unwrap();
    store.add_note(c, Some(inv), d("2026-11-13"), "Wants invoices by post").unwrap();
    store
        .log_call(&NewCall {
            customer: c,
            invoice: Some(inv),
            on: d("2026-11-20"),
            reached: true,
            with: Some("Anna".into()),
            outcome: CallOutcome::Promise,
            follow_up: None,
            claimed_paid_on: None,
            claimed_reference: None,
            note: "after payday".into(),
            agreement: Some(
                settle::domain::agreement::NewAgreement::promise(d("2026-11-30"), Decimal::new(600, 0))
                    .unwrap(),
            ),
        })
        .unwrap();
    let app = App::start(&store, today()).unwrap();
    (app, store, inv)
}

/// Customers → Acme → its invoice.
fn open_invoice(app: &mut App, store: &mut Store) {
    typ(app, store, "3");
    enter(app, store);
    enter(app, store);
    assert_eq!(app.context(), Context::Invoice);
}

/// Selects the first timeline line whose entry fits.
fn select(app: &mut App, store: &mut Store, fits: impl Fn(Entry) -> bool) -> Entry {
    typ(app, store, "gk");
    for _ in 0..20 {
        typ(app, store, "j");
        if let Some(e) = app.invoice.as_ref().and_then(|i| i.selected_entry()).filter(|e| fits(*e)) {
            return e;
        }
    }
    panic!("no such line on the timeline");
}

/// Clears the focused field and types a new value.
fn retype(app: &mut App, store: &mut Store, text: &str) {
    press(app, store, ctrl('u'));
    typ(app, store, text);
}

fn next(app: &mut App, store: &mut Store) {
    press(app, store, code(KeyCode::Tab));
}

fn save(app: &mut App, store: &mut Store) {
    press(app, store, ctrl('s'));
    assert!(app.overlay.is_none(), "saved: {:?}", app.overlay);
}

#[test]
fn e_on_a_customer_edits_it_with_its_postal_address_and_u_undoes_it() {
    let (mut app, mut store, _) = book();
    typ(&mut app, &mut store, "3e");
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("no form") };
    assert_eq!(f.field("Name").unwrap().text(), "Acme", "prefilled");
    for _ in 0..2 {
        next(&mut app, &mut store);
    }
    retype(&mut app, &mut store, "billing@acme.be");
    for _ in 0..7 {
        next(&mut app, &mut store);
    }
    retype(&mut app, &mut store, "Dok Noord 7 | 9000 Gent");
    save(&mut app, &mut store);
    let c = store.customer_by_name("Acme").unwrap().unwrap();
    assert_eq!(c.email.as_deref(), Some("billing@acme.be"));
    assert_eq!(c.address.as_deref(), Some("Dok Noord 7\n9000 Gent"), "read as --address reads it");
    // On the customer screen, e edits the customer too, its address on one line.
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "e");
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("no form") };
    assert_eq!(f.field("Postal address").unwrap().text(), "Dok Noord 7 | 9000 Gent");
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "u");
    let c = store.customer_by_name("Acme").unwrap().unwrap();
    assert_eq!((c.email, c.address), (None, None), "u undid the edit");
}

#[test]
fn a_customers_note_is_selected_edited_deleted_after_asking_and_undone() {
    let (mut app, mut store, _) = book();
    typ(&mut app, &mut store, "3");
    enter(&mut app, &mut store);
    typ(&mut app, &mut store, "j");
    assert_eq!(app.customer_detail().and_then(|d| d.note_at), Some(0), "j past the invoice selects the note");
    assert!(screen(&app, 120, 40).contains("▸ 13 Nov 2026"), "{}", screen(&app, 120, 40));
    typ(&mut app, &mut store, "e");
    retype(&mut app, &mut store, "Wants invoices by email");
    save(&mut app, &mut store);
    let c = store.customer_by_name("Acme").unwrap().unwrap();
    assert_eq!(store.notes(c.id).unwrap()[0].body, "Wants invoices by email");
    typ(&mut app, &mut store, "x");
    assert_eq!(app.context(), Context::Ask);
    assert!(screen(&app, 120, 40).contains("Delete the note of 13 Nov 2026"));
    typ(&mut app, &mut store, "n");
    assert_eq!(store.notes(c.id).unwrap().len(), 1, "n deletes nothing");
    typ(&mut app, &mut store, "x");
    esc(&mut app, &mut store);
    assert_eq!(store.notes(c.id).unwrap().len(), 1, "Esc deletes nothing");
    typ(&mut app, &mut store, "xy");
    assert!(store.notes(c.id).unwrap().is_empty());
    typ(&mut app, &mut store, "u");
    assert_eq!(store.notes(c.id).unwrap().len(), 1, "u brings it back");
    typ(&mut app, &mut store, "u");
    assert_eq!(store.notes(c.id).unwrap()[0].body, "Wants invoices by post");
}

#[test]
fn e_on_the_invoice_edits_it_through_the_same_use_case() {
    let (mut app, mut store, inv) = book();
    open_invoice(&mut app, &mut store);
    typ(&mut app, &mut store, "e");
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("no form") };
    assert_eq!(f.field("Amount").unwrap().text(), "1000.00");
    for _ in 0..4 {
        next(&mut app, &mut store);
    }
    retype(&mut app, &mut store, "1200");
    save(&mut app, &mut store);
    let row = store.invoice(inv).unwrap();
    assert_eq!((row.invoice.amount.amount, row.invoice.open), (Decimal::new(1200, 0), Decimal::new(800, 0)));
    // A due date before the issue date is refused in the form, as on the command line.
    typ(&mut app, &mut store, "e");
    for _ in 0..3 {
        next(&mut app, &mut store);
    }
    retype(&mut app, &mut store, "2026-08-01");
    press(&mut app, &mut store, ctrl('s'));
    assert!(matches!(&app.overlay, Some(Overlay::Form(f)) if f.error.is_some()), "refused");
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "u");
    assert_eq!(store.invoice(inv).unwrap().invoice.open, Decimal::new(600, 0));
}

#[test]
fn the_invoice_form_takes_its_pdf_checked_as_on_the_command_line() {
    let (mut app, mut store, inv) = book();
    let dir = tempfile::tempdir().unwrap();
    open_invoice(&mut app, &mut store);
    let to_pdf = |app: &mut App, store: &mut Store| {
        typ(app, store, "e");
        for _ in 0..8 {
            next(app, store);
        }
    };
    to_pdf(&mut app, &mut store);
    let gone = dir.path().join("gone.pdf");
    retype(&mut app, &mut store, gone.to_str().unwrap());
    press(&mut app, &mut store, ctrl('s'));
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("refused, the form kept") };
    let why = f.error.clone().unwrap_or_default();
    assert!(why.contains("gone.pdf: no such file"), "{why}");
    esc(&mut app, &mut store);
    assert_eq!(store.invoice_pdf(inv).unwrap(), None);
    let pdf = dir.path().join("invoice.pdf");
    std::fs::write(&pdf, "%PDF-1.4\n%%EOF\n").unwrap();
    to_pdf(&mut app, &mut store);
    retype(&mut app, &mut store, pdf.to_str().unwrap());
    save(&mut app, &mut store);
    let kept = pdf.canonicalize().unwrap();
    assert_eq!(store.invoice_pdf(inv).unwrap(), Some(kept.clone()));
    assert!(screen(&app, 160, 40).contains("invoice.pdf"), "{}", screen(&app, 160, 40));
    // Prefilled next time; u forgets it again.
    typ(&mut app, &mut store, "e");
    let Some(Overlay::Form(f)) = &app.overlay else { panic!("no form") };
    assert_eq!(f.field("PDF").unwrap().text(), kept.display().to_string());
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "u");
    assert_eq!(store.invoice_pdf(inv).unwrap(), None);
}

#[test]
fn payments_are_edited_and_deleted_from_the_timeline_and_undone() {
    let (mut app, mut store, inv) = book();
    open_invoice(&mut app, &mut store);
    select(&mut app, &mut store, |e| matches!(e, Entry::Payment(_)));
    typ(&mut app, &mut store, "e");
    retype(&mut app, &mut store, "450");
    save(&mut app, &mut store);
    assert_eq!(store.invoice(inv).unwrap().invoice.open, Decimal::new(550, 0));
    select(&mut app, &mut store, |e| matches!(e, Entry::Payment(_)));
    typ(&mut app, &mut store, "xy");
    assert_eq!(store.invoice(inv).unwrap().invoice.open, Decimal::new(1000, 0));
    assert!(store.payment_lines(Some(inv)).unwrap().is_empty());
    typ(&mut app, &mut store, "u");
    assert_eq!(store.invoice(inv).unwrap().invoice.open, Decimal::new(550, 0));
    typ(&mut app, &mut store, "u");
    assert_eq!(store.invoice(inv).unwrap().invoice.open, Decimal::new(600, 0));
}

#[test]
fn calls_promises_notes_and_steps_are_corrected_from_the_timeline() {
    let (mut app, mut store, inv) = book();
    open_invoice(&mut app, &mut store);
    // The promise: a new date and amount.
    select(&mut app, &mut store, |e| matches!(e, Entry::Agreement(_)));
    typ(&mut app, &mut store, "e");
    retype(&mut app, &mut store, "500");
    next(&mut app, &mut store);
    retype(&mut app, &mut store, "2026-12-04");
    save(&mut app, &mut store);
    let a = &store.agreements(inv).unwrap()[0];
    assert_eq!((a.total, a.instalments[0].due), (Decimal::new(500, 0), d("2026-12-04")));
    // The call: who was reached.
    select(&mut app, &mut store, |e| matches!(e, Entry::Call(_)));
    typ(&mut app, &mut store, "e");
    next(&mut app, &mut store);
    retype(&mut app, &mut store, "Bert");
    save(&mut app, &mut store);
    assert_eq!(store.calls(inv).unwrap()[0].with.as_deref(), Some("Bert"));
    // The note on the invoice.
    select(&mut app, &mut store, |e| matches!(e, Entry::Note(_)));
    typ(&mut app, &mut store, "e");
    retype(&mut app, &mut store, "Wants invoices by email");
    save(&mut app, &mut store);
    assert!(store.timeline(inv).unwrap().iter().any(|e| e.detail == "Wants invoices by email"));
    // Deleting the call deletes its promise: the ladder is no longer paused.
    select(&mut app, &mut store, |e| matches!(e, Entry::Call(_)));
    typ(&mut app, &mut store, "x");
    assert!(screen_words(&app, 120, 40).contains("with the promise or"), "{}", screen(&app, 120, 40));
    typ(&mut app, &mut store, "y");
    assert!(store.calls(inv).unwrap().is_empty() && store.agreements(inv).unwrap().is_empty());
    assert!(app.invoice.as_ref().unwrap().waiting.is_none(), "no longer paused");
    // The reminder recorded by mistake.
    select(&mut app, &mut store, |e| matches!(e, Entry::Step(Step::Reminder, _)));
    typ(&mut app, &mut store, "xy");
    assert!(store.invoice(inv).unwrap().steps_done.is_empty());
    // Each was one change: five undos bring back the book as it was.
    typ(&mut app, &mut store, "uu");
    assert_eq!(store.calls(inv).unwrap().len(), 1);
    assert!(app.invoice.as_ref().unwrap().waiting.is_some(), "paused again");
    typ(&mut app, &mut store, "uuu");
    let a = &store.agreements(inv).unwrap()[0];
    assert_eq!(a.total, Decimal::new(600, 0));
    assert_eq!(store.calls(inv).unwrap()[0].with.as_deref(), Some("Anna"));
    assert!(store.timeline(inv).unwrap().iter().any(|e| e.detail == "Wants invoices by post"));
}

#[test]
fn the_invoice_is_selected_first_and_k_comes_back_to_it() {
    let (mut app, mut store, _) = book();
    open_invoice(&mut app, &mut store);
    assert!(screen(&app, 120, 40).contains("Invoice 2026-001 ◂"));
    typ(&mut app, &mut store, "x");
    assert!(app.overlay.is_none(), "nothing to delete on the invoice itself");
    assert!(app.status.as_ref().unwrap().text.contains("settle invoice delete"));
    typ(&mut app, &mut store, "j");
    assert!(!screen(&app, 120, 40).contains("◂"));
    typ(&mut app, &mut store, "k");
    assert!(screen(&app, 120, 40).contains("Invoice 2026-001 ◂"));
}

#[test]
fn y_copies_the_reference_or_the_email_for_the_terminal_clipboard() {
    let (mut app, mut store, _) = book();
    // A customer without an email: said, nothing copied.
    typ(&mut app, &mut store, "3y");
    assert_eq!(app.clipboard, None);
    assert_eq!(app.status.as_ref().unwrap().text, "No email address to copy.");
    let acme = store.customer_by_name("Acme").unwrap().unwrap();
    store
        .edit_customer(
            acme.id,
            &NewCustomer { email: Some("billing@acme.be".into()), ..NewCustomer::named("Acme") },
        )
        .unwrap();
    let ogm: settle::domain::reference::PayRef = "+++123/4567/89002+++".parse().unwrap();
    store
        .add_invoice(&NewInvoice {
            number: "2026-002".into(),
            customer_id: acme.id,
            issued: d("2026-11-01"),
            due: d("2026-12-01"),
            amount: Money::new(Decimal::new(500, 0), Currency::EUR),
            description: "Print".into(),
            reference: Some(ogm),
        })
        .unwrap();
    press(&mut app, &mut store, ctrl('r'));
    typ(&mut app, &mut store, "y");
    assert_eq!(app.clipboard.take().as_deref(), Some("billing@acme.be"));
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "Copied the email address billing@acme.be to the clipboard."
    );
    // On an invoice: its structured reference, else its number.
    enter(&mut app, &mut store);
    enter(&mut app, &mut store);
    assert_eq!(app.invoice.as_ref().unwrap().number, "2026-001");
    typ(&mut app, &mut store, "y");
    assert_eq!(app.clipboard.take().as_deref(), Some("2026-001"));
    esc(&mut app, &mut store);
    typ(&mut app, &mut store, "j");
    enter(&mut app, &mut store);
    assert_eq!(app.invoice.as_ref().unwrap().number, "2026-002");
    typ(&mut app, &mut store, "y");
    assert_eq!(app.clipboard.take().as_deref(), Some("+++123/4567/89002+++"));
}

#[test]
fn tab_moves_between_the_panels_of_a_customer_and_of_an_invoice() {
    let (mut app, mut store, _) = book();
    typ(&mut app, &mut store, "3");
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::Customer);
    let note_at = |app: &App| app.customer_detail().unwrap().note_at;
    assert_eq!(note_at(&app), None, "the invoices first");
    press(&mut app, &mut store, code(KeyCode::Tab));
    assert_eq!(note_at(&app), Some(0), "Tab: the notes");
    press(&mut app, &mut store, code(KeyCode::BackTab));
    assert_eq!(note_at(&app), None, "and back");
    enter(&mut app, &mut store);
    assert_eq!(app.context(), Context::Invoice);
    let on_timeline = |app: &App| app.invoice.as_ref().unwrap().on_timeline;
    assert!(!on_timeline(&app));
    press(&mut app, &mut store, code(KeyCode::Tab));
    assert!(on_timeline(&app), "Tab: the timeline");
    assert!(app.invoice.as_ref().unwrap().selected_entry().is_some());
    press(&mut app, &mut store, code(KeyCode::Tab));
    assert!(!on_timeline(&app), "and back to the invoice");
}
