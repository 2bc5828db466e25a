//! Statutory collection costs: the fixed B2B compensation, the Belgian consumer damages
//! scale (Code of Economic Law book XIX) and the Dutch WIK scale; and the working-day
//! arithmetic the consumer deadlines need.

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use rust_decimal::dec;
use serde::{Deserialize, Serialize};

use super::dates::add_days;
use super::interest::{Jurisdiction, round_cents};

/// One bracket of a scale as applied: `rate % × base = amount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleLine {
    /// The bracket's bounds on the amount (exclusive, inclusive), `None` above: open-ended.
    pub above: Decimal,
    pub up_to: Option<Decimal>,
    /// Percent.
    pub rate: Decimal,
    /// The part of the amount in this bracket.
    pub base: Decimal,
    pub amount: Decimal,
}

/// Which rule sets a compensation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostRule {
    /// Directive 2011/7/EU art. 6: €40 per invoice, owed without a reminder (BE B2B).
    FixedB2b,
    /// BE Code of Economic Law art. XIX.4: the consumer damages cap.
    BeConsumer,
    /// NL "Besluit vergoeding voor buitengerechtelijke incassokosten" (WIK scale).
    Wik,
}

impl CostRule {
    pub fn label(&self) -> &'static str {
        match self {
            CostRule::FixedB2b => "fixed compensation for recovery costs (directive 2011/7/EU)",
            CostRule::BeConsumer => "fixed damages, capped by art. XIX.4 of the Code of Economic Law",
            CostRule::Wik => "extrajudicial collection costs, WIK scale",
        }
    }
}

/// A compensation and how it was reached, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compensation {
    pub rule: CostRule,
    /// The amount the scale is applied to.
    pub on: Decimal,
    /// A fixed part added before the brackets (BE consumer scale).
    pub fixed: Decimal,
    pub lines: Vec<ScaleLine>,
    /// Before the minimum and maximum.
    pub scale: Decimal,
    /// Set when the minimum or the maximum decided the amount.
    pub floor: Option<Decimal>,
    pub cap: Option<Decimal>,
    pub amount: Decimal,
}

/// The €40 fixed compensation for a late B2B invoice.
pub fn fixed_b2b(on: Decimal) -> Compensation {
    let forty = dec!(40);
    Compensation {
        rule: CostRule::FixedB2b,
        on,
        fixed: forty,
        lines: vec![],
        scale: forty,
        floor: None,
        cap: None,
        amount: forty,
    }
}

fn brackets(on: Decimal, scale: &[(Decimal, Option<Decimal>, Decimal)]) -> Vec<ScaleLine> {
    scale
        .iter()
        .filter(|(above, _, _)| on > *above)
        .map(|(above, up_to, rate)| {
            let top = up_to.map_or(on, |u| on.min(u));
            let base = top - above;
            ScaleLine { above: *above, up_to: *up_to, rate: *rate, base, amount: base * rate / dec!(100) }
        })
        .collect()
}

/// The most a Belgian business may charge a consumer as damages (art. XIX.4 §2): €20 up to
/// €150; €30 + 10 % of the part above €150 up to €500; €65 + 5 % of the part above €500,
/// at most €2,000.
pub fn be_consumer(on: Decimal) -> Compensation {
    let (fixed, lines) = if on <= dec!(150) {
        (dec!(20), vec![])
    } else if on <= dec!(500) {
        (dec!(30), brackets(on, &[(dec!(150), Some(dec!(500)), dec!(10))]))
    } else {
        (dec!(65), brackets(on, &[(dec!(500), None, dec!(5))]))
    };
    let scale = fixed + lines.iter().map(|l| l.amount).sum::<Decimal>();
    let max = dec!(2000);
    let cap = (scale > max).then_some(max);
    Compensation {
        rule: CostRule::BeConsumer,
        on,
        fixed,
        lines,
        scale,
        floor: None,
        cap,
        amount: round_cents(scale.min(max)),
    }
}

/// The Dutch WIK scale: 15 % of the first €2,500, 10 % of the next €2,500, 5 % of the next
/// €5,000, 1 % of the next €190,000, 0.5 % beyond; at least €40, at most €6,775.
pub fn wik(on: Decimal) -> Compensation {
    let lines = brackets(
        on,
        &[
            (dec!(0), Some(dec!(2500)), dec!(15)),
            (dec!(2500), Some(dec!(5000)), dec!(10)),
            (dec!(5000), Some(dec!(10000)), dec!(5)),
            (dec!(10000), Some(dec!(200000)), dec!(1)),
            (dec!(200000), None, dec!(0.5)),
        ],
    );
    let scale: Decimal = lines.iter().map(|l| l.amount).sum();
    let (min, max) = (dec!(40), dec!(6775));
    let amount = round_cents(scale.clamp(min, max));
    Compensation {
        rule: CostRule::Wik,
        on,
        fixed: Decimal::ZERO,
        lines,
        scale,
        floor: (scale < min).then_some(min),
        cap: (scale > max).then_some(max),
        amount,
    }
}

/// Easter Sunday (anonymous Gregorian algorithm).
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// Public holidays: the legal ones of Belgium, the national ones of the Netherlands.
pub fn is_holiday(jurisdiction: Jurisdiction, day: NaiveDate) -> bool {
    let (m, d) = (day.month(), day.day());
    let fixed: &[(u32, u32)] = match jurisdiction {
        Jurisdiction::Be => &[(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)],
        Jurisdiction::Nl => &[(1, 1), (4, 27), (12, 25), (12, 26)],
    };
    if fixed.contains(&(m, d)) {
        return true;
    }
    let Some(easter) = easter(day.year()) else { return false };
    let offset = (day - easter).num_days();
    // Easter Monday, Ascension Day, Whit Monday (both countries). Not modelled: King's Day
    // moving off a Sunday, the Dutch Liberation Day of lustrum years.
    matches!(offset, 1 | 39 | 50)
}

pub fn is_working_day(jurisdiction: Jurisdiction, day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(jurisdiction, day)
}

/// The `n`th working day after `day` (not counting `day` itself).
pub fn working_days_after(jurisdiction: Jurisdiction, day: NaiveDate, n: u32) -> NaiveDate {
    let mut at = day;
    let mut left = n;
    while left > 0 && at < NaiveDate::MAX {
        at = add_days(at, 1);
        if is_working_day(jurisdiction, at) {
            left -= 1;
        }
    }
    at
}

#[cfg(test)]
mod tests;
