//! Agreements made on the phone: a promise to pay (one date, one amount) or an instalment
//! plan. A promise is kept as a plan of one instalment, so one set of rules serves both.
//!
//! An instalment not fully paid by its due date plus the grace days is **missed**, and the
//! agreement is **broken** from the day after the grace: that is an alert, and escalation
//! resumes. Payments are applied to the oldest open instalment first.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::call::CallId;
use super::dates::add_days;
use super::invoice::InvoiceId;
use super::money::{from_cents, plain_amount, to_cents};
use super::str_enum;

/// Days after an agreed date before a promise counts as broken (the config may change it).
pub const DEFAULT_GRACE_DAYS: u32 = 2;

/// The most instalments a plan may have (five years of monthly payments).
pub const MAX_INSTALMENTS: u32 = 60;

str_enum!(
    /// A promise to pay or an instalment plan.
    AgreementKind { Promise => "promise", Plan => "plan" }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgreementId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    #[error("the amount must be positive, not {0}")]
    NotPositive(Decimal),
    #[error("{0}")]
    Money(#[from] super::money::MoneyError),
    #[error("a plan needs at least 2 instalments, not {0}")]
    TooFew(u32),
    #[error("a plan has at most {MAX_INSTALMENTS} instalments, not {0}")]
    TooMany(u32),
    #[error("{total} cannot be split into {count} instalments of at least one cent")]
    TooSmall { total: Decimal, count: u32 },
    #[error("instalments must be at least a day apart")]
    ZeroInterval,
    #[error("the instalment dates must be in order, each after the one before ({0} is not)")]
    DatesOutOfOrder(NaiveDate),
    #[error("{0} is before the call: an agreed date cannot be in the past")]
    InThePast(NaiveDate),
    #[error("the instalments add up to {sum}, not the agreed {total}")]
    SumMismatch { sum: Decimal, total: Decimal },
}

/// When the instalments of a plan fall due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// `count` instalments, the first on `first`, then one every `every_days` days.
    Every { count: u32, every_days: u32, first: NaiveDate },
    /// Explicit dates, each after the one before.
    Dates(Vec<NaiveDate>),
}

impl Schedule {
    /// The due dates, checked: 2 to [`MAX_INSTALMENTS`] of them, strictly increasing.
    pub fn dates(&self) -> Result<Vec<NaiveDate>, AgreementError> {
        let dates = match self {
            Schedule::Every { count, every_days, first } => {
                check_count(*count)?;
                if *every_days == 0 {
                    return Err(AgreementError::ZeroInterval);
                }
                (0..*count).map(|i| add_days(*first, i64::from(i) * i64::from(*every_days))).collect()
            }
            Schedule::Dates(d) => {
                check_count(u32::try_from(d.len()).unwrap_or(u32::MAX))?;
                d.clone()
            }
        };
        if let Some(w) = dates.windows(2).find(|w| w[1] <= w[0]) {
            return Err(AgreementError::DatesOutOfOrder(w[1]));
        }
        Ok(dates)
    }
}

fn check_count(n: u32) -> Result<(), AgreementError> {
    match n {
        0 | 1 => Err(AgreementError::TooFew(n)),
        n if n > MAX_INSTALMENTS => Err(AgreementError::TooMany(n)),
        _ => Ok(()),
    }
}

/// Splits `total_cents` into `count` parts that add up exactly: every part is the total
/// divided by the count, cut to the cent, and the last one takes the rounding (so it is at
/// most `count - 1` cents more than the others). `1000.00 / 3` → 333.33, 333.33, 333.34.
pub fn split_evenly(total_cents: i64, count: u32) -> Result<Vec<i64>, AgreementError> {
    let total = from_cents(total_cents);
    if total_cents <= 0 {
        return Err(AgreementError::NotPositive(total));
    }
    if count == 0 {
        return Err(AgreementError::TooFew(0));
    }
    let n = i64::from(count);
    if total_cents < n {
        return Err(AgreementError::TooSmall { total, count });
    }
    let part = total_cents / n;
    let mut parts = vec![part; usize::try_from(count).unwrap_or(0)];
    if let Some(last) = parts.last_mut() {
        *last = total_cents - part * (n - 1);
    }
    Ok(parts)
}

/// A promise or plan as agreed, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgreement {
    pub kind: AgreementKind,
    pub total: Decimal,
    /// (due date, amount), in date order; the amounts add up to `total`.
    pub instalments: Vec<(NaiveDate, Decimal)>,
}

impl NewAgreement {
    /// A promise to pay `amount` on `on`.
    pub fn promise(on: NaiveDate, amount: Decimal) -> Result<NewAgreement, AgreementError> {
        if amount <= Decimal::ZERO {
            return Err(AgreementError::NotPositive(amount));
        }
        to_cents(amount)?;
        Ok(NewAgreement { kind: AgreementKind::Promise, total: amount, instalments: vec![(on, amount)] })
    }

    /// A plan paying `total` on the schedule's dates, split evenly with the rounding on the
    /// last instalment.
    pub fn plan(total: Decimal, schedule: &Schedule) -> Result<NewAgreement, AgreementError> {
        if total <= Decimal::ZERO {
            return Err(AgreementError::NotPositive(total));
        }
        let dates = schedule.dates()?;
        let count = u32::try_from(dates.len()).unwrap_or(u32::MAX);
        let parts = split_evenly(to_cents(total)?, count)?;
        let instalments = dates.into_iter().zip(parts.into_iter().map(from_cents)).collect();
        Ok(NewAgreement { kind: AgreementKind::Plan, total, instalments })
    }

    /// Checks an agreement made on `made_on`: dates not before it and in order, amounts
    /// positive and adding up to the total.
    pub fn validate(&self, made_on: NaiveDate) -> Result<(), AgreementError> {
        if let Some((d, _)) = self.instalments.iter().find(|(d, _)| *d < made_on) {
            return Err(AgreementError::InThePast(*d));
        }
        if let Some(w) = self.instalments.windows(2).find(|w| w[1].0 <= w[0].0) {
            return Err(AgreementError::DatesOutOfOrder(w[1].0));
        }
        if let Some((_, a)) = self.instalments.iter().find(|(_, a)| *a <= Decimal::ZERO) {
            return Err(AgreementError::NotPositive(*a));
        }
        let sum: Decimal = self.instalments.iter().map(|(_, a)| *a).sum();
        if sum != self.total || self.instalments.is_empty() {
            return Err(AgreementError::SumMismatch { sum, total: self.total });
        }
        Ok(())
    }

    /// "€500.00 by 2026-12-05" or "3 instalments from 2026-12-01, €333.33 … €333.34".
    pub fn describe(&self, symbol: &str) -> String {
        describe(self.kind, &self.instalments, symbol)
    }
}

fn describe(kind: AgreementKind, instalments: &[(NaiveDate, Decimal)], symbol: &str) -> String {
    match (kind, instalments) {
        (AgreementKind::Promise, [(on, amount), ..]) => format!("{symbol}{} by {on}", plain_amount(*amount)),
        (_, [(first, a), .., (last, b)]) if a == b => {
            format!("{} × {symbol}{} from {first} to {last}", instalments.len(), plain_amount(*a))
        }
        (_, [(first, a), .., (last, b)]) => format!(
            "{} instalments from {first} to {last}: {} × {symbol}{}, last {symbol}{}",
            instalments.len(),
            instalments.len() - 1,
            plain_amount(*a),
            plain_amount(*b)
        ),
        _ => "no instalments".to_string(),
    }
}

/// An amount applied to an instalment, and the day it was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    pub on: NaiveDate,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instalment {
    pub seq: u32,
    pub due: NaiveDate,
    pub amount: Decimal,
    /// The payments applied to it, oldest first.
    pub paid: Vec<Allocation>,
}

/// Where one instalment stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstalmentState {
    /// Fully paid on `on`; `late` when that was after the grace.
    Paid { on: NaiveDate, late: bool },
    /// Its date is still ahead.
    Upcoming,
    /// Due today, or past its date but within the grace (until `grace_until`, inclusive).
    Due { grace_until: NaiveDate },
    /// Not paid in time: missed since the day after the grace.
    Missed { since: NaiveDate },
}

impl Instalment {
    /// What was paid on it up to and including `as_of`.
    pub fn paid_by(&self, as_of: NaiveDate) -> Decimal {
        self.paid.iter().filter(|a| a.on <= as_of).map(|a| a.amount).sum()
    }

    pub fn open_on(&self, as_of: NaiveDate) -> Decimal {
        (self.amount - self.paid_by(as_of)).max(Decimal::ZERO)
    }

    /// The last day it may be paid without being missed.
    pub fn grace_until(&self, grace_days: u32) -> NaiveDate {
        add_days(self.due, i64::from(grace_days))
    }

    pub fn state(&self, as_of: NaiveDate, grace_days: u32) -> InstalmentState {
        let grace_until = self.grace_until(grace_days);
        let mut sum = Decimal::ZERO;
        for a in self.paid.iter().filter(|a| a.on <= as_of) {
            sum += a.amount;
            if sum >= self.amount {
                return InstalmentState::Paid { on: a.on, late: a.on > grace_until };
            }
        }
        if as_of < self.due {
            InstalmentState::Upcoming
        } else if as_of <= grace_until {
            InstalmentState::Due { grace_until }
        } else {
            InstalmentState::Missed { since: add_days(grace_until, 1) }
        }
    }
}

/// An agreement as stored, with its instalments and the payments applied to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: AgreementId,
    pub invoice: InvoiceId,
    pub call: Option<CallId>,
    pub kind: AgreementKind,
    pub made_on: NaiveDate,
    pub total: Decimal,
    /// The day the customer confirmed it in writing.
    pub confirmed_on: Option<NaiveDate>,
    /// The day a newer agreement on the same invoice replaced it.
    pub ended_on: Option<NaiveDate>,
    pub instalments: Vec<Instalment>,
}

/// Where an agreement stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementStatus {
    /// Nothing due yet: the next instalment (or the promise) falls due on `next_due`.
    OnSchedule { next_due: NaiveDate, amount: Decimal },
    /// An instalment is due today or within its grace.
    Due { on: NaiveDate, amount: Decimal, grace_until: NaiveDate },
    /// An instalment was missed: broken since `since` (the day after the grace of the
    /// instalment due on `missed_due`); `amount` is what the missed instalments still lack.
    Broken { since: NaiveDate, missed_due: NaiveDate, amount: Decimal },
    /// Every instalment is paid; the last on `on`.
    Kept { on: NaiveDate },
    /// Replaced by a newer agreement on `on`.
    Superseded { on: NaiveDate },
    /// The invoice was settled otherwise (a credit note or a write-off).
    Closed,
}

impl AgreementStatus {
    /// Whether it still asks for attention (it pauses escalation or raises an alert).
    pub fn is_active(&self) -> bool {
        matches!(self, Self::OnSchedule { .. } | Self::Due { .. } | Self::Broken { .. })
    }

    /// Whether a broken agreement was acted on: a ladder step was taken (`last_step`, the
    /// day of the latest) on or after the day it broke. It stays broken, but asks for nothing
    /// any more: the ladder says what comes next (a firm reminder sent because a plan broke
    /// gives its term before the notice).
    pub fn acted_on(&self, last_step: Option<NaiveDate>) -> bool {
        matches!(self, Self::Broken { since, .. } if last_step.is_some_and(|l| l >= *since))
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::OnSchedule { .. } => "on schedule",
            Self::Due { .. } => "due",
            Self::Broken { .. } => "broken",
            Self::Kept { .. } => "kept",
            Self::Superseded { .. } => "replaced",
            Self::Closed => "closed",
        }
    }
}

impl Agreement {
    /// The status on `as_of`. `invoice_settled` says whether the invoice has nothing open
    /// any more (on that day).
    pub fn status(&self, as_of: NaiveDate, grace_days: u32, invoice_settled: bool) -> AgreementStatus {
        if let Some(on) = self.ended_on.filter(|d| *d <= as_of) {
            return AgreementStatus::Superseded { on };
        }
        let states: Vec<(&Instalment, InstalmentState)> =
            self.instalments.iter().map(|i| (i, i.state(as_of, grace_days))).collect();
        let missed: Vec<_> = states
            .iter()
            .filter_map(|(i, s)| match s {
                InstalmentState::Missed { since } => Some((*i, *since)),
                _ => None,
            })
            .collect();
        if let Some((first, since)) = missed.first() {
            if invoice_settled {
                return AgreementStatus::Closed;
            }
            let amount = missed.iter().map(|(i, _)| i.open_on(as_of)).sum();
            return AgreementStatus::Broken { since: *since, missed_due: first.due, amount };
        }
        if let Some((i, InstalmentState::Due { grace_until })) =
            states.iter().find(|(_, s)| matches!(s, InstalmentState::Due { .. }))
        {
            if invoice_settled {
                return AgreementStatus::Closed;
            }
            return AgreementStatus::Due { on: i.due, amount: i.open_on(as_of), grace_until: *grace_until };
        }
        if let Some((i, _)) = states.iter().find(|(_, s)| matches!(s, InstalmentState::Upcoming)) {
            if invoice_settled {
                return AgreementStatus::Closed;
            }
            return AgreementStatus::OnSchedule { next_due: i.due, amount: i.open_on(as_of) };
        }
        let last_paid = states
            .iter()
            .filter_map(|(_, s)| match s {
                InstalmentState::Paid { on, .. } => Some(*on),
                _ => None,
            })
            .max();
        last_paid.map_or(AgreementStatus::Closed, |on| AgreementStatus::Kept { on })
    }

    /// Whether the customer kept their word, as known on `as_of`: `Some(true)` when every
    /// instalment was paid within its grace, `Some(false)` as soon as one was missed (even
    /// if paid late afterwards, or before a newer agreement replaced it), `None` while open
    /// or when replaced before anything was missed.
    pub fn kept(&self, as_of: NaiveDate, grace_days: u32) -> Option<bool> {
        let horizon = self.ended_on.map_or(as_of, |e| e.min(as_of));
        let mut all_paid = true;
        for i in &self.instalments {
            match i.state(as_of, grace_days) {
                InstalmentState::Paid { late: true, .. } => return Some(false),
                InstalmentState::Missed { since } if since <= horizon => return Some(false),
                InstalmentState::Paid { .. } => {}
                _ => all_paid = false,
            }
        }
        (all_paid && self.ended_on.is_none_or(|e| e > as_of)).then_some(true)
    }

    /// What is still to be paid under it on `as_of`.
    pub fn open_on(&self, as_of: NaiveDate) -> Decimal {
        self.instalments.iter().map(|i| i.open_on(as_of)).sum()
    }

    pub fn describe(&self, symbol: &str) -> String {
        self.terms().describe(symbol)
    }

    /// Its terms as agreed (kind, total, instalments), without what was paid.
    pub fn terms(&self) -> NewAgreement {
        NewAgreement {
            kind: self.kind,
            total: self.total,
            instalments: self.instalments.iter().map(|i| (i.due, i.amount)).collect(),
        }
    }
}

/// Applies a payment of `cents` to instalments that still lack `remaining[i]` cents (in
/// instalment order), oldest first: (index, cents applied). What exceeds the agreement is
/// not applied to it (it still reduces the invoice).
pub fn allocate(remaining: &[i64], cents: i64) -> Vec<(usize, i64)> {
    let mut left = cents.max(0);
    let mut out = Vec::new();
    for (i, r) in remaining.iter().enumerate() {
        if left == 0 {
            break;
        }
        let take = left.min((*r).max(0));
        if take > 0 {
            out.push((i, take));
            left -= take;
        }
    }
    out
}

#[cfg(test)]
mod tests;
