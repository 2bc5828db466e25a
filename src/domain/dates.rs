//! Dates as freelancers type them. Pure: "today" is always a parameter.

use chrono::{Datelike, Days, NaiveDate, Weekday};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("'{0}' is not a date (use 2026-12-05 or 05/12/2026)")]
    Malformed(String),
    #[error("'{0}' is not a real day of the calendar")]
    NoSuchDay(String),
    #[error("'{0}' is {OUT_OF_RANGE}")]
    OutOfRange(String),
}

/// The first and last years of a date settle accepts. Invoices, payments and agreements
/// are of this century; the interest rate tables start in 2019, and a day such as year 0 or
/// 9999-12-31 only ever comes from a typing slip (and would overflow the due dates and
/// terms computed from it).
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2099;

/// What is wrong with a day outside them.
pub const OUT_OF_RANGE: &str = "outside the years settle works with (2000 to 2099)";

/// `day`, if it falls from [`FIRST_YEAR`] to [`LAST_YEAR`]; `input` names it otherwise.
pub fn in_range(day: NaiveDate, input: &str) -> Result<NaiveDate, DateError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        Ok(day)
    } else {
        Err(DateError::OutOfRange(input.trim().to_string()))
    }
}

/// Parses an absolute date: ISO `2026-12-05`, or day first `05/12/2026`, `05-12-2026`,
/// `05.12.2026` (the Belgian and Dutch way; never month first), from [`FIRST_YEAR`] to
/// [`LAST_YEAR`].
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    let malformed = || DateError::Malformed(s.to_string());
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(malformed());
    }
    let sep_ok = {
        let seps: Vec<char> = s.chars().filter(|c| !c.is_ascii_digit()).collect();
        seps.len() == 2 && seps[0] == seps[1]
    };
    if !sep_ok {
        return Err(malformed());
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| malformed());
    let (y, m, d) = if parts[0].len() == 4 && s.contains('-') {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        return Err(malformed());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(DateError::NoSuchDay(s.to_string()));
    }
    let year = i32::try_from(y).map_err(|_| malformed())?;
    let day = NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| DateError::NoSuchDay(s.to_string()))?;
    in_range(day, s)
}

/// Parses a date typed in a form, relative to `today`: an absolute date, `today`, `tomorrow`,
/// `+7` (days from today), `mon`..`sun` (the next such day, never today) or `eom` (end of
/// this month). The day it names must fall from [`FIRST_YEAR`] to [`LAST_YEAR`] too.
pub fn parse_date_relative(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    relative(input, today).and_then(|d| in_range(d, &d.to_string()))
}

fn relative(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let s = input.trim().to_ascii_lowercase();
    let malformed = || DateError::Malformed(input.trim().to_string());
    if let Some(n) = s.strip_prefix('+') {
        let days: u64 = n.parse().map_err(|_| malformed())?;
        if days > 3660 {
            return Err(malformed());
        }
        return today.checked_add_days(Days::new(days)).ok_or_else(malformed);
    }
    let weekday = match s.as_str() {
        "today" => return Ok(today),
        "tomorrow" => return today.succ_opt().ok_or_else(malformed),
        "eom" => return Ok(end_of_month(today)),
        "mon" | "monday" => Some(Weekday::Mon),
        "tue" | "tuesday" => Some(Weekday::Tue),
        "wed" | "wednesday" => Some(Weekday::Wed),
        "thu" | "thursday" => Some(Weekday::Thu),
        "fri" | "friday" => Some(Weekday::Fri),
        "sat" | "saturday" => Some(Weekday::Sat),
        "sun" | "sunday" => Some(Weekday::Sun),
        _ => None,
    };
    match weekday {
        Some(w) => {
            let ahead = (7 + w.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            let ahead = if ahead == 0 { 7 } else { ahead };
            today.checked_add_days(Days::new(u64::from(ahead))).ok_or_else(malformed)
        }
        None => parse_date(&s),
    }
}

pub fn end_of_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 { (day.year() + 1, 1) } else { (day.year(), day.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(day)
}

/// Adds (or subtracts) whole days, saturating at the calendar's ends instead of panicking.
pub fn add_days(day: NaiveDate, days: i64) -> NaiveDate {
    let n = Days::new(days.unsigned_abs());
    let moved = if days >= 0 { day.checked_add_days(n) } else { day.checked_sub_days(n) };
    moved.unwrap_or(if days >= 0 { NaiveDate::MAX } else { NaiveDate::MIN })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn absolute_formats() {
        for s in ["2026-12-05", "05/12/2026", "05-12-2026", "05.12.2026", "5/12/2026"] {
            assert_eq!(parse_date(s), Ok(d("2026-12-05")), "{s}");
        }
    }

    #[test]
    fn bad_dates_are_refused() {
        assert!(matches!(parse_date("2026-09-31"), Err(DateError::NoSuchDay(_))));
        assert!(matches!(parse_date("31/02/2026"), Err(DateError::NoSuchDay(_))));
        assert!(matches!(parse_date("2026-13-01"), Err(DateError::NoSuchDay(_))));
        for s in ["", "tomorrow-ish", "2026/12-05", "12/05/26", "2026-1205", "20261205"] {
            assert!(matches!(parse_date(s), Err(DateError::Malformed(_))), "{s}");
        }
    }

    #[test]
    fn dates_outside_this_century_are_refused() {
        for s in ["9999-12-31", "0000-01-01", "1999-12-31", "01/01/2100", "31.12.1899"] {
            assert!(matches!(parse_date(s), Err(DateError::OutOfRange(_))), "{s}");
        }
        assert_eq!(
            parse_date("9999-12-31").unwrap_err().to_string(),
            "'9999-12-31' is outside the years settle works with (2000 to 2099)"
        );
        assert_eq!(parse_date("2000-01-01"), Ok(d("2000-01-01")));
        assert_eq!(parse_date("31/12/2099"), Ok(d("2099-12-31")));
        assert!(matches!(parse_date_relative("+30", d("2099-12-15")), Err(DateError::OutOfRange(_))));
        assert!(matches!(parse_date_relative("today", NaiveDate::MAX), Err(DateError::OutOfRange(_))));
    }

    #[test]
    fn shortcuts_are_relative_to_today() {
        let today = d("2026-11-23"); // a Monday
        assert_eq!(parse_date_relative("+7", today), Ok(d("2026-11-30")));
        assert_eq!(parse_date_relative("fri", today), Ok(d("2026-11-27")));
        assert_eq!(parse_date_relative("mon", today), Ok(d("2026-11-30")));
        assert_eq!(parse_date_relative("eom", today), Ok(d("2026-11-30")));
        assert_eq!(parse_date_relative("eom", d("2026-12-03")), Ok(d("2026-12-31")));
        assert_eq!(parse_date_relative("2026-12-05", today), Ok(d("2026-12-05")));
        assert!(parse_date_relative("+x", today).is_err());
    }

    #[test]
    fn add_days_saturates() {
        assert_eq!(add_days(d("2026-11-23"), -23), d("2026-10-31"));
        assert_eq!(add_days(NaiveDate::MAX, 1), NaiveDate::MAX);
    }
}
