//! The validated rows every format is parsed into, before anything touches the store.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{At, Problem};
use crate::domain::customer::{CustomerKind, Language, Profile};
use crate::domain::invoice::PaymentKind;
use crate::domain::money::Currency;
use crate::domain::reference::PayRef;

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
    /// The postal address, one line per line of the envelope.
    pub address: Option<String>,
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
    pub reference: Option<PayRef>,
    /// The invoice's own PDF as the e-invoice embeds it, decoded and checked.
    pub pdf: Option<Vec<u8>>,
    /// What the file holds but the import leaves out, said without refusing the file (an
    /// embedded PDF that is not one).
    pub warnings: Vec<Problem>,
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

/// The kind of file a bank line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementFormat {
    Csv,
    Camt053,
    Coda,
    Mt940,
}

impl StatementFormat {
    pub fn as_str(&self) -> &'static str {
        match self {
            StatementFormat::Csv => "csv",
            StatementFormat::Camt053 => "camt053",
            StatementFormat::Coda => "coda",
            StatementFormat::Mt940 => "mt940",
        }
    }

    /// As said to the user.
    pub fn label(&self) -> &'static str {
        match self {
            StatementFormat::Csv => "CSV",
            StatementFormat::Camt053 => "CAMT.053",
            StatementFormat::Coda => "CODA",
            StatementFormat::Mt940 => "MT940",
        }
    }
}

/// One line of a bank statement (or of settle's own payments export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankLine {
    pub origin: Origin,
    pub format: StatementFormat,
    /// The statement's own account (an IBAN, upper case without spaces); empty when the
    /// file does not say.
    pub account: String,
    /// The booking date.
    pub date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Positive for money in, negative for money out.
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub counterparty: String,
    /// The counterparty's account (an IBAN, upper case without spaces).
    pub counterparty_iban: Option<String>,
    pub communication: String,
    /// A structured reference the bank gives in a field of its own (CODA type 101, CAMT.053
    /// `CdtrRefInf/Ref`, an MT940 `/REMI/` structured reference), as written.
    pub structured: Option<String>,
    /// The bank's own reference of the entry, where the format has one (a CSV line: its
    /// date, amount, counterparty and communication, which older settles kept).
    pub entry_ref: Option<String>,
    /// This line's rank among the statement's lines of the same account, date and amount
    /// (1 for the first): with them, what makes it the same line in another file.
    pub seq: u32,
    /// An explicit invoice number (settle's payments export names it).
    pub invoice: Option<String>,
    pub kind: PaymentKind,
    pub method: Option<String>,
    pub note: String,
}

impl BankLine {
    /// A line with only what every format has; the rest empty.
    pub fn new(origin: Origin, format: StatementFormat, date: NaiveDate, amount: Decimal) -> BankLine {
        BankLine {
            origin,
            format,
            account: String::new(),
            date,
            value_date: None,
            amount,
            currency: None,
            counterparty: String::new(),
            counterparty_iban: None,
            communication: String::new(),
            structured: None,
            entry_ref: None,
            seq: 0,
            invoice: None,
            kind: PaymentKind::Payment,
            method: None,
            note: String::new(),
        }
    }
}

/// Numbers the lines of a statement with the same account, date and amount 1, 2, 3…
pub fn number_lines(lines: &mut [BankLine]) {
    let mut ranks = super::bank::Occurrences::new(None);
    for l in lines {
        l.seq = ranks.next(super::bank::rank_key(l));
    }
}

/// An IBAN or account number as kept: upper case, letters and digits only.
pub fn compact_account(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
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
