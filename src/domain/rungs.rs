//! The step tracker of one invoice as rungs of its ladder, drawn from the ladder's one answer
//! ([`Standing`]): done (with date and channel), the step to take, the steps it passes over,
//! the steps ahead with the dates they would fall due. Pure.

use chrono::NaiveDate;

use super::event::Channel;
use super::ladder::{DoneStep, Standing, State};
use super::policy::{Ladder, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RungState {
    /// Taken: the day and channel when recorded (a call counted from another invoice's, or
    /// from three unanswered attempts, has none).
    Done { on: Option<NaiveDate>, channel: Option<Channel> },
    /// Passed over: a later step was taken, or the nudge's day went by.
    Skipped,
    /// Fell due on `date`; taking the current step passes over it.
    Overdue { date: NaiveDate },
    /// The step to take now, else the next one on its day (`paused: false`); while
    /// escalation waits, the one that falls due when the wait ends (`paused: true`).
    Current { date: NaiveDate, paused: bool },
    /// Still ahead: the day it falls due once the step to take is taken today (or the wait
    /// ends), as [`Standing::day_ahead`] says.
    Ahead { date: NaiveDate },
    /// Not while the invoice is disputed (the agency step).
    Blocked,
    /// The invoice is settled: this step will not be needed.
    NotNeeded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rung {
    pub step: Step,
    pub state: RungState,
}

/// The rungs of `ladder` for an invoice due on `due`, in ladder order, as `standing` says.
pub fn rungs(ladder: &Ladder, due: NaiveDate, done: &[DoneStep], standing: &Standing) -> Vec<Rung> {
    let current = standing.step_to_take.map(|t| (t, false)).or_else(|| match standing.state {
        State::Paused { .. } => standing.next.map(|n| (n, true)),
        State::Open => standing.next.map(|n| (n, false)),
        State::Disputed { .. } | State::Settled => None,
    });
    let highest_done = standing.done.iter().filter_map(|s| ladder.position(s)).max();
    ladder
        .steps()
        .iter()
        .enumerate()
        .map(|(i, (step, offset))| {
            let date = standing.day_of(due, *offset);
            let state = if standing.done.contains(*step) {
                let d = done.iter().rev().find(|d| d.step == *step);
                RungState::Done { on: d.map(|d| d.on), channel: d.and_then(|d| d.channel) }
            } else if standing.state == State::Settled {
                RungState::NotNeeded
            } else if let Some((c, paused)) = current.filter(|(c, _)| c.step == *step) {
                RungState::Current { date: c.on, paused }
            } else if let Some(n) = standing.next.filter(|n| n.step == *step) {
                RungState::Ahead { date: n.on }
            } else if standing.skips.contains(*step) {
                RungState::Overdue { date }
            } else if highest_done.is_some_and(|h| i < h)
                || (*step == Step::Nudge && current.is_some_and(|(c, _)| c.on > date))
            {
                RungState::Skipped
            } else if *step == Step::Agency && matches!(standing.state, State::Disputed { .. }) {
                RungState::Blocked
            } else {
                RungState::Ahead { date: standing.day_ahead(due, *offset) }
            };
            Rung { step: *step, state }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ladder::{Facts, LetterTerms, Pause, PauseKind, evaluate};
    use crate::domain::policy::Policy;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn on(
        ladder: &Ladder,
        done: &[DoneStep],
        pauses: &[Pause],
        open: bool,
        today: &str,
    ) -> Vec<(Step, RungState)> {
        let due = d("2026-11-01");
        let f = Facts {
            ladder,
            due,
            open,
            done,
            pauses,
            attempts: &[],
            customer_reached: None,
            terms: LetterTerms::default(),
        };
        let standing = evaluate(&f, d(today));
        rungs(ladder, due, done, &standing).into_iter().map(|r| (r.step, r.state)).collect()
    }

    #[test]
    fn a_late_standard_invoice_with_a_reminder_sent() {
        let p = Policy::default();
        let done = [DoneStep { step: Step::Reminder, on: d("2026-11-04"), channel: Some(Channel::Email) }];
        assert_eq!(
            on(&p.standard, &done, &[], true, "2026-11-23"),
            [
                (Step::Nudge, RungState::Skipped),
                (
                    Step::Reminder,
                    RungState::Done { on: Some(d("2026-11-04")), channel: Some(Channel::Email) }
                ),
                // The call fell due on 11 Nov, the firm reminder on 18 Nov: the firm reminder
                // is the step to take, and taking it passes over the call. Sent today (23
                // Nov), its 14 days run to 7 Dec: the notice on the 8th; the agency 28 days
                // after the firm reminder (+45 − +17), on 21 Dec.
                (Step::Call, RungState::Overdue { date: d("2026-11-11") }),
                (Step::FirmReminder, RungState::Current { date: d("2026-11-18"), paused: false }),
                (Step::FormalNotice, RungState::Ahead { date: d("2026-12-08") }),
                (Step::Agency, RungState::Ahead { date: d("2026-12-21") }),
            ]
        );
    }

    #[test]
    fn nothing_is_skipped_before_anything_happened() {
        let p = Policy::default();
        let rungs = on(&p.standard, &[], &[], true, "2026-10-20");
        assert_eq!(rungs[0], (Step::Nudge, RungState::Current { date: d("2026-10-29"), paused: false }));
        assert!(rungs[1..].iter().all(|(_, s)| matches!(s, RungState::Ahead { .. })), "{rungs:?}");
    }

    #[test]
    fn paid_paused_and_disputed_invoices() {
        let p = Policy::default();
        let paid = on(&p.trusted, &[], &[], false, "2026-11-23");
        assert!(paid.iter().all(|(_, s)| *s == RungState::NotNeeded));
        // A promise until 20 Nov: the call (trusted, +5 = 6 Nov) waits for the 21st.
        let promise = [Pause {
            kind: PauseKind::Promise,
            since: d("2026-11-03"),
            until: Some(d("2026-11-20")),
            ended: None,
        }];
        let paused = on(&p.trusted, &[], &promise, true, "2026-11-08");
        assert_eq!(paused[1], (Step::Call, RungState::Current { date: d("2026-11-21"), paused: true }));
        let dispute = [Pause { kind: PauseKind::Dispute, since: d("2026-11-03"), until: None, ended: None }];
        let disputed = on(&p.trusted, &[], &dispute, true, "2026-11-08");
        assert_eq!(disputed[5], (Step::Agency, RungState::Blocked));
        assert!(!disputed.iter().any(|(_, s)| matches!(s, RungState::Current { .. })));
    }
}
