//! Late-payment interest: a dated rate table and interest per day (actual/365) on a base
//! that changes on known days, split per rate period ([`Accrual`], the one accrual rule; the
//! claim's ledger in [`super::claim`] decides the base: payments, yearly compounding).
//!
//! Every figure is kept exact (`Decimal`) until the total, which alone is rounded to cents,
//! so a letter's computation can be redone by hand from the table and the dates.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::add_days;

/// Whose law applies: the freelancer's country (config `jurisdiction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub enum Jurisdiction {
    #[default]
    #[serde(rename = "BE", alias = "be")]
    Be,
    #[serde(rename = "NL", alias = "nl")]
    Nl,
}

impl Jurisdiction {
    pub fn as_str(&self) -> &'static str {
        match self {
            Jurisdiction::Be => "BE",
            Jurisdiction::Nl => "NL",
        }
    }
}

impl std::fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which statutory rate a row gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// Commercial transactions (directive 2011/7/EU): reference + 8 points. BE: law of
    /// 2 August 2002, art. 5; NL: art. 6:119a BW ("wettelijke handelsrente").
    #[default]
    B2b,
    /// The civil legal rate, owed by consumers: BE the "taux d'intérêt légal" / "wettelijke
    /// interestvoet" (law of 5 May 1865, art. 2, set each calendar year); NL the "wettelijke
    /// rente" of art. 6:119 BW (set each half-year by decree, art. 6:120).
    #[serde(alias = "legal")]
    Consumer,
}

/// One row of the rate table: the rate from `from` until the next row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRow {
    pub jurisdiction: Jurisdiction,
    #[serde(default)]
    pub kind: RateKind,
    pub from: NaiveDate,
    /// The ECB reference rate the statutory rate rests on, if known.
    #[serde(default)]
    pub reference: Option<Decimal>,
    /// The statutory rate, percent a year.
    pub rate: Decimal,
    pub source: String,
    /// Whether the rate rests on a known reference rate (false: assumed, flagged when used).
    #[serde(default = "yes")]
    pub verified: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("a rate row starts on {0}: rates change on 1 January and 1 July only")]
    NotHalfYear(NaiveDate),
    #[error("the rate {0} % of the row from {1} is not between 0 and 100")]
    OutOfRange(Decimal, NaiveDate),
    #[error("the rate row from {0} has no source: say where the figure comes from")]
    NoSource(NaiveDate),
    #[error(
        "no {kind:?} interest rate for {jurisdiction} on {day}: the table starts later; add the rate to your config"
    )]
    NoRate { jurisdiction: Jurisdiction, kind: RateKind, day: NaiveDate },
}

/// The rate table: shipped rows, then the user's rows (which replace a shipped row of the
/// same jurisdiction, kind and start day).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateTable {
    rows: Vec<RateRow>,
}

impl RateTable {
    pub fn new(rows: impl IntoIterator<Item = RateRow>) -> Result<RateTable, RateError> {
        let mut table: Vec<RateRow> = Vec::new();
        for row in rows {
            if row.from.day() != 1 || !matches!(row.from.month(), 1 | 7) {
                return Err(RateError::NotHalfYear(row.from));
            }
            if row.rate < Decimal::ZERO || row.rate >= Decimal::ONE_HUNDRED {
                return Err(RateError::OutOfRange(row.rate, row.from));
            }
            if row.source.trim().is_empty() {
                return Err(RateError::NoSource(row.from));
            }
            table.retain(|r| (r.jurisdiction, r.kind, r.from) != (row.jurisdiction, row.kind, row.from));
            table.push(row);
        }
        table.sort_by_key(|r| (r.jurisdiction, r.kind, r.from));
        Ok(RateTable { rows: table })
    }

    pub fn rows(&self) -> &[RateRow] {
        &self.rows
    }

    /// The row in force on `day`, if the table reaches back that far.
    pub fn row_on(&self, jurisdiction: Jurisdiction, kind: RateKind, day: NaiveDate) -> Option<&RateRow> {
        self.rows.iter().rev().find(|r| r.jurisdiction == jurisdiction && r.kind == kind && r.from <= day)
    }

    pub fn has(&self, jurisdiction: Jurisdiction, kind: RateKind) -> bool {
        self.rows.iter().any(|r| r.jurisdiction == jurisdiction && r.kind == kind)
    }
}

/// The first day of the half-year after the one holding `day`.
fn next_half_year(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() < 7 { (day.year(), 7) } else { (day.year() + 1, 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
}

/// The first day of the half-year holding `day`.
pub fn half_year_start(day: NaiveDate) -> NaiveDate {
    let m = if day.month() < 7 { 1 } else { 7 };
    NaiveDate::from_ymd_opt(day.year(), m, 1).unwrap_or(day)
}

/// One line of the computation: `principal × rate % × days / 365`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestLine {
    /// First and last day counted (both included).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    /// The base: the principal still open, plus interest capitalised (NL, after each year).
    pub principal: Decimal,
    /// Percent a year.
    pub rate: Decimal,
    /// Exact, not rounded.
    pub amount: Decimal,
    /// The rate row's start day and source.
    pub rate_from: NaiveDate,
    pub source: String,
}

/// A year's interest added to the base it is computed on (art. 6:119 lid 2 BW: "telkens na
/// afloop van een jaar").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capitalised {
    /// The first day the larger base counts.
    pub on: NaiveDate,
    /// The interest of the year before, rounded to cents.
    pub amount: Decimal,
}

/// Interest over a period: its lines and the total rounded to cents.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Interest {
    pub lines: Vec<InterestLine>,
    /// The exact sum of the lines.
    pub exact: Decimal,
    /// `exact` rounded to cents (half away from zero): the figure claimed.
    pub total: Decimal,
    /// Yearly additions to the base (the Netherlands only).
    #[serde(default)]
    pub capitalised: Vec<Capitalised>,
    /// Rates that were assumed rather than known.
    pub warnings: Vec<String>,
}

const DAYS_A_YEAR: i64 = 365;

/// Interest accruing on a base that the caller keeps constant over each span it adds: the
/// one place a day is counted and a rate is looked up.
#[derive(Debug, Clone)]
pub struct Accrual<'t> {
    table: &'t RateTable,
    pub jurisdiction: Jurisdiction,
    pub kind: RateKind,
    interest: Interest,
}

impl<'t> Accrual<'t> {
    pub fn new(table: &'t RateTable, jurisdiction: Jurisdiction, kind: RateKind) -> Accrual<'t> {
        Accrual { table, jurisdiction, kind, interest: Interest::default() }
    }

    /// Interest on `base` from `from` to `to` (both days counted), at the table's rate for
    /// each day's half-year; returns the exact amount added. Nothing accrues when `to < from`
    /// or the base is not positive.
    pub fn add(&mut self, base: Decimal, from: NaiveDate, to: NaiveDate) -> Result<Decimal, RateError> {
        let (jurisdiction, kind) = (self.jurisdiction, self.kind);
        let mut added = Decimal::ZERO;
        let mut day = from;
        while day <= to && base > Decimal::ZERO {
            let last = add_days(next_half_year(day), -1).min(to);
            let row = self.table.row_on(jurisdiction, kind, day).ok_or(RateError::NoRate {
                jurisdiction,
                kind,
                day,
            })?;
            note_assumptions(&mut self.interest.warnings, row, day);
            added += push_line(&mut self.interest.lines, day, last, base, row);
            if last == NaiveDate::MAX {
                break;
            }
            day = add_days(last, 1);
        }
        Ok(added)
    }

    /// Records a yearly capitalisation.
    pub fn capitalise(&mut self, on: NaiveDate, amount: Decimal) {
        self.interest.capitalised.push(Capitalised { on, amount });
    }

    /// The lines so far, with their exact sum and the rounded total.
    pub fn finish(mut self) -> Interest {
        self.interest.exact = self.interest.lines.iter().map(|l| l.amount).sum();
        self.interest.total = round_cents(self.interest.exact);
        self.interest
    }
}

/// Simple interest on `principal` from `start` to `end` (both days counted), at the table's
/// rate for each day's half-year. A reduction (payment, credit) on day P still counts on P
/// and lowers the principal from P + 1; reductions before `start` lower it from the outset.
/// Nothing accrues when `end < start` or nothing is open.
pub fn simple_interest(
    table: &RateTable,
    jurisdiction: Jurisdiction,
    kind: RateKind,
    principal: Decimal,
    reductions: &[(NaiveDate, Decimal)],
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Interest, RateError> {
    let mut acc = Accrual::new(table, jurisdiction, kind);
    let mut day = start;
    while day <= end {
        let open =
            principal - reductions.iter().filter(|(on, _)| *on < day).map(|(_, a)| *a).sum::<Decimal>();
        let next_change = reductions.iter().map(|(on, _)| *on).filter(|on| *on >= day).min();
        let last = next_change.unwrap_or(end).min(end);
        acc.add(open, day, last)?;
        if last == NaiveDate::MAX {
            break;
        }
        day = add_days(last, 1);
    }
    Ok(acc.finish())
}

fn note_assumptions(warnings: &mut Vec<String>, row: &RateRow, day: NaiveDate) {
    let mut say = |w: String| {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    };
    if !row.verified {
        say(format!(
            "the {} rate from {} ({} %) is not verified ({})",
            row.jurisdiction, row.from, row.rate, row.source
        ));
    }
    if half_year_start(day) > next_half_year(row.from) {
        say(format!(
            "no {} rate in the table for the half-year from {}: used {} % (from {}); add the published rate to your config",
            row.jurisdiction,
            half_year_start(day),
            row.rate,
            row.from
        ));
    }
}

/// Appends a line, merging it into the previous one when principal and rate are unchanged
/// (a new half-year at the same rate), so the letter stays short; returns the exact amount
/// the days add.
fn push_line(
    lines: &mut Vec<InterestLine>,
    from: NaiveDate,
    to: NaiveDate,
    principal: Decimal,
    row: &RateRow,
) -> Decimal {
    let days = (to - from).num_days() + 1;
    if let Some(prev) = lines.last_mut()
        && prev.principal == principal
        && prev.rate == row.rate
        && add_days(prev.to, 1) == from
    {
        let before = prev.amount;
        prev.to = to;
        prev.days += days;
        prev.amount = amount(principal, row.rate, prev.days);
        return prev.amount - before;
    }
    let added = amount(principal, row.rate, days);
    lines.push(InterestLine {
        from,
        to,
        days,
        principal,
        rate: row.rate,
        amount: added,
        rate_from: row.from,
        source: row.source.clone(),
    });
    added
}

fn amount(principal: Decimal, rate: Decimal, days: i64) -> Decimal {
    principal * rate * Decimal::from(days) / Decimal::from(100 * DAYS_A_YEAR)
}

/// Rounds to cents, half away from zero (how amounts are rounded on invoices).
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests;
