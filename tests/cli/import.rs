//! `settle import csv|ubl|payments|customers` on temporary databases.

use crate::support::{Book, fixture, mode};

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
        book.issue(n, "My Customer Company S.A.", issued, amount);
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
        let out = book.cmd(args).timeout(std::time::Duration::from_secs(10)).output().unwrap();
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

/// The sample invoices and one carrying an RF creditor reference.
fn bank_book() -> Book {
    let book = Book::new();
    book.with_sample_invoices();
    book.ok(&[
        "invoice",
        "add",
        "Q-RF",
        "--customer",
        "Quarry Design",
        "--issued",
        "2026-11-01",
        "--due",
        "2026-12-01",
        "--amount",
        "500.00",
        "--ref",
        "RF18 5390 0754 7034",
    ]);
    book
}

fn bank(name: &str) -> String {
    fixture(&format!("bank/{name}"))
}

#[test]
fn a_camt053_statement_imports_with_no_option() {
    let book = bank_book();
    let out = book.ok(&["import", "payments", &bank("camt053-2026-11-20.xml")]);
    assert!(out.starts_with(&format!("Read {} as CAMT.053.", bank("camt053-2026-11-20.xml"))), "{out}");
    assert!(out.contains("2 payments recorded, 2 lines not matched, 1 outgoing line skipped"), "{out}");
    assert!(out.contains(":29: payment of €750.00 on INV-0002 (Harbour Lights Ltd)"), "{out}");
    assert!(out.contains(":55: payment of €1,000.00 on F2026-031 (Atelier Dubois)"), "{out}");
    // A mistyped structured reference is said as such, and the right invoice is proposed.
    assert!(
        out.contains("the structured reference field \"000000000203\" holds no valid reference")
            || out.contains("bad check digits"),
        "{out}"
    );
    assert!(out.contains("bad check digits (they would be 02)"), "{out}");
    assert!(
        out.contains("closest: INV-0003 Maple & Finch (2,200.00 open): same customer name and amount"),
        "{out}"
    );
}

#[test]
fn the_same_day_in_two_formats_and_twice_records_each_payment_once() {
    for (first, second) in
        [("camt053-2026-11-20.xml", "coda-2026-11-20.cod"), ("coda-2026-11-20.cod", "camt053-2026-11-20.xml")]
    {
        let book = bank_book();
        let out = book.ok(&["import", "payments", &bank(first)]);
        assert!(out.contains("2 payments recorded"), "{out}");
        let after = book.bytes();
        for file in [first, second, first] {
            let out = book.ok(&["import", "payments", &bank(file)]);
            assert!(out.contains("2 already in the book as they are"), "{file}: {out}");
            assert!(out.contains("the book is unchanged"), "{file}: {out}");
            assert_eq!(book.bytes(), after, "{file}");
        }
        let payments = book.ok(&["export", "csv", "--what", "payments"]);
        assert_eq!(payments.lines().count(), 3, "{payments}");
    }
}

#[test]
fn money_recorded_by_hand_is_linked_not_recorded_again() {
    let book = bank_book();
    book.ok(&["payment", "add", "INV-0003", "--amount", "2200", "--date", "2026-11-21"]);
    book.ok(&["payment", "add", "INV-0002", "--amount", "750", "--date", "2026-11-20"]);
    let out = book.ok(&["import", "payments", &bank("coda-2026-11-20.cod")]);
    assert!(
        out.contains("1 payment recorded, 2 already recorded by hand (linked), 1 line not matched"),
        "{out}"
    );
    assert!(out.contains("€2,200.00 was already recorded by hand on INV-0003 (2026-11-21)"), "{out}");
    let again = book.ok(&["import", "payments", &bank("camt053-2026-11-20.xml")]);
    assert!(again.contains("the book is unchanged"), "{again}");
    let payments = book.ok(&["export", "csv", "--what", "payments"]);
    assert_eq!(payments.lines().count(), 4, "{payments}");
}

#[test]
fn mt940_and_a_zip_of_camt053_statements() {
    let book = bank_book();
    let out = book.ok(&["import", "payments", &bank("mt940-nl-2026-11-18.sta")]);
    assert!(out.contains("payment of €1,500.00 on INV-0001 (Harbour Lights Ltd)"), "{out}");
    assert!(out.contains("payment of €500.00 on Q-RF (Quarry Design)"), "{out}");
    assert!(out.contains("1 outgoing line skipped"), "{out}");
    let out = book.ok(&["import", "payments", &bank("camt053-november.zip")]);
    assert!(out.contains("Read ") && out.contains(" as CAMT.053."), "{out}");
    assert!(out.contains("camt053-november.zip:statements/camt053-v08-2026-11-21.xml:"), "{out}");
    for inv in ["INV-0002", "F2026-031", "F2026-032", "F2026-033"] {
        assert!(out.contains(&format!("on {inv} (")), "{inv}: {out}");
    }
}

#[test]
fn damaged_statements_are_refused_whole_and_change_nothing() {
    let book = bank_book();
    book.ok(&["import", "payments", &bank("mt940-nl-2026-11-18.sta")]);
    let before = book.bytes();
    for (file, says) in [
        ("bad/camt053-truncated.xml", "the file is truncated; nothing was imported"),
        ("bad/coda-127.cod", ":5: a CODA record is 128 characters long; this one has 127"),
        ("bad/coda-wrong-count.cod", ":19: positions 17-22 \"000016\": the trailer counts 16 records"),
        ("bad/mt940-no-62f.sta", ":2: the statement that starts here has no closing balance (:62F:)"),
    ] {
        let err = book.fails(&["import", "payments", &bank(file)]);
        assert!(err.contains(says), "{file}: {err}");
        assert!(err.contains("nothing was imported"), "{file}: {err}");
        assert_eq!(book.bytes(), before, "{file}");
    }
    let err = book.fails(&["import", "payments", &bank("coda-2026-11-20.cod"), "--map", "amount=3"]);
    assert!(
        err.contains("column choices and profiles are for CSV files; this is a CODA statement, read as it is (--map, --profile)"),
        "{err}"
    );
}

#[test]
fn csv_profiles_are_shipped_saved_and_found_by_their_headers() {
    let book = bank_book();
    // KBC's export: "Valuta" is the value date, not the currency.
    let kbc = book.path("kbc.csv");
    std::fs::write(
        &kbc,
        "Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;Saldo;credit;debet;rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;Adres tegenpartij;gestructureerde mededeling;Vrije mededeling\n\
         BE68 5390 0754 7034;Zichtrekening;MY FREELANCE BV;EUR;2026/123;20/11/2026;EUROPESE OVERSCHRIJVING;20/11/2026;750,00;10750,00;750,00;;GB29 NWBK 6016 1331 9268 19;NWBKGB2L;HARBOUR LIGHTS LTD;;+++000/0000/00202+++;\n",
    )
    .unwrap();
    let out = book.ok(&["import", "payments", kbc.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("(profile kbc)"), "{out}");
    assert!(out.contains("payment of €750.00 on INV-0002"), "{out}");
    // Another bank's export, mapped once and saved.
    let other = book.path("other.csv");
    std::fs::write(&other, "Dag;Som;Wie;Tekst\n2026-11-20;1000,00;Atelier Dubois;F2026-031\n").unwrap();
    let err = book.fails(&["import", "payments", other.to_str().unwrap()]);
    assert!(err.contains("no amount column"), "{err}");
    let out = book.ok(&[
        "import",
        "payments",
        other.to_str().unwrap(),
        "--map",
        "date=Dag",
        "--map",
        "amount=Som",
        "--map",
        "counterparty=Wie",
        "--map",
        "communication=Tekst",
        "--save-profile",
        "mybank",
        "--dry-run",
    ]);
    assert!(out.contains("Saved profile mybank in"), "{out}");
    let out = book.ok(&["import", "payments", other.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("(profile mybank)") && out.contains("on F2026-031"), "{out}");
    let out = book.ok(&["import", "payments", other.to_str().unwrap(), "--profile", "mybank"]);
    assert!(out.contains("1 payment recorded"), "{out}");
    let err = book.fails(&["import", "payments", other.to_str().unwrap(), "--profile", "nosuch"]);
    assert!(err.contains("no profile named 'nosuch' (profiles: mybank, kbc"), "{err}");
    assert!(err.trim_end().ends_with("(--profile)"), "{err}");
}

#[test]
fn hostile_text_in_a_statement_is_refused_where_it_would_enter_the_book() {
    let book = bank_book();
    let before = book.bytes();
    let text = std::fs::read_to_string(bank("camt053-2026-11-20.xml"))
        .unwrap()
        .replace("<Nm>HARBOUR LIGHTS LTD</Nm>", "<Nm>HARBOUR\u{202e}LIGHTS</Nm>");
    let file = book.path("evil.xml");
    std::fs::write(&file, text).unwrap();
    let err = book.fails(&["import", "payments", file.to_str().unwrap()]);
    assert!(err.contains("evil.xml:29: counterparty"), "{err}");
    assert!(err.contains("a bidirectional override (U+202E)"), "{err}");
    assert_eq!(book.bytes(), before);
    // In a CODA file, a control character in a name that is only listed is masked, not obeyed.
    let coda = std::fs::read(bank("coda-2026-11-20.cod")).unwrap();
    let coda = String::from_utf8(coda).unwrap().replacen("UNKNOWN SENDER", "UNKNOWN\u{1b}SENDER", 1);
    let file = book.path("masked.cod");
    std::fs::write(&file, coda).unwrap();
    let out = book.ok(&["import", "payments", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("UNKNOWN\u{fffd}SENDER") && !out.contains('\u{1b}'), "{out}");
}

/// The PDF a UBL invoice embeds becomes the invoice's own: a private file in a private folder
/// beside the book, recorded in the import's one transaction (and attached to every email
/// about the invoice). A dry run and a refused import leave no file behind.
#[test]
fn a_ubl_invoices_embedded_pdf_is_kept_beside_the_book() {
    let book = Book::new();
    let file = fixture("own/ubl-pdf/invoice-with-pdf.xml");
    let folder = book.path("book-invoice-pdfs");
    let kept = folder.join("2026-INV-9.pdf");

    let dry = book.ok(&["import", "ubl", &file, "--dry-run"]);
    assert!(
        dry.contains("invoice 2026-INV-9: its PDF kept as") && dry.contains("1 invoice PDF kept"),
        "{dry}"
    );
    assert!(!folder.exists(), "a dry run writes nothing");

    // All or nothing: a credit note for an unknown invoice is refused after the invoice (and
    // its PDF) was written in the transaction: nothing is imported and no PDF is left.
    let both = tempfile::tempdir().unwrap();
    std::fs::copy(&file, both.path().join("a.xml")).unwrap();
    std::fs::copy(fixture("own/bad/creditnote-unknown-invoice.xml"), both.path().join("b.xml")).unwrap();
    let before = book.dump();
    let err = book.fails(&["import", "ubl", both.path().to_str().unwrap()]);
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(book.dump(), before);
    assert!(!folder.exists(), "no PDF kept from a refused import");

    let out = book.ok(&["import", "ubl", &file]);
    assert!(out.contains("1 new invoice") && out.contains("1 invoice PDF kept"), "{out}");
    assert!(!out.contains("Warning"), "{out}");
    let pdf = std::fs::read(&kept).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.len() == 604);
    assert_eq!((mode(&folder), mode(&kept)), (0o700, 0o600));
    assert_eq!(
        book.scalar("SELECT pdf FROM invoices WHERE number = '2026-INV-9'"),
        std::fs::canonicalize(&kept).unwrap().display().to_string()
    );
    // pdftotext reads it back, where installed.
    if let Ok(text) = std::process::Command::new("pdftotext").arg(&kept).arg("-").output() {
        assert!(String::from_utf8_lossy(&text.stdout).contains("Invoice 2026-INV-9"));
    }

    // Again: nothing changes, no second copy.
    let again = book.ok(&["import", "ubl", &file]);
    assert!(again.contains("the book is unchanged"), "{again}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}

#[test]
fn a_ubl_attachment_that_is_not_a_pdf_is_skipped_with_a_warning() {
    let book = Book::new();
    let out = book.ok(&["import", "ubl", &fixture("ubl/ubl-tc434-example2.xml")]);
    assert!(out.contains("1 new invoice"), "{out}");
    assert!(
        out.contains("Warning: ") && out.contains("ubl-tc434-example2.xml:48: cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject: the embedded PDF is skipped (not a PDF"),
        "{out}"
    );
    assert_eq!(book.scalar("SELECT coalesce(pdf, 'none') FROM invoices WHERE number = 'TOSL108'"), "none");
    assert!(!book.path("book-invoice-pdfs").exists());
}
