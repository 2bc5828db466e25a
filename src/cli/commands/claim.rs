//! `settle claim`: interest and costs claimed or waived on an invoice paid late.

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::config::Config;
use crate::store::Store;

/// `settle claim waive|paid`.
pub fn claim(
    store: &Store,
    config: &Config,
    cmd: crate::cli::ClaimCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    use crate::service::claims::{Close, close};
    let (a, how) = match cmd {
        crate::cli::ClaimCmd::Waive(a) => (a, Close::Waive),
        crate::cli::ClaimCmd::Paid(a) => (a, Close::Paid),
    };
    let said = close(store, config, &a.invoice, how, a.date.unwrap_or(today), today, &a.note)?;
    writeln!(out, "{said}")?;
    Ok(())
}
