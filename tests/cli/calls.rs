//! `settle call …`, `settle agreement …`, `settle report forecast|behaviour` on a temporary
//! database with a fixed `--today`.

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

struct Book {
    dir: TempDir,
}

impl Book {
    /// A customer (Dutch, standard) with invoice 2026-041 of €1,000.00 due 1 November 2026.
    fn new() -> Book {
        let book = Book::customer_only();
        book.invoice("2026-041", "1000", &[]);
        book
    }

    /// The customer of [`Book::new`] (contact Jan Peeters) and no invoice yet.
    fn customer_only() -> Book {
        let book = Book { dir: tempfile::tempdir().unwrap() };
        // An empty configuration: defaults, and this folder as the config dir for scripts.
        std::fs::write(book.dir.path().join("config.toml"), "").unwrap();
        book.ok(
            "2026-11-01",
            &["customer", "add", "Bakkerij Peeters", "--contact", "Jan Peeters", "--lang", "nl"],
        );
        book
    }

    /// Adds an invoice of the customer, issued 2 October and due 1 November 2026.
    fn invoice(&self, number: &str, amount: &str, extra: &[&str]) {
        let mut args = vec!["invoice", "add", number, "--customer", "Bakkerij Peeters"];
        args.extend(["--issued", "2026-10-02", "--due", "2026-11-01", "--amount", amount]);
        args.extend_from_slice(extra);
        self.ok("2026-11-01", &args);
    }

    fn cmd(&self, today: &str, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("settle")
            .unwrap()
            .env_remove("SETTLE_DB")
            .env("SETTLE_CONFIG", self.dir.path().join("config.toml"))
            .arg("--db")
            .arg(self.dir.path().join("book.db"))
            .args(["--today", today])
            .args(args)
            .assert()
    }

    fn ok(&self, today: &str, args: &[&str]) -> String {
        String::from_utf8(self.cmd(today, args).success().get_output().stdout.clone()).unwrap()
    }
}

#[test]
fn a_promise_is_due_on_its_day_and_broken_after_the_grace() {
    let book = Book::new();
    let out = book.ok(
        "2026-11-23",
        &["call", "log", "2026-041", "--outcome", "promise", "--promise-date", "+7", "--amount", "500"],
    );
    assert!(out.contains("spoke with Jan Peeters: promise to pay (€500.00 by 2026-11-30)"), "{out}");
    assert!(out.contains("Agreement 1:"), "{out}");
    assert!(book.ok("2026-11-29", &["call", "agenda"]).starts_with("Nothing"));
    assert!(book.ok("2026-11-30", &["call", "agenda"]).starts_with("promise due"));
    assert!(
        book.ok("2026-12-02", &["call", "agenda"]).starts_with("promise due"),
        "the last day of the grace"
    );
    let broken = book.ok("2026-12-03", &["call", "agenda"]);
    assert!(broken.starts_with("broken promise") && broken.contains("next step"), "{broken}");
    assert!(book.ok("2026-12-03", &["call", "agenda", "--grace", "5"]).starts_with("promise due"));
}

#[test]
fn a_payment_keeps_the_promise() {
    let book = Book::new();
    book.ok(
        "2026-11-23",
        &["call", "log", "2026-041", "--outcome", "promise", "--promise-date", "fri", "--amount", "500"],
    );
    book.ok("2026-11-27", &["payment", "add", "2026-041", "--amount", "500", "--date", "2026-11-27"]);
    let list = book.ok("2026-12-10", &["call", "list", "2026-041"]);
    assert!(list.contains("kept, paid on Fri 27 Nov 2026"), "{list}");
    assert!(book.ok("2026-12-10", &["call", "agenda"]).starts_with("Nothing"));
}

#[test]
fn a_plan_splits_exactly_and_payments_fill_the_oldest_instalment() {
    let book = Book::new();
    book.ok(
        "2026-11-23",
        &[
            "call",
            "log",
            "2026-041",
            "--outcome",
            "plan",
            "--plan",
            "3",
            "--every",
            "30",
            "--first",
            "2026-12-01",
        ],
    );
    book.ok("2026-12-01", &["payment", "add", "2026-041", "--amount", "400", "--date", "2026-12-01"]);
    let list = book.ok("2026-12-02", &["call", "list", "2026-041"]);
    assert!(list.contains("1. €333.33 on Tue 1 Dec 2026, paid €333.33"), "{list}");
    assert!(list.contains("2. €333.33 on Thu 31 Dec 2026, paid €66.67"), "{list}");
    assert!(list.contains("3. €333.34 on Sat 30 Jan 2027, paid €0.00"), "{list}");
    assert!(list.contains("on schedule, next €266.66 on Thu 31 Dec 2026"), "{list}");
}

#[test]
fn bad_input_names_the_flag_and_writes_nothing() {
    let book = Book::new();
    book.cmd(
        "2026-11-23",
        &[
            "call",
            "log",
            "2026-041",
            "--outcome",
            "promise",
            "--promise-date",
            "31/02/2026",
            "--amount",
            "1.000,01",
        ],
    )
    .failure()
    .stderr(predicate::str::contains("--promise-date: '31/02/2026' is not a real day"))
    .stderr(predicate::str::contains("--amount: €1,000.01 is more than the €1,000.00 open"));
    book.cmd("2026-11-23", &["call", "log", "2026-041", "--outcome", "maybe"])
        .failure()
        .stderr(predicate::str::contains("expected one of: promise, plan, dispute"));
    book.cmd("2026-11-23", &["call", "log", "2026-999", "--outcome", "no_answer"])
        .failure()
        .stderr(predicate::str::contains("unknown invoice '2026-999'"));
    assert!(book.ok("2026-11-23", &["call", "list", "2026-041"]).contains("No call logged yet."));
}

#[test]
fn call_backs_disputes_and_claimed_payments() {
    let book = Book::new();
    book.ok("2026-11-23", &["call", "log", "2026-041", "--outcome", "no_answer", "--callback", "wed"]);
    assert!(book.ok("2026-11-25", &["call", "agenda"]).starts_with("call back"));
    book.ok(
        "2026-11-25",
        &[
            "call",
            "log",
            "2026-041",
            "--outcome",
            "already_paid",
            "--paid-on",
            "20/11/2026",
            "--paid-ref",
            "X1",
        ],
    );
    let agenda = book.ok("2026-11-28", &["call", "agenda"]);
    assert!(agenda.starts_with("check claimed payment"), "{agenda}");
    let out = book.ok(
        "2026-11-28",
        &["call", "log", "2026-041", "--outcome", "dispute", "--note", "incomplete delivery"],
    );
    assert!(out.contains("is now disputed"), "{out}");
    book.cmd("2026-11-28", &["call", "log", "2026-041", "--outcome", "callback"])
        .failure()
        .stderr(predicate::str::contains("--callback: give the date"));
}

#[test]
fn agreements_are_confirmed_once_and_the_email_is_in_the_customers_language() {
    let book = Book::new();
    book.ok(
        "2026-11-23",
        &["call", "log", "2026-041", "--outcome", "promise", "--promise-date", "2026-12-05"],
    );
    let mail = book.ok("2026-11-23", &["agreement", "email", "1", "--from", "Anna Claes"]);
    assert!(
        mail.starts_with("Onderwerp: Ons telefoongesprek van 23 november 2026 over factuur 2026-041"),
        "{mail}"
    );
    assert!(mail.contains("u betaalt € 1.000,00 uiterlijk op 5 december 2026"), "{mail}");
    let file = book.dir.path().join("bevestiging.txt");
    book.ok("2026-11-23", &["agreement", "email", "1", "--out", file.to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    book.cmd("2026-11-23", &["agreement", "email", "1", "--out", file.to_str().unwrap()]).failure();
    book.ok("2026-11-24", &["agreement", "confirm", "1"]);
    assert!(book.ok("2026-11-24", &["call", "list", "2026-041"]).contains("confirmed 2026-11-24"));
    book.cmd("2026-11-25", &["agreement", "confirm", "1"])
        .failure()
        .stderr(predicate::str::contains("already confirmed on 2026-11-24"));
}

#[test]
fn the_script_is_printed_in_the_customers_language() {
    let book = Book::new();
    let out = book.ok("2026-11-23", &["call", "script", "2026-041"]);
    assert!(
        out.starts_with("Call script: invoice 2026-041, Bakkerij Peeters (standard, nl), step: reminder"),
        "{out}"
    );
    for heading in ["Opening", "Ask why", "What you can offer", "If they say…", "Closing"] {
        assert!(out.contains(&format!("\n{heading}\n")), "{heading}: {out}");
    }
    assert!(out.contains("per e-mail"), "{out}");
    let agency = book.ok("2026-11-23", &["call", "script", "2026-041", "--step", "agency"]);
    assert!(agency.contains("incassobureau"), "{agency}");
}

#[test]
fn a_user_script_with_an_unknown_field_stops_the_command() {
    let book = Book::new();
    let dir = book.dir.path().join("scripts/nl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("reminder.txt"), "## opening\nDag {{ klant }}\n").unwrap();
    book.cmd("2026-11-23", &["call", "script", "2026-041"])
        .failure()
        .stderr(predicate::str::contains("scripts/nl/reminder.txt, line 2: unknown field 'klant'"));
}

#[test]
fn forecast_and_behaviour_reports() {
    let book = Book::new();
    book.ok(
        "2026-11-01",
        &[
            "invoice",
            "add",
            "2026-042",
            "--customer",
            "Bakkerij Peeters",
            "--issued",
            "2026-11-01",
            "--due",
            "2026-12-01",
            "--amount",
            "200",
        ],
    );
    book.ok(
        "2026-11-01",
        &[
            "invoice",
            "add",
            "2026-040",
            "--customer",
            "Bakkerij Peeters",
            "--issued",
            "2026-09-01",
            "--due",
            "2026-10-01",
            "--amount",
            "300",
        ],
    );
    book.ok("2026-10-15", &["payment", "add", "2026-040", "--amount", "300", "--date", "2026-10-15"]);
    book.ok(
        "2026-11-25",
        &["call", "log", "2026-041", "--outcome", "promise", "--promise-date", "2026-12-04"],
    );
    let f = book.ok("2026-11-25", &["report", "forecast"]);
    assert!(f.contains("week of Mon 30 Nov"), "{f}");
    let json = book.ok("2026-11-25", &["report", "forecast", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["buckets"][1]["agreed"], "1000.00", "{json}");
    assert_eq!(v["buckets"][3]["expected"], "200.00", "due 1 Dec + 14 days late on average: {json}");
    assert_eq!(v["buckets"].as_array().unwrap().len(), 8);
    let months = book.ok("2026-11-25", &["report", "forecast", "--months", "3", "--format", "csv"]);
    assert!(months.starts_with("start,end,agreed,expected,total\n2026-11-01,2026-11-30,"), "{months}");
    let b = book.ok("2026-12-20", &["report", "behaviour", "bakkerij peeters"]);
    assert_eq!(
        b.trim(),
        "Bakkerij Peeters: pays 14 days late on average (worst 14), 0% on time; promises 0 kept, 1 broken"
    );
}

#[test]
fn report_agenda_shows_a_plan_paused_then_its_missed_instalment_and_the_step_it_resumes() {
    let book = Book::new();
    book.ok("2026-11-23", &["call", "log", "2026-041", "--outcome", "plan", "--plan", "2", "--every", "14"]);
    // 7 December: the first instalment (€500.00) falls due; escalation stays paused.
    let due = book.ok("2026-12-07", &["report", "agenda"]);
    assert!(due.contains("Promises and call-backs (1)"), "{due}");
    assert!(due.contains("Instalment due: Bakkerij Peeters"), "{due}");
    assert!(due.contains("instalment of €500.00 due today"), "{due}");
    assert!(!due.contains("Steps due"), "a plan on schedule pauses the ladder: {due}");
    // Two days of grace later it is missed: chase it, and the next step is due at once.
    let missed = book.ok("2026-12-10", &["report", "agenda"]);
    assert!(missed.contains("Missed instalment: Bakkerij Peeters"), "{missed}");
    // One line for the invoice: the missed instalment, with the step it resumes.
    assert!(!missed.contains("Steps due today or earlier"), "{missed}");
    assert!(missed.contains("escalation resumes; step due: firm reminder"), "{missed}");
    // Paying the instalment late puts the plan back on schedule: nothing to chase.
    book.ok("2026-12-10", &["payment", "add", "2026-041", "--amount", "500", "--date", "2026-12-10"]);
    let paid = book.ok("2026-12-10", &["report", "agenda"]);
    assert!(paid.contains("Nothing to chase"), "{paid}");
}

#[test]
fn an_instalment_paid_through_a_bank_statement_keeps_the_plan() {
    let book = Book::customer_only();
    book.invoice("2026-050", "800", &["--ref", "+++000/0000/00101+++"]);
    let plan = book
        .ok("2026-11-23", &["call", "log", "2026-050", "--outcome", "plan", "--plan", "2", "--every", "14"]);
    assert!(plan.contains("2 × €400.00 from 2026-12-07 to 2026-12-21"), "{plan}");
    // The first instalment arrives on its day, through the bank, not typed in by hand.
    let statement = book.dir.path().join("statement.csv");
    std::fs::write(
        &statement,
        "Date;Amount;Counterparty;Communication\n07/12/2026;400,00;BAKKERIJ PEETERS;+++000/0000/00101+++\n",
    )
    .unwrap();
    let imported = book.ok("2026-12-07", &["import", "payments", statement.to_str().unwrap()]);
    assert!(imported.contains("payment of €400.00 on 2026-050"), "{imported}");
    // The day after the first instalment's date and its two days of grace: still on schedule.
    let list = book.ok("2026-12-10", &["call", "list", "2026-050"]);
    assert!(list.contains("1. €400.00 on Mon 7 Dec 2026, paid €400.00"), "{list}");
    assert!(list.contains("2. €400.00 on Mon 21 Dec 2026, paid €0.00"), "{list}");
    assert!(list.contains("on schedule, next €400.00 on Mon 21 Dec 2026"), "{list}");
    assert!(!list.contains("BROKEN"), "{list}");
    let agenda = book.ok("2026-12-10", &["report", "agenda"]);
    assert!(!agenda.contains("Missed instalment") && !agenda.contains("agency"), "{agenda}");
    assert!(!agenda.contains("Steps due"), "a plan on schedule pauses the ladder: {agenda}");
    let check = book.ok("2026-12-10", &["check", "--no-notify"]);
    assert!(!check.contains("Instalment missed") && !check.contains("Missed instalment"), "{check}");
    assert!(!check.contains("agency") && !check.contains("Escalation resumes"), "{check}");
}

#[test]
fn track_says_a_promise_pauses_the_ladder_and_resumes_it_when_broken() {
    let book = Book::new();
    book.ok(
        "2026-11-23",
        &["call", "log", "2026-041", "--outcome", "promise", "--promise-date", "2026-12-04"],
    );
    let paused = book.ok("2026-11-23", &["track", "2026-041"]);
    assert!(paused.contains("Status: paused since 2026-11-23: promise to pay, until 2026-12-06"), "{paused}");
    let resumed = book.ok("2026-12-07", &["track", "2026-041"]);
    assert!(resumed.contains("Status: due since 2026-12-07"), "{resumed}");
    // The letter for the step that resumed is ready.
    assert!(book.ok("2026-12-07", &["letter", "2026-041"]).contains("2026-041"));
}

#[test]
fn the_grace_comes_from_the_config_unless_given() {
    let book = Book::new();
    book.ok(
        "2026-11-23",
        &["call", "log", "2026-041", "--outcome", "promise", "--promise-date", "2026-12-04"],
    );
    // Three days after the promised day: broken with the default grace of 2 days…
    assert!(book.ok("2026-12-07", &["call", "agenda"]).contains("broken promise"));
    // …but not with 5 days in the config, which every command follows…
    std::fs::write(book.dir.path().join("config.toml"), "[agreements]\ngrace_days = 5\n").unwrap();
    let agenda = book.ok("2026-12-07", &["call", "agenda"]);
    assert!(agenda.contains("promise due") && !agenda.contains("broken"), "{agenda}");
    assert!(book.ok("2026-12-07", &["report", "agenda"]).contains("Promise due: Bakkerij Peeters"));
    // …unless one command says otherwise.
    assert!(book.ok("2026-12-07", &["call", "agenda", "--grace", "1"]).contains("broken promise"));
}
