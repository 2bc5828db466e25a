//! Command definitions for phone calls, agreements, the forecast and customer behaviour.
//! Dates and amounts of `call log` stay text here: the call form parses them, so the command
//! line and the app accept and refuse exactly the same input.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::{Format, currency_arg, date_arg, enum_arg};
use crate::domain::call::CallOutcome;
use crate::domain::money::Currency;
use crate::domain::policy::Step;

#[derive(Debug, Subcommand)]
pub enum CallCmd {
    /// Log a phone call about an invoice, with what was agreed.
    Log(Box<CallLog>),
    /// Print the call script for an invoice, in the customer's language.
    Script(CallScript),
    /// An invoice's calls and agreements.
    List(CallList),
    /// Promises and instalments due or broken, claimed payments to check, call-backs due.
    Agenda(CallAgenda),
    /// Correct a call: its day, who was reached, its note, its call-back date, its outcome.
    Edit(CallEdit),
    /// Delete a call logged by mistake, with the agreement it made.
    Delete(super::Delete),
}

#[derive(Debug, Args)]
pub struct CallEdit {
    /// The call's id (see `settle call list INVOICE`).
    pub id: i64,
    /// The day of the call.
    #[arg(long, value_parser = date_arg)]
    pub date: Option<NaiveDate>,
    /// Who was spoken to (an empty value clears it).
    #[arg(long)]
    pub with: Option<String>,
    /// What was said.
    #[arg(long)]
    pub note: Option<String>,
    /// The call-back date (an empty value clears it).
    #[arg(long)]
    pub callback: Option<String>,
    /// The outcome, between callback, no_answer, refused and already_paid (a promise, plan
    /// or dispute is deleted and logged again).
    #[arg(long, value_parser = enum_arg::<CallOutcome>)]
    pub outcome: Option<CallOutcome>,
}

/// `settle note …`: relationship notes on customers.
#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Add a note on a customer (about one of its invoices with --invoice).
    Add(NoteAdd),
    /// List the notes (of one customer), newest first, with their ids.
    List(NoteList),
    /// Change a note's text.
    Edit(NoteEdit),
    /// Delete a note written by mistake.
    Delete(super::Delete),
}

#[derive(Debug, Args)]
pub struct NoteAdd {
    /// The customer's name.
    pub customer: String,
    /// The note.
    pub text: String,
    /// The invoice it is about.
    #[arg(long, value_name = "NUMBER")]
    pub invoice: Option<String>,
    /// The day it was written (default: today).
    #[arg(long, value_parser = date_arg)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct NoteList {
    /// Only this customer's notes.
    pub customer: Option<String>,
}

#[derive(Debug, Args)]
pub struct NoteEdit {
    /// The note's id (see `settle note list`).
    pub id: i64,
    /// The new text.
    #[arg(long)]
    pub text: String,
}

#[derive(Debug, Args)]
pub struct CallLog {
    /// The invoice number.
    pub invoice: String,
    /// What the call came to.
    #[arg(long, value_parser = enum_arg::<CallOutcome>)]
    pub outcome: CallOutcome,
    /// Someone was reached (the default for every outcome but no_answer).
    #[arg(long, conflicts_with = "not_reached")]
    pub reached: bool,
    /// Nobody was reached (the default for no_answer).
    #[arg(long)]
    pub not_reached: bool,
    /// The person spoken to (default: the customer's contact).
    #[arg(long, value_name = "NAME")]
    pub with: Option<String>,
    /// promise: the day they will pay (2026-12-05, 05/12/2026, +7, fri, eom).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub promise_date: Option<String>,
    /// promise: the amount; plan: the total (default: the open amount).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// plan: the number of instalments (default 3).
    #[arg(long, value_name = "N")]
    pub plan: Option<String>,
    /// plan: days between instalments (default 30).
    #[arg(long, value_name = "DAYS")]
    pub every: Option<String>,
    /// plan: the first instalment's date (default: today + the interval).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub first: Option<String>,
    /// plan: explicit instalment dates instead of --plan/--every ("+7,2026-12-31,eom").
    #[arg(long, value_name = "DATES", allow_hyphen_values = true)]
    pub dates: Option<String>,
    /// The next contact: the call-back date, the check date of a claimed payment, the next
    /// talk about a dispute.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub callback: Option<String>,
    /// already_paid: the day they say they paid.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub paid_on: Option<String>,
    /// already_paid: the payment reference they gave.
    #[arg(long, value_name = "REF", allow_hyphen_values = true)]
    pub paid_ref: Option<String>,
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct CallScript {
    /// The invoice number.
    pub invoice: String,
    /// The ladder step to script (default: where the invoice stands).
    #[arg(long, value_parser = enum_arg::<Step>)]
    pub step: Option<Step>,
}

#[derive(Debug, Args)]
pub struct CallList {
    /// The invoice number.
    pub invoice: String,
    /// Days after an agreed date before it counts as broken (default: the config's
    /// `[agreements] grace_days`, 2).
    #[arg(long)]
    pub grace: Option<u32>,
}

#[derive(Debug, Args)]
pub struct CallAgenda {
    /// The day to look at (default: today).
    #[arg(long, value_parser = date_arg)]
    pub as_of: Option<NaiveDate>,
    /// Days after an agreed date before it counts as broken (default: the config's
    /// `[agreements] grace_days`, 2).
    #[arg(long)]
    pub grace: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum AgreementCmd {
    /// Record that the customer confirmed an agreement in writing.
    Confirm(AgreementConfirm),
    /// Print (or save) the email confirming an agreement, in the customer's language.
    Email(AgreementEmail),
    /// Correct a promise's amount or date, or a plan's total or dates.
    Edit(AgreementEdit),
    /// Delete a promise or plan recorded by mistake (the ladder's pause ends with it).
    Delete(super::Delete),
}

#[derive(Debug, Args)]
pub struct AgreementEdit {
    /// The agreement's id (see `settle call list INVOICE`).
    pub id: i64,
    /// A promise's amount, or a plan's total (split evenly again).
    #[arg(long, value_parser = super::amount_arg, allow_hyphen_values = true)]
    pub amount: Option<rust_decimal::Decimal>,
    /// A promise's date.
    #[arg(long, value_parser = date_arg, conflicts_with = "dates")]
    pub date: Option<NaiveDate>,
    /// A plan's dates, "2026-12-01,2027-01-01,2027-02-01" (as `call log --dates`).
    #[arg(long)]
    pub dates: Option<String>,
}

#[derive(Debug, Args)]
pub struct AgreementConfirm {
    /// The agreement number (shown by `settle call log` and `settle call list`).
    pub id: i64,
    /// The day they confirmed (default: today).
    #[arg(long, value_parser = date_arg)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct AgreementEmail {
    pub id: i64,
    /// Your name, to sign the email.
    #[arg(long, value_name = "NAME", default_value = "")]
    pub from: String,
    /// Write the email to this file (readable by you only) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Send it to the customer's email over [smtp] (with its PDF, and the invoice's), and
    /// keep it on the timeline with its Message-ID once the server accepted it.
    #[arg(long, conflicts_with_all = ["out", "eml", "mailto"])]
    pub send: bool,
    /// Write it as an email (RFC 5322, readable by you only) to FILE, without sending it.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["out", "mailto"])]
    pub eml: Option<PathBuf>,
    /// Print a mailto: URL with the subject and body (opened in your mail client when run in
    /// a terminal with xdg-open).
    #[arg(long, conflicts_with = "out")]
    pub mailto: bool,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Weeks to forecast (default 8).
    #[arg(long, conflicts_with = "months")]
    pub weeks: Option<usize>,
    /// Forecast per month instead, over this many months.
    #[arg(long)]
    pub months: Option<usize>,
    #[arg(long, value_parser = currency_arg)]
    pub currency: Option<Currency>,
    /// Days after an agreed date before it counts as broken (default: the config's
    /// `[agreements] grace_days`, 2).
    #[arg(long)]
    pub grace: Option<u32>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BehaviourArgs {
    /// One customer (default: every customer with a paid invoice or an agreement).
    pub customer: Option<String>,
    /// Days after an agreed date before it counts as broken (default: the config's
    /// `[agreements] grace_days`, 2).
    #[arg(long)]
    pub grace: Option<u32>,
}
