//! The pauses that phone calls and agreements give an invoice's ladder (see [`super::ladder`],
//! which weighs them with the others): a promise or instalment plan pauses escalation from the
//! day it was made until its day plus the grace, ends early when it is kept or replaced, and
//! lapses the day before it broke, so the ladder resumes that day; a claimed payment pauses it
//! until the day to check the bank; an unanswered call is an attempt, tried again on its day.

use chrono::NaiveDate;

use super::agreement::{Agreement, AgreementKind, AgreementStatus};
use super::call::{Call, CallOutcome};
use super::dates::add_days;
use super::ladder::{Attempt, Pause, PauseKind};

/// The agreements' pauses as of `as_of`.
pub fn agreement_pauses(agreements: &[Agreement], as_of: NaiveDate, grace_days: u32) -> Vec<Pause> {
    let grace = |d: NaiveDate| add_days(d, i64::from(grace_days));
    agreements
        .iter()
        .filter(|a| a.made_on <= as_of)
        .filter_map(|a| {
            let kind = match a.kind {
                AgreementKind::Promise => PauseKind::Promise,
                AgreementKind::Plan => PauseKind::InstalmentPlan,
            };
            let pause = |until, ended| Pause { kind, since: a.made_on, until, ended };
            Some(match a.status(as_of, grace_days, false) {
                AgreementStatus::OnSchedule { next_due, .. } => pause(Some(grace(next_due)), None),
                AgreementStatus::Due { grace_until, .. } => pause(Some(grace_until), None),
                AgreementStatus::Broken { since, .. } => pause(Some(add_days(since, -1)), None),
                AgreementStatus::Kept { on } | AgreementStatus::Superseded { on } => pause(None, Some(on)),
                AgreementStatus::Closed => return None,
            })
        })
        .collect()
}

/// The pause a claimed payment gives: the newest call on the invoice (up to `as_of`; `calls`
/// newest first) says "already paid" and names the day to check the bank.
pub fn claim_pause(calls: &[Call], as_of: NaiveDate) -> Option<Pause> {
    let call = calls.iter().find(|c| c.on <= as_of).filter(|c| c.outcome == CallOutcome::AlreadyPaid)?;
    let until = call.follow_up?;
    Some(Pause { kind: PauseKind::PaymentClaimed, since: call.on, until: Some(until), ended: None })
}

/// The calls on the invoice that nobody answered, each with the day to try again: the day the
/// call names, else `retry_days` later.
pub fn attempts(calls: &[Call], retry_days: u32) -> Vec<Attempt> {
    calls
        .iter()
        .filter(|c| !c.reached)
        .map(|c| Attempt {
            on: c.on,
            retry_on: c.follow_up.unwrap_or_else(|| add_days(c.on, i64::from(retry_days))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::agreement::{AgreementId, Allocation, Instalment};
    use crate::domain::customer::CustomerId;
    use crate::domain::invoice::InvoiceId;
    use rust_decimal::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn promise(id: i64, made: &str, due: &str) -> Agreement {
        Agreement {
            id: AgreementId(id),
            invoice: InvoiceId(1),
            call: None,
            kind: AgreementKind::Promise,
            made_on: d(made),
            total: dec!(500),
            confirmed_on: None,
            ended_on: None,
            instalments: vec![Instalment { seq: 1, due: d(due), amount: dec!(500), paid: vec![] }],
        }
    }

    fn call(on: &str, reached: bool, outcome: CallOutcome, follow_up: Option<&str>) -> Call {
        Call {
            id: crate::domain::call::CallId(1),
            customer: CustomerId(1),
            invoice: Some(InvoiceId(1)),
            on: d(on),
            reached,
            with: None,
            outcome,
            follow_up: follow_up.map(d),
            claimed_paid_on: None,
            claimed_reference: None,
            note: String::new(),
        }
    }

    #[test]
    fn a_promise_pauses_until_its_day_plus_the_grace_and_lapses_when_broken() {
        // Promised on 11 Nov for 20 Nov, grace 2 days: paused to 22 Nov included.
        let a = [promise(7, "2026-11-11", "2026-11-20")];
        let p = agreement_pauses(&a, d("2026-11-19"), 2);
        assert_eq!(
            p,
            [Pause {
                kind: PauseKind::Promise,
                since: d("2026-11-11"),
                until: Some(d("2026-11-22")),
                ended: None
            }]
        );
        // Broken on the 23rd: the pause ends the day before, so escalation resumes that day.
        let p = agreement_pauses(&a, d("2026-11-24"), 2);
        assert_eq!(p[0].resumes(), Some(d("2026-11-23")));
        // Kept on the 20th: it ends that day.
        let mut kept = promise(2, "2026-11-11", "2026-11-20");
        kept.instalments[0].paid.push(Allocation { on: d("2026-11-20"), amount: dec!(500) });
        assert_eq!(agreement_pauses(&[kept], d("2026-11-25"), 2)[0].ended, Some(d("2026-11-20")));
    }

    #[test]
    fn a_claimed_payment_pauses_until_its_check_date_while_it_is_the_newest_word() {
        let claim = call("2026-11-23", true, CallOutcome::AlreadyPaid, Some("2026-11-26"));
        assert_eq!(
            claim_pause(std::slice::from_ref(&claim), d("2026-11-24")),
            Some(Pause {
                kind: PauseKind::PaymentClaimed,
                since: d("2026-11-23"),
                until: Some(d("2026-11-26")),
                ended: None
            })
        );
        let later = call("2026-11-25", true, CallOutcome::Promise, None);
        assert_eq!(claim_pause(&[later, claim], d("2026-11-25")), None);
    }

    #[test]
    fn unanswered_calls_are_attempts_tried_again_on_their_day() {
        let calls = [
            call("2026-11-23", false, CallOutcome::NoAnswer, Some("2026-11-27")),
            call("2026-11-20", false, CallOutcome::NoAnswer, None),
            call("2026-11-19", true, CallOutcome::Callback, Some("2026-11-20")),
        ];
        assert_eq!(
            attempts(&calls, 2),
            [
                Attempt { on: d("2026-11-23"), retry_on: d("2026-11-27") },
                Attempt { on: d("2026-11-20"), retry_on: d("2026-11-22") },
            ]
        );
    }
}
