//! The collection ladder: which step comes when, per customer profile, and the rule for the
//! next step of an invoice and its date.

use chrono::NaiveDate;

use super::customer::Profile;
use super::dates::add_days;
use super::event::EventKind;
use super::str_enum;

str_enum!(
    /// A rung of the escalation ladder.
    Step {
        Nudge => "nudge",
        Reminder => "reminder",
        Call => "call",
        FirmReminder => "firm_reminder",
        FormalNotice => "formal_notice",
        Agency => "agency",
    }
);

impl Step {
    pub fn label(&self) -> &'static str {
        match self {
            Step::Nudge => "Friendly nudge",
            Step::Reminder => "Reminder",
            Step::Call => "Phone call",
            Step::FirmReminder => "Firm reminder",
            Step::FormalNotice => "Formal notice",
            Step::Agency => "Collection agency",
        }
    }

    /// The timeline event that records this step as done.
    pub fn event_kind(&self) -> EventKind {
        match self {
            Step::Nudge => EventKind::NudgeSent,
            Step::Reminder => EventKind::ReminderSent,
            Step::Call => EventKind::CallLogged,
            Step::FirmReminder => EventKind::FirmReminderSent,
            Step::FormalNotice => EventKind::FormalNoticeSent,
            Step::Agency => EventKind::HandedToAgency,
        }
    }
}

/// The steps of one profile with their day offsets from the due date, ordered by offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    steps: Vec<(Step, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LadderError {
    #[error("step '{0}' appears twice")]
    Duplicate(Step),
    #[error("the ladder has no steps")]
    Empty,
}

impl Ladder {
    /// A ladder from (step, offset) pairs; sorted by offset, ties kept in the given order.
    pub fn new(mut steps: Vec<(Step, i32)>) -> Result<Ladder, LadderError> {
        if steps.is_empty() {
            return Err(LadderError::Empty);
        }
        for (i, (s, _)) in steps.iter().enumerate() {
            if steps[..i].iter().any(|(t, _)| t == s) {
                return Err(LadderError::Duplicate(*s));
            }
        }
        steps.sort_by_key(|(_, offset)| *offset);
        Ok(Ladder { steps })
    }

    pub fn steps(&self) -> &[(Step, i32)] {
        &self.steps
    }

    pub fn offset(&self, step: Step) -> Option<i32> {
        self.steps.iter().find(|(s, _)| *s == step).map(|(_, o)| *o)
    }

    fn position(&self, step: Step) -> Option<usize> {
        self.steps.iter().position(|(s, _)| *s == step)
    }
}

/// The ladders of the three profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub trusted: Ladder,
    pub standard: Ladder,
    pub new: Ladder,
}

impl Policy {
    pub fn ladder(&self, profile: Profile) -> &Ladder {
        match profile {
            Profile::Trusted => &self.trusted,
            Profile::Standard => &self.standard,
            Profile::New => &self.new,
        }
    }
}

impl Default for Policy {
    /// The defaults of DESIGN.md §3.
    fn default() -> Self {
        use Step::*;
        let ladder = |call, reminder, firm, notice, agency| {
            Ladder::new(vec![
                (Nudge, -3),
                (Call, call),
                (Reminder, reminder),
                (FirmReminder, firm),
                (FormalNotice, notice),
                (Agency, agency),
            ])
            .unwrap_or_else(|_| unreachable!("the default ladders have six distinct steps"))
        };
        Policy {
            trusted: ladder(5, 10, 21, 35, 60),
            standard: ladder(10, 3, 17, 30, 45),
            new: ladder(14, 1, 10, 21, 35),
        }
    }
}

/// The next step of an invoice and the day it falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextStep {
    pub step: Step,
    pub date: NaiveDate,
}

impl NextStep {
    /// Days since the step fell due (0 on the day, negative while it is still ahead).
    pub fn days_late(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.date).num_days()
    }
}

/// The next step for an open invoice: the first rung after the highest one already done.
/// Steps before the due date (the friendly nudge) are skipped once the invoice is past due:
/// a "your invoice falls due soon" note makes no sense afterwards. `None` once the ladder
/// is exhausted.
pub fn next_step(ladder: &Ladder, due: NaiveDate, done: &[Step], as_of: NaiveDate) -> Option<NextStep> {
    let after = done.iter().filter_map(|s| ladder.position(*s)).max().map_or(0, |p| p + 1);
    ladder.steps[after..]
        .iter()
        .find(|(_, offset)| *offset >= 0 || as_of <= due)
        .map(|(step, offset)| NextStep { step: *step, date: add_days(due, i64::from(*offset)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn default_ladders_are_ordered_by_offset() {
        let p = Policy::default();
        let order = |l: &Ladder| l.steps().iter().map(|(s, _)| *s).collect::<Vec<_>>();
        use Step::*;
        assert_eq!(order(&p.trusted), vec![Nudge, Call, Reminder, FirmReminder, FormalNotice, Agency]);
        assert_eq!(order(&p.standard), vec![Nudge, Reminder, Call, FirmReminder, FormalNotice, Agency]);
        // A new customer gets the firm reminder (+10) before the call (+14).
        assert_eq!(order(&p.new), vec![Nudge, Reminder, FirmReminder, Call, FormalNotice, Agency]);
        assert_eq!(p.new.offset(Agency), Some(35));
    }

    #[test]
    fn next_step_follows_the_ladder() {
        let p = Policy::default();
        let due = d("2026-11-10");
        // Before due: the nudge, three days before.
        let n = next_step(&p.standard, due, &[], d("2026-11-01")).unwrap();
        assert_eq!((n.step, n.date), (Step::Nudge, d("2026-11-07")));
        // Past due and nothing done: the nudge is skipped, the reminder is due at +3.
        let n = next_step(&p.standard, due, &[], d("2026-11-20")).unwrap();
        assert_eq!((n.step, n.date), (Step::Reminder, d("2026-11-13")));
        assert_eq!(n.days_late(d("2026-11-20")), 7);
        // Trusted customers get the call first.
        let n = next_step(&p.trusted, due, &[Step::Nudge], d("2026-11-20")).unwrap();
        assert_eq!((n.step, n.date), (Step::Call, d("2026-11-15")));
        // A step done out of order moves the invoice past the skipped ones.
        let n = next_step(&p.standard, due, &[Step::FormalNotice], d("2026-12-20")).unwrap();
        assert_eq!(n.step, Step::Agency);
        assert_eq!(next_step(&p.standard, due, &[Step::Agency], d("2027-02-01")), None);
    }

    #[test]
    fn duplicate_steps_are_refused() {
        assert_eq!(
            Ladder::new(vec![(Step::Call, 1), (Step::Call, 2)]),
            Err(LadderError::Duplicate(Step::Call))
        );
        assert_eq!(Ladder::new(vec![]), Err(LadderError::Empty));
    }
}
