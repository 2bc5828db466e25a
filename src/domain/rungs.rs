//! The step tracker of one invoice as rungs of its ladder: done (with date and channel),
//! skipped, the current step with its date, and the steps ahead with the dates they would
//! fall due. Pure.

use chrono::NaiveDate;

use super::dates::add_days;
use super::event::Channel;
use super::policy::{Ladder, Step, step_to_take};

/// A ladder step recorded on the invoice's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneStep {
    pub step: Step,
    pub on: NaiveDate,
    pub channel: Option<Channel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RungState {
    Done {
        on: NaiveDate,
        channel: Option<Channel>,
    },
    /// Passed over: a later step was taken, or the nudge came too late to make sense.
    Skipped,
    /// The next step; `paused` while the invoice is disputed.
    Current {
        date: NaiveDate,
        paused: bool,
    },
    Ahead {
        date: NaiveDate,
    },
    /// The invoice is settled: this step will not be needed.
    NotNeeded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rung {
    pub step: Step,
    pub state: RungState,
}

/// The rungs of `ladder` for an invoice due on `due`, in ladder order.
pub fn rungs(
    ladder: &Ladder,
    due: NaiveDate,
    done: &[DoneStep],
    open: bool,
    disputed: bool,
    today: NaiveDate,
) -> Vec<Rung> {
    let done_steps: Vec<Step> = done.iter().map(|d| d.step).collect();
    let next = if open { step_to_take(ladder, due, &done_steps, today) } else { None };
    let next_at = next.and_then(|n| ladder.steps().iter().position(|(s, _)| *s == n.step));
    ladder
        .steps()
        .iter()
        .enumerate()
        .map(|(i, (step, offset))| {
            let state = if let Some(d) = done.iter().rev().find(|d| d.step == *step) {
                RungState::Done { on: d.on, channel: d.channel }
            } else if !open {
                RungState::NotNeeded
            } else if let (Some(n), Some(at)) = (next, next_at) {
                if i == at {
                    RungState::Current { date: n.date, paused: disputed }
                } else if i < at {
                    RungState::Skipped
                } else {
                    RungState::Ahead { date: add_days(due, i64::from(*offset)) }
                }
            } else {
                RungState::Skipped
            };
            Rung { step: *step, state }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::Policy;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_late_standard_invoice_with_a_reminder_sent() {
        let p = Policy::default();
        let due = d("2026-11-01");
        let done = [DoneStep { step: Step::Reminder, on: d("2026-11-04"), channel: Some(Channel::Email) }];
        let r = rungs(&p.standard, due, &done, true, false, d("2026-11-23"));
        let states: Vec<_> = r.iter().map(|r| (r.step, r.state)).collect();
        assert_eq!(
            states,
            [
                (Step::Nudge, RungState::Skipped),
                (Step::Reminder, RungState::Done { on: d("2026-11-04"), channel: Some(Channel::Email) }),
                // The call fell due on 11 Nov, the firm reminder on 18 Nov: the firm reminder
                // is the step to take, the call is passed over.
                (Step::Call, RungState::Skipped),
                (Step::FirmReminder, RungState::Current { date: d("2026-11-18"), paused: false }),
                (Step::FormalNotice, RungState::Ahead { date: d("2026-12-01") }),
                (Step::Agency, RungState::Ahead { date: d("2026-12-16") }),
            ]
        );
    }

    #[test]
    fn paid_and_disputed_invoices() {
        let p = Policy::default();
        let due = d("2026-11-01");
        let paid = rungs(&p.trusted, due, &[], false, false, d("2026-11-23"));
        assert!(paid.iter().all(|r| r.state == RungState::NotNeeded));
        let disputed = rungs(&p.trusted, due, &[], true, true, d("2026-11-08"));
        assert_eq!(disputed[1].state, RungState::Current { date: d("2026-11-06"), paused: true });
    }
}
