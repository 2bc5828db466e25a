use rust_decimal::dec;

use super::*;
use crate::domain::money::Currency;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An open invoice as a test describes it; its standing is worked out on the day of the run.
#[derive(Clone)]
struct Inv {
    id: InvoiceId,
    profile: Profile,
    due: NaiveDate,
    amount: Money,
    open: rust_decimal::Decimal,
    disputed: bool,
    steps_done: Vec<Step>,
    /// Promises and plans as the ladder sees them.
    pauses: Vec<crate::domain::ladder::Pause>,
}

fn acme(due: &str) -> Inv {
    Inv {
        id: InvoiceId(41),
        profile: Profile::Standard,
        due: d(due),
        amount: Money::new(dec!(1250), Currency::EUR),
        open: dec!(1250),
        disputed: false,
        steps_done: vec![],
        pauses: vec![],
    }
}

fn run(invoices: Vec<Inv>, agreements: Vec<AgreementFact>, today: &str) -> Vec<Alert> {
    let invoices = build(invoices, d(today));
    evaluate(&AlertFacts { invoices, agreements }, &AlertRules::default(), d(today))
}

fn build(invoices: Vec<Inv>, today: NaiveDate) -> Vec<OpenInvoice> {
    use crate::domain::ladder::{DoneStep, Facts, LetterTerms, Pause, PauseKind, evaluate as stand};
    let policy = crate::domain::policy::Policy::default();
    invoices
        .into_iter()
        .map(|i| {
            let done: Vec<DoneStep> = i
                .steps_done
                .iter()
                .map(|s| DoneStep { step: *s, on: i.due.min(today), channel: None })
                .collect();
            let mut pauses: Vec<Pause> = i.pauses.clone();
            if i.disputed {
                pauses.push(Pause {
                    kind: PauseKind::Dispute,
                    since: i.due.min(today),
                    until: None,
                    ended: None,
                });
            }
            let ladder = policy.ladder(i.profile);
            let facts = Facts {
                ladder,
                due: i.due,
                open: !i.open.is_zero(),
                done: &done,
                pauses: &pauses,
                attempts: &[],
                customer_reached: None,
                terms: LetterTerms::default(),
            };
            OpenInvoice {
                id: i.id,
                number: "2026-041".into(),
                customer: "Acme BV".into(),
                profile: i.profile,
                due: i.due,
                amount: i.amount,
                open: i.open,
                standing: stand(&facts, today),
            }
        })
        .collect()
}

fn kinds(alerts: &[Alert]) -> Vec<AlertKind> {
    alerts.iter().map(|a| a.kind).collect()
}

#[test]
fn the_day_after_the_due_date_says_overdue_with_customer_invoice_amount_and_days() {
    let alerts = run(vec![acme("2026-11-22")], vec![], "2026-11-23");
    assert_eq!(kinds(&alerts), vec![AlertKind::Overdue]);
    let a = &alerts[0];
    assert_eq!(a.title, "Invoice overdue");
    assert_eq!(a.body, "Acme BV — invoice 2026-041, €1,250.00, 1 day overdue");
    assert_eq!(a.key(), AlertKey { kind: AlertKind::Overdue, invoice: InvoiceId(41), on: d("2026-11-22") });
    assert_eq!(a.urgency, Urgency::Normal);
    assert_eq!(a.line(), "Invoice overdue: Acme BV — invoice 2026-041, €1,250.00, 1 day overdue");
}

#[test]
fn the_key_of_an_event_does_not_move_from_day_to_day() {
    let day1 = run(vec![acme("2026-11-22")], vec![], "2026-11-23");
    let day2 = run(vec![acme("2026-11-22")], vec![], "2026-11-24");
    assert_eq!(day1[0].key(), day2[0].key());
    assert_eq!(day2[0].body, "Acme BV — invoice 2026-041, €1,250.00, 2 days overdue");
}

#[test]
fn a_paid_invoice_produces_nothing() {
    let mut paid = acme("2026-11-10");
    paid.open = dec!(0);
    let promise = AgreementFact {
        invoice: paid.id,
        kind: AgreementKind::Promise,
        due: d("2026-11-15"),
        amount: paid.amount,
        paid: false,
    };
    assert_eq!(run(vec![paid], vec![promise], "2026-12-30"), vec![]);
}

#[test]
fn due_soon_inside_the_nudge_window_only() {
    let before = |today: &str| kinds(&run(vec![acme("2026-11-26")], vec![], today));
    assert_eq!(before("2026-11-22"), vec![], "4 days ahead is outside a 3-day window");
    assert_eq!(before("2026-11-23"), vec![AlertKind::DueSoon]);
    assert_eq!(before("2026-11-26"), vec![AlertKind::DueSoon], "due today is still due soon");
    let soon = run(vec![acme("2026-11-26")], vec![], "2026-11-23");
    assert_eq!(
        soon[0].body,
        "Acme BV — invoice 2026-041, €1,250.00, due in 3 days\nTime for a friendly nudge."
    );
    assert_eq!(soon[0].urgency, Urgency::Low);
    assert_eq!(soon[0].on, d("2026-11-26"));

    let wide = AlertRules { nudge_window_days: 7, ..AlertRules::default() };
    let facts =
        |day: &str| AlertFacts { invoices: build(vec![acme("2026-11-26")], d(day)), agreements: vec![] };
    assert_eq!(kinds(&evaluate(&facts("2026-11-19"), &wide, d("2026-11-19"))), vec![AlertKind::DueSoon]);
    assert_eq!(kinds(&evaluate(&facts("2026-11-18"), &wide, d("2026-11-18"))), vec![]);

    // Once nudged, the reminder to nudge goes.
    let mut nudged = acme("2026-11-26");
    nudged.steps_done = vec![Step::Nudge];
    assert_eq!(
        run(vec![nudged], vec![], "2026-11-24")[0].body,
        "Acme BV — invoice 2026-041, €1,250.00, due in 2 days"
    );
}

#[test]
fn ladder_steps_fall_due_per_profile_and_urgency_rises() {
    // Standard: reminder at +3, call at +10, firm reminder +17, formal notice +30.
    let alerts = run(vec![acme("2026-11-10")], vec![], "2026-11-13");
    assert_eq!(kinds(&alerts), vec![AlertKind::Overdue, AlertKind::StepDue(Step::Reminder)]);
    let step = &alerts[1];
    assert_eq!(step.on, d("2026-11-13"));
    assert_eq!(step.body, "Acme BV — invoice 2026-041, €1,250.00, 3 days overdue\nReminder due today.");

    let mut done = acme("2026-11-10");
    done.steps_done = vec![Step::Reminder, Step::Call, Step::FirmReminder];
    let alerts = run(vec![done], vec![], "2026-12-12");
    assert_eq!(alerts[0].kind, AlertKind::StepDue(Step::FormalNotice));
    assert_eq!(alerts[0].on, d("2026-12-10"));
    assert_eq!(alerts[0].urgency, Urgency::Critical);
    assert!(alerts[0].body.ends_with("Formal notice due 2 days ago."), "{}", alerts[0].body);

    // A trusted customer gets the call first (+5), a new one the reminder the day after due.
    let mut trusted = acme("2026-11-10");
    trusted.profile = Profile::Trusted;
    assert!(kinds(&run(vec![trusted], vec![], "2026-11-15")).contains(&AlertKind::StepDue(Step::Call)));
    let mut new = acme("2026-11-10");
    new.profile = Profile::New;
    assert!(kinds(&run(vec![new], vec![], "2026-11-11")).contains(&AlertKind::StepDue(Step::Reminder)));

    assert!(Urgency::Low < Urgency::Normal && Urgency::Normal < Urgency::Critical);
    assert_eq!(AlertKind::StepDue(Step::Reminder).urgency(), Urgency::Normal);
    assert_eq!(AlertKind::StepDue(Step::Agency).urgency(), Urgency::Critical);
}

#[test]
fn a_dispute_pauses_the_ladder_but_not_the_due_date() {
    let mut disputed = acme("2026-11-10");
    disputed.disputed = true;
    assert_eq!(kinds(&run(vec![disputed.clone()], vec![], "2026-11-20")), vec![AlertKind::Overdue]);
    // Before the due date it is still "due soon", but no friendly nudge on a disputed invoice.
    assert_eq!(
        run(vec![disputed], vec![], "2026-11-08")[0].body,
        "Acme BV — invoice 2026-041, €1,250.00, due in 2 days"
    );
}

#[test]
fn promises_fall_due_pause_escalation_and_break_after_the_grace_days() {
    let promise = |due: &str, paid: bool| AgreementFact {
        invoice: InvoiceId(41),
        kind: AgreementKind::Promise,
        due: d(due),
        amount: Money::new(dec!(500), Currency::EUR),
        paid,
    };
    use crate::domain::ladder::{Pause, PauseKind};
    // Promised on 11-12 for 11-20 on an invoice due 11-10, 2 days of grace: the ladder waits
    // to 11-22 included.
    let pause = |ended: Option<&str>| Pause {
        kind: PauseKind::Promise,
        since: d("2026-11-12"),
        until: Some(d("2026-11-22")),
        ended: ended.map(d),
    };
    let promised = |ended| Inv { pauses: vec![pause(ended)], ..acme("2026-11-10") };
    // Before the day, only the overdue alert.
    let k = |today: &str, p: AgreementFact| {
        let ended = if p.paid { Some("2026-11-20") } else { None };
        kinds(&run(vec![promised(ended)], vec![p], today))
    };
    assert_eq!(k("2026-11-19", promise("2026-11-20", false)), vec![AlertKind::Overdue]);
    assert_eq!(
        k("2026-11-20", promise("2026-11-20", false)),
        vec![AlertKind::Overdue, AlertKind::PromiseDue]
    );
    // Grace: 2 days for the transfer to arrive.
    assert_eq!(
        k("2026-11-22", promise("2026-11-20", false)),
        vec![AlertKind::Overdue, AlertKind::PromiseDue]
    );
    let broken = run(vec![promised(None)], vec![promise("2026-11-20", false)], "2026-11-23");
    assert_eq!(
        kinds(&broken),
        // The reminder (+3) and the call (+10) fell due meanwhile: the call is the step now,
        // told with the broken promise (one thing to do per invoice).
        vec![AlertKind::PromiseBroken, AlertKind::Overdue],
        "a broken promise is critical and escalation resumes"
    );
    assert_eq!(
        broken[0].body,
        "Acme BV — invoice 2026-041, €500.00 promised for 2026-11-20 (3 days ago), not received\nEscalation resumes: Phone call due today."
    );
    assert_eq!(broken[0].on, d("2026-11-20"));
    // A kept promise is not an alert.
    assert_eq!(
        k("2026-11-25", promise("2026-11-20", true)),
        vec![AlertKind::Overdue, AlertKind::StepDue(Step::Call)]
    );
}

#[test]
fn instalments_fall_due_and_are_missed() {
    let inst = |due: &str, paid: bool| AgreementFact {
        invoice: InvoiceId(41),
        kind: AgreementKind::Instalment,
        due: d(due),
        amount: Money::new(dec!(250), Currency::EUR),
        paid,
    };
    use crate::domain::ladder::{Pause, PauseKind};
    let mut partly = acme("2026-10-01");
    partly.open = dec!(750);
    // On schedule until the 1 Dec instalment plus 2 days of grace.
    partly.pauses = vec![Pause {
        kind: PauseKind::InstalmentPlan,
        since: d("2026-10-15"),
        until: Some(d("2026-12-03")),
        ended: None,
    }];
    let plan = vec![inst("2026-11-01", true), inst("2026-12-01", false), inst("2027-01-01", false)];
    let due = run(vec![partly.clone()], plan.clone(), "2026-12-01");
    assert_eq!(
        kinds(&due),
        vec![AlertKind::Overdue, AlertKind::InstalmentDue],
        "the plan on schedule pauses the ladder"
    );
    assert_eq!(due[1].body, "Acme BV — invoice 2026-041, instalment of €250.00 for today");
    assert!(due[0].body.contains("€750.00 open of €1,250.00"), "{}", due[0].body);
    let missed = run(vec![partly], plan, "2026-12-04");
    assert_eq!(missed[0].kind, AlertKind::InstalmentMissed);
    assert_eq!(missed[0].on, d("2026-12-01"));
    assert!(
        missed[0].body.contains("\nEscalation resumes: "),
        "a missed instalment resumes the ladder: {}",
        missed[0].body
    );
}

#[test]
fn kind_names_are_distinct() {
    let mut names: Vec<&str> = Step::ALL.iter().map(|s| AlertKind::StepDue(*s).as_str()).collect();
    names.extend(
        [
            AlertKind::DueSoon,
            AlertKind::Overdue,
            AlertKind::PromiseDue,
            AlertKind::PromiseBroken,
            AlertKind::InstalmentDue,
            AlertKind::InstalmentMissed,
        ]
        .iter()
        .map(|k| k.as_str()),
    );
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n);
}

#[test]
fn relative_days() {
    let t = d("2026-11-23");
    assert_eq!(relative(d("2026-11-23"), t), "today");
    assert_eq!(relative(d("2026-11-24"), t), "tomorrow");
    assert_eq!(relative(d("2026-11-22"), t), "yesterday");
    assert_eq!(relative(d("2026-11-26"), t), "in 3 days");
    assert_eq!(relative(d("2026-11-20"), t), "3 days ago");
}
