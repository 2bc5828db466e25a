//! One answer everywhere: for random books (ladders and per-customer overrides, payments from
//! the command line and from a bank file, promises, plans, disputes, unanswered calls,
//! call-backs, claimed payments, formal notices with and without a receipt) and random days,
//! the agenda (Today and `report agenda`), the alerts of `check`, the Invoice screen's ladder,
//! `track` and the default letter name the same step to take, or all say it waits.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

use settle::app::detail::InvoiceDetail;
use settle::call_script::ScriptLibrary;
use settle::cli::Cli;
use settle::config::Config;
use settle::domain::agenda::CallNoteKind;
use settle::domain::alerts::AlertKind;
use settle::domain::ladder::State;
use settle::letters::LetterKind;
use settle::service::agenda::TodayAgenda;
use settle::service::{CaseFile, LadderBook};
use settle::store::Store;

use clap::Parser;

const START: &str = "2026-09-01";

fn day(offset: i64) -> NaiveDate {
    START.parse::<NaiveDate>().unwrap() + Duration::days(offset)
}

/// Something that happens to an invoice, on a day counted from [`START`].
#[derive(Debug, Clone)]
enum Fact {
    Step(u8, i64),
    Pay(u8, i64),
    BankPay(u8, i64),
    Promise(i64, i64),
    Plan(i64),
    Dispute(i64),
    Resolve(i64),
    NoAnswer(i64),
    Callback(i64, i64),
    Claimed(i64, i64),
    Notice(i64, Option<i64>),
}

fn fact() -> impl Strategy<Value = Fact> {
    prop_oneof![
        (0u8..6, 0i64..150).prop_map(|(s, d)| Fact::Step(s, d)),
        (1u8..4, 0i64..150).prop_map(|(p, d)| Fact::Pay(p, d)),
        (1u8..4, 0i64..150).prop_map(|(p, d)| Fact::BankPay(p, d)),
        (0i64..150, 1i64..20).prop_map(|(d, w)| Fact::Promise(d, w)),
        (0i64..150).prop_map(Fact::Plan),
        (0i64..150).prop_map(Fact::Dispute),
        (0i64..150).prop_map(Fact::Resolve),
        (0i64..150).prop_map(Fact::NoAnswer),
        (0i64..150, 1i64..10).prop_map(|(d, w)| Fact::Callback(d, w)),
        (0i64..150, 1i64..10).prop_map(|(d, w)| Fact::Claimed(d, w)),
        (0i64..150, proptest::option::of(1i64..10)).prop_map(|(d, r)| Fact::Notice(d, r)),
    ]
}

#[derive(Debug, Clone)]
struct Customer {
    profile: &'static str,
    consumer: bool,
    /// Its own reminder day, if it has one.
    reminder: Option<i32>,
    /// Per invoice: issued (days after START, before the first fact) and what happens to it.
    invoices: Vec<(i64, Vec<Fact>)>,
}

fn customer() -> impl Strategy<Value = Customer> {
    (
        prop_oneof![Just("trusted"), Just("standard"), Just("new")],
        any::<bool>(),
        proptest::option::of(1i32..9),
        proptest::collection::vec((0i64..40, proptest::collection::vec(fact(), 0..5)), 1..3),
    )
        .prop_map(|(profile, consumer, reminder, invoices)| Customer {
            profile,
            consumer,
            reminder,
            invoices,
        })
}

/// Runs one settle command in this process, as the binary would; a refusal is part of the
/// game (a payment larger than what is open, a second dispute) and changes nothing.
fn run(db: &std::path::Path, config: &std::path::Path, on: NaiveDate, args: &[String]) {
    let mut argv = vec!["settle".to_string(), "--db".into(), db.display().to_string()];
    argv.extend(["--config".into(), config.display().to_string(), "--today".into(), on.to_string()]);
    argv.extend(args.iter().cloned());
    let cli = Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
    let _ = settle::cli::commands::run(cli, on);
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

const STEPS: [&str; 6] = ["nudge", "reminder", "call", "firm_reminder", "formal_notice", "agency"];

fn build(dir: &std::path::Path, customers: &[Customer]) -> (std::path::PathBuf, std::path::PathBuf) {
    let db = dir.join("book.db");
    let config = dir.join("config.toml");
    let mut toml = String::new();
    for (i, c) in customers.iter().enumerate() {
        if let Some(r) = c.reminder {
            toml.push_str(&format!("[ladder.customer.\"Customer {i}\"]\nreminder = {r}\n"));
        }
    }
    std::fs::write(&config, toml).unwrap();
    let mut events: Vec<(NaiveDate, Vec<String>)> = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        let name = format!("Customer {i}");
        let kind = if c.consumer { "consumer" } else { "business" };
        run(&db, &config, day(0), &s(&["customer", "add", &name, "--profile", c.profile, "--kind", kind]));
        for (j, (issued, facts)) in c.invoices.iter().enumerate() {
            let number = format!("C{i}-{j}");
            let issued = day(*issued);
            run(
                &db,
                &config,
                issued,
                &s(&[
                    "invoice",
                    "add",
                    &number,
                    "--customer",
                    &name,
                    "--issued",
                    &issued.to_string(),
                    "--amount",
                    "1000",
                ]),
            );
            for f in facts {
                let at = |d: &i64| day(40 + d);
                let ev = match f {
                    Fact::Step(k, d) => {
                        let mut v = s(&[
                            "step",
                            "record",
                            &number,
                            "--step",
                            STEPS[usize::from(*k)],
                            "--date",
                            &at(d).to_string(),
                        ]);
                        if *k == 4 {
                            v.extend(s(&["--tracking", "RR 1 BE"]));
                        }
                        (at(d), v)
                    }
                    Fact::Pay(p, d) => (
                        at(d),
                        s(&[
                            "payment",
                            "add",
                            &number,
                            "--amount",
                            &(100 * u32::from(*p)).to_string(),
                            "--date",
                            &at(d).to_string(),
                        ]),
                    ),
                    Fact::BankPay(p, d) => {
                        (at(d), vec!["bank".into(), number.clone(), (100 * u32::from(*p)).to_string()])
                    }
                    Fact::Promise(d, w) => (
                        at(d),
                        s(&[
                            "call",
                            "log",
                            &number,
                            "--outcome",
                            "promise",
                            "--promise-date",
                            &format!("+{w}"),
                            "--amount",
                            "300",
                        ]),
                    ),
                    Fact::Plan(d) => (
                        at(d),
                        s(&[
                            "call",
                            "log",
                            &number,
                            "--outcome",
                            "plan",
                            "--plan",
                            "2",
                            "--every",
                            "10",
                            "--amount",
                            "400",
                        ]),
                    ),
                    Fact::Dispute(d) => {
                        (at(d), s(&["call", "log", &number, "--outcome", "dispute", "--note", "quality"]))
                    }
                    Fact::Resolve(d) => (at(d), vec!["resolve".into(), number.clone()]),
                    Fact::NoAnswer(d) => (at(d), s(&["call", "log", &number, "--outcome", "no_answer"])),
                    Fact::Callback(d, w) => (
                        at(d),
                        s(&["call", "log", &number, "--outcome", "callback", "--callback", &format!("+{w}")]),
                    ),
                    Fact::Claimed(d, w) => (
                        at(d),
                        s(&[
                            "call",
                            "log",
                            &number,
                            "--outcome",
                            "already_paid",
                            "--callback",
                            &format!("+{w}"),
                        ]),
                    ),
                    Fact::Notice(d, r) => {
                        let mut v = s(&[
                            "step",
                            "record",
                            &number,
                            "--step",
                            "formal_notice",
                            "--date",
                            &at(d).to_string(),
                            "--tracking",
                            "RR 2 BE",
                        ]);
                        if let Some(r) = r {
                            v.push(format!("received={}", at(&(d + r))));
                        }
                        (at(d), v)
                    }
                };
                events.push(ev);
            }
        }
    }
    // Everything in the order it happened, each on its own day.
    events.sort_by_key(|(d, _)| *d);
    for (on, ev) in events {
        match ev[0].as_str() {
            "bank" => {
                let file = dir.join("bank.csv");
                std::fs::write(
                    &file,
                    format!(
                        "Date;Amount;Counterparty;Communication\n{};{},00;PAYER;{}\n",
                        on.format("%d/%m/%Y"),
                        ev[2],
                        ev[1]
                    ),
                )
                .unwrap();
                run(&db, &config, on, &s(&["import", "payments", &file.display().to_string()]));
            }
            "resolve" => {
                if let Ok(store) = Store::open(&db)
                    && let Ok(Some(row)) = store.invoice_by_number(&ev[1])
                {
                    let _ = store.set_dispute(row.invoice.id, false, on, "settled by phone");
                }
            }
            _ => {
                let received = ev.iter().find_map(|a| a.strip_prefix("received=").map(String::from));
                let args: Vec<String> = ev.into_iter().filter(|a| !a.starts_with("received=")).collect();
                run(&db, &config, on, &args);
                if let Some(r) = received {
                    run(&db, &config, on, &s(&["notice", &args[2], "--received", &r]));
                }
            }
        }
    }
    (db, config)
}

/// Every surface's answer for every invoice of the book on `today`, compared.
fn agree(db: &std::path::Path, config_path: &std::path::Path, today: NaiveDate) -> Result<(), TestCaseError> {
    let store = Store::open(db).unwrap();
    let config = Config::load(Some(config_path)).unwrap();
    let scripts = ScriptLibrary::shipped().unwrap();
    let agenda = TodayAgenda::load(&store, &config, today, today - Duration::days(1)).unwrap();
    let items: Vec<_> = agenda.agenda.sections.iter().flat_map(|s| s.items.iter()).collect();
    let alerts = settle::service::alerts::alerts(&store, &config, today).unwrap();
    let bulk = LadderBook::standings(&store, &config, today).unwrap();
    for row in store.open_invoices().unwrap() {
        let inv = &row.invoice;
        if inv.issued > today {
            continue;
        }
        let case = CaseFile::load(&store, &config, inv.id, today).unwrap();
        let st = case.standing;
        let n = &inv.number;
        // The two ways of gathering the facts (one invoice, all open ones) agree.
        prop_assert_eq!(bulk.get(&inv.id).copied(), Some(st), "{} bulk", n);
        let step = st.step_to_take.map(|t| t.step);
        // The formal notice is never the first letter, nor announced as the next step.
        {
            use settle::domain::policy::Step::{Agency, FirmReminder, FormalNotice, Reminder};
            let reminded = [Reminder, FirmReminder, FormalNotice].iter().any(|s| st.done.contains(*s));
            if step == Some(FormalNotice) {
                prop_assert!(reminded, "{} notice first", n);
            }
            if st.step_to_take.is_none() && !reminded {
                let next = st.next.map(|x| x.step);
                prop_assert!(!matches!(next, Some(FormalNotice | Agency)), "{} next {:?} first", n, next);
            }
        }
        // Today: one line at most, naming the same step.
        let mine: Vec<_> = items.iter().filter(|i| i.invoice.id == inv.id).collect();
        prop_assert!(mine.len() <= 1, "{}: {} lines", n, mine.len());
        if let Some(item) = mine.first() {
            prop_assert_eq!(item.step, step, "{} agenda vs track ({:?})", n, st);
            // A broken agreement's line says escalation resumes only when it does.
            let why = item.why(today);
            let broken = item.call.as_ref().is_some_and(|c| c.kind == CallNoteKind::Broken);
            prop_assert_eq!(
                why.contains("escalation resumes"),
                broken && !st.waits(),
                "{}: {} ({:?})",
                n,
                why,
                st
            );
        } else {
            prop_assert!(
                step.is_none() || inv.due > today + Duration::days(3),
                "{} has {:?} but no line",
                n,
                step
            );
        }
        // check: the step's alert, or the broken agreement's alert carrying it.
        let stepped: Vec<_> = alerts
            .iter()
            .filter(|a| a.invoice == inv.id)
            .filter_map(|a| match a.kind {
                AlertKind::StepDue(s) => Some(s),
                AlertKind::PromiseBroken | AlertKind::InstalmentMissed => settle::domain::policy::Step::ALL
                    .iter()
                    .copied()
                    .find(|s| a.body.contains(&format!("Escalation resumes: {} due", s.label()))),
                _ => None,
            })
            .collect();
        match step {
            Some(settle::domain::policy::Step::Nudge) | None => {
                prop_assert!(stepped.is_empty(), "{} check says {:?}, track {:?}", n, stepped, st)
            }
            Some(s) => prop_assert_eq!(stepped, vec![s], "{} check vs track ({:?})", n, st),
        }
        // The Invoice screen's ladder and `s`.
        let detail = InvoiceDetail::load(&store, inv.id, today, &config, &scripts).unwrap();
        prop_assert_eq!(detail.due_now, step.is_some(), "{} screen", n);
        if st.waits() {
            prop_assert_eq!(detail.current_step, None, "{} screen records a step while waiting", n);
            prop_assert!(detail.waiting.is_some());
        } else if step.is_some() {
            prop_assert_eq!(detail.current_step, step, "{} screen's step", n);
        }
        // The default letter.
        let letter = settle::letters::send::default_kind(&case);
        match (st.state, step) {
            (State::Paused { .. } | State::Disputed { .. }, _) => {
                prop_assert!(letter.is_err(), "{} letter while waiting", n)
            }
            (_, Some(settle::domain::policy::Step::Call)) => prop_assert!(letter.is_err()),
            (_, Some(s)) => prop_assert_eq!(letter.ok(), Some(LetterKind::for_step(s)), "{} letter", n),
            _ => {}
        }
    }
    Ok(())
}

/// The day after the step to take, as every surface projects it, is the day it comes once
/// the step is taken: for each invoice with a step to take on `today`, `track`'s next step
/// (and the Invoice screen's ladder) is what the book says once that step is recorded today
/// (what `settle step record` then prints), and never on or before the last day to pay its
/// letter names.
fn taken_agree(
    dir: &std::path::Path,
    db: &std::path::Path,
    config_path: &std::path::Path,
    today: NaiveDate,
) -> Result<(), TestCaseError> {
    use settle::domain::event::Channel;
    use settle::domain::rungs::RungState;
    let store = Store::open(db).unwrap();
    let config = Config::load(Some(config_path)).unwrap();
    let scripts = ScriptLibrary::shipped().unwrap();
    for row in store.open_invoices().unwrap() {
        let inv = &row.invoice;
        let case = CaseFile::load(&store, &config, inv.id, today).unwrap();
        let (Some(take), n) = (case.standing.step_to_take, &inv.number) else { continue };
        let next = case.standing.next;
        // The Invoice screen's ladder shows the next step on the same day.
        let detail = InvoiceDetail::load(&store, inv.id, today, &config, &scripts).unwrap();
        if let Some(next) = next {
            let rung = detail.rungs.iter().find(|r| r.step == next.step).unwrap();
            prop_assert!(
                matches!(rung.state, RungState::Ahead { date } if date == next.on),
                "{} ladder {:?} vs next {:?}",
                n,
                rung.state,
                next
            );
        }
        // The letter's last day to pay, when it names one, passes before the next step.
        if matches!(
            take.step,
            settle::domain::policy::Step::FirmReminder | settle::domain::policy::Step::FormalNotice
        ) || take.step == settle::domain::policy::Step::Reminder
            && case.customer.kind == settle::domain::customer::CustomerKind::Consumer
        {
            let ctx = settle::letters::context::build(
                &case,
                &config,
                LetterKind::for_step(take.step),
                case.customer.language,
                Channel::Email,
                &Default::default(),
            );
            let f =
                settle::letters::format::Fmt { lang: case.customer.language, currency: inv.amount.currency };
            if !ctx.term.date.is_empty() {
                let last = (0..400).map(|k| today + Duration::days(k)).find(|d| f.date(*d) == ctx.term.date);
                prop_assert!(last.is_some(), "{}: {:?} is no day", n, ctx.term.date);
                prop_assert!(
                    next.is_some_and(|x| Some(x.on) > last),
                    "{}: the {} letter says pay by {}, next {:?}",
                    n,
                    take.step,
                    ctx.term.date,
                    next
                );
            }
        }
        // Record the step today on a copy of the book: what comes then is what was projected.
        // (Nothing comes after the agency; a letter already recorded on a later day, in a
        // look at an earlier day, is never recorded twice.)
        if take.step == settle::domain::policy::Step::Agency {
            prop_assert_eq!(next, None, "{}", n);
            continue;
        }
        if case.timeline.iter().any(|e| e.kind.step() == Some(take.step)) {
            continue;
        }
        let copy = dir.join("taken.db");
        std::fs::copy(db, &copy).unwrap();
        let taken = Store::open(&copy).unwrap();
        settle::service::steps::record(&taken, inv, take.step, today, None, None, false, today).unwrap();
        let after = CaseFile::load(&taken, &config, inv.id, today).unwrap().standing;
        prop_assert_eq!(
            after.step_to_take.or(after.next),
            next,
            "{} after the {} ({:?})",
            n,
            take.step,
            after
        );
        drop(taken);
        std::fs::remove_file(&copy).unwrap();
    }
    Ok(())
}

/// `default` random books, or as many as `PROPTEST_CASES` says.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn every_surface_names_the_same_step(
        customers in proptest::collection::vec(customer(), 1..4),
        days in proptest::collection::vec(30i64..220, 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (db, config) = build(dir.path(), &customers);
        for d in days {
            agree(&db, &config, day(d))?;
            taken_agree(dir.path(), &db, &config, day(d))?;
        }
    }
}

/// For every customer and letter step of the book on `today`: the customer's one letter asks
/// the sum of what each invoice's own letter asks (the principal open for a reminder, the
/// claim's total for a formal notice), names every invoice, and a group of one is the single
/// letter, byte for byte.
fn grouped_agree(
    db: &std::path::Path,
    config_path: &std::path::Path,
    today: NaiveDate,
) -> Result<(), TestCaseError> {
    use settle::letters::group;
    use settle::letters::send::letter_for;
    let store = Store::open(db).unwrap();
    let config = Config::load(Some(config_path)).unwrap();
    let letters = settle::letters::Letters::shipped().unwrap();
    for customer in store.customers().unwrap() {
        for kind in
            [LetterKind::Nudge, LetterKind::Reminder, LetterKind::FirmReminder, LetterKind::FormalNotice]
        {
            let Ok((cases, k)) = group::cases_for_customer(&store, &config, customer.id, Some(kind), today)
            else {
                continue;
            };
            prop_assert_eq!(k, kind);
            let channel = group::channel(kind);
            let mut sum = rust_decimal::Decimal::ZERO;
            let mut singles = 0;
            for case in &cases {
                let single = letter_for(case, &config, &letters, kind, None, channel, None);
                let one = group::compose(std::slice::from_ref(case), &config, &letters, kind, None, channel);
                match (single, one) {
                    (Ok(single), Ok(one)) => {
                        prop_assert_eq!(one.letter.text(), single.text(), "{} alone", case.invoice.number);
                        prop_assert_eq!(&one.letter, &single);
                        let claim = &case.claim;
                        sum += if kind == LetterKind::FormalNotice && claim.lawful {
                            claim.total
                        } else {
                            claim.open
                        };
                        singles += 1;
                    }
                    (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => prop_assert!(
                        false,
                        "{}: single {:?}, group of one {:?}",
                        case.invoice.number,
                        a.is_ok(),
                        b.is_ok()
                    ),
                }
            }
            let grouped = group::compose(&cases, &config, &letters, kind, None, channel);
            if singles < cases.len() {
                // An invoice whose own letter is refused refuses the customer's letter.
                prop_assert!(grouped.is_err());
                continue;
            }
            let grouped = grouped.unwrap();
            prop_assert_eq!(grouped.total, sum, "{} {}", customer.name, kind);
            for case in &cases {
                prop_assert!(grouped.letter.body.contains(&case.invoice.number));
            }
            let f = settle::letters::format::Fmt { lang: grouped.letter.lang, currency: grouped.currency };
            prop_assert!(grouped.letter.body.contains(&f.money(sum)), "{}", grouped.letter.body);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(12))]

    #[test]
    fn a_customers_letter_asks_what_its_invoices_letters_ask(
        customers in proptest::collection::vec(customer(), 1..3),
        days in proptest::collection::vec(30i64..220, 1..3),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (db, config) = build(dir.path(), &customers);
        for d in days {
            grouped_agree(&db, &config, day(d))?;
        }
    }
}
