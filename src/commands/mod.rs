//! One module per command; each takes the opened store and today's date.

mod agreement;
mod call;
mod customer;
mod demo;
mod invoice;
mod payment;
mod report;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::cli::{AgreementCmd, CallCmd};
use crate::cli::{Cli, Command, CustomerCmd, InvoiceCmd, PaymentCmd, ReportCmd};
use crate::store::Store;

/// Runs the parsed command line. `today` is the real date unless `--today` overrides it.
pub fn run(cli: Cli, today: NaiveDate) -> Result<()> {
    let path = crate::paths::database(cli.db.as_deref())?;
    let mut store =
        Store::open(&path).with_context(|| format!("cannot open the database {}", path.display()))?;
    let out = &mut std::io::stdout().lock();
    let config = cli.config.as_deref();
    match cli.command {
        None => crate::tui::run(store, today),
        Some(Command::Customer(CustomerCmd::Add(args))) => customer::add(&store, args, out),
        Some(Command::Customer(CustomerCmd::List)) => customer::list(&store, out),
        Some(Command::Invoice(InvoiceCmd::Add(args))) => invoice::add(&store, args, out),
        Some(Command::Invoice(InvoiceCmd::List)) => invoice::list(&store, today, out),
        Some(Command::Payment(PaymentCmd::Add(args))) => payment::add(&store, args, today, out),
        Some(Command::Report(ReportCmd::Aging(args))) => report::aging(&store, args, today, out),
        Some(Command::Demo(args)) => demo::run(&mut store, args, today, out),
        Some(Command::Call(CallCmd::Log(args))) => call::log(&store, args, today, out),
        Some(Command::Call(CallCmd::Script(args))) => call::script(&store, args, config, today, out),
        Some(Command::Call(CallCmd::List(args))) => call::list(&store, args, today, out),
        Some(Command::Call(CallCmd::Agenda(args))) => call::agenda(&store, args, today, out),
        Some(Command::Agreement(AgreementCmd::Confirm(args))) => agreement::confirm(&store, args, today, out),
        Some(Command::Agreement(AgreementCmd::Email(args))) => agreement::email(&store, args, config, out),
        Some(Command::Report(ReportCmd::Forecast(args))) => agreement::forecast(&store, args, today, out),
        Some(Command::Report(ReportCmd::Behaviour(args))) => agreement::behaviour(&store, args, today, out),
    }
}
