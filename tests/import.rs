//! `settle import csv|ubl|payments|customers` on temporary databases.

mod common;

use common::{Book, fixture};

#[test]
fn every_sample_imports_and_the_aging_is_right_by_hand() {
    let book = Book::new();
    book.with_samples();
    // As of 2026-11-23, by hand:
    //   INV-0001 1,500.00 due 10-01: 53 days late → 31-60.   INV-0002 paid by its OGM.
    //   INV-0003 2,200.00 due 11-14: 9 days → 1-30.          INV-0004 due 12-01: not due.
    //   F2026-031 1,980.00 − 1,000.00 paid = 980.00, due 10-02: 52 days → 31-60.
    //   F2026-032 645.50 due 11-01: 22 days → 1-30.          F2026-033 paid in full.
    //   The credit note 018304 / 28865 names no invoice and its customer has none open.
    assert_eq!(
        book.aging(&["--currency", "EUR"]),
        [
            "customer,not_due,d1_30,d31_60,d61_90,d90_plus,total",
            "Atelier Dubois,0.00,645.50,980.00,0.00,0.00,1625.50",
            "Harbour Lights Ltd,0.00,0.00,1500.00,0.00,0.00,1500.00",
            "Maple & Finch,0.00,2200.00,0.00,0.00,0.00,2200.00",
            "Quarry Design,12345.67,0.00,0.00,0.00,0.00,12345.67",
            "TOTAL,12345.67,2845.50,2480.00,0.00,0.00,17671.17",
        ]
    );
    // Without --currency, every currency with something open, each line saying which.
    assert_eq!(
        book.aging(&[]),
        [
            "customer,not_due,d1_30,d31_60,d61_90,d90_plus,total,currency",
            "Atelier Dubois,0.00,645.50,980.00,0.00,0.00,1625.50,EUR",
            "Harbour Lights Ltd,0.00,0.00,1500.00,0.00,0.00,1500.00,EUR",
            "Maple & Finch,0.00,2200.00,0.00,0.00,0.00,2200.00,EUR",
            "Quarry Design,12345.67,0.00,0.00,0.00,0.00,12345.67,EUR",
            "TOTAL,0.00,0.00,0.00,0.00,801.78,801.78,NOK",
            "TOTAL,12345.67,2845.50,2480.00,0.00,0.00,17671.17,EUR",
            "The Buyercompany,0.00,0.00,0.00,0.00,801.78,801.78,NOK",
        ]
    );
    // TOSL108: 801.78 NOK (the 1,000.00 prepaid already netted), due 2013-07-20 → 90+.
    assert_eq!(
        book.aging(&["--currency", "NOK"]),
        [
            "customer,not_due,d1_30,d31_60,d61_90,d90_plus,total",
            "TOTAL,0.00,0.00,0.00,0.00,801.78,801.78",
            "The Buyercompany,0.00,0.00,0.00,0.00,801.78,801.78",
        ]
    );
    let customers = book.ok(&["export", "csv", "--what", "customers"]);
    assert!(
        customers.contains("The Buyercompany,John Doe,john@buyercompany.no,5121230,NO987654321MVA,"),
        "{customers}"
    );
    assert!(customers.contains("My Customer Company S.A.,,pete.smith@mycustomercompany.be,,BE0000000295,"));
}

#[test]
fn importing_the_same_files_again_changes_nothing() {
    let book = Book::new();
    book.with_samples();
    let before = book.bytes();
    for args in [
        ["import", "csv", &fixture("csv/invoices-en.csv")],
        ["import", "csv", &fixture("csv/factures-fr.csv")],
        ["import", "ubl", &fixture("ubl")],
        ["import", "payments", &fixture("csv/bank-statement.csv")],
    ] {
        let out = book.ok(&args);
        assert!(out.contains("the book is unchanged"), "{out}");
    }
    assert_eq!(book.bytes(), before);
}

/// Every bad file: all its problems at once, each naming file, line, column and value, and
/// the database byte for byte as it was.
#[test]
fn bad_files_change_nothing_and_list_every_problem() {
    let book = Book::new();
    book.with_samples();
    let before = book.bytes();
    let cases: &[(&[&str], &str, &[&str])] = &[
        (
            &["csv"],
            "csv/invoices-bad.csv",
            &[
                "3 problems found; nothing was imported",
                "invoices-bad.csv:3: date \"2026-09-31\": no such day in the calendar",
                "invoices-bad.csv:4: amount \"12a.00\": not an amount: it contains letters",
                "invoices-bad.csv:5: number \"INV-0101\": the same number is already on line 2 of this file",
            ],
        ),
        (
            &["csv"],
            "own/bad/wrong-delimiter.csv",
            &["wrong-delimiter.csv:1: no customer column", "a semicolon or a tab"],
        ),
        (
            &["csv"],
            "own/bad/feb-31.csv",
            &["1 problem found", "feb-31.csv:3: Datum \"31/02/2026\": no such day"],
        ),
        (
            &["csv"],
            "own/bad/unknown-currency.csv",
            &["unknown-currency.csv:3: currency \"XYZ\": unknown currency 'XYZ'"],
        ),
        (&["ubl"], "own/bad/truncated.xml", &["truncated.xml:"]),
        (
            &["ubl"],
            "own/bad/not-ubl.xml",
            &["not-ubl.xml: not a UBL Invoice or CreditNote: the root element is <Order>"],
        ),
        (
            &["ubl"],
            "own/bad/missing-elements.xml",
            &[
                "missing-elements.xml: missing the required element cbc:ID",
                "missing-elements.xml: missing the required element cac:LegalMonetaryTotal/cbc:PayableAmount",
            ],
        ),
        (
            &["ubl"],
            "own/bad/creditnote-unknown-invoice.xml",
            &[
                "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID \"2026-INV-404\": no such invoice in the book",
            ],
        ),
        (
            &["payments"],
            "own/bad/bank-bad.csv",
            &[
                "bank-bad.csv:2: Amount \"75O,00\": not an amount: it contains letters",
                "bank-bad.csv:3: Date \"01/01/2099\": after today",
            ],
        ),
    ];
    for (kind, file, expected) in cases {
        let path = fixture(file);
        let mut args: Vec<&str> = vec!["import"];
        args.extend_from_slice(kind);
        args.push(&path);
        let err = book.fails(&args);
        for e in *expected {
            assert!(err.contains(e), "{file}: expected {e:?} in:\n{err}");
        }
        assert_eq!(book.bytes(), before, "{file} changed the database");
    }
}

#[test]
fn a_dry_run_prints_the_changes_and_writes_nothing() {
    let book = Book::new();
    book.ok(&["customer", "add", "Someone"]);
    let before = book.bytes();
    let out = book.ok(&["import", "csv", &fixture("csv/factures-fr.csv"), "--dry-run"]);
    assert!(out.starts_with("Dry run of"), "{out}");
    assert!(out.contains("3 new invoices, 2 new customers"), "{out}");
    assert!(out.contains("new invoice F2026-032 for Atelier Dubois: €645.50, due 2026-11-01"), "{out}");
    assert_eq!(book.bytes(), before);
    assert!(!book.path("backups").exists(), "a dry run takes no backup");
}

#[test]
fn a_changed_row_is_refused_unless_update() {
    let book = Book::new();
    book.ok(&["import", "csv", &fixture("csv/factures-fr.csv")]);
    book.ok(&["payment", "add", "F2026-031", "--amount", "500", "--date", "2026-11-02"]);
    let changed = book.path("changed.csv");
    std::fs::write(
        &changed,
        "Numéro;Client;Date;Échéance;Montant\nF2026-031;Atelier Dubois;02/09/2026;16/10/2026;2 000,00\n\
         F2026-033;Librairie Vanneste;20/10/2026;19/11/2026;89,90\n",
    )
    .unwrap();
    let before = book.bytes();
    let err = book.fails(&["import", "csv", changed.to_str().unwrap()]);
    assert!(
        err.contains(
            "changed.csv:2: invoice F2026-031 is already in the book with other values \
             (due 2026-10-02 → 2026-10-16; amount 1980.00 → 2000.00); use --update to change it"
        ),
        "{err}"
    );
    assert_eq!(book.bytes(), before);
    let out = book.ok(&["import", "csv", changed.to_str().unwrap(), "--update"]);
    assert!(out.contains("1 invoice updated, 1 already in the book as it is"), "{out}");
    // The 500.00 already paid stays paid: 2,000.00 − 500.00 open.
    let list = book.ok(&["invoice", "list"]);
    let line = list.lines().find(|l| l.starts_with("F2026-031")).unwrap();
    assert!(line.contains("€1,500.00 open of      €2,000.00"), "{line}");
    // An amount below what is already paid is refused, naming the row.
    std::fs::write(&changed, "Numéro;Client;Date;Montant\nF2026-031;Atelier Dubois;02/09/2026;400,00\n")
        .unwrap();
    let err = book.fails(&["import", "csv", changed.to_str().unwrap(), "--update"]);
    assert!(err.contains("changed.csv:2: amount \"400.00\": 500.00 is already paid on it"), "{err}");
}

#[test]
fn a_ubl_credit_note_reduces_its_invoice() {
    let book = Book::new();
    let out = book.ok(&["import", "ubl", &fixture("own/ubl")]);
    assert!(
        out.contains("new invoice 2026-INV-7 for Bakkerij Peeters & Zonen BV: €1,210.00, due 2026-11-04"),
        "{out}"
    );
    assert!(out.contains("credit note CN-2026-3 reduces 2026-INV-7 by €210.00"), "{out}");
    // One customer: the credit note's buyer is matched by VAT number (BE 0123.456.749).
    let customers = book.ok(&["customer", "list"]);
    assert_eq!(customers.lines().count(), 1, "{customers}");
    let list = book.ok(&["invoice", "list"]);
    assert!(list.contains("€1,000.00 open of      €1,210.00"), "{list}");
    let again = book.ok(&["import", "ubl", &fixture("own/ubl/creditnote-peeters.xml")]);
    assert!(again.contains("the book is unchanged"), "{again}");
}

#[test]
fn a_credit_note_without_reference_reduces_the_oldest_open_invoices() {
    let book = Book::new();
    book.ok(&["customer", "add", "My Customer Company S.A.", "--vat", "BE0000000295"]);
    for (n, issued, amount) in [("A-1", "2019-08-01", "60"), ("A-2", "2019-09-01", "500")] {
        book.ok(&[
            "invoice",
            "add",
            n,
            "--customer",
            "My Customer Company S.A.",
            "--issued",
            issued,
            "--amount",
            amount,
        ]);
    }
    let out = book.ok(&["import", "ubl", &fixture("ubl/ubl-tc434-creditnote1.xml")]);
    assert!(out.contains("credit note 018304 / 28865 reduces A-1 by €60.00"), "{out}");
    assert!(out.contains("credit note 018304 / 28865 reduces A-2 by €40.11"), "{out}");
    let list = book.ok(&["invoice", "list"]);
    assert!(!list.contains("A-1"), "{list}");
    assert!(list.contains("€459.89 open"), "{list}");
}

#[test]
fn customers_round_trip_and_update() {
    let book = Book::new();
    let file = book.path("customers.csv");
    std::fs::write(&file, "naam;e-mail;profiel;termijn;taal\nBakkerij Peeters;an@peeters.be;trusted;14;nl\n")
        .unwrap();
    let out = book.ok(&["import", "customers", file.to_str().unwrap()]);
    assert!(out.contains("1 new customer"), "{out}");
    std::fs::write(&file, "naam;e-mail;profiel;termijn;taal\nbakkerij peeters;an@peeters.be;new;14;nl\n")
        .unwrap();
    let err = book.fails(&["import", "customers", file.to_str().unwrap()]);
    assert!(err.contains("profile trusted → new"), "{err}");
    book.ok(&["import", "customers", file.to_str().unwrap(), "--update"]);
    let list = book.ok(&["customer", "list"]);
    assert!(list.contains("Bakkerij Peeters") && list.contains("new") && list.contains(" 14d"), "{list}");
}

/// A pipe would block the import forever and a device never ends: only regular files are
/// read, and none larger than 256 MiB.
#[cfg(unix)]
#[test]
fn import_reads_only_regular_files_of_a_bounded_size() {
    let book = Book::new();
    // Within 10 seconds: a settle that waits on the pipe is killed and fails the test.
    let fails = |args: &[&str]| {
        let out = book.cmd().args(args).timeout(std::time::Duration::from_secs(10)).output().unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    };
    let fifo = book.path("invoices.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for kind in ["csv", "payments", "customers", "ubl"] {
        let err = fails(&["import", kind, fifo.to_str().unwrap()]);
        assert!(err.contains("invoices.csv: not a regular file"), "{kind}: {err}");
    }
    let err = fails(&["import", "csv", "/dev/zero"]);
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");
    // A sparse file just over the limit: refused before anything is read.
    let big = book.path("big.csv");
    std::fs::File::create(&big).unwrap().set_len(256 * 1024 * 1024 + 1).unwrap();
    let start = std::time::Instant::now();
    let err = fails(&["import", "csv", big.to_str().unwrap()]);
    assert!(err.contains("big.csv: larger than 256 MiB"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
}

#[test]
fn an_overlong_csv_field_is_refused_with_its_file_and_line() {
    let book = Book::new();
    let file = book.path("long.csv");
    let rows = [
        "number,customer,date,amount,description".to_string(),
        "L-1,Acme,2026-10-01,100.00,Fine".to_string(),
        format!("L-2,Acme,2026-10-01,100.00,{}", "y".repeat(20_000)),
    ];
    std::fs::write(&file, rows.join("\n")).unwrap();
    let err = book.fails(&["import", "csv", file.to_str().unwrap()]);
    assert!(
        err.contains(
            "long.csv:3: description: a field of 20000 characters, more than the 10000 settle reads"
        ),
        "{err}"
    );
    assert!(err.len() < 1000, "the field is not echoed: {} bytes", err.len());
}
