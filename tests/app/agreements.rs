//! Today with phone agreements: a promise pauses the ladder, is on Today the day it falls
//! due, and once broken (after the grace) is chased and the next step is due at once.

use chrono::NaiveDate;
use rust_decimal::dec;
use settle::app::App;
use settle::app::screen_data::AgendaLine;
use settle::config::Config;
use settle::domain::call::CallOutcome;
use settle::domain::call_form::{CallContext, CallForm};
use settle::domain::customer::{CustomerId, NewCustomer};
use settle::domain::invoice::InvoiceId;
use settle::domain::invoice::NewInvoice;
use settle::domain::money::{Currency, Money};
use settle::store::Store;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Every agenda line as "Section: what — why".
fn today_lines(store: &Store, day: &str) -> Vec<String> {
    let app = App::start(store, d(day)).unwrap();
    let mut section = String::new();
    let mut lines = Vec::new();
    for (i, line) in app.book.agenda.iter().enumerate() {
        match line {
            AgendaLine::Section(at) => section = app.book.title(*at).unwrap().title.clone(),
            AgendaLine::Item(_) => {
                let t = app.book.item_text(i).unwrap();
                lines.push(format!("{section}: {} — {}", t.what, t.why));
            }
            // Each invoice of a customer's group is a line of its own too.
            AgendaLine::Group(_) => {}
        }
    }
    lines
}

/// Invoice `number` of €800.00 due 1 November 2026 (issued 2 October).
fn invoice(store: &Store, customer: CustomerId, number: &str) -> InvoiceId {
    store
        .add_invoice(&NewInvoice {
            number: number.into(),
            customer_id: customer,
            issued: d("2026-10-02"),
            due: d("2026-11-01"),
            amount: Money::new(dec!(800), Currency::EUR),
            description: String::new(),
            reference: None,
        })
        .unwrap()
}

fn book_with_a_promise() -> Store {
    let store = Store::open_in_memory().unwrap();
    let c = store.add_customer(&NewCustomer::named("Acme BV")).unwrap();
    let invoice = invoice(&store, c, "2026-030");
    let ctx = CallContext { customer: c, invoice: Some(invoice), open: dec!(800), currency: Currency::EUR };
    let mut form = CallForm::new(None, dec!(800));
    form.set_outcome(CallOutcome::Promise);
    form.promise_date = "04/12/2026".into();
    store.log_call(&form.validate(&ctx, d("2026-11-23")).unwrap()).unwrap();
    store
}

#[test]
fn before_the_call_a_step_is_due() {
    let store = Store::open_in_memory().unwrap();
    let c = store.add_customer(&NewCustomer::named("Acme BV")).unwrap();
    invoice(&store, c, "2026-030");
    let lines = today_lines(&store, "2026-11-23");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("Steps due today or earlier: "), "{lines:?}");
}

#[test]
fn a_promise_pauses_the_ladder_until_it_falls_due() {
    let store = book_with_a_promise();
    assert_eq!(today_lines(&store, "2026-11-23"), Vec::<String>::new(), "the promise pauses every step");
    assert_eq!(today_lines(&store, "2026-12-03"), Vec::<String>::new());
}

#[test]
fn the_promised_day_puts_the_promise_on_today() {
    let store = book_with_a_promise();
    assert_eq!(
        today_lines(&store, "2026-12-04"),
        ["Promises and call-backs: Promise due: Acme BV — €800.00 promised for today"]
    );
    // Within the grace it stays a promise due, not yet a step.
    let grace = today_lines(&store, "2026-12-06");
    assert_eq!(grace.len(), 1, "{grace:?}");
    assert!(grace[0].contains("Promise due: Acme BV"), "{grace:?}");
}

#[test]
fn after_the_grace_the_promise_is_broken_and_the_next_step_is_due_at_once() {
    let store = book_with_a_promise();
    assert_eq!(
        today_lines(&store, "2026-12-07"),
        // One line for the invoice, with the step it resumes. The call reached the customer
        // (the call step is done); no letter was sent yet, so the step is the firm reminder
        // (the plain one passed over by the call), never the formal notice first.
        ["Promises and call-backs: Broken promise: Acme BV — €800.00 promised for Fri 4 Dec (3 days ago), \
             not received; escalation resumes; step due: firm reminder",]
    );
}

#[test]
fn a_reminded_invoice_paid_in_full_is_proposed_for_a_thank_you_once() {
    use settle::domain::event::{Channel, EventKind};
    use settle::domain::invoice::{NewPayment, PaymentKind};
    use settle::domain::policy::Step;
    let store = Store::open_in_memory().unwrap();
    let c = store.add_customer(&NewCustomer::named("Acme BV")).unwrap();
    let (reminded, quiet) = (invoice(&store, c, "2026-030"), invoice(&store, c, "2026-031"));
    store.record_step(reminded, Step::Reminder, d("2026-11-04"), Some(Channel::Email), "").unwrap();
    for id in [reminded, quiet] {
        let payment = NewPayment {
            invoice: id,
            on: d("2026-11-20"),
            amount: dec!(800),
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        };
        store.add_payment(&payment).unwrap();
    }
    // Both were paid 19 days late: interest from 2 Nov (2026 H2, 10.5 % in Belgium) and the
    // fixed €40 (law of 2 August 2002, art. 5 and 6): 800 × 10.5 % × 19 / 365 = 4.372603 →
    // €4.37 + €40 = €44.37 each, still claimable. A claim to decide comes before a thank-you.
    assert_eq!(
        today_lines(&store, "2026-11-23"),
        [
            "Interest and costs still claimable: Claim interest and costs from Acme BV — principal paid late; €44.37 interest and costs still claimable: claim them by letter or waive them",
            "Interest and costs still claimable: Claim interest and costs from Acme BV — principal paid late; €44.37 interest and costs still claimable: claim them by letter or waive them",
        ]
    );
    // The selected line's detail says the principal is paid and what is claimable, never
    // "€44.37 open" (the invoice is not open).
    let words = crate::support::screen_words(&App::start(&store, d("2026-11-23")).unwrap(), 120, 40);
    assert!(words.contains("Invoice 2026-030 · paid · €44.37 claimable · Enter opens it"), "{words}");
    // Waived on both: the reminded one is proposed for a thank-you, the other is done.
    let config = Config::default();
    for n in ["2026-030", "2026-031"] {
        settle::service::claims::close(
            &store,
            &config,
            n,
            settle::service::claims::Close::Waive,
            d("2026-11-23"),
            d("2026-11-23"),
            "good customer",
        )
        .unwrap();
    }
    assert_eq!(
        today_lines(&store, "2026-11-23"),
        [
            "Thank-yous to send: Thank Acme BV — paid in full after a reminder; a thank-you keeps the relationship warm"
        ],
        "only the invoice that needed a reminder"
    );
    let words = crate::support::screen_words(&App::start(&store, d("2026-11-23")).unwrap(), 120, 40);
    assert!(words.contains("Invoice 2026-030 · paid · Enter opens it"), "{words}");
    store
        .record_sent(
            reminded,
            EventKind::ThankYouSent,
            d("2026-11-23"),
            Some(Channel::Email),
            "Thank you",
            None,
            || Ok(()),
        )
        .unwrap();
    assert_eq!(today_lines(&store, "2026-11-23"), Vec::<String>::new(), "thanked once, never again");
}
