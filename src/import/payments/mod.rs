//! Applying a bank statement, whatever its format. Each incoming line is, in order:
//! - already dealt with (the same line of an earlier import, in this format or another,
//!   matched, chosen, linked or set aside): nothing happens;
//! - given a choice (the app: this invoice, or set aside);
//! - pointed at an invoice by settle's own export (its invoice column), by a structured
//!   reference (OGM or RF creditor reference, in the bank's structured field or in the free
//!   text), or by an invoice number anywhere in the free text;
//!
//! and then, if a payment of that amount was already recorded by hand (within a week, not
//! yet linked to a bank line), linked to it instead of recorded again; else recorded as a
//! payment. The rest are listed with why and the closest open invoices (by amount, name,
//! or an account the customer paid from before). All in one transaction.

use std::collections::HashMap;

use super::Problem;
use super::apply::{
    Change, Fail, Options, Outcome, Unmatched, in_bulk_transaction, in_transaction, row_fail,
};
use super::bank::{OpenIndex, closest, number_tokens};
use super::known::{KnownLines, Repeating};
use super::model::BankLine;
use crate::domain::invoice::PaymentKind;
use crate::domain::limits;
use crate::domain::money::{Money, to_cents};
use crate::domain::ogm::OgmError;
use crate::domain::reference::{self, PayRef, RefError, RfError};
use crate::domain::text::{Lines, check_text};
use crate::store::{BankKey, BookWriter, Bulk, KeptInvoice, Reduction, Store, StoreError};

/// What the user chose for a line that matched nothing (in the app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Record it on this invoice.
    Assign(String),
    /// Not a customer's payment: remember it, never propose it again.
    SetAside,
}

/// Imports the lines of a statement in one transaction.
pub fn import_payments(store: &mut Store, lines: &[BankLine], opts: Options) -> anyhow::Result<Outcome> {
    import_with_choices(store, &mut { lines }, &[], opts, None)
}

/// The lines of a statement, gone through in order as often as an import needs: held whole
/// (the app's statement, and every format but CSV) or read again from the file (a CSV
/// statement on the command line, see [`CsvLines`](super::statement::CsvLines)).
pub trait LineSource {
    /// How many lines it has.
    fn count(&self) -> usize;

    /// Calls `each` with every line and its place (0-based), in order, until it returns
    /// false. A source that cannot give its lines again as they were says so as a problem.
    fn scan(&mut self, each: &mut dyn FnMut(usize, &BankLine) -> Result<bool, Fail>) -> Result<(), Fail>;

    /// Calls `each` with the lines at `places` (in ascending order).
    fn scan_at(
        &mut self,
        places: &[usize],
        each: &mut dyn FnMut(usize, &BankLine) -> Result<(), Fail>,
    ) -> Result<(), Fail> {
        let mut next = places.iter().copied().peekable();
        if next.peek().is_none() {
            return Ok(());
        }
        self.scan(&mut |i, line| {
            if next.peek() == Some(&i) {
                next.next();
                each(i, line)?;
            }
            Ok(next.peek().is_some())
        })
    }
}

impl LineSource for &[BankLine] {
    fn count(&self) -> usize {
        <[BankLine]>::len(self)
    }

    fn scan(&mut self, each: &mut dyn FnMut(usize, &BankLine) -> Result<bool, Fail>) -> Result<(), Fail> {
        for (i, line) in self.iter().enumerate() {
            if !each(i, line)? {
                break;
            }
        }
        Ok(())
    }

    fn scan_at(
        &mut self,
        places: &[usize],
        each: &mut dyn FnMut(usize, &BankLine) -> Result<(), Fail>,
    ) -> Result<(), Fail> {
        for &i in places {
            if let Some(line) = self.get(i) {
                each(i, line)?;
            }
        }
        Ok(())
    }
}

/// The reasons lines matched nothing, each kept once (most lines share a few).
#[derive(Default)]
struct Reasons {
    all: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Reasons {
    fn id(&mut self, reason: String) -> u32 {
        if let Some(id) = self.ids.get(&reason) {
            return *id;
        }
        let id = self.all.len() as u32;
        self.all.push(reason.clone());
        self.ids.insert(reason, id);
        id
    }
}

/// Imports the lines of a statement with the user's choices for some of them (by their
/// place among the lines), in one transaction, going through the lines twice: first each
/// line that names its invoice (or was chosen, or dealt with before), keeping only the place
/// and reason of the others; then those, which may be money recorded by hand or else get the
/// closest open invoices. Each line that matched nothing goes to `unmatched` as it is found;
/// without it, the outcome keeps them.
pub fn import_with_choices(
    store: &mut Store,
    lines: &mut dyn LineSource,
    choices: &[(usize, Choice)],
    opts: Options,
    unmatched: Option<&mut dyn FnMut(Unmatched)>,
) -> anyhow::Result<Outcome> {
    import_lines(store, lines, choices, opts, unmatched, Deferring::WhenWorth)
}

/// Whether the first pass drops the indexes its payments change in places spread over the
/// book, to build them again before the second ([`Bulk::Statement`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deferring {
    /// When the statement is long for its book ([`Store::worth_deferring`]).
    WhenWorth,
    /// Always, or never: the tests' two ways through the same lines.
    #[cfg(test)]
    Always,
    #[cfg(test)]
    Never,
}

fn import_lines(
    store: &mut Store,
    lines: &mut dyn LineSource,
    choices: &[(usize, Choice)],
    opts: Options,
    mut unmatched: Option<&mut dyn FnMut(Unmatched)>,
    deferring: Deferring,
) -> anyhow::Result<Outcome> {
    let bulk = match deferring {
        Deferring::WhenWorth => store.worth_deferring(lines.count())?,
        #[cfg(test)]
        Deferring::Always => true,
        #[cfg(test)]
        Deferring::Never => false,
    };
    let apply = |w: &BookWriter<'_>, out: &mut Outcome, problems: &mut Vec<Problem>| {
        let mut deferred = None;
        let mut known = KnownLines::indexed();
        let mut pending: Vec<(usize, u32)> = Vec::new();
        let mut reasons = Reasons::default();
        let first = (|| {
            if bulk {
                let repeating = Repeating::find(lines.count(), |each| {
                    lines.scan(&mut |_, line| {
                        if let Ok(cents) = cents_of(line)
                            && cents > 0
                        {
                            each(&key(line, cents));
                        }
                        Ok(true)
                    })
                })?;
                let indexes = w.defer_indexes(Bulk::Statement)?;
                known = KnownLines::deferred(indexes.entries_before(), repeating);
                deferred = Some(indexes);
            }
            lines.scan(&mut |i, line| {
                let choice = choices.iter().find(|(at, _)| *at == i).map(|(_, c)| c);
                match first_pass(w, &mut known, line, choice, out) {
                    Ok(None) => {}
                    Ok(Some(reason)) => pending.push((i, reasons.id(reason))),
                    Err(Fail::Problem(p)) => problems.push(p),
                    Err(e @ Fail::Store(_)) => return Err(e),
                }
                Ok(true)
            })
        })();
        match first {
            Ok(()) => {}
            Err(Fail::Problem(p)) => {
                problems.push(p);
                return Ok(());
            }
            Err(Fail::Store(e)) => return Err(e),
        }
        if let Some(deferred) = deferred {
            w.build_indexes(deferred)?;
            known.indexed_again();
        }
        // Lines that name no invoice may still be money recorded by hand: after the others
        // took theirs. The rest get the closest open invoices, from a copy of them made once
        // (recording by hand's links changes no invoice).
        let places: Vec<usize> = pending.iter().map(|(i, _)| *i).collect();
        let mut index: Option<OpenIndex> = None;
        let mut at = 0;
        let second = lines.scan_at(&places, &mut |i, line| {
            let reason = pending.get(at).map_or("", |(_, r)| reasons.all[*r as usize].as_str());
            at += 1;
            match link_by_hand(w, &mut known, line, None, out) {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(Fail::Problem(p)) => {
                    problems.push(p);
                    return Ok(());
                }
                Err(e @ Fail::Store(_)) => return Err(e),
            }
            let known = match &line.counterparty_iban {
                Some(iban) => w.account_customers(iban)?,
                None => Vec::new(),
            };
            let index = match &mut index {
                Some(index) => index,
                None => {
                    // The first pass's writes are done: its cache goes back before the copy.
                    w.release_cache()?;
                    crate::platform::memory::give_back();
                    let index = index.insert(OpenIndex::new()?);
                    w.each_open_invoice(&mut |inv| index.add(inv))?;
                    index.done()?;
                    index
                }
            };
            let candidates = closest(line, index, &known)?;
            let u = Unmatched { index: i, line: line.clone(), reason: reason.to_string(), candidates };
            out.not_matched += 1;
            match &mut unmatched {
                Some(sink) => sink(u),
                None => out.unmatched.push(u),
            }
            Ok(())
        });
        match second {
            Ok(()) => Ok(()),
            Err(Fail::Problem(p)) => {
                problems.push(p);
                Ok(())
            }
            Err(Fail::Store(e)) => Err(e),
        }
    };
    if bulk { in_bulk_transaction(store, opts, apply) } else { in_transaction(store, opts, apply) }
}

fn key(line: &BankLine, cents: i64) -> BankKey<'_> {
    BankKey {
        account: &line.account,
        booked: line.date,
        cents,
        seq: line.seq.max(1),
        format: line.format.as_str(),
        reference: line.entry_ref.as_deref(),
    }
}

fn cents_of(line: &BankLine) -> Result<i64, Fail> {
    to_cents(line.amount).map_err(|e| Fail::Problem(line.origin.problem(e.to_string())))
}

/// Deals with a line if it can; `Some(reason)` when it names no invoice.
fn first_pass(
    w: &BookWriter<'_>,
    known: &mut KnownLines,
    line: &BankLine,
    choice: Option<&Choice>,
    out: &mut Outcome,
) -> Result<Option<String>, Fail> {
    let cents = cents_of(line)?;
    if cents <= 0 {
        out.outgoing += 1;
        return Ok(None);
    }
    if known.find(w, &key(line, cents))?.is_some() {
        out.unchanged += 1;
        return Ok(None);
    }
    let (inv, how) = match choice {
        Some(Choice::SetAside) => {
            check_kept_text(line)?;
            known.record(w, &key(line, cents), None, "ignored")?;
            out.push(Change::SetAside { at: line.origin.to_string(), amount: money(line, cents) });
            return Ok(None);
        }
        Some(Choice::Assign(number)) => match w.kept_invoice(number)? {
            Some(inv) => (inv, "chosen"),
            None => {
                return Err(Fail::Problem(
                    line.origin.problem("no such invoice in the book").field("invoice").value(number.clone()),
                ));
            }
        },
        None => match find_target(w, line)? {
            Target::Invoice(inv) => (inv, "matched"),
            Target::Nothing(reason) => return Ok(Some(reason)),
        },
    };
    if link_by_hand(w, known, line, Some(&inv), out)? {
        return Ok(None);
    }
    let refusal = if line.currency.is_some_and(|c| c != inv.currency) {
        Some(format!(
            "it is in {} but invoice {} is in {}",
            line.currency.map_or_else(String::new, |c| c.to_string()),
            inv.number,
            inv.currency
        ))
    } else if cents > inv.open_cents {
        Some(format!(
            "it pays {} on {}, which has only {} open (already paid?)",
            Money::from_cents(cents, inv.currency),
            inv.number,
            Money::from_cents(inv.open_cents, inv.currency)
        ))
    } else if line.date < inv.issued {
        Some(format!("it is dated before invoice {} was issued ({})", inv.number, inv.issued))
    } else {
        None
    };
    if let Some(reason) = refusal {
        // A number the file or the user gave is a bad file or a bad choice, not a loose end.
        if line.invoice.is_some() || how == "chosen" {
            return Err(Fail::Problem(line.origin.problem(reason)));
        }
        return Ok(Some(reason));
    }
    record(w, known, line, cents, &inv, how, out)?;
    Ok(None)
}

fn money(line: &BankLine, cents: i64) -> Money {
    Money::from_cents(cents, line.currency.unwrap_or_default())
}

/// Links a line to a payment of its amount recorded by hand (on `inv` if given); true if
/// one was found.
fn link_by_hand(
    w: &BookWriter<'_>,
    known: &mut KnownLines,
    line: &BankLine,
    inv: Option<&KeptInvoice>,
    out: &mut Outcome,
) -> Result<bool, Fail> {
    if line.kind != PaymentKind::Payment {
        return Ok(false);
    }
    let cents = cents_of(line)?;
    let Some((payment, number, on)) = w.unlinked_payment(cents, line.date, inv.map(|i| i.id))? else {
        return Ok(false);
    };
    check_kept_text(line)?;
    known.record(w, &key(line, cents), Some(payment), "linked")?;
    if let (Some(iban), Some(inv)) = (&line.counterparty_iban, inv) {
        w.remember_account(inv.customer_id, iban, line.date)?;
    }
    out.push(Change::Linked { at: line.origin.to_string(), invoice: number, amount: money(line, cents), on });
    Ok(true)
}

fn record(
    w: &BookWriter<'_>,
    known: &mut KnownLines,
    line: &BankLine,
    cents: i64,
    inv: &KeptInvoice,
    how: &str,
    out: &mut Outcome,
) -> Result<(), Fail> {
    check_imported_text(line)?;
    let explicit = line.invoice.is_some();
    let note = if explicit {
        line.note.clone()
    } else {
        [line.counterparty.as_str(), line.communication.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ")
    };
    let method = line.method.clone().or_else(|| (!explicit).then(|| "transfer".to_string()));
    let id = w
        .add_reduction(&Reduction {
            invoice: inv.id,
            on: line.date,
            cents,
            kind: line.kind,
            method: method.as_deref(),
            note: &note,
        })
        .map_err(|e: StoreError| row_fail(&line.origin, e))?;
    known.record(w, &key(line, cents), Some(id), how)?;
    if let Some(iban) = &line.counterparty_iban
        && line.kind == PaymentKind::Payment
    {
        w.remember_account(inv.customer_id, iban, line.date)?;
    }
    out.push(Change::Payment {
        at: line.origin.to_string(),
        invoice: inv.number.clone(),
        customer: inv.customer.clone(),
        amount: Money::from_cents(cents, inv.currency),
        kind: line.kind,
    });
    Ok(())
}

/// What a line's communication points at.
enum Target {
    Invoice(KeptInvoice),
    Nothing(String),
}

/// Why a reference that failed its check is not matched, said as such.
fn mistyped(e: &RefError, given: Option<&str>) -> String {
    match e {
        RefError::Ogm(OgmError::Check(text, expected)) => format!(
            "the structured reference {text} has bad check digits (they would be {expected:02}): mistyped by the payer?"
        ),
        RefError::Rf(RfError::Check(text)) => {
            format!("the creditor reference {text} has bad check digits: mistyped by the payer?")
        }
        other => match given {
            Some(g) => format!("the structured reference field {g:?} holds no valid reference: {other}"),
            None => other.to_string(),
        },
    }
}

fn find_target(w: &BookWriter<'_>, line: &BankLine) -> Result<Target, Fail> {
    if let Some(number) = &line.invoice {
        // settle's own export names the invoice: an unknown one is a bad file, not a loose end.
        return match w.kept_invoice(number)? {
            Some(inv) => Ok(Target::Invoice(inv)),
            None => Err(Fail::Problem(
                line.origin.problem("no such invoice in the book").field("invoice").value(number.clone()),
            )),
        };
    }
    let mut refs: Vec<PayRef> = Vec::new();
    let mut bad: Option<(RefError, Option<&str>)> = None;
    if let Some(s) = line.structured.as_deref().filter(|s| !s.trim().is_empty()) {
        match reference::structured(s) {
            Ok(r) => refs.push(r),
            Err(e) => bad = Some((e, Some(s))),
        }
    }
    let quoted = reference::scan(&line.communication);
    for r in quoted.valid {
        if !refs.contains(&r) {
            refs.push(r);
        }
    }
    if bad.is_none() {
        bad = quoted.mistyped.map(|e| (e, None));
    }
    for r in &refs {
        let mut found = w.invoices_with_reference(*r)?;
        match found.len() {
            1 => return Ok(Target::Invoice(found.remove(0))),
            0 => {}
            _ => return Ok(Target::Nothing(format!("several invoices carry the reference {r}"))),
        }
    }
    let mut hits: Vec<KeptInvoice> = Vec::new();
    for token in number_tokens(&line.communication) {
        let inv = match w.kept_invoice(&token)? {
            Some(i) => Some(i),
            None => w.kept_invoice(&token.to_uppercase())?,
        };
        if let Some(inv) = inv
            && !hits.iter().any(|h| h.id == inv.id)
        {
            hits.push(inv);
        }
    }
    match hits.len() {
        1 => Ok(Target::Invoice(hits.remove(0))),
        0 => Ok(Target::Nothing(match (bad, refs.first()) {
            (Some((e, given)), _) => mistyped(&e, given),
            (None, Some(r)) => format!("no invoice of the book carries the reference {r}"),
            (None, None) => "no structured reference or invoice number of the book".into(),
        })),
        _ => Ok(Target::Nothing(format!(
            "it names several invoices ({}); record the split by hand",
            hits.iter().map(|h| h.number.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// What of a line is kept as the key of a remembered line: the bank's reference and the
/// counterparty's account. They come from the file, so they pass the one rule of text input.
fn check_kept_text(line: &BankLine) -> Result<(), Fail> {
    for (field, value) in [
        ("entry reference", line.entry_ref.as_deref().unwrap_or_default()),
        ("counterparty account", line.counterparty_iban.as_deref().unwrap_or_default()),
    ] {
        if let Err(e) = check_text(field, value, Lines::One) {
            return Err(Fail::Problem(line.origin.problem(e.reason()).field(field).value(value)));
        }
    }
    if let Some(iban) = &line.counterparty_iban
        && let Err(e) = limits::identifier("the counterparty's account", iban)
    {
        return Err(Fail::Problem(line.origin.problem(e)));
    }
    Ok(())
}

/// The text of a line that is about to be recorded: it goes into the book (the payment's
/// note and method), so it must pass the one rule of text input. Lines that are not recorded
/// are not checked: they are only listed, and the output wall masks them there.
fn check_imported_text(line: &BankLine) -> Result<(), Fail> {
    for (field, value, lines) in [
        ("invoice", line.invoice.as_deref().unwrap_or_default(), Lines::One),
        ("counterparty", &line.counterparty, Lines::One),
        ("communication", &line.communication, Lines::One),
        ("method", line.method.as_deref().unwrap_or_default(), Lines::One),
        ("note", &line.note, Lines::Many),
    ] {
        if let Err(e) = check_text(field, value, lines) {
            return Err(Fail::Problem(line.origin.problem(e.reason()).field(field).value(value)));
        }
    }
    check_kept_text(line)
}

#[cfg(test)]
mod tests;
