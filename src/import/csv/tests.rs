use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::dec;

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_english_sample_reads_quoted_thousands() {
    let p = parse_invoices("invoices-en.csv", &fixture("csv/invoices-en.csv"), &[]).unwrap();
    let got: Vec<(&str, &str, Decimal, Due)> =
        p.records.iter().map(|r| (r.number.as_str(), r.customer.name.as_str(), r.amount, r.due)).collect();
    assert_eq!(
        got,
        [
            ("INV-0001", "Harbour Lights Ltd", dec!(1500.00), Due::On(d("2026-10-01"))),
            ("INV-0002", "Harbour Lights Ltd", dec!(750.00), Due::On(d("2026-10-31"))),
            ("INV-0003", "Maple & Finch", dec!(2200.00), Due::On(d("2026-11-14"))),
            ("INV-0004", "Quarry Design", dec!(12345.67), Due::On(d("2026-12-01"))),
        ]
    );
    assert!(p.records.iter().all(|r| r.currency == Some(Currency::EUR)));
    assert_eq!(p.records[0].origin.at, At::Line(2));
    assert_eq!(p.records[0].issued, d("2026-09-01"));
}

#[test]
fn the_french_sample_reads_semicolons_day_first_dates_and_decimal_commas() {
    let p = parse_invoices("factures-fr.csv", &fixture("csv/factures-fr.csv"), &[]).unwrap();
    let got: Vec<(&str, &str, NaiveDate, Decimal)> =
        p.records.iter().map(|r| (r.number.as_str(), r.customer.name.as_str(), r.issued, r.amount)).collect();
    assert_eq!(
        got,
        [
            ("F2026-031", "Atelier Dubois", d("2026-09-02"), dec!(1980.00)),
            ("F2026-032", "Atelier Dubois", d("2026-10-02"), dec!(645.50)),
            ("F2026-033", "Librairie Vanneste", d("2026-10-20"), dec!(89.90)),
        ]
    );
    assert_eq!(p.records[2].due, Due::On(d("2026-11-19")));
    assert_eq!(p.records[0].currency, None);
}

#[test]
fn the_bad_sample_reports_all_three_faults_with_their_lines() {
    let err = parse_invoices("invoices-bad.csv", &fixture("csv/invoices-bad.csv"), &[]).unwrap_err();
    let lines: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        [
            r#"invoices-bad.csv:3: date "2026-09-31": no such day in the calendar"#,
            r#"invoices-bad.csv:4: amount "12a.00": not an amount: it contains letters"#,
            r#"invoices-bad.csv:5: number "INV-0101": the same number is already on line 2 of this file"#,
        ]
    );
}

#[test]
fn every_bad_cell_of_a_row_is_reported() {
    let csv = "Nummer;Klant;Datum;Vervaldatum;Bedrag;Munt;OGM\n\
               A1;;31/02/2026;01/01/2026;1,234;XYZ;+++000/0000/00203+++\n";
    let err = parse_invoices("f.csv", csv.as_bytes(), &[]).unwrap_err();
    let fields: Vec<(&str, &str)> =
        err.problems.iter().map(|p| (p.field.as_deref().unwrap(), p.message.as_str())).collect();
    assert_eq!(fields.len(), 5, "{err}");
    assert_eq!(fields[0], ("Klant", "empty: every invoice needs its customer"));
    assert_eq!(fields[1], ("Datum", "no such day in the calendar"));
    assert!(fields[2].1.starts_with("ambiguous"));
    assert!(fields[3].1.starts_with("unknown currency 'XYZ'"));
    assert_eq!(fields[4], ("OGM", "its check digits are wrong (expected 02)"));
    assert!(err.problems.iter().all(|p| p.at == At::Line(2)));
}

#[test]
fn a_due_date_before_the_issue_date_is_refused() {
    let err =
        parse_invoices("f.csv", b"number,customer,date,due,amount\nA,B,2026-05-02,2026-05-01,10\n", &[])
            .unwrap_err();
    assert_eq!(err.problems[0].field.as_deref(), Some("due"));
}

#[test]
fn map_names_columns_the_headers_do_not() {
    let csv = b"Ref;Wie;Wanneer;Te betalen\nX-1;Acme;2026-01-05;10,00\n";
    let err = parse_invoices("f.csv", csv, &[]).unwrap_err();
    assert_eq!(err.problems.len(), 4, "{err}");
    let map = ["number=Ref", "customer=Wie", "issued=Wanneer", "amount=4"].map(String::from);
    let p = parse_invoices("f.csv", csv, &map).unwrap();
    assert_eq!(p.records[0].number, "X-1");
    assert_eq!(p.records[0].amount, dec!(10));
    assert_eq!(p.records[0].due, Due::CustomerTerms);
}

#[test]
fn a_pipe_delimited_file_is_refused_with_a_hint() {
    let err = parse_invoices("f.csv", b"number|customer|date|amount\nA|B|2026-01-01|10\n", &[]).unwrap_err();
    assert!(err.to_string().contains("separate columns with a comma, a semicolon or a tab"), "{err}");
}

#[test]
fn settles_own_json_export_reads_too() {
    let json = br#"[{"number":"A-1","customer":"Acme","issued":"2026-01-05","due":"2026-02-04","amount":"10.50","currency":"EUR","reference":null,"description":"Logo"}]"#;
    let p = parse_invoices("f.json", json, &[]).unwrap();
    assert_eq!(p.records[0].amount, dec!(10.50));
    assert_eq!(p.records[0].description.as_deref(), Some("Logo"));
    assert_eq!(p.records[0].origin.at, At::Record(1));
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_invoices("x.csv", &bytes, &[]);
    }

    #[test]
    fn never_panics_on_csv_like_text(s in "[a-z0-9,;\"\t\n .€/-]{0,300}") {
        let text = format!("number,customer,date,due,amount,currency,reference\n{s}");
        let _ = parse_invoices("x.csv", text.as_bytes(), &[]);
    }

    #[test]
    fn amount_and_date_parsers_never_panic(s in "\\PC{0,40}") {
        let _ = amount_value(&s);
        let _ = date_value(&s);
        let _ = reference_value(&s);
    }
}
