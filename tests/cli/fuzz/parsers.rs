//! The file parsers: CSV invoices and bank statements, UBL (Peppol) documents, the config
//! file, letter templates and call scripts. Arbitrary and nearly-valid input must never
//! panic; a refusal names the file it refuses (and, for text files, the line).

use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use settle::call_script::ScriptLibrary;
use settle::config::Config;
use settle::import::{bank, csv, ubl};
use settle::letters::Letters;

const CSV_HEADER: &str = "number;customer;date;due;amount;currency;reference\n";
const UBL: &str = include_str!("../../fixtures/ubl/ubl-tc434-creditnote1.xml");
const CONFIG: &str = "[me]\nname = \"An Peeters\"\niban = \"BE68 5390 0754 7034\"\n\n[ladder.standard]\nreminder = 5\ncall = 12\n\n[agreements]\ngrace_days = 3\n\n[notify]\ndue_soon_days = 4\n";
const LETTER: &str = include_str!("../../../assets/letters/en/reminder.txt");
const SCRIPT: &str = include_str!("../../../assets/scripts/en/call.txt");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Text with `junk` put in at a char boundary near `at` (a fraction of the length).
fn spliced(text: &str, at: f64, cut: usize, junk: &str) -> String {
    let mut i = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    let mut j = (i + cut).min(text.len());
    while !text.is_char_boundary(j) {
        j -= 1;
    }
    format!("{}{junk}{}", &text[..i], &text[j..])
}

/// Pieces that break templates, TOML and CSV in interesting ways.
fn junk() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{% if %}".to_string()),
        Just("{% endif %}".to_string()),
        Just("{{ no_such_field }}".to_string()),
        Just("{{ customer.name | nosuchfilter }}".to_string()),
        Just("[ladder.standard]\nreminder = -5\n".to_string()),
        Just("call = \"soon\"\n".to_string()),
        Just("\"".to_string()),
        Just(";;;\n".to_string()),
        Just("\u{0}".to_string()),
        "\\PC{0,12}",
    ]
}

fn names_the_file(message: &str, file: &str) -> bool {
    message.contains(file)
}

proptest! {
    #[test]
    fn csv_invoices_never_panic_and_name_the_file(body in "[a-zA-Z0-9,;\"\t\n .€/+-]{0,400}") {
        let text = format!("{CSV_HEADER}{body}");
        if let Err(e) = csv::parse_invoices("invoices.csv", text.as_bytes(), &[]) {
            let m = e.to_string();
            prop_assert!(names_the_file(&m, "invoices.csv"), "{m}");
        }
    }

    #[test]
    fn csv_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = csv::parse_invoices("invoices.csv", &bytes, &[]);
        let _ = bank::parse_statement("bank.csv", &bytes, &[], today());
    }

    #[test]
    fn bank_statements_never_panic_and_name_the_file(body in "[a-zA-Z0-9,;\"\n .+/*-]{0,400}") {
        let text = format!("date;amount;communication;counterparty\n{body}");
        if let Err(e) = bank::parse_statement("bank.csv", text.as_bytes(), &[], today()) {
            let m = e.to_string();
            prop_assert!(names_the_file(&m, "bank.csv"), "{m}");
        }
    }

    #[test]
    fn damaged_ubl_never_panics_and_names_the_file(at in 0.0..1.0f64, cut in 0usize..40, junk in junk()) {
        let xml = spliced(UBL, at, cut, &junk);
        if let Err(problems) = ubl::parse_document("doc.xml", xml.as_bytes()) {
            prop_assert!(!problems.is_empty());
            for p in problems {
                let m = p.to_string();
                prop_assert!(names_the_file(&m, "doc.xml"), "{m}");
            }
        }
    }

    #[test]
    fn damaged_config_never_panics_and_names_file_and_line(at in 0.0..1.0f64, cut in 0usize..20, junk in junk()) {
        let text = spliced(CONFIG, at, cut, &junk);
        if let Err(e) = Config::from_text(Path::new("/home/an/.config/settle/config.toml"), &text) {
            let m = e.to_string();
            prop_assert!(m.starts_with("/home/an/.config/settle/config.toml:"), "{m}");
        }
    }

    #[test]
    fn arbitrary_config_text_never_panics(text in "\\PC{0,200}") {
        let _ = Config::from_text(Path::new("config.toml"), &text);
    }
}

proptest! {
    // Templates are read from files: a twentieth of the cases (at least 32), each writes one.
    #![proptest_config(ProptestConfig { cases: (ProptestConfig::default().cases / 20).max(32), ..ProptestConfig::default() })]

    #[test]
    fn damaged_letter_templates_are_refused_at_load_naming_the_file(at in 0.0..1.0f64, cut in 0usize..30, junk in junk()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("en")).unwrap();
        let file = dir.path().join("en").join("reminder.txt");
        std::fs::write(&file, spliced(LETTER, at, cut, &junk)).unwrap();
        if let Err(e) = Letters::load(Some(dir.path())) {
            let m = e.to_string();
            prop_assert!(names_the_file(&m, &file.display().to_string()), "{m}");
        }
    }

    #[test]
    fn damaged_call_scripts_are_refused_at_load_naming_the_file(at in 0.0..1.0f64, cut in 0usize..30, junk in junk()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("scripts").join("en")).unwrap();
        let file = dir.path().join("scripts").join("en").join("call.txt");
        std::fs::write(&file, spliced(SCRIPT, at, cut, &junk)).unwrap();
        if let Err(e) = ScriptLibrary::load(Some(dir.path())) {
            let m = e.to_string();
            prop_assert!(names_the_file(&m, &file.display().to_string()), "{m}");
        }
    }
}
