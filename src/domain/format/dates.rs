//! Dates as settle writes them. On screen and on the command line they are English and short
//! (`Mon 23 Nov`); in what the customer reads they are in the customer's language
//! (`23 november 2026`).

use chrono::{Datelike, NaiveDate};

use crate::domain::customer::Language;

/// `Mon 23 Nov`: a day close enough that the year goes without saying.
pub fn weekday(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// `Mon 23 Nov 2026`: today in the header, a typed date read back.
pub fn weekday_year(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// `23 Nov 2026`: a date in a list of what happened.
pub fn day_month_year(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// `23 Nov`: a date in a short list.
pub fn day_month(d: NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

/// `November 2026`: a month of a forecast.
pub fn month_year(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

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

/// `5 December 2026`, `5 december 2026`, `5 décembre 2026` (`1er` in French), `5. Dezember
/// 2026`: a date in a letter or a call script.
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

/// `31/10/2026` (`31-10-2026` in Dutch, `31.10.2026` in German): a date in a letter's table.
pub fn numeric_date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::Nl => d.format("%d-%m-%Y").to_string(),
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En | Language::Fr => d.format("%d/%m/%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_screen_writes_short_english_dates() {
        let day = d(2026, 11, 23);
        assert_eq!(weekday(day), "Mon 23 Nov");
        assert_eq!(weekday(d(2026, 12, 4)), "Fri 4 Dec", "no leading zero");
        assert_eq!(weekday_year(day), "Mon 23 Nov 2026");
        assert_eq!(day_month_year(d(2026, 10, 2)), "2 Oct 2026");
        assert_eq!(day_month(d(2026, 10, 2)), "2 Oct");
        assert_eq!(month_year(day), "November 2026");
    }

    #[test]
    fn the_customer_reads_dates_in_their_language() {
        let day = d(2026, 12, 5);
        assert_eq!(long_date(day, Language::En), "5 December 2026");
        assert_eq!(long_date(day, Language::Nl), "5 december 2026");
        assert_eq!(long_date(day, Language::Fr), "5 décembre 2026");
        assert_eq!(long_date(day, Language::De), "5. Dezember 2026");
        assert_eq!(long_date(d(2026, 12, 1), Language::Fr), "1er décembre 2026");
        assert_eq!(long_date(d(2026, 12, 1), Language::Nl), "1 december 2026");
        assert_eq!(long_date(d(2026, 8, 1), Language::Fr), "1er août 2026");
    }

    #[test]
    fn a_table_writes_dates_in_figures() {
        let day = d(2026, 10, 3);
        assert_eq!(numeric_date(day, Language::En), "03/10/2026");
        assert_eq!(numeric_date(day, Language::Fr), "03/10/2026");
        assert_eq!(numeric_date(day, Language::Nl), "03-10-2026");
        assert_eq!(numeric_date(day, Language::De), "03.10.2026");
    }
}
