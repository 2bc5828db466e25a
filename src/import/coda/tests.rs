use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::dec;

use super::*;
use crate::import::bank_samples::{fields, fixture, today};

fn file() -> Arc<str> {
    Arc::from("s.cod")
}

#[test]
fn the_sample_statement() {
    let lines = parse(&file(), &fixture("coda-2026-11-20.cod"), today()).unwrap();
    let got = fields(&lines);
    assert_eq!(
        got,
        [
            (
                dec!(750),
                "HARBOUR LIGHTS LTD",
                Some("GB29NWBK60161331926819"),
                "",
                Some("000000000202"),
                Some("KBC2611200001")
            ),
            (
                dec!(1000),
                "ATELIER DUBOIS SPRL",
                Some("BE71096123456769"),
                "F2026-031 partial",
                None,
                Some("KBC2611200002")
            ),
            (
                dec!(2200),
                "MAPLE AND FINCH BV",
                Some("NL91ABNA0417164300"),
                "",
                Some("000000000203"),
                Some("KBC2611200003")
            ),
            (
                dec!(-120),
                "OFFICE SUPPLIES NV",
                Some("BE43068999999501"),
                "Invoice 2026-553 paper",
                None,
                Some("KBC2611200004")
            ),
            (dec!(42), "UNKNOWN SENDER", Some("BE62510007547061"), "gift", None, Some("KBC2611200005")),
        ]
    );
    assert!(lines.iter().all(|l| l.account == "BE68539007547034"
        && l.date == NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        && l.currency == Some(Currency::EUR)));
    assert_eq!(lines[0].origin.at, At::Line(3));
}

#[test]
fn malformed_records_are_refused_by_line_and_position() {
    let e = parse(&file(), &fixture("bad/coda-127.cod"), today()).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].to_string(),
        "s.cod:5: a CODA record is 128 characters long; this one has 127 (the file is damaged or was cut)"
    );
    let e = parse(&file(), &fixture("bad/coda-wrong-count.cod"), today()).unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "s.cod:19: positions 17-22 \"000016\": the trailer counts 16 records (1, 2, 3 and 8) but the file has 17: \
         records are missing or added"
    );
    // A changed amount breaks the balance.
    let text = String::from_utf8(fixture("coda-2026-11-20.cod")).unwrap();
    let altered = text.replacen("000000000042000", "000000000043000", 1);
    let e = parse(&file(), altered.as_bytes(), today()).unwrap_err();
    assert!(e[0].to_string().contains("is not the old balance"), "{}", e[0]);
    // A letter in an amount is named by its position.
    let bad = text.replacen("0000000000750000", "00000000007S0000", 1);
    let e = parse(&file(), bad.as_bytes(), today()).unwrap_err();
    assert_eq!(e[0].to_string(), "s.cod:3: positions 33-47 \"0000000007S0000\": the amount: expected digits");
    // Cut before the trailer.
    let cut: Vec<&str> = text.lines().take(10).collect();
    let e = parse(&file(), cut.join("\n").as_bytes(), today()).unwrap_err();
    assert!(e[0].to_string().contains("ends before its trailer"), "{}", e[0]);
}

proptest::proptest! {
    #[test]
    fn never_panics(line in 0usize..19, col in 0usize..128, c in proptest::char::any()) {
        let text = String::from_utf8(fixture("coda-2026-11-20.cod")).unwrap();
        let mut lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        if let Some(l) = lines.get_mut(line) && col < l.len() {
            l[col] = c;
        }
        let text: Vec<String> = lines.into_iter().map(|l| l.into_iter().collect()).collect();
        let _ = parse(&file(), text.join("\n").as_bytes(), today());
    }
}
