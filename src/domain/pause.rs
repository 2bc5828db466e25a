//! What phone agreements mean for the escalation ladder: an open promise, an instalment plan
//! on schedule, or a claimed payment still to be checked pauses escalation until a date; a
//! broken agreement ends the pause and the next step falls due at once.
//!
//! The tracker combines these facts with its own (disputes) when it computes the next step.

use chrono::NaiveDate;

use super::agreement::{Agreement, AgreementId, AgreementStatus};
use super::call::{Call, CallOutcome};
use super::policy::NextStep;
use super::tracker::{Pause, PauseKind};

/// Why escalation waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// A promise to pay whose date (plus grace) has not passed.
    Promise(AgreementId),
    /// An instalment plan on schedule.
    Plan(AgreementId),
    /// The customer says they paid; check before insisting.
    PaymentClaimed,
}

/// One fact for the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscalationFact {
    /// No step falls due up to and including `until`; if nothing changes, escalation resumes
    /// the day after.
    Paused { reason: PauseReason, until: NaiveDate },
    /// The agreement was broken on `since`: escalation resumes, the next step is due at once.
    Resumed { agreement: AgreementId, since: NaiveDate },
}

/// The fact an invoice's agreements give on `as_of`. Only the newest agreement counts (a
/// newer one replaces the older). `None` when there is no agreement or it no longer asks
/// anything (kept, replaced, closed).
pub fn agreement_fact(
    agreements: &[Agreement],
    as_of: NaiveDate,
    grace_days: u32,
    invoice_settled: bool,
) -> Option<EscalationFact> {
    let a = agreements.iter().filter(|a| a.made_on <= as_of).max_by_key(|a| (a.made_on, a.id))?;
    let reason = match a.kind {
        super::agreement::AgreementKind::Promise => PauseReason::Promise(a.id),
        super::agreement::AgreementKind::Plan => PauseReason::Plan(a.id),
    };
    let until = |due: NaiveDate| super::dates::add_days(due, i64::from(grace_days));
    match a.status(as_of, grace_days, invoice_settled) {
        AgreementStatus::OnSchedule { next_due, .. } => {
            Some(EscalationFact::Paused { reason, until: until(next_due) })
        }
        AgreementStatus::Due { grace_until, .. } => {
            Some(EscalationFact::Paused { reason, until: grace_until })
        }
        AgreementStatus::Broken { since, .. } => Some(EscalationFact::Resumed { agreement: a.id, since }),
        AgreementStatus::Kept { .. } | AgreementStatus::Superseded { .. } | AgreementStatus::Closed => None,
    }
}

/// The pause a claimed payment gives: the newest call on the invoice says "already paid"
/// and its check date has not passed.
pub fn claim_fact(last_call: Option<&Call>, as_of: NaiveDate) -> Option<EscalationFact> {
    let call = last_call.filter(|c| c.outcome == CallOutcome::AlreadyPaid && c.on <= as_of)?;
    let until = call.follow_up.filter(|f| *f >= as_of)?;
    Some(EscalationFact::Paused { reason: PauseReason::PaymentClaimed, until })
}

/// Both facts of an invoice: a pause wins over a resumption only if it is a newer word
/// (a claimed payment after a broken promise still gets checked first).
pub fn invoice_fact(
    agreements: &[Agreement],
    last_call: Option<&Call>,
    as_of: NaiveDate,
    grace_days: u32,
    invoice_settled: bool,
) -> Option<EscalationFact> {
    claim_fact(last_call, as_of).or_else(|| agreement_fact(agreements, as_of, grace_days, invoice_settled))
}

/// The ladder's next step once the fact is applied: hidden while paused; after a broken
/// agreement, due no earlier than the day it broke (so it is due at once, and "days late"
/// counts from the break, not from the step's original date).
pub fn apply_fact(next: Option<NextStep>, fact: Option<&EscalationFact>) -> Option<NextStep> {
    match (next, fact) {
        (_, Some(EscalationFact::Paused { .. })) => None,
        (Some(n), Some(EscalationFact::Resumed { since, .. })) => {
            Some(NextStep { step: n.step, date: n.date.max(*since) })
        }
        (n, None) => n,
        (None, Some(_)) => None,
    }
}

/// The agreements as the step tracker's pauses: each promise or plan pauses escalation from
/// the day it was made until its day plus the grace (a plan: its next instalment's), ends
/// early when it is kept or replaced, and lapses the day before it broke, so the tracker
/// resumes the ladder that day.
pub fn tracker_pauses(agreements: &[Agreement], as_of: NaiveDate, grace_days: u32) -> Vec<Pause> {
    let grace = |d: NaiveDate| super::dates::add_days(d, i64::from(grace_days));
    agreements
        .iter()
        .filter(|a| a.made_on <= as_of)
        .filter_map(|a| {
            let kind = match a.kind {
                super::agreement::AgreementKind::Promise => PauseKind::Promise,
                super::agreement::AgreementKind::Plan => PauseKind::InstalmentPlan,
            };
            let pause = |until, ended| Pause { kind, since: a.made_on, until, ended };
            Some(match a.status(as_of, grace_days, false) {
                AgreementStatus::OnSchedule { next_due, .. } => pause(Some(grace(next_due)), None),
                AgreementStatus::Due { grace_until, .. } => pause(Some(grace_until), None),
                AgreementStatus::Broken { since, .. } => pause(Some(super::dates::add_days(since, -1)), None),
                AgreementStatus::Kept { on } | AgreementStatus::Superseded { on } => pause(None, Some(on)),
                AgreementStatus::Closed => return None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::agreement::{AgreementKind, Allocation, Instalment};
    use crate::domain::customer::CustomerId;
    use crate::domain::invoice::InvoiceId;
    use crate::domain::policy::{Policy, Step, next_step};
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

    #[test]
    fn escalation_waits_for_a_promise_and_resumes_when_it_breaks() {
        // Standard customer, due 2026-11-01: the call step (+10) was done on 2026-11-11 and a
        // promise was made for 2026-11-20. The firm reminder (+17) would fall on 2026-11-18.
        let ladder = Policy::default().standard;
        let due = d("2026-11-01");
        let done = [Step::Reminder, Step::Call];
        let agreements = [promise(7, "2026-11-11", "2026-11-20")];
        let on = |day: &str| {
            let fact = agreement_fact(&agreements, d(day), 2, false);
            (fact, apply_fact(next_step(&ladder, due, &done, d(day)), fact.as_ref()))
        };
        let (fact, step) = on("2026-11-19");
        assert_eq!(
            fact,
            Some(EscalationFact::Paused {
                reason: PauseReason::Promise(AgreementId(7)),
                until: d("2026-11-22")
            })
        );
        assert_eq!(step, None, "the firm reminder waits while the promise stands");
        assert_eq!(on("2026-11-22").1, None, "still waiting on the last day of the grace");
        let (fact, step) = on("2026-11-23");
        assert_eq!(fact, Some(EscalationFact::Resumed { agreement: AgreementId(7), since: d("2026-11-23") }));
        let step = step.unwrap();
        assert_eq!((step.step, step.date), (Step::FirmReminder, d("2026-11-23")));
        assert_eq!(step.days_late(d("2026-11-23")), 0, "due at once, counted from the break");
    }

    #[test]
    fn the_newest_agreement_counts_and_a_kept_one_pauses_nothing() {
        let mut kept = promise(2, "2026-11-11", "2026-11-20");
        kept.instalments[0].paid.push(Allocation { on: d("2026-11-20"), amount: dec!(500) });
        assert_eq!(agreement_fact(&[kept], d("2026-11-25"), 2, true), None);
        let older = promise(1, "2026-11-01", "2026-11-05");
        let newer = promise(2, "2026-11-08", "2026-11-30");
        let fact = agreement_fact(&[older, newer], d("2026-11-10"), 2, false);
        assert!(matches!(
            fact,
            Some(EscalationFact::Paused { reason: PauseReason::Promise(AgreementId(2)), .. })
        ));
    }

    #[test]
    fn a_claimed_payment_pauses_until_its_check_date() {
        let call = Call {
            id: crate::domain::call::CallId(1),
            customer: CustomerId(1),
            invoice: Some(InvoiceId(1)),
            on: d("2026-11-23"),
            reached: true,
            with: None,
            outcome: CallOutcome::AlreadyPaid,
            follow_up: Some(d("2026-11-26")),
            claimed_paid_on: Some(d("2026-11-20")),
            claimed_reference: None,
            note: String::new(),
        };
        let broken = [promise(1, "2026-11-01", "2026-11-05")];
        let fact = invoice_fact(&broken, Some(&call), d("2026-11-24"), 2, false);
        assert_eq!(
            fact,
            Some(EscalationFact::Paused { reason: PauseReason::PaymentClaimed, until: d("2026-11-26") })
        );
        let after = invoice_fact(&broken, Some(&call), d("2026-11-27"), 2, false);
        assert!(matches!(after, Some(EscalationFact::Resumed { .. })));
    }
}
