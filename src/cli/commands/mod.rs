//! One module per top-level verb (`settle VERB`); each takes the opened store and today's date.

mod agreement;
mod backup;
mod call;
mod check;
mod claim;
mod config;
mod customer;
mod demo;
mod export;
mod import;
mod invoice;
mod letter;
mod log;
mod note;
mod notice;
mod payment;
mod report;
mod step;
mod track;
mod undo;

use std::io::{BufWriter, StdoutLock};

use anyhow::Result;
use chrono::NaiveDate;

use crate::cli::output::Sanitised;
use crate::cli::{AgreementCmd, CallCmd, NoteCmd, StepCmd};
use crate::cli::{Cli, Command, CustomerCmd, ExportCmd, ImportCmd, InvoiceCmd, PaymentCmd, ReportCmd};
use crate::store::{Store, StoreError};

/// Runs the parsed command line. `today` is the real date unless `--today` overrides it.
/// Everything a command prints goes through the output wall ([`Sanitised`]) into one buffer
/// (standard output is line-buffered: an agenda of a hundred thousand lines would be as many
/// system calls), flushed before the command's result is returned, so what it printed comes
/// before the error message, if any.
pub fn run(cli: Cli, today: NaiveDate) -> Result<()> {
    let mut out = Sanitised::new(BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()));
    let result = run_with(cli, today, &mut out);
    let finished = out.finish();
    result?;
    Ok(finished?)
}

fn run_with(cli: Cli, today: NaiveDate, out: &mut Sanitised<BufWriter<StdoutLock<'static>>>) -> Result<()> {
    if let Some(Command::Config(cmd)) = &cli.command {
        return config::run(cmd, cli.config.as_deref(), out);
    }
    // A bad config file or letter template stops everything before it runs.
    let config = crate::config::Config::load(cli.config.as_deref())?;
    let letters = crate::letters::Letters::load(Some(&config.letters_dir))?;
    let path = crate::platform::paths::database(cli.db.as_deref())?;
    if let Some(Command::Check(a)) = &cli.command
        && (a.install_timer || a.print_cron)
    {
        return check::schedule(a, &path, cli.config.as_deref(), out);
    }
    if cli.command.as_ref().is_some_and(Command::only_reads) && matches!(path.try_exists(), Ok(false)) {
        anyhow::bail!(
            "there is no book at {}: nothing to read, and nothing was created (is the path right? \
             without --db, settle reads its default book)",
            path.display()
        );
    }
    let mut store = open_store(&path)?;
    store.set_origin("cli", &describe(std::env::args().skip(1)));
    let config_path = cli.config.as_deref();
    match cli.command {
        None => {
            let scripts = call::script_library(config_path)?;
            let database = Some(path.clone());
            crate::tui::run(store, today, crate::app::Resources { config, letters, scripts, database })
        }
        Some(Command::Customer(CustomerCmd::Add(args))) => customer::add(&store, args, out),
        Some(Command::Customer(CustomerCmd::List(args))) => customer::list(&store, &args, out),
        Some(Command::Customer(CustomerCmd::Edit(args))) => customer::edit(&store, args, out),
        Some(Command::Customer(CustomerCmd::Delete(args))) => customer::delete(&store, &args, out),
        Some(Command::Customer(CustomerCmd::Archive(args))) => customer::archive(&store, &args, true, out),
        Some(Command::Customer(CustomerCmd::Unarchive(args))) => customer::archive(&store, &args, false, out),
        Some(Command::Invoice(InvoiceCmd::Add(args))) => invoice::add(&store, args, out),
        Some(Command::Invoice(InvoiceCmd::List(args))) => invoice::list(&store, &args, today, out),
        Some(Command::Invoice(InvoiceCmd::Edit(args))) => invoice::edit(&store, args, out),
        Some(Command::Invoice(InvoiceCmd::Delete(args))) => invoice::delete(&store, &args, out),
        Some(Command::Invoice(InvoiceCmd::WriteOff(args))) => {
            invoice::reduce(&store, args, crate::domain::invoice::PaymentKind::WriteOff, today, out)
        }
        Some(Command::Invoice(InvoiceCmd::Credit(args))) => {
            invoice::reduce(&store, args, crate::domain::invoice::PaymentKind::Credit, today, out)
        }
        Some(Command::Payment(PaymentCmd::Add(args))) => payment::add(&store, &config, args, today, out),
        Some(Command::Payment(PaymentCmd::List(args))) => payment::list(&store, &args, out),
        Some(Command::Payment(PaymentCmd::Edit(args))) => payment::edit(&store, args, today, out),
        Some(Command::Payment(PaymentCmd::Delete(args))) => payment::delete(&store, &args, out),
        Some(Command::Report(ReportCmd::Aging(args))) => report::aging(&store, args, today, out),
        Some(Command::Report(ReportCmd::Agenda(args))) => report::agenda(&store, &config, args, today, out),
        Some(Command::Demo(args)) => demo::run(&mut store, args, today, out),
        Some(Command::Check(args)) => check::run(&store, &config, &args, today, out),
        Some(Command::Import(ImportCmd::Csv(args))) => import::csv(&mut store, args, out),
        Some(Command::Import(ImportCmd::Ubl(args))) => import::ubl(&mut store, args, out),
        Some(Command::Import(ImportCmd::Payments(args))) => {
            import::payments(&mut store, args, &config.path, today, out)
        }
        Some(Command::Import(ImportCmd::Customers(args))) => import::customers(&mut store, args, out),
        Some(Command::Export(ExportCmd::Csv(args))) => export::run(&store, args, export::Format::Csv, out),
        Some(Command::Export(ExportCmd::Json(args))) => export::run(&store, args, export::Format::Json, out),
        Some(Command::Backup(args)) => backup::run(&mut store, args, out),
        Some(Command::Call(CallCmd::Log(args))) => call::log(&store, args, today, out),
        Some(Command::Step(StepCmd::Record(args))) => step::record(&store, &config, args, today, out),
        Some(Command::Step(StepCmd::Delete(args))) => step::delete(&store, &args, out),
        Some(Command::Call(CallCmd::Script(args))) => {
            call::script(&store, &config, args, config_path, today, out)
        }
        Some(Command::Call(CallCmd::List(args))) => {
            call::list(&store, args, config.agreements.grace_days, today, out)
        }
        Some(Command::Call(CallCmd::Agenda(args))) => {
            call::agenda(&store, args, config.agreements.grace_days, today, out)
        }
        Some(Command::Call(CallCmd::Edit(args))) => call::edit(&store, args, today, out),
        Some(Command::Call(CallCmd::Delete(args))) => call::delete(&store, &args, out),
        Some(Command::Agreement(AgreementCmd::Edit(args))) => agreement::edit(&store, args, today, out),
        Some(Command::Agreement(AgreementCmd::Delete(args))) => agreement::delete(&store, &args, out),
        Some(Command::Note(NoteCmd::Add(args))) => note::add(&store, args, today, out),
        Some(Command::Note(NoteCmd::List(args))) => note::list(&store, &args, out),
        Some(Command::Note(NoteCmd::Edit(args))) => note::edit(&store, args, out),
        Some(Command::Note(NoteCmd::Delete(args))) => note::delete(&store, &args, out),
        Some(Command::Agreement(AgreementCmd::Confirm(args))) => agreement::confirm(&store, args, today, out),
        Some(Command::Agreement(AgreementCmd::Email(args))) => {
            agreement::email(&store, &config, args, config_path, today, out)
        }
        Some(Command::Report(ReportCmd::Forecast(args))) => {
            report::forecast(&store, args, config.agreements.grace_days, today, out)
        }
        Some(Command::Report(ReportCmd::Behaviour(args))) => {
            report::behaviour(&store, args, config.agreements.grace_days, today, out)
        }
        Some(Command::Letter(args)) => letter::letter(&store, &config, &letters, args, today, out),
        Some(Command::Track(args)) => track::track(&store, &config, args, today, out),
        Some(Command::Notice(args)) => notice::notice(&store, args, out),
        Some(Command::Claim(cmd)) => claim::claim(&store, &config, cmd, today, out),
        Some(Command::Export(ExportCmd::Dossier(args))) => export::dossier(&store, &config, args, today, out),
        Some(Command::Config(_)) => Ok(()),
        Some(Command::Undo) => undo::undo(&store, out),
        Some(Command::Log(args)) => log::log(&store, &args, out),
    }
}

/// Asks "question [y/N]" on the terminal before a deletion; without a terminal, `--yes` is
/// the only answer (a script never waits for one).
fn confirm(question: &str, yes: bool) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write as _};
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("{question} Not on a terminal: add --yes to confirm; nothing was changed");
    }
    let mut err = std::io::stderr().lock();
    write!(err, "{} [y/N] ", crate::domain::text::sanitise(question))?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES") {
        Ok(())
    } else {
        anyhow::bail!("not confirmed; nothing was changed")
    }
}

/// The command line as the change log names it: the words after `settle`, without the
/// global options that say which book and which day.
fn describe(args: impl Iterator<Item = String>) -> String {
    let mut words = Vec::new();
    let mut skip_value = false;
    for a in args {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if ["--db", "--config", "--today"].contains(&a.as_str()) {
            skip_value = true;
            continue;
        }
        if ["--db=", "--config=", "--today="].iter().any(|p| a.starts_with(p)) {
            continue;
        }
        words.push(if a.contains(char::is_whitespace) || a.is_empty() { format!("\"{a}\"") } else { a });
    }
    let line = words.join(" ");
    crate::domain::text::sanitise(&line).chars().take(200).collect()
}

/// Opens the database; errors that do not name the file yet get its name.
fn open_store(path: &std::path::Path) -> Result<Store> {
    Store::open(path).map_err(|e| match e {
        StoreError::Foreign { .. }
        | StoreError::NewerSchema { .. }
        | StoreError::Damaged { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::Busy { .. }
        | StoreError::Io { .. } => anyhow::Error::new(e),
        other => anyhow::Error::new(other).context(format!("cannot open the database {}", path.display())),
    })
}
