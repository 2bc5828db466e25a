use super::*;
use proptest::prelude::*;
use rust_decimal::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn row(j: Jurisdiction, from: &str, rate: Decimal) -> RateRow {
    RateRow {
        jurisdiction: j,
        kind: RateKind::B2b,
        from: d(from),
        reference: None,
        rate,
        source: "test".into(),
        verified: true,
    }
}

fn table() -> RateTable {
    RateTable::new([
        row(Jurisdiction::Be, "2024-01-01", dec!(12.50)),
        row(Jurisdiction::Be, "2024-07-01", dec!(12.50)),
        row(Jurisdiction::Be, "2025-01-01", dec!(11.50)),
        row(Jurisdiction::Be, "2025-07-01", dec!(10.50)),
        row(Jurisdiction::Nl, "2025-01-01", dec!(11.15)),
    ])
    .unwrap()
}

#[test]
fn crosses_a_rate_change_with_a_partial_payment() {
    // €1,000 due 15 Dec 2024, €400 paid on 10 Feb 2025, claimed as of 31 Mar 2025.
    //   16 Dec – 31 Dec 2024: 16 days × 1,000 × 12.50 % / 365 =  5.479452…
    //    1 Jan – 10 Feb 2025: 41 days × 1,000 × 11.50 % / 365 = 12.917808…
    //   11 Feb – 31 Mar 2025: 49 days ×   600 × 11.50 % / 365 =  9.263013…
    //   total 1,009,600 / 36,500 = 27.660273… → 27.66
    let i = simple_interest(
        &table(),
        Jurisdiction::Be,
        RateKind::B2b,
        dec!(1000),
        &[(d("2025-02-10"), dec!(400))],
        d("2024-12-16"),
        d("2025-03-31"),
    )
    .unwrap();
    let summary: Vec<_> = i.lines.iter().map(|l| (l.from, l.to, l.days, l.principal, l.rate)).collect();
    assert_eq!(
        summary,
        vec![
            (d("2024-12-16"), d("2024-12-31"), 16, dec!(1000), dec!(12.50)),
            (d("2025-01-01"), d("2025-02-10"), 41, dec!(1000), dec!(11.50)),
            (d("2025-02-11"), d("2025-03-31"), 49, dec!(600), dec!(11.50)),
        ]
    );
    assert!((i.exact - dec!(1009600) / dec!(36500)).abs() < dec!(0.000000000000000001));
    assert_eq!(i.total, dec!(27.66));
    assert!(i.warnings.is_empty());
}

#[test]
fn same_rate_half_years_merge_into_one_line() {
    // 2024 H1 and H2 are both 12.50 %: one line of 366 days (2024 is a leap year).
    let i = simple_interest(
        &table(),
        Jurisdiction::Be,
        RateKind::B2b,
        dec!(365),
        &[],
        d("2024-01-01"),
        d("2024-12-31"),
    )
    .unwrap();
    assert_eq!(i.lines.len(), 1);
    assert_eq!(i.lines[0].days, 366);
    // 365 × 12.5 % × 366 / 365 = 45.75
    assert_eq!(i.total, dec!(45.75));
}

#[test]
fn nothing_accrues_without_days_or_money() {
    let t = table();
    let none = simple_interest(
        &t,
        Jurisdiction::Be,
        RateKind::B2b,
        dec!(500),
        &[],
        d("2025-03-02"),
        d("2025-03-01"),
    )
    .unwrap();
    assert_eq!((none.total, none.lines.len()), (Decimal::ZERO, 0));
    let paid = simple_interest(
        &t,
        Jurisdiction::Be,
        RateKind::B2b,
        dec!(500),
        &[(d("2025-02-01"), dec!(500))],
        d("2025-03-01"),
        d("2025-03-31"),
    )
    .unwrap();
    assert_eq!(paid.total, Decimal::ZERO);
}

#[test]
fn missing_and_assumed_rates_are_reported() {
    let t = table();
    let err = simple_interest(
        &t,
        Jurisdiction::Nl,
        RateKind::B2b,
        dec!(100),
        &[],
        d("2024-12-30"),
        d("2025-01-02"),
    );
    assert!(matches!(err, Err(RateError::NoRate { day, .. }) if day == d("2024-12-30")));
    // Past the end of the table the last rate is used, and said so.
    let late = simple_interest(
        &t,
        Jurisdiction::Nl,
        RateKind::B2b,
        dec!(100),
        &[],
        d("2026-01-01"),
        d("2026-01-10"),
    )
    .unwrap();
    assert_eq!(late.lines[0].rate, dec!(11.15));
    assert!(late.warnings[0].contains("no NL rate in the table for the half-year from 2026-01-01"));
    let mut unverified = row(Jurisdiction::Nl, "2025-07-01", dec!(10.15));
    unverified.verified = false;
    let t = RateTable::new(t.rows().iter().cloned().chain([unverified])).unwrap();
    let i = simple_interest(
        &t,
        Jurisdiction::Nl,
        RateKind::B2b,
        dec!(100),
        &[],
        d("2025-07-01"),
        d("2025-07-02"),
    )
    .unwrap();
    assert!(i.warnings[0].contains("is not verified"), "{:?}", i.warnings);
}

#[test]
fn user_rows_replace_shipped_ones_and_bad_rows_are_refused() {
    let t =
        RateTable::new(table().rows().iter().cloned().chain([row(Jurisdiction::Be, "2025-07-01", dec!(9))]))
            .unwrap();
    assert_eq!(t.row_on(Jurisdiction::Be, RateKind::B2b, d("2025-08-01")).unwrap().rate, dec!(9));
    assert_eq!(t.rows().len(), table().rows().len());
    assert_eq!(
        RateTable::new([row(Jurisdiction::Be, "2025-03-01", dec!(9))]),
        Err(RateError::NotHalfYear(d("2025-03-01")))
    );
    assert!(RateTable::new([row(Jurisdiction::Be, "2025-01-01", dec!(-1))]).is_err());
}

fn day_strategy() -> impl Strategy<Value = NaiveDate> {
    (0i64..900).prop_map(|n| add_days(d("2024-01-01"), n))
}

proptest! {
    #[test]
    fn interest_over_a_split_period_is_the_sum_of_its_parts(
        a in day_strategy(), len in 0i64..500, cut in 0i64..500,
        cents in 1i64..10_000_000, paid in proptest::collection::vec((day_strategy(), 1i64..100_000), 0..4),
    ) {
        let t = table();
        let principal = Decimal::new(cents, 2);
        let reductions: Vec<_> = paid.iter().map(|(on, c)| (*on, Decimal::new(*c, 2))).collect();
        let b = add_days(a, len);
        let m = add_days(a, cut.min(len));
        let run = |s, e| simple_interest(&t, Jurisdiction::Be, RateKind::B2b, principal, &reductions, s, e).unwrap();
        let whole = run(a, b);
        let left = run(a, m);
        let right = run(add_days(m, 1), b);
        // Exact up to Decimal's 28 digits; the rounded totals differ by at most a cent.
        prop_assert!((whole.exact - left.exact - right.exact).abs() < dec!(0.000000001));
        prop_assert!((whole.total - left.total - right.total).abs() <= dec!(0.01));
        prop_assert_eq!(whole.lines.iter().map(|l| l.days).sum::<i64>() <= len + 1, true);
    }

    #[test]
    fn zero_days_give_zero(a in day_strategy(), cents in 0i64..10_000_000) {
        let i = simple_interest(&table(), Jurisdiction::Be, RateKind::B2b, Decimal::new(cents, 2), &[], a, add_days(a, -1))
            .unwrap();
        prop_assert_eq!(i.total, Decimal::ZERO);
    }
}
