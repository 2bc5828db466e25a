//! What the bank statement parsers' tests share: the sample statements, the day they are read
//! on, and the fields of a line a test compares.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::BankLine;

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/bank/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Amount, counterparty, its IBAN, communication, structured reference, bank's entry reference.
pub type Fields<'a> = (Decimal, &'a str, Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);

pub fn fields(lines: &[BankLine]) -> Vec<Fields<'_>> {
    lines
        .iter()
        .map(|l| {
            (
                l.amount,
                l.counterparty.as_str(),
                l.counterparty_iban.as_deref(),
                l.communication.as_str(),
                l.structured.as_deref(),
                l.entry_ref.as_deref(),
            )
        })
        .collect()
}
