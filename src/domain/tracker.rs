//! The step tracker: where an open invoice stands on its ladder today.
//!
//! Pure: the facts (steps done, pauses) and today come in, the state goes out. A pause (an
//! open promise, an instalment plan on schedule, an open dispute, the term a formal notice
//! gives) stops escalation; when it ends every step whose day passed meanwhile falls due at
//! once. When several steps fell due (settle was not opened for two weeks) the most advanced
//! one is proposed first and the ones it skips are named, but never past an unsent formal
//! notice: nobody is handed to an agency without one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::costs::working_days_after;
use super::dates::add_days;
use super::event::Channel;
use super::interest::Jurisdiction;
use super::policy::{Ladder, Step};

/// Why escalation is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    /// The customer promised to pay by a day.
    Promise,
    /// An instalment plan that is on schedule, until its next instalment.
    InstalmentPlan,
    /// The customer disputes the invoice.
    Dispute,
    /// The payment term a formal notice gives, counted from its receipt.
    NoticeTerm,
}

impl PauseKind {
    pub fn label(&self) -> &'static str {
        match self {
            PauseKind::Promise => "promise to pay",
            PauseKind::InstalmentPlan => "instalment plan on schedule",
            PauseKind::Dispute => "open dispute",
            PauseKind::NoticeTerm => "the formal notice's payment term",
        }
    }
}

/// One fact that pauses escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub kind: PauseKind,
    pub since: NaiveDate,
    /// The last day the pause holds if nothing else happens (the promised day, the next
    /// instalment's day, the notice's deadline); `None` until it is closed (a dispute).
    pub until: Option<NaiveDate>,
    /// The day it was closed early (dispute resolved, plan cancelled), if it was.
    pub ended: Option<NaiveDate>,
}

impl Pause {
    /// The first day escalation may resume; `None` while the pause is open-ended.
    pub fn resumes(&self) -> Option<NaiveDate> {
        let lapsed = self.until.map(|u| add_days(u, 1));
        match (self.ended, lapsed) {
            (Some(e), Some(l)) => Some(e.min(l)),
            (e, l) => e.or(l),
        }
    }

    pub fn holds_on(&self, day: NaiveDate) -> bool {
        self.since <= day && self.resumes().is_none_or(|r| day < r)
    }
}

/// The pause a formal notice's term makes: until `term_days` after its receipt (presumed on
/// the third working day after posting while no receipt is recorded).
pub fn notice_term(
    jurisdiction: Jurisdiction,
    sent: NaiveDate,
    received: Option<NaiveDate>,
    term_days: u32,
) -> Pause {
    let received = received.unwrap_or_else(|| working_days_after(jurisdiction, sent, 3));
    Pause {
        kind: PauseKind::NoticeTerm,
        since: sent,
        until: Some(add_days(received, i64::from(term_days))),
        ended: None,
    }
}

/// A step recorded on the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneStep {
    pub step: Step,
    pub on: NaiveDate,
    pub channel: Option<Channel>,
}

/// A step and its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated {
    pub step: Step,
    pub on: NaiveDate,
}

/// Where an invoice stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    /// Nothing is open any more.
    Settled,
    /// Escalation waits; `next` falls due the day it ends (if that day is known).
    Paused { kind: PauseKind, since: NaiveDate, until: Option<NaiveDate>, next: Option<Dated> },
    /// A step has fallen due (on `step.on`); doing it skips the steps in `skips`.
    Due { step: Dated, skips: Vec<Dated> },
    /// The next step and the day it falls due.
    Upcoming { step: Dated },
    /// Every step of the ladder is done.
    Exhausted,
}

/// The tracker of one invoice: steps done (oldest first) and the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracker {
    pub done: Vec<DoneStep>,
    pub status: Status,
}

impl Tracker {
    /// The step to act on now or next, whatever the state.
    pub fn current(&self) -> Option<Dated> {
        match &self.status {
            Status::Due { step, .. } | Status::Upcoming { step } => Some(*step),
            Status::Paused { next, .. } => *next,
            Status::Settled | Status::Exhausted => None,
        }
    }
}

/// The tracker of an invoice due on `due` as of `today`.
pub fn track(
    ladder: &Ladder,
    due: NaiveDate,
    open: bool,
    done: &[DoneStep],
    pauses: &[Pause],
    today: NaiveDate,
) -> Tracker {
    let mut done = done.to_vec();
    done.sort_by_key(|d| d.on);
    let status = status(ladder, due, open, &done, pauses, today);
    Tracker { done, status }
}

fn status(
    ladder: &Ladder,
    due: NaiveDate,
    open: bool,
    done: &[DoneStep],
    pauses: &[Pause],
    today: NaiveDate,
) -> Status {
    if !open {
        return Status::Settled;
    }
    let after = done.iter().filter_map(|d| ladder.position(d.step)).max().map_or(0, |p| p + 1);
    // Steps before the due date (the nudge) make no sense once it has passed.
    let ahead: Vec<(Step, NaiveDate)> = ladder.steps()[after..]
        .iter()
        .filter(|(_, offset)| *offset >= 0 || today <= due)
        .map(|(step, offset)| (*step, add_days(due, i64::from(*offset))))
        .collect();
    let holding = pauses
        .iter()
        .filter(|p| p.holds_on(today))
        // An open-ended pause (a dispute) outweighs one with an end; else the longest wins.
        .max_by_key(|p| p.resumes().map_or((1, NaiveDate::MAX), |r| (0, r)));
    if let Some(p) = holding {
        let resumes = p.resumes();
        let next =
            ahead.first().map(|(step, on)| Dated { step: *step, on: resumes.map_or(*on, |r| r.max(*on)) });
        return Status::Paused {
            kind: p.kind,
            since: p.since,
            until: resumes.map(|r| add_days(r, -1)),
            next: resumes.and(next),
        };
    }
    // A step whose day passed during a pause falls due the day the pause ended.
    let resumed = pauses.iter().filter_map(Pause::resumes).filter(|r| *r <= today).max();
    let dated: Vec<Dated> = ahead
        .iter()
        .map(|(step, on)| Dated { step: *step, on: resumed.map_or(*on, |r| r.max(*on)) })
        .collect();
    let mut fallen: Vec<Dated> = Vec::new();
    for d in dated.iter().filter(|d| d.on <= today) {
        fallen.push(*d);
        if d.step == Step::FormalNotice {
            break;
        }
    }
    match fallen.pop() {
        Some(step) => Status::Due { step, skips: fallen },
        None => match dated.first() {
            Some(step) => Status::Upcoming { step: *step },
            None => Status::Exhausted,
        },
    }
}

/// Whether to propose the thank-you letter: paid in full after at least one reminder (or a
/// call, or worse), and not thanked yet.
pub fn thank_you_due(open: bool, done: &[Step], thanked: bool) -> bool {
    !open && !thanked && done.iter().any(|s| *s != Step::Nudge)
}

#[cfg(test)]
#[path = "tracker_tests.rs"]
mod tests;
