//! Hostile text and amounts: terminal escapes refused at input and masked on output, amounts
//! bounded so sums cannot overflow, and CSV cells that a spreadsheet would run as formulas.

use std::fs;

use crate::support::*;

const OSC_52: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}Evil BV";

fn no_escapes(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn a_customer_named_with_an_osc_52_sequence_is_refused() {
    let book = small_book();
    let before = book.dump();
    let err = book.fails(&["customer", "add", OSC_52]);
    assert!(
        err.contains("customer name: an escape character (U+001B) at character 1 is not allowed"),
        "{err}"
    );
    assert!(no_escapes(&err), "{err:?}");
    let err = book.fails(&["customer", "add", "Beta", "--contact", "Jan\u{202e}kooJ"]);
    assert!(err.contains("contact: a bidirectional override (U+202E)"), "{err}");
    let err = book.fails(&[
        "invoice",
        "add",
        "2026-\u{9b}002",
        "--customer",
        "Acme",
        "--issued",
        "2026-11-01",
        "--amount",
        "5",
    ]);
    assert!(err.contains("invoice number: a control character (U+009B)"), "{err}");
    assert!(no_escapes(&err), "{err:?}");
    assert_eq!(book.dump(), before, "nothing was written");
}

#[test]
fn a_bank_line_not_imported_prints_sanitised_in_the_summary() {
    let book = small_book();
    let file = book.db.with_file_name("bank.csv");
    fs::write(
        &file,
        "Date;Amount;Counterparty;Communication\n\
         20/11/2026;42,00;\"EVIL\u{1b}]0;pwned\u{7} LTD\";gift \u{1b}[2J\u{202e}\n\
         21/11/2026;-12,00;\"SHOP\u{1b}[31m\";card\n",
    )
    .unwrap();
    let out = book.ok(&["import", "payments", file.to_str().unwrap()]);
    assert!(out.contains("1 line not matched, 1 outgoing line skipped"), "{out}");
    assert!(out.contains("from EVIL\u{fffd}]0;pwned\u{fffd} LTD \"gift \u{fffd}[2J\u{fffd}\""), "{out}");
    assert!(!out.bytes().any(|b| b == 0x1b || b == 0x07), "{out:?}");
    assert!(no_escapes(&out), "{out:?}");
}

#[test]
fn a_bank_line_to_import_with_an_escape_is_refused_naming_file_line_and_field() {
    let book = small_book();
    let before = book.dump();
    let file = book.db.with_file_name("bank.csv");
    fs::write(
        &file,
        "Date;Amount;Counterparty;Communication\n\
         20/11/2026;10,00;ACME BV;invoice 2026-001\n\
         21/11/2026;10,00;\"ACME\u{1b}]0;x\u{7}BV\";invoice 2026-001\n",
    )
    .unwrap();
    let err = book.fails(&["import", "payments", file.to_str().unwrap()]);
    assert!(
        err.contains("bank.csv:3: counterparty \"ACME\\u{1b}]0;x\\u{7}BV\": an escape character"),
        "{err}"
    );
    assert!(no_escapes(&err), "{err:?}");
    assert_eq!(book.dump(), before, "all or nothing");
}

#[test]
fn an_amount_beyond_the_maximum_is_refused_giving_the_maximum() {
    let book = small_book();
    let before = book.dump();
    let add = |amount: &str| {
        book.fails(&[
            "invoice",
            "add",
            "2026-002",
            "--customer",
            "Acme",
            "--issued",
            "2026-11-01",
            "--amount",
            amount,
        ])
    };
    for amount in ["92233720368547758.07", "92.233.720.368.547.758,07", "1000000000"] {
        let err = add(amount);
        assert!(err.contains("--amount"), "{err}");
        assert!(err.contains("is too large: the largest amount settle books is 999,999,999.99"), "{err}");
    }
    let file = book.db.with_file_name("big.csv");
    fs::write(&file, "number;customer;date;amount\n2026-002;Acme;2026-11-01;92233720368547758.07\n").unwrap();
    let err = book.fails(&["import", "csv", file.to_str().unwrap()]);
    assert!(err.contains("big.csv:2: amount"), "{err}");
    assert!(err.contains("too large: the largest amount settle books is 999,999,999.99"), "{err}");
    assert_eq!(book.dump(), before);

    // At the maximum, every report adds up.
    for (n, customer) in [("2026-002", "Big"), ("2026-003", "Bigger")] {
        book.ok(&["customer", "add", customer]);
        book.issue(n, customer, "2026-01-01", "999999999.99");
    }
    let totals = &book.json(&[])["totals"];
    assert_eq!(json_cents(&totals["total"]), 2 * 99_999_999_999 + 60_000);
    let agenda = book.ok(&["report", "agenda"]);
    assert!(agenda.contains("Big"), "{agenda}");
}

#[test]
fn export_csv_neutralises_formulas_and_import_reads_them_back() {
    let book = Book::new();
    let name = "=HYPERLINK(\"x\")";
    book.ok(&["customer", "add", name, "--phone", "+32 2 555 12 12"]);
    book.ok(&[
        "invoice",
        "add",
        "@2026-1",
        "--customer",
        name,
        "--issued",
        "2026-10-01",
        "--amount",
        "1250",
        "--description",
        "+cmd|' /C calc'!A0",
    ]);
    book.ok(&["payment", "add", "@2026-1", "--amount", "250", "--date", "2026-11-02", "--method=-cash"]);
    let customers = book.ok(&["export", "csv", "--what", "customers"]);
    assert!(customers.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{customers}");
    assert!(customers.contains(",'+32 2 555 12 12,"), "{customers}");
    let invoices = book.ok(&["export", "csv", "--what", "invoices"]);
    assert!(
        invoices.contains("'@2026-1,\"'=HYPERLINK(\"\"x\"\")\",2026-10-01,2026-10-31,1250.00,EUR,,'+cmd|"),
        "{invoices}"
    );
    let aging = book.ok(&["report", "aging", "--format", "csv"]);
    assert!(aging.contains("\n\"'=HYPERLINK(\"\"x\"\")\",0.00,1000.00,"), "{aging}");

    // Another book imports the three exports and holds the same texts and amounts.
    let other = Book::new();
    for (what, import) in [("customers", "customers"), ("invoices", "csv"), ("payments", "payments")] {
        let file = other.db.with_file_name(format!("{what}.csv"));
        fs::write(&file, book.ok(&["export", "csv", "--what", what])).unwrap();
        other.ok(&["import", import, file.to_str().unwrap()]);
    }
    for what in ["customers", "invoices", "payments"] {
        let json = |b: &Book| b.ok(&["export", "json", "--what", what]);
        assert_eq!(json(&other), json(&book), "{what}");
    }
    let list = other.ok(&["customer", "list"]);
    assert!(list.starts_with(name), "{list}");
}

#[test]
fn a_hostile_argument_is_not_echoed_raw_by_the_argument_parser() {
    let book = Book::new();
    let err = book.fails(&["customer", "add", "Bob", "--lang", "\u{1b}]0;x\u{7}\u{202e}"]);
    assert!(err.contains("--lang"), "{err}");
    assert!(no_escapes(&err), "{err:?}");
}
