//! One module per command; each takes the opened store and today's date.

mod backup;
mod check;
mod customer;
mod demo;
mod export;
mod import;
mod invoice;
mod payment;
mod report;

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::{Cli, Command, CustomerCmd, ExportCmd, ImportCmd, InvoiceCmd, PaymentCmd, ReportCmd};
use crate::store::{Store, StoreError};

/// Runs the parsed command line. `today` is the real date unless `--today` overrides it.
pub fn run(cli: Cli, today: NaiveDate) -> Result<()> {
    let path = crate::paths::database(cli.db.as_deref())?;
    if let Some(Command::Check(a)) = &cli.command
        && (a.install_timer || a.print_cron)
    {
        return check::schedule(a, &path, cli.config.as_deref(), &mut std::io::stdout().lock());
    }
    let mut store = open_store(&path)?;
    let out = &mut std::io::stdout().lock();
    match cli.command {
        None => crate::tui::run(store, today),
        Some(Command::Customer(CustomerCmd::Add(args))) => customer::add(&store, args, out),
        Some(Command::Customer(CustomerCmd::List)) => customer::list(&store, out),
        Some(Command::Invoice(InvoiceCmd::Add(args))) => invoice::add(&store, args, out),
        Some(Command::Invoice(InvoiceCmd::List)) => invoice::list(&store, today, out),
        Some(Command::Payment(PaymentCmd::Add(args))) => payment::add(&store, args, today, out),
        Some(Command::Report(ReportCmd::Aging(args))) => report::aging(&store, args, today, out),
        Some(Command::Demo(args)) => demo::run(&mut store, args, today, out),
        Some(Command::Check(args)) => check::run(&store, &args, today, out),
        Some(Command::Import(ImportCmd::Csv(args))) => import::csv(&mut store, args, out),
        Some(Command::Import(ImportCmd::Ubl(args))) => import::ubl(&mut store, args, out),
        Some(Command::Import(ImportCmd::Payments(args))) => import::payments(&mut store, args, today, out),
        Some(Command::Import(ImportCmd::Customers(args))) => import::customers(&mut store, args, out),
        Some(Command::Export(ExportCmd::Csv(args))) => export::run(&store, args, export::Format::Csv, out),
        Some(Command::Export(ExportCmd::Json(args))) => export::run(&store, args, export::Format::Json, out),
        Some(Command::Backup(args)) => backup::run(&store, args, out),
    }
}

/// Opens the database; errors that do not name the file yet get its name.
fn open_store(path: &std::path::Path) -> Result<Store> {
    Store::open(path).map_err(|e| match e {
        StoreError::Foreign { .. }
        | StoreError::NewerSchema { .. }
        | StoreError::Damaged { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::Io { .. } => anyhow::Error::new(e),
        other => anyhow::Error::new(other).context(format!("cannot open the database {}", path.display())),
    })
}
