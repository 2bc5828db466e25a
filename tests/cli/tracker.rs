//! `settle letter`, `settle track`, `settle notice`, `settle export dossier` and
//! `settle config` on the demo book, through the real binary.

use std::path::Path;

use settle::config::Config;
use settle::export::dossier::Dossier;
use settle::service::CaseFile;
use settle::store::Store;

use crate::support::{Book, mode};

const TODAY: &str = "2026-11-23";

/// A demo book (fixed seed and day) and a config file naming the freelancer.
fn demo() -> Book {
    let book = Book::configured(
        "[me]\nname = \"An Peeters\"\ncompany = \"Peeters Ontwerp\"\niban = \"BE68 5390 0754 7034\"\n",
    );
    book.ok(&["demo", "--busy", "--customers", "30", "--invoices", "300", "--seed", "7"]);
    book
}

fn store(book: &Book) -> Store {
    Store::open(&book.db).unwrap()
}

fn config(book: &Book) -> Config {
    Config::load(book.config.as_deref()).unwrap()
}

/// Open invoices of the demo book, overdue ones first.
fn open_numbers(book: &Book) -> Vec<String> {
    store(book).open_invoices().unwrap().into_iter().map(|r| r.invoice.number).collect()
}

fn today() -> chrono::NaiveDate {
    TODAY.parse().unwrap()
}

#[test]
fn letters_for_the_demo_book() {
    let book = demo();
    let mut written = 0;
    for number in open_numbers(&book).iter().take(25) {
        let out = book.run(&["letter", number]);
        let text = String::from_utf8(out.stdout).unwrap();
        if out.status.success() {
            // The subject line is written in the letter's language.
            assert!(
                ["Subject: ", "Onderwerp: ", "Objet : "].iter().any(|p| text.starts_with(p)),
                "{number}: {text}"
            );
            assert!(text.contains(number), "{number}: {text}");
            assert!(text.contains("An Peeters"), "{number}: {text}");
            written += 1;
        } else {
            // The refusals for an open invoice: its next step is a call, or its ladder waits
            // (a promise, a plan, a dispute, the formal notice's term).
            let err = String::from_utf8(out.stderr).unwrap();
            assert!(
                err.contains("phone call")
                    || err.contains("every step")
                    || err.contains("waits (")
                    || err.contains("is disputed since"),
                "{number}: {err}"
            );
        }
    }
    assert!(written >= 10, "only {written} letters");
    let number = &open_numbers(&book)[0];
    let file = book.path("out/letter.txt");
    let msg = book.ok(&[
        "letter",
        number,
        "--step",
        "formal_notice",
        "--lang",
        "en",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(msg.contains("not marked as sent"), "{msg}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("Subject: Formal notice of default"), "{text}");
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    // Unknown invoice, unknown letter.
    assert!(book.fails(&["letter", "NOPE-1"]).contains("unknown invoice 'NOPE-1'"));
    assert!(book.fails(&["letter", number, "--step", "reminer"]).contains("unknown letterkind 'reminer'"));
}

#[test]
fn marking_a_letter_sent_records_its_step_once_and_the_registered_notice() {
    let book = demo();
    // An open invoice whose formal notice is not sent yet.
    let store = store(&book);
    let config = config(&book);
    let number = open_numbers(&book)
        .into_iter()
        .find(|n| {
            let case = CaseFile::by_number(&store, &config, n, today()).unwrap();
            case.invoice.due < today()
                && !case.invoice.disputed
                && !case.standing.done.contains(settle::domain::policy::Step::FormalNotice)
        })
        .expect("an overdue invoice without a formal notice");
    drop(store);
    let args = ["letter", number.as_str(), "--step", "formal_notice", "--mark-sent"];
    assert!(book.fails(&args).contains("tracking number"));
    let out = book.ok(&[&args[..], &["--tracking", "RR 0001 BE"]].concat());
    assert!(out.contains("Recorded the formal_notice"), "{out}");
    assert!(
        book.fails(&[&args[..], &["--tracking", "RR 0002 BE"]].concat())
            .contains("already recorded on 2026-11-23")
    );
    let out = book.ok(&["notice", &number, "--received", "2026-11-25"]);
    assert!(out.contains("received on 2026-11-25"), "{out}");
    // The notice's 14 days run from receipt: the tracker waits until 9 December.
    let track = book.ok(&["track", &number]);
    assert!(
        track.contains("paused since 2026-11-23: the formal notice's payment term, until 2026-12-09"),
        "{track}"
    );
}

#[test]
fn the_dossier_json_rereads_into_the_figures_the_app_shows() {
    let book = demo();
    let store = store(&book);
    let config = config(&book);
    let mut checked = 0;
    for number in open_numbers(&book).iter().take(12) {
        let dir = book.path(&format!("dossier-{number}"));
        let out = book.ok(&["export", "dossier", number, "--out", dir.to_str().unwrap()]);
        assert!(out.contains("dossier.json"), "{out}");
        let json = std::fs::read_to_string(dir.join("dossier.json")).unwrap();
        let reread: Dossier = serde_json::from_str(&json).unwrap();
        let case = CaseFile::by_number(&store, &config, number, today()).unwrap();
        // The same open amount, claim (every interest line, exact), tracker and timeline.
        assert_eq!(reread, Dossier::from_case(&case, &config), "{number}");
        assert_eq!(reread.claim, case.claim);
        assert_eq!(reread.open, case.invoice.open);
        assert_eq!(reread.claim.total, case.claim.total);
        assert_eq!(reread.timeline.len(), case.timeline.len());
        let md = std::fs::read_to_string(dir.join("dossier.md")).unwrap();
        assert!(md.contains(&format!("# Collection dossier: invoice {number}")));
        assert!(md.contains(&case.customer.name));
        #[cfg(unix)]
        {
            assert_eq!(mode(&dir.join("dossier.json")), 0o600);
            assert_eq!(mode(&dir), 0o700);
        }
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn a_bad_config_file_stops_every_command_with_its_line() {
    let book = demo();
    let before = book.ok(&["customer", "list"]);
    std::fs::write(book.path("config.toml"), "[ladder.standard]\nreminder = 3\nfirm_reminder = -5\n")
        .unwrap();
    let err = book.fails(&["customer", "add", "Nieuwe Klant BV"]);
    let file = book.path("config.toml");
    assert!(
        err.contains(&format!("{}:3:17: 'firm_reminder' comes after the due date", file.display())),
        "{err}"
    );
    std::fs::write(book.path("config.toml"), "").unwrap();
    assert_eq!(book.ok(&["customer", "list"]), before, "nothing ran on the bad config");
    // `config path` still answers with a broken file (it is how you find it to fix it).
    std::fs::write(book.path("config.toml"), "jurisdiction = [\n").unwrap();
    assert_eq!(book.ok(&["config", "path"]).trim(), file.display().to_string());
    assert!(book.fails(&["config", "check"]).contains("config.toml:1:"));
}

#[test]
fn config_check_warns_when_me_lacks_what_a_consumer_letter_must_carry() {
    let book = demo();
    // The demo config names the freelancer and an IBAN, but no address nor enterprise number
    // (Code of Economic Law art. XIX.2): a warning, not a failure.
    let out = book.ok(&["config", "check"]);
    assert!(out.contains("Warning: [me] lacks address, enterprise (the enterprise number)"), "{out}");
    std::fs::write(
        book.path("config.toml"),
        "[me]\nname = \"An Peeters\"\naddress = \"Kerkstraat 1, 9000 Gent\"\nvat = \"BE0123456749\"\n\
         iban = \"BE68 5390 0754 7034\"\n",
    )
    .unwrap();
    assert!(
        !book.ok(&["config", "check"]).contains("Warning"),
        "the enterprise number is read from the VAT number"
    );
    std::fs::write(book.path("config.toml"), "jurisdiction = \"NL\"\n[me]\nname = \"An\"\n").unwrap();
    let out = book.ok(&["config", "check"]);
    assert!(out.contains("lacks address, iban") && !out.contains("enterprise"), "{out}");
}

#[test]
fn a_bad_user_template_stops_every_command_with_its_file_and_line() {
    let book = demo();
    let tmpl = book.path("letters/nl/reminder.txt");
    std::fs::create_dir_all(tmpl.parent().unwrap()).unwrap();
    std::fs::write(&tmpl, "Subject: Herinnering {{ invoice.number }}\n\nBeste {{ klant.naam }},\n").unwrap();
    let err = book.fails(&["report", "aging"]);
    assert!(err.contains(&format!("{}:3: unknown field 'klant.naam'", tmpl.display())), "{err}");
    std::fs::write(&tmpl, "Subject: Herinnering {{ invoice.number }}\n\nBeste {{ customer.greeting }},\n")
        .unwrap();
    assert!(book.ok(&["config", "check"]).contains("letter templates OK"));
    let nl = open_numbers(&book).into_iter().find(|n| {
        // A template may start "Subject:"; the letter is written with the Dutch word.
        book.ok(&["letter", n, "--step", "reminder", "--lang", "nl"]).starts_with("Onderwerp: Herinnering")
    });
    assert!(nl.is_some(), "the user's template is used");
}

/// Templates are rendered when settle starts: one whose loops never end in practice must
/// stop every command quickly with its file, not hang them all.
#[test]
fn a_runaway_user_template_is_refused_quickly_with_its_file() {
    let book = demo();
    let tmpl = book.path("letters/en/nudge.txt");
    std::fs::create_dir_all(tmpl.parent().unwrap()).unwrap();
    let x = format!("'{}'", ".".repeat(1000));
    let loops = format!("{{% for a in {x} %}}{{% for b in {x} %}}{{% for c in {x} %}}.");
    std::fs::write(&tmpl, format!("Subject: x\n\n{loops}{{% endfor %}}{{% endfor %}}{{% endfor %}}\n"))
        .unwrap();
    let start = std::time::Instant::now();
    let err = book.fails(&["report", "aging"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "took {:?}", start.elapsed());
    assert!(err.contains(&tmpl.display().to_string()), "{err}");
    assert!(err.contains("takes too long to render (more than 100000 steps)"), "{err}");
    // A call script too.
    std::fs::remove_file(&tmpl).unwrap();
    let script = book.path("scripts/en/call.txt");
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    std::fs::write(&script, format!("{loops}{{% endfor %}}{{% endfor %}}{{% endfor %}}\n")).unwrap();
    let number = open_numbers(&book).remove(0);
    let err = book.fails(&["call", "script", &number]);
    assert!(err.contains("takes too long to render"), "{err}");
}

#[test]
fn todays_standings_agree_with_each_invoice_and_name_skipped_steps() {
    use settle::domain::policy::Step;
    let book = demo();
    let store = store(&book);
    let config = config(&book);
    let ladders = settle::service::LadderBook::standings(&store, &config, today()).unwrap();
    let rows = store.open_invoices().unwrap();
    assert_eq!(rows.len(), open_numbers(&book).len());
    let mut all = Vec::new();
    for row in &rows {
        let i = &row.invoice;
        let bulk = ladders[&i.id];
        let case = CaseFile::load(&store, &config, i.id, today()).unwrap();
        assert_eq!(bulk, case.standing, "{}", i.number);
        all.push((row, bulk));
    }
    assert!(all.iter().any(|(_, s)| s.step_to_take.is_some() && !s.skips.is_empty()));
    // The app's `l`: preview, then save beside the database and mark the step, once.
    let (row, due) = all
        .iter()
        .find_map(|(r, s)| match s.step_to_take {
            Some(t) if !r.invoice.disputed && t.step != Step::Call => Some((r, t.step)),
            _ => None,
        })
        .expect("a letter step due in the demo book");
    let letters = settle::letters::Letters::shipped().unwrap();
    let (case, letter, channel) =
        settle::letters::send::preview(&store, &config, &letters, row.invoice.id, None, today(), None)
            .unwrap();
    assert_eq!(letter.kind.step(), Some(due));
    let path = settle::letters::send::default_path(&book.db, &case, letter.kind);
    let tracking = (due == Step::FormalNotice).then_some("RR 42 BE");
    settle::letters::send::save_and_mark(&store, &case, &letter, Some(&path), channel, tracking).unwrap();
    assert!(path.starts_with(book.path("letters")) && path.exists());
    let after = CaseFile::load(&store, &config, row.invoice.id, today()).unwrap();
    assert_ne!(after.standing.step_to_take.map(|c| c.step), Some(due));
    assert!(after.facts.done.iter().any(|d| d.step == due && d.on == today()));
}

#[test]
fn the_readme_config_example_is_a_valid_config() {
    let readme = include_str!("../../README.md");
    let from = readme.find("The configuration (all optional").expect("the tracker section");
    let start = readme[from..].find("```toml\n").unwrap() + from + "```toml\n".len();
    let end = readme[start..].find("```").unwrap() + start;
    let c = Config::from_text(Path::new("README.md"), &readme[start..end]).unwrap();
    assert_eq!(c.me.name, "An Peeters");
    assert_eq!(
        c.ladder_for("bakkerij peeters bv", settle::domain::customer::Profile::Standard)
            .offset(settle::domain::policy::Step::Reminder),
        Some(7)
    );
}
