use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::dec;

use super::*;
use crate::import::bank_samples::{fields, fixture, today};

fn file() -> Arc<str> {
    Arc::from("s.sta")
}

#[test]
fn a_dutch_statement_with_structured_information() {
    let lines = parse(&file(), &fixture("mt940-nl-2026-11-18.sta"), today()).unwrap();
    let got = fields(&lines);
    assert_eq!(
        got,
        [
            (
                dec!(1500.00),
                "HARBOUR LIGHTS LTD",
                Some("GB29NWBK60161331926819"),
                "INV-0001 payment",
                None,
                Some("BANKREF0001")
            ),
            (
                dec!(500.00),
                "QUARRY DESIGN",
                Some("NL20INGB0001234567"),
                "Q-77",
                Some("RF18 5390 0754 7034"),
                Some("BANKREF0002")
            ),
            (
                dec!(-75.25),
                "HOSTING BV",
                Some("NL39RABO0300065264"),
                "November hosting",
                None,
                Some("BANKREF0003")
            ),
        ]
    );
    assert!(lines.iter().all(
        |l| l.account == "NL02ABNA0123456789" && l.date == NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
    ));
}

#[test]
fn free_text_information_is_the_communication() {
    let text = ":20:X\r\n:25:NL02ABNA0123456789\r\n:60F:C261117EUR0,00\r\n:61:261118C10,00NTRFNONREF\r\n:86:Factuur INV-0003 dank u\r\n:62F:C261118EUR10,00\r\n";
    let lines = parse(&file(), text.as_bytes(), today()).unwrap();
    assert_eq!(lines[0].communication, "Factuur INV-0003 dank u");
    assert_eq!(lines[0].entry_ref, None);
}

#[test]
fn a_statement_without_closing_balance_is_refused() {
    let e = parse(&file(), &fixture("bad/mt940-no-62f.sta"), today()).unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "s.sta:2: the statement that starts here has no closing balance (:62F:): the file was cut short or \
         is not a whole statement; nothing was imported"
    );
    let text = String::from_utf8(fixture("mt940-nl-2026-11-18.sta")).unwrap().replace("C500,00", "C501,00");
    let e = parse(&file(), text.as_bytes(), today()).unwrap_err();
    assert!(e[0].to_string().contains("is not the opening balance"), "{}", e[0]);
    let text = String::from_utf8(fixture("mt940-nl-2026-11-18.sta")).unwrap().replace("C500,00N", "X500,00N");
    let e = parse(&file(), text.as_bytes(), today()).unwrap_err();
    assert!(e[0].to_string().starts_with("s.sta:10: :61: \"2611181118X500,00N"), "{}", e[0]);
}

proptest::proptest! {
    #[test]
    fn never_panics(s in "[:0-9A-Z/,\r\n CD]{0,200}") {
        let _ = parse(&file(), format!(":20:X\n:25:NL\n{s}").as_bytes(), today());
    }
}
