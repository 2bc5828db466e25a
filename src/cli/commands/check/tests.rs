use chrono::NaiveDate;
use rust_decimal::dec;

use super::*;
use crate::domain::alerts::{AlertFacts, AlertRules, OpenInvoice, evaluate};
use crate::domain::customer::Profile;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, Money};
use crate::platform::notify::{Message, NotifyError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One overdue alert per customer, in this order.
fn alerts(customers: &[&str]) -> Vec<Alert> {
    use crate::domain::ladder::{Facts, LetterTerms, evaluate as stand};
    let policy = crate::domain::policy::Policy::default();
    let facts = Facts {
        ladder: &policy.standard,
        due: d("2026-11-22"),
        open: true,
        done: &[],
        pauses: &[],
        attempts: &[],
        customer_reached: None,
        terms: LetterTerms::default(),
    };
    let standing = stand(&facts, d("2026-11-23"));
    let invoices = customers
        .iter()
        .enumerate()
        .map(|(n, c)| OpenInvoice {
            id: InvoiceId(n as i64 + 1),
            number: format!("2026-{:03}", n + 1),
            customer: (*c).into(),
            profile: Profile::Standard,
            due: d("2026-11-22"),
            amount: Money::new(dec!(100), Currency::EUR),
            open: dec!(100),
            standing,
        })
        .collect();
    evaluate(&AlertFacts { invoices, agreements: vec![] }, &AlertRules::default(), d("2026-11-23"))
}

fn args(quiet: bool) -> CheckArgs {
    CheckArgs { no_notify: false, quiet, install_timer: false, print_cron: false }
}

/// A desktop that refuses the notifications whose body names `refused`.
fn refusing(refused: &str) -> impl FnOnce(Vec<Message>) -> Vec<Result<(), NotifyError>> + '_ {
    move |messages| {
        messages
            .iter()
            .map(
                |m| {
                    if m.body.contains(refused) { Err(NotifyError::Failed("refused".into())) } else { Ok(()) }
                },
            )
            .collect()
    }
}

#[test]
fn one_failed_notification_does_not_stop_the_others_and_its_alerts_are_printed() {
    let fresh = alerts(&["Alpha", "Beta", "Gamma"]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let told = tell(fresh.as_slice(), &args(false), &mut out, &mut err, refusing("Beta"));
    assert_eq!(told.how, [Some(Told::Desktop), Some(Told::Printed), Some(Told::Desktop)]);
    assert_eq!(told.shown, 2);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), 3, "every alert is printed unless --quiet: {out}");
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.starts_with(
            "hint: 1 of 3 desktop notifications could not be shown (desktop notification failed (refused))"
        ),
        "{err}"
    );
    assert_eq!(
        summary(d("2026-11-23"), 0, &told),
        "settle check 2026-11-23: 3 new alerts, 2 shown as 2 desktop notifications, 1 printed above (1 desktop notification failed)."
    );
}

#[test]
fn quiet_prints_only_the_alerts_whose_notification_failed() {
    let fresh = alerts(&["Alpha", "Beta", "Gamma"]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let told = tell(fresh.as_slice(), &args(true), &mut out, &mut err, refusing("Beta"));
    assert_eq!(told.how, [Some(Told::Desktop), Some(Told::Printed), Some(Told::Desktop)]);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().collect::<Vec<_>>(), [fresh[1].line()]);
    assert!(err.is_empty());
}

/// Output that is closed: nothing printed reaches anyone.
struct Closed;

impl Write for Closed {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn an_alert_neither_shown_nor_printed_is_not_told() {
    let fresh = alerts(&["Alpha", "Beta"]);
    let told = tell(fresh.as_slice(), &args(true), &mut Closed, &mut Vec::new(), refusing("Beta"));
    assert_eq!(told.how, [Some(Told::Desktop), None]);
    assert!(told.error.is_some());
    let told = tell(fresh.as_slice(), &args(false), &mut Closed, &mut Vec::new(), |m| {
        vec![Err(NotifyError::NoBus("none".into())); m.len()]
    });
    assert_eq!(told.how, [None, None]);
}

#[test]
fn without_a_desktop_everything_is_printed_as_before() {
    let fresh = alerts(&["Alpha", "Beta"]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let told = tell(fresh.as_slice(), &args(false), &mut out, &mut err, |m| {
        vec![Err(NotifyError::NoBus("none".into())); m.len()]
    });
    assert_eq!(told.how, [Some(Told::Printed), Some(Told::Printed)]);
    assert!(
        String::from_utf8(err).unwrap().starts_with("hint: no desktop session bus (none); the alerts above")
    );
    assert_eq!(
        summary(d("2026-11-23"), 1, &told),
        "settle check 2026-11-23: 2 new alerts, printed above; 1 already told."
    );
}
