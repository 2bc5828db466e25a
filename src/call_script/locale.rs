//! Amounts and dates as the customer reads them: `€ 1.250,00` and `5 december 2026` in
//! Dutch, `1 250,00 €` and `5 décembre 2026` in French.

use chrono::{Datelike, NaiveDate};

use crate::domain::customer::Language;
use crate::domain::money::{Money, format_amount};

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// `5 December 2026`, `5 december 2026`, `5 décembre 2026` (`1er` in French), `5. Dezember 2026`.
pub fn long_date(d: NaiveDate, lang: Language) -> String {
    let m = usize::try_from(d.month0()).unwrap_or(0).min(11);
    match lang {
        Language::En => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
        Language::Nl => format!("{} {} {}", d.day(), MONTHS_NL[m], d.year()),
        Language::Fr if d.day() == 1 => format!("1er {} {}", MONTHS_FR[m], d.year()),
        Language::Fr => format!("{} {} {}", d.day(), MONTHS_FR[m], d.year()),
        Language::De => format!("{}. {} {}", d.day(), MONTHS_DE[m], d.year()),
    }
}

/// An amount with its currency the way the language writes it.
pub fn money_text(m: Money, lang: Language) -> String {
    let en = format_amount(m.amount); // 1,250.00
    let symbol = m.currency.symbol();
    match lang {
        Language::En => format!("{symbol}{en}"),
        Language::Nl => format!("{symbol} {}", swap_separators(&en, '.')),
        Language::Fr => format!("{} {symbol}", swap_separators(&en, '\u{202f}')),
        Language::De => format!("{} {symbol}", swap_separators(&en, '.')),
    }
}

/// `1,250.00` → `1.250,00` (or with a narrow space as the thousands separator).
pub fn swap_separators(en: &str, thousands: char) -> String {
    en.chars()
        .map(|c| match c {
            ',' => thousands,
            '.' => ',',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use rust_decimal::dec;

    #[test]
    fn amounts_and_dates_per_language() {
        let m = Money::new(dec!(1250), Currency::EUR);
        assert_eq!(money_text(m, Language::En), "€1,250.00");
        assert_eq!(money_text(m, Language::Nl), "€ 1.250,00");
        assert_eq!(money_text(m, Language::Fr), "1\u{202f}250,00 €");
        assert_eq!(money_text(m, Language::De), "1.250,00 €");
        let d = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert_eq!(long_date(d, Language::En), "5 December 2026");
        assert_eq!(long_date(d, Language::Nl), "5 december 2026");
        assert_eq!(long_date(d, Language::Fr), "5 décembre 2026");
        assert_eq!(long_date(d.with_day(1).unwrap(), Language::Fr), "1er décembre 2026");
    }
}
