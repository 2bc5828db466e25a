use super::*;
use crate::domain::customer::Profile;
use crate::domain::policy::Policy;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const DUE: &str = "2026-11-10";

fn done(steps: &[(Step, &str)]) -> Vec<DoneStep> {
    steps.iter().map(|(s, on)| DoneStep { step: *s, on: d(on), channel: Some(Channel::Email) }).collect()
}

fn at(profile: Profile, steps: &[(Step, &str)], pauses: &[Pause], today: &str) -> Status {
    track(Policy::default().ladder(profile), d(DUE), true, &done(steps), pauses, d(today)).status
}

fn due(step: Step, on: &str, skips: &[(Step, &str)]) -> Status {
    Status::Due {
        step: Dated { step, on: d(on) },
        skips: skips.iter().map(|(s, o)| Dated { step: *s, on: d(o) }).collect(),
    }
}

fn upcoming(step: Step, on: &str) -> Status {
    Status::Upcoming { step: Dated { step, on: d(on) } }
}

#[test]
fn each_profile_walks_its_own_ladder() {
    use Step::*;
    // Before the due date every profile starts with the nudge, three days before.
    for p in Profile::ALL {
        assert_eq!(at(*p, &[], &[], "2026-11-01"), upcoming(Nudge, "2026-11-07"), "{p}");
    }
    // Trusted: the call (+5) before the reminder (+10).
    assert_eq!(
        at(Profile::Trusted, &[(Nudge, "2026-11-07")], &[], "2026-11-12"),
        upcoming(Call, "2026-11-15")
    );
    // Standard: reminder at +3, call at +10.
    assert_eq!(at(Profile::Standard, &[], &[], "2026-11-13"), due(Reminder, "2026-11-13", &[]));
    assert_eq!(
        at(Profile::Standard, &[(Reminder, "2026-11-13")], &[], "2026-11-14"),
        upcoming(Call, "2026-11-20")
    );
    // New: reminder at +1, then the firm reminder (+10) before the call (+14).
    assert_eq!(
        at(Profile::New, &[(Reminder, "2026-11-11")], &[], "2026-11-12"),
        upcoming(FirmReminder, "2026-11-20")
    );
    let all = [
        (Nudge, "2026-11-07"),
        (Reminder, "2026-11-13"),
        (Call, "2026-11-20"),
        (FirmReminder, "2026-11-27"),
        (FormalNotice, "2026-12-10"),
        (Agency, "2026-12-25"),
    ];
    assert_eq!(at(Profile::Standard, &all, &[], "2027-01-10"), Status::Exhausted);
    let paid =
        track(Policy::default().ladder(Profile::New), d(DUE), false, &done(&all[..2]), &[], d("2026-12-01"));
    assert_eq!(paid.status, Status::Settled);
    assert_eq!(paid.done.len(), 2);
}

#[test]
fn steps_that_fell_due_meanwhile_are_all_named_most_advanced_first() {
    use Step::*;
    // Not opened since before the due date; on 1 Dec the reminder, call and firm reminder
    // of a standard customer have all fallen due. The nudge is no longer proposed.
    assert_eq!(
        at(Profile::Standard, &[], &[], "2026-12-01"),
        due(FirmReminder, "2026-11-27", &[(Reminder, "2026-11-13"), (Call, "2026-11-20")])
    );
    // Never past an unsent formal notice, even when the agency's day has passed too.
    assert_eq!(
        at(Profile::Standard, &[(Reminder, "2026-11-13")], &[], "2027-01-15"),
        due(FormalNotice, "2026-12-10", &[(Call, "2026-11-20"), (FirmReminder, "2026-11-27")])
    );
}

#[test]
fn a_promise_pauses_until_its_day_and_a_broken_one_resumes_at_once() {
    use Step::*;
    let promise =
        Pause { kind: PauseKind::Promise, since: d("2026-11-12"), until: Some(d("2026-11-25")), ended: None };
    let s = at(Profile::Standard, &[], &[promise], "2026-11-20");
    assert_eq!(
        s,
        Status::Paused {
            kind: PauseKind::Promise,
            since: d("2026-11-12"),
            until: Some(d("2026-11-25")),
            next: Some(Dated { step: Reminder, on: d("2026-11-26") }),
        }
    );
    // Broken: the money did not come. On the 26th the reminder (due since the 13th) and the
    // call (the 20th) are due at once, the call first.
    assert_eq!(
        at(Profile::Standard, &[], &[promise], "2026-11-26"),
        due(Call, "2026-11-26", &[(Reminder, "2026-11-26")])
    );
    // A pause that ended before a step's own day does not move that day.
    assert_eq!(
        at(Profile::Standard, &[(Reminder, "2026-11-26"), (Call, "2026-11-26")], &[promise], "2026-11-26"),
        upcoming(FirmReminder, "2026-11-27")
    );
}

#[test]
fn an_instalment_plan_on_schedule_pauses_until_the_next_instalment() {
    let plan = Pause {
        kind: PauseKind::InstalmentPlan,
        since: d("2026-11-15"),
        until: Some(d("2026-12-15")),
        ended: None,
    };
    let s = at(Profile::Trusted, &[], &[plan], "2026-12-01");
    assert!(
        matches!(s, Status::Paused { kind: PauseKind::InstalmentPlan, until: Some(u), .. } if u == d("2026-12-15"))
    );
    // Missed instalment: the plan lapses and escalation resumes the next day.
    assert!(matches!(at(Profile::Trusted, &[], &[plan], "2026-12-16"), Status::Due { .. }));
}

#[test]
fn a_dispute_pauses_until_resolved() {
    use Step::*;
    let open = Pause { kind: PauseKind::Dispute, since: d("2026-11-14"), until: None, ended: None };
    let promise =
        Pause { kind: PauseKind::Promise, since: d("2026-11-12"), until: Some(d("2026-11-20")), ended: None };
    let s = at(Profile::Standard, &[], &[promise, open], "2026-11-18");
    // The open-ended dispute is the reason shown, and no date is promised for the next step.
    assert_eq!(
        s,
        Status::Paused { kind: PauseKind::Dispute, since: d("2026-11-14"), until: None, next: None }
    );
    let resolved = Pause { ended: Some(d("2026-12-02")), ..open };
    assert_eq!(
        at(Profile::Standard, &[], &[resolved], "2026-12-02"),
        due(FirmReminder, "2026-12-02", &[(Reminder, "2026-12-02"), (Call, "2026-12-02")])
    );
}

#[test]
fn the_formal_notice_term_runs_from_receipt() {
    use Step::*;
    let steps = [
        (Reminder, "2026-11-13"),
        (Call, "2026-11-20"),
        (FirmReminder, "2026-11-27"),
        (FormalNotice, "2026-12-10"),
    ];
    // Received on 14 December with 14 days: the agency (+45 = 25 Dec) waits until 29 Dec.
    let term = notice_term(Jurisdiction::Be, d("2026-12-10"), Some(d("2026-12-14")), 14);
    assert_eq!(term.until, Some(d("2026-12-28")));
    assert!(matches!(
        at(Profile::Standard, &steps, &[term], "2026-12-26"),
        Status::Paused { kind: PauseKind::NoticeTerm, .. }
    ));
    assert_eq!(at(Profile::Standard, &steps, &[term], "2026-12-29"), due(Agency, "2026-12-29", &[]));
    // Without a recorded receipt: presumed on the third working day (Thu 10 → Tue 15 Dec).
    assert_eq!(notice_term(Jurisdiction::Be, d("2026-12-10"), None, 14).until, Some(d("2026-12-29")));
}

#[test]
fn thank_you_follows_a_reminded_payment_only() {
    assert!(thank_you_due(false, &[Step::Nudge, Step::Reminder], false));
    assert!(!thank_you_due(false, &[Step::Nudge], false));
    assert!(!thank_you_due(true, &[Step::Reminder], false));
    assert!(!thank_you_due(false, &[Step::Reminder], true));
}
