use super::*;
use crate::domain::customer::NewCustomer;
use crate::domain::invoice::PaymentKind;
use crate::domain::invoice::{NewInvoice, NewPayment};
use crate::domain::money::{Currency, Money};
use crate::domain::policy::Step;
use rust_decimal::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn book() -> (Store, InvoiceId) {
    let store = Store::open_in_memory().unwrap();
    let c = store.add_customer(&NewCustomer::named("Bakkerij Peeters BV")).unwrap();
    let id = store
        .add_invoice(&NewInvoice {
            number: "2026-041".into(),
            customer_id: c,
            issued: d("2026-10-01"),
            due: d("2026-10-31"),
            amount: Money::new(dec!(1250), Currency::EUR),
            description: String::new(),
            reference: None,
        })
        .unwrap();
    (store, id)
}

#[test]
fn a_disputed_invoice_is_not_handed_to_an_agency_and_the_refusal_says_why() {
    let (store, id) = book();
    store.set_dispute(id, true, d("2026-11-05"), "says the renderings were late").unwrap();
    let e = store.record_step(id, Step::Agency, d("2026-12-20"), None, "").unwrap_err().to_string();
    assert!(
        e.contains("invoice 2026-041 is disputed since 2026-11-05 (says the renderings were late)"),
        "{e}"
    );
    assert!(e.contains("Resolve the dispute"), "{e}");
    assert!(store.invoice(id).unwrap().steps_done.is_empty());
    // Other steps are still allowed while disputed; once resolved, the agency too.
    store.record_step(id, Step::Reminder, d("2026-11-03"), Some(Channel::Email), "").unwrap();
    store.set_dispute(id, false, d("2026-12-01"), "credit note agreed").unwrap();
    store.record_step(id, Step::Agency, d("2026-12-20"), Some(Channel::Letter), "").unwrap();
}

#[test]
fn a_letter_step_is_never_recorded_twice_but_calls_repeat() {
    let (store, id) = book();
    store.record_step(id, Step::Reminder, d("2026-11-03"), Some(Channel::Email), "").unwrap();
    let e = store.record_step(id, Step::Reminder, d("2026-11-04"), Some(Channel::Email), "").unwrap_err();
    assert!(e.to_string().contains("'Reminder sent' was already recorded on 2026-11-03"), "{e}");
    store.record_step(id, Step::Call, d("2026-11-10"), Some(Channel::Phone), "no answer").unwrap();
    store.record_step(id, Step::Call, d("2026-11-11"), Some(Channel::Phone), "promise").unwrap();
    let kinds: Vec<_> = store.timeline(id).unwrap().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::ReminderSent, EventKind::CallLogged, EventKind::CallLogged]);
}

#[test]
fn a_failed_finish_records_nothing() {
    let (store, id) = book();
    let r = store.record_sent(id, EventKind::ReminderSent, d("2026-11-03"), None, "", None, || {
        Err(StoreError::Invalid("disk full".into()))
    });
    assert!(r.is_err());
    assert!(store.timeline(id).unwrap().is_empty());
    assert!(store.invoice(id).unwrap().steps_done.is_empty());
}

#[test]
fn registered_mail_and_its_receipt() {
    let (store, id) = book();
    assert!(store.set_notice_received(id, d("2026-12-03")).is_err());
    store
        .record_sent(
            id,
            EventKind::FormalNoticeSent,
            d("2026-12-01"),
            Some(Channel::Letter),
            "",
            Some("RR 1234 5678 9BE"),
            || Ok(()),
        )
        .unwrap();
    let m = store.registered_mail(id).unwrap().unwrap();
    assert_eq!((m.sent, m.tracking.as_str(), m.received), (d("2026-12-01"), "RR 1234 5678 9BE", None));
    assert!(store.set_notice_received(id, d("2026-11-30")).is_err());
    store.set_notice_received(id, d("2026-12-03")).unwrap();
    assert_eq!(store.registered_mail(id).unwrap().unwrap().received, Some(d("2026-12-03")));
    assert!(store.set_notice_received(id, d("2026-12-04")).is_err());
    assert_eq!(store.timeline(id).unwrap().last().unwrap().kind, EventKind::NoticeReceived);
}

/// The invoices Today proposes a thank-you for, paid in the month before 30 November.
fn thank_yous(store: &Store) -> Vec<String> {
    store.thank_yous_due(d("2026-10-31"), d("2026-11-30")).unwrap().into_iter().map(|t| t.number).collect()
}

#[test]
fn thank_you_is_proposed_once_after_a_reminded_payment() {
    let (store, id) = book();
    let pay = |amount| NewPayment {
        invoice: id,
        on: d("2026-11-20"),
        amount,
        kind: PaymentKind::Payment,
        method: None,
        note: String::new(),
    };
    store.record_step(id, Step::Nudge, d("2026-10-28"), Some(Channel::Email), "").unwrap();
    store.add_payment(&pay(dec!(250))).unwrap();
    assert!(thank_yous(&store).is_empty(), "still open");
    store.record_step(id, Step::Reminder, d("2026-11-03"), Some(Channel::Email), "").unwrap();
    store.add_payment(&pay(dec!(1000))).unwrap();
    assert_eq!(thank_yous(&store), ["2026-041"]);
    assert_eq!(
        store.payments(id).unwrap().iter().map(|p| p.amount).collect::<Vec<_>>(),
        [dec!(250), dec!(1000)]
    );
    store
        .record_sent(id, EventKind::ThankYouSent, d("2026-11-21"), Some(Channel::Email), "", None, || Ok(()))
        .unwrap();
    assert!(thank_yous(&store).is_empty());
    assert!(
        store.record_sent(id, EventKind::ThankYouSent, d("2026-11-22"), None, "", None, || Ok(())).is_err()
    );
}
