//! Text as settle writes it, one way per need: dates ([`dates`]), amounts in the customer's
//! language ([`money`]) and word wrapping ([`wrap`]). The screens, the command line, the
//! letters and the call scripts all write through here (`format::weekday(d)`), so a date or
//! an amount reads the same wherever it shows.
//!
//! The screen's plain amount (`€1,234.50`) is [`crate::domain::money::Money`]'s `Display`.

pub mod dates;
pub mod money;
pub mod wrap;

pub use dates::{day_month, day_month_year, long_date, month_year, numeric_date, weekday, weekday_year};
pub use money::{amount, letter_amount, percent};
pub use wrap::{Flow, wrap};
