use super::*;
use crate::domain::agreement::{AgreementId, AgreementKind, Instalment};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-25"; // a Wednesday: the first week is Mon 23 to Sun 29 Nov

fn item(invoice: i64, customer: i64, due: &str, open_cents: i64) -> OpenItem {
    OpenItem {
        invoice: InvoiceId(invoice),
        customer: CustomerId(customer),
        due: d(due),
        open_cents,
        disputed: false,
    }
}

fn plan(invoice: i64, made: &str, instalments: &[(&str, i64)]) -> Agreement {
    Agreement {
        id: AgreementId(invoice * 10),
        invoice: InvoiceId(invoice),
        call: None,
        kind: if instalments.len() == 1 { AgreementKind::Promise } else { AgreementKind::Plan },
        made_on: d(made),
        total: instalments.iter().map(|(_, c)| crate::domain::money::from_cents(*c)).sum(),
        confirmed_on: None,
        ended_on: None,
        instalments: instalments
            .iter()
            .enumerate()
            .map(|(n, (due, c))| Instalment {
                seq: u32::try_from(n + 1).unwrap(),
                due: d(due),
                amount: crate::domain::money::from_cents(*c),
                paid: vec![],
            })
            .collect(),
    }
}

#[test]
fn weeks_start_on_monday_and_months_on_the_first() {
    let w = buckets(d(TODAY), Period::Week, 8);
    assert_eq!((w[0].start, w[0].end), (d("2026-11-23"), d("2026-11-29")));
    assert_eq!(w[7].end, d("2027-01-17"));
    let m = buckets(d(TODAY), Period::Month, 3);
    assert_eq!((m[0].start, m[0].end), (d("2026-11-01"), d("2026-11-30")));
    assert_eq!((m[2].start, m[2].end), (d("2027-01-01"), d("2027-01-31")));
}

#[test]
fn a_customer_who_pays_late_is_expected_late() {
    // Customer 1 pays 12 days late on average; customer 2 has no history.
    let late = HashMap::from([(CustomerId(1), 12)]);
    let invoices = [item(1, 1, "2026-11-27", 10_000), item(2, 2, "2026-11-27", 5_000)];
    let f = forecast(d(TODAY), Period::Week, 8, 2, &invoices, &[], &late).unwrap();
    assert_eq!(f.buckets[0].expected_cents, 5_000, "no history: on the due date");
    assert_eq!(f.buckets[1].expected_cents, 0);
    assert_eq!(f.buckets[2].expected_cents, 10_000, "27 Nov + 12 days = 9 Dec, the week of 7 Dec");
    assert_eq!(f.total_cents(), 15_000);
}

#[test]
fn agreements_count_on_their_dates_and_broken_ones_apart() {
    let late = HashMap::new();
    let invoices = [
        item(1, 1, "2026-10-01", 90_000), // a plan of 3 × 300, the rest under no agreement
        item(2, 2, "2026-10-01", 50_000), // a broken promise
        item(3, 3, "2026-10-01", 20_000), // overdue, no agreement: no date to put on it
        OpenItem { disputed: true, ..item(4, 4, "2026-12-01", 7_000) },
    ];
    let agreements = [
        plan(1, "2026-11-20", &[("2026-11-24", 30_000), ("2026-12-24", 30_000), ("2027-03-01", 20_000)]),
        plan(2, "2026-11-10", &[("2026-11-20", 50_000)]),
    ];
    let f = forecast(d(TODAY), Period::Week, 8, 2, &invoices, &agreements, &late).unwrap();
    assert_eq!(f.buckets[0].agreed_cents, 30_000, "due yesterday, still within the grace");
    assert_eq!(f.buckets[4].agreed_cents, 30_000, "24 Dec is in the week of 21 Dec");
    assert_eq!(f.later_cents, 20_000);
    assert_eq!(f.overdue_cents, 10_000 + 20_000, "the part of invoice 1 outside the plan, and invoice 3");
    assert_eq!(f.broken_cents, 50_000);
    assert_eq!(f.disputed_cents, 7_000);
    assert_eq!(f.total_cents(), 90_000 + 50_000 + 20_000 + 7_000);
}
