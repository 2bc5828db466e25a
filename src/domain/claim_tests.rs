use super::*;
use crate::domain::interest::RateRow;
use rust_decimal::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn table() -> RateTable {
    let row = |j, from: &str, rate| RateRow {
        jurisdiction: j,
        kind: RateKind::B2b,
        from: d(from),
        reference: None,
        rate,
        source: "test".into(),
        verified: true,
    };
    RateTable::new([
        row(Jurisdiction::Be, "2024-07-01", dec!(12.50)),
        row(Jurisdiction::Be, "2025-01-01", dec!(11.50)),
        row(Jurisdiction::Nl, "2024-07-01", dec!(12.25)),
        row(Jurisdiction::Nl, "2025-01-01", dec!(11.15)),
    ])
    .unwrap()
}

fn input<'a>(j: Jurisdiction, kind: CustomerKind, reductions: &'a [(NaiveDate, Decimal)]) -> ClaimInput<'a> {
    ClaimInput {
        jurisdiction: j,
        kind,
        currency: Currency::EUR,
        amount: dec!(1000),
        issued: d("2024-11-15"),
        due: d("2024-12-15"),
        reductions,
        as_of: d("2025-03-31"),
        first_reminder: None,
    }
}

#[test]
fn belgian_business_claim_crosses_a_rate_change_after_a_partial_payment() {
    let paid = [(d("2025-02-10"), dec!(400))];
    let c = assess(&table(), &input(Jurisdiction::Be, CustomerKind::Business, &paid)).unwrap();
    assert!(c.lawful);
    assert_eq!(c.charges_from, Some(d("2024-12-16")));
    assert_eq!(c.open, dec!(600));
    // 5.479452 + 12.917808 + 9.263014 (see interest_tests) = 27.66; plus €40.
    assert_eq!(c.interest_total(), dec!(27.66));
    assert_eq!(c.compensation_total(), dec!(40));
    assert_eq!(c.total, dec!(667.66));
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn dutch_business_claim_uses_the_wik_scale() {
    let c = assess(&table(), &input(Jurisdiction::Nl, CustomerKind::Business, &[])).unwrap();
    // 1,000 × 12.25 % × 16 / 365 + 1,000 × 11.15 % × 90 / 365 = 5.369863 + 27.493151 = 32.863014
    assert_eq!(c.interest_total(), dec!(32.86));
    // 15 % × 1,000 = 150.
    assert_eq!(c.compensation_total(), dec!(150));
    assert_eq!(c.total, dec!(1182.86));
}

#[test]
fn belgian_consumer_owes_nothing_until_fourteen_days_after_the_first_reminder() {
    let mut i = input(Jurisdiction::Be, CustomerKind::Consumer, &[]);
    let c = assess(&table(), &i).unwrap();
    assert!(!c.lawful);
    assert_eq!((c.interest, c.compensation, c.total), (None, None, dec!(1000)));
    // Emailed on Mon 3 Mar 2025: the 14 days run 4–17 March; charges from 18 March.
    i.first_reminder = Some(SentLetter { sent: d("2025-03-03"), channel: Channel::Email, received: None });
    i.as_of = d("2025-03-17");
    let c = assess(&table(), &i).unwrap();
    assert!(!c.lawful, "not on the last of the 14 days");
    assert_eq!(c.charges_from, Some(d("2025-03-18")));
    assert!(c.notes.iter().any(|n| n.contains("before 2025-03-18")));
    i.as_of = d("2025-03-31");
    let c = assess(&table(), &i).unwrap();
    assert!(c.lawful);
    // Interest from 18 March only: 1,000 × 11.5 % × 14 / 365 = 4.410959 → 4.41;
    // damages 65 + 5 % × 500 = 90.
    assert_eq!((c.interest_total(), c.compensation_total()), (dec!(4.41), dec!(90)));
    // Posted on Fri 28 Feb 2025: third working day Wed 5 March; charges from 19 March.
    i.first_reminder = Some(SentLetter { sent: d("2025-02-28"), channel: Channel::Letter, received: None });
    assert_eq!(assess(&table(), &i).unwrap().charges_from, Some(d("2025-03-19")));
}

#[test]
fn dutch_consumer_counts_from_the_day_after_receipt() {
    let mut i = input(Jurisdiction::Nl, CustomerKind::Consumer, &[]);
    i.first_reminder =
        Some(SentLetter { sent: d("2025-03-03"), channel: Channel::Letter, received: Some(d("2025-03-05")) });
    let c = assess(&table(), &i).unwrap();
    assert_eq!(c.consumer_term.map(|t| (t.starts, t.ends)), Some((d("2025-03-06"), d("2025-03-19"))));
    assert_eq!(c.charges_from, Some(d("2025-03-20")));
    assert_eq!(c.compensation_total(), dec!(150));
    // No consumer rates shipped: interest is left out, and the claim says so.
    assert_eq!(c.interest, None);
    assert!(c.notes.iter().any(|n| n.contains("consumer interest")));
}

#[test]
fn long_terms_other_currencies_and_paid_invoices() {
    let mut i = input(Jurisdiction::Be, CustomerKind::Business, &[]);
    i.issued = d("2024-10-01");
    let c = assess(&table(), &i).unwrap();
    assert!(c.notes[0].contains("75 days"), "{:?}", c.notes);
    i.currency = "USD".parse().unwrap();
    let c = assess(&table(), &i).unwrap();
    assert!(!c.lawful && c.interest.is_none());
    let paid = [(d("2025-01-10"), dec!(1000))];
    let c = assess(&table(), &input(Jurisdiction::Be, CustomerKind::Business, &paid)).unwrap();
    assert_eq!((c.open, c.lawful, c.total), (Decimal::ZERO, false, Decimal::ZERO));
}
