use super::*;
use crate::domain::customer::Profile;
use crate::domain::policy::Policy;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Due Tue 10 Nov 2026. Standard ladder: nudge −3 (7 Nov), reminder +3 (13 Nov), call +10
/// (20 Nov), firm reminder +17 (27 Nov), formal notice +30 (10 Dec), agency +45 (25 Dec).
const DUE: &str = "2026-11-10";

fn done(steps: &[(Step, &str)]) -> Vec<DoneStep> {
    steps.iter().map(|(s, on)| DoneStep { step: *s, on: d(on), channel: Some(Channel::Email) }).collect()
}

struct Case<'a> {
    profile: Profile,
    done: &'a [(Step, &'a str)],
    pauses: &'a [Pause],
    attempts: &'a [Attempt],
    reached: Option<&'a str>,
    open: bool,
}

const STANDARD: Case<'static> =
    Case { profile: Profile::Standard, done: &[], pauses: &[], attempts: &[], reached: None, open: true };

fn at(c: &Case<'_>, today: &str) -> Standing {
    let policy = Policy::default();
    let done = done(c.done);
    evaluate(
        &Facts {
            ladder: policy.ladder(c.profile),
            due: d(DUE),
            open: c.open,
            done: &done,
            pauses: c.pauses,
            attempts: c.attempts,
            customer_reached: c.reached.map(d),
            terms: LetterTerms::default(),
        },
        d(today),
    )
}

type StepOn = Option<(Step, NaiveDate)>;

/// (state, step to take, skips, next) in short.
fn short(s: &Standing) -> (&'static str, StepOn, Vec<Step>, StepOn) {
    (
        s.state.name(),
        s.step_to_take.map(|t| (t.step, t.on)),
        s.skips.iter().collect(),
        s.next.map(|t| (t.step, t.on)),
    )
}

fn take(step: Step, on: &str) -> StepOn {
    Some((step, d(on)))
}

#[test]
fn each_profile_walks_its_own_ladder() {
    use Step::*;
    for p in Profile::ALL {
        let c = Case { profile: *p, ..STANDARD };
        assert_eq!(short(&at(&c, "2026-11-01")), ("open", None, vec![], take(Nudge, "2026-11-07")), "{p}");
    }
    // Trusted: the call (+5 = 15 Nov) before the reminder (+10).
    let trusted = Case { profile: Profile::Trusted, done: &[(Nudge, "2026-11-07")], ..STANDARD };
    assert_eq!(short(&at(&trusted, "2026-11-12")), ("open", None, vec![], take(Call, "2026-11-15")));
    // Standard: the reminder on its day, the call next.
    assert_eq!(
        short(&at(&STANDARD, "2026-11-13")),
        ("open", take(Reminder, "2026-11-13"), vec![], take(Call, "2026-11-20"))
    );
    let all = [
        (Nudge, "2026-11-07"),
        (Reminder, "2026-11-13"),
        (Call, "2026-11-20"),
        (FirmReminder, "2026-11-27"),
        (FormalNotice, "2026-12-10"),
        (Agency, "2026-12-25"),
    ];
    let exhausted = Case { done: &all, ..STANDARD };
    assert_eq!(short(&at(&exhausted, "2027-01-10")), ("open", None, vec![], None));
    let paid = Case { done: &all[..2], open: false, ..STANDARD };
    let s = at(&paid, "2026-12-01");
    assert_eq!(s.state, State::Settled);
    assert_eq!(s.done, StepSet::of(&[Nudge, Reminder]));
}

#[test]
fn after_weeks_unopened_the_most_advanced_step_and_the_ones_it_skips() {
    use Step::*;
    // Reminder sent on 13 Nov; on 1 Dec the call (20 Nov) and the firm reminder (27 Nov)
    // both fell due: the firm reminder, skipping the call. Sent today, it gives 14 days (to
    // 15 Dec): the notice comes on the 16th, not on its own day (10 Dec) nor 13 days after
    // the firm reminder (+30 − +17: 14 Dec).
    let c = Case { done: &[(Reminder, "2026-11-13")], ..STANDARD };
    assert_eq!(
        short(&at(&c, "2026-12-01")),
        ("open", take(FirmReminder, "2026-11-27"), vec![Call], take(FormalNotice, "2026-12-16"))
    );
    // Never past an unsent formal notice, even on the agency's day (25 Dec). Posted Friday
    // 15 Jan 2027, presumed received on the third working day (Wednesday 20 Jan), 14 days to
    // pay (to 3 Feb): the agency on 4 Feb.
    assert_eq!(
        short(&at(&c, "2027-01-15")),
        ("open", take(FormalNotice, "2026-12-10"), vec![Call, FirmReminder], take(Agency, "2027-02-04"))
    );
}

#[test]
fn an_existing_book_starts_with_a_reminder_never_a_notice() {
    use Step::*;
    // Nothing recorded, two months late: the notice (10 Dec) fell due, but no reminder was
    // ever sent. The reminder is the step to take; the call after it is next, 7 days after
    // it is sent (+10 − +3), as below once it is recorded.
    assert_eq!(
        short(&at(&STANDARD, "2027-01-15")),
        ("open", take(Reminder, "2026-11-13"), vec![], take(Call, "2027-01-22"))
    );
    // Once the reminder is recorded (with its real date), the ladder goes on from it, each
    // step keeping its distance from the last one taken: the call 7 days after the reminder
    // (+10 − +3), the firm reminder 14 days after, the notice 27 days after.
    let c = Case { done: &[(Reminder, "2027-01-15")], ..STANDARD };
    assert_eq!(short(&at(&c, "2027-01-15")), ("open", None, vec![], take(Call, "2027-01-22")));
    assert_eq!(short(&at(&c, "2027-02-12")).1, take(FormalNotice, "2027-02-11"));
    // A call alone is no letter: after it, the first letter is still a reminder (the firm one
    // here, the plain reminder having been passed over by the call).
    // Sent on 20 Dec, its 14 days run to 3 Jan: the notice on 4 Jan.
    let called = Case { done: &[(Call, "2026-11-20")], ..STANDARD };
    assert_eq!(
        short(&at(&called, "2026-12-20")),
        ("open", take(FirmReminder, "2026-11-27"), vec![], take(FormalNotice, "2027-01-04"))
    );
}

#[test]
fn a_call_that_passed_the_letters_over_is_followed_by_the_firm_reminder_not_the_notice() {
    use Step::*;
    // New customers: reminder +1 (11 Nov), firm reminder +10 (20 Nov), call +14 (24 Nov),
    // notice +21 (1 Dec). Called on 24 Nov with no letter sent: on 1 Dec the notice's day
    // came, but no written reminder ever went: the firm reminder, that day. Sent then, its 14
    // days run to 15 Dec: the notice on the 16th.
    // On the call's day, nothing sent: the call passes over the reminder; the firm reminder
    // comes after it, on the notice's day (7 days after the call: +21 − +14).
    let new = Case { profile: Profile::New, ..STANDARD };
    assert_eq!(
        short(&at(&new, "2026-11-24")),
        ("open", take(Call, "2026-11-24"), vec![Reminder], take(FirmReminder, "2026-12-01"))
    );
    let called = Case { profile: Profile::New, done: &[(Call, "2026-11-24")], ..STANDARD };
    // Before that day, the firm reminder is what comes next, on it.
    assert_eq!(short(&at(&called, "2026-11-28")).3, take(FirmReminder, "2026-12-01"));
    assert_eq!(
        short(&at(&called, "2026-12-01")),
        ("open", take(FirmReminder, "2026-12-01"), vec![], take(FormalNotice, "2026-12-16"))
    );
    // Once sent, its term (as the timeline gives it) holds the notice until the 16th.
    let term = [Pause {
        kind: PauseKind::LetterTerm,
        since: d("2026-12-01"),
        until: Some(d("2026-12-15")),
        ended: None,
    }];
    let sent = Case { done: &[(Call, "2026-11-24"), (FirmReminder, "2026-12-01")], pauses: &term, ..called };
    assert_eq!(short(&at(&sent, "2026-12-15")).0, "paused");
    assert_eq!(short(&at(&sent, "2026-12-16")).1, take(FormalNotice, "2026-12-16"));
}

#[test]
fn steps_recorded_after_today_do_not_count_yet() {
    use Step::*;
    let c = Case { done: &[(Reminder, "2026-11-20")], ..STANDARD };
    assert_eq!(short(&at(&c, "2026-11-14")).1, take(Reminder, "2026-11-13"));
    // Sent on the 20th, a week late: the call keeps its 7 days' distance, to the 27th.
    assert_eq!(short(&at(&c, "2026-11-20")), ("open", None, vec![], take(Call, "2026-11-27")));
}

#[test]
fn a_promise_pauses_until_its_day_and_a_broken_one_resumes_at_once() {
    use Step::*;
    let promise = [Pause {
        kind: PauseKind::Promise,
        since: d("2026-11-12"),
        until: Some(d("2026-11-25")),
        ended: None,
    }];
    let c = Case { pauses: &promise, ..STANDARD };
    let s = at(&c, "2026-11-20");
    assert_eq!(
        s.state,
        State::Paused { kind: PauseKind::Promise, since: d("2026-11-12"), until: d("2026-11-25") }
    );
    assert_eq!(s.next, Some(Dated { step: Reminder, on: d("2026-11-26") }));
    assert_eq!(s.step_to_take, None);
    // Broken: on the 26th the reminder (13th) and the call (20th) are due that day; the call
    // is the most advanced, skipping the reminder. Made today, the firm reminder keeps its 7
    // days' distance from it (+17 − +10): 3 Dec.
    let s = at(&c, "2026-11-26");
    assert_eq!(
        short(&s),
        ("open", take(Call, "2026-11-26"), vec![Reminder], take(FirmReminder, "2026-12-03"))
    );
    assert_eq!(s.resumed, Some((PauseKind::Promise, d("2026-11-26"))));
}

#[test]
fn a_dispute_holds_until_resolved() {
    use Step::*;
    let open = Pause { kind: PauseKind::Dispute, since: d("2026-11-14"), until: None, ended: None };
    let promise =
        Pause { kind: PauseKind::Promise, since: d("2026-11-12"), until: Some(d("2026-11-20")), ended: None };
    let c = Case { pauses: &[promise, open], ..STANDARD };
    let s = at(&c, "2026-11-18");
    assert_eq!(s.state, State::Disputed { since: d("2026-11-14") });
    assert_eq!((s.step_to_take, s.next), (None, None));
    let resolved = [Pause { ended: Some(d("2026-12-02")), ..open }];
    let c = Case { done: &[(Reminder, "2026-11-13")], pauses: &resolved, ..STANDARD };
    // The firm reminder sent on 2 Dec gives 14 days (to 16 Dec): the notice on the 17th.
    assert_eq!(
        short(&at(&c, "2026-12-02")),
        ("open", take(FirmReminder, "2026-12-02"), vec![Call], take(FormalNotice, "2026-12-17"))
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
    // Received on Mon 14 Dec with 14 days: the term runs to 28 Dec; the agency (+45 = 25 Dec)
    // waits until the 29th.
    let term = [notice_term(Jurisdiction::Be, d("2026-12-10"), None, Some(d("2026-12-14")), 14)];
    assert_eq!(term[0].until, Some(d("2026-12-28")));
    let c = Case { done: &steps, pauses: &term, ..STANDARD };
    let s = at(&c, "2026-12-26");
    assert_eq!(
        s.state,
        State::Paused { kind: PauseKind::NoticeTerm, since: d("2026-12-10"), until: d("2026-12-28") }
    );
    assert_eq!(s.next, Some(Dated { step: Agency, on: d("2026-12-29") }));
    assert_eq!(short(&at(&c, "2026-12-29")).1, take(Agency, "2026-12-29"));
    // Posted Thu 10 Dec without a recorded receipt: presumed received on the third working
    // day (Fri 11, Mon 14, Tue 15 Dec), so the term ends on the 29th. By email: the day sent.
    assert_eq!(notice_term(Jurisdiction::Be, d("2026-12-10"), None, None, 14).until, Some(d("2026-12-29")));
    assert_eq!(
        notice_term(Jurisdiction::Be, d("2026-12-10"), Some(Channel::Email), None, 14).until,
        Some(d("2026-12-24"))
    );
}

#[test]
fn an_unanswered_call_waits_for_the_day_to_try_again_and_three_count_as_made() {
    use Step::*;
    let one = [Attempt { on: d("2026-11-20"), retry_on: d("2026-11-23") }];
    let c = Case { done: &[(Reminder, "2026-11-13")], attempts: &one, ..STANDARD };
    let s = at(&c, "2026-11-21");
    assert_eq!(
        s.state,
        State::Paused { kind: PauseKind::NoAnswer, since: d("2026-11-20"), until: d("2026-11-22") }
    );
    assert_eq!(s.next, Some(Dated { step: Call, on: d("2026-11-23") }));
    assert_eq!(short(&at(&c, "2026-11-23")).1, take(Call, "2026-11-20"));
    let three = [
        Attempt { on: d("2026-11-20"), retry_on: d("2026-11-21") },
        Attempt { on: d("2026-11-21"), retry_on: d("2026-11-22") },
        Attempt { on: d("2026-11-22"), retry_on: d("2026-11-23") },
    ];
    let c = Case { done: &[(Reminder, "2026-11-13")], attempts: &three, ..STANDARD };
    // The call counts as made on the last try (22 Nov); the firm reminder keeps its 7 days.
    assert_eq!(short(&at(&c, "2026-11-22")), ("open", None, vec![], take(FirmReminder, "2026-11-29")));
}

#[test]
fn a_customer_reached_about_another_invoice_has_had_the_call() {
    use Step::*;
    let c = Case { done: &[(Reminder, "2026-11-13")], reached: Some("2026-11-21"), ..STANDARD };
    // Reached on the 21st: the firm reminder 7 days after that call (+17 − +10).
    assert_eq!(short(&at(&c, "2026-11-22")), ("open", None, vec![], take(FirmReminder, "2026-11-28")));
    // A call before this invoice fell due was about something else.
    let c = Case { done: &[(Reminder, "2026-11-13")], reached: Some("2026-11-09"), ..STANDARD };
    assert_eq!(short(&at(&c, "2026-11-22")).1, take(Call, "2026-11-20"));
}
