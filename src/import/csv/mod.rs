//! CSV (or settle's JSON export) invoices: one invoice per row, headers in English, Dutch or
//! French. Every cell of every row is checked and every problem reported at once.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::{CustomerRef, Due, InvoiceRecord, Origin, Parsed};
use super::table::{self, Columns, FieldSpec, Table, TableRow};
use super::{At, ImportError, Problem};
use crate::domain::dates::{DateError, parse_date};
use crate::domain::limits;
use crate::domain::money::{Currency, MAX_AMOUNT, MoneyError, parse_amount};
use crate::domain::ogm::OgmError;
use crate::domain::reference::{PayRef, RefError, RfError};
use crate::domain::text::{Lines, check_text};

pub const NUMBER: usize = 0;
pub const CUSTOMER: usize = 1;
pub const ISSUED: usize = 2;
pub const DUE: usize = 3;
pub const AMOUNT: usize = 4;
pub const CURRENCY: usize = 5;
pub const REFERENCE: usize = 6;
pub const DESCRIPTION: usize = 7;

/// The columns of an invoice file and the header names (normalised) that mean them.
pub const SPECS: &[FieldSpec] = &[
    FieldSpec {
        name: "number",
        aliases: &[
            "number",
            "invoice",
            "invoicenumber",
            "invoiceno",
            "invoicenr",
            "invoiceid",
            "no",
            "nr",
            "nummer",
            "factuur",
            "factuurnummer",
            "factuurnr",
            "numero",
            "numerofacture",
            "numerodefacture",
            "nfacture",
            "nodefacture",
            "facture",
        ],
        required: true,
        many: false,
    },
    FieldSpec {
        name: "customer",
        aliases: &[
            "customer",
            "customername",
            "client",
            "clientname",
            "klant",
            "klantnaam",
            "naamklant",
            "debtor",
            "debiteur",
            "buyer",
            "koper",
            "acheteur",
            "nomclient",
            "nomduclient",
            "company",
            "bedrijf",
            "societe",
            "raisonsociale",
        ],
        required: true,
        many: false,
    },
    FieldSpec {
        name: "issued",
        aliases: &[
            "issued",
            "date",
            "issuedate",
            "issuedon",
            "invoicedate",
            "datum",
            "factuurdatum",
            "uitgiftedatum",
            "datefacture",
            "datedefacture",
            "dateemission",
            "datedemission",
        ],
        required: true,
        many: false,
    },
    FieldSpec {
        name: "due",
        aliases: &[
            "due",
            "duedate",
            "dueon",
            "vervaldatum",
            "vervaldag",
            "echeance",
            "dateecheance",
            "datedecheance",
            "datelimite",
        ],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "amount",
        aliases: &[
            "amount",
            "total",
            "totalamount",
            "amountdue",
            "bedrag",
            "totaal",
            "totaalbedrag",
            "montant",
            "montanttotal",
            "montantttc",
            "totalttc",
        ],
        required: true,
        many: false,
    },
    FieldSpec {
        name: "currency",
        aliases: &["currency", "cur", "munt", "muntsoort", "valuta", "devise", "monnaie"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "reference",
        aliases: &[
            "reference",
            "structuredreference",
            "ogm",
            "vcs",
            "gestructureerdemededeling",
            "betalingsreferentie",
            "paymentreference",
            "communicationstructuree",
        ],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "description",
        aliases: &[
            "description",
            "omschrijving",
            "beschrijving",
            "libelle",
            "designation",
            "details",
            "memo",
            "subject",
            "onderwerp",
            "objet",
        ],
        required: false,
        many: false,
    },
];

/// Parses an invoice file: every row becomes a record, or every problem is reported.
pub fn parse_invoices(
    file: &str,
    bytes: &[u8],
    map: &[String],
) -> Result<Parsed<InvoiceRecord>, ImportError> {
    let file: Arc<str> = Arc::from(file);
    let table = table::read(&file, bytes, SPECS).map_err(ImportError::new)?;
    let cols = table::resolve(&table, SPECS, map).map_err(ImportError::new)?;
    let mut problems = Vec::new();
    let mut records = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<String, At> = HashMap::with_capacity(table.rows.len());
    for row in &table.rows {
        let cell = Cell { table: &table, cols: &cols, row };
        match invoice_row(&cell, &mut seen) {
            Ok(r) => records.push(r),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(Parsed { records, ignored_columns: cols.ignored })
    } else {
        Err(ImportError::new(problems))
    }
}

/// One row's cells with what it takes to report a problem about one of them.
pub(crate) struct Cell<'a> {
    pub table: &'a Table,
    pub cols: &'a Columns,
    pub row: &'a TableRow,
}

impl Cell<'_> {
    pub fn get(&self, field: usize) -> String {
        self.cols.get(field, self.row).into_owned()
    }

    pub fn opt(&self, field: usize) -> Option<String> {
        Some(self.get(field)).filter(|s| !s.is_empty())
    }

    pub fn problem(&self, field: usize, specs: &[FieldSpec], message: impl Into<String>) -> Problem {
        Problem::new(&self.table.file, self.row.at, message)
            .field(self.cols.header(field, self.table, specs))
            .value(self.get(field))
    }

    pub fn origin(&self) -> Origin {
        Origin { file: self.table.file.clone(), at: self.row.at }
    }
}

fn invoice_row(c: &Cell<'_>, seen: &mut HashMap<String, At>) -> Result<InvoiceRecord, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut check = |field: usize, err: Option<&String>| {
        if let Some(msg) = err {
            problems.push(c.problem(field, SPECS, msg.clone()));
        }
    };
    let number = c.get(NUMBER);
    let too_long = |what: &str, value: &str, max: usize| limits::check_length(what, value, max).err();
    if number.is_empty() {
        check(NUMBER, Some(&"empty: every invoice needs its number".into()));
    } else if let Err(e) = text_value(&number, Lines::One) {
        check(NUMBER, Some(&e));
    } else if let Some(e) = too_long("the invoice number", &number, limits::MAX_IDENTIFIER_CHARS) {
        check(NUMBER, Some(&e));
    } else if let Some(first) = seen.get(&number) {
        check(NUMBER, Some(&format!("the same number is already on {} of this file", first.words())));
    } else {
        seen.insert(number.clone(), c.row.at);
    }
    let customer = c.get(CUSTOMER);
    if customer.is_empty() {
        check(CUSTOMER, Some(&"empty: every invoice needs its customer".into()));
    }
    check(CUSTOMER, text_value(&customer, Lines::One).err().as_ref());
    check(DESCRIPTION, text_value(&c.get(DESCRIPTION), Lines::Many).err().as_ref());
    check(CUSTOMER, too_long("the customer name", &customer, limits::MAX_NAME_CHARS).as_ref());
    let issued = date_value(&c.get(ISSUED));
    check(ISSUED, issued.as_ref().err());
    let due = match c.opt(DUE).map(|d| date_value(&d)) {
        None => Ok(Due::CustomerTerms),
        Some(Err(e)) => Err(e),
        Some(Ok(d)) => match &issued {
            Ok(i) if d < *i => Err(format!("the due date is before the issue date {i}")),
            _ => Ok(Due::On(d)),
        },
    };
    check(DUE, due.as_ref().err());
    let amount = amount_value(&c.get(AMOUNT)).and_then(|a| {
        if a > Decimal::ZERO {
            Ok(a)
        } else {
            Err("an invoice amount must be more than zero (import credit notes as UBL CreditNote files)"
                .into())
        }
    });
    check(AMOUNT, amount.as_ref().err());
    let currency = c.opt(CURRENCY).map(|s| currency_value(&s)).transpose();
    check(CURRENCY, currency.as_ref().err());
    let reference =
        c.opt(REFERENCE).map(|s| text_value(&s, Lines::One).and_then(|()| reference_value(&s))).transpose();
    check(REFERENCE, reference.as_ref().err());
    match (issued, due, amount, currency, reference) {
        (Ok(issued), Ok(due), Ok(amount), Ok(currency), Ok(reference)) if problems.is_empty() => {
            Ok(InvoiceRecord {
                origin: c.origin(),
                number,
                customer: CustomerRef::named(customer),
                issued,
                due,
                amount,
                currency,
                description: c.cols.has(DESCRIPTION).then(|| c.get(DESCRIPTION)),
                reference,
                pdf: None,
                warnings: Vec::new(),
            })
        }
        _ => Err(problems),
    }
}

/// A text cell: refused when it holds a character a terminal would obey (the one rule of
/// [`check_text`]), with a message that does not repeat the value.
pub(crate) fn text_value(s: &str, lines: Lines) -> Result<(), String> {
    check_text("", s, lines).map_err(|e| e.reason())
}

/// A date cell, with a message that does not repeat the value.
pub(crate) fn date_value(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).map_err(|e| match e {
        DateError::Malformed(_) if s.trim().is_empty() => "empty: a date is needed".into(),
        DateError::Malformed(_) => {
            "not a date (write 2026-12-05, 05/12/2026, 05-12-2026 or 05.12.2026)".into()
        }
        DateError::NoSuchDay(_) => "no such day in the calendar".into(),
        DateError::OutOfRange(_) => crate::domain::dates::OUT_OF_RANGE.into(),
    })
}

/// An amount cell, with a message that does not repeat the value.
pub(crate) fn amount_value(s: &str) -> Result<Decimal, String> {
    parse_amount(s).map_err(|e| match e {
        MoneyError::Empty => "empty: an amount is needed".into(),
        MoneyError::Malformed(_, why) => format!("not an amount: {why}"),
        MoneyError::Ambiguous(_) => {
            "ambiguous: is the separator for thousands or decimals? Write 1234.00, 1.234,00 or 1,234.00"
                .into()
        }
        MoneyError::TooPrecise(_) => "more than two decimals".into(),
        MoneyError::TooLarge(_) => format!("too large: the largest amount settle books is {MAX_AMOUNT}"),
        MoneyError::UnknownCurrency(_) | MoneyError::Overflow => e.to_string(),
    })
}

pub(crate) fn currency_value(s: &str) -> Result<Currency, String> {
    s.parse::<Currency>().map_err(|e| e.to_string())
}

pub(crate) fn reference_value(s: &str) -> Result<PayRef, String> {
    s.parse::<PayRef>().map_err(|e| match e {
        RefError::Ogm(OgmError::Shape(_)) => "not a structured reference: it needs 12 digits, like \
                                               +++123/4567/89002+++, or a creditor reference like RF18 5390 0754 7034"
            .into(),
        RefError::Ogm(OgmError::Check(_, expected)) => {
            format!("its check digits are wrong (expected {expected:02})")
        }
        RefError::Ogm(OgmError::TooLarge(_)) => "too large for a structured reference".into(),
        RefError::Rf(RfError::Shape(_)) => {
            "not a creditor reference: RF, two check digits and 1 to 21 letters or digits".into()
        }
        RefError::Rf(RfError::Check(_)) => "its check digits are wrong".into(),
    })
}

#[cfg(test)]
mod tests;
