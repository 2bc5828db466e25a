//! Characters a terminal would obey (ESC, the C1 controls, bidirectional overrides,
//! zero-width characters): refused in every text field at every input, naming the field, and
//! never let through by the output wall, whatever bytes reach it. And CSV text cells: never a
//! formula to a spreadsheet, and read back by the importers as they were.

use std::io::Write;
use std::sync::Arc;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use rust_decimal::Decimal;
use settle::app::form::{Field, FieldKind};
use settle::app::screen_data::ScreenData as AppBook;
use settle::cli::output::Sanitised;
use settle::domain::customer::NewCustomer;
use settle::domain::invoice::NewInvoice;
use settle::domain::money::{Currency, Money};
use settle::domain::text::{Lines, check_text, from_spreadsheet_cell, is_unsafe, sanitise, spreadsheet_cell};
use settle::export::{CsvTable, Table};
use settle::import::model::{BankLine, Origin, StatementFormat};
use settle::import::{At, Options, bank, csv, customers, import_payments};
use settle::store::Store;

/// One character every text field refuses: a C0 control (tab and line feed included), DEL,
/// a C1 control, a bidirectional embedding, override or isolate, a zero-width character or
/// direction mark, or the zero-width no-break space.
fn refused_char() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        Just('\u{7f}'),
        (0x80u32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
        (0x202au32..=0x202e).prop_map(|c| char::from_u32(c).unwrap()),
        (0x2066u32..=0x2069).prop_map(|c| char::from_u32(c).unwrap()),
        (0x200bu32..=0x200f).prop_map(|c| char::from_u32(c).unwrap()),
        Just('\u{feff}'),
    ]
}

/// The same, less the line feed (which a note may hold).
fn refused_in_a_note() -> impl Strategy<Value = char> {
    refused_char().prop_filter("a note may hold line feeds", |c| *c != '\n')
}

/// Ordinary text with the character put in at `at` (a fraction of its length), never first
/// or last (inputs are trimmed, and a trimmed tab or line break is no longer there).
fn with_char(base: &str, c: char, at: f64) -> String {
    let chars: Vec<char> = base.chars().collect();
    let i = 1 + ((chars.len().saturating_sub(1) as f64) * at) as usize;
    chars[..i].iter().chain(std::iter::once(&c)).chain(&chars[i..]).collect()
}

/// Whether a message quotes nothing a terminal would obey.
fn clean(message: &str) -> bool {
    !message.chars().any(is_unsafe)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

proptest! {
    #[test]
    fn the_domain_refuses_them_in_customers_and_invoices(c in refused_char(), at in 0.0..1.0f64, field in 0usize..7) {
        let hostile = with_char("Bakkerij Peeters", c, at);
        let mut customer = NewCustomer::named("Acme");
        let mut invoice = NewInvoice {
            number: "2026-001".into(),
            customer_id: settle::domain::customer::CustomerId(1),
            issued: today(),
            due: today(),
            amount: Money::new(Decimal::ONE_HUNDRED, Currency::EUR),
            description: String::new(),
            reference: None,
        };
        let name = match field {
            0 => { customer.name = hostile; "customer name" }
            1 => { customer.contact = Some(hostile); "contact" }
            2 => { customer.email = Some(format!("{hostile}@x.be")); "email" }
            3 => { customer.phone = Some(hostile); "phone" }
            4 => { customer.vat = Some(hostile); "VAT number" }
            5 => { invoice.number = hostile; "invoice number" }
            _ => {
                prop_assume!(c != '\n');
                invoice.description = hostile;
                "description"
            }
        };
        let e = customer.validate().and_then(|()| invoice.validate()).unwrap_err();
        prop_assert!(e.starts_with(&format!("{name}: ")), "{e}");
        prop_assert!(clean(&e), "{e:?}");
    }

    #[test]
    fn the_app_forms_refuse_them(c in refused_char(), at in 0.0..1.0f64, kind in 0usize..4) {
        let kind = [
            FieldKind::NewCustomer,
            FieldKind::Text { required: false },
            FieldKind::Email,
            FieldKind::Customer,
        ][kind]
            .clone();
        let hostile = with_char("info@peeters.be", c, at);
        // The app's one-line inputs turn a line break into a space: give them the text as typed.
        prop_assume!(c != '\n');
        let mut field = Field::new("Name", kind, &hostile);
        field.check(today(), &AppBook::default());
        let e = field.error.unwrap_or_default();
        prop_assert!(e.contains(&format!("(U+{:04X})", u32::from(c))), "{e}");
    }

    #[test]
    fn csv_invoice_files_refuse_them_naming_file_line_and_column(c in refused_char(), at in 0.0..1.0f64, col in 0usize..3) {
        prop_assume!(col != 2 || c != '\n');
        let mut cells = ["2026-001".to_string(), "Acme".to_string(), "Website".to_string()];
        cells[col] = with_char(&cells[col], c, at);
        let text = format!(
            "number;customer;date;amount;description\n\"{}\";\"{}\";2026-11-01;100,00;\"{}\"\n",
            cells[0], cells[1], cells[2]
        );
        let e = csv::parse_invoices("invoices.csv", text.as_bytes(), &[]).unwrap_err();
        let header = ["number", "customer", "description"][col];
        let m = e.to_string();
        prop_assert!(m.contains(&format!("invoices.csv:2: {header} ")), "{m}");
        prop_assert!(m.contains(&format!("(U+{:04X})", u32::from(c))), "{m}");
        prop_assert!(clean(&m), "{m:?}");
    }

    #[test]
    fn csv_customer_files_refuse_them_naming_file_line_and_column(c in refused_char(), at in 0.0..1.0f64, col in 0usize..5) {
        let mut cells = ["Acme".to_string(), "An".into(), "an@acme.be".into(), "+32 2 555".into(), "BE0123".into()];
        cells[col] = with_char(&cells[col], c, at);
        let row = cells.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(",");
        let text = format!("name,contact,email,phone,vat\n{row}\n");
        let e = customers::parse_customers("c.csv", text.as_bytes(), &[]).unwrap_err();
        let m = e.to_string();
        let header = ["name", "contact", "email", "phone", "vat"][col];
        prop_assert!(m.contains(&format!("c.csv:2: {header} ")), "{m}");
        prop_assert!(clean(&m), "{m:?}");
    }

    #[test]
    fn imported_bank_lines_refuse_them_naming_the_field(c in refused_in_a_note(), at in 0.0..1.0f64, field in 0usize..3) {
        let mut store = Store::open_in_memory().unwrap();
        let acme = store.add_customer(&NewCustomer::named("Acme")).unwrap();
        store.add_invoice(&NewInvoice {
            number: "2026-001".into(),
            customer_id: acme,
            issued: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            due: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            amount: Money::new(Decimal::ONE_HUNDRED, Currency::EUR),
            description: String::new(),
            reference: None,
        }).unwrap();
        let mut line = BankLine::new(
            Origin { file: Arc::from("bank.csv"), at: At::Line(2) },
            StatementFormat::Csv,
            today(),
            Decimal::TEN,
        );
        line.counterparty = "ACME BV".into();
        line.communication = "invoice 2026-001".into();
        line.entry_ref = Some("x".into());
        let name = match field {
            0 => { line.counterparty = with_char("ACME BV", c, at); "counterparty" }
            1 => { line.communication = format!("invoice 2026-001 {}", with_char("thanks", c, at)); "communication" }
            _ => { line.method = Some(with_char("transfer", c, at)); "method" }
        };
        let e = import_payments(&mut store, &[line], Options::default()).unwrap_err();
        let m = e.to_string();
        prop_assert!(m.contains(&format!("bank.csv:2: {name} ")), "{m}");
        prop_assert!(clean(&m), "{m:?}");
        prop_assert!(store.payments(settle::domain::invoice::InvoiceId(1)).unwrap().is_empty());
    }

    #[test]
    fn bank_lines_that_are_not_imported_are_still_read(c in refused_char(), at in 0.0..1.0f64) {
        // An outgoing line, or one that matches nothing, is only listed: not refused.
        prop_assume!(!matches!(c, '\n' | '\r' | '"'));
        let text = format!("date;amount;counterparty;communication\n20/11/2026;-5,00;\"{}\";gift\n", with_char("SHOP", c, at));
        prop_assert!(bank::parse_statement("bank.csv", text.as_bytes(), &[], today()).is_ok());
    }

    #[test]
    fn accepted_text_reaches_the_terminal_unchanged(s in "\\PC{0,40}") {
        if check_text("name", &s, Lines::One).is_ok() {
            let shown = sanitise(&s);
            prop_assert_eq!(shown.as_ref(), s.as_str());
        }
    }

    #[test]
    fn the_output_wall_lets_no_control_through(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        text in proptest::collection::vec(prop_oneof![refused_char().prop_map(String::from), "\\PC{0,6}", Just("\r\n".to_string())], 0..20),
        cuts in proptest::collection::vec(0usize..300, 0..6),
    ) {
        let mut all = bytes;
        all.extend(text.concat().into_bytes());
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(all.len())).collect();
        cuts.push(all.len());
        cuts.sort_unstable();
        let mut out = Vec::new();
        {
            let mut w = Sanitised::new(&mut out);
            let mut from = 0;
            for to in cuts {
                w.write_all(&all[from..to]).unwrap();
                from = to;
            }
        }
        for b in &out {
            prop_assert!((*b >= 0x20 && *b != 0x7f) || *b == b'\n' || *b == b'\t', "byte {b:#04x} in {out:?}");
        }
        let shown = String::from_utf8(out);
        prop_assert!(shown.is_ok(), "not UTF-8");
        let shown = shown.unwrap();
        prop_assert!(clean(&shown), "{shown:?}");
        // Text that was safe to begin with comes through as it was.
        if let Ok(s) = std::str::from_utf8(&all) && clean(s) {
            prop_assert_eq!(&shown, s);
        }
    }

    #[test]
    fn spreadsheet_cells_are_never_formulas_and_read_back(s in "['=+@\\-]{0,3}\\PC{0,12}") {
        let cell = spreadsheet_cell(&s);
        prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell}");
        prop_assert_eq!(from_spreadsheet_cell(&cell), s.as_str());
    }

    #[test]
    fn exported_customer_names_import_back_as_they_were(
        name in "['=+@\\-]{0,2}[a-zA-Z0-9\"'()|!=+@-]([a-zA-Z0-9 ,;\"'()|!=+@-]{0,20}[a-zA-Z0-9\"'()|!=+@-])?"
    ) {
        let mut out = Vec::new();
        let mut table = CsvTable::new(&["name", "terms"], &mut out).unwrap();
        table.row(&[Some(&name), Some("30")]).unwrap();
        table.end().unwrap();
        drop(table);
        let back = customers::parse_customers("c.csv", &out, &[]).unwrap();
        prop_assert_eq!(&back.records[0].name, &name);
    }
}

/// The command line: every text flag refuses the characters, naming the flag or the field,
/// and the refusal quotes nothing a terminal would obey. A settle process per case, so fewer
/// cases; one book for all of them (nothing refused changes it).
#[test]
fn the_command_line_refuses_them_in_every_text_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.db");
    let settle = |args: &[String]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_settle"));
        cmd.env_remove("SETTLE_DB").env_remove("SETTLE_CONFIG").env("HOME", dir.path());
        cmd.arg("--db").arg(&db).args(["--today", "2026-11-23"]).args(args);
        cmd.output().unwrap()
    };
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for a in [
        args(&["customer", "add", "Acme", "--contact", "An"]),
        args(&[
            "invoice",
            "add",
            "2026-001",
            "--customer",
            "Acme",
            "--issued",
            "2026-10-01",
            "--amount",
            "100",
        ]),
    ] {
        assert!(settle(&a).status.success(), "{a:?}");
    }
    let book = || -> Vec<String> {
        ["customers", "invoices", "payments", "events"]
            .iter()
            .map(|what| String::from_utf8(settle(&args(&["export", "json", "--what", what])).stdout).unwrap())
            .collect()
    };
    let before = book();
    let cases = (ProptestConfig::default().cases / 100).max(24);
    let mut runner = TestRunner::new(RunnerConfig { cases, ..RunnerConfig::default() });
    let strategy = (refused_in_a_note(), 0.0..1.0f64, 0usize..12);
    runner
        .run(&strategy, |(c, at, which)| {
            let text = |base: &str| with_char(base, c, at);
            let (a, field): (Vec<String>, &str) = match which {
                0 => (vec!["customer".into(), "add".into(), text("Bakkerij Peeters")], "customer name"),
                1 => (
                    args(&["customer", "add", "Beta", "--contact"])
                        .into_iter()
                        .chain([text("Jan")])
                        .collect(),
                    "contact",
                ),
                2 => (
                    args(&["customer", "add", "Beta", "--email"])
                        .into_iter()
                        .chain([text("jan@beta.be")])
                        .collect(),
                    "email",
                ),
                3 => (
                    args(&["customer", "add", "Beta", "--phone"])
                        .into_iter()
                        .chain([text("+32 2 555")])
                        .collect(),
                    "phone",
                ),
                4 => (
                    args(&["customer", "add", "Beta", "--vat"]).into_iter().chain([text("BE0123")]).collect(),
                    "VAT number",
                ),
                5 => (
                    args(&["invoice", "add"])
                        .into_iter()
                        .chain([text("2026-002")])
                        .chain(args(&["--customer", "Acme", "--issued", "2026-11-01", "--amount", "5"]))
                        .collect(),
                    "invoice number",
                ),
                6 => (
                    args(&[
                        "invoice",
                        "add",
                        "2026-002",
                        "--customer",
                        "Acme",
                        "--issued",
                        "2026-11-01",
                        "--amount",
                        "5",
                        "--description",
                    ])
                    .into_iter()
                    .chain([text("Website")])
                    .collect(),
                    "description",
                ),
                7 => (
                    args(&[
                        "payment",
                        "add",
                        "2026-001",
                        "--amount",
                        "5",
                        "--date",
                        "2026-11-20",
                        "--method",
                    ])
                    .into_iter()
                    .chain([text("transfer")])
                    .collect(),
                    "--method",
                ),
                8 => (
                    args(&["call", "log", "2026-001", "--outcome", "callback", "--callback", "+3", "--with"])
                        .into_iter()
                        .chain([text("Jan")])
                        .collect(),
                    "--with",
                ),
                9 => (
                    args(&["call", "log", "2026-001", "--outcome", "refused", "--note"])
                        .into_iter()
                        .chain([text("no")])
                        .collect(),
                    "--note",
                ),
                10 => (
                    args(&[
                        "call",
                        "log",
                        "2026-001",
                        "--outcome",
                        "already_paid",
                        "--paid-on",
                        "2026-11-20",
                        "--paid-ref",
                    ])
                    .into_iter()
                    .chain([text("ref 12")])
                    .collect(),
                    "--paid-ref",
                ),
                _ => (
                    args(&["letter", "2026-001", "--step", "formal_notice", "--mark-sent", "--tracking"])
                        .into_iter()
                        .chain([text("RR123BE")])
                        .collect(),
                    "tracking number",
                ),
            };
            // The shell cannot pass NUL in an argument, nor can any program.
            prop_assume!(c != '\0');
            let out = settle(&a);
            let err = String::from_utf8_lossy(&out.stderr);
            prop_assert!(!out.status.success(), "{a:?} was accepted");
            prop_assert!(err.contains(field), "{a:?}: {err}");
            prop_assert!(err.contains(&format!("U+{:04X}", u32::from(c))), "{a:?}: {err}");
            prop_assert!(clean(&err), "{err:?}");
            Ok(())
        })
        .unwrap();
    assert_eq!(book(), before, "a refused command changed the book");
}
