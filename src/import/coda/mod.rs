//! CODA, Febelfin's coded statement (standard 2.6): records of 128 characters, one a line.
//! `0` header, `1` old balance (the account and its currency), `2.1`/`2.2`/`2.3` movements
//! (sign, amount, dates, the bank's reference, the communication — structured type 101 in
//! 2.1 —, the counterparty's account and name in 2.3), `3.x` information, `4` free
//! messages, `8` new balance, `9` trailer (the number of records and the debit and credit
//! totals). The trailer's counts and totals and the balances are checked; a malformed
//! record is reported with its line and the position of the field.
//!
//! Positions below are 1-based, as the standard writes them.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::model::{BankLine, Origin, StatementFormat, compact_account};
use super::{At, Problem};
use crate::domain::dates::in_range;
use crate::domain::money::Currency;

pub const RECORD_LEN: usize = 128;

/// Whether a text looks like a CODA file: its first record is a header `0000…`.
pub fn looks_like(text: &str) -> bool {
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
    first.starts_with("0000") && (100..=140).contains(&first.chars().count())
}

/// One record: its line and characters (CODA is ASCII or Latin-1; each is one character).
struct Record<'a> {
    file: &'a Arc<str>,
    line: u64,
    chars: Vec<char>,
}

impl Record<'_> {
    /// Positions `from..=to` (1-based), as text.
    fn text(&self, from: usize, to: usize) -> String {
        self.chars.get(from - 1..to).map(|c| c.iter().collect()).unwrap_or_default()
    }

    fn problem(&self, from: usize, to: usize, message: impl Into<String>) -> Problem {
        let field = if from == to { format!("position {from}") } else { format!("positions {from}-{to}") };
        Problem::new(self.file, At::Line(self.line), message).field(field).value(self.text(from, to))
    }

    fn digits(&self, from: usize, to: usize, what: &str) -> Result<u64, Problem> {
        let t = self.text(from, to);
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.problem(from, to, format!("{what}: expected digits")));
        }
        t.parse().map_err(|_| self.problem(from, to, format!("{what}: expected digits")))
    }

    /// An amount of 15 digits with three decimals, and its sign at `sign_at` (0 credit, 1 debit).
    fn amount(&self, sign_at: usize, from: usize, what: &str) -> Result<Decimal, Problem> {
        let n = self.digits(from, from + 14, what)?;
        let d = Decimal::new(i64::try_from(n).unwrap_or(i64::MAX), 3).normalize();
        if d.scale() > 2 {
            return Err(self.problem(from, from + 14, format!("{what}: more than two decimals")));
        }
        match self.text(sign_at, sign_at).as_str() {
            "0" => Ok(d),
            "1" => Ok(-d),
            _ => Err(self.problem(
                sign_at,
                sign_at,
                format!("{what}: the sign must be 0 (credit) or 1 (debit)"),
            )),
        }
    }

    /// A date DDMMYY; `000000` or blanks are no date when `optional`.
    fn date(&self, from: usize, what: &str, optional: bool) -> Result<Option<NaiveDate>, Problem> {
        let t = self.text(from, from + 5);
        if optional && (t == "000000" || t.trim().is_empty()) {
            return Ok(None);
        }
        let bad = || self.problem(from, from + 5, format!("{what}: not a date (DDMMYY)"));
        if !t.bytes().all(|b| b.is_ascii_digit()) || t.len() != 6 {
            return Err(bad());
        }
        let n = |i: usize| t[i..i + 2].parse::<u32>().unwrap_or(0);
        let day = NaiveDate::from_ymd_opt(2000 + n(4) as i32, n(2), n(0)).ok_or_else(bad)?;
        in_range(day, &t).map(Some).map_err(|e| self.problem(from, from + 5, format!("{what}: {e}")))
    }
}

/// One statement (from a `1` record to its `8`) as it is read.
#[derive(Default)]
struct Statement {
    account: String,
    currency: Option<Currency>,
    old_balance: Decimal,
    old_line: u64,
    movements: Decimal,
}

/// A movement being read: its 2.1 record and what 2.2, 2.3 and 3.x add.
struct Movement {
    line: BankLine,
    detail: String,
    free: Vec<String>,
}

/// Reads a CODA file into lines (unnumbered), or every problem found.
pub fn parse(file: &Arc<str>, bytes: &[u8], today: NaiveDate) -> Result<Vec<BankLine>, Vec<Problem>> {
    // Banks write CODA in ASCII or Latin-1: a file that is not UTF-8 is read as Latin-1.
    let text: String = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    };
    let mut problems = Vec::new();
    let mut records = Vec::new();
    for (i, raw) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let r = Record { file, line: i as u64 + 1, chars: raw.chars().collect() };
        if r.chars.len() != RECORD_LEN {
            problems.push(Problem::new(
                file,
                At::Line(r.line),
                format!(
                    "a CODA record is {RECORD_LEN} characters long; this one has {} (the file is damaged \
                     or was cut)",
                    r.chars.len()
                ),
            ));
            continue;
        }
        records.push(r);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    match read_records(file, &records, today) {
        Ok(lines) => Ok(lines),
        Err(p) => Err(vec![p]),
    }
}

fn read_records(file: &Arc<str>, records: &[Record<'_>], today: NaiveDate) -> Result<Vec<BankLine>, Problem> {
    let mut out: Vec<BankLine> = Vec::new();
    let mut stmt: Option<Statement> = None;
    let mut open: Option<Movement> = None;
    // Per file (header to trailer): records counted by the trailer, and the totals.
    let mut in_file = false;
    let mut counted: u64 = 0;
    let (mut debit, mut credit) = (Decimal::ZERO, Decimal::ZERO);
    let mut last_line = 0;
    for r in records {
        last_line = r.line;
        let kind = r.text(1, 1);
        let article = r.text(2, 2);
        if kind != "0" && !in_file {
            return Err(r.problem(
                1,
                1,
                "expected a header record (0) first: this is not the start of a CODA file",
            ));
        }
        if matches!(kind.as_str(), "1" | "2" | "3" | "8") {
            counted += 1;
        }
        if kind != "2"
            && kind != "3"
            && let Some(m) = open.take()
        {
            out.push(finish(m));
        }
        match kind.as_str() {
            "0" => {
                if in_file {
                    return Err(r.problem(
                        1,
                        1,
                        "a new header (0) before the trailer (9) of the previous file",
                    ));
                }
                r.digits(2, 5, "the header's zeros")?;
                r.date(6, "the creation date", false)?;
                in_file = true;
                counted = 0;
                debit = Decimal::ZERO;
                credit = Decimal::ZERO;
            }
            "1" => {
                let structure = r.text(2, 2);
                let (account, currency) = match structure.as_str() {
                    "0" => (r.text(6, 17), r.text(19, 21)),
                    "1" | "2" | "3" => (r.text(6, 39), r.text(40, 42)),
                    _ => return Err(r.problem(2, 2, "the account structure must be 0, 1, 2 or 3")),
                };
                let currency = currency
                    .trim()
                    .parse::<Currency>()
                    .map_err(|e| r.problem(40, 42, format!("the account's currency: {e}")))?;
                let account = account.split_whitespace().next().map(compact_account).unwrap_or_default();
                let old_balance = r.amount(43, 44, "the old balance")?;
                stmt = Some(Statement {
                    account,
                    currency: Some(currency),
                    old_balance,
                    old_line: r.line,
                    movements: Decimal::ZERO,
                });
            }
            "2" => {
                let Some(s) = stmt.as_mut() else {
                    return Err(r.problem(1, 1, "a movement (2) before the old balance (1)"));
                };
                match article.as_str() {
                    "1" => {
                        if let Some(m) = open.take() {
                            out.push(finish(m));
                        }
                        let m = movement(file, r, s, today)?;
                        // Totals and balances count movements, not the details of a globalised one.
                        if m.detail == "0000" {
                            s.movements += m.line.amount;
                            if m.line.amount.is_sign_negative() {
                                debit -= m.line.amount;
                            } else {
                                credit += m.line.amount;
                            }
                        }
                        open = Some(m);
                    }
                    "2" | "3" => {
                        let Some(m) = open.as_mut() else {
                            return Err(r.problem(2, 2, "a 2.2 or 2.3 record without its 2.1"));
                        };
                        if article == "2" {
                            m.free.push(r.text(11, 63));
                        } else {
                            let account = r.text(11, 44);
                            let account = compact_account(account.split_whitespace().next().unwrap_or(""));
                            if account.len() >= 8 {
                                m.line.counterparty_iban = Some(account);
                            }
                            m.line.counterparty = r.text(48, 82).trim().to_string();
                            m.free.push(r.text(83, 125));
                        }
                    }
                    _ => return Err(r.problem(2, 2, "a movement record is 2.1, 2.2 or 2.3")),
                }
            }
            "3" => match article.as_str() {
                "1" => {
                    // Structure code 0: free information, kept with the communication.
                    if r.text(40, 40) == "0"
                        && let Some(m) = open.as_mut()
                    {
                        m.free.push(r.text(41, 113));
                    }
                }
                "2" | "3" => {}
                _ => return Err(r.problem(2, 2, "an information record is 3.1, 3.2 or 3.3")),
            },
            "4" => {}
            "8" => {
                let Some(s) = stmt.take() else {
                    return Err(r.problem(1, 1, "a new balance (8) without its old balance (1)"));
                };
                let new_balance = r.amount(42, 43, "the new balance")?;
                r.date(58, "the new balance's date", false)?;
                if s.old_balance + s.movements != new_balance {
                    return Err(r.problem(
                        43,
                        57,
                        format!(
                            "the new balance {new_balance} is not the old balance {} (line {}) plus the \
                             movements {}: a movement is missing or the file was altered",
                            s.old_balance, s.old_line, s.movements
                        ),
                    ));
                }
            }
            "9" => {
                let n = r.digits(17, 22, "the number of records")?;
                if n != counted {
                    return Err(r.problem(
                        17,
                        22,
                        format!(
                            "the trailer counts {n} records (1, 2, 3 and 8) but the file has {counted}: \
                             records are missing or added"
                        ),
                    ));
                }
                let d = r.digits(23, 37, "the debit total")?;
                let c = r.digits(38, 52, "the credit total")?;
                let total = |v: u64| Decimal::new(i64::try_from(v).unwrap_or(i64::MAX), 3).normalize();
                if total(d) != debit.normalize() {
                    return Err(r.problem(
                        23,
                        37,
                        format!("the trailer's debit total is {}, the movements add up to {debit}", total(d)),
                    ));
                }
                if total(c) != credit.normalize() {
                    return Err(r.problem(
                        38,
                        52,
                        format!(
                            "the trailer's credit total is {}, the movements add up to {credit}",
                            total(c)
                        ),
                    ));
                }
                if stmt.is_some() {
                    return Err(r.problem(1, 1, "the trailer (9) comes before the new balance (8)"));
                }
                in_file = false;
            }
            _ => return Err(r.problem(1, 1, "not a CODA record type (0, 1, 2, 3, 4, 8 or 9)")),
        }
    }
    if in_file || stmt.is_some() {
        return Err(Problem::new(
            file,
            At::Line(last_line),
            "the file ends before its trailer record (9): it was cut short; nothing was imported",
        ));
    }
    Ok(out)
}

/// A 2.1 record.
fn movement(file: &Arc<str>, r: &Record<'_>, s: &Statement, today: NaiveDate) -> Result<Movement, Problem> {
    let detail = r.text(7, 10);
    r.digits(3, 6, "the sequence number")?;
    r.digits(7, 10, "the detail number")?;
    let amount = r.amount(32, 33, "the amount")?;
    let value_date = r.date(48, "the value date", true)?;
    let booked = r.date(116, "the entry date", false)?.unwrap_or(today);
    if booked > today {
        return Err(r.problem(116, 121, format!("booked on {booked}, after today ({today})")));
    }
    let mut line = BankLine::new(
        Origin { file: file.clone(), at: At::Line(r.line) },
        StatementFormat::Coda,
        booked,
        amount,
    );
    line.account = s.account.clone();
    line.currency = s.currency;
    line.value_date = value_date;
    let reference = r.text(11, 31).trim().to_string();
    line.entry_ref = Some(if detail == "0000" { reference } else { format!("{reference}/{detail}") });
    let mut free = Vec::new();
    match r.text(62, 62).as_str() {
        "1" if matches!(r.text(63, 65).as_str(), "101" | "102") => line.structured = Some(r.text(66, 77)),
        "1" => {}
        "0" => free.push(r.text(63, 115)),
        _ => return Err(r.problem(62, 62, "the communication type must be 0 (free) or 1 (structured)")),
    }
    Ok(Movement { line, detail, free })
}

/// A movement with its pieces of free communication joined.
fn finish(mut m: Movement) -> BankLine {
    m.line.communication =
        m.free.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).collect::<Vec<_>>().join(" ");
    m.line
}

/// Keeps the details of a globalised movement and drops the global line they detail, so each
/// customer's payment is one line; a movement without details stays as it is.
pub fn detail_globals(lines: Vec<BankLine>) -> Vec<BankLine> {
    let has_details: std::collections::HashSet<String> = lines
        .iter()
        .filter_map(|l| {
            l.entry_ref.as_deref().and_then(|r| r.rsplit_once('/')).map(|(base, _)| base.to_string())
        })
        .collect();
    lines
        .into_iter()
        .filter(|l| l.entry_ref.as_deref().is_none_or(|r| r.contains('/') || !has_details.contains(r)))
        .collect()
}

#[cfg(test)]
mod tests;
