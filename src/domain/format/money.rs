//! Amounts and rates in the customer's language: `€ 1.250,00` in Dutch, `1 250,00 €` in
//! French. The screen's English amount is [`Money`]'s `Display` (`€1,250.00`).

use rust_decimal::Decimal;

use crate::domain::customer::Language;
use crate::domain::money::{Money, format_amount};

/// An amount as a call script or a call confirmation says it: `€1,250.00`, `€ 1.250,00`,
/// `1 250,00 €` (a narrow no-break space groups French thousands), `1.250,00 €`.
pub fn amount(m: Money, lang: Language) -> String {
    in_language(m, lang, '\u{202f}')
}

/// An amount as a letter writes it: as [`amount`], but French thousands are grouped with a
/// dot (`1.250,00 €`), as the letters have always printed them.
pub fn letter_amount(m: Money, lang: Language) -> String {
    in_language(m, lang, '.')
}

fn in_language(m: Money, lang: Language, french_thousands: char) -> String {
    let en = format_amount(m.amount); // 1,250.00
    let symbol = m.currency.symbol();
    match lang {
        Language::En => format!("{symbol}{en}"),
        Language::Nl => format!("{symbol} {}", swap_separators(&en, '.')),
        Language::Fr => format!("{} {symbol}", swap_separators(&en, french_thousands)),
        Language::De => format!("{} {symbol}", swap_separators(&en, '.')),
    }
}

/// `1,250.00` → `1.250,00` (or another thousands separator).
fn swap_separators(en: &str, thousands: char) -> String {
    en.chars()
        .map(|c| match c {
            ',' => thousands,
            '.' => ',',
            other => other,
        })
        .collect()
}

/// A rate with its percent sign: `10.5 %`, `10,5 %` outside English.
pub fn percent(rate: Decimal, lang: Language) -> String {
    let text = rate.normalize().to_string();
    if lang == Language::En { format!("{text} %") } else { format!("{} %", text.replace('.', ",")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use rust_decimal::dec;

    #[test]
    fn each_language_writes_amounts_its_own_way() {
        let m = Money::new(dec!(1250), Currency::EUR);
        assert_eq!(amount(m, Language::En), "€1,250.00");
        assert_eq!(amount(m, Language::Nl), "€ 1.250,00");
        assert_eq!(amount(m, Language::Fr), "1\u{202f}250,00 €");
        assert_eq!(amount(m, Language::De), "1.250,00 €");
        let m = Money::new(dec!(1234567.5), Currency::EUR);
        assert_eq!(letter_amount(m, Language::En), "€1,234,567.50");
        assert_eq!(letter_amount(m, Language::Nl), "€ 1.234.567,50");
        assert_eq!(letter_amount(m, Language::Fr), "1.234.567,50 €");
        assert_eq!(letter_amount(m, Language::De), "1.234.567,50 €");
        let small = Money::new(dec!(-0.5), "USD".parse().unwrap());
        assert_eq!(amount(small, Language::En), "$-0.50");
        assert_eq!(amount(small, Language::Nl), "$ -0,50");
    }

    #[test]
    fn rates_keep_their_digits_and_the_language_decimal_mark() {
        assert_eq!(percent(dec!(10.50), Language::En), "10.5 %");
        assert_eq!(percent(dec!(12.25), Language::Fr), "12,25 %");
        assert_eq!(percent(dec!(8), Language::Nl), "8 %");
    }
}
