//! Command definitions (clap). The names are a contract: scripts rely on them.

pub mod commands;
pub mod hint;
pub mod output;

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
    /// Relationship notes on customers: add, list, correct, delete.
    #[command(subcommand)]
    Note(NoteCmd),
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
    /// Interest and costs left once the principal is paid: waive them, or record them paid
    /// (`settle letter INVOICE` writes the letter that claims them).
    #[command(subcommand)]
    Claim(ClaimCmd),
    /// The configuration file.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Undo the last change made through settle (an import as a whole); again to go further back.
    Undo,
    /// List the recent changes, newest first: what `settle undo` would revert next.
    Log(LogArgs),
}

impl Command {
    /// Whether the command only reads the book: on a database file that is not there (a
    /// mistyped `--db`) it is refused, rather than creating an empty book whose report says
    /// nothing is owed.
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            Command::Report(_)
                | Command::Export(_)
                | Command::Track(_)
                | Command::Customer(CustomerCmd::List(_))
                | Command::Invoice(InvoiceCmd::List(_))
                | Command::Payment(PaymentCmd::List(_))
                | Command::Note(NoteCmd::List(_))
                | Command::Call(CallCmd::List(_) | CallCmd::Agenda(_))
        )
    }
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// How many changes to list.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    /// Also print every row each change wrote, before and after.
    #[arg(long)]
    pub rows: bool,
}

#[derive(Debug, Args)]
pub struct LetterArgs {
    /// The invoice number.
    #[arg(required_unless_present = "customer")]
    pub invoice: Option<String>,
    /// One letter for all the customer's invoices at the same letter step today (nudge,
    /// reminder, firm reminder or formal notice), listing them; with --step, those at that step.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["invoice", "out"])]
    pub customer: Option<String>,
    /// nudge, reminder, firm_reminder, formal_notice, call_confirmation, thank_you,
    /// agency_cover or claim (default: the letter of the invoice's current step).
    #[arg(long, value_parser = letter_arg)]
    pub step: Option<crate::letters::LetterKind>,
    /// Write the letter to this file (readable by you only) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the letter as an A4 PDF to this file (readable by you only): your block,
    /// the customer's address for a window envelope, and the EPC payment QR code.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
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
    /// Send the letter to the customer's email over [smtp], then record it as sent (once the
    /// server accepted it).
    #[arg(long, conflicts_with_all = ["mark_sent", "out", "eml", "mailto", "channel", "tracking"])]
    pub send: bool,
    /// Write the letter as an email (RFC 5322, readable by you only) to FILE, without sending it.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["mark_sent", "out", "mailto"])]
    pub eml: Option<PathBuf>,
    /// Print a mailto: URL with the subject and body (opened in your mail client when run
    /// in a terminal with xdg-open).
    #[arg(long, conflicts_with_all = ["mark_sent", "out"])]
    pub mailto: bool,
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
    /// Keep the SMTP password in the system keyring (for `[smtp] password_keyring = true`),
    /// read from standard input: typed unseen on a terminal, or piped (`pass show … | settle
    /// config smtp-password`). Never an argument, never the configuration file.
    SmtpPassword,
}

#[derive(Debug, Subcommand)]
pub enum StepCmd {
    /// Record a step as done on its day: `settle step record 2026-041 --step reminder --date 2026-10-15`.
    Record(StepRecord),
    /// Delete a step recorded by mistake (the latest of that step on the invoice).
    Delete(StepDelete),
}

#[derive(Debug, Args)]
pub struct StepDelete {
    /// The invoice number.
    pub invoice: String,
    /// nudge, reminder, call, firm_reminder, formal_notice or agency.
    #[arg(long, value_parser = enum_arg::<crate::domain::policy::Step>)]
    pub step: crate::domain::policy::Step,
    /// Do not ask for confirmation (needed when not on a terminal).
    #[arg(long, short)]
    pub yes: bool,
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
    /// The reminder was a consumer's free first reminder with every mention the law requires
    /// (creditor's name, address and enterprise number, what was sold, the due date, the exact
    /// charges and the 14-day term): only such a letter starts the consumer's 14 days.
    #[arg(long)]
    pub compliant: bool,
}

#[derive(Debug, Subcommand)]
pub enum ClaimCmd {
    /// Give up the interest and costs of an invoice (recorded; nothing more is claimed).
    Waive(ClaimClose),
    /// Record that the customer paid the interest and costs left after the principal.
    Paid(ClaimClose),
}

#[derive(Debug, Args)]
pub struct ClaimClose {
    /// The invoice number.
    pub invoice: String,
    /// The day (default: today).
    #[arg(long, value_parser = date_arg)]
    pub date: Option<NaiveDate>,
    /// Why, in a few words (kept on the timeline).
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Add a customer.
    Add(CustomerAdd),
    /// List customers (archived ones with --all).
    List(CustomerList),
    /// Change a customer's fields: `settle customer edit Acme --email billing@acme.be`.
    Edit(CustomerEdit),
    /// Delete a customer added by mistake (refused while it has invoices: archive it instead).
    Delete(Delete),
    /// Hide a customer from lists and Today (its history stays).
    Archive(Named),
    /// Show an archived customer again.
    Unarchive(Named),
}

#[derive(Debug, Args)]
pub struct CustomerList {
    /// Also list archived customers.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct Named {
    pub name: String,
}

/// What to delete, and whether to ask first.
#[derive(Debug, Args)]
pub struct Delete {
    /// The name, number or id (see the list command).
    pub what: String,
    /// Do not ask for confirmation (needed when not on a terminal).
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct CustomerEdit {
    /// The customer's current name.
    pub name: String,
    /// A new name.
    #[arg(long = "name", value_name = "NAME")]
    pub new_name: Option<String>,
    /// The person you talk to (an empty value clears it).
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub vat: Option<String>,
    #[arg(long, value_parser = enum_arg::<Language>)]
    pub lang: Option<Language>,
    #[arg(long, value_parser = enum_arg::<Profile>)]
    pub profile: Option<Profile>,
    #[arg(long, value_parser = enum_arg::<CustomerKind>)]
    pub kind: Option<CustomerKind>,
    /// Default payment term in days.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=365))]
    pub terms: Option<u32>,
    /// The postal address; lines separated by new lines or by " | " (an empty value clears it).
    #[arg(long)]
    pub address: Option<String>,
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
    /// The postal address; lines separated by new lines or by " | ".
    #[arg(long)]
    pub address: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum InvoiceCmd {
    /// Add an invoice.
    Add(InvoiceAdd),
    /// List invoices: open ones (the default), paid ones or all.
    List(InvoiceList),
    /// Change an invoice's fields: `settle invoice edit 2026-041 --amount 1200`.
    Edit(InvoiceEdit),
    /// Delete an invoice added by mistake, with its history (refused while it has payments
    /// unless --with-payments).
    Delete(InvoiceDelete),
    /// Write off part or all of what is open, with a reason.
    WriteOff(Reduce),
    /// Credit part or all of what is open (a discount, a credit note), with a reason.
    Credit(Reduce),
}

#[derive(Debug, Args)]
pub struct InvoiceList {
    /// Only this customer's invoices.
    #[arg(long)]
    pub customer: Option<String>,
    /// Open invoices (the default).
    #[arg(long, conflicts_with_all = ["paid", "all"])]
    pub open: bool,
    /// Settled invoices (paid, credited or written off).
    #[arg(long, conflicts_with = "all")]
    pub paid: bool,
    /// Every invoice.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct InvoiceEdit {
    /// The invoice's current number.
    pub number: String,
    /// A new number.
    #[arg(long = "number", value_name = "NUMBER")]
    pub new_number: Option<String>,
    /// Move it to another customer.
    #[arg(long)]
    pub customer: Option<String>,
    #[arg(long, value_parser = date_arg)]
    pub issued: Option<NaiveDate>,
    #[arg(long, value_parser = date_arg)]
    pub due: Option<NaiveDate>,
    #[arg(long, value_parser = amount_arg, allow_hyphen_values = true)]
    pub amount: Option<Decimal>,
    #[arg(long, value_parser = currency_arg)]
    pub currency: Option<Currency>,
    /// Structured reference (OGM); an empty value clears it.
    #[arg(long = "ref")]
    pub reference: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// The invoice's own PDF, attached to every email about it; an empty value forgets it.
    #[arg(long)]
    pub pdf: Option<String>,
}

#[derive(Debug, Args)]
pub struct InvoiceDelete {
    #[command(flatten)]
    pub delete: Delete,
    /// Also delete its payments, credits and write-offs.
    #[arg(long)]
    pub with_payments: bool,
}

#[derive(Debug, Args)]
pub struct Reduce {
    /// The invoice number.
    pub number: String,
    /// How much (default: all that is open).
    #[arg(long, value_parser = amount_arg, allow_hyphen_values = true)]
    pub amount: Option<Decimal>,
    /// Why: "resolved with a 10 % discount", "customer bankrupt"…
    #[arg(long)]
    pub reason: String,
    /// The day (default: today).
    #[arg(long, value_parser = date_arg)]
    pub date: Option<NaiveDate>,
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
    /// The invoice's own PDF (at most 20 MiB), attached to every email about it.
    #[arg(long)]
    pub pdf: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PaymentCmd {
    /// Record a payment on an invoice.
    Add(PaymentAdd),
    /// List payments, credits and write-offs with their ids, of one invoice or all.
    List(PaymentList),
    /// Change a payment's amount, date or method.
    Edit(PaymentEdit),
    /// Delete a payment recorded by mistake (its id from `settle payment list`).
    Delete(Delete),
}

#[derive(Debug, Args)]
pub struct PaymentList {
    /// The invoice number (default: every invoice).
    pub invoice: Option<String>,
    /// table (the default) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct PaymentEdit {
    /// The payment's id (see `settle payment list`).
    pub id: i64,
    #[arg(long, value_parser = amount_arg, allow_hyphen_values = true)]
    pub amount: Option<Decimal>,
    #[arg(long, value_parser = date_arg)]
    pub date: Option<NaiveDate>,
    /// How it was paid (an empty value clears it).
    #[arg(long)]
    pub method: Option<String>,
    /// Move it to this invoice (it was recorded on the wrong one).
    #[arg(long, value_name = "NUMBER")]
    pub invoice: Option<String>,
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
    /// A busy book: late payers and every unpaid invoice walked up the ladder, so every kind
    /// of step, letter and claim is due (for tests and benchmarks; the default is an ordinary
    /// freelancer's book)
    #[arg(long)]
    pub busy: bool,
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
    demo_count(s, 1, crate::service::demo::MAX_CUSTOMERS, "customers")
}

fn demo_invoices(s: &str) -> Result<usize, String> {
    demo_count(s, 0, crate::service::demo::MAX_INVOICES, "invoices")
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

pub(crate) fn amount_arg(s: &str) -> Result<Decimal, String> {
    parse_amount(s).map_err(|e| e.to_string())
}

fn currency_arg(s: &str) -> Result<Currency, String> {
    s.parse().map_err(|e: crate::domain::money::MoneyError| e.to_string())
}

/// What to export, the names listed in `--help` from the library's own list.
fn what_arg() -> impl clap::builder::TypedValueParser<Value = crate::export::What> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(crate::export::What::ALL.iter().map(|w| w.as_str()))
        .try_map(|s| s.parse::<crate::export::What>())
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
    /// The statement as the bank gives it: CAMT.053 (XML, or a ZIP of them), CODA, MT940 or
    /// a CSV export; the format is found from the content.
    pub file: PathBuf,
    /// For a CSV export: read a field from a column, e.g. --map value_date=Valuta.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    #[arg(long)]
    pub dry_run: bool,
    /// For a CSV export: read it by a saved or shipped profile (kbc, bnp-fortis, ing-nl,
    /// rabobank). A file with a profile's headers is read by it without this option.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Save the --map choices (and this file's headers) as a profile, in profiles.toml
    /// beside config.toml: the next export with the same headers needs no option.
    #[arg(long, value_name = "NAME")]
    pub save_profile: Option<String>,
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
    #[arg(long, default_value = "invoices", value_parser = what_arg())]
    pub what: crate::export::What,
    /// Write to this file (created readable by you only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new file, or a folder). Default: the backups folder beside
    /// the database, keeping the last 10.
    #[arg(conflicts_with = "restore")]
    pub path: Option<PathBuf>,
    /// Replace the book with this backup (checked first; the current book is backed up
    /// before it is replaced).
    #[arg(long, value_name = "FILE")]
    pub restore: Option<PathBuf>,
    /// Do not ask for confirmation before restoring (needed when not on a terminal).
    #[arg(long, short, requires = "restore")]
    pub yes: bool,
}
