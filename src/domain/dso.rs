//! Days sales outstanding: how many days of recent invoicing are still unpaid. Pure.

/// `open / invoiced over the period × days in the period`, rounded half up to whole days.
/// `None` when nothing was invoiced in the period.
pub fn dso(open_cents: i64, invoiced_cents: i64, period_days: i64) -> Option<i64> {
    (invoiced_cents > 0).then(|| {
        let num = i128::from(open_cents) * i128::from(period_days) * 2 + i128::from(invoiced_cents);
        i64::try_from(num / (2 * i128::from(invoiced_cents))).unwrap_or(i64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_sales_outstanding() {
        // 30 000 open against 90 000 invoiced in 90 days: 30 days of sales outstanding.
        assert_eq!(dso(30_000, 90_000, 90), Some(30));
        assert_eq!(dso(10_000, 30_000, 90), Some(30));
        assert_eq!(dso(1, 90_000, 90), Some(0));
        assert_eq!(dso(5_000, 0, 90), None);
    }
}
