//! Amounts, dates and rates in a letter, written the way the letter's language writes them
//! (through [`crate::domain::format`], as everything settle writes).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::customer::Language;
use crate::domain::format;
use crate::domain::money::{Currency, Money};

/// Formats amounts, dates and rates the way the letter's language writes them.
#[derive(Debug, Clone, Copy)]
pub struct Fmt {
    pub lang: Language,
    pub currency: Currency,
}

impl Fmt {
    /// `€ 1.234,50` in Dutch: see [`format::letter_amount`].
    pub fn money(&self, amount: Decimal) -> String {
        format::letter_amount(Money::new(amount, self.currency), self.lang)
    }

    /// `5 December 2026`, `1er décembre 2026`: as the call scripts write it.
    pub fn date(&self, d: NaiveDate) -> String {
        format::long_date(d, self.lang)
    }

    pub fn percent(&self, rate: Decimal) -> String {
        format::percent(rate, self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn a_letter_writes_in_its_language_and_currency() {
        let f = Fmt { lang: Language::Fr, currency: "USD".parse().unwrap() };
        assert_eq!(f.money(dec!(1234.5)), "1.234,50 $");
        assert_eq!(f.date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), "1er décembre 2026");
        assert_eq!(f.percent(dec!(12.25)), "12,25 %");
    }
}
