use chrono::NaiveDate;
use rust_decimal::dec;

use super::*;
use crate::domain::alerts::{AlertFacts, AlertRules, OpenInvoice, evaluate};
use crate::domain::customer::Profile;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, Money};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An open invoice of a standard customer and the steps done on it (on its due date).
struct Inv {
    n: i64,
    customer: String,
    due: NaiveDate,
    steps_done: Vec<crate::domain::policy::Step>,
}

fn invoice(n: i64, customer: &str, due: &str) -> Inv {
    Inv { n, customer: customer.into(), due: d(due), steps_done: vec![] }
}

fn alerts(invoices: Vec<Inv>, today: &str) -> Vec<Alert> {
    use crate::domain::ladder::{DoneStep, Facts, LetterTerms, evaluate as stand};
    let policy = crate::domain::policy::Policy::default();
    let invoices = invoices
        .into_iter()
        .map(|i| {
            let done: Vec<DoneStep> =
                i.steps_done.iter().map(|s| DoneStep { step: *s, on: i.due, channel: None }).collect();
            let facts = Facts {
                ladder: &policy.standard,
                due: i.due,
                open: true,
                done: &done,
                pauses: &[],
                attempts: &[],
                customer_reached: None,
                terms: LetterTerms::default(),
            };
            OpenInvoice {
                id: InvoiceId(i.n),
                number: format!("2026-{:03}", i.n),
                customer: i.customer,
                profile: Profile::Standard,
                due: i.due,
                amount: Money::new(dec!(1250), Currency::EUR),
                open: dec!(1250),
                standing: stand(&facts, d(today)),
            }
        })
        .collect();
    evaluate(&AlertFacts { invoices, agreements: vec![] }, &AlertRules::default(), d(today))
}

#[test]
fn one_alert_one_notification() {
    let m = messages(&alerts(vec![invoice(41, "Acme BV", "2026-11-22")], "2026-11-23"));
    assert_eq!(
        m,
        vec![Message {
            title: "Invoice overdue".into(),
            body: "Acme BV — invoice 2026-041, €1,250.00, 1 day overdue".into(),
            urgency: Urgency::Normal,
        }]
    );
}

#[test]
fn alerts_on_one_invoice_share_one_notification() {
    // Overdue, and the standard reminder falls due the same day.
    let a = alerts(vec![invoice(41, "Acme BV", "2026-11-20")], "2026-11-23");
    assert_eq!(a.len(), 2);
    let m = messages(&a);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].title, "Invoice overdue · Reminder due");
    assert_eq!(m[0].body, "Acme BV — invoice 2026-041, €1,250.00, 3 days overdue\nReminder due today.");
}

#[test]
fn five_invoices_are_five_notifications_six_are_one_summary() {
    let five: Vec<Inv> = (1..=5).map(|n| invoice(n, &format!("Customer {n}"), "2026-11-22")).collect();
    assert_eq!(messages(&alerts(five, "2026-11-23")).len(), 5);

    let mut seven: Vec<Inv> = (1..=6).map(|n| invoice(n, &format!("Customer {n}"), "2026-11-22")).collect();
    let mut critical = invoice(7, "Late NV", "2026-10-01");
    critical.steps_done = vec![crate::domain::policy::Step::FirmReminder];
    seven.push(critical);
    let m = messages(&alerts(seven, "2026-11-23"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].title, "7 invoices need attention");
    assert_eq!(m[0].urgency, Urgency::Critical, "the summary is as urgent as its most urgent alert");
    let lines: Vec<&str> = m[0].body.lines().collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0], "Late NV — 2026-007: Formal notice due, Invoice overdue");
    assert_eq!(lines[1], "Customer 1 — 2026-001: Invoice overdue");
    assert_eq!(lines[5], "… and 2 more: run `settle` to see them all.");
}

#[test]
fn nothing_to_send_is_not_an_error() {
    assert!(send(vec![], Duration::from_millis(1)).is_empty());
}

#[test]
fn errors_are_sorted_into_no_bus_and_no_server() {
    assert!(matches!(
        classify("I/O error: failed to connect to unix:path=/nonexistent: No such file or directory".into()),
        NotifyError::NoBus(_)
    ));
    assert!(matches!(
        classify("org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable".into()),
        NotifyError::NoServer(_)
    ));
    assert_eq!(
        NotifyError::Timeout(Duration::from_secs(4)).to_string(),
        "the session bus did not answer within 4 s"
    );
}

#[test]
fn markup_characters_are_escaped() {
    assert_eq!(escape_markup("Smith & Sons <BV>"), "Smith &amp; Sons &lt;BV&gt;");
}
