//! Every surface tells the same story about an invoice: the agenda (Today), `check`, `track`,
//! the default letter and the call script. Each test is a reproduction of a contradiction a
//! freelancer met, through the command line, on the day it happened.

use std::path::Path;

use serde_json::Value;

use super::support::{Book, settle};

/// Runs settle on `day`; it must succeed. Returns standard output.
fn on(book: &Book, day: &str, args: &[&str]) -> String {
    on_with(book, None, day, args)
}

fn on_with(book: &Book, config: Option<&Path>, day: &str, args: &[&str]) -> String {
    let mut cmd = settle();
    cmd.arg("--db").arg(&book.db).args(["--today", day]);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd.args(args).assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

/// Runs settle on `day`; it must fail cleanly. Returns standard error.
fn fails(book: &Book, day: &str, args: &[&str]) -> String {
    let out = settle().arg("--db").arg(&book.db).args(["--today", day]).args(args).assert().failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    err
}

/// The agenda's items (JSON) on `day`.
fn agenda(book: &Book, config: Option<&Path>, day: &str) -> Vec<Value> {
    let json: Value =
        serde_json::from_str(&on_with(book, config, day, &["report", "agenda", "--format", "json"])).unwrap();
    assert_eq!(json["as_of"], day);
    json["items"].as_array().unwrap().clone()
}

fn items_for<'a>(items: &'a [Value], invoice: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["invoice"] == invoice).collect()
}

fn track(book: &Book, config: Option<&Path>, day: &str, invoice: &str) -> Value {
    serde_json::from_str(&on_with(book, config, day, &["track", invoice, "--format", "json"])).unwrap()
}

/// A customer with one invoice of `amount`, issued on `issued` (30 days' terms).
fn customer_with_invoice(book: &Book, name: &str, extra: &[&str], number: &str, issued: &str, amount: &str) {
    let mut args = vec!["customer", "add", name];
    args.extend_from_slice(extra);
    on(book, issued, &args);
    on(book, issued, &["invoice", "add", number, "--customer", name, "--issued", issued, "--amount", amount]);
}

#[test]
fn an_instalment_paid_through_the_bank_import_is_paid_everywhere() {
    let book = Book::new();
    customer_with_invoice(&book, "Bakkerij Peeters", &[], "2026-041", "2026-10-01", "800");
    // Due 31 Oct. A plan of 2 × €400 on 10 Nov: the first on 20 Nov, the second on 4 Dec.
    on(
        &book,
        "2026-11-10",
        &[
            "call",
            "log",
            "2026-041",
            "--outcome",
            "plan",
            "--plan",
            "2",
            "--every",
            "14",
            "--first",
            "2026-11-20",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let statement = dir.path().join("bank.csv");
    std::fs::write(
        &statement,
        "Date;Amount;Counterparty;Communication\n20/11/2026;400,00;BAKKERIJ PEETERS;2026-041\n",
    )
    .unwrap();
    on(&book, "2026-11-21", &["import", "payments", statement.to_str().unwrap()]);
    // Three days after the first instalment (grace 2 days): it was paid, so nothing is missed.
    let day = "2026-11-23";
    let list = on(&book, day, &["call", "list", "2026-041"]);
    assert!(!list.contains("unpaid") && !list.contains("missed"), "{list}");
    let items = agenda(&book, None, day);
    assert!(
        items_for(&items, "2026-041")
            .iter()
            .all(|i| i["kind"] != "instalment_missed" && i["step"] != "agency"),
        "{items:?}"
    );
    let check = on(&book, day, &["check", "--no-notify"]);
    assert!(!check.contains("Instalment missed") && !check.contains("agency"), "{check}");
    assert_eq!(track(&book, None, day, "2026-041")["status"], "paused");
}

#[test]
fn the_formal_notice_term_pauses_every_surface() {
    let book = Book::new();
    customer_with_invoice(&book, "Delta BV", &[], "2026-050", "2026-08-01", "1200");
    // Due 31 Aug: reminders done, the formal notice sent by registered post on 23 Nov. The
    // agency's day (+45 = 15 Oct) has long passed, but the notice gives 14 days from receipt.
    on(&book, "2026-11-23", &["step", "record", "2026-050", "--step", "reminder", "--date", "2026-09-05"]);
    on(
        &book,
        "2026-11-23",
        &["step", "record", "2026-050", "--step", "firm_reminder", "--date", "2026-09-20"],
    );
    on(
        &book,
        "2026-11-23",
        &["letter", "2026-050", "--step", "formal_notice", "--mark-sent", "--tracking", "RR 1 BE"],
    );
    let day = "2026-11-24";
    let t = track(&book, None, day, "2026-050");
    assert_eq!(t["status"], "paused", "{t}");
    assert_eq!(t["paused"]["reason"], "notice_term");
    assert_eq!(t["step_to_take"], Value::Null);
    // Posted Mon 23 Nov, presumed received on the third working day (Thu 26 Nov): 14 days
    // from then, to 10 Dec; the agency is next, on 11 Dec.
    assert_eq!(t["paused"]["until"], "2026-12-10");
    assert_eq!(t["next"]["step"], "agency");
    assert_eq!(t["next"]["date"], "2026-12-11");
    let items = agenda(&book, None, day);
    assert!(items_for(&items, "2026-050").iter().all(|i| i["step"].is_null()), "{items:?}");
    let check = on(&book, day, &["check", "--no-notify"]);
    assert!(!check.contains("Collection agency due"), "{check}");
    let mut letter = settle();
    letter.arg("--db").arg(&book.db).args(["--today", day, "letter", "2026-050"]);
    let err = String::from_utf8(letter.assert().failure().get_output().stderr.clone()).unwrap();
    assert!(err.contains("waits (the formal notice's payment term until 2026-12-10)"), "{err}");
    // The day after the term: the agency, on every surface.
    let day = "2026-12-11";
    assert_eq!(track(&book, None, day, "2026-050")["step_to_take"], "agency");
    let items = agenda(&book, None, day);
    assert_eq!(items_for(&items, "2026-050")[0]["step"], "agency");
    assert!(on(&book, day, &["check", "--no-notify"]).contains("Collection agency due"));
}

#[test]
fn a_customers_own_ladder_is_used_everywhere() {
    let book = Book::new();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[ladder.customer.\"Delta BV\"]\nreminder = 8\n").unwrap();
    customer_with_invoice(&book, "Delta BV", &[], "2026-060", "2026-10-01", "500");
    // Due 31 Oct; the standard reminder is at +3 (3 Nov), Delta's at +8 (8 Nov).
    let day = "2026-11-05";
    let c = Some(config.as_path());
    assert_eq!(track(&book, c, day, "2026-060")["step_to_take"], Value::Null);
    assert_eq!(track(&book, c, day, "2026-060")["next"]["date"], "2026-11-08");
    assert!(items_for(&agenda(&book, c, day), "2026-060").iter().all(|i| i["step"].is_null()));
    assert!(!on_with(&book, c, day, &["check", "--no-notify"]).contains("Reminder due"));
    let day = "2026-11-08";
    assert_eq!(track(&book, c, day, "2026-060")["step_to_take"], "reminder");
    assert_eq!(items_for(&agenda(&book, c, day), "2026-060")[0]["step"], "reminder");
    assert!(on_with(&book, c, day, &["check", "--no-notify"]).contains("Reminder due"));
    // The call script speaks for the same step.
    assert!(on_with(&book, c, day, &["call", "script", "2026-060"]).contains("step: reminder"));
}

#[test]
fn an_existing_book_starts_with_reminders_not_formal_notices() {
    let book = Book::new();
    // Day one with settle: two invoices long overdue, one of a trusted business, one of a
    // private consumer. Nothing recorded yet.
    customer_with_invoice(&book, "Trusted BV", &["--profile", "trusted"], "2026-001", "2026-06-01", "900");
    customer_with_invoice(&book, "Jan Peeters", &["--kind", "consumer"], "2026-002", "2026-06-15", "300");
    let day = "2026-11-23";
    let items = agenda(&book, None, day);
    for number in ["2026-001", "2026-002"] {
        let mine = items_for(&items, number);
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0]["step"], "reminder", "never a formal notice first: {mine:?}");
        assert_eq!(track(&book, None, day, number)["step_to_take"], "reminder");
    }
    assert!(on(&book, day, &["letter", "2026-002"]).starts_with("Subject: Reminder"));
    // A notice written anyway does not claim reminders that were never sent.
    let notice = on(&book, day, &["letter", "2026-001", "--step", "formal_notice"]);
    assert!(!notice.contains("Despite my reminder"), "{notice}");
    assert!(notice.contains("It is still unpaid"), "{notice}");
    // The reminders sent before settle, recorded with their real dates: the ladder goes on
    // from them, and the letters say what really happened.
    on(&book, day, &["step", "record", "2026-001", "--step", "reminder", "--date", "2026-07-10"]);
    assert_eq!(track(&book, None, day, "2026-001")["step_to_take"], "formal_notice");
    let firm = on(&book, day, &["letter", "2026-001", "--step", "firm_reminder"]);
    assert!(
        firm.starts_with("Subject: Second reminder") && firm.contains("Despite my earlier reminder"),
        "{firm}"
    );
    let notice = on(&book, day, &["letter", "2026-001", "--step", "formal_notice"]);
    assert!(notice.contains("Despite my reminder it is still unpaid"), "{notice}");
    let firm = on(&book, day, &["letter", "2026-002", "--step", "firm_reminder"]);
    assert!(firm.starts_with("Subject: Reminder:") && !firm.contains("Despite"), "{firm}");
    // A date after today, or before the invoice, is refused and changes nothing.
    let mut future = settle();
    future.arg("--db").arg(&book.db).args([
        "--today",
        day,
        "step",
        "record",
        "2026-002",
        "--step",
        "reminder",
        "--date",
        "2026-12-01",
    ]);
    let err = String::from_utf8(future.assert().failure().get_output().stderr.clone()).unwrap();
    assert!(err.contains("after today"), "{err}");
}

#[test]
fn one_line_per_invoice_and_the_call_once_per_customer() {
    let book = Book::new();
    customer_with_invoice(&book, "Acme BV", &[], "2026-070", "2026-09-01", "700");
    on(
        &book,
        "2026-09-01",
        &["invoice", "add", "2026-071", "--customer", "Acme BV", "--issued", "2026-09-01", "--amount", "300"],
    );
    for n in ["2026-070", "2026-071"] {
        on(&book, "2026-10-05", &["step", "record", n, "--step", "reminder", "--date", "2026-10-05"]);
    }
    // Due 1 Oct; the call (+10) fell due on 11 Oct for both. Acme is reached on 12 Oct about
    // 2026-070 and asks to be called back on 14 Oct.
    on(
        &book,
        "2026-10-12",
        &["call", "log", "2026-070", "--outcome", "callback", "--callback", "2026-10-14"],
    );
    let items = agenda(&book, None, "2026-10-14");
    let mut numbers: Vec<&str> = items.iter().map(|i| i["invoice"].as_str().unwrap()).collect();
    let all = numbers.len();
    numbers.dedup();
    assert_eq!(numbers.len(), all, "one line per invoice: {items:?}");
    let on_070 = items_for(&items, "2026-070");
    assert_eq!(on_070.len(), 1);
    assert_eq!(on_070[0]["kind"], "callback", "the call-back replaces the ladder's call");
    // The other invoice was covered by the call: no second call proposed.
    assert!(items_for(&items, "2026-071").iter().all(|i| i["step"] != "call"), "{items:?}");
    let check = on(&book, "2026-10-14", &["check", "--no-notify"]);
    assert!(!check.contains("Time to call"), "{check}");
}

#[test]
fn an_unanswered_call_is_tried_again_not_proposed_again_the_same_day() {
    let book = Book::new();
    customer_with_invoice(&book, "Quiet BV", &[], "2026-080", "2026-09-01", "400");
    on(&book, "2026-10-05", &["step", "record", "2026-080", "--step", "reminder", "--date", "2026-10-05"]);
    let day = "2026-10-12";
    assert!(on(&book, day, &["check", "--no-notify"]).contains("Time to call"));
    on(&book, day, &["call", "log", "2026-080", "--outcome", "no_answer"]);
    let t = track(&book, None, day, "2026-080");
    assert_eq!(t["status"], "paused", "{t}");
    assert_eq!(t["paused"]["reason"], "no_answer");
    assert_eq!(t["next"]["step"], "call");
    assert_eq!(t["next"]["date"], "2026-10-14", "tried again after [agreements] retry_days (2)");
    assert!(items_for(&agenda(&book, None, "2026-10-13"), "2026-080").iter().all(|i| i["step"].is_null()));
    assert_eq!(items_for(&agenda(&book, None, "2026-10-14"), "2026-080")[0]["step"], "call");
}

#[test]
fn a_thank_you_is_proposed_once_with_what_was_paid() {
    let book = Book::new();
    customer_with_invoice(&book, "Paid BV", &[], "2026-090", "2026-09-01", "250");
    on(&book, "2026-10-05", &["step", "record", "2026-090", "--step", "reminder", "--date", "2026-10-05"]);
    on(&book, "2026-11-20", &["payment", "add", "2026-090", "--amount", "250", "--date", "2026-11-20"]);
    // Due 1 Oct (30 days' terms), paid 50 days late: the interest (2 Oct – 20 Nov, 250 ×
    // 10.5 % × 50 / 365 = 3.595890 → 3.60) and the €40 of the law of 2 August 2002 (art. 5
    // and 6) survive the principal: Today asks to claim or waive them before anything else.
    let items = agenda(&book, None, "2026-11-23");
    let on_090 = items_for(&items, "2026-090");
    assert_eq!(on_090.len(), 1, "{items:?}");
    assert_eq!(
        (on_090[0]["kind"].as_str(), on_090[0]["amount"].as_str()),
        (Some("claimable"), Some("43.60"))
    );
    on(&book, "2026-11-23", &["claim", "waive", "2026-090", "--note", "good customer"]);
    let items = agenda(&book, None, "2026-11-23");
    let thanks: Vec<&Value> =
        items_for(&items, "2026-090").into_iter().filter(|i| i["kind"] == "thank_you").collect();
    assert_eq!(thanks.len(), 1, "{items:?}");
    assert_eq!(thanks[0]["amount"], "250.00");
}

#[test]
fn a_reminder_sent_late_does_not_bring_the_next_step_the_next_day() {
    let book = Book::new();
    // Day one with settle, two months late, nothing sent: a trusted business and a consumer.
    customer_with_invoice(
        &book,
        "Bakkerij Peeters",
        &["--profile", "trusted"],
        "F-101",
        "2026-10-01",
        "1200",
    );
    customer_with_invoice(&book, "Jan Janssens", &["--kind", "consumer"], "F-103", "2026-09-01", "450");
    for n in ["F-101", "F-103"] {
        on(
            &book,
            "2026-11-30",
            &[
                "letter",
                n,
                "--mark-sent",
                "--out",
                book.db.with_file_name(format!("{n}.txt")).to_str().unwrap(),
            ],
        );
    }
    let day = "2026-12-01";
    let items = agenda(&book, None, day);
    assert!(
        items.iter().all(|i| i["step"].is_null()),
        "nothing escalates the day after a reminder: {items:?}"
    );
    // The trusted customer's firm reminder keeps its 11 days from the reminder (+21 − +10).
    assert_eq!(track(&book, None, day, "F-101")["next"]["date"], "2026-12-11");
    // The consumer's first reminder, by email on 30 Nov, gives 14 days from the day after:
    // to 14 Dec (Code of Economic Law art. XIX.2). Nothing escalates before they ran.
    let t = track(&book, None, day, "F-103");
    assert_eq!(t["status"], "paused", "{t}");
    assert_eq!(t["paused"]["reason"], "letter_term");
    assert_eq!(t["paused"]["until"], "2026-12-14");
    assert!(!on(&book, day, &["check", "--no-notify"]).contains("Formal notice due"));
    // Then the steps keep their distance from the reminder: the call (+7) and the firm
    // reminder (+14) fall due on the 15th, the notice (+27) not before 27 Dec; and the firm
    // reminder sent on the 15th gives its own 14 days, from the day after the email (16 to 29
    // Dec): the notice on the 30th.
    let t = track(&book, None, "2026-12-15", "F-103");
    assert_eq!(
        (t["step_to_take"].as_str(), t["next"]["date"].as_str()),
        (Some("firm_reminder"), Some("2026-12-30")),
        "{t}"
    );
}

#[test]
fn interest_and_costs_left_after_the_principal_are_claimed_once() {
    let book = Book::new();
    customer_with_invoice(&book, "Late BV", &[], "2026-091", "2026-09-01", "250");
    on(&book, "2026-11-20", &["payment", "add", "2026-091", "--amount", "250", "--date", "2026-11-20"]);
    let t = track(&book, None, "2026-11-23", "2026-091");
    assert_eq!(
        (t["claim"]["claimable"].as_bool(), t["claim"]["total"].as_str()),
        (Some(true), Some("43.60")),
        "{t}"
    );
    // The letter for it is the claim, and sending it is recorded once: never claimed twice.
    let letter = on(&book, "2026-11-23", &["letter", "2026-091"]);
    assert!(
        letter.contains("Fixed compensation for recovery costs: €40.00")
            && letter.contains("Total due: €43.60"),
        "{letter}"
    );
    on(&book, "2026-11-23", &["letter", "2026-091", "--mark-sent"]);
    assert!(items_for(&agenda(&book, None, "2026-11-24"), "2026-091").is_empty());
    let again = fails(&book, "2026-11-24", &["letter", "2026-091", "--step", "claim"]);
    assert!(again.contains("already claimed on 2026-11-23"), "{again}");
    // No thank-you while the claim is out: the default letter says what to do instead.
    let pending = fails(&book, "2026-11-24", &["letter", "2026-091"]);
    assert!(pending.contains("claimed on 2026-11-23") && pending.contains("settle claim paid"), "{pending}");
    // Paid: recorded, and nothing more is claimed.
    on(&book, "2026-11-30", &["claim", "paid", "2026-091"]);
    let t = track(&book, None, "2026-11-30", "2026-091");
    assert_eq!(
        (t["claim"]["total"].as_str(), t["claim"]["closed"]["how"].as_str()),
        (Some("0.00"), Some("paid")),
        "{t}"
    );
    assert!(fails(&book, "2026-11-30", &["claim", "waive", "2026-091"]).contains("already recorded as paid"));
}

#[test]
fn a_payment_goes_to_the_costs_first_in_track_and_letters_while_the_aging_keeps_the_principal() {
    // A Dutch consumer owes €3,000 due 28 Feb 2025. The 14-day letter, emailed on 3 March,
    // names the WIK costs (15 % × 2,500 + 10 % × 500 = €425) and the 14 days from the day
    // after receipt (4–17 March, art. 6:96 lid 6 BW); the costs fall due on 18 March, when
    // €2,000 comes in. Art. 6:44 BW: costs first (€425), then the interest of 18 March
    // (3,000 × 6 % / 365 = 0.493 → €0.49), then the principal (€1,574.51): €1,425.49 left.
    // On 31 March: 13 × 1,425.49 × 6 % / 365 = €3.05 more interest. The books (aging) show
    // what the invoice still lacks, €1,000; track and the letters show the whole claim.
    let book = Book::new();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "jurisdiction = \"NL\"\n[me]\nname = \"An Peeters\"\niban = \"BE68 5390 0754 7034\"\n",
    )
    .unwrap();
    let c = Some(config.as_path());
    on_with(&book, c, "2025-01-29", &["customer", "add", "Jan Jansen", "--kind", "consumer", "--lang", "nl"]);
    on_with(
        &book,
        c,
        "2025-01-29",
        &[
            "invoice",
            "add",
            "2025-007",
            "--customer",
            "Jan Jansen",
            "--issued",
            "2025-01-29",
            "--amount",
            "3000",
        ],
    );
    let letter = on_with(&book, c, "2025-03-03", &["letter", "2025-007", "--step", "reminder"]);
    assert!(letter.contains("incassokosten van € 425,00") && !letter.contains("uiterlijk op"), "{letter}");
    on_with(&book, c, "2025-03-03", &["letter", "2025-007", "--step", "reminder", "--mark-sent"]);
    on_with(
        &book,
        c,
        "2025-03-18",
        &["payment", "add", "2025-007", "--amount", "2000", "--date", "2025-03-18"],
    );
    let t = track(&book, c, "2025-03-31", "2025-007");
    let claim = &t["claim"];
    assert_eq!(
        [
            &claim["books_open"],
            &claim["principal"],
            &claim["costs_paid"],
            &claim["interest_paid"],
            &claim["interest"],
            &claim["total"]
        ],
        ["1000.00", "1425.49", "425.00", "0.49", "3.05", "1428.54"],
        "{t}"
    );
    let aging: Value =
        serde_json::from_str(&on_with(&book, c, "2025-03-31", &["report", "aging", "--format", "json"]))
            .unwrap();
    assert!(aging.to_string().contains("1000.00"), "the aging keeps the principal of the books: {aging}");
    let notice =
        on_with(&book, c, "2025-03-31", &["letter", "2025-007", "--step", "formal_notice", "--lang", "en"]);
    for want in [
        "Principal still open on invoice 2025-007: €1,425.49",
        "Paid on 18 March 2025: €2,000.00, of which €425.00 to the costs, €0.49 to the interest and €1,574.51 to the principal",
        "article 6:44 of the Dutch Civil Code",
        "Total due: €1,428.54",
    ] {
        assert!(notice.contains(want), "missing {want:?} in\n{notice}");
    }
    // A formal notice as first contact would have started nothing: see the letters' tests.
}

/// A payment that settles an invoice says what Today proposes next, and only that: the
/// interest and costs to claim or waive, a thank-you, or nothing (the payment once said "time
/// to thank" for an invoice paid on time, which Today never proposes).
#[test]
fn a_payment_in_full_announces_what_today_then_shows() {
    let book = Book::new();
    on(&book, "2026-11-01", &["customer", "add", "Acme", "--terms", "30"]);
    on(&book, "2026-11-01", &["customer", "add", "Jan", "--kind", "consumer", "--terms", "14"]);
    for (n, who) in [("A-1", "Acme"), ("A-2", "Acme"), ("J-1", "Jan")] {
        on(
            &book,
            "2026-11-01",
            &["invoice", "add", n, "--customer", who, "--issued", "2026-10-01", "--amount", "500"],
        );
    }
    // A-1 paid on time; A-2 (a business) and J-1 (a consumer, no compliant first reminder)
    // paid late after a reminder.
    on(&book, "2026-11-10", &["step", "record", "A-2", "--step", "reminder", "--date", "2026-11-05"]);
    on(&book, "2026-11-10", &["step", "record", "J-1", "--step", "reminder", "--date", "2026-10-20"]);
    let day = "2026-11-20";
    let kind_on_today = |number: &str| -> Option<String> {
        agenda(&book, None, day)
            .iter()
            .find(|i| i["invoice"] == number)
            .map(|i| i["kind"].as_str().unwrap().to_string())
    };
    let said = on(&book, day, &["payment", "add", "A-1", "--amount", "500", "--date", "2026-10-30"]);
    assert_eq!(said.trim(), "Invoice A-1 is paid in full.");
    assert_eq!(kind_on_today("A-1"), None);
    let said = on(&book, day, &["payment", "add", "A-2", "--amount", "500", "--date", day]);
    assert!(said.contains("still claimable") && said.contains("settle claim waive A-2"), "{said}");
    assert_eq!(kind_on_today("A-2").as_deref(), Some("claimable"));
    let said = on(&book, day, &["payment", "add", "J-1", "--amount", "500", "--date", day]);
    assert_eq!(said.trim(), "Invoice J-1 is paid in full. Time to thank Jan.");
    assert_eq!(kind_on_today("J-1").as_deref(), Some("thank_you"));
    // Once the claim is waived, Today proposes the thank-you for A-2.
    on(&book, day, &["claim", "waive", "A-2"]);
    assert_eq!(kind_on_today("A-2").as_deref(), Some("thank_you"));
}

/// A plan of 2 × €990.00 with €1,000.00 paid: the second instalment still lacks €980.00, and
/// Today and `check` both say so (check once said the agreed €990.00).
#[test]
fn a_part_paid_instalment_is_told_by_what_it_still_lacks_everywhere() {
    let book = Book::new();
    on(&book, "2026-11-16", &["customer", "add", "Dubois", "--profile", "new"]);
    on(
        &book,
        "2026-11-16",
        &["invoice", "add", "F-1", "--customer", "Dubois", "--issued", "2026-09-20", "--amount", "1980"],
    );
    on(
        &book,
        "2026-11-18",
        &["call", "log", "F-1", "--outcome", "plan", "--plan", "2", "--every", "14", "--first", "2026-11-20"],
    );
    on(&book, "2026-11-20", &["payment", "add", "F-1", "--amount", "1000", "--date", "2026-11-20"]);
    let day = "2026-12-08";
    let item = agenda(&book, None, day).into_iter().find(|i| i["kind"] == "instalment_missed").unwrap();
    assert!(item["text"].as_str().unwrap().contains("instalment of €980.00"), "{item}");
    let check = on(&book, day, &["check", "--no-notify"]);
    assert!(check.contains("instalment of €980.00"), "{check}");
}
