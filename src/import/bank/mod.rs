//! Bank statements (date, amount, counterparty, communication), and settle's own payments
//! export, parsed into [`BankLine`]s; the pure parts of matching them to invoices: the
//! invoice numbers a communication may name, and the closest candidates for a line that
//! matches nothing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv::{Cell, amount_value, currency_value, date_value};
use super::model::{BankLine, Parsed, StatementFormat, compact_account, number_lines};
use super::table::{self, FieldSpec};
use super::{ImportError, Need, Problem};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceRow;
use crate::domain::invoice::PaymentKind;
use crate::domain::money::to_cents;

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

/// How well a payment of `amount` fits the invoice's amount, and why: its open amount,
/// its whole amount, or a part of what is open.
pub(super) fn amount_match(inv: &crate::domain::invoice::Invoice, amount: Decimal) -> (u32, &'static str) {
    if inv.open == amount {
        (4, "same open amount")
    } else if inv.amount.amount == amount {
        (3, "same invoice amount")
    } else if amount < inv.open {
        (1, "part of the open amount")
    } else {
        (0, "")
    }
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
        return Err(ImportError::new(vec![
            Problem::new(
                file,
                table.header_at,
                "no communication column to match payments by (looked for: communication, mededeling, \
                 message, omschrijving, libellé…)",
            )
            .need(Need::Column("communication")),
        ]));
    }
    let date_field = if cols.has(DATE) {
        DATE
    } else if cols.has(VALUE_DATE) {
        VALUE_DATE
    } else {
        return Err(ImportError::new(vec![
            Problem::new(
                file,
                table.header_at,
                "no date column (looked for: date, datum, boekingsdatum, valutadatum, date comptable…)",
            )
            .need(Need::Column("date")),
        ]));
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

/// The open invoices a line that matched nothing is compared with, indexed once per import
/// (a statement can leave thousands of lines unmatched, and a book hold a hundred thousand
/// open invoices): by open amount and invoice amount, and by the words of the customers'
/// names.
pub struct OpenIndex<'a> {
    open: &'a [InvoiceRow],
    /// Each customer (by name): its words and its invoices, oldest due date first.
    customers: Vec<Customer>,
    /// The customer of each invoice (a position in `customers`).
    customer_of: Vec<usize>,
    /// The customers (positions in `customers`) of each customer id.
    by_id: HashMap<CustomerId, Vec<usize>>,
    /// The customers whose name has the word.
    by_word: HashMap<String, Vec<usize>>,
    /// The invoices whose open amount or invoice amount is this many cents.
    by_cents: HashMap<i64, Vec<usize>>,
    /// How many words of the line each customer shares, counted again for each line (only
    /// the customers that share one are touched, and put back to zero after).
    shared: RefCell<(Vec<u32>, Vec<usize>)>,
}

struct Customer {
    id: CustomerId,
    words: Vec<String>,
    /// Positions in `open`, by due date then position.
    invoices: Vec<usize>,
    /// The least and the most still open on one of them.
    min_open: Decimal,
    max_open: Decimal,
}

impl<'a> OpenIndex<'a> {
    pub fn new(open: &'a [InvoiceRow]) -> OpenIndex<'a> {
        let mut customers: Vec<Customer> = Vec::new();
        let mut named: HashMap<(CustomerId, &str), usize> = HashMap::new();
        let mut by_cents: HashMap<i64, Vec<usize>> = HashMap::new();
        let mut customer_of = Vec::with_capacity(open.len());
        for (i, r) in open.iter().enumerate() {
            let c = *named.entry((r.invoice.customer_id, r.customer.as_str())).or_insert_with(|| {
                customers.push(Customer {
                    id: r.invoice.customer_id,
                    words: words(&r.customer),
                    invoices: Vec::new(),
                    min_open: r.invoice.open,
                    max_open: r.invoice.open,
                });
                customers.len() - 1
            });
            customer_of.push(c);
            let customer = &mut customers[c];
            customer.invoices.push(i);
            customer.min_open = customer.min_open.min(r.invoice.open);
            customer.max_open = customer.max_open.max(r.invoice.open);
            for amount in [r.invoice.open, r.invoice.amount.amount] {
                if let Some(cents) = exact_cents(amount) {
                    let at = by_cents.entry(cents).or_default();
                    if at.last() != Some(&i) {
                        at.push(i);
                    }
                }
            }
        }
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_id: HashMap<CustomerId, Vec<usize>> = HashMap::new();
        for (c, customer) in customers.iter_mut().enumerate() {
            by_id.entry(customer.id).or_default().push(c);
            customer.invoices.sort_by_key(|&i| (open[i].invoice.due, i));
            for w in &customer.words {
                let at = by_word.entry(w.clone()).or_default();
                if at.last() != Some(&c) {
                    at.push(c);
                }
            }
        }
        let shared = RefCell::new((vec![0; customers.len()], Vec::new()));
        OpenIndex { open, customers, customer_of, by_id, by_word, by_cents, shared }
    }
}

/// The amount in whole cents, if it is one.
fn exact_cents(amount: Decimal) -> Option<i64> {
    to_cents(amount).ok()
}

/// A candidate: its score, its due date and position (the lower, the better on a tie), and why.
type Ranked = (u32, NaiveDate, usize, &'static str);

/// Keeps the best three: the highest score, then the earliest due date, then the first given.
fn offer(best: &mut Vec<Ranked>, r: Ranked) {
    let better =
        |a: &Ranked, b: &Ranked| (std::cmp::Reverse(a.0), a.1, a.2) < (std::cmp::Reverse(b.0), b.1, b.2);
    if best.iter().any(|b| b.2 == r.2) {
        return;
    }
    let at = best.iter().position(|b| better(&r, b)).unwrap_or(best.len());
    if at < 3 {
        best.insert(at, r);
        best.truncate(3);
    }
}

/// Up to three open invoices closest to a line: the same open amount, the same invoice
/// amount, a customer whose name shares words with the counterparty, or one who paid from
/// the line's account before (`iban_of`: the customers that account paid for). Scored as
/// follows: a customer who paid from the account scores 8, else a shared name 2 and 2 per
/// word shared; the same open amount 4, the same invoice amount 3, and, with a known account
/// or a shared name, a payment smaller than what is open 1. The highest scores first, then
/// the earliest due date.
pub fn closest(line: &BankLine, index: &OpenIndex<'_>, iban_of: &[CustomerId]) -> Vec<Candidate> {
    let open = index.open;
    let currency_ok = |i: usize| line.currency.is_none_or(|c| c == open[i].invoice.amount.currency);
    // How many of the counterparty's words each customer's name has.
    let mut scratch = index.shared.borrow_mut();
    let (shared, touched) = &mut *scratch;
    for w in words(&line.counterparty) {
        for &c in index.by_word.get(&w).map_or(&[][..], Vec::as_slice) {
            if shared[c] == 0 {
                touched.push(c);
            }
            shared[c] += 1;
        }
    }
    let shared = &*shared;
    let known = |c: usize| iban_of.contains(&index.customers[c].id);
    // A customer's score for its name or account (`c`: a position in `customers`).
    let name_score = |c: usize| {
        if known(c) {
            8
        } else {
            match shared[c] {
                0 => 0,
                s => 2 + 2 * s,
            }
        }
    };
    let amount_score = |i: usize| amount_match(&open[i].invoice, line.amount);
    let mut best: Vec<Ranked> = Vec::with_capacity(4);
    // The same amount, whoever the customer.
    if let Some(cents) = exact_cents(line.amount) {
        for &i in index.by_cents.get(&cents).map_or(&[][..], Vec::as_slice) {
            let (amount, amount_why) = amount_score(i);
            if amount < 3 || !currency_ok(i) {
                continue;
            }
            let c = index.customer_of[i];
            let name = name_score(c);
            let why = if known(c) {
                "paid from this account before; same amount"
            } else if name > 0 {
                "same customer name and amount"
            } else {
                amount_why
            };
            offer(&mut best, (name + amount, open[i].invoice.due, i, why));
        }
    }
    // A known account or a shared name: the customers scoring the most first; of each, the
    // invoices due first, as long as they can still make the best three.
    // The customers by score, in any order among equals (the best three do not depend on it):
    // a million-invoice book has a thousand customers sharing a trade or a town, not sorted.
    let mut tiers: Vec<Vec<usize>> = Vec::new();
    let mut put = |score: u32, c: usize| {
        let at = score as usize;
        if tiers.len() <= at {
            tiers.resize_with(at + 1, Vec::new);
        }
        tiers[at].push(c);
    };
    for &c in touched.iter() {
        put(name_score(c), c);
    }
    for &id in iban_of {
        for &c in index.by_id.get(&id).map_or(&[][..], Vec::as_slice) {
            if shared[c] == 0 {
                put(8, c);
            }
        }
    }
    let by_name = tiers.iter().enumerate().rev().flat_map(|(s, cs)| cs.iter().map(move |c| (s as u32, *c)));
    for (name, c) in by_name {
        // Every other invoice of a customer sharing fewer words scores at most this.
        if best.len() == 3 && best[2].0 > name + 1 {
            break;
        }
        // Three of each kind are enough: one that pays less than is open (scores 1 more), one
        // that does not (a kind none of its invoices can be counts as found).
        let customer = &index.customers[c];
        let mut found = [
            if customer.min_open <= line.amount { 0 } else { 3 },
            if customer.max_open > line.amount { 0 } else { 3 },
        ];
        for &i in &customer.invoices {
            if found == [3, 3] {
                break;
            }
            let (amount, _) = amount_score(i);
            if amount >= 3 || !currency_ok(i) {
                continue;
            }
            let kind = usize::from(amount == 1);
            if found[kind] < 3 {
                found[kind] += 1;
                let why = if known(c) { "paid from this account before" } else { "same customer name" };
                offer(&mut best, (name + amount, open[i].invoice.due, i, why));
            }
        }
    }
    let (shared, touched) = &mut *scratch;
    for &c in touched.iter() {
        shared[c] = 0;
    }
    touched.clear();
    best.into_iter()
        .map(|(_, _, i, why)| {
            let r = &open[i];
            Candidate {
                number: r.invoice.number.clone(),
                customer: r.customer.clone(),
                open: r.invoice.open,
                why,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
