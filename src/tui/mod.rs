//! The full-screen app. Placeholder until the app issue lands: prints the morning summary.

use anyhow::Result;
use chrono::NaiveDate;

use crate::store::Store;

pub fn run(store: Store, today: NaiveDate) -> Result<()> {
    let report = store.aging(today, store.book_currency()?)?;
    println!(
        "settle — {today}: {} open, {} overdue across {} customers. Try `settle report aging`.",
        crate::domain::money::Money::from_cents(report.totals.total_cents(), report.currency),
        crate::domain::money::Money::from_cents(report.totals.overdue_cents(), report.currency),
        report.rows.len()
    );
    Ok(())
}
