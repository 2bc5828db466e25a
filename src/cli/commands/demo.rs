use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::DemoArgs;
use crate::service::demo::{DemoOptions, write_demo};
use crate::store::Store;

pub fn run(store: &mut Store, a: DemoArgs, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let opts =
        DemoOptions { customers: a.customers.max(1), invoices: a.invoices, seed: a.seed, busy: a.busy };
    let s = write_demo(store, &opts, today)?;
    writeln!(
        out,
        "Demo book as of {today}: {} customers, {} invoices ({} open), {} payments, {} phone calls.",
        s.customers, s.invoices, s.open, s.payments, s.calls
    )?;
    Ok(())
}
