//! Amounts, dates and rates written the way each language writes them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::customer::Language;
use crate::domain::money::{Currency, format_amount};

/// Formats amounts, dates and rates the way the letter's language writes them.
#[derive(Debug, Clone, Copy)]
pub struct Fmt {
    pub lang: Language,
    pub currency: Currency,
}

impl Fmt {
    pub fn money(&self, amount: Decimal) -> String {
        let en = format_amount(amount);
        let symbol = self.currency.symbol();
        if self.lang == Language::En {
            return format!("{symbol}{en}");
        }
        let local = crate::call_script::locale::swap_separators(&en, '.');
        match self.lang {
            Language::Nl => format!("{symbol} {local}"),
            _ => format!("{local} {symbol}"),
        }
    }

    /// `5 December 2026`, `1er décembre 2026`: as the call scripts write it.
    pub fn date(&self, d: NaiveDate) -> String {
        crate::call_script::locale::long_date(d, self.lang)
    }

    pub fn percent(&self, rate: Decimal) -> String {
        let text = rate.normalize().to_string();
        if self.lang == Language::En { format!("{text} %") } else { format!("{} %", text.replace('.', ",")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn each_language_writes_its_own_way() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let f = |lang| Fmt { lang, currency: Currency::EUR };
        assert_eq!(f(Language::En).money(dec!(1234.5)), "€1,234.50");
        assert_eq!(f(Language::Nl).money(dec!(1234.5)), "€ 1.234,50");
        assert_eq!(f(Language::Fr).money(dec!(1234.5)), "1.234,50 €");
        assert_eq!(f(Language::En).date(d), "1 December 2026");
        assert_eq!(f(Language::Nl).date(d), "1 december 2026");
        assert_eq!(f(Language::Fr).date(d), "1er décembre 2026");
        assert_eq!(f(Language::De).date(d), "1. Dezember 2026");
        assert_eq!(f(Language::En).percent(dec!(10.50)), "10.5 %");
        assert_eq!(f(Language::Fr).percent(dec!(12.25)), "12,25 %");
    }
}
