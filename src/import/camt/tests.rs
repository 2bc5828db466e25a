use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::dec;

use super::*;

use crate::import::bank_samples::today;

fn fixture(name: &str) -> String {
    String::from_utf8(crate::import::bank_samples::fixture(name)).unwrap()
}

fn file(name: &str) -> Arc<str> {
    Arc::from(name)
}

#[allow(clippy::type_complexity)]
#[test]
fn a_version_02_statement() {
    let lines = parse(&file("s.xml"), &fixture("camt053-2026-11-20.xml"), today()).unwrap();
    let got: Vec<(Decimal, &str, Option<&str>, &str, Option<&str>)> = lines
        .iter()
        .map(|l| {
            (
                l.amount,
                l.counterparty.as_str(),
                l.counterparty_iban.as_deref(),
                l.communication.as_str(),
                l.structured.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (dec!(750.00), "HARBOUR LIGHTS LTD", Some("GB29NWBK60161331926819"), "", Some("000000000202")),
            (dec!(1000.00), "ATELIER DUBOIS SPRL", Some("BE71096123456769"), "F2026-031 partial", None),
            (dec!(2200.00), "MAPLE AND FINCH BV", Some("NL91ABNA0417164300"), "", Some("000000000203")),
            (dec!(-120.00), "OFFICE SUPPLIES NV", Some("BE43068999999501"), "Invoice 2026-553 paper", None),
            (dec!(42.00), "UNKNOWN SENDER", Some("BE62510007547061"), "gift", None),
        ]
    );
    let first = &lines[0];
    assert_eq!(first.account, "BE68539007547034");
    assert_eq!(first.date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    assert_eq!(first.value_date, Some(first.date));
    assert_eq!(first.entry_ref.as_deref(), Some("B1K20A0001"));
    assert_eq!(first.currency, Some(Currency::EUR));
    assert_eq!(first.origin.at, At::Line(29));
}

#[test]
fn a_version_08_statement_with_a_batch_and_a_pending_entry() {
    let lines = parse(&file("s.xml"), &fixture("camt053-v08-2026-11-21.xml"), today()).unwrap();
    let got: Vec<(Decimal, &str, &str, Option<&str>)> = lines
        .iter()
        .map(|l| (l.amount, l.counterparty.as_str(), l.communication.as_str(), l.entry_ref.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (dec!(645.50), "Atelier Dubois", "Factuur F2026-032", Some("B1K21B0001/1")),
            (dec!(89.90), "Librairie Vanneste", "facture F2026-033", Some("B1K21B0001/2")),
        ]
    );
}

#[test]
fn damaged_and_foreign_files_are_refused_with_their_line() {
    let truncated = fixture("bad/camt053-truncated.xml");
    let e = parse(&file("t.xml"), &truncated, today()).unwrap_err();
    assert!(e[0].to_string().contains("the file is truncated"), "{e:?}");
    let old = fixture("camt053-2026-11-20.xml").replace("camt.053.001.02", "camt.053.001.01");
    let e = parse(&file("o.xml"), &old, today()).unwrap_err();
    assert!(e[0].to_string().contains("version .001.01 is not read"), "{e:?}");
    let report = fixture("camt053-2026-11-20.xml").replace("camt.053.001.02", "camt.052.001.02");
    assert!(parse(&file("r.xml"), &report, today()).unwrap_err()[0].to_string().contains("not a CAMT.053"));
    let future =
        fixture("camt053-2026-11-20.xml").replace("2026-11-20</Dt></BookgDt>", "2026-12-20</Dt></BookgDt>");
    let e = parse(&file("f.xml"), &future, today()).unwrap_err();
    assert_eq!(e.len(), 5);
    assert!(e[0].to_string().starts_with("f.xml:29: booked on 2026-12-20, after today"), "{}", e[0]);
    let no_sign =
        fixture("camt053-2026-11-20.xml").replacen("<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>", "<Sts>", 1);
    assert!(parse(&file("n.xml"), &no_sign, today()).unwrap_err()[0].to_string().contains("no CdtDbtInd"));
}

proptest::proptest! {
    #[test]
    fn never_panics(cut in 0usize..4400, junk in "[<>/a-zA-Z0-9 =\"&;]{0,20}") {
        let good = fixture("camt053-2026-11-20.xml");
        let at = (0..=cut.min(good.len())).rev().find(|i| good.is_char_boundary(*i)).unwrap_or(0);
        let text = format!("{}{junk}{}", &good[..at], &good[at..]);
        let _ = parse(&file("x.xml"), &text, today());
    }
}
