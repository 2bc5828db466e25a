//! How a customer pays: days late over paid invoices, the share paid on time, and how many
//! promises were kept or broken. Used on the customer screen and by the cash-in forecast.

use chrono::NaiveDate;
use serde::Serialize;

/// A customer's payment record. Counts only; the figures are derived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Behaviour {
    /// Invoices paid in full (write-offs are not payments and are left out).
    pub paid_invoices: u32,
    /// Of those, paid on or before the due date.
    pub paid_on_time: u32,
    /// Sum of the days late of the paid invoices (an invoice paid early counts 0).
    pub total_days_late: i64,
    pub worst_days_late: i64,
    pub promises_kept: u32,
    pub promises_broken: u32,
}

impl Behaviour {
    /// Counts an invoice paid in full on `settled_on` (its last payment).
    pub fn add_paid(&mut self, due: NaiveDate, settled_on: NaiveDate) {
        let late = (settled_on - due).num_days().max(0);
        self.paid_invoices += 1;
        if late == 0 {
            self.paid_on_time += 1;
        }
        self.total_days_late += late;
        self.worst_days_late = self.worst_days_late.max(late);
    }

    /// Counts an agreement's verdict (`None`: still open or replaced in time, not counted).
    pub fn add_agreement(&mut self, kept: Option<bool>) {
        match kept {
            Some(true) => self.promises_kept += 1,
            Some(false) => self.promises_broken += 1,
            None => {}
        }
    }

    /// Average days late over paid invoices, rounded to the nearest day (halves up).
    pub fn average_days_late(&self) -> Option<i64> {
        let n = i64::from(self.paid_invoices);
        (n > 0).then(|| (2 * self.total_days_late + n) / (2 * n))
    }

    pub fn worst(&self) -> Option<i64> {
        (self.paid_invoices > 0).then_some(self.worst_days_late)
    }

    /// Share of paid invoices paid on time, in whole percent (rounded down).
    pub fn on_time_percent(&self) -> Option<u32> {
        (self.paid_invoices > 0).then(|| self.paid_on_time * 100 / self.paid_invoices)
    }

    /// One line: "pays 12 days late on average (worst 40), 60% on time; promises 3 kept, 1 broken".
    pub fn summary(&self) -> String {
        let pay = match (self.average_days_late(), self.worst(), self.on_time_percent()) {
            (Some(avg), Some(worst), Some(pct)) => {
                format!("pays {avg} days late on average (worst {worst}), {pct}% on time")
            }
            _ => "no paid invoice yet".to_string(),
        };
        if self.promises_kept + self.promises_broken == 0 {
            format!("{pay}; no promise yet")
        } else {
            format!("{pay}; promises {} kept, {} broken", self.promises_kept, self.promises_broken)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_late_share_on_time_and_promises() {
        let mut b = Behaviour::default();
        assert_eq!(b.summary(), "no paid invoice yet; no promise yet");
        b.add_paid(d("2026-10-01"), d("2026-09-28")); // early: 0
        b.add_paid(d("2026-10-01"), d("2026-10-13")); // 12
        b.add_paid(d("2026-10-01"), d("2026-10-26")); // 25
        assert_eq!(b.average_days_late(), Some(12)); // 37 / 3 = 12.33
        assert_eq!(b.worst(), Some(25));
        assert_eq!(b.on_time_percent(), Some(33));
        b.add_agreement(Some(true));
        b.add_agreement(Some(false));
        b.add_agreement(None);
        assert_eq!(
            b.summary(),
            "pays 12 days late on average (worst 25), 33% on time; promises 1 kept, 1 broken"
        );
        let mut half = Behaviour::default();
        half.add_paid(d("2026-10-01"), d("2026-10-01"));
        half.add_paid(d("2026-10-01"), d("2026-10-02"));
        assert_eq!(half.average_days_late(), Some(1), "0.5 rounds up");
    }
}
