//! Amounts, dates, date shortcuts and structured references.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use settle::domain::dates::{parse_date, parse_date_relative};
use settle::domain::money::{format_amount, parse_amount, plain_amount, to_cents};
use settle::domain::ogm::Ogm;

/// Text made of the characters amounts and dates are made of, so the parsers' inner
/// branches get exercised, not only their first rejection.
fn amount_like() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"[-+€$ 0-9.,'EURusd\u{a0}\u{202f}]{0,24}").unwrap()
}

fn date_like() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"[-+0-9/.: a-zA-Z]{0,16}").unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

proptest! {
    #[test]
    fn amounts_never_panic(s in any::<String>()) {
        if let Err(e) = parse_amount(&s) { prop_assert!(!e.to_string().is_empty()) }
    }

    #[test]
    fn amount_like_text_parses_to_exact_cents_or_says_why(s in amount_like()) {
        match parse_amount(&s) {
            Ok(v) => {
                // What is accepted prints back and parses to the same value.
                prop_assert_eq!(parse_amount(&plain_amount(v)).unwrap(), v);
                prop_assert_eq!(parse_amount(&format_amount(v)).unwrap(), v);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn any_decimal_to_cents_is_exact_or_refused(m in any::<i64>(), scale in 0u32..28) {
        let d = Decimal::new(m, scale);
        if let Ok(c) = to_cents(d) {
            prop_assert_eq!(Decimal::new(c, 2), d);
        }
    }

    #[test]
    fn dates_never_panic(s in any::<String>()) {
        let _ = parse_date(&s);
        let _ = parse_date_relative(&s, today());
    }

    #[test]
    fn date_like_text_gives_a_date_or_a_reason(s in date_like(), back in -40_000i64..40_000) {
        let day = today() + chrono::Duration::days(back);
        match parse_date_relative(&s, day) {
            Ok(_) => {}
            Err(e) => prop_assert!(e.to_string().len() > 5, "{}", e),
        }
        if let Ok(d) = parse_date(&s) {
            prop_assert_eq!(parse_date(&d.to_string()).unwrap(), d);
        }
    }

    #[test]
    fn relative_offsets_never_overflow(n in any::<i64>()) {
        let _ = parse_date_relative(&format!("+{n}"), today());
        let _ = parse_date_relative(&format!("{n}"), NaiveDate::MAX);
        let _ = parse_date_relative(&format!("+{n}"), NaiveDate::MIN);
    }

    #[test]
    fn references_never_panic(s in any::<String>(), digits in "[+*/ 0-9]{0,30}") {
        for text in [s.as_str(), digits.as_str()] {
            if let Ok(o) = text.parse::<Ogm>() {
                // Accepted means the check digits hold: it prints and parses back to itself.
                prop_assert_eq!(o.to_string().parse::<Ogm>().unwrap(), o);
            }
            let _ = Ogm::find_in(text);
        }
    }
}
