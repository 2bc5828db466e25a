//! Bank statements (date, amount, counterparty, communication), and settle's own payments
//! export, parsed into [`BankLine`]s; the pure parts of matching them to invoices (the
//! invoice numbers a communication may name, how well an amount fits an invoice); and the
//! closest candidates for a line that matches nothing (`closest`, over a scratch copy of the
//! open invoices).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv::{Cell, amount_value, currency_value, date_value};
use super::model::{BankLine, Parsed, StatementFormat, compact_account};
use super::table::{self, FieldSpec};
use super::{ImportError, Need, Problem};
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
/// its whole amount, or a part of what is open (the rule the index's tests check it by).
#[cfg(test)]
pub(super) fn amount_match(inv: &crate::domain::invoice::Invoice, amount: Decimal) -> (u32, &'static str) {
    fit(inv.open, inv.amount.amount, amount)
}

/// [`amount_match`] for an invoice with `open` still open of `whole`.
fn fit(open: Decimal, whole: Decimal, amount: Decimal) -> (u32, &'static str) {
    if open == amount {
        (4, "same open amount")
    } else if whole == amount {
        (3, "same invoice amount")
    } else if amount < open {
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
    let reading = Reading::new(table, map, today)?;
    let lines = reading.lines(&table.rows)?;
    Ok(Parsed { records: lines, ignored_columns: reading.cols.ignored })
}

/// How a statement's rows are read: its columns, found once from its header (`table`'s rows
/// are not needed), and the day no line may be after.
pub struct Reading {
    table: table::Table,
    pub cols: table::Columns,
    date_field: usize,
    today: NaiveDate,
}

impl Reading {
    /// Finds the columns of a statement from its header: `map` are the `--map FIELD=COLUMN`
    /// choices (a profile's first).
    pub fn new(table: &table::Table, map: &[String], today: NaiveDate) -> Result<Reading, ImportError> {
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
        let header = table::Table {
            file: file.clone(),
            header_at: table.header_at,
            headers: table.headers.clone(),
            rows: Vec::new(),
        };
        Ok(Reading { table: header, cols, date_field, today })
    }

    /// The lines of rows held whole, numbered; or every problem.
    pub fn lines(&self, rows: &[table::TableRow]) -> Result<Vec<BankLine>, ImportError> {
        let mut problems = Vec::new();
        let mut lines = Vec::with_capacity(rows.len());
        let mut numbering = Numbering::exact();
        for row in rows {
            match self.line(row) {
                Ok(mut line) => {
                    numbering.number(&mut line);
                    lines.push(line);
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        if problems.is_empty() { Ok(lines) } else { Err(ImportError::new(problems)) }
    }

    /// One row as a bank line, not yet numbered (see [`Numbering`]), or its problems.
    pub fn line(&self, row: &table::TableRow) -> Result<BankLine, Vec<Problem>> {
        let (table, today, date_field) = (&self.table, self.today, self.date_field);
        let c = Cell { table, cols: &self.cols, row };
        let mut problems = Vec::new();
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
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let amount = match out {
            Some(true) => -amount.abs(),
            Some(false) => amount.abs(),
            None => amount,
        };
        let mut line = BankLine::new(c.origin(), StatementFormat::Csv, date, amount);
        line.account = c.opt(ACCOUNT).map(|a| compact_account(&a)).unwrap_or_default();
        line.value_date = value_date;
        line.currency = currency;
        line.counterparty = squash(&c.get(COUNTERPARTY));
        line.counterparty_iban =
            c.opt(COUNTERPARTY_IBAN).map(|a| compact_account(&a)).filter(|a| a.len() >= 8);
        line.communication = squash(&c.get(COMMUNICATION));
        line.invoice = c.opt(INVOICE);
        line.kind = kind.unwrap_or(PaymentKind::Payment);
        line.method = c.opt(METHOD);
        line.note = c.get(NOTE);
        Ok(line)
    }
}

/// What older settles kept of a CSV line (its date, amount, counterparty, communication,
/// invoice and kind): numbered among the same, it stays the line's reference.
fn entry_key(line: &BankLine) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}",
        line.date,
        to_cents(line.amount).unwrap_or_default(),
        line.counterparty,
        line.communication,
        line.invoice.as_deref().unwrap_or(""),
        line.kind
    )
}

/// Numbers the lines of a CSV statement, in order: the reference (`entry_ref`) among the
/// lines with the same [`entry_key`], the rank (`seq`) among those of the same account, date
/// and amount (see [`model::number_lines`](super::model::number_lines)).
pub struct Numbering<'a> {
    entries: Occurrences<'a, String>,
    /// The rank keys counted, each account as its place in `accounts`: a statement of a
    /// million lines can repeat a hundred thousand (day, amount) pairs, and a key held so
    /// takes 28 bytes where the key itself took 56.
    ranks: Occurrences<'a, (u32, NaiveDate, Decimal)>,
    accounts: Vec<String>,
}

impl Numbering<'_> {
    /// Counting every line: for a statement held whole.
    pub fn exact() -> Numbering<'static> {
        Numbering { entries: Occurrences::new(None), ranks: Occurrences::new(None), accounts: Vec::new() }
    }

    pub fn number(&mut self, line: &mut BankLine) {
        let key = entry_key(line);
        let n = self.entries.next(key.clone());
        line.entry_ref = Some(format!("{key}|{n}"));
        let (account, date, amount) = rank_key(line);
        line.seq = if self.ranks.may_repeat(&(&account, date, amount)) {
            let place = match self.accounts.iter().position(|a| *a == account) {
                Some(place) => place,
                None => {
                    self.accounts.push(account);
                    self.accounts.len() - 1
                }
            };
            self.ranks.count((u32::try_from(place).unwrap_or(u32::MAX), date, amount))
        } else {
            1
        };
    }
}

impl<'a> Numbering<'a> {
    /// Counting only the lines whose keys' short hashes were seen more than once (by
    /// [`Repeats`] over the same lines): every other line is the first of its kind. The
    /// same numbers as [`Numbering::exact`], with a count kept only for repeated lines.
    pub fn repeats_only(repeats: &'a Repeats) -> Numbering<'a> {
        Numbering {
            entries: Occurrences::new(Some(&repeats.entries)),
            ranks: Occurrences::new(Some(&repeats.ranks)),
            accounts: Vec::new(),
        }
    }
}

/// The short hashes of the keys that more than one line of a statement has (or that
/// collide), found from one pass over its lines: a few bytes a line while counting, then
/// only the repeated ones.
#[derive(Debug, Default)]
pub struct Repeats {
    entries: std::collections::HashSet<u32>,
    ranks: std::collections::HashSet<u32>,
    /// The short hashes of each line's two keys, until [`Repeats::done`].
    seen: [Vec<u32>; 2],
}

impl Repeats {
    /// Counts a line (in any order).
    pub fn see(&mut self, line: &BankLine) {
        self.seen[0].push(short_hash(&entry_key(line)));
        self.seen[1].push(short_hash(&rank_key(line)));
    }

    /// Once every line was seen: keeps the hashes seen more than once.
    pub fn done(&mut self) {
        let [entries, ranks] = std::mem::take(&mut self.seen);
        for (mut all, set) in [(entries, &mut self.entries), (ranks, &mut self.ranks)] {
            all.sort_unstable();
            set.extend(all.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
        }
    }
}

type RankKey = (String, NaiveDate, Decimal);

pub(crate) fn rank_key(line: &BankLine) -> RankKey {
    (line.account.clone(), line.date, line.amount.normalize())
}

pub(crate) fn short_hash<K: std::hash::Hash>(key: &K) -> u32 {
    use std::hash::Hasher;
    // Keyless (the same in every pass), and any collision only costs a count kept.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish() as u32
}

/// How many times each key came, in order (1 for the first).
pub struct Occurrences<'a, K> {
    /// Only these short hashes can repeat; `None`: any key can.
    repeats: Option<&'a std::collections::HashSet<u32>>,
    seen: HashMap<K, u32>,
}

impl<'a, K: std::hash::Hash + Eq> Occurrences<'a, K> {
    pub fn new(repeats: Option<&'a std::collections::HashSet<u32>>) -> Occurrences<'a, K> {
        Occurrences { repeats, seen: HashMap::new() }
    }

    pub fn next(&mut self, key: K) -> u32 {
        if !self.may_repeat(&key) {
            return 1;
        }
        self.count(key)
    }

    /// Whether a key that hashes as `key` may have come before (else it is the first).
    pub fn may_repeat<Q: std::hash::Hash>(&self, key: &Q) -> bool {
        self.repeats.is_none_or(|r| r.contains(&short_hash(key)))
    }

    /// Counts `key`, which may repeat.
    pub fn count(&mut self, key: K) -> u32 {
        let n = self.seen.entry(key).or_insert(0);
        *n += 1;
        *n
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

mod closest;
#[cfg(test)]
mod tests;

pub use closest::{Candidate, OpenIndex, closest};
