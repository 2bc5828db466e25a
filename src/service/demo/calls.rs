//! The demo book's phone calls: a handful of promises, a plan and call-backs on overdue
//! invoices, dated around today, so Today, the Invoice screen and the forecast show them.

use std::collections::VecDeque;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::agreement::{NewAgreement, Schedule};
use crate::domain::call::{CallOutcome, NewCall};
use crate::domain::customer::CustomerId;
use crate::domain::dates::add_days;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::from_cents;
use crate::store::{BookWriter, StoreError};

/// An overdue invoice a call can be about.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub invoice: InvoiceId,
    pub customer: CustomerId,
    pub open_cents: i64,
}

/// The newest candidates as they come, every `step`-th from the newest back: as many as
/// there are [`SCENARIOS`], kept in a ring (the older ones are never picked).
pub struct Newest {
    step: usize,
    kept: VecDeque<Candidate>,
}

impl Newest {
    pub fn keeping(step: usize) -> Newest {
        let step = step.max(1);
        Newest { step, kept: VecDeque::with_capacity(Newest::kept_for(step)) }
    }

    /// How many the ring keeps: the newest, and `step` apart from it, one per scenario.
    fn kept_for(step: usize) -> usize {
        (SCENARIOS.len() - 1) * step + 1
    }

    pub fn push(&mut self, c: Candidate) {
        if self.kept.len() == Newest::kept_for(self.step) {
            self.kept.pop_front();
        }
        self.kept.push_back(c);
    }

    /// The candidates the calls are about, newest first.
    pub fn picked(&self) -> Vec<Candidate> {
        self.kept.iter().rev().step_by(self.step).copied().collect()
    }
}

/// One call per candidate, in this order, as long as there are candidates.
const SCENARIOS: [Scenario; 6] = [
    Scenario::PromiseDueToday,
    Scenario::PromiseBroken,
    Scenario::PromiseAhead,
    Scenario::Plan,
    Scenario::CallBackToday,
    Scenario::NoAnswer,
];

#[derive(Debug, Clone, Copy)]
enum Scenario {
    PromiseDueToday,
    PromiseBroken,
    PromiseAhead,
    Plan,
    CallBackToday,
    NoAnswer,
}

/// Writes the calls; returns how many.
pub fn write_calls(
    writer: &BookWriter<'_>,
    candidates: &[Candidate],
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let mut n = 0;
    for (c, scenario) in candidates.iter().zip(SCENARIOS) {
        writer.log_call(&call(c, scenario, today)?)?;
        n += 1;
    }
    Ok(n)
}

fn call(c: &Candidate, scenario: Scenario, today: NaiveDate) -> Result<NewCall, StoreError> {
    let open: Decimal = from_cents(c.open_cents);
    let day = |n: i64| add_days(today, n);
    let invalid = |e: crate::domain::agreement::AgreementError| StoreError::Invalid(e.to_string());
    let base = NewCall {
        customer: c.customer,
        invoice: Some(c.invoice),
        on: today,
        reached: true,
        with: None,
        outcome: CallOutcome::Promise,
        follow_up: None,
        claimed_paid_on: None,
        claimed_reference: None,
        note: String::new(),
        agreement: None,
    };
    Ok(match scenario {
        Scenario::PromiseDueToday => NewCall {
            on: day(-6),
            note: "Pays at the end of the week, after their own customer pays them.".into(),
            agreement: Some(NewAgreement::promise(today, open).map_err(invalid)?),
            ..base
        },
        Scenario::PromiseBroken => NewCall {
            on: day(-14),
            note: "Promised the transfer for Monday.".into(),
            agreement: Some(NewAgreement::promise(day(-6), open).map_err(invalid)?),
            ..base
        },
        Scenario::PromiseAhead => NewCall {
            on: day(-1),
            note: "The invoice had gone to the wrong address; resent it.".into(),
            agreement: Some(NewAgreement::promise(day(6), open).map_err(invalid)?),
            ..base
        },
        Scenario::Plan => NewCall {
            on: day(-4),
            outcome: CallOutcome::Plan,
            note: "Cash is tight this quarter: three instalments.".into(),
            agreement: Some(
                NewAgreement::plan(open, &Schedule::Every { count: 3, every_days: 30, first: day(10) })
                    .map_err(invalid)?,
            ),
            ..base
        },
        Scenario::CallBackToday => NewCall {
            on: day(-3),
            outcome: CallOutcome::Callback,
            follow_up: Some(today),
            note: "The owner decides; call back when he is in.".into(),
            ..base
        },
        Scenario::NoAnswer => NewCall {
            on: day(-2),
            reached: false,
            outcome: CallOutcome::NoAnswer,
            follow_up: Some(day(1)),
            ..base
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ring picks what picking from every candidate would: every `step`-th from the
    /// newest back, as many as there are scenarios.
    #[test]
    fn the_newest_kept_are_the_candidates_picked_from_all() {
        let candidate =
            |i: i64| Candidate { invoice: InvoiceId(i), customer: CustomerId(i % 3), open_cents: i };
        for step in [1, 2, 7] {
            for count in [0, 1, 5, 6, 7, 35, 36, 42, 43, 100] {
                let all: Vec<Candidate> = (1..=count).map(candidate).collect();
                let mut newest = Newest::keeping(step);
                all.iter().for_each(|c| newest.push(*c));
                let ids = |cs: Vec<Candidate>| cs.iter().map(|c| c.invoice.0).collect::<Vec<_>>();
                let from_all: Vec<Candidate> =
                    all.iter().rev().step_by(step).take(SCENARIOS.len()).copied().collect();
                assert_eq!(ids(newest.picked()), ids(from_all), "step {step}, {count} candidates");
                assert!(newest.kept.len() <= (SCENARIOS.len() - 1) * step + 1);
            }
        }
    }
}
