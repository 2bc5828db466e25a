//! Command definitions (clap). The names are a contract: scripts rely on them.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;

use crate::domain::customer::{CustomerKind, Language, Profile};
use crate::domain::dates::parse_date;
use crate::domain::money::{Currency, parse_amount};

mod calls;
pub use calls::*;

#[derive(Debug, Parser)]
#[command(name = "settle", version, about = "Get your invoices paid without losing the customer.")]
pub struct Cli {
    /// The database file (default: settle.db in your data directory).
    #[arg(long, global = true, env = "SETTLE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The configuration file (default: config.toml in your config directory).
    #[arg(long, global = true, env = "SETTLE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Act as if today were this day (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, global = true, value_name = "DATE", value_parser = date_arg)]
    pub today: Option<NaiveDate>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage customers.
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// Manage invoices.
    #[command(subcommand)]
    Invoice(InvoiceCmd),
    /// Record payments.
    #[command(subcommand)]
    Payment(PaymentCmd),
    /// Print reports.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Fill an empty database with a realistic, deterministic sample book.
    Demo(DemoArgs),
    /// Tell about invoices that need attention (desktop notifications), each event once.
    Check(CheckArgs),
    /// Import invoices, e-invoices, bank payments or customers (all or nothing).
    #[command(subcommand)]
    Import(ImportCmd),
    /// Export the book as CSV or JSON, in the columns `settle import` reads back.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Copy the database, consistent even while settle runs (SQLite online backup).
    Backup(BackupArgs),
    /// Phone calls: log a call and what was agreed, print the call script, see what is due.
    #[command(subcommand)]
    Call(CallCmd),
    /// Promises and instalment plans: confirm in writing, the confirmation email.
    #[command(subcommand)]
    Agreement(AgreementCmd),
    /// Print or save the letter for an invoice's current step (or --step).
    Letter(LetterArgs),
    /// Show where an invoice stands on its ladder, and what may be claimed.
    Track(TrackArgs),
    /// Record a ladder step done outside settle (a reminder sent before you used it), with
    /// its real date.
    #[command(subcommand)]
    Step(StepCmd),
    /// Record the day a formal notice sent by registered mail was received.
    Notice(NoticeArgs),
    /// The configuration file.
    #[command(subcommand)]
    Config(ConfigCmd),
}

#[derive(Debug, Args)]
pub struct LetterArgs {
    /// The invoice number.
    pub invoice: String,
    /// nudge, reminder, firm_reminder, formal_notice, call_confirmation, thank_you or
    /// agency_cover (default: the letter of the invoice's current step).
    #[arg(long, value_parser = letter_arg)]
    pub step: Option<crate::letters::LetterKind>,
    /// Write the letter to this file (readable by you only) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Another language than the customer's (en, nl, fr, de).
    #[arg(long, value_parser = enum_arg::<Language>)]
    pub lang: Option<Language>,
    /// Record the letter as sent today (its step, once) after saving it.
    #[arg(long)]
    pub mark_sent: bool,
    /// How it is sent: email or letter (default: letter for a formal notice, else email).
    #[arg(long, value_parser = enum_arg::<crate::domain::event::Channel>)]
    pub channel: Option<crate::domain::event::Channel>,
    /// The registered-mail tracking number of a formal notice.
    #[arg(long)]
    pub tracking: Option<String>,
}

#[derive(Debug, Args)]
pub struct TrackArgs {
    /// The invoice number.
    pub invoice: String,
    /// table (the default) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// The invoice number.
    pub invoice: String,
    /// The day the customer received the registered letter.
    #[arg(long, value_parser = date_arg)]
    pub received: NaiveDate,
}

#[derive(Debug, Args)]
pub struct DossierArgs {
    /// The invoice number.
    pub invoice: String,
    /// The folder to write into (default: dossier-INVOICE).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print where the configuration file is read from.
    Path,
    /// Read the configuration and the letter templates, and say what is wrong, if anything.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum StepCmd {
    /// Record a step as done on its day: `settle step record 2026-041 --step reminder --date 2026-10-15`.
    Record(StepRecord),
}

#[derive(Debug, Args)]
pub struct StepRecord {
    /// The invoice number.
    pub invoice: String,
    /// nudge, reminder, call, firm_reminder, formal_notice or agency.
    #[arg(long, value_parser = enum_arg::<crate::domain::policy::Step>)]
    pub step: crate::domain::policy::Step,
    /// The day it was done (default: today).
    #[arg(long, value_parser = date_arg)]
    pub date: Option<NaiveDate>,
    /// email, letter, phone or in_person (default: phone for a call, letter for a formal
    /// notice or agency, else email).
    #[arg(long, value_parser = enum_arg::<crate::domain::event::Channel>)]
    pub channel: Option<crate::domain::event::Channel>,
    /// The registered-mail tracking number of a formal notice.
    #[arg(long)]
    pub tracking: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Add a customer.
    Add(CustomerAdd),
    /// List customers.
    List,
}

#[derive(Debug, Args)]
pub struct CustomerAdd {
    pub name: String,
    /// The person you talk to.
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub vat: Option<String>,
    #[arg(long, default_value = "en", value_parser = enum_arg::<Language>)]
    pub lang: Language,
    #[arg(long, default_value = "standard", value_parser = enum_arg::<Profile>)]
    pub profile: Profile,
    #[arg(long, default_value = "business", value_parser = enum_arg::<CustomerKind>)]
    pub kind: CustomerKind,
    /// Default payment term in days.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=365))]
    pub terms: u32,
}

#[derive(Debug, Subcommand)]
pub enum InvoiceCmd {
    /// Add an invoice.
    Add(InvoiceAdd),
    /// List open invoices.
    List,
}

#[derive(Debug, Args)]
pub struct InvoiceAdd {
    pub number: String,
    /// The customer's name (as added with `settle customer add`).
    #[arg(long)]
    pub customer: String,
    #[arg(long, value_parser = date_arg)]
    pub issued: NaiveDate,
    /// Due date (default: issued + the customer's payment terms).
    #[arg(long, value_parser = date_arg)]
    pub due: Option<NaiveDate>,
    #[arg(long, value_parser = amount_arg, allow_hyphen_values = true)]
    pub amount: Decimal,
    #[arg(long, value_parser = currency_arg)]
    pub currency: Option<Currency>,
    /// Structured reference (OGM), e.g. +++123/4567/89002+++.
    #[arg(long = "ref")]
    pub reference: Option<String>,
    #[arg(long, default_value = "")]
    pub description: String,
}

#[derive(Debug, Subcommand)]
pub enum PaymentCmd {
    /// Record a payment on an invoice.
    Add(PaymentAdd),
}

#[derive(Debug, Args)]
pub struct PaymentAdd {
    /// The invoice number.
    pub number: String,
    #[arg(long, value_parser = amount_arg, allow_hyphen_values = true)]
    pub amount: Decimal,
    #[arg(long, value_parser = date_arg)]
    pub date: NaiveDate,
    /// How it was paid (transfer, cash, card…).
    #[arg(long)]
    pub method: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Aged receivables per customer: not due, 1-30, 31-60, 61-90, 90+ days.
    Aging(AgingArgs),
    /// Expected cash-in per week (or month) from agreements and each customer's habits.
    Forecast(ForecastArgs),
    /// How customers pay: days late, share on time, promises kept and broken.
    Behaviour(BehaviourArgs),
    /// The Today agenda: invoices newly late, promises and call-backs, steps due, nudges.
    Agenda(AgendaArgs),
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// The day to list for (default: today).
    #[arg(long, value_parser = date_arg)]
    pub as_of: Option<NaiveDate>,
    /// "Passed due since" this day (default: the day before).
    #[arg(long, value_parser = date_arg)]
    pub since: Option<NaiveDate>,
    /// table (the default) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AgingArgs {
    /// The day to age as of (default: today).
    #[arg(long, value_parser = date_arg)]
    pub as_of: Option<NaiveDate>,
    /// Only this currency (default: every currency with something open, the book's first).
    #[arg(long, value_parser = currency_arg)]
    pub currency: Option<Currency>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many customers (1 to 100,000).
    #[arg(long, default_value_t = 40, value_parser = demo_customers)]
    pub customers: usize,
    /// How many invoices (0 to 10,000,000).
    #[arg(long, default_value_t = 400, value_parser = demo_invoices)]
    pub invoices: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only print the new alerts; never show desktop notifications.
    #[arg(long)]
    pub no_notify: bool,
    /// Print nothing, except alerts that could not be shown on the desktop.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write a systemd user timer that runs `settle check` every 30 minutes and at login.
    #[arg(long, conflicts_with = "print_cron")]
    pub install_timer: bool,
    /// Print a crontab line that runs `settle check` every 30 minutes.
    #[arg(long)]
    pub print_cron: bool,
}

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).map_err(|e| e.to_string())
}

fn demo_customers(s: &str) -> Result<usize, String> {
    demo_count(s, 1, crate::demo::MAX_CUSTOMERS, "customers")
}

fn demo_invoices(s: &str) -> Result<usize, String> {
    demo_count(s, 0, crate::demo::MAX_INVOICES, "invoices")
}

fn demo_count(s: &str, min: usize, max: usize, what: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("a demo book has from {min} to {max} {what}, not {s}")),
    }
}

fn letter_arg(s: &str) -> Result<crate::letters::LetterKind, String> {
    crate::letters::LetterKind::parse(s).map_err(|e| e.to_string())
}

fn amount_arg(s: &str) -> Result<Decimal, String> {
    parse_amount(s).map_err(|e| e.to_string())
}

fn currency_arg(s: &str) -> Result<Currency, String> {
    s.parse().map_err(|e: crate::domain::money::MoneyError| e.to_string())
}

fn enum_arg<T>(s: &str) -> Result<T, String>
where
    T: std::str::FromStr<Err = crate::domain::UnknownName>,
{
    s.parse().map_err(|e: crate::domain::UnknownName| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Invoices from a CSV file (or settle's JSON export); headers in English, Dutch or French.
    Csv(ImportTable),
    /// Peppol BIS Billing 3.0 (UBL 2.1) Invoice and CreditNote files, or a folder of them.
    Ubl(ImportUbl),
    /// A bank statement (CSV): payments matched by structured reference or invoice number.
    Payments(ImportPayments),
    /// Customers from a CSV file (or settle's JSON export).
    Customers(ImportTable),
}

#[derive(Debug, Args)]
pub struct ImportTable {
    pub file: PathBuf,
    /// Read a field from a column the headers do not name, e.g. --map amount=Totaal (or a
    /// column number, --map amount=5). Repeat for more fields.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// Check everything and print what would change, without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// Change rows already in the book whose fields differ, instead of refusing them.
    #[arg(long)]
    pub update: bool,
}

#[derive(Debug, Args)]
pub struct ImportUbl {
    /// An XML file, or a folder whose .xml files are all imported together.
    pub path: PathBuf,
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub update: bool,
}

#[derive(Debug, Args)]
pub struct ImportPayments {
    pub file: PathBuf,
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Comma-separated values with a header line.
    Csv(ExportArgs),
    /// A JSON array of objects.
    Json(ExportArgs),
    /// Everything a collection agency asks for, as dossier.json and dossier.md.
    Dossier(DossierArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = crate::export::What::Invoices)]
    pub what: crate::export::What,
    /// Write to this file (created readable by you only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new file, or a folder). Default: the backups folder beside
    /// the database, keeping the last 10.
    pub path: Option<PathBuf>,
}
