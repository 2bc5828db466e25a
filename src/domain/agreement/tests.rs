use super::*;
use proptest::prelude::*;
use rust_decimal::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn agreement(instalments: &[(&str, Decimal)]) -> Agreement {
    Agreement {
        id: AgreementId(1),
        invoice: InvoiceId(1),
        call: None,
        kind: if instalments.len() == 1 { AgreementKind::Promise } else { AgreementKind::Plan },
        made_on: d("2026-11-23"),
        total: instalments.iter().map(|(_, a)| *a).sum(),
        confirmed_on: None,
        ended_on: None,
        instalments: instalments
            .iter()
            .enumerate()
            .map(|(n, (due, amount))| Instalment {
                seq: u32::try_from(n + 1).unwrap(),
                due: d(due),
                amount: *amount,
                paid: vec![],
            })
            .collect(),
    }
}

fn pay(a: &mut Agreement, seq: usize, on: &str, amount: Decimal) {
    a.instalments[seq - 1].paid.push(Allocation { on: d(on), amount });
}

#[test]
fn awkward_totals_split_exactly_with_the_rounding_last() {
    assert_eq!(split_evenly(100_000, 3).unwrap(), vec![33_333, 33_333, 33_334]);
    assert_eq!(split_evenly(1, 1).unwrap(), vec![1]);
    assert_eq!(split_evenly(200, 7).unwrap(), vec![28, 28, 28, 28, 28, 28, 32]);
    assert!(matches!(split_evenly(2, 3), Err(AgreementError::TooSmall { .. })));
    assert!(split_evenly(0, 3).is_err());
}

#[test]
fn a_plan_every_k_days_from_a_first_date() {
    let s = Schedule::Every { count: 3, every_days: 30, first: d("2026-12-01") };
    let plan = NewAgreement::plan(dec!(1000.00), &s).unwrap();
    assert_eq!(
        plan.instalments,
        vec![
            (d("2026-12-01"), dec!(333.33)),
            (d("2026-12-31"), dec!(333.33)),
            (d("2027-01-30"), dec!(333.34))
        ]
    );
    assert!(plan.validate(d("2026-11-23")).is_ok());
    assert_eq!(plan.describe("€"), "3 instalments from 2026-12-01 to 2027-01-30: 2 × €333.33, last €333.34");
}

#[test]
fn plan_dates_are_checked() {
    let every = |count, every_days| Schedule::Every { count, every_days, first: d("2026-12-01") };
    assert_eq!(every(1, 30).dates(), Err(AgreementError::TooFew(1)));
    assert_eq!(every(61, 30).dates(), Err(AgreementError::TooMany(61)));
    assert_eq!(every(3, 0).dates(), Err(AgreementError::ZeroInterval));
    let unordered = Schedule::Dates(vec![d("2026-12-10"), d("2026-12-10")]);
    assert_eq!(unordered.dates(), Err(AgreementError::DatesOutOfOrder(d("2026-12-10"))));
    let explicit = Schedule::Dates(vec![d("2026-12-05"), d("2027-01-05")]);
    let plan = NewAgreement::plan(dec!(99.99), &explicit).unwrap();
    assert_eq!(plan.instalments, vec![(d("2026-12-05"), dec!(49.99)), (d("2027-01-05"), dec!(50.00))]);
    assert_eq!(plan.validate(d("2026-12-06")), Err(AgreementError::InThePast(d("2026-12-05"))));
}

#[test]
fn a_promise_is_due_on_its_day_and_broken_the_day_after_the_grace() {
    let a = agreement(&[("2026-12-05", dec!(500))]);
    let status = |day: &str| a.status(d(day), 2, false);
    assert_eq!(
        status("2026-12-04"),
        AgreementStatus::OnSchedule { next_due: d("2026-12-05"), amount: dec!(500) }
    );
    let due = AgreementStatus::Due { on: d("2026-12-05"), amount: dec!(500), grace_until: d("2026-12-07") };
    assert_eq!(status("2026-12-05"), due);
    assert_eq!(status("2026-12-07"), due, "the last day of the grace is not broken yet");
    assert_eq!(
        status("2026-12-08"),
        AgreementStatus::Broken { since: d("2026-12-08"), missed_due: d("2026-12-05"), amount: dec!(500) }
    );
    // A grace of zero days breaks it the day after the promised date.
    assert!(matches!(a.status(d("2026-12-06"), 0, false), AgreementStatus::Broken { .. }));
}

#[test]
fn a_promise_paid_in_time_is_kept_and_a_late_one_counts_as_broken() {
    let mut a = agreement(&[("2026-12-05", dec!(500))]);
    pay(&mut a, 1, "2026-12-06", dec!(500));
    assert_eq!(a.status(d("2026-12-10"), 2, true), AgreementStatus::Kept { on: d("2026-12-06") });
    assert_eq!(a.kept(d("2026-12-10"), 2), Some(true));
    // Paid on 2026-12-09, after the grace: the invoice is paid but the word was not kept.
    let mut late = agreement(&[("2026-12-05", dec!(500))]);
    pay(&mut late, 1, "2026-12-09", dec!(500));
    assert_eq!(late.status(d("2026-12-08"), 2, false).label(), "broken");
    assert_eq!(late.status(d("2026-12-10"), 2, true), AgreementStatus::Kept { on: d("2026-12-09") });
    assert_eq!(late.kept(d("2026-12-10"), 2), Some(false));
    // Still open: no verdict yet.
    assert_eq!(agreement(&[("2026-12-05", dec!(500))]).kept(d("2026-12-06"), 2), None);
}

#[test]
fn a_plan_stays_on_schedule_while_each_instalment_is_paid() {
    let mut a = agreement(&[("2026-12-01", dec!(100)), ("2026-12-31", dec!(100)), ("2027-01-30", dec!(100))]);
    pay(&mut a, 1, "2026-12-01", dec!(100));
    assert_eq!(
        a.status(d("2026-12-15"), 2, false),
        AgreementStatus::OnSchedule { next_due: d("2026-12-31"), amount: dec!(100) }
    );
    // Half of the second one paid: it is missed for the other half.
    pay(&mut a, 2, "2026-12-30", dec!(50));
    assert_eq!(
        a.status(d("2027-01-03"), 2, false),
        AgreementStatus::Broken { since: d("2027-01-03"), missed_due: d("2026-12-31"), amount: dec!(50) }
    );
    assert_eq!(a.open_on(d("2027-01-03")), dec!(150));
}

#[test]
fn replaced_and_otherwise_settled_agreements_ask_nothing() {
    let mut a = agreement(&[("2026-12-05", dec!(500))]);
    a.ended_on = Some(d("2026-12-09"));
    assert!(a.status(d("2026-12-08"), 2, false).is_active());
    assert_eq!(a.status(d("2026-12-09"), 2, false), AgreementStatus::Superseded { on: d("2026-12-09") });
    assert_eq!(a.kept(d("2026-12-09"), 2), Some(false), "it was broken before it was replaced");
    let mut early = agreement(&[("2026-12-05", dec!(500))]);
    early.ended_on = Some(d("2026-12-01"));
    assert_eq!(early.kept(d("2026-12-20"), 2), None, "replaced before it fell due");
    let a = agreement(&[("2026-12-05", dec!(500))]);
    assert_eq!(a.status(d("2026-12-20"), 2, true), AgreementStatus::Closed);
}

#[test]
fn payments_go_to_the_oldest_open_instalment_first() {
    assert_eq!(allocate(&[0, 100, 100], 150), vec![(1, 100), (2, 50)]);
    assert_eq!(allocate(&[30, 100], 500), vec![(0, 30), (1, 100)]);
    assert_eq!(allocate(&[30, 100], 0), vec![]);
}

fn schedule() -> impl Strategy<Value = (i64, u32)> {
    (1i64..=10_000_000_000, 2u32..=MAX_INSTALMENTS)
        .prop_filter("at least a cent each", |(t, n)| *t >= i64::from(*n))
}

proptest! {
    #[test]
    fn splits_add_up_exactly((total, n) in schedule()) {
        let parts = split_evenly(total, n).unwrap();
        prop_assert_eq!(parts.len(), n as usize);
        prop_assert_eq!(parts.iter().sum::<i64>(), total);
        let first = parts[0];
        prop_assert!(parts[..parts.len() - 1].iter().all(|p| *p == first));
        let last = parts[parts.len() - 1];
        prop_assert!(first > 0 && last >= first && last - first < i64::from(n));
    }

    #[test]
    fn plans_add_up_and_validate((total, n) in schedule(), every in 1u32..=92) {
        let first = d("2026-11-30");
        let plan = NewAgreement::plan(from_cents(total), &Schedule::Every { count: n, every_days: every, first }).unwrap();
        prop_assert_eq!(plan.instalments.iter().map(|(_, a)| *a).sum::<Decimal>(), from_cents(total));
        prop_assert!(plan.validate(first).is_ok());
    }

    #[test]
    fn allocation_conserves_money_and_fills_in_order(
        remaining in proptest::collection::vec(0i64..100_000, 0..12),
        cents in 0i64..1_000_000,
    ) {
        let parts = allocate(&remaining, cents);
        let applied: i64 = parts.iter().map(|(_, c)| c).sum();
        prop_assert_eq!(applied, cents.min(remaining.iter().sum()));
        for (i, c) in &parts {
            prop_assert!(*c <= remaining[*i]);
        }
        // Every instalment before the last one touched is filled completely.
        if let Some((last, _)) = parts.last() {
            for (i, r) in remaining.iter().enumerate().take(*last) {
                let got = parts.iter().find(|(j, _)| *j == i).map_or(0, |(_, c)| *c);
                prop_assert_eq!(got, *r);
            }
        }
    }

    #[test]
    fn status_follows_the_calendar(offset in -10i64..20, grace in 0u32..5, paid_on in proptest::option::of(-5i64..20)) {
        let due = d("2026-12-05");
        let mut a = agreement(&[("2026-12-05", dec!(100))]);
        if let Some(p) = paid_on {
            a.instalments[0].paid.push(Allocation { on: add_days(due, p), amount: dec!(100) });
        }
        let as_of = add_days(due, offset);
        let status = a.status(as_of, grace, false);
        let paid_by_then = paid_on.is_some_and(|p| p <= offset);
        let expected = if paid_by_then {
            "kept"
        } else if offset < 0 {
            "on schedule"
        } else if offset <= i64::from(grace) {
            "due"
        } else {
            "broken"
        };
        prop_assert_eq!(status.label(), expected);
    }
}
