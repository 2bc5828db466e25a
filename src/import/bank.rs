//! Bank statements (date, amount, counterparty, communication), and settle's own payments
//! export, parsed into [`BankLine`]s; the pure parts of matching them to invoices: the
//! invoice numbers a communication may name, and the closest candidates for a line that
//! matches nothing.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv::{Cell, amount_value, currency_value, date_value};
use super::model::{BankLine, Parsed, StatementFormat, compact_account, number_lines};
use super::table::{self, FieldSpec};
use super::{ImportError, Problem};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::PaymentKind;
use crate::domain::money::to_cents;
use crate::store::InvoiceRow;

pub const DATE: usize = 0;
pub const AMOUNT: usize = 1;
pub const COUNTERPARTY: usize = 2;
pub const COMMUNICATION: usize = 3;
pub const CURRENCY: usize = 4;
pub const INVOICE: usize = 5;
pub const KIND: usize = 6;
pub const METHOD: usize = 7;
pub const NOTE: usize = 8;
pub const ACCOUNT: usize = 9;
pub const COUNTERPARTY_IBAN: usize = 10;
pub const VALUE_DATE: usize = 11;
pub const DIRECTION: usize = 12;

pub const SPECS: &[FieldSpec] = &[
    FieldSpec {
        name: "date",
        aliases: &[
            "date",
            "datum",
            "bookingdate",
            "transactiondate",
            "executiondate",
            "boekingsdatum",
            "uitvoeringsdatum",
            "dateexecution",
            "datedexecution",
            "datecomptable",
            "dateoperation",
            "datedoperation",
        ],
        // A file with only a value date is read by it (see `parse_statement`).
        required: false,
        many: false,
    },
    FieldSpec {
        name: "amount",
        aliases: &["amount", "bedrag", "montant", "credit"],
        required: true,
        many: false,
    },
    FieldSpec {
        name: "counterparty",
        aliases: &[
            "counterparty",
            "counterpartyname",
            "name",
            "payer",
            "from",
            "tegenpartij",
            "naamtegenpartij",
            "naamvandetegenpartij",
            "opdrachtgever",
            "naam",
            "contrepartie",
            "nomcontrepartie",
            "nomdelacontrepartie",
            "donneurdordre",
            "nom",
        ],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "communication",
        aliases: &[
            "communication",
            "message",
            "remittance",
            "remittanceinformation",
            "description",
            "details",
            "mededeling",
            "vrijemededeling",
            "gestructureerdemededeling",
            "omschrijving",
            "libelle",
            "communicationstructuree",
            "communicationlibre",
            "structuredreference",
            "ogm",
        ],
        required: false,
        many: true,
    },
    FieldSpec {
        name: "currency",
        aliases: &["currency", "munt", "valuta", "devise", "monnaie"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "invoice",
        aliases: &["invoice", "invoicenumber", "factuur", "factuurnummer", "facture", "numerofacture"],
        required: false,
        many: false,
    },
    FieldSpec { name: "kind", aliases: &["kind", "paymentkind"], required: false, many: false },
    FieldSpec { name: "method", aliases: &["method", "paymentmethod"], required: false, many: false },
    FieldSpec { name: "note", aliases: &["note"], required: false, many: false },
    FieldSpec {
        name: "account",
        aliases: &[
            "account",
            "accountnumber",
            "iban",
            "rekening",
            "rekeningnummer",
            "ibanbban",
            "numerodecompte",
            "compte",
        ],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "counterparty_iban",
        aliases: &[
            "counterpartyiban",
            "counterpartyaccount",
            "tegenrekening",
            "tegenrekeningibanbban",
            "rekeningtegenpartij",
            "rekeningnummertegenpartij",
            "ibantegenpartij",
            "comptecontrepartie",
            "comptedelacontrepartie",
        ],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "value_date",
        aliases: &["valuedate", "valutadatum", "rentedatum", "datevaleur", "datedevaleur"],
        required: false,
        many: false,
    },
    FieldSpec {
        name: "direction",
        aliases: &["direction", "afbij", "debetcredit", "creditdebet", "debitcredit", "sens"],
        required: false,
        many: false,
    },
];

/// A date cell of a bank export: as every date settle reads, or `20261105` (Dutch banks).
fn bank_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return date_value(&format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]));
    }
    date_value(t)
}

/// Whether a direction cell says money went out (`Af`, `D`, `Debit`, `Debet`), in (`Bij`,
/// `C`, `Credit`), or is something else.
fn outgoing(s: &str) -> Result<bool, String> {
    match s.trim().to_lowercase().as_str() {
        "af" | "d" | "debit" | "debet" | "dbit" | "-" => Ok(true),
        "bij" | "c" | "credit" | "crdt" | "+" => Ok(false),
        _ => Err("not a direction: write Af or Bij, D or C, Debit or Credit".into()),
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a CSV statement: every line, or every problem. Lines dated after `today` are
/// refused. `map` are the `--map FIELD=COLUMN` choices (a profile's first).
pub fn parse_statement(
    file: &str,
    bytes: &[u8],
    map: &[String],
    today: NaiveDate,
) -> Result<Parsed<BankLine>, ImportError> {
    let file: Arc<str> = Arc::from(file);
    let table = table::read(&file, bytes, SPECS).map_err(ImportError::new)?;
    parse_table(&table, map, today)
}

/// The lines of a statement already read as a table.
pub fn parse_table(
    table: &table::Table,
    map: &[String],
    today: NaiveDate,
) -> Result<Parsed<BankLine>, ImportError> {
    let file = &table.file;
    let cols = table::resolve(table, SPECS, map).map_err(ImportError::new)?;
    if !cols.has(COMMUNICATION) && !cols.has(INVOICE) {
        return Err(ImportError::new(vec![Problem::new(
            file,
            table.header_at,
            "no communication column to match payments by (looked for: communication, mededeling, \
             message, omschrijving, libellé…); name it with --map communication=COLUMN",
        )]));
    }
    let date_field = if cols.has(DATE) {
        DATE
    } else if cols.has(VALUE_DATE) {
        VALUE_DATE
    } else {
        return Err(ImportError::new(vec![Problem::new(
            file,
            table.header_at,
            "no date column (looked for: date, datum, boekingsdatum, valutadatum, date comptable…); \
             name it with --map date=COLUMN",
        )]));
    };
    let mut problems = Vec::new();
    let mut lines = Vec::with_capacity(table.rows.len());
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    for row in &table.rows {
        let c = Cell { table, cols: &cols, row };
        let before = problems.len();
        let mut check = |field: usize, err: Option<&String>| {
            if let Some(msg) = err {
                problems.push(c.problem(field, SPECS, msg.clone()));
            }
        };
        let date = bank_date(&c.get(date_field)).and_then(|d| {
            if d > today {
                Err(format!("after today ({today}): record a payment once it has arrived"))
            } else {
                Ok(d)
            }
        });
        check(date_field, date.as_ref().err());
        let value_date =
            if date_field == DATE { c.opt(VALUE_DATE).map(|v| bank_date(&v)).transpose() } else { Ok(None) };
        check(VALUE_DATE, value_date.as_ref().err());
        // Some banks sign incoming amounts: "+1500,00" (Rabobank).
        let raw = c.get(AMOUNT);
        let amount = amount_value(raw.trim().strip_prefix('+').unwrap_or(&raw));
        check(AMOUNT, amount.as_ref().err());
        let out = c.opt(DIRECTION).map(|s| outgoing(&s)).transpose();
        check(DIRECTION, out.as_ref().err());
        let currency = c.opt(CURRENCY).map(|s| currency_value(&s)).transpose();
        check(CURRENCY, currency.as_ref().err());
        let kind = c.opt(KIND).map(|s| s.parse::<PaymentKind>().map_err(|e| e.to_string())).transpose();
        check(KIND, kind.as_ref().err());
        let (Ok(date), Ok(value_date), Ok(amount), Ok(out), Ok(currency), Ok(kind)) =
            (date, value_date, amount, out, currency, kind)
        else {
            continue;
        };
        if problems.len() > before {
            continue;
        }
        let amount = match out {
            Some(true) => -amount.abs(),
            Some(false) => amount.abs(),
            None => amount,
        };
        let counterparty = squash(&c.get(COUNTERPARTY));
        let communication = squash(&c.get(COMMUNICATION));
        let invoice = c.opt(INVOICE);
        let kind = kind.unwrap_or(PaymentKind::Payment);
        // What older settles kept of a CSV line; it stays its reference.
        let key = format!(
            "{date}|{}|{counterparty}|{communication}|{}|{kind}",
            to_cents(amount).unwrap_or_default(),
            invoice.as_deref().unwrap_or("")
        );
        let n = occurrences.entry(key.clone()).or_insert(0);
        *n += 1;
        let mut line = BankLine::new(c.origin(), StatementFormat::Csv, date, amount);
        line.account = c.opt(ACCOUNT).map(|a| compact_account(&a)).unwrap_or_default();
        line.value_date = value_date;
        line.currency = currency;
        line.counterparty = counterparty;
        line.counterparty_iban =
            c.opt(COUNTERPARTY_IBAN).map(|a| compact_account(&a)).filter(|a| a.len() >= 8);
        line.communication = communication;
        line.invoice = invoice;
        line.kind = kind;
        line.method = c.opt(METHOD);
        line.note = c.get(NOTE);
        line.entry_ref = Some(format!("{key}|{n}"));
        lines.push(line);
    }
    if problems.is_empty() {
        number_lines(&mut lines);
        Ok(Parsed { records: lines, ignored_columns: cols.ignored })
    } else {
        Err(ImportError::new(problems))
    }
}

/// The words of a communication that may be invoice numbers, in order, without repeats.
pub fn number_tokens(communication: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in communication
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '\''))
    {
        let token = raw.trim_start_matches('#').trim_end_matches(['.', '-', '/']);
        if token.len() >= 2 && token.chars().any(|c| c.is_ascii_digit()) && !out.iter().any(|t| t == token) {
            out.push(token.to_string());
        }
    }
    out
}

/// An open invoice offered as a possible match for an unmatched line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub number: String,
    pub customer: String,
    pub open: Decimal,
    pub why: &'static str,
}

const LEGAL_FORMS: &[&str] = &[
    "ltd", "bv", "bvba", "nv", "sa", "srl", "sprl", "vof", "commv", "gmbh", "cv", "scrl", "asbl", "vzw",
    "inc", "llc", "plc", "the", "de", "het", "la", "le", "les", "van", "der", "den", "du", "des",
];

fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !LEGAL_FORMS.contains(&w.as_str()))
        .collect()
}

/// Up to three open invoices closest to a line: the same open amount, the same invoice
/// amount, a customer whose name shares words with the counterparty, or one who paid from
/// the line's account before (`iban_of`: the customers that account paid for).
pub fn closest(line: &BankLine, open: &[InvoiceRow], iban_of: &[CustomerId]) -> Vec<Candidate> {
    let theirs = words(&line.counterparty);
    let mut scored: Vec<(u32, &InvoiceRow, &'static str)> = open
        .iter()
        .filter(|r| line.currency.is_none_or(|c| c == r.invoice.amount.currency))
        .filter_map(|r| {
            let inv = &r.invoice;
            let (amount_score, amount_why) = if inv.open == line.amount {
                (4, "same open amount")
            } else if inv.amount.amount == line.amount {
                (3, "same invoice amount")
            } else if line.amount < inv.open {
                (1, "part of the open amount")
            } else {
                (0, "")
            };
            let ours = words(&r.customer);
            let shared = theirs.iter().filter(|w| ours.contains(w)).count() as u32;
            let known_account = iban_of.contains(&inv.customer_id);
            let name_score = if known_account {
                8
            } else if shared > 0 {
                2 + 2 * shared
            } else {
                0
            };
            let why = match (known_account, name_score > 0, amount_score >= 3) {
                (true, _, true) => "paid from this account before; same amount",
                (true, _, false) => "paid from this account before",
                (false, true, true) => "same customer name and amount",
                (false, true, false) => "same customer name",
                (false, false, true) => amount_why,
                (false, false, false) => return None,
            };
            Some((name_score + amount_score, r, why))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.invoice.due.cmp(&b.1.invoice.due)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, r, why)| Candidate {
            number: r.invoice.number.clone(),
            customer: r.customer.clone(),
            open: r.invoice.open,
            why,
        })
        .collect()
}

#[cfg(test)]
mod tests;
