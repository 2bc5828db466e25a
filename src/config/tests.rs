use super::*;
use rust_decimal::dec;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_text(Path::new("/home/an/.config/settle/config.toml"), text)
}

fn refusal(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn the_shipped_policy_asset_is_the_design_default() {
    assert_eq!(shipped_policy().unwrap(), Policy::default());
    let c = parse("").unwrap();
    assert_eq!(c.policy, Policy::default());
    assert_eq!(c.jurisdiction, Jurisdiction::Be);
    assert_eq!(c.agreements.grace_days, 2);
    assert_eq!(c.notify.due_soon_days, 3);
    assert_eq!(c.letters_dir, Path::new("/home/an/.config/settle/letters"));
}

#[test]
fn the_shipped_rate_table_follows_the_statutory_formula() {
    use crate::domain::interest::RateKind;
    let rows = shipped_rates().unwrap();
    assert!(rows.len() >= 70);
    for r in rows.iter().filter(|r| r.kind == RateKind::B2b) {
        let reference = r.reference.expect("every shipped commercial row names its reference rate");
        // Law of 2 August 2002, art. 5: + 8 points (+ 7 before its amendment of 22 November
        // 2013, the row of the first half of 2013).
        let points = if r.from < "2013-07-01".parse().unwrap() { dec!(7) } else { dec!(8) };
        let want = match r.jurisdiction {
            // Belgium rounds up to the next half point.
            Jurisdiction::Be => ((reference + points) * dec!(2)).ceil() / dec!(2),
            Jurisdiction::Nl => reference + dec!(8),
        };
        assert_eq!(r.rate, want, "{} from {}", r.jurisdiction, r.from);
        assert!(!r.source.trim().is_empty());
    }
    // The legal (consumer) rates: whole percent in the Netherlands, quarter points in
    // Belgium; every row says where it comes from.
    for r in rows.iter().filter(|r| r.kind == RateKind::Consumer) {
        let step = if r.jurisdiction == Jurisdiction::Nl { dec!(1) } else { dec!(0.25) };
        assert!((r.rate / step).fract().is_zero(), "{} from {}", r.jurisdiction, r.from);
        assert!(r.source.contains(if r.jurisdiction == Jurisdiction::Nl { "6:119" } else { "5 May 1865" }));
    }
    let t = parse("").unwrap().rates;
    let rate = |j, kind, day: &str| t.row_on(j, kind, day.parse().unwrap()).unwrap().rate;
    let be = |day: &str| rate(Jurisdiction::Be, RateKind::B2b, day);
    // Belgium's published B2B rates on six days since 2013.
    assert_eq!(
        [
            be("2013-03-01"),
            be("2014-03-01"),
            be("2016-09-01"),
            be("2023-03-01"),
            be("2024-09-01"),
            be("2026-03-01")
        ],
        [dec!(8), dec!(8.5), dec!(8), dec!(10.5), dec!(12.5), dec!(10.5)]
    );
    // Every half-year from 2013 (BE) and 2019 (NL) to 2026 has its rows.
    for year in 2013..=2026 {
        for month in [1, 7] {
            let day = chrono::NaiveDate::from_ymd_opt(year, month, 1).unwrap();
            let mut kinds = vec![(Jurisdiction::Be, RateKind::B2b)];
            if month == 1 {
                kinds.push((Jurisdiction::Be, RateKind::Consumer));
            }
            if year >= 2019 {
                kinds.extend([(Jurisdiction::Nl, RateKind::B2b), (Jurisdiction::Nl, RateKind::Consumer)]);
            }
            for (j, k) in kinds {
                assert_eq!(t.row_on(j, k, day).map(|r| r.from), Some(day), "{j} {k:?} {day}");
            }
        }
    }
    // Legal rates: BE 2022 1.5 %, 2024 5.75 %; NL 2 % until 2022, 7 % in 2024.
    assert_eq!(rate(Jurisdiction::Be, RateKind::Consumer, "2022-06-01"), dec!(1.5));
    assert_eq!(rate(Jurisdiction::Be, RateKind::Consumer, "2024-09-01"), dec!(5.75));
    assert_eq!(rate(Jurisdiction::Nl, RateKind::Consumer, "2021-09-01"), dec!(2));
    assert_eq!(rate(Jurisdiction::Nl, RateKind::Consumer, "2024-09-01"), dec!(7));
}

#[test]
fn consumer_clauses_default_to_none_and_are_read_from_terms() {
    let c = parse("").unwrap();
    assert_eq!(c.terms, crate::domain::claim::Terms::default());
    let c = parse("[terms]\nconsumer_interest_clause = true\nconsumer_damages_clause = true\n").unwrap();
    assert!(c.terms.consumer_interest_clause && c.terms.consumer_damages_clause);
    assert!(refusal("[terms]\nconsumer_interest = true\n").contains("unknown field"));
}

#[test]
fn a_full_config_is_read() {
    let c = parse(
        r#"
jurisdiction = "NL"

[me]
name = "An Peeters"
company = "Peeters Ontwerp"
address = """Kerkstraat 1
9000 Gent"""
iban = "BE68 5390 0754 7034"
vat = "BE0123456749"

[ladder.trusted]
call = 3

[ladder.customer."Bakkerij Peeters BV"]
reminder = 7

[[rate]]
jurisdiction = "NL"
from = 2027-01-01
rate = 9.65
source = "Staatscourant"

[agreements]
grace_days = 4

[notify]
due_soon_days = 5

[letters]
firm_term_days = 10
"#,
    )
    .unwrap();
    assert_eq!(c.jurisdiction, Jurisdiction::Nl);
    assert_eq!(c.me.iban.as_str(), "BE68 5390 0754 7034");
    assert_eq!(c.policy.trusted.offset(Step::Call), Some(3));
    assert_eq!(c.policy.standard, Policy::default().standard);
    assert_eq!(c.ladder_for("bakkerij peeters bv", Profile::Standard).offset(Step::Reminder), Some(7));
    assert_eq!(c.ladder_for("Someone Else", Profile::Standard).offset(Step::Reminder), Some(3));
    let last = c.rates.row_on(
        Jurisdiction::Nl,
        crate::domain::interest::RateKind::B2b,
        "2027-02-01".parse().unwrap(),
    );
    assert_eq!(last.map(|r| r.rate), Some(dec!(9.65)));
    assert_eq!((c.agreements.grace_days, c.notify.due_soon_days, c.letters.firm_term_days), (4, 5, 10));
}

#[test]
fn bad_files_are_refused_with_file_line_and_reason() {
    let file = "/home/an/.config/settle/config.toml";
    // Unknown step.
    let e = refusal("[ladder.standard]\nreminer = 5\n");
    assert!(e.starts_with(&format!("{file}:2:1: unknown variant `reminer`")), "{e}");
    // Negative offset for a step after the due date.
    let e = refusal("[ladder.new]\n\nfirm_reminder = -4\n");
    assert!(e.starts_with(&format!("{file}:3:17: 'firm_reminder' comes after the due date")), "{e}");
    // Duplicate step.
    let e = refusal("[ladder.trusted]\ncall = 3\ncall = 4\n");
    assert!(e.starts_with(&format!("{file}:3:1: duplicate key")), "{e}");
    // Out of order.
    let e = refusal("[ladder.standard]\nagency = 20\n");
    assert!(e.contains(":2:10: 'agency' (day 20) would come before 'formal_notice' (day 30)"), "{e}");
    // A customer override that breaks one profile's ladder names it.
    let e = refusal("[ladder.customer.\"Acme\"]\nfirm_reminder = 8\n");
    assert!(
        e.contains(":2:17: for a trusted customer, 'firm_reminder' (day 8) would come before 'reminder'"),
        "{e}"
    );
    // Unparseable TOML, unknown keys, bad values.
    assert!(refusal("jurisdiction = \n").starts_with(&format!("{file}:1:")));
    let e = refusal("jurisdicton = \"BE\"\n");
    assert!(e.contains(":1:1: unknown field `jurisdicton`"), "{e}");
    let e = refusal("jurisdiction = \"FR\"\n");
    assert!(e.contains(":1:16: unknown variant `FR`"), "{e}");
    let e = refusal("[me]\nname = \"An\"\niban = \"BE68 5390 0754 7035\"\n");
    assert!(e.contains(":3:8: the IBAN 'BE68 5390 0754 7035' fails its check digits"), "{e}");
    let e = refusal("[[rate]]\njurisdiction = \"BE\"\nfrom = 2027-02-01\nrate = 9\nsource = \"x\"\n");
    assert!(e.contains(":1:1: a rate row starts on 2027-02-01"), "{e}");
    let e = refusal("[letters]\nfirm_term_days = 0\n");
    assert!(e.contains(":2:1: letters.firm_term_days = 0"), "{e}");
    let e = refusal("[ladder.standard]\ncall = \"soon\"\n");
    assert!(e.contains(":2:8:"), "{e}");
}

#[test]
fn an_explicit_file_must_exist_and_a_default_one_may_not() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let e = Config::load(Some(&missing)).unwrap_err().to_string();
    assert!(e.contains("nope.toml"), "{e}");
    let good = dir.path().join("config.toml");
    std::fs::write(&good, "[me]\nname = \"An\"\n").unwrap();
    let c = Config::load(Some(&good)).unwrap();
    assert!(c.found);
    assert_eq!(c.me.name, "An");
    assert_eq!(c.letters_dir, dir.path().join("letters"));
}

#[test]
fn letters_are_warned_about_a_missing_name_or_iban() {
    let none = parse("").unwrap();
    assert_eq!(
        none.identity_note().as_deref(),
        Some(
            "your name and iban are not set: add them under [me] in /home/an/.config/settle/config.toml; until then letters leave them blank"
        )
    );
    let name_only = parse("[me]\nname = \"An Peeters\"\n").unwrap();
    assert_eq!(
        name_only.identity_note().as_deref(),
        Some(
            "your iban is not set: add it under [me] in /home/an/.config/settle/config.toml; until then letters leave it blank"
        )
    );
    assert_eq!(
        parse("[me]\ncompany = \"Peeters Ontwerp\"\niban = \"BE68 5390 0754 7034\"\n")
            .unwrap()
            .identity_note(),
        None
    );
}

#[test]
fn smtp_is_read_with_defaults_and_never_holds_a_password() {
    use super::smtp::Security;
    assert_eq!(parse("").unwrap().smtp, None);
    let c = parse(
        "[smtp]\nhost = \"smtp.example.be\"\nuser = \"ann\"\nfrom = \"Ann <ann@example.be>\"\npassword_command = \"pass show mail\"\n",
    )
    .unwrap();
    let s = c.smtp.unwrap();
    assert_eq!((s.host.as_str(), s.port, s.security), ("smtp.example.be", 587, Security::Starttls));
    assert_eq!(s.user.as_deref(), Some("ann"));
    assert_eq!(s.password_command.as_deref(), Some("pass show mail"));
    let tls =
        parse("[smtp]\nhost = \"smtp.example.be\"\nfrom = \"ann@example.be\"\nsecurity = \"tls\"\n").unwrap();
    assert_eq!(tls.smtp.map(|s| (s.port, s.security)), Some((465, Security::Tls)));
    let local =
        parse("[smtp]\nhost = \"localhost\"\nport = 2525\nfrom = \"ann@example.be\"\nsecurity = \"none\"\n")
            .unwrap();
    assert_eq!(local.smtp.map(|s| s.port), Some(2525));
    // A password in the file is refused.
    let err = refusal("[smtp]\nhost = \"h\"\nfrom = \"ann@example.be\"\npassword = \"x\"\n");
    assert!(
        err.contains("config.toml:4:") && err.contains("smtp.password: settle never keeps a password"),
        "{err}"
    );
}

#[test]
fn smtp_refuses_plain_text_to_another_machine_and_bad_fields() {
    let err = refusal("[smtp]\nhost = \"smtp.example.be\"\nfrom = \"ann@example.be\"\nsecurity = \"none\"\n");
    assert!(err.starts_with("/home/an/.config/settle/config.toml:4:"), "{err}");
    assert!(err.contains("smtp.security = \"none\"") && err.contains("smtp.example.be"), "{err}");
    let err = refusal("[smtp]\nhost = \"h\"\nfrom = \"not an address\"\n");
    assert!(err.contains("config.toml:3:") && err.contains("smtp.from"), "{err}");
    let err = refusal("[smtp]\nfrom = \"ann@example.be\"\n");
    assert!(err.contains("[smtp] needs host"), "{err}");
    let err = refusal("[smtp]\nhost = \"h\"\nfrom = \"ann@example.be\"\nuser = \"ann\"\n");
    assert!(err.contains("without password_command"), "{err}");
    let err = refusal("[smtp]\nhost = \"h\"\nfrom = \"ann@example.be\"\nsecurity = \"ssl\"\n");
    assert!(err.contains("config.toml:4:"), "{err}");
}

#[test]
fn the_password_command_is_run_and_trimmed() {
    use super::smtp::run_password_command;
    assert_eq!(run_password_command("printf '  s3cret \\n'").unwrap(), "s3cret");
    let err = run_password_command("echo nope >&2; exit 3").unwrap_err().to_string();
    assert!(err.contains("password_command failed") && err.contains("nope"), "{err}");
    assert!(run_password_command("true").unwrap_err().to_string().contains("no password"));
}

#[test]
fn smtp_password_keyring_is_one_way_to_the_password_never_with_the_command() {
    let base = "[smtp]\nhost = \"smtp.example.be\"\nfrom = \"ann@example.be\"\nuser = \"ann@example.be\"\n";
    let s = parse(&format!("{base}password_keyring = true\n")).unwrap().smtp.unwrap();
    assert!(s.password_keyring && s.password_command.is_none());
    assert_eq!(s.keyring_user().as_deref(), Some("ann@example.be@smtp.example.be"));
    let err = refusal(&format!("{base}password_keyring = true\npassword_command = \"pass show mail\"\n"));
    assert!(
        err.contains("config.toml:5:") && err.contains("smtp.password_keyring and smtp.password_command"),
        "{err}"
    );
    let err = refusal("[smtp]\nhost = \"h\"\nfrom = \"ann@example.be\"\npassword_keyring = true\n");
    assert!(err.contains("config.toml:4:") && err.contains("password_keyring needs user"), "{err}");
    // false is the same as leaving it out: the user then needs the command.
    let err = refusal(&format!("{base}password_keyring = false\n"));
    assert!(err.contains("without password_command or password_keyring"), "{err}");
    let s = parse(&format!("{base}password_keyring = false\npassword_command = \"pass show mail\"\n"))
        .unwrap()
        .smtp
        .unwrap();
    assert!(!s.password_keyring);
    let err = refusal(&format!("{base}password_keyring = \"yes\"\n"));
    assert!(err.contains("config.toml:5:"), "{err}");
}
