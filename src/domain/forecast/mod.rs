//! The cash-in forecast: when the open receivables are expected to come in, per week or per
//! month, from agreements and each customer's payment habit.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::agreement::{Agreement, AgreementStatus};
use super::customer::CustomerId;
use super::dates::{add_days, end_of_month};
use super::invoice::InvoiceId;
use super::money::{MoneyError, add_cents, to_cents};
use super::str_enum;

str_enum!(
    /// The width of a forecast column.
    Period { Week => "week", Month => "month" }
);

/// How the forecast is made, in words for the screen and the report.
pub const EXPLANATION: &str = "Promises and instalments count on their agreed dates. Every other open \
amount is expected on its due date plus the customer's average days late over paid invoices (on the \
due date for a customer with no paid invoice yet). Amounts already later than that, amounts under a \
broken agreement and disputed invoices are not forecast: they are shown apart.";

/// An open invoice as the forecast needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenItem {
    pub invoice: InvoiceId,
    pub customer: CustomerId,
    pub due: NaiveDate,
    pub open_cents: i64,
    pub disputed: bool,
}

/// One column: the days `start..=end`, what agreements bring and what habits suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ForecastBucket {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub agreed_cents: i64,
    pub expected_cents: i64,
}

impl ForecastBucket {
    pub fn total_cents(&self) -> i64 {
        self.agreed_cents + self.expected_cents
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub as_of: NaiveDate,
    pub period: Period,
    pub buckets: Vec<ForecastBucket>,
    /// Expected after the last column.
    pub later_cents: i64,
    /// Past its expected date already: no honest date to put on it.
    pub overdue_cents: i64,
    /// Open under an agreement that was broken.
    pub broken_cents: i64,
    pub disputed_cents: i64,
}

fn buckets(as_of: NaiveDate, period: Period, count: usize) -> Vec<ForecastBucket> {
    let mut start = match period {
        Period::Week => add_days(as_of, -i64::from(as_of.weekday().num_days_from_monday())),
        Period::Month => as_of.with_day(1).unwrap_or(as_of),
    };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let end = match period {
            Period::Week => add_days(start, 6),
            Period::Month => end_of_month(start),
        };
        out.push(ForecastBucket { start, end, agreed_cents: 0, expected_cents: 0 });
        start = add_days(end, 1);
    }
    out
}

/// The forecast as of a day over `count` periods. `agreements` are the running agreements
/// (the newest per invoice counts); `average_late` gives a customer's average days late.
/// [`MoneyError::Overflow`] when the open amounts add up beyond `i64` cents.
pub fn forecast(
    as_of: NaiveDate,
    period: Period,
    count: usize,
    grace_days: u32,
    invoices: &[OpenItem],
    agreements: &[Agreement],
    average_late: &HashMap<CustomerId, i64>,
) -> Result<Forecast, MoneyError> {
    // Every sum below adds parts of these open amounts (the positive ones; the negative ones
    // only take away): once both totals fit, no sum of the forecast can overflow.
    let (mut up, mut down) = (0i64, 0i64);
    for item in invoices {
        if item.open_cents >= 0 {
            up = add_cents(up, item.open_cents)?;
        } else {
            down = add_cents(down, item.open_cents)?;
        }
    }
    let mut f = Forecast {
        as_of,
        period,
        buckets: buckets(as_of, period, count),
        later_cents: 0,
        overdue_cents: 0,
        broken_cents: 0,
        disputed_cents: 0,
    };
    let mut newest: HashMap<InvoiceId, &Agreement> = HashMap::new();
    for a in agreements.iter().filter(|a| a.made_on <= as_of) {
        let slot = newest.entry(a.invoice).or_insert(a);
        if (a.made_on, a.id) > (slot.made_on, slot.id) {
            *slot = a;
        }
    }
    for item in invoices {
        if item.disputed {
            f.disputed_cents += item.open_cents;
            continue;
        }
        let mut rest = item.open_cents;
        if let Some(a) = newest.get(&item.invoice) {
            match a.status(as_of, grace_days, false) {
                AgreementStatus::Broken { .. } => {
                    f.broken_cents += rest;
                    continue;
                }
                AgreementStatus::OnSchedule { .. } | AgreementStatus::Due { .. } => {
                    for i in &a.instalments {
                        let cents = to_cents(i.open_on(as_of)).unwrap_or(0).min(rest);
                        if cents > 0 {
                            f.place(i.due.max(as_of), cents, true);
                            rest -= cents;
                        }
                    }
                }
                _ => {}
            }
        }
        if rest > 0 {
            let expected = add_days(item.due, average_late.get(&item.customer).copied().unwrap_or(0));
            if expected < as_of {
                f.overdue_cents += rest;
            } else {
                f.place(expected, rest, false);
            }
        }
    }
    Ok(f)
}

impl Forecast {
    fn place(&mut self, date: NaiveDate, cents: i64, agreed: bool) {
        match self.buckets.iter_mut().find(|b| date <= b.end) {
            Some(b) if agreed => b.agreed_cents += cents,
            Some(b) => b.expected_cents += cents,
            None => self.later_cents += cents,
        }
    }

    /// Everything open that the forecast looked at.
    pub fn total_cents(&self) -> i64 {
        self.buckets.iter().map(ForecastBucket::total_cents).sum::<i64>()
            + self.later_cents
            + self.overdue_cents
            + self.broken_cents
            + self.disputed_cents
    }
}

#[cfg(test)]
mod tests;
