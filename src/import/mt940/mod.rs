//! SWIFT MT940 customer statements as Dutch (and other) banks export them: `:20:` starts a
//! statement, `:25:` names the account, `:60F:` opens and `:62F:` closes its balance, each
//! `:61:` is a line and the `:86:` after it tells more. Dutch banks structure `:86:` with
//! subfields (`/TRTP/…/IBAN/…/NAME/…/REMI/…/EREF/…`, ING's `/CNTP/iban/bic/name/city/`);
//! a structured reference in `/REMI/STRD/CUR/…` is kept apart. The balances are checked.
//!
//! Why not the `mt940` crate: it refuses many real files outright (it is strict by design),
//! its errors are its grammar's and name no field of ours, and it leaves `:86:` as one
//! string, which is where the Dutch banks' information is. The format is small enough to
//! read here, line by line, with the line of every problem.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::model::{BankLine, Origin, StatementFormat, compact_account};
use super::{At, Problem};
use crate::domain::dates::in_range;
use crate::domain::money::{Currency, to_cents};

/// Whether a text looks like MT940: a `:20:` field (or a SWIFT block) near its start.
pub fn looks_like(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("{1:") || t.lines().take(12).any(|l| l.starts_with(":20:") || l.starts_with(":940:"))
}

/// A field: its tag (`61`, `86`, `62F`), the line it starts on, and its lines.
struct Field {
    tag: String,
    line: u64,
    lines: Vec<String>,
}

fn fields(text: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // SWIFT envelopes: `{1:…}{2:…}{4:` before and `-}` after the statement.
        let raw = match raw.rfind("{4:") {
            Some(at) => &raw[at + 3..],
            None => raw,
        };
        if raw == "-}" || raw == "-" || raw.starts_with("{5:") {
            continue;
        }
        let tag = raw
            .strip_prefix(':')
            .and_then(|r| r.split_once(':'))
            .filter(|(t, _)| (2..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()));
        match tag {
            Some((t, rest)) => {
                out.push(Field { tag: t.to_string(), line: i as u64 + 1, lines: vec![rest.to_string()] })
            }
            None => {
                if let Some(f) = out.last_mut() {
                    f.lines.push(raw.to_string());
                }
            }
        }
    }
    out
}

fn amount_of(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') || s.matches(',').count() > 1 {
        return None;
    }
    let d: Decimal = s.replace(',', ".").trim_end_matches('.').parse().ok()?;
    (d.normalize().scale() <= 2 && to_cents(d).is_ok()).then_some(d)
}

fn yymmdd(s: &str) -> Option<NaiveDate> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |i: usize| s[i..i + 2].parse::<u32>().ok();
    let d = NaiveDate::from_ymd_opt(2000 + n(0)? as i32, n(2)?, n(4)?)?;
    in_range(d, s).ok()
}

/// A balance field: `C260101EUR1234,56`.
fn balance(f: &Field, file: &Arc<str>) -> Result<(Decimal, Currency), Problem> {
    let v = f.lines[0].trim();
    let bad = |why: &str| {
        Problem::new(
            file,
            At::Line(f.line),
            format!("{why} (expected D or C, YYMMDD, currency, amount: C260101EUR1234,56)"),
        )
        .field(format!(":{}:", f.tag))
        .value(v)
    };
    let sign = match v.get(..1) {
        Some("C") => Decimal::ONE,
        Some("D") => Decimal::NEGATIVE_ONE,
        _ => return Err(bad("the balance has no sign")),
    };
    v.get(1..7).and_then(yymmdd).ok_or_else(|| bad("the balance has no date"))?;
    let currency = v
        .get(7..10)
        .and_then(|c| c.parse::<Currency>().ok())
        .ok_or_else(|| bad("the balance has no currency"))?;
    let amount = v.get(10..).and_then(amount_of).ok_or_else(|| bad("the balance has no amount"))?;
    Ok((sign * amount, currency))
}

/// Reads an MT940 file into lines (unnumbered), or the problems found.
pub fn parse(file: &Arc<str>, bytes: &[u8], today: NaiveDate) -> Result<Vec<BankLine>, Vec<Problem>> {
    let text: String = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        // Older exports are Latin-1.
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    };
    let fields = fields(&text);
    let mut problems = Vec::new();
    let mut out = Vec::new();
    // Statements: from each :20: to the next.
    let starts: Vec<usize> =
        fields.iter().enumerate().filter(|(_, f)| f.tag == "20").map(|(i, _)| i).collect();
    if starts.is_empty() {
        return Err(vec![Problem::new(file, At::File, "no statement in this MT940 file (no :20: field)")]);
    }
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(fields.len());
        match statement(file, &fields[s..end], today) {
            Ok(mut ls) => out.append(&mut ls),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn statement(file: &Arc<str>, fs: &[Field], today: NaiveDate) -> Result<Vec<BankLine>, Problem> {
    let start = fs.first().map_or(0, |f| f.line);
    let at = |line: u64| At::Line(line);
    let account = fs
        .iter()
        .find(|f| f.tag == "25")
        .map(|f| f.lines[0].rsplit('/').next().unwrap_or("").trim().to_string())
        .ok_or_else(|| Problem::new(file, at(start), "the statement has no account (:25:)"))?;
    let opening = fs
        .iter()
        .find(|f| f.tag == "60F" || f.tag == "60M")
        .ok_or_else(|| Problem::new(file, at(start), "the statement has no opening balance (:60F:)"))?;
    let (open_amount, currency) = balance(opening, file)?;
    let closing = fs.iter().find(|f| f.tag == "62F" || f.tag == "62M").ok_or_else(|| {
        Problem::new(
            file,
            at(start),
            "the statement that starts here has no closing balance (:62F:): the file was cut short \
             or is not a whole statement; nothing was imported",
        )
    })?;
    let (close_amount, _) = balance(closing, file)?;
    let mut account = compact_account(&account);
    if account.len() > 18 && account.ends_with(currency.as_str()) {
        account.truncate(account.len() - 3);
    }
    let mut lines: Vec<BankLine> = Vec::new();
    let mut sum = Decimal::ZERO;
    let mut after_61 = false;
    for f in fs {
        let was_61 = std::mem::replace(&mut after_61, f.tag == "61");
        match f.tag.as_str() {
            "61" => {
                let mut l = statement_line(file, f, today)?;
                l.account = account.clone();
                l.currency = Some(currency);
                sum += l.amount;
                lines.push(l);
            }
            "86" if was_61 => {
                if let Some(l) = lines.last_mut() {
                    information(l, f);
                }
            }
            _ => {}
        }
    }
    if open_amount + sum != close_amount {
        return Err(Problem::new(
            file,
            at(closing.line),
            format!(
                "the closing balance {close_amount} is not the opening balance {open_amount} plus the \
                 lines {sum}: a line is missing or the file was altered"
            ),
        )
        .field(":62F:"));
    }
    Ok(lines)
}

/// A `:61:` line: `YYMMDD[MMDD]{C|D|RC|RD}[funds]amount{N|F|S}xxx ref[//bank ref]`.
fn statement_line(file: &Arc<str>, f: &Field, today: NaiveDate) -> Result<BankLine, Problem> {
    let v = f.lines[0].trim();
    let bad = |why: &str| Problem::new(file, At::Line(f.line), why.to_string()).field(":61:").value(v);
    let value_date = v.get(..6).and_then(yymmdd).ok_or_else(|| bad("no value date (YYMMDD) at the start"))?;
    let mut rest = &v[6..];
    let mut booked = value_date;
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        let m: u32 = rest[..2].parse().unwrap_or(0);
        let d: u32 = rest[2..4].parse().unwrap_or(0);
        // The entry date has no year: the one closest to the value date.
        booked = [value_date.year() - 1, value_date.year(), value_date.year() + 1]
            .iter()
            .filter_map(|y| NaiveDate::from_ymd_opt(*y, m, d))
            .min_by_key(|x| (*x - value_date).num_days().abs())
            .ok_or_else(|| bad("the entry date (MMDD) is no day"))?;
        rest = &rest[4..];
    }
    let (sign, reversal, after) = if let Some(r) = rest.strip_prefix("RC") {
        (Decimal::ONE, true, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (Decimal::NEGATIVE_ONE, true, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (Decimal::ONE, false, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (Decimal::NEGATIVE_ONE, false, r)
    } else {
        return Err(bad("no debit or credit mark (C, D, RC or RD) after the date"));
    };
    // A funds code letter may come before the amount.
    let after = match after.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => &after[1..],
        _ => after,
    };
    let n = after.find(|c: char| !(c.is_ascii_digit() || c == ',')).unwrap_or(after.len());
    let amount = amount_of(&after[..n]).ok_or_else(|| bad("no amount (digits with a decimal comma)"))?;
    let tail = &after[n..];
    let bank_ref = tail.split_once("//").map(|(_, b)| b.trim().to_string()).filter(|b| !b.is_empty());
    let own_ref = tail.get(4..).map(|t| t.split("//").next().unwrap_or("").trim().to_string());
    if booked > today {
        return Err(bad(&format!("booked on {booked}, after today ({today})")));
    }
    // A reversal of a credit takes money back; of a debit, it returns what went out: neither is
    // a customer's payment.
    let signed = if reversal { -amount } else { sign * amount };
    let mut l = BankLine::new(
        Origin { file: file.clone(), at: At::Line(f.line) },
        StatementFormat::Mt940,
        booked,
        signed,
    );
    l.value_date = Some(value_date);
    l.entry_ref = bank_ref.or_else(|| own_ref.filter(|r| !r.is_empty() && r != "NONREF"));
    Ok(l)
}

const KEYS: &[&str] = &[
    "TRTP",
    "IBAN",
    "BIC",
    "NAME",
    "REMI",
    "EREF",
    "MARF",
    "CSID",
    "ORDP",
    "BENM",
    "ID",
    "ADDR",
    "CNTP",
    "SVCL",
    "ISDT",
    "RTRN",
    "PREF",
    "ULTC",
    "ULTD",
    "ULTB",
    "PURP",
    "CDTRREFTP",
    "CDTRREF",
    "CD",
    "TYPE",
];

/// The subfields of a structured `:86:` (`/KEY/value`), in order; empty when it is free text.
fn subfields(text: &str) -> Vec<(&'static str, String)> {
    let mut marks: Vec<(usize, &'static str)> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/'
            && let Some(k) =
                KEYS.iter().find(|k| text[i + 1..].starts_with(**k) && b.get(i + 1 + k.len()) == Some(&b'/'))
        {
            marks.push((i, k));
            i += k.len() + 2;
            continue;
        }
        i += 1;
    }
    if marks.len() < 2 {
        return Vec::new();
    }
    marks
        .iter()
        .enumerate()
        .map(|(n, (at, k))| {
            let from = at + k.len() + 2;
            let to = marks.get(n + 1).map_or(text.len(), |m| m.0);
            (*k, text.get(from..to).unwrap_or("").trim_end_matches('/').trim().to_string())
        })
        .collect()
}

/// Fills a line from its `:86:` field.
fn information(l: &mut BankLine, f: &Field) {
    // Lines are cut at 65 characters (the first with its tag), mid-word; a shorter line
    // ended where its author did.
    let mut text = String::new();
    for (i, part) in f.lines.iter().enumerate() {
        let before = |j: usize| f.lines[j].chars().count() + if j == 0 { f.tag.len() + 2 } else { 0 };
        if i > 0 && before(i - 1) < 65 {
            text.push(' ');
        }
        text.push_str(part);
    }
    let subs = subfields(&text);
    if subs.is_empty() {
        l.communication = text.split_whitespace().collect::<Vec<_>>().join(" ");
        return;
    }
    let mut free = Vec::new();
    for (k, v) in subs {
        match k {
            "NAME" if l.counterparty.is_empty() => {
                l.counterparty = v.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            "IBAN" => l.counterparty_iban = Some(compact_account(&v)).filter(|a| a.len() >= 8),
            "CNTP" => {
                // ING: /CNTP/iban/bic/name/city/
                let parts: Vec<&str> = v.split('/').collect();
                if let Some(iban) = parts.first().map(|a| compact_account(a)).filter(|a| a.len() >= 8) {
                    l.counterparty_iban = Some(iban);
                }
                if let Some(name) = parts.get(2).filter(|n| !n.trim().is_empty()) {
                    l.counterparty = name.trim().to_string();
                }
            }
            "REMI" => {
                let parts: Vec<&str> = v.split('/').collect();
                match parts.as_slice() {
                    // /REMI/STRD/CUR/reference or ISO
                    ["STRD", _, reference, ..] => l.structured = Some(reference.trim().to_string()),
                    ["USTD", rest @ ..] => free.push(rest.join("/").trim_matches('/').trim().to_string()),
                    _ => free.push(v.clone()),
                }
            }
            "CDTRREF" => l.structured = Some(v),
            "EREF" if !v.eq_ignore_ascii_case("NOTPROVIDED") => free.push(v),
            _ => {}
        }
    }
    l.communication = free.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
}

#[cfg(test)]
mod tests;
