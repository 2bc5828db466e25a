use super::*;
use crate::domain::agreement::AgreementKind;
use rust_decimal::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-23"; // a Monday

fn ctx() -> CallContext {
    CallContext {
        customer: CustomerId(3),
        invoice: Some(InvoiceId(9)),
        open: dec!(1000.00),
        currency: Currency::EUR,
    }
}

fn form(outcome: CallOutcome) -> CallForm {
    let mut f = CallForm::new(Some("Jan Peeters"), dec!(1000.00));
    f.set_outcome(outcome);
    f
}

fn fields_in_error(r: Result<NewCall, Vec<FieldError>>) -> Vec<Field> {
    r.unwrap_err().into_iter().map(|e| e.field).collect()
}

#[test]
fn every_date_shortcut_reads_back_next_to_the_field() {
    let mut f = form(CallOutcome::Promise);
    for (typed, shown) in [
        ("2026-12-05", "Sat 5 Dec 2026"),
        ("05/12/2026", "Sat 5 Dec 2026"),
        ("+7", "Mon 30 Nov 2026"),
        ("fri", "Fri 27 Nov 2026"),
        ("mon", "Mon 30 Nov 2026"),
        ("eom", "Mon 30 Nov 2026"),
    ] {
        f.promise_date = typed.into();
        assert_eq!(
            f.hint(Field::PromiseDate, d(TODAY), Currency::EUR),
            Some(Ok(shown.to_string())),
            "{typed}"
        );
    }
    f.promise_date = "31/02/2026".into();
    assert!(matches!(f.hint(Field::PromiseDate, d(TODAY), Currency::EUR), Some(Err(_))));
    f.promise_date.clear();
    assert_eq!(f.hint(Field::PromiseDate, d(TODAY), Currency::EUR), None);
}

#[test]
fn a_promise_becomes_a_call_with_its_agreement() {
    let mut f = form(CallOutcome::Promise);
    f.promise_date = "fri".into();
    f.amount = "500".into();
    f.note = "  will pay after their own customer pays  ".into();
    let call = f.validate(&ctx(), d(TODAY)).unwrap();
    assert!(call.reached);
    assert_eq!(call.with.as_deref(), Some("Jan Peeters"));
    assert_eq!(call.note, "will pay after their own customer pays");
    let a = call.agreement.unwrap();
    assert_eq!(a.kind, AgreementKind::Promise);
    assert_eq!(a.instalments, vec![(d("2026-11-27"), dec!(500))]);
}

#[test]
fn a_promise_needs_a_date_ahead_and_an_amount_within_the_open_amount() {
    let mut f = form(CallOutcome::Promise);
    f.amount = "1.000,01".into();
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::Amount, Field::PromiseDate]);
    f.promise_date = "2026-11-20".into();
    f.amount = "abc".into();
    let errs = f.validate(&ctx(), d(TODAY)).unwrap_err();
    assert_eq!(errs.len(), 2);
    assert!(errs.iter().any(|e| e.field == Field::PromiseDate && e.message.contains("in the past")));
}

#[test]
fn a_plan_defaults_to_three_every_thirty_days() {
    let f = form(CallOutcome::Plan);
    assert_eq!(f.hint(Field::FirstDue, d(TODAY), Currency::EUR), Some(Ok("Wed 23 Dec 2026".into())));
    let call = f.validate(&ctx(), d(TODAY)).unwrap();
    let a = call.agreement.unwrap();
    assert_eq!(a.kind, AgreementKind::Plan);
    let amounts: Vec<Decimal> = a.instalments.iter().map(|(_, a)| *a).collect();
    assert_eq!(amounts, vec![dec!(333.33), dec!(333.33), dec!(333.34)]);
    assert_eq!(a.instalments[0].0, d("2026-12-23"));
    assert_eq!(a.instalments[2].0, d("2027-02-21"));
}

#[test]
fn a_plan_on_explicit_dates_wins_over_the_count() {
    let mut f = form(CallOutcome::Plan);
    f.dates = "+7, 2026-12-31 eom".into();
    assert!(matches!(f.validate(&ctx(), d(TODAY)), Err(e) if e[0].field == Field::Dates));
    f.dates = "+7, 2026-12-31; 31/01/2027".into();
    assert_eq!(f.hint(Field::Dates, d(TODAY), Currency::EUR), Some(Ok("30 Nov, 31 Dec, 31 Jan".into())));
    let a = f.validate(&ctx(), d(TODAY)).unwrap().agreement.unwrap();
    assert_eq!(a.instalments.len(), 3);
    assert_eq!(a.instalments[1], (d("2026-12-31"), dec!(333.33)));
}

#[test]
fn plan_fields_are_checked() {
    let mut f = form(CallOutcome::Plan);
    f.instalments = "1".into();
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::Instalments]);
    f.instalments = "three".into();
    f.every = "0".into();
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::Instalments]);
    f.instalments = "3".into();
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::Every]);
}

#[test]
fn outcomes_decide_reached_and_their_follow_up() {
    let f = form(CallOutcome::NoAnswer);
    assert!(!f.reached);
    assert!(!f.fields().contains(&Field::With));
    let call = f.validate(&ctx(), d(TODAY)).unwrap();
    assert_eq!((call.reached, call.with, call.agreement), (false, None, None));

    let f = form(CallOutcome::Callback);
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::FollowUp]);

    let mut f = form(CallOutcome::AlreadyPaid);
    assert_eq!(f.follow_up, "+3");
    f.paid_on = "+1".into();
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::PaidOn]);
    f.paid_on = "20/11/2026".into();
    f.paid_ref = "+++090/9337/55493+++".into();
    let call = f.validate(&ctx(), d(TODAY)).unwrap();
    assert_eq!(call.follow_up, Some(d("2026-11-26")));
    assert_eq!(call.claimed_paid_on, Some(d("2026-11-20")));

    let mut f = form(CallOutcome::Dispute);
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::Note]);
    f.note = "the second delivery was incomplete".into();
    assert!(f.validate(&ctx(), d(TODAY)).is_ok());
}

#[test]
fn reached_must_match_the_outcome() {
    let mut f = form(CallOutcome::Refused);
    f.reached = false;
    assert_eq!(fields_in_error(f.validate(&ctx(), d(TODAY))), vec![Field::Reached]);
    let empty = CallForm::new(None, dec!(0));
    assert_eq!(fields_in_error(empty.validate(&ctx(), d(TODAY))), vec![Field::Outcome]);
}

#[test]
fn agreements_need_an_invoice() {
    let mut f = form(CallOutcome::Promise);
    f.promise_date = "+3".into();
    let on_customer = CallContext { invoice: None, ..ctx() };
    assert_eq!(fields_in_error(f.validate(&on_customer, d(TODAY))), vec![Field::Outcome]);
}

#[test]
fn the_form_builds_calls_the_domain_accepts() {
    for o in CallOutcome::ALL {
        let mut f = form(*o);
        f.promise_date = "+5".into();
        f.follow_up = "+2".into();
        f.note = "noted".into();
        let call = f.validate(&ctx(), d(TODAY)).unwrap();
        assert_eq!(call.validate(), Ok(()), "{o}");
    }
}
