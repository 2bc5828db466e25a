//! ISO 20022 CAMT.053 bank-to-customer statements, versions .001.02 to .001.08, read with
//! quick-xml's namespace-aware reader: each booked entry (`Ntry`) with its sign
//! (`CdtDbtInd`), amount and currency, booking and value dates, the bank's reference
//! (`AcctSvcrRef`), and from its transaction details the counterparty (name and IBAN), the
//! structured reference (`RmtInf/Strd/CdtrRefInf/Ref`) and the free text (`RmtInf/Ustrd`).
//! An entry that batches several transactions with their own amounts gives one line each.
//!
//! Why not serde: a statement is a long repetition of a few paths, and a refusal must name
//! the line of the entry it is about; a streaming reader keeps both, bounds the nesting
//! (as the UBL reader does) and sees a truncated file as one.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::reader::NsReader;
use rust_decimal::Decimal;

use super::model::{BankLine, Origin, StatementFormat, compact_account};
use super::ubl::{GeneralRefError, MAX_DEPTH, general_ref, xml_char};
use super::{At, Problem};
use crate::domain::dates::parse_date;
use crate::domain::money::{Currency, to_cents};

const NS_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";

/// Whether bytes look like a CAMT.053 document (an XML file naming its namespace).
pub fn looks_like(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('<') && text.contains("camt.05")
}

/// Counts lines forward as the reader moves on (the reader only goes forward).
struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn of(&mut self, offset: u64) -> u64 {
        let end = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        if end < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += self.text[self.at..end].iter().filter(|b| **b == b'\n').count() as u64;
        self.at = end;
        self.line
    }
}

/// The texts of one entry or one transaction, by path below it (`Amt`, `Amt@Ccy`,
/// `BookgDt/Dt`, `RltdPties/Dbtr/Nm`); repeated free text is joined.
#[derive(Debug, Default)]
struct Texts(HashMap<String, String>);

impl Texts {
    fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    fn first(&self, paths: &[&str]) -> Option<&str> {
        paths.iter().find_map(|p| self.get(p))
    }

    fn put(&mut self, path: String, value: &str) {
        let repeated =
            path.ends_with("Ustrd") || path.ends_with("AddtlTxInf") || path.ends_with("AddtlNtryInf");
        match self.0.get_mut(&path) {
            Some(v) if repeated => {
                v.push(' ');
                v.push_str(value.trim());
            }
            Some(_) => {}
            None => {
                self.0.insert(path, value.trim().to_string());
            }
        }
    }
}

#[derive(Debug, Default)]
struct Entry {
    line: u64,
    texts: Texts,
    txs: Vec<Texts>,
}

/// Reads one CAMT.053 document into lines (unnumbered), or the first problem.
pub fn parse(file: &Arc<str>, text: &str, today: NaiveDate) -> Result<Vec<BankLine>, Vec<Problem>> {
    if let Some((i, c)) = text.char_indices().find(|(_, c)| !xml_char(*c)) {
        return Err(vec![Problem::new(
            file,
            At::Line(super::ubl::line_of(text, i as u64)),
            format!("not well-formed XML: it holds U+{:04X}, a character XML 1.0 forbids", u32::from(c)),
        )]);
    }
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut lines_at = LineCounter { text: text.as_bytes(), at: 0, line: 1 };
    let mut stack: Vec<(String, u64)> = Vec::new();
    let mut current = String::new();
    let mut root_seen = false;
    let mut account = String::new();
    let mut account_ccy: Option<String> = None;
    let mut entry: Option<Entry> = None;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    loop {
        let (ns, event) = match super::next_event(&mut reader) {
            Ok(found) => found,
            Err(e) => {
                let at = reader.error_position();
                let line = lines_at.of(at);
                let cut = e.to_string().contains("end of input");
                let message = if cut || usize::try_from(at).unwrap_or(usize::MAX) >= text.trim_end().len() {
                    format!(
                        "the statement ends in the middle of an element ({e}): the file is truncated; nothing was imported"
                    )
                } else {
                    format!("not well-formed XML: {e}")
                };
                return Err(vec![Problem::new(file, At::Line(line), message)]);
            }
        };
        match event {
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_string();
                let line = lines_at.of(reader.buffer_position());
                if stack.is_empty() {
                    if root_seen {
                        return Err(vec![Problem::new(file, At::Line(line), "more than one root element")]);
                    }
                    root_seen = true;
                    check_root(file, line, &local, ns.as_deref())?;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(vec![Problem::new(
                        file,
                        At::Line(line),
                        format!(
                            "too deep: elements nested more than {MAX_DEPTH} levels (a statement goes about 12)"
                        ),
                    )]);
                }
                stack.push((local.clone(), line));
                match local.as_str() {
                    "Stmt" if stack.len() == 3 => {
                        account.clear();
                        account_ccy = None;
                    }
                    "Ntry" if entry.is_none() => entry = Some(Entry { line, ..Entry::default() }),
                    "TxDtls" => {
                        if let Some(en) = &mut entry {
                            en.txs.push(Texts::default());
                        }
                    }
                    "Amt" => {
                        if let Ok(Some(a)) = e.try_get_attribute("Ccy")
                            && let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        {
                            put(&stack, &mut entry, &mut account, &mut account_ccy, "@Ccy", &v);
                        }
                    }
                    _ => {}
                }
                current.clear();
            }
            Event::End(_) => {
                if !current.trim().is_empty() {
                    put(&stack, &mut entry, &mut account, &mut account_ccy, "", &current);
                }
                if let Some((name, _)) = stack.pop()
                    && name == "Ntry"
                    && let Some(en) = entry.take()
                {
                    match entry_lines(file, &en, &account, account_ccy.as_deref(), today) {
                        Ok(mut ls) => out.append(&mut ls),
                        Err(mut p) => problems.append(&mut p),
                    }
                }
                current.clear();
            }
            Event::Text(t) => current.push_str(&t.xml10_content()),
            Event::CData(t) => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match general_ref(&r) {
                Ok(c) => current.push(c),
                Err(GeneralRefError::Here(m) | GeneralRefError::Syntax(m)) => {
                    let line = lines_at.of(reader.buffer_position());
                    return Err(vec![Problem::new(file, At::Line(line), m)]);
                }
            },
            Event::Eof => break,
            _ => {}
        }
        if root_seen && stack.is_empty() {
            break;
        }
    }
    if !root_seen {
        return Err(vec![Problem::new(
            file,
            At::File,
            "not XML: no root element (is this a CAMT.053 statement?)",
        )]);
    }
    if let Some((open, line)) = stack.last() {
        let end = super::ubl::line_of(text, text.len() as u64);
        return Err(vec![Problem::new(
            file,
            At::Line(end),
            format!(
                "the statement ends inside <{open}> (opened on line {line}): the file is truncated; nothing was imported"
            ),
        )]);
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn check_root(file: &Arc<str>, line: u64, local: &str, ns: Option<&str>) -> Result<(), Vec<Problem>> {
    let version = ns.and_then(|n| n.strip_prefix(NS_PREFIX)).and_then(|v| v.parse::<u32>().ok());
    match (local, version) {
        ("Document", Some(2..=8)) => Ok(()),
        ("Document", Some(v)) => Err(vec![Problem::new(
            file,
            At::Line(line),
            format!("CAMT.053 version .001.{v:02} is not read: settle reads versions .001.02 to .001.08"),
        )]),
        _ => Err(vec![Problem::new(
            file,
            At::Line(line),
            format!(
                "not a CAMT.053 statement: the root element is <{local}>{} (a camt.052 or camt.054 \
                 report is not a statement: export the daily statement, camt.053)",
                ns.map(|n| format!(" in namespace {n}")).unwrap_or_default()
            ),
        )]),
    }
}

/// Files the text of the element on top of the stack under the entry, its current
/// transaction, or the statement's account.
fn put(
    stack: &[(String, u64)],
    entry: &mut Option<Entry>,
    account: &mut String,
    account_ccy: &mut Option<String>,
    suffix: &str,
    value: &str,
) {
    let names: Vec<&str> = stack.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(en) = entry {
        let Some(ntry) = names.iter().position(|n| *n == "Ntry") else { return };
        if let Some(tx) = names.iter().rposition(|n| *n == "TxDtls")
            && let Some(t) = en.txs.last_mut()
        {
            t.put(format!("{}{suffix}", names[tx + 1..].join("/")), value);
        } else {
            en.texts.put(format!("{}{suffix}", names[ntry + 1..].join("/")), value);
        }
        return;
    }
    // Document/BkToCstmrStmt/Stmt/Acct/…
    let path = names.get(3..).map(|p| p.join("/")).unwrap_or_default();
    match path.as_str() {
        "Acct/Id/IBAN" => *account = compact_account(value),
        "Acct/Id/Othr/Id" if account.is_empty() => *account = compact_account(value),
        "Acct/Ccy" => *account_ccy = Some(value.trim().to_string()),
        _ => {}
    }
}

fn date_of<'t>(t: &'t Texts, base: &str) -> Option<&'t str> {
    t.first(&[&format!("{base}/Dt"), &format!("{base}/DtTm"), &format!("{base}/Dt/Dt")])
        .map(|d| d.get(..10).unwrap_or(d))
}

fn amount_of(s: &str) -> Result<Decimal, String> {
    let d = Decimal::from_str(s.trim()).map_err(|_| format!("not an amount: {:?}", s.trim()))?;
    if d.normalize().scale() > 2 {
        return Err(format!("{} has more than two decimals", s.trim()));
    }
    to_cents(d).map_err(|e| e.to_string())?;
    Ok(d)
}

/// The lines of one entry: one, or one per transaction when each carries its own amount.
fn entry_lines(
    file: &Arc<str>,
    en: &Entry,
    account: &str,
    account_ccy: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<BankLine>, Vec<Problem>> {
    let t = &en.texts;
    let origin = Origin { file: file.clone(), at: At::Line(en.line) };
    let problem = |m: String| vec![origin.problem(m)];
    let status = t.first(&["Sts", "Sts/Cd"]).unwrap_or("BOOK");
    if status != "BOOK" {
        // Pending and information-only entries are not money on the account yet.
        return Ok(Vec::new());
    }
    let sign = match t.get("CdtDbtInd") {
        Some("CRDT") => Decimal::ONE,
        Some("DBIT") => Decimal::NEGATIVE_ONE,
        Some(other) => return Err(problem(format!("CdtDbtInd {other:?}: expected CRDT or DBIT"))),
        None => return Err(problem("the entry has no CdtDbtInd (credit or debit)".into())),
    };
    // A reversal takes money back: it is never a customer's payment.
    let reversal = t.get("RvslInd").is_some_and(|r| r == "true" || r == "1");
    let amount = t.get("Amt").ok_or_else(|| problem("the entry has no Amt".into()))?;
    let amount = amount_of(amount).map_err(|m| problem(format!("Amt: {m}")))?;
    let currency = t
        .get("Amt@Ccy")
        .or(account_ccy)
        .map(|c| c.parse::<Currency>().map_err(|e| problem(format!("Amt Ccy: {e}"))))
        .transpose()?;
    let booked = date_of(t, "BookgDt")
        .or_else(|| date_of(t, "ValDt"))
        .ok_or_else(|| problem("the entry has no BookgDt (booking date)".into()))?;
    let booked = parse_date(booked).map_err(|e| problem(format!("BookgDt: {e}")))?;
    if booked > today {
        return Err(problem(format!("booked on {booked}, after today ({today})")));
    }
    let value_date = date_of(t, "ValDt").and_then(|d| parse_date(d).ok());
    let entry_ref = t.get("AcctSvcrRef").map(str::to_string);
    let split = en.txs.len() > 1 && en.txs.iter().all(|x| x.first(&["Amt", "AmtDtls/TxAmt/Amt"]).is_some());
    let mut out = Vec::new();
    let txs: Vec<Option<&Texts>> =
        if split { en.txs.iter().map(Some).collect() } else { vec![en.txs.first()] };
    for (i, tx) in txs.into_iter().enumerate() {
        let mut amt = amount;
        let mut sgn = sign;
        if split && let Some(x) = tx {
            let a = x.first(&["Amt", "AmtDtls/TxAmt/Amt"]).unwrap_or_default();
            amt = amount_of(a).map_err(|m| problem(format!("TxDtls Amt: {m}")))?;
            sgn = match x.get("CdtDbtInd") {
                Some("DBIT") => Decimal::NEGATIVE_ONE,
                Some("CRDT") => Decimal::ONE,
                _ => sign,
            };
        }
        let signed = if reversal { -(amt * sgn).abs() } else { amt * sgn };
        let mut line = BankLine::new(origin.clone(), StatementFormat::Camt053, booked, signed);
        line.account = account.to_string();
        line.value_date = value_date;
        line.currency = currency;
        line.entry_ref = match (&entry_ref, split) {
            (Some(r), true) => Some(format!("{r}/{}", i + 1)),
            (Some(r), false) => Some(r.clone()),
            (None, _) => tx.and_then(|x| x.get("Refs/AcctSvcrRef")).map(str::to_string),
        };
        let party = if sgn.is_sign_negative() { "Cdtr" } else { "Dbtr" };
        let mut free = Vec::new();
        if let Some(x) = tx {
            line.counterparty = x
                .first(&[&format!("RltdPties/{party}/Nm"), &format!("RltdPties/{party}/Pty/Nm")])
                .unwrap_or_default()
                .to_string();
            line.counterparty_iban = x
                .first(&[
                    &format!("RltdPties/{party}Acct/Id/IBAN"),
                    &format!("RltdPties/{party}Acct/Id/Othr/Id"),
                ])
                .map(compact_account);
            line.structured = x.get("RmtInf/Strd/CdtrRefInf/Ref").map(str::to_string);
            free.extend(x.get("RmtInf/Ustrd"));
            free.extend(x.get("Refs/EndToEndId").filter(|e| !e.eq_ignore_ascii_case("NOTPROVIDED")));
            free.extend(x.get("AddtlTxInf"));
        }
        if free.is_empty() {
            free.extend(t.get("AddtlNtryInf"));
        }
        line.communication = free.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        out.push(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
