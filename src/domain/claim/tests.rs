use super::*;
use crate::domain::interest::RateRow;
use rust_decimal::dec;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn row(j: Jurisdiction, kind: RateKind, from: &str, rate: Decimal) -> RateRow {
    RateRow {
        jurisdiction: j,
        kind,
        from: d(from),
        reference: None,
        rate,
        source: "test".into(),
        verified: true,
    }
}

fn rows() -> Vec<RateRow> {
    use Jurisdiction::{Be, Nl};
    use RateKind::B2b;
    vec![
        row(Be, B2b, "2024-07-01", dec!(12.50)),
        row(Be, B2b, "2025-01-01", dec!(11.50)),
        row(Nl, B2b, "2024-01-01", dec!(12.50)),
        row(Nl, B2b, "2024-07-01", dec!(12.25)),
        row(Nl, B2b, "2025-01-01", dec!(11.15)),
        row(Nl, B2b, "2025-07-01", dec!(10.15)),
        row(Nl, B2b, "2026-01-01", dec!(10.15)),
    ]
}

/// The commercial rates only: no legal (consumer) rates.
fn table() -> RateTable {
    RateTable::new(rows()).unwrap()
}

/// With the legal rates: BE 4.5 % for 2024–2025 (law of 5 May 1865), NL 6 % (art. 6:119 BW).
fn with_legal() -> RateTable {
    use RateKind::Consumer;
    let mut r = rows();
    r.extend([
        row(Jurisdiction::Be, Consumer, "2024-01-01", dec!(5.75)),
        row(Jurisdiction::Be, Consumer, "2025-01-01", dec!(4.5)),
        row(Jurisdiction::Nl, Consumer, "2025-01-01", dec!(6)),
    ]);
    RateTable::new(r).unwrap()
}

fn pay(on: &str, amount: Decimal) -> Reduction {
    Reduction { on: d(on), amount, kind: PaymentKind::Payment }
}

fn input<'a>(j: Jurisdiction, kind: CustomerKind, reductions: &'a [Reduction]) -> ClaimInput<'a> {
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
        demanded: None,
        terms: Terms::default(),
        closed: None,
    }
}

fn email(sent: &str) -> Option<SentLetter> {
    Some(SentLetter { sent: d(sent), channel: Channel::Email, received: None })
}

#[test]
fn belgian_business_claim_crosses_a_rate_change_after_a_partial_payment() {
    // Law of 2 August 2002, art. 5 and 6: interest from the day after the due date, and €40.
    let paid = [pay("2025-02-10", dec!(400))];
    let c = assess(&table(), &input(Jurisdiction::Be, CustomerKind::Business, &paid));
    assert!(c.lawful);
    assert_eq!(c.charges_from, Some(d("2024-12-16")));
    assert_eq!(c.open, dec!(600));
    // 5.479452 + 12.917808 + 9.263014 (see interest_tests) = 27.66; plus €40. Nothing was
    // demanded in writing, so the €400 went to the principal.
    assert_eq!(c.interest_total(), dec!(27.66));
    assert_eq!(c.compensation_total(), dec!(40));
    assert_eq!(c.total, dec!(667.66));
    assert!(c.applied.is_empty() && !c.compounded);
    assert_eq!(c.basis, Some(InterestBasis::Commercial));
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn dutch_business_claim_uses_the_wik_scale() {
    let c = assess(&table(), &input(Jurisdiction::Nl, CustomerKind::Business, &[]));
    // 1,000 × 12.25 % × 16 / 365 + 1,000 × 11.15 % × 90 / 365 = 5.369863 + 27.493151 = 32.863014
    assert_eq!(c.interest_total(), dec!(32.86));
    // 15 % × 1,000 = 150 (Besluit vergoeding voor buitengerechtelijke incassokosten).
    assert_eq!(c.compensation_total(), dec!(150));
    assert_eq!(c.total, dec!(1182.86));
}

#[test]
fn dutch_interest_compounds_after_each_year() {
    // Art. 6:119 lid 2 and 6:119a lid 2 BW: after each year the year's interest joins the
    // base. €3,000 due 1 March 2024, as of 15 February 2026:
    //   year 1, 2 Mar 2024 – 1 Mar 2025, on 3,000:
    //     121 days × 12.5 % + 184 days × 12.25 % + 60 days × 11.15 % = 4,435.5 %-days
    //     3,000 × 4,435.5 / 36,500 = 364.561644 → 364.56 added to the base on 2 Mar 2025
    //   year 2, 2 Mar 2025 – 15 Feb 2026, on 3,364.56:
    //     121 × 11.15 + 184 × 10.15 + 46 × 10.15 = 3,683.65 %-days
    //     3,364.56 × 3,683.65 / 36,500 = 339.557848
    //   total 704.119492 → 704.12 (simple interest would give 667.33)
    let mut i = input(Jurisdiction::Nl, CustomerKind::Business, &[]);
    i.amount = dec!(3000);
    i.issued = d("2024-02-01");
    i.due = d("2024-03-01");
    i.as_of = d("2026-02-15");
    let c = assess(&table(), &i);
    assert!(c.compounded);
    assert_eq!(c.interest_total(), dec!(704.12));
    let interest = c.interest.as_ref().unwrap();
    assert_eq!(
        interest.capitalised,
        vec![crate::domain::interest::Capitalised { on: d("2025-03-02"), amount: dec!(364.56) }]
    );
    assert!(interest.lines.iter().any(|l| l.principal == dec!(3364.56) && l.from == d("2025-03-02")));
    // Belgian interest stays simple: the same invoice in Belgium with the Dutch rates would
    // not compound.
    let be =
        RateTable::new(rows().into_iter().filter(|r| r.jurisdiction == Jurisdiction::Nl).map(|mut r| {
            r.jurisdiction = Jurisdiction::Be;
            r
        }))
        .unwrap();
    i.jurisdiction = Jurisdiction::Be;
    let c = assess(&be, &i);
    assert!(!c.compounded);
    assert_eq!(c.interest_total(), dec!(667.33));
}

#[test]
fn a_belgian_consumer_owes_only_what_the_terms_provide_after_the_compliant_reminder() {
    let mut i = input(Jurisdiction::Be, CustomerKind::Consumer, &[]);
    // No compliant first reminder: nothing (Code of Economic Law art. XIX.2).
    let c = assess(&with_legal(), &i);
    assert!(!c.lawful);
    assert_eq!((&c.interest, &c.compensation, c.total), (&None, &None, dec!(1000)));
    // Emailed on Mon 3 Mar 2025: the 14 days run 4–17 March; charges from 18 March.
    i.first_reminder = email("2025-03-03");
    i.as_of = d("2025-03-17");
    let c = assess(&with_legal(), &i);
    assert!(!c.lawful, "not on the last of the 14 days");
    assert_eq!(c.charges_from, Some(d("2025-03-18")));
    assert!(c.notes.iter().any(|n| n.contains("before 2025-03-18")));
    // No clause in the terms: the legal rate (law of 5 May 1865: 4.5 % in 2025) and no
    // damages. 1,000 × 4.5 % × 14 / 365 = 1.726027 → 1.73.
    i.as_of = d("2025-03-31");
    let c = assess(&with_legal(), &i);
    assert!(c.lawful);
    assert_eq!(c.basis, Some(InterestBasis::Legal));
    assert_eq!((c.interest_total(), &c.compensation), (dec!(1.73), &None));
    assert_eq!(c.total, dec!(1001.73));
    // Both clauses: interest at the commercial rate, the cap of art. XIX.4, and the damages
    // scale. Interest from 18 March only: 1,000 × 11.5 % × 14 / 365 = 4.410959 → 4.41;
    // damages 65 + 5 % × 500 = 90.
    i.terms = Terms { consumer_interest_clause: true, consumer_damages_clause: true };
    let c = assess(&with_legal(), &i);
    assert_eq!(c.basis, Some(InterestBasis::Contractual));
    assert_eq!((c.interest_total(), c.compensation_total()), (dec!(4.41), dec!(90)));
    // Posted on Fri 28 Feb 2025: third working day Wed 5 March; charges from 19 March.
    i.first_reminder = Some(SentLetter { sent: d("2025-02-28"), channel: Channel::Letter, received: None });
    assert_eq!(assess(&with_legal(), &i).charges_from, Some(d("2025-03-19")));
}

#[test]
fn dutch_consumer_counts_from_the_day_after_receipt() {
    let mut i = input(Jurisdiction::Nl, CustomerKind::Consumer, &[]);
    i.first_reminder =
        Some(SentLetter { sent: d("2025-03-03"), channel: Channel::Letter, received: Some(d("2025-03-05")) });
    let c = assess(&with_legal(), &i);
    assert_eq!(c.consumer_term.map(|t| (t.starts, t.ends)), Some((d("2025-03-06"), d("2025-03-19"))));
    assert_eq!(c.charges_from, Some(d("2025-03-20")));
    assert_eq!(c.compensation_total(), dec!(150));
    // The legal rate of art. 6:119 BW from the end of the 14 days: 1,000 × 6 % × 12 / 365
    // = 1.972603 → 1.97.
    assert_eq!((c.basis, c.interest_total()), (Some(InterestBasis::Legal), dec!(1.97)));
    // Without legal rates in the table, interest is left out and the claim says so.
    let c = assess(&table(), &i);
    assert_eq!(c.interest, None);
}

#[test]
fn payments_go_to_costs_then_interest_once_demanded_in_the_netherlands() {
    // Art. 6:44 BW. A €3,000 consumer debt; the 14-day letter emailed on 3 March 2025 ran
    // 4–17 March; the WIK costs fell due on 18 March: 15 % × 2,500 + 10 % × 500 = 425.
    // €2,000 paid on 18 March goes to the €425 costs first, then to the principal:
    // 3,000 − (2,000 − 425) = 1,425 left (no legal rates in this table: no interest).
    let paid = [pay("2025-03-18", dec!(2000))];
    let mut i = input(Jurisdiction::Nl, CustomerKind::Consumer, &paid);
    i.amount = dec!(3000);
    i.first_reminder = email("2025-03-03");
    let c = assess(&table(), &i);
    assert_eq!(c.compensation_total(), dec!(425), "not recomputed on the €1,000 the books show");
    assert_eq!((c.costs_paid, c.open, c.total), (dec!(425), dec!(1425), dec!(1425)));
    assert_eq!(
        c.applied,
        vec![Applied {
            on: d("2025-03-18"),
            amount: dec!(2000),
            costs: dec!(425),
            interest: dec!(0),
            principal: dec!(1575)
        }]
    );
    // With the legal rate (6 %): 18 March's interest 3,000 × 6 % / 365 = 0.493151, of which
    // 0.49 is due and paid; 2,000 − 425 − 0.49 = 1,574.51 to the principal: 1,425.49 left.
    // 19–31 March: 13 × 1,425.49 × 6 % / 365 = 3.046253; accrued 3.539404 → 3.54, open
    // 3.54 − 0.49 = 3.05. Total 1,425.49 + 3.05 = 1,428.54.
    let c = assess(&with_legal(), &i);
    assert_eq!((c.interest_paid, c.open), (dec!(0.49), dec!(1425.49)));
    assert_eq!((c.interest_total(), c.interest_open(), c.total), (dec!(3.54), dec!(3.05), dec!(1428.54)));
}

#[test]
fn belgian_payments_go_to_interest_before_principal_and_the_damages_last() {
    // Old Civil Code art. 1254: interest before capital. €1,000 due 15 Dec 2024, formal notice on
    // 10 Jan 2025, €1,000 paid on 14 Jan. Interest to 14 Jan: 16 × 12.5 % + 14 × 11.5 % =
    // 361 %-days × 1,000 / 36,500 = 9.890411; 9.89 due and paid, 990.11 to the principal,
    // nothing left for the €40. As of 31 Jan: 17 × 9.89 × 11.5 % / 365 = 0.052973 more,
    // accrued 9.943384 → 9.94, open 0.05. Total 9.89 + 0.05 + 40 = 49.94.
    let paid = [pay("2025-01-14", dec!(1000))];
    let mut i = input(Jurisdiction::Be, CustomerKind::Business, &paid);
    i.demanded = Some(d("2025-01-10"));
    i.as_of = d("2025-01-31");
    let c = assess(&table(), &i);
    assert_eq!(
        c.applied,
        vec![Applied {
            on: d("2025-01-14"),
            amount: dec!(1000),
            costs: dec!(0),
            interest: dec!(9.89),
            principal: dec!(990.11)
        }]
    );
    assert_eq!(
        (c.open, c.interest_open(), c.compensation_open(), c.total),
        (dec!(9.89), dec!(0.05), dec!(40), dec!(49.94))
    );
}

#[test]
fn a_claim_survives_the_payment_of_the_principal_until_waived_or_paid() {
    // Paid in full 30 days late, nothing demanded: the principal is paid, the interest
    // (16 × 12.5 % + 14 × 11.5 % = 361 %-days on 1,000 = 9.890411 → 9.89) and the €40 stay.
    let paid = [pay("2025-01-14", dec!(1000))];
    let mut i = input(Jurisdiction::Be, CustomerKind::Business, &paid);
    i.as_of = d("2025-02-01");
    let c = assess(&table(), &i);
    assert!(c.lawful);
    assert_eq!(
        (c.open, c.interest_open(), c.compensation_open(), c.total),
        (dec!(0), dec!(9.89), dec!(40), dec!(49.89))
    );
    for closing in [Closing::Waived(d("2025-02-01")), Closing::Paid(d("2025-02-01"))] {
        i.closed = Some(closing);
        let c = assess(&table(), &i);
        assert!(!c.lawful);
        assert_eq!((c.total, &c.interest, &c.compensation), (dec!(0), &None, &None));
        assert!(c.notes[0].contains("2025-02-01"), "{:?}", c.notes);
    }
    // Waived later than the day looked at: still claimable then.
    i.closed = Some(Closing::Waived(d("2025-03-01")));
    assert_eq!(assess(&table(), &i).total, dec!(49.89));
    // Paid on time: nothing to claim.
    let on_time = [pay("2024-12-15", dec!(1000))];
    let c = assess(&table(), &input(Jurisdiction::Be, CustomerKind::Business, &on_time));
    assert_eq!((c.open, c.lawful, c.total, &c.compensation), (dec!(0), false, dec!(0), &None));
}

#[test]
fn costs_are_fixed_the_day_they_fall_due() {
    // NL B2B, €3,000 due 15 Dec 2024: the WIK costs fell due on 16 Dec on 3,000 (425); a
    // later €2,000 payment (nothing demanded) lowers the principal, not the costs.
    let paid = [pay("2025-01-10", dec!(2000))];
    let mut i = input(Jurisdiction::Nl, CustomerKind::Business, &paid);
    i.amount = dec!(3000);
    let c = assess(&table(), &i);
    assert_eq!((c.open, c.compensation_total()), (dec!(1000), dec!(425)));
}

#[test]
fn long_terms_other_currencies_and_missing_rates() {
    // A 75-day Belgian B2B term is void: interest from the 30-day default, 1 Nov 2024.
    // 61 × 12.5 % + 90 × 11.5 % = 1,797.5 %-days × 1,000 / 36,500 = 49.246575 → 49.25.
    let mut i = input(Jurisdiction::Be, CustomerKind::Business, &[]);
    i.issued = d("2024-10-01");
    let c = assess(&table(), &i);
    assert!(c.notes[0].contains("75 days") && c.notes[0].contains("void"), "{:?}", c.notes);
    assert_eq!((c.charges_from, c.interest_total()), (Some(d("2024-11-01")), dec!(49.25)));
    // A Dutch one is flagged (art. 6:119a lid 5 BW), interest still from the due date.
    i.jurisdiction = Jurisdiction::Nl;
    let c = assess(&table(), &i);
    assert!(c.notes[0].contains("6:119a"), "{:?}", c.notes);
    assert_eq!(c.charges_from, Some(d("2024-12-16")));
    i.currency = "USD".parse().unwrap();
    let c = assess(&table(), &i);
    assert!(!c.lawful && c.interest.is_none());
    // Before the table starts: no interest, a note, never an error.
    let mut old = input(Jurisdiction::Be, CustomerKind::Business, &[]);
    old.issued = d("2010-01-01");
    old.due = d("2010-02-01");
    let c = assess(&table(), &old);
    assert_eq!((&c.interest, c.compensation_total()), (&None, dec!(40)));
    assert!(c.notes.iter().any(|n| n.contains("interest is left out")), "{:?}", c.notes);
}

#[test]
fn anniversaries() {
    assert!(anniversary(d("2024-03-02"), d("2025-03-02")));
    assert!(anniversary(d("2024-03-02"), d("2026-03-02")));
    assert!(!anniversary(d("2024-03-02"), d("2024-03-02")));
    assert!(!anniversary(d("2024-03-02"), d("2025-03-03")));
    assert_eq!(next_anniversary(d("2024-02-29"), d("2024-12-31")), d("2025-02-28"));
}
