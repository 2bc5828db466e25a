use super::*;
use crate::domain::money::Currency;
use rust_decimal::{Decimal, dec};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

use crate::domain::ladder::{DoneStep, Facts, LetterTerms, Pause, evaluate};

/// An open invoice with its steps done (on its due date) and its standing on `today`.
fn inv_on(
    id: i64,
    profile: Profile,
    due: &str,
    done: &[Step],
    disputed: bool,
    today: NaiveDate,
) -> OpenInvoice {
    let policy = Policy::default();
    let ladder = policy.ladder(profile);
    // Each step done on its own day.
    let done: Vec<DoneStep> = done
        .iter()
        .map(|s| DoneStep {
            step: *s,
            on: ladder.date_of(*s, d(due)).unwrap_or(d(due)).min(today),
            channel: None,
        })
        .collect();
    let pauses: Vec<Pause> = if disputed {
        vec![Pause { kind: PauseKind::Dispute, since: d(due), until: None, ended: None }]
    } else {
        vec![]
    };
    let standing = evaluate(
        &Facts {
            ladder,
            due: d(due),
            open: true,
            done: &done,
            pauses: &pauses,
            attempts: &[],
            customer_reached: None,
            terms: LetterTerms::default(),
        },
        today,
    );
    OpenInvoice {
        id: InvoiceId(id),
        customer_id: CustomerId(id),
        profile,
        due: d(due),
        open: Money::new(dec!(100) * Decimal::from(id), Currency::EUR),
        paid: false,
        claim: false,
        last: standing.last(ladder),
        standing,
    }
}

fn inv(id: i64, profile: Profile, due: &str, done: &[Step]) -> OpenInvoice {
    inv_on(id, profile, due, done, false, d("2026-11-23"))
}

fn texts(a: &Agenda, section: usize, today: NaiveDate) -> Vec<(String, String)> {
    a.sections[section]
        .items
        .iter()
        .map(|i| (i.what(&format!("Customer {}", i.invoice.id.0)), i.why(today)))
        .collect()
}

#[test]
fn a_trusted_customer_seven_days_late_gets_a_call() {
    let today = d("2026-11-23");
    let a = agenda(&[inv(1, Profile::Trusted, "2026-11-16", &[])], &[], today, today);
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.sections[0].kind, SectionKind::StepsDue);
    assert_eq!(a.sections[0].items[0].step, Some(Step::Call));
    assert_eq!(
        texts(&a, 0, today),
        [("Call Customer 1".into(), "7 days late, trusted customer, no contact yet".into())]
    );
}

#[test]
fn a_call_nobody_answered_is_said_not_called_no_contact() {
    let today = d("2026-11-23");
    let mut i = inv(1, Profile::Trusted, "2026-11-16", &[]);
    let tries = [crate::domain::ladder::Attempt { on: d("2026-11-21"), retry_on: d("2026-11-23") }];
    i.standing = evaluate(
        &Facts {
            ladder: Policy::default().ladder(Profile::Trusted),
            due: d("2026-11-16"),
            open: true,
            done: &[],
            pauses: &[],
            attempts: &tries,
            customer_reached: None,
            terms: LetterTerms::default(),
        },
        today,
    );
    assert_eq!(i.standing.tries, 1);
    let a = agenda(&[i], &[], today, today);
    assert_eq!(
        texts(&a, 0, today),
        [("Call Customer 1".into(), "7 days late, trusted customer, a call unanswered".into())]
    );
}

#[test]
fn after_weeks_unopened_the_most_advanced_step_comes_with_the_ones_it_skips() {
    let today = d("2026-11-23");
    // Standard, due 1 Oct, reminder sent: the call and the firm reminder fell due, and the
    // formal notice (+30). The notice is proposed; the two before it are named.
    let a = agenda(&[inv(1, Profile::Standard, "2026-10-01", &[Step::Reminder])], &[], today, today);
    assert_eq!(a.sections[0].items[0].step, Some(Step::FormalNotice));
    assert_eq!(
        texts(&a, 0, today),
        [(
            "Send Customer 1 the formal notice".into(),
            "53 days late, standard customer, reminder sent; skips the phone call and the firm reminder"
                .into()
        )]
    );
    // With nothing sent yet, the first letter is the reminder, however late.
    let a = agenda(&[inv(1, Profile::Standard, "2026-10-01", &[])], &[], today, today);
    assert_eq!(
        texts(&a, 0, today),
        [("Remind Customer 1".into(), "53 days late, standard customer, no contact yet".into())]
    );
}

#[test]
fn sections_sort_and_never_repeat_an_invoice() {
    let today = d("2026-11-23");
    let since = d("2026-11-20");
    let invoices = [
        // Passed due on the 21st: the standard reminder (+3) is not due until the 24th.
        inv(1, Profile::Standard, "2026-11-21", &[Step::Nudge]),
        // Passed due on the 20th, reminder due today (+3): a step, not "passed due".
        inv(2, Profile::Standard, "2026-11-20", &[]),
        // Due in two days: nudge.
        inv(3, Profile::New, "2026-11-25", &[]),
        // Due in ten days: nothing yet.
        inv(4, Profile::New, "2026-12-03", &[]),
        // Long overdue, reminder and call done: the formal notice (+30), skipping the
        // firm reminder (+17).
        inv(5, Profile::Standard, "2026-10-01", &[Step::Reminder, Step::Call]),
    ];
    let a = agenda(&invoices, &[], today, since);
    let kinds: Vec<_> = a.sections.iter().map(|s| (s.kind, s.items.len())).collect();
    assert_eq!(kinds, [(SectionKind::PassedDue, 1), (SectionKind::StepsDue, 2), (SectionKind::Nudges, 1)]);
    assert_eq!(a.sections[0].title, "Passed due since Fri 20 Nov");
    assert_eq!(
        texts(&a, 0, today),
        [(
            "Check the bank for Customer 1".into(),
            "fell due 2 days ago; next: reminder on Tue 24 Nov".into()
        )]
    );
    // Biggest sums first.
    assert_eq!(
        texts(&a, 1, today),
        [
            (
                "Send Customer 5 the formal notice".into(),
                "53 days late, standard customer, called; skips the firm reminder".into()
            ),
            ("Remind Customer 2".into(), "3 days late, standard customer, no contact yet".into()),
        ]
    );
    assert_eq!(
        texts(&a, 2, today),
        [(
            "Nudge Customer 3".into(),
            "falls due Wed 25 Nov (in 2 days); a friendly heads-up, new customer".into()
        )]
    );
    assert_eq!(a.sections[2].items[0].index, 2, "items point back into the input");
    assert_eq!(a.len(), 4);
}

#[test]
fn a_principal_paid_late_with_charges_left_is_a_claim_to_make_not_a_thank_you() {
    let today = d("2026-11-23");
    let mut paid = inv_on(1, Profile::Standard, "2026-10-01", &[Step::Reminder], false, today);
    paid.paid = true;
    paid.claim = true;
    paid.open = Money::new(dec!(55.56), Currency::EUR);
    let mut thanked = inv_on(2, Profile::Standard, "2026-10-01", &[Step::Reminder], false, today);
    thanked.paid = true;
    let a = agenda(&[paid, thanked], &[], today, today);
    let kinds: Vec<_> = a.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SectionKind::Claims, SectionKind::ThankYous]);
    assert_eq!(a.sections[0].title, "Interest and costs still claimable");
    assert_eq!(
        texts(&a, 0, today),
        [(
            "Claim interest and costs from Customer 1".into(),
            "principal paid late; €55.56 interest and costs still claimable: claim them by letter or waive them"
                .into()
        )]
    );
}

#[test]
fn a_dispute_pauses_the_ladder() {
    let today = d("2026-11-23");
    let i = inv_on(1, Profile::Standard, "2026-10-01", &[], true, today);
    assert!(agenda(&[i], &[], today, d("2026-11-22")).is_empty());
    // Newly overdue and disputed: listed, with the pause said.
    let i = inv_on(1, Profile::Standard, "2026-11-22", &[], true, today);
    let a = agenda(&[i], &[], today, d("2026-11-22"));
    assert_eq!(a.sections[0].title, "Passed due since yesterday");
    assert_eq!(a.sections[0].items[0].why(today), "fell due yesterday; disputed: escalation paused");
}

#[test]
fn step_sets_and_the_horizon() {
    let s = StepSet::of(&[Step::Call, Step::Nudge]);
    assert!(s.contains(Step::Call) && !s.contains(Step::Reminder));
    assert_eq!(s.fill(&mut [Step::Agency; 6]), [Step::Nudge, Step::Call]);
    assert_eq!(horizon_days(&Policy::default()), 3);
}

/// An invoice of `customer` with the agenda's step `step` in `currency`.
fn step_item(n: usize, customer: i64, step: Step, currency: Currency) -> AgendaItem {
    let mut invoice = inv(n as i64 + 1, Profile::Standard, "2026-10-01", &[]);
    invoice.customer_id = CustomerId(customer);
    invoice.open = Money::new(Decimal::from(n as i64 + 1), currency);
    AgendaItem {
        index: n as u32,
        invoice: invoice.kept(SectionKind::StepsDue),
        kind: SectionKind::StepsDue,
        step: Some(step),
        call: None,
        skips: StepSet::default(),
    }
}

#[test]
fn a_customers_invoices_with_the_same_step_fold_into_one_group() {
    let gbp: Currency = "GBP".parse().unwrap();
    let items = [
        step_item(0, 7, Step::Agency, Currency::EUR),
        step_item(1, 8, Step::Agency, Currency::EUR),
        step_item(2, 7, Step::Agency, Currency::EUR),
        step_item(3, 7, Step::Reminder, Currency::EUR),
        step_item(4, 7, Step::Agency, gbp),
        step_item(5, 7, Step::Agency, Currency::EUR),
    ];
    let folds = vecs(&fold_by_customer(SectionKind::StepsDue, &items));
    assert_eq!(folds, vec![vec![0, 2, 5], vec![1], vec![3], vec![4]]);
    let group: Vec<&AgendaItem> = folds[0].iter().map(|i| &items[*i]).collect();
    assert_eq!(group_total(&group), Some(Money::new(dec!(10), Currency::EUR)));
    assert_eq!(
        group_words("Drukkerij Maes BV", 3, Some(Step::Agency)),
        ("Drukkerij Maes BV · 3 invoices".to_string(), "hand to the agency".to_string())
    );
    // Other sections stay one line per invoice.
    assert_eq!(fold_by_customer(SectionKind::Nudges, &items).len(), items.len());
}

/// The folds as lists of positions.
fn vecs(folds: &Folds) -> Vec<Vec<usize>> {
    folds.iter().map(|f| f.iter().map(|&i| i as usize).collect()).collect()
}

proptest::proptest! {
    /// Every item is in exactly one fold, in order within its fold, and a fold of several
    /// holds one customer, step and currency.
    #[test]
    fn folds_hold_every_item_once(picks in proptest::collection::vec((0i64..4, 0usize..3, proptest::bool::ANY), 0..40)) {
        let steps = [Step::Reminder, Step::Call, Step::Agency];
        let gbp: Currency = "GBP".parse().unwrap();
        let items: Vec<AgendaItem> = picks
            .iter()
            .enumerate()
            .map(|(n, (c, s, eur))| step_item(n, *c, steps[*s], if *eur { Currency::EUR } else { gbp }))
            .collect();
        let folds = vecs(&fold_by_customer(SectionKind::StepsDue, &items));
        let mut seen: Vec<usize> = folds.iter().flatten().copied().collect();
        seen.sort_unstable();
        proptest::prop_assert_eq!(seen, (0..items.len()).collect::<Vec<_>>());
        for f in &folds {
            proptest::prop_assert!(f.windows(2).all(|w| w[0] < w[1]));
            let key = |i: usize| (items[i].invoice.customer_id, items[i].step, items[i].invoice.open.currency);
            proptest::prop_assert!(f.iter().all(|i| key(*i) == key(f[0])));
        }
        // Two folds never share a key: a customer's step is one line.
        let mut keys: Vec<_> = folds.iter().map(|f| {
            let i = &items[f[0]];
            (i.invoice.customer_id, i.step, i.invoice.open.currency)
        }).collect();
        let before = keys.len();
        keys.sort_unstable_by_key(|k| (k.0, k.1.map(|s| s.as_str()), k.2));
        keys.dedup();
        proptest::prop_assert_eq!(keys.len(), before);
    }
}

/// A line keeps of its invoice's standing only what its sentence says ([`Kept`]): each of
/// those facts still reaches the sentence.
#[test]
fn a_line_says_what_it_kept_of_where_its_invoice_stands() {
    let today = d("2026-11-23");
    // Trusted, due Monday 16 Nov: the call is due today (seven days late).
    let call = |id: i64, done: &[Step]| inv(id, Profile::Trusted, "2026-11-16", done);
    let mut promised = call(1, &[]);
    promised.standing.resumed = Some((PauseKind::Promise, d("2026-11-20")));
    let mut planned = call(2, &[]);
    planned.standing.resumed = Some((PauseKind::InstalmentPlan, d("2026-11-20")));
    // Escalation resumed before the due date: no promise was broken since.
    let mut early = call(3, &[]);
    early.standing.resumed = Some((PauseKind::Promise, d("2026-11-10")));
    let nudged = call(4, &[Step::Nudge]);
    // Due yesterday: passed due, no step to take yet; one with no step left on its ladder.
    let mut last = inv(5, Profile::Standard, "2026-11-22", &[]);
    last.standing.next = None;
    let next = inv(6, Profile::Standard, "2026-11-22", &[]);
    let a = agenda(&[promised, planned, early, nudged, last, next], &[], today, d("2026-11-22"));
    assert_eq!(
        a.sections.iter().map(|s| s.kind).collect::<Vec<_>>(),
        [SectionKind::PassedDue, SectionKind::StepsDue]
    );
    let reminder = next.standing.next.unwrap();
    assert_eq!(
        texts(&a, 0, today),
        [
            ("Check the bank for Customer 5".into(), "fell due yesterday; no step left".into()),
            (
                "Check the bank for Customer 6".into(),
                format!(
                    "fell due yesterday; next: {} on {}",
                    reminder.step.label().to_lowercase(),
                    format::weekday(reminder.on)
                )
            ),
        ]
    );
    // The biggest sums first: 400, 300, 200, 100.
    assert_eq!(
        texts(&a, 1, today),
        [
            (
                "Call Customer 4".into(),
                "7 days late, trusted customer, nudged before due, no contact since".into()
            ),
            ("Call Customer 3".into(), "7 days late, trusted customer, no contact yet".into()),
            (
                "Call Customer 2".into(),
                "7 days late, trusted customer, instalment plan broken Fri 20 Nov".into()
            ),
            ("Call Customer 1".into(), "7 days late, trusted customer, promise broken Fri 20 Nov".into()),
        ]
    );
}
