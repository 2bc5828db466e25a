//! Where an invoice stands on its ladder: the one answer every surface reads (Today, the
//! agenda, `check`, the Invoice screen's ladder, `s`, `track`, the letters, the dossier and
//! the call script). Pure: the invoice's facts and today go in, a [`Standing`] comes out.
//!
//! The rules, in order:
//! - Nothing open: settled.
//! - Steps recorded after today do not count yet (a look at the book as of an earlier day).
//! - A customer reached by phone after the invoice fell due has had the call about it (the
//!   call script names every open invoice), and three unanswered calls count as the call made.
//! - An open dispute holds everything until it is resolved; a promise or instalment plan on
//!   schedule, a claimed payment awaiting the bank, the formal notice's term counted from its
//!   receipt and an unanswered call (until the day to try again) pause the ladder until a day.
//!   When a pause ends, every step whose day passed meanwhile falls due that day.
//! - Of the steps that fell due, the most advanced is the step to take, never past an unsent
//!   formal notice (nobody is handed to an agency without one), and the ones it passes over are
//!   named. The nudge makes no sense once the due date has passed.
//! - Starting gently: while no written reminder was sent, the formal notice is never proposed
//!   (nor anything after the first written reminder): the step to take is that reminder,
//!   however late the invoice (for a consumer, the free first reminder the law requires); the
//!   firm reminder when a call made passed the reminders over.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::costs::working_days_after;
use super::dates::add_days;
use super::event::Channel;
use super::interest::Jurisdiction;
use super::policy::{Ladder, Step};

mod terms;
pub use terms::LetterTerms;

/// How many unanswered calls count as the call step made.
pub const CALL_ATTEMPTS: usize = 3;

/// The ladder steps done on an invoice, one bit per step in [`Step`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct StepSet(pub u8);

impl StepSet {
    pub fn of(steps: &[Step]) -> StepSet {
        steps.iter().fold(StepSet::default(), |s, step| s.with(*step))
    }

    pub fn with(self, step: Step) -> StepSet {
        StepSet(self.0 | 1 << (step as u8))
    }

    pub fn without(self, step: Step) -> StepSet {
        StepSet(self.0 & !(1 << (step as u8)))
    }

    pub fn contains(&self, step: Step) -> bool {
        self.0 & (1 << (step as u8)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The steps, in [`Step`] order.
    pub fn iter(self) -> impl Iterator<Item = Step> {
        Step::ALL.iter().copied().filter(move |s| self.contains(*s))
    }

    /// The steps, into a buffer on the stack (no allocation per invoice).
    pub fn fill<'a>(&self, buf: &'a mut [Step; 6]) -> &'a [Step] {
        let mut n = 0;
        for s in self.iter() {
            if let Some(slot) = buf.get_mut(n) {
                *slot = s;
                n += 1;
            }
        }
        &buf[..n]
    }
}

/// Why escalation waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    /// The customer promised to pay by a day.
    Promise,
    /// An instalment plan that is on schedule, until its next instalment.
    InstalmentPlan,
    /// The customer disputes the invoice: no end until it is resolved.
    Dispute,
    /// The customer says they paid: check the bank before insisting.
    PaymentClaimed,
    /// The payment term a formal notice gives, counted from its receipt.
    NoticeTerm,
    /// The payment term a reminder gives: the firm reminder's new term, a consumer's 14 days
    /// after the first reminder.
    LetterTerm,
    /// The call was not answered: try again on the agreed day.
    NoAnswer,
}

impl PauseKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            PauseKind::Promise => "promise",
            PauseKind::InstalmentPlan => "instalment_plan",
            PauseKind::Dispute => "dispute",
            PauseKind::PaymentClaimed => "payment_claimed",
            PauseKind::NoticeTerm => "notice_term",
            PauseKind::LetterTerm => "letter_term",
            PauseKind::NoAnswer => "no_answer",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            PauseKind::Promise => "promise to pay",
            PauseKind::InstalmentPlan => "instalment plan on schedule",
            PauseKind::Dispute => "open dispute",
            PauseKind::PaymentClaimed => "payment claimed, to check",
            PauseKind::NoticeTerm => "the formal notice's payment term",
            PauseKind::LetterTerm => "the reminder's payment term",
            PauseKind::NoAnswer => "call not answered, to try again",
        }
    }
}

/// One fact that pauses escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub kind: PauseKind,
    pub since: NaiveDate,
    /// The last day the pause holds if nothing else happens (the promised day plus the grace,
    /// the next instalment's, the notice's deadline); `None` while open-ended (a dispute).
    pub until: Option<NaiveDate>,
    /// The day it was closed early (dispute resolved, promise kept), if it was.
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
/// the third working day after posting while no receipt is recorded; the day it was sent for
/// an email).
pub fn notice_term(
    jurisdiction: Jurisdiction,
    sent: NaiveDate,
    channel: Option<Channel>,
    received: Option<NaiveDate>,
    term_days: u32,
) -> Pause {
    let received = received.unwrap_or_else(|| match channel {
        Some(Channel::Email) => sent,
        _ => working_days_after(jurisdiction, sent, 3),
    });
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

/// A call that nobody answered, and the day to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub on: NaiveDate,
    pub retry_on: NaiveDate,
}

/// A step and its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated {
    pub step: Step,
    pub on: NaiveDate,
}

/// Everything the evaluator looks at for one invoice.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The customer's ladder: the profile's, with the customer's own overrides.
    pub ladder: &'a Ladder,
    pub due: NaiveDate,
    /// Whether anything is still owed.
    pub open: bool,
    /// Steps recorded, in any order (a call only when someone was reached).
    pub done: &'a [DoneStep],
    pub pauses: &'a [Pause],
    /// Calls on the invoice that nobody answered.
    pub attempts: &'a [Attempt],
    /// The last day the customer was reached by phone, about any invoice.
    pub customer_reached: Option<NaiveDate>,
    /// The terms the customer's letters give: the step to take is projected with the term
    /// its letter will start.
    pub terms: LetterTerms,
}

/// The invoice's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Nothing is owed any more.
    Settled,
    /// Escalation runs.
    Open,
    /// Escalation waits until `until` (included) for the reason `kind`.
    Paused { kind: PauseKind, since: NaiveDate, until: NaiveDate },
    /// A dispute holds escalation until it is resolved.
    Disputed { since: NaiveDate },
}

impl State {
    pub fn name(&self) -> &'static str {
        match self {
            State::Settled => "settled",
            State::Open => "open",
            State::Paused { .. } => "paused",
            State::Disputed { .. } => "disputed",
        }
    }
}

/// The one answer: where the invoice stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub state: State,
    /// The step that fell due and is to be taken now (on the day it fell due).
    pub step_to_take: Option<Dated>,
    /// The steps that fell due before it and that taking it passes over.
    pub skips: StepSet,
    /// The step after the one to take (as if taken today: its letter's term runs first), or
    /// the next one ahead, with its day.
    pub next: Option<Dated>,
    /// The steps that count as done today.
    pub done: StepSet,
    /// The latest pause that ended on or before today, and the day escalation resumed.
    pub resumed: Option<(PauseKind, NaiveDate)>,
    /// The last step taken (its offset on the ladder) and its day: the steps after it keep
    /// their distance from it.
    pub anchor: Option<(i32, NaiveDate)>,
    /// The calls made that nobody answered, up to today.
    pub tries: u8,
    /// From what the steps ahead count ([`Standing::day_ahead`]).
    pub ahead: Ahead,
}

/// From what the steps still ahead count: once the step to take is taken today, or once the
/// wait ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ahead {
    /// The step they keep their distance from and its day: the step to take as if taken
    /// today, else the last one taken.
    pub anchor: Option<(i32, NaiveDate)>,
    /// The first day escalation runs: the day the pause holding today ends, or the day the
    /// term of the step to take's letter ends.
    pub from: Option<NaiveDate>,
}

impl Standing {
    /// The highest rung done on `ladder`, the nudge aside.
    pub fn last(&self, ladder: &Ladder) -> Option<Step> {
        self.done.iter().filter(|s| *s != Step::Nudge).max_by_key(|s| ladder.position(*s))
    }

    /// The day a step still ahead falls due: its own day on the ladder, kept at its distance
    /// from the last step taken (a reminder sent late does not bring the firm reminder the
    /// next day), and not before escalation resumed after a pause.
    pub fn day_of(&self, due: NaiveDate, offset: i32) -> NaiveDate {
        let own = add_days(due, i64::from(offset));
        let spaced = self.anchor.map_or(own, |(o, on)| add_days(on, i64::from(offset - o)));
        let resumed = self.resumed.map_or(own, |(_, r)| r);
        own.max(spaced).max(resumed)
    }

    /// The day a step after the step to take (or after the wait) falls due: as
    /// [`Standing::day_of`], but counted from the step to take as if taken today and not
    /// before its letter's term, or the wait, ends. [`Standing::next`] is the first of them.
    pub fn day_ahead(&self, due: NaiveDate, offset: i32) -> NaiveDate {
        let own = add_days(due, i64::from(offset));
        let spaced = self.ahead.anchor.map_or(own, |(o, on)| add_days(on, i64::from(offset - o)));
        let from = self.ahead.from.unwrap_or(own);
        self.day_of(due, offset).max(spaced).max(from)
    }

    /// Whether escalation waits (a pause or a dispute).
    pub fn waits(&self) -> bool {
        matches!(self.state, State::Paused { .. } | State::Disputed { .. })
    }
}

/// Whether a written reminder (not a nudge, not a call) was sent.
fn reminded(done: StepSet) -> bool {
    done.contains(Step::Reminder) || done.contains(Step::FirmReminder) || done.contains(Step::FormalNotice)
}

/// Where the invoice stands on `today`.
pub fn evaluate(f: &Facts<'_>, today: NaiveDate) -> Standing {
    let mut done = StepSet::default();
    for d in f.done.iter().filter(|d| d.on <= today) {
        done = done.with(d.step);
    }
    stand(f, done, None, Pass::Today, today)
}

/// [`evaluate_done`], the call counted as made when the customer was reached since the
/// invoice fell due (about another invoice: the script names them all), or after three
/// unanswered tries; this answers only for the call itself, never for the letters before it.
fn stand(
    f: &Facts<'_>,
    done: StepSet,
    called_on: Option<NaiveDate>,
    pass: Pass,
    today: NaiveDate,
) -> Standing {
    let standing = evaluate_done(f, done, called_on, pass, today);
    if standing.step_to_take.is_none_or(|t| t.step != Step::Call) {
        return standing;
    }
    let reached = f.customer_reached.filter(|r| *r > f.due && *r <= today);
    let tries = || f.attempts.iter().filter(|a| a.on <= today).map(|a| a.on);
    let tried = (tries().count() >= CALL_ATTEMPTS).then(|| tries().max()).flatten();
    match reached.max(tried) {
        Some(called_on) => evaluate_done(f, done.with(Step::Call), Some(called_on), pass, today),
        None => standing,
    }
}

/// Which answer [`evaluate_done`] works out.
#[derive(Debug, Clone, Copy)]
enum Pass {
    /// Where the invoice stands today.
    Today,
    /// Where it would stand once the step to take is taken today, as if recorded (`taken`),
    /// with the pause its letter starts: only for the steps after it.
    AsIfTaken { taken: DoneStep, started: Option<Pause> },
}

/// [`evaluate`] with the steps that count as done already worked out.
fn evaluate_done(
    f: &Facts<'_>,
    done: StepSet,
    called_on: Option<NaiveDate>,
    pass: Pass,
    today: NaiveDate,
) -> Standing {
    let settled = Standing {
        state: State::Settled,
        step_to_take: None,
        skips: StepSet::default(),
        next: None,
        done: StepSet::default(),
        resumed: None,
        anchor: None,
        tries: 0,
        ahead: Ahead::default(),
    };
    let attempts = || f.attempts.iter().filter(|a| a.on <= today);
    if !f.open {
        return Standing { done, ..settled };
    }
    let ladder = f.ladder;
    let (taken, started) = match pass {
        Pass::AsIfTaken { taken, started } => (Some(taken), started),
        Pass::Today => (None, None),
    };
    let last = done.iter().filter_map(|s| ladder.position(s).map(|p| (p, s))).max();
    let after = last.map_or(0, |(p, _)| p + 1);
    // The last step taken and its day: the steps after it keep their distance from it (a
    // reminder sent late does not bring the firm reminder the next day).
    let anchor = last.and_then(|(_, step)| {
        let recorded = f.done.iter().chain(taken.iter());
        let on = recorded.filter(|d| d.step == step && d.on <= today).map(|d| d.on).max();
        Some((ladder.offset(step)?, on.or(called_on)?))
    });
    let pauses = || f.pauses.iter().chain(started.iter());
    let resumed = pauses()
        .filter(|p| p.since <= today)
        .filter_map(|p| p.resumes().filter(|r| *r <= today).map(|r| (p.kind, r)))
        .max_by_key(|(_, r)| *r);
    let base = Standing {
        state: State::Open,
        step_to_take: None,
        skips: StepSet::default(),
        next: None,
        done,
        resumed,
        anchor,
        tries: u8::try_from(attempts().count()).unwrap_or(u8::MAX),
        ahead: Ahead { anchor, from: None },
    };
    // Nor when a call passed the written reminders over (it comes after them on this ladder,
    // as on the new customers'): while no written reminder went, the firm reminder comes on
    // the notice's day, whether that day is today or still ahead.
    let gently = |d: Dated| match d.step {
        Step::FormalNotice | Step::Agency if !reminded(done) => Dated { step: Step::FirmReminder, ..d },
        _ => d,
    };
    // The steps still ahead and their days; the nudge only before the due date.
    let ahead = ladder.steps()[after..]
        .iter()
        .filter(|(_, offset)| *offset >= 0 || today <= f.due)
        .map(|(step, offset)| Dated { step: *step, on: base.day_of(f.due, *offset) });

    // A pause holding today: an open-ended one (a dispute) outweighs one with an end; else
    // the one that lasts longest.
    let holding = pauses()
        .filter(|p| p.holds_on(today))
        .max_by_key(|p| p.resumes().map_or((1, NaiveDate::MAX), |r| (0, r)));
    if let Some(p) = holding {
        return match p.resumes() {
            None => Standing { state: State::Disputed { since: p.since }, ..base },
            Some(r) => Standing {
                state: State::Paused { kind: p.kind, since: p.since, until: add_days(r, -1) },
                next: ahead.take(1).map(|d| gently(Dated { on: d.on.max(r), ..d })).next(),
                ahead: Ahead { anchor, from: Some(r) },
                ..base
            },
        };
    }
    let dated = ahead;
    // The steps that fell due, in ladder order, up to the formal notice; the first one ahead.
    let mut buf = [Dated { step: Step::Nudge, on: today }; 6];
    let mut n = 0;
    let mut upcoming: Option<Dated> = None;
    for d in dated {
        let past_notice = n > 0 && buf[n - 1].step == Step::FormalNotice;
        if d.on > today || upcoming.is_some() || past_notice {
            upcoming.get_or_insert(d);
            continue;
        }
        if let Some(slot) = buf.get_mut(n) {
            *slot = d;
            n += 1;
        }
    }
    let fallen = &buf[..n];
    let Some(mut chosen_at) = fallen.len().checked_sub(1) else {
        return Standing { next: upcoming.map(gently), ..base };
    };
    // Starting gently: the first written letter is a reminder, never a notice.
    if !reminded(done) {
        let cap = fallen.iter().position(|d| matches!(d.step, Step::Reminder | Step::FirmReminder));
        let beyond = fallen[chosen_at].step;
        if let Some(cap) = cap
            && matches!(beyond, Step::FormalNotice | Step::Agency | Step::FirmReminder)
            && cap < chosen_at
        {
            chosen_at = cap;
        }
    }
    let chosen = gently(fallen[chosen_at]);
    // An unanswered call: try again on the agreed day before anything else.
    if chosen.step == Step::Call
        && attempts().count() < CALL_ATTEMPTS
        && let Some(last) = attempts().max_by_key(|a| (a.on, a.retry_on))
        && last.retry_on > today
    {
        return Standing {
            state: State::Paused {
                kind: PauseKind::NoAnswer,
                since: last.on,
                until: add_days(last.retry_on, -1),
            },
            next: Some(Dated { step: Step::Call, on: last.retry_on }),
            ahead: Ahead { anchor, from: Some(last.retry_on) },
            ..base
        };
    }
    let skips = fallen[..chosen_at].iter().fold(StepSet::default(), |s, d| s.with(d.step));
    let Pass::Today = pass else {
        // As if taken: a step falling due the same day as the one taken is the next.
        return Standing { step_to_take: Some(chosen), skips, next: Some(chosen), ..base };
    };
    // The steps after it as they will fall once it is taken today: its letter's term first
    // (the rule is the letter's own: [`LetterTerms::pause`]), the rest at their distance from it.
    let taken = DoneStep { step: chosen.step, on: today, channel: None };
    let started = f.terms.pause(chosen.step, today, None, None);
    let taken = stand(f, done.with(chosen.step), called_on, Pass::AsIfTaken { taken, started }, today);
    // A written reminder a call passes over, while none was sent, still comes after it.
    let skips = taken.next.map_or(skips, |n| skips.without(n.step));
    Standing { step_to_take: Some(chosen), skips, next: taken.next, ahead: taken.ahead, ..base }
}

/// Whether to propose the thank-you letter: paid in full after at least one reminder (or a
/// call, or worse), and not thanked yet.
pub fn thank_you_due(open: bool, done: StepSet, thanked: bool) -> bool {
    !open && !thanked && done.iter().any(|s| s != Step::Nudge)
}

#[cfg(test)]
mod tests;
