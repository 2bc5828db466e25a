//! How a customer pays: over the invoices paid in full, the average days late and the share
//! paid on or before the due date; and the book's days sales outstanding. Pure; days are
//! whole numbers, averages kept in tenths.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Behaviour {
    /// Invoices paid in full.
    pub paid: u32,
    /// Of those, paid on or before the due date.
    pub on_time: u32,
    /// Days late added up over the paid invoices (an early payment counts as 0).
    pub days_late_total: i64,
}

impl Behaviour {
    /// From (due date, day the last payment arrived) of each invoice paid in full.
    pub fn from_paid(paid: &[(NaiveDate, NaiveDate)]) -> Behaviour {
        let mut b = Behaviour::default();
        for (due, paid_on) in paid {
            let late = (*paid_on - *due).num_days().max(0);
            b.paid += 1;
            b.on_time += u32::from(late == 0);
            b.days_late_total += late;
        }
        b
    }

    /// Average days late in tenths of a day, rounded half up; `None` with nothing paid yet.
    pub fn average_days_late_tenths(&self) -> Option<i64> {
        (self.paid > 0)
            .then(|| (self.days_late_total * 20 + i64::from(self.paid)) / (2 * i64::from(self.paid)))
    }

    /// Share paid on time in whole percent, rounded half up.
    pub fn on_time_percent(&self) -> Option<u32> {
        (self.paid > 0).then(|| (self.on_time * 200 + self.paid) / (2 * self.paid))
    }

    /// "6.4 days late on average, 38% on time (13 paid)", or a plain word when nothing is paid.
    pub fn summary(&self) -> String {
        match (self.average_days_late_tenths(), self.on_time_percent()) {
            (Some(t), Some(p)) => {
                format!("{}.{} days late on average, {p}% paid on time ({} paid)", t / 10, t % 10, self.paid)
            }
            _ => "no invoice paid yet".into(),
        }
    }
}

/// Days sales outstanding: the open receivables expressed in days of recent invoicing,
/// `open / invoiced over the period × days in the period`, rounded to whole days. `None`
/// when nothing was invoiced in the period.
pub fn dso(open_cents: i64, invoiced_cents: i64, period_days: i64) -> Option<i64> {
    (invoiced_cents > 0).then(|| {
        let num = i128::from(open_cents) * i128::from(period_days) * 2 + i128::from(invoiced_cents);
        i64::try_from(num / (2 * i128::from(invoiced_cents))).unwrap_or(i64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn averages_and_shares() {
        let b = Behaviour::from_paid(&[
            (d("2026-10-01"), d("2026-09-28")), // early: on time, 0 days late
            (d("2026-10-01"), d("2026-10-01")), // on the day: on time
            (d("2026-10-01"), d("2026-10-11")), // 10 days late
        ]);
        assert_eq!((b.paid, b.on_time, b.days_late_total), (3, 2, 10));
        assert_eq!(b.average_days_late_tenths(), Some(33));
        assert_eq!(b.on_time_percent(), Some(67));
        assert_eq!(b.summary(), "3.3 days late on average, 67% paid on time (3 paid)");
        assert_eq!(Behaviour::default().summary(), "no invoice paid yet");
    }

    #[test]
    fn days_sales_outstanding() {
        // 30 000 open against 90 000 invoiced in 90 days: 30 days of sales outstanding.
        assert_eq!(dso(30_000, 90_000, 90), Some(30));
        assert_eq!(dso(10_000, 30_000, 90), Some(30));
        assert_eq!(dso(1, 90_000, 90), Some(0));
        assert_eq!(dso(5_000, 0, 90), None);
    }
}
