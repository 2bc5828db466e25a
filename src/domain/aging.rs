//! The aging rule, used by every screen and report.
//!
//! As of day D an invoice's open amount is its amount less the payments, credits and
//! write-offs dated on or before D; an invoice with nothing open drops out, and so does one
//! issued after D. Days overdue = D − due date; the buckets are `not_due` (≤ 0 days),
//! `d1_30`, `d31_60`, `d61_90` and `d90_plus` (≥ 91).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::customer::CustomerId;
use super::dates::add_days;
use super::money::{Currency, MoneyError, add_cents, from_cents};
use super::str_enum;

str_enum!(
    /// An age bracket of open receivables.
    Bucket {
        NotDue => "not_due",
        D1To30 => "d1_30",
        D31To60 => "d31_60",
        D61To90 => "d61_90",
        D90Plus => "d90_plus",
    }
);

impl Bucket {
    pub fn of_days(days_overdue: i64) -> Bucket {
        match days_overdue {
            i64::MIN..=0 => Bucket::NotDue,
            1..=30 => Bucket::D1To30,
            31..=60 => Bucket::D31To60,
            61..=90 => Bucket::D61To90,
            _ => Bucket::D90Plus,
        }
    }

    pub fn of(due: NaiveDate, as_of: NaiveDate) -> Bucket {
        Bucket::of_days((as_of - due).num_days())
    }

    pub fn header(&self) -> &'static str {
        match self {
            Bucket::NotDue => "Not due",
            Bucket::D1To30 => "1-30",
            Bucket::D31To60 => "31-60",
            Bucket::D61To90 => "61-90",
            Bucket::D90Plus => "90+",
        }
    }

    fn index(&self) -> usize {
        *self as usize
    }
}

/// The earliest due date of each overdue bucket as of a day, so a query can bucket by
/// comparing due dates instead of computing day differences row by row. A due date on or
/// after `not_due_from` is not due; on or after `d1_30_from` is 1–30 days late; and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketBounds {
    pub not_due_from: NaiveDate,
    pub d1_30_from: NaiveDate,
    pub d31_60_from: NaiveDate,
    pub d61_90_from: NaiveDate,
}

impl BucketBounds {
    pub fn as_of(as_of: NaiveDate) -> BucketBounds {
        BucketBounds {
            not_due_from: as_of,
            d1_30_from: add_days(as_of, -30),
            d31_60_from: add_days(as_of, -60),
            d61_90_from: add_days(as_of, -90),
        }
    }
}

/// Open amounts per bucket, in cents. Every way to make or grow one is checked, so that its
/// total (and any part of it) fits in `i64`: [`Buckets::total_cents`] cannot overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Buckets {
    cents: [i64; 5],
}

impl Buckets {
    /// Buckets from five sums, or [`MoneyError::Overflow`] when they add up beyond `i64`.
    pub fn new(cents: [i64; 5]) -> Result<Buckets, MoneyError> {
        let (mut up, mut down) = (0i64, 0i64);
        for c in cents {
            if c >= 0 {
                up = add_cents(up, c)?;
            } else {
                down = add_cents(down, c)?;
            }
        }
        Ok(Buckets { cents })
    }

    pub fn cents(&self) -> &[i64; 5] {
        &self.cents
    }

    pub fn add(&mut self, bucket: Bucket, cents: i64) -> Result<(), MoneyError> {
        let mut next = self.cents;
        next[bucket.index()] = add_cents(next[bucket.index()], cents)?;
        *self = Buckets::new(next)?;
        Ok(())
    }

    pub fn add_all(&mut self, other: &Buckets) -> Result<(), MoneyError> {
        let mut next = self.cents;
        for (a, b) in next.iter_mut().zip(other.cents) {
            *a = add_cents(*a, b)?;
        }
        *self = Buckets::new(next)?;
        Ok(())
    }

    pub fn get(&self, bucket: Bucket) -> Decimal {
        from_cents(self.cents[bucket.index()])
    }

    pub fn total_cents(&self) -> i64 {
        // Fits: `new` checked the positive and the negative sums apart.
        self.cents.iter().sum()
    }

    pub fn total(&self) -> Decimal {
        from_cents(self.total_cents())
    }

    /// Everything past its due date.
    pub fn overdue_cents(&self) -> i64 {
        self.total_cents() - self.cents[Bucket::NotDue.index()]
    }
}

/// One customer's line of the aged-receivables table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingRow {
    pub customer_id: CustomerId,
    pub customer: String,
    pub buckets: Buckets,
}

/// The aged receivables of one currency as of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingReport {
    pub as_of: NaiveDate,
    pub currency: Currency,
    /// Sorted by total, largest first (then by name).
    pub rows: Vec<AgingRow>,
    pub totals: Buckets,
}

impl AgingReport {
    /// Builds the report from per-customer buckets: drops empty rows, sorts, adds up (or
    /// says the sums overflow, never prints a wrapped total).
    pub fn new(as_of: NaiveDate, currency: Currency, rows: Vec<AgingRow>) -> Result<AgingReport, MoneyError> {
        let mut rows: Vec<AgingRow> = rows.into_iter().filter(|r| r.buckets.total_cents() != 0).collect();
        rows.sort_by(|a, b| {
            b.buckets.total_cents().cmp(&a.buckets.total_cents()).then_with(|| a.customer.cmp(&b.customer))
        });
        let mut totals = Buckets::default();
        for r in &rows {
            totals.add_all(&r.buckets)?;
        }
        Ok(AgingReport { as_of, currency, rows, totals })
    }

    /// The JSON shape scripts rely on (amounts as strings with two decimals).
    pub fn to_json(&self) -> AgingJson {
        AgingJson {
            as_of: self.as_of.to_string(),
            currency: self.currency.to_string(),
            customers: self
                .rows
                .iter()
                .map(|r| AgingJsonRow::new(Some(r.customer.clone()), &r.buckets))
                .collect(),
            totals: AgingJsonRow::new(None, &self.totals),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AgingJson {
    pub as_of: String,
    pub currency: String,
    pub customers: Vec<AgingJsonRow>,
    pub totals: AgingJsonRow,
}

#[derive(Debug, Serialize)]
pub struct AgingJsonRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    pub not_due: String,
    pub d1_30: String,
    pub d31_60: String,
    pub d61_90: String,
    pub d90_plus: String,
    pub total: String,
}

impl AgingJsonRow {
    fn new(customer: Option<String>, b: &Buckets) -> Self {
        let s = |bucket| super::money::plain_amount(b.get(bucket));
        AgingJsonRow {
            customer,
            not_due: s(Bucket::NotDue),
            d1_30: s(Bucket::D1To30),
            d31_60: s(Bucket::D31To60),
            d61_90: s(Bucket::D61To90),
            d90_plus: s(Bucket::D90Plus),
            total: super::money::plain_amount(b.total()),
        }
    }
}

/// The facts about one invoice that the aging rule needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    pub customer_id: CustomerId,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub amount_cents: i64,
    /// Payments, credits and write-offs: (date, cents).
    pub reductions: Vec<(NaiveDate, i64)>,
}

impl InvoiceFacts {
    /// The open amount as of a day (0 for an invoice not yet issued then).
    pub fn open_cents_as_of(&self, as_of: NaiveDate) -> i64 {
        if self.issued > as_of {
            return 0;
        }
        let paid: i128 =
            self.reductions.iter().filter(|(d, _)| *d <= as_of).map(|(_, c)| i128::from(*c)).sum();
        // Between 0 and the invoice's amount, so it fits.
        i64::try_from((i128::from(self.amount_cents) - paid).max(0)).unwrap_or(self.amount_cents)
    }
}

/// The aging rule written plainly, invoice by invoice: the reference the store's fast
/// queries are tested against. Returns buckets per customer id.
pub fn age(invoices: &[InvoiceFacts], as_of: NaiveDate) -> Result<Vec<(CustomerId, Buckets)>, MoneyError> {
    let mut per: std::collections::BTreeMap<CustomerId, Buckets> = Default::default();
    for inv in invoices {
        let open = inv.open_cents_as_of(as_of);
        if open > 0 {
            per.entry(inv.customer_id).or_default().add(Bucket::of(inv.due, as_of), open)?;
        }
    }
    Ok(per.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn bucket_edges() {
        assert_eq!(Bucket::of_days(-5), Bucket::NotDue);
        assert_eq!(Bucket::of_days(0), Bucket::NotDue);
        assert_eq!(Bucket::of_days(1), Bucket::D1To30);
        assert_eq!(Bucket::of_days(30), Bucket::D1To30);
        assert_eq!(Bucket::of_days(31), Bucket::D31To60);
        assert_eq!(Bucket::of_days(60), Bucket::D31To60);
        assert_eq!(Bucket::of_days(61), Bucket::D61To90);
        assert_eq!(Bucket::of_days(90), Bucket::D61To90);
        assert_eq!(Bucket::of_days(91), Bucket::D90Plus);
    }

    #[test]
    fn bounds_agree_with_day_counts() {
        let as_of = d("2026-11-23");
        let b = BucketBounds::as_of(as_of);
        for offset in -5..200 {
            let due = add_days(as_of, -offset);
            let by_bounds = if due >= b.not_due_from {
                Bucket::NotDue
            } else if due >= b.d1_30_from {
                Bucket::D1To30
            } else if due >= b.d31_60_from {
                Bucket::D31To60
            } else if due >= b.d61_90_from {
                Bucket::D61To90
            } else {
                Bucket::D90Plus
            };
            assert_eq!(by_bounds, Bucket::of(due, as_of), "{offset} days");
        }
    }

    #[test]
    fn payments_after_the_as_of_date_do_not_count() {
        let inv = InvoiceFacts {
            customer_id: CustomerId(1),
            issued: d("2026-09-01"),
            due: d("2026-10-01"),
            amount_cents: 10_000,
            reductions: vec![(d("2026-10-15"), 3_000), (d("2026-11-20"), 7_000)],
        };
        assert_eq!(inv.open_cents_as_of(d("2026-10-14")), 10_000);
        assert_eq!(inv.open_cents_as_of(d("2026-11-01")), 7_000);
        assert_eq!(inv.open_cents_as_of(d("2026-11-20")), 0);
        assert_eq!(inv.open_cents_as_of(d("2026-08-31")), 0, "not issued yet");
        // Fully paid: in no bucket at all.
        assert!(age(std::slice::from_ref(&inv), d("2026-11-23")).unwrap().is_empty());
        let aged = age(&[inv], d("2026-11-01")).unwrap();
        assert_eq!(aged[0].1.cents(), &[0, 0, 7_000, 0, 0], "31 days late");
    }

    #[test]
    fn report_sorts_by_total_and_adds_up() {
        let mut small = Buckets::default();
        small.add(Bucket::NotDue, 5).unwrap();
        let mut big = Buckets::default();
        big.add(Bucket::D90Plus, 500).unwrap();
        big.add(Bucket::D1To30, 1).unwrap();
        let row =
            |id, name: &str, b| AgingRow { customer_id: CustomerId(id), customer: name.into(), buckets: b };
        let r = AgingReport::new(
            d("2026-11-23"),
            Currency::EUR,
            vec![row(1, "Small", small), row(2, "Big", big), row(3, "Empty", Buckets::default())],
        )
        .unwrap();
        assert_eq!(r.rows.iter().map(|r| r.customer.as_str()).collect::<Vec<_>>(), ["Big", "Small"]);
        assert_eq!(r.totals.cents(), &[5, 1, 0, 0, 500]);
        let json = serde_json::to_value(r.to_json()).unwrap();
        assert_eq!(json["totals"]["total"], "5.06");
        assert_eq!(json["customers"][0]["customer"], "Big");
        assert_eq!(json["customers"][0]["d90_plus"], "5.00");
        assert!(json["totals"].get("customer").is_none());
    }

    #[test]
    fn sums_beyond_i64_are_an_error_not_a_wrapped_total() {
        let huge = i64::MAX / 2 + 1;
        let mut b = Buckets::default();
        b.add(Bucket::NotDue, huge).unwrap();
        assert_eq!(b.add(Bucket::D90Plus, huge), Err(MoneyError::Overflow));
        assert_eq!(b.cents(), &[huge, 0, 0, 0, 0], "a refused add changes nothing");
        assert_eq!(Buckets::new([huge, huge, 0, 0, 0]), Err(MoneyError::Overflow));
        let row =
            |id, name: &str| AgingRow { customer_id: CustomerId(id), customer: name.into(), buckets: b };
        assert_eq!(
            AgingReport::new(d("2026-11-23"), Currency::EUR, vec![row(1, "A"), row(2, "B")]),
            Err(MoneyError::Overflow)
        );
    }

    fn facts() -> impl Strategy<Value = InvoiceFacts> {
        (
            1i64..4,
            0i64..400,
            0i64..90,
            1i64..1_000_000,
            prop::collection::vec((0i64..500, 1i64..400_000), 0..4),
        )
            .prop_map(|(cust, issued_ago, terms, amount, pays)| {
                let base = d("2026-11-23");
                let issued = add_days(base, -issued_ago);
                let mut left = amount;
                let reductions = pays
                    .into_iter()
                    .filter_map(|(after, c)| {
                        let c = c.min(left);
                        left -= c;
                        (c > 0).then(|| (add_days(issued, after), c))
                    })
                    .collect();
                InvoiceFacts {
                    customer_id: CustomerId(cust),
                    issued,
                    due: add_days(issued, terms),
                    amount_cents: amount,
                    reductions,
                }
            })
    }

    proptest! {
        #[test]
        fn buckets_sum_to_the_open_total(invoices in prop::collection::vec(facts(), 0..40), back in 0i64..300) {
            let as_of = add_days(d("2026-11-23"), -back);
            let open: i64 = invoices.iter().map(|i| i.open_cents_as_of(as_of)).sum();
            let aged = age(&invoices, as_of).unwrap();
            let bucketed: i64 = aged.iter().map(|(_, b)| b.total_cents()).sum();
            prop_assert_eq!(bucketed, open);
            for (_, b) in &aged {
                prop_assert!(b.cents().iter().all(|c| *c >= 0));
            }
        }
    }
}
