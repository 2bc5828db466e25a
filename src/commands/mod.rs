//! One module per command; each takes the opened store and today's date.

mod config;
mod customer;
mod demo;
mod invoice;
mod letter;
mod payment;
mod report;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::cli::{Cli, Command, CustomerCmd, ExportCmd, InvoiceCmd, PaymentCmd, ReportCmd};
use crate::store::Store;

/// Runs the parsed command line. `today` is the real date unless `--today` overrides it.
pub fn run(cli: Cli, today: NaiveDate) -> Result<()> {
    if let Some(Command::Config(cmd)) = &cli.command {
        return config::run(cmd, cli.config.as_deref(), &mut std::io::stdout().lock());
    }
    // A bad config file or letter template stops everything before it runs.
    let config = crate::config::Config::load(cli.config.as_deref())?;
    let letters = crate::letters::Letters::load(Some(&config.letters_dir))?;
    let path = crate::paths::database(cli.db.as_deref())?;
    let mut store =
        Store::open(&path).with_context(|| format!("cannot open the database {}", path.display()))?;
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
        Some(Command::Letter(args)) => letter::letter(&store, &config, &letters, args, today, out),
        Some(Command::Track(args)) => letter::track(&store, &config, args, today, out),
        Some(Command::Notice(args)) => letter::notice(&store, args, out),
        Some(Command::Export(ExportCmd::Dossier(args))) => letter::dossier(&store, &config, args, today, out),
        Some(Command::Config(_)) => Ok(()),
    }
}
