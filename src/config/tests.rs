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
    let rows = shipped_rates().unwrap();
    assert!(rows.len() >= 30);
    for r in &rows {
        let reference = r.reference.expect("every shipped row names its reference rate");
        let plus8 = reference + dec!(8);
        let want = match r.jurisdiction {
            // Belgium rounds up to the next half point.
            Jurisdiction::Be => (plus8 * dec!(2)).ceil() / dec!(2),
            Jurisdiction::Nl => plus8,
        };
        assert_eq!(r.rate, want, "{} from {}", r.jurisdiction, r.from);
        assert!(!r.source.trim().is_empty());
    }
    // The figures the issue quotes for Belgium.
    let t = parse("").unwrap().rates;
    let be = |day: &str| {
        t.row_on(Jurisdiction::Be, crate::domain::interest::RateKind::B2b, day.parse().unwrap()).unwrap().rate
    };
    assert_eq!(
        [be("2023-03-01"), be("2024-03-01"), be("2024-09-01"), be("2025-03-01"), be("2026-03-01")],
        [dec!(10.5), dec!(12.5), dec!(12.5), dec!(11.5), dec!(10.5)]
    );
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
