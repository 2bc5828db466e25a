//! The validated rows every format is parsed into, before anything touches the store.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{At, Problem};
use crate::domain::customer::{CustomerKind, Language, Profile};
use crate::domain::invoice::PaymentKind;
use crate::domain::money::Currency;
use crate::domain::ogm::Ogm;

/// Where a record came from, for messages about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<str>,
    pub at: At,
}

impl Origin {
    pub fn problem(&self, message: impl Into<String>) -> Problem {
        Problem::new(&self.file, self.at, message)
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            At::File => write!(f, "{}", self.file),
            At::Line(n) => write!(f, "{}:{n}", self.file),
            At::Record(n) => write!(f, "{} record {n}", self.file),
        }
    }
}

/// Who an invoice is for: matched by VAT number (or electronic address), then by name;
/// created when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerRef {
    pub name: String,
    pub vat: Option<String>,
    /// A Peppol electronic address (for Belgian schemes, the company number).
    pub endpoint: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl CustomerRef {
    pub fn named(name: impl Into<String>) -> CustomerRef {
        CustomerRef { name: name.into(), ..CustomerRef::default() }
    }
}

/// When an invoice falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(NaiveDate),
    /// So many days after the issue date (payment terms in an e-invoice).
    DaysAfterIssue(u32),
    /// The customer's usual payment terms (no due date given).
    CustomerTerms,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    pub origin: Origin,
    pub number: String,
    pub customer: CustomerRef,
    pub issued: NaiveDate,
    pub due: Due,
    pub amount: Decimal,
    /// `None`: the book's currency.
    pub currency: Option<Currency>,
    /// `None`: not given (an update leaves it as it is).
    pub description: Option<String>,
    pub reference: Option<Ogm>,
}

/// A credit note: it reduces the invoice it names, or else the customer's oldest open ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditRecord {
    pub origin: Origin,
    pub number: String,
    pub customer: CustomerRef,
    pub issued: NaiveDate,
    pub amount: Decimal,
    pub currency: Currency,
    pub invoice: Option<String>,
}

/// One line of a bank statement (or of settle's own payments export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankLine {
    pub origin: Origin,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub counterparty: String,
    pub communication: String,
    pub currency: Option<Currency>,
    /// An explicit invoice number (settle's payments export names it).
    pub invoice: Option<String>,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
    /// What makes this line the same line when the statement is imported again.
    pub identity: String,
}

/// A customer row; `None` fields were not in the file (an update keeps them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerRecord {
    pub origin: Option<Origin>,
    pub name: String,
    pub contact: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub vat: Option<Option<String>>,
    pub language: Option<Language>,
    pub profile: Option<Profile>,
    pub kind: Option<CustomerKind>,
    pub terms_days: Option<u32>,
    /// Hidden from lists and Today (the export's `archived` column).
    pub archived: Option<bool>,
    /// The postal address (several lines).
    pub address: Option<Option<String>>,
}

/// What a parser found: the records, and the columns it did not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub records: Vec<T>,
    pub ignored_columns: Vec<String>,
}
