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
    #[error(
        "'nudge' is the friendly note before the due date: give it a negative number of days (e.g. -3), not {0}"
    )]
    NudgeAfterDue(i32),
    #[error("'{0}' comes after the due date: give it 1 or more days, not {1}")]
    BeforeDue(Step, i32),
    #[error("'{0}' at {1} days is more than a year from the due date (at most {max})", max = MAX_OFFSET)]
    TooFar(Step, i32),
    #[error(
        "'{later}' (day {later_at}) would come before '{earlier}' (day {earlier_at}): the written steps go reminder, firm_reminder, formal_notice, agency"
    )]
    OutOfOrder { earlier: Step, earlier_at: i32, later: Step, later_at: i32 },
}

/// The furthest a step may lie from the due date, either way.
pub const MAX_OFFSET: i32 = 365;

/// The written steps whose order is fixed whatever the offsets: each one escalates the last.
const ESCALATION: [Step; 4] = [Step::Reminder, Step::FirmReminder, Step::FormalNotice, Step::Agency];

impl Ladder {
    /// A checked ladder from (step, offset) pairs, sorted by offset (ties in ladder order): the
    /// nudge before the due date, every other step after it, the written steps escalating.
    pub fn new(mut steps: Vec<(Step, i32)>) -> Result<Ladder, LadderError> {
        if steps.is_empty() {
            return Err(LadderError::Empty);
        }
        for (i, (s, _)) in steps.iter().enumerate() {
            if steps[..i].iter().any(|(t, _)| t == s) {
                return Err(LadderError::Duplicate(*s));
            }
        }
        for (step, offset) in &steps {
            if offset.abs() > MAX_OFFSET {
                return Err(LadderError::TooFar(*step, *offset));
            }
            match step {
                Step::Nudge if *offset >= 0 => return Err(LadderError::NudgeAfterDue(*offset)),
                Step::Nudge => {}
                other if *offset < 1 => return Err(LadderError::BeforeDue(*other, *offset)),
                _ => {}
            }
        }
        let present: Vec<(Step, i32)> =
            ESCALATION.iter().filter_map(|s| steps.iter().find(|(t, _)| t == s).copied()).collect();
        for pair in present.windows(2) {
            let ((earlier, earlier_at), (later, later_at)) = (pair[0], pair[1]);
            if later_at <= earlier_at {
                return Err(LadderError::OutOfOrder { earlier, earlier_at, later, later_at });
            }
        }
        // Ties (a call on the day of a reminder) keep the ladder's natural order.
        steps.sort_by_key(|(step, offset)| (*offset, *step));
        Ok(Ladder { steps })
    }

    /// This ladder with some steps moved to other days; the result is checked like a new one.
    pub fn with_offsets(&self, changes: &[(Step, i32)]) -> Result<Ladder, LadderError> {
        let mut steps = self.steps.clone();
        for (step, offset) in changes {
            match steps.iter_mut().find(|(s, _)| s == step) {
                Some(slot) => slot.1 = *offset,
                None => steps.push((*step, *offset)),
            }
        }
        Ladder::new(steps)
    }

    /// The day a step falls due for an invoice due on `due`.
    pub fn date_of(&self, step: Step, due: NaiveDate) -> Option<NaiveDate> {
        self.offset(step).map(|o| add_days(due, i64::from(o)))
    }

    pub fn steps(&self) -> &[(Step, i32)] {
        &self.steps
    }

    pub fn offset(&self, step: Step) -> Option<i32> {
        self.steps.iter().find(|(s, _)| *s == step).map(|(_, o)| *o)
    }

    pub(crate) fn position(&self, step: Step) -> Option<usize> {
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

/// The rung after the highest one already done, with its own day: the ladder's order, for
/// walking it step by step (the demo book). Steps before the due date (the friendly nudge)
/// are left out once the invoice is past due. Where an invoice stands today, with its pauses,
/// is not this: it is `ladder::evaluate`.
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

    #[test]
    fn bad_ladders_are_refused_with_the_reason() {
        use Step::*;
        let base = Policy::default().standard;
        assert_eq!(base.with_offsets(&[(Nudge, 2)]), Err(LadderError::NudgeAfterDue(2)));
        assert_eq!(base.with_offsets(&[(Reminder, -2)]), Err(LadderError::BeforeDue(Reminder, -2)));
        assert_eq!(base.with_offsets(&[(Call, 0)]), Err(LadderError::BeforeDue(Call, 0)));
        assert_eq!(base.with_offsets(&[(Agency, 400)]), Err(LadderError::TooFar(Agency, 400)));
        assert_eq!(
            base.with_offsets(&[(FirmReminder, 2)]),
            Err(LadderError::OutOfOrder {
                earlier: Reminder,
                earlier_at: 3,
                later: FirmReminder,
                later_at: 2
            })
        );
        let err = base.with_offsets(&[(Agency, 30)]).unwrap_err().to_string();
        assert!(err.contains("'agency' (day 30) would come before 'formal_notice' (day 30)"), "{err}");
        // The call may move anywhere after the due date; ties keep the ladder's order.
        let moved = base.with_offsets(&[(Call, 3)]).unwrap();
        assert_eq!(moved.steps()[1..3], [(Reminder, 3), (Call, 3)]);
        assert_eq!(moved.date_of(Call, d("2026-11-10")), Some(d("2026-11-13")));
    }
}
