//! Money: an exact `Decimal` amount with its currency. Never `f64`.
//!
//! The store keeps amounts as INTEGER minor units (cents) so SQL sums are exact; the
//! conversion happens at the store boundary through [`to_cents`] and [`from_cents`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code with two minor digits (the only kind settle books).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Currencies settle accepts: the euro area's neighbours and the usual invoicing currencies,
/// all with two minor digits so cents are the right minor unit for every one of them.
pub const KNOWN: &[&str] = &[
    "EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN", "CAD", "AUD", "NZD",
];

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored (see `from_str`).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The symbol used in on-screen amounts, or the code when there is no common one.
    pub fn symbol(&self) -> &str {
        match self.as_str() {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            other => other,
        }
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let up = s.trim().to_ascii_uppercase();
        match KNOWN.iter().find(|k| **k == up) {
            Some(k) => {
                let b = k.as_bytes();
                Ok(Currency([b[0], b[1], b[2]]))
            }
            None => Err(MoneyError::UnknownCurrency(s.trim().to_string())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::EUR
    }
}

/// An amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    pub fn from_cents(cents: i64, currency: Currency) -> Self {
        Money::new(from_cents(cents), currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.currency.symbol(), format_amount(self.amount))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("'{0}' is not an amount: {1}")]
    Malformed(String, &'static str),
    #[error("'{0}' is ambiguous: write 1234.56 or 1.234,56 (is the separator thousands or decimals?)")]
    Ambiguous(String),
    #[error("'{0}' has more than two decimals")]
    TooPrecise(String),
    #[error("'{0}' is too large: the largest amount settle books is {max}", max = MAX_AMOUNT)]
    TooLarge(String),
    #[error(
        "the amounts add up to more than settle can count: the book holds an amount beyond the largest \
         one settle takes in ({max})",
        max = MAX_AMOUNT
    )]
    Overflow,
    #[error(
        "unknown currency '{0}' (settle books EUR, USD, GBP, CHF, SEK, DKK, NOK, PLN, CZK, HUF, RON, BGN, CAD, AUD, NZD)"
    )]
    UnknownCurrency(String),
}

/// The largest amount settle takes in, in cents (999,999,999.99, either sign): far above any
/// freelancer's invoice, and small enough that 92 million of them add up within `i64` cents,
/// so no sum over a book (in Rust or in SQLite's `SUM`) can overflow.
pub const MAX_CENTS: i64 = 99_999_999_999;

/// [`MAX_CENTS`] as messages write it.
pub const MAX_AMOUNT: &str = "999,999,999.99";

/// Cents from an exact amount; refuses fractions of a cent and amounts beyond [`MAX_CENTS`].
pub fn to_cents(amount: Decimal) -> Result<i64, MoneyError> {
    let too_large = || MoneyError::TooLarge(amount.to_string());
    let scaled = amount.checked_mul(Decimal::ONE_HUNDRED).ok_or_else(too_large)?;
    if scaled.fract() != Decimal::ZERO {
        return Err(MoneyError::TooPrecise(amount.to_string()));
    }
    match i64::try_from(scaled) {
        Ok(cents) if cents.unsigned_abs() <= MAX_CENTS.unsigned_abs() => Ok(cents),
        _ => Err(too_large()),
    }
}

/// `a + b` in cents, or [`MoneyError::Overflow`]: how money is added up in Rust. Amounts
/// within [`MAX_CENTS`] never overflow; a book written before settle bounded them might.
pub fn add_cents(a: i64, b: i64) -> Result<i64, MoneyError> {
    a.checked_add(b).ok_or(MoneyError::Overflow)
}

pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Parses an amount as freelancers write them: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`,
/// `1 234,56`, `€ 1 234,56`, `-12.50`. A single separator followed by exactly three digits
/// (`1,234`, `1.234`) is refused as ambiguous rather than guessed.
pub fn parse_amount(input: &str) -> Result<Decimal, MoneyError> {
    let bad = |why| MoneyError::Malformed(input.trim().to_string(), why);
    let mut s: String =
        input.trim().trim_start_matches(['€', '$', '£']).trim_end_matches(['€', '$', '£']).trim().to_string();
    for code in KNOWN {
        if let Some(rest) = s.strip_prefix(code).or_else(|| s.strip_suffix(code)) {
            s = rest.trim().to_string();
            break;
        }
    }
    if s.is_empty() {
        return Err(MoneyError::Empty);
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.as_str()),
    };
    if body.is_empty() {
        return Err(bad("no digits"));
    }
    if let Some(c) = body
        .chars()
        .find(|c| !c.is_ascii_digit() && !matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\''))
    {
        return Err(MoneyError::Malformed(
            input.trim().to_string(),
            if c.is_alphabetic() {
                "it contains letters"
            } else {
                "it contains a character that is not a digit or separator"
            },
        ));
    }
    let body: String =
        body.chars().map(|c| if matches!(c, '\u{a0}' | '\u{202f}' | '\'') { ' ' } else { c }).collect();
    let last_dot = body.rfind('.');
    let last_comma = body.rfind(',');
    // Pick the decimal separator: the last of '.' and ',' when both occur, else the one that
    // occurs once (and is not a thousands group of exactly three digits).
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(p), None) | (None, Some(p)) => {
            let sep = body.as_bytes()[p] as char;
            if body.matches(sep).count() > 1 {
                None
            } else {
                let after = &body[p + 1..];
                let before = body[..p].trim();
                if after.len() == 3 && before != "0" && !before.is_empty() && !body.contains(' ') {
                    return Err(MoneyError::Ambiguous(input.trim().to_string()));
                }
                Some(p)
            }
        }
        (None, None) => None,
    };
    let (int_part, frac_part) = match decimal_at {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body.as_str(), None),
    };
    let int_digits = thousands(int_part).ok_or_else(|| bad("misplaced separators"))?;
    let mut text = if int_digits.is_empty() { "0".to_string() } else { int_digits };
    if let Some(frac) = frac_part {
        if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad("misplaced separators"));
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise(input.trim().to_string()));
        }
        text.push('.');
        text.push_str(frac);
    }
    let value = Decimal::from_str(&text).map_err(|_| MoneyError::TooLarge(input.trim().to_string()))?;
    to_cents(value).map_err(|e| match e {
        MoneyError::TooLarge(_) => MoneyError::TooLarge(input.trim().to_string()),
        other => other,
    })?;
    Ok(if negative { -value } else { value })
}

/// The digits of an integer part written with optional thousands separators (one kind only,
/// groups of three after a first group of one to three digits). `None` if the grouping is off.
fn thousands(part: &str) -> Option<String> {
    let part = part.trim();
    let seps: Vec<char> = part.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.is_empty() {
        return Some(part.to_string());
    }
    if seps.iter().any(|c| *c != seps[0]) {
        return None;
    }
    let groups: Vec<&str> = part.split(seps[0]).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

/// An amount typed as money (`120`, `€120,50`) or as a share of `of` (`10 %`, `12.5%`),
/// rounded to the cent (halves away from zero).
pub fn parse_share(input: &str, of: Decimal) -> Result<Decimal, MoneyError> {
    let Some(percent) = input.trim().strip_suffix('%') else { return parse_amount(input) };
    let share = parse_amount(percent)?;
    let amount = of.checked_mul(share).ok_or_else(|| MoneyError::TooLarge(input.trim().to_string()))?
        / Decimal::ONE_HUNDRED;
    Ok(amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// `1234.5` → `1,234.50`: two decimals, comma thousands (the report and screen format).
pub fn format_amount(amount: Decimal) -> String {
    // Amounts in cents or whole units (all the book keeps) are written from their integer.
    if amount.scale() <= 2
        && let Some(cents) = amount.mantissa().checked_mul(10i128.pow(2 - amount.scale()))
    {
        return format_cents(cents);
    }
    let rounded = amount.round_dp(2);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    push_grouped(&mut out, int);
    out.push('.');
    out.push_str(frac);
    out
}

/// The digits of `int` with a comma before each group of three from the right.
fn push_grouped(out: &mut String, int: &str) {
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
}

/// [`format_amount`] of a number of cents.
fn format_cents(cents: i128) -> String {
    let abs = cents.unsigned_abs();
    let int = (abs / 100).to_string();
    let mut out = String::with_capacity(int.len() + int.len() / 3 + 5);
    if cents < 0 {
        out.push('-');
    }
    push_grouped(&mut out, &int);
    out.push('.');
    let frac = abs % 100;
    out.push(char::from(b'0' + (frac / 10) as u8));
    out.push(char::from(b'0' + (frac % 10) as u8));
    out
}

/// `1234.5` → `1234.50`: the plain form used in CSV and JSON.
pub fn plain_amount(amount: Decimal) -> String {
    // Amounts in cents or whole units (all the book keeps) are written from their integer;
    // a negative zero as the decimal writes it.
    if amount.scale() <= 2
        && !(amount.is_zero() && amount.is_sign_negative())
        && let Some(cents) = amount.mantissa().checked_mul(10i128.pow(2 - amount.scale()))
        && let Ok(cents) = i64::try_from(cents)
    {
        let mut out = String::with_capacity(16);
        plain_cents_into(&mut out, cents);
        return out;
    }
    format!("{:.2}", amount.round_dp(2))
}

/// [`plain_amount`] of an amount in cents, appended to `out` without going through a
/// decimal (an export writes two for each of a million rows): `1234.56`, `-0.50`, `0.00`.
pub fn plain_cents_into(out: &mut String, cents: i64) {
    use std::fmt::Write as _;
    let abs = cents.unsigned_abs();
    let sign = if cents < 0 { "-" } else { "" };
    // Writing into a String cannot fail.
    let _ = write!(out, "{sign}{}.{:02}", abs / 100, abs % 100);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn amounts_in_cents_are_formatted_as_any_amount() {
        let slow = |amount: Decimal| {
            let rounded = amount.round_dp(2);
            let negative = rounded.is_sign_negative() && !rounded.is_zero();
            let text = format!("{:.2}", rounded.abs());
            let (int, frac) = text.split_once('.').unwrap();
            let mut out = String::new();
            if negative {
                out.push('-');
            }
            for (i, ch) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(ch);
            }
            format!("{out}.{frac}")
        };
        for cents in
            [0i64, 1, -1, 5, -50, 99, 100, 999, 1000, 99_999, 100_000, 123_456_789, -123_456_789, i64::MAX]
        {
            for scale in [0, 1, 2] {
                let d = Decimal::new(cents, scale);
                assert_eq!(format_amount(d), slow(d), "{d}");
            }
        }
        assert_eq!(format_amount(dec!(1234.567)), "1,234.57");
        for d in [dec!(0), dec!(-0.5), dec!(12.3), dec!(1234.56), dec!(-7), dec!(1234.567), dec!(0.005)] {
            assert_eq!(plain_amount(d), format!("{:.2}", d.round_dp(2)), "{d}");
        }
    }

    #[test]
    fn a_share_is_money_or_a_percentage_of_the_amount() {
        assert_eq!(parse_share("10 %", dec!(1200)), Ok(dec!(120)));
        assert_eq!(parse_share("12,5%", dec!(99.99)), Ok(dec!(12.50)));
        assert_eq!(parse_share("€ 150,25", dec!(1200)), Ok(dec!(150.25)));
        assert_eq!(parse_share("7.5 %", dec!(99.99)), Ok(dec!(7.50)));
        assert!(parse_share("ten %", dec!(100)).is_err());
        assert!(parse_share("%", dec!(100)).is_err());
    }

    #[test]
    fn plain_cents_are_the_plain_amounts() {
        for cents in [0, 1, -1, 5, -50, 99, 100, 123_456, -123_456, 100_000_000, i64::MAX, i64::MIN + 1] {
            let mut s = String::new();
            plain_cents_into(&mut s, cents);
            assert_eq!(s, plain_amount(from_cents(cents)), "{cents}");
        }
    }

    #[test]
    fn parses_the_usual_ways_of_writing_amounts() {
        for (input, want) in [
            ("1234.56", dec!(1234.56)),
            ("1234,56", dec!(1234.56)),
            ("1.234,56", dec!(1234.56)),
            ("1,234.56", dec!(1234.56)),
            ("1 234,56", dec!(1234.56)),
            ("€ 1 234,56", dec!(1234.56)),
            ("1\u{a0}980,00", dec!(1980.00)),
            ("12,345.67", dec!(12345.67)),
            ("EUR 750", dec!(750)),
            ("89,9", dec!(89.9)),
            ("1,234,567", dec!(1234567)),
            ("0,5", dec!(0.5)),
            ("-12.50", dec!(-12.50)),
        ] {
            assert_eq!(parse_amount(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn refuses_bad_and_ambiguous_amounts() {
        assert!(matches!(parse_amount("12,3,4"), Err(MoneyError::Malformed(..))));
        assert!(matches!(parse_amount("12a.00"), Err(MoneyError::Malformed(..))));
        assert!(matches!(parse_amount("1,234"), Err(MoneyError::Ambiguous(_))));
        assert!(matches!(parse_amount("1.234"), Err(MoneyError::Ambiguous(_))));
        assert!(matches!(parse_amount("1.2345"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(parse_amount("0,125"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(parse_amount(""), Err(MoneyError::Empty)));
        assert!(matches!(parse_amount("1.234.56"), Err(MoneyError::Malformed(..))));
        assert!(matches!(parse_amount("99999999999999999999999"), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn amounts_are_bounded_so_sums_cannot_overflow() {
        assert_eq!(format_amount(from_cents(MAX_CENTS)), MAX_AMOUNT);
        assert_eq!(parse_amount("999.999.999,99"), Ok(dec!(999999999.99)));
        assert_eq!(parse_amount("-999999999.99"), Ok(dec!(-999999999.99)));
        let e = parse_amount("1,000,000,000.00").unwrap_err();
        assert!(e.to_string().contains("the largest amount settle books is 999,999,999.99"), "{e}");
        assert!(matches!(parse_amount("92233720368547758.07"), Err(MoneyError::TooLarge(_))));
        assert!(to_cents(dec!(-1000000000)).is_err());
        // Ten million invoices of the largest amount still add up.
        assert!(MAX_CENTS.checked_mul(10_000_000).is_some());
        assert_eq!(add_cents(i64::MAX, 1), Err(MoneyError::Overflow));
        assert_eq!(add_cents(2, 3), Ok(5));
    }

    #[test]
    fn cents_round_trip_and_refuse_fractions() {
        assert_eq!(to_cents(dec!(12.34)), Ok(1234));
        assert_eq!(from_cents(1234), dec!(12.34));
        assert!(to_cents(dec!(0.001)).is_err());
    }

    #[test]
    fn formats_with_thousands_and_two_decimals() {
        assert_eq!(format_amount(dec!(1234567.5)), "1,234,567.50");
        assert_eq!(format_amount(dec!(-999.999)), "-1,000.00");
        assert_eq!(format_amount(Decimal::ZERO), "0.00");
        assert_eq!(plain_amount(dec!(5)), "5.00");
        assert_eq!(Money::from_cents(125000, Currency::EUR).to_string(), "€1,250.00");
    }

    #[test]
    fn currencies_are_checked() {
        assert_eq!("eur".parse::<Currency>(), Ok(Currency::EUR));
        assert!("XYZ".parse::<Currency>().is_err());
    }
}
