//! `settle import payments`: matching bank lines to invoices, idempotently.

use crate::support::{Book, fixture};

fn book_with_invoices() -> Book {
    let book = Book::new();
    book.with_sample_invoices();
    book
}

#[test]
fn the_sample_statement_matches_by_ogm_and_by_invoice_number() {
    let book = book_with_invoices();
    let out = book.ok(&["import", "payments", &fixture("csv/bank-statement.csv")]);
    for line in [
        "Imported ",
        "3 payments recorded, 1 line not matched.",
        "bank-statement.csv:2: payment of €750.00 on INV-0002 (Harbour Lights Ltd)",
        "bank-statement.csv:3: payment of €1,000.00 on F2026-031 (Atelier Dubois)",
        "bank-statement.csv:4: payment of €89.90 on F2026-033 (Librairie Vanneste)",
        "bank-statement.csv:5: 42.00 on 2026-11-12 from UNKNOWN SENDER \"gift\": no structured reference or invoice number",
    ] {
        assert!(out.contains(line), "expected {line:?} in:\n{out}");
    }
    let list = book.ok(&["invoice", "list"]);
    assert!(!list.contains("INV-0002") && !list.contains("F2026-033"), "{list}");
    assert!(list.contains("€980.00 open of      €1,980.00"), "{list}");
    // The payment carries the bank's words on the timeline-backed payments export.
    let payments = book.ok(&["export", "csv", "--what", "payments"]);
    assert!(payments.contains("2026-11-05,INV-0002,Harbour Lights Ltd,750.00,EUR,payment,transfer,HARBOUR LIGHTS LTD: +++000/0000/00202+++"), "{payments}");
}

#[test]
fn importing_a_statement_twice_records_nothing_twice() {
    let book = book_with_invoices();
    let file = book.path("statement.csv");
    // Two identical lines are two payments (the customer paid twice the same amount).
    std::fs::write(
        &file,
        "Datum;Bedrag;Tegenpartij;Mededeling\n01/11/2026;100,00;MAPLE & FINCH;INV-0003\n\
         01/11/2026;100,00;MAPLE & FINCH;INV-0003\n",
    )
    .unwrap();
    let out = book.ok(&["import", "payments", file.to_str().unwrap()]);
    assert!(out.contains("2 payments recorded"), "{out}");
    let before = book.bytes();
    let again = book.ok(&["import", "payments", file.to_str().unwrap()]);
    assert!(again.contains("2 already in the book as they are; the book is unchanged"), "{again}");
    assert_eq!(book.bytes(), before);
    let list = book.ok(&["invoice", "list"]);
    assert!(list.contains("€2,000.00 open of      €2,200.00"), "{list}");
}

#[test]
fn unmatched_lines_say_why_and_offer_the_closest_invoices() {
    let book = book_with_invoices();
    let file = book.path("statement.csv");
    std::fs::write(
        &file,
        "Date;Amount;Counterparty;Communication\n\
         03/11/2026;2.500,00;MAPLE & FINCH;INV-0003\n\
         04/11/2026;2.200,00;Maple and Finch BV;thank you\n\
         05/11/2026;-120,00;TELECOM;invoice 4411\n\
         06/11/2026;100,00;HARBOUR LIGHTS;INV-0001 INV-0002\n\
         07/11/2026;750,00;HARBOUR LIGHTS;000000000202\n",
    )
    .unwrap();
    let out = book.ok(&["import", "payments", file.to_str().unwrap()]);
    for line in [
        "1 payment recorded, 3 lines not matched, 1 outgoing line skipped",
        "statement.csv:6: payment of €750.00 on INV-0002",
        "statement.csv:2: 2,500.00 on 2026-11-03 from MAPLE & FINCH \"INV-0003\": it pays €2,500.00 on INV-0003, which has only €2,200.00 open (already paid?)",
        "statement.csv:3: 2,200.00 on 2026-11-04 from Maple and Finch BV \"thank you\": no structured reference or invoice number of the book",
        "closest: INV-0003 Maple & Finch (2,200.00 open): same customer name and amount",
        "statement.csv:5: 100.00 on 2026-11-06 from HARBOUR LIGHTS \"INV-0001 INV-0002\": it names several invoices (INV-0001, INV-0002)",
        "closest: INV-0001 Harbour Lights Ltd (1,500.00 open): same customer name",
    ] {
        assert!(out.contains(line), "expected {line:?} in:\n{out}");
    }
}

#[test]
fn a_dry_run_of_a_statement_writes_nothing() {
    let book = book_with_invoices();
    let before = book.bytes();
    let out = book.ok(&["import", "payments", &fixture("csv/bank-statement.csv"), "--dry-run"]);
    assert!(out.contains("Dry run of") && out.contains("3 payments recorded"), "{out}");
    assert_eq!(book.bytes(), before);
    let out = book.ok(&["import", "payments", &fixture("csv/bank-statement.csv")]);
    assert!(out.contains("3 payments recorded"), "{out}");
}

/// A CSV statement is read from its file as the import goes (its lines are not held): its
/// identical lines are still told apart, its payments counted and its unmatched lines listed.
#[test]
fn a_statement_read_as_it_goes_reports_its_payments_and_the_lines_that_matched_nothing() {
    let book = book_with_invoices();
    let file = book.path("statement.csv");
    let mut text = String::from("\u{feff}Date;Amount;Counterparty;Communication\r\n");
    for _ in 0..60 {
        text.push_str("01/11/2026;10,00;MAPLE & FINCH;INV-0003\r\n");
    }
    text.push_str("04/11/2026;1.500,00;Harbour Lights;thank you\r\n");
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let unmatched = [
        "statement.csv:62: 1,500.00 on 2026-11-04 from Harbour Lights \"thank you\": no structured reference or invoice number of the book",
        "closest: INV-0001 Harbour Lights Ltd (1,500.00 open): same customer name and amount",
    ];
    let dry = book.ok(&["import", "payments", path, "--dry-run"]);
    assert!(dry.contains("60 payments recorded, 1 line not matched."), "{dry}");
    assert_eq!(dry.matches(": payment of €10.00 on INV-0003 (Maple & Finch)").count(), 60, "{dry}");
    let out = book.ok(&["import", "payments", path]);
    assert!(out.contains("Imported ") && out.contains("60 payments recorded, 1 line not matched."), "{out}");
    // More than 50 changes are summed up, not listed; the line that matched nothing is.
    assert!(!out.contains("payment of €10.00"), "{out}");
    for line in unmatched {
        assert!(dry.contains(line) && out.contains(line), "expected {line:?} in:\n{dry}\n{out}");
    }
    let list = book.ok(&["invoice", "list"]);
    assert!(list.contains("€1,600.00 open of      €2,200.00"), "{list}");
    let again = book.ok(&["import", "payments", path]);
    assert!(
        again.contains("60 already in the book as they are, 1 line not matched; the book is unchanged"),
        "{again}"
    );
}
