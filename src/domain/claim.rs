//! What may lawfully be claimed on a late invoice today: statutory interest and collection
//! costs per jurisdiction and customer kind, and from which day.
//!
//! - Business customers (directive 2011/7/EU): interest from the day after the due date, at
//!   the commercial rate; in Belgium the fixed €40 compensation, in the Netherlands the WIK
//!   scale (at least €40). Owed without a reminder.
//! - Belgian consumers (Code of Economic Law book XIX): nothing before the free first
//!   reminder and the 14 days it gives (from the day after an email, from the third working
//!   day after a letter is posted); then interest at most at the commercial rate and damages
//!   capped by the XIX.4 scale, both counted from the end of those 14 days.
//! - Dutch consumers: WIK costs only after the 14-day letter, counted from the day after it
//!   is received; interest only if the table holds consumer rates.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::costs::{Compensation, be_consumer, fixed_b2b, wik, working_days_after};
use super::customer::CustomerKind;
use super::dates::add_days;
use super::event::Channel;
use super::interest::{Interest, Jurisdiction, RateError, RateKind, RateTable, round_cents, simple_interest};
use super::money::Currency;

/// The longest B2B payment term Belgian law allows since 2022.
pub const BE_MAX_TERM_DAYS: i64 = 60;
/// The consumer's period after the first reminder (BE) or the 14-day letter (NL).
pub const CONSUMER_TERM_DAYS: i64 = 14;

/// A written reminder as it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentLetter {
    pub sent: NaiveDate,
    pub channel: Channel,
    /// When the customer received it, if known (registered mail).
    pub received: Option<NaiveDate>,
}

/// The facts a claim is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimInput<'a> {
    pub jurisdiction: Jurisdiction,
    pub kind: CustomerKind,
    pub currency: Currency,
    pub amount: Decimal,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    /// Dated payments, credits and write-offs.
    pub reductions: &'a [(NaiveDate, Decimal)],
    pub as_of: NaiveDate,
    /// The first written reminder sent after the due date (consumers: it starts the 14 days).
    pub first_reminder: Option<SentLetter>,
}

/// The 14 days a consumer is given, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerTerm {
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    /// Whether the start rests on a presumed (not recorded) day of receipt or posting.
    pub presumed: bool,
}

/// What may be claimed as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub jurisdiction: Jurisdiction,
    pub kind: CustomerKind,
    pub as_of: NaiveDate,
    /// The amount still open on `as_of`.
    pub open: Decimal,
    /// The first day interest and costs may be claimed; `None` while that depends on a
    /// reminder not yet sent.
    pub charges_from: Option<NaiveDate>,
    /// Whether charges may go in a letter dated `as_of`.
    pub lawful: bool,
    pub consumer_term: Option<ConsumerTerm>,
    pub interest: Option<Interest>,
    pub compensation: Option<Compensation>,
    /// Open amount + interest + compensation, in cents.
    pub total: Decimal,
    /// Why a figure is missing or should be checked.
    pub notes: Vec<String>,
}

impl Claim {
    pub fn interest_total(&self) -> Decimal {
        self.interest.as_ref().map_or(Decimal::ZERO, |i| i.total)
    }

    pub fn compensation_total(&self) -> Decimal {
        self.compensation.as_ref().map_or(Decimal::ZERO, |c| c.amount)
    }
}

/// The consumer's 14 days after the first reminder, per jurisdiction.
pub fn consumer_term(jurisdiction: Jurisdiction, letter: &SentLetter) -> ConsumerTerm {
    let (starts, presumed) = match (jurisdiction, letter.channel, letter.received) {
        // BE: from the day after an email, from the third working day after posting.
        (Jurisdiction::Be, Channel::Email, _) => (add_days(letter.sent, 1), false),
        (Jurisdiction::Be, _, _) => (working_days_after(jurisdiction, letter.sent, 3), false),
        // NL: from the day after receipt; an email is received the day it is sent, a letter
        // presumed on the third working day when its receipt is not recorded.
        (Jurisdiction::Nl, _, Some(received)) => (add_days(received, 1), false),
        (Jurisdiction::Nl, Channel::Email, None) => (add_days(letter.sent, 1), false),
        (Jurisdiction::Nl, _, None) => (add_days(working_days_after(jurisdiction, letter.sent, 3), 1), true),
    };
    ConsumerTerm { starts, ends: add_days(starts, CONSUMER_TERM_DAYS - 1), presumed }
}

/// The claim on an invoice as of `input.as_of`.
pub fn assess(table: &RateTable, input: &ClaimInput<'_>) -> Result<Claim, RateError> {
    let reduced: Decimal =
        input.reductions.iter().filter(|(on, _)| *on <= input.as_of).map(|(_, a)| *a).sum();
    let open = (input.amount - reduced).max(Decimal::ZERO);
    let mut claim = Claim {
        jurisdiction: input.jurisdiction,
        kind: input.kind,
        as_of: input.as_of,
        open,
        charges_from: None,
        lawful: false,
        consumer_term: None,
        interest: None,
        compensation: None,
        total: open,
        notes: Vec::new(),
    };
    let term = (input.due - input.issued).num_days();
    if input.jurisdiction == Jurisdiction::Be
        && input.kind == CustomerKind::Business
        && term > BE_MAX_TERM_DAYS
    {
        claim.notes.push(format!(
            "the payment term of {term} days is longer than the {BE_MAX_TERM_DAYS} days Belgian law allows between businesses"
        ));
    }
    if input.currency != Currency::EUR {
        claim.notes.push(format!(
            "statutory interest and costs are computed for EUR invoices only, not {}",
            input.currency
        ));
        return Ok(claim);
    }
    let consumer = input.kind == CustomerKind::Consumer;
    claim.charges_from = if consumer {
        match &input.first_reminder {
            Some(letter) => {
                let t = consumer_term(input.jurisdiction, letter);
                claim.consumer_term = Some(t);
                if t.presumed {
                    claim.notes.push(format!(
                        "the reminder of {} is presumed received on {}: record the day of receipt if you know it",
                        letter.sent,
                        add_days(t.starts, -1)
                    ));
                }
                Some(add_days(t.ends, 1))
            }
            None => {
                claim.notes.push(
                    "a consumer owes no interest or costs before a first reminder and the 14 days it gives"
                        .into(),
                );
                None
            }
        }
    } else {
        Some(add_days(input.due, 1))
    };
    claim.lawful = claim.charges_from.is_some_and(|from| from <= input.as_of) && open > Decimal::ZERO;
    if !claim.lawful {
        if let Some(from) = claim.charges_from.filter(|f| *f > input.as_of) {
            claim.notes.push(format!("no interest or costs may be charged before {from}"));
        }
        return Ok(claim);
    }
    let from = claim.charges_from.unwrap_or(input.as_of);
    // Consumers in Belgium: interest only from the end of the 14 days, at most the commercial
    // rate. Elsewhere interest runs from the day after the due date.
    let (rate_kind, start) = match (input.jurisdiction, consumer) {
        (_, false) => (RateKind::B2b, from),
        (Jurisdiction::Be, true) => (RateKind::B2b, from),
        (Jurisdiction::Nl, true) => (RateKind::Consumer, add_days(input.due, 1)),
    };
    if table.has(input.jurisdiction, rate_kind) {
        claim.interest = Some(simple_interest(
            table,
            input.jurisdiction,
            rate_kind,
            input.amount,
            input.reductions,
            start,
            input.as_of,
        )?);
    } else {
        claim.notes.push(format!(
            "no {} consumer interest rate in the table: interest is left out (add [[rate]] rows with kind = \"consumer\")",
            input.jurisdiction
        ));
    }
    claim.compensation = Some(match (input.jurisdiction, consumer) {
        (Jurisdiction::Be, false) => fixed_b2b(open),
        (Jurisdiction::Be, true) => be_consumer(open),
        (Jurisdiction::Nl, _) => wik(open),
    });
    if let Some(i) = &claim.interest {
        claim.notes.extend(i.warnings.iter().cloned());
    }
    claim.total = round_cents(open + claim.interest_total() + claim.compensation_total());
    Ok(claim)
}

#[cfg(test)]
#[path = "claim_tests.rs"]
mod tests;
