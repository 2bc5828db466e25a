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

use super::apply::{Change, Fail, Options, Outcome, Unmatched, in_transaction, row_fail};
use super::bank::{OpenIndex, closest, number_tokens};
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
    /// When the statement is long for its book ([`BookWriter::worth_deferring`]).
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
    in_transaction(store, opts, |w, out, problems| {
        let defer = match deferring {
            Deferring::WhenWorth => w.worth_deferring(lines.count())?,
            #[cfg(test)]
            Deferring::Always => true,
            #[cfg(test)]
            Deferring::Never => false,
        };
        let deferred = if defer { Some(w.defer_indexes(Bulk::Statement)?) } else { None };
        let mut pending: Vec<(usize, u32)> = Vec::new();
        let mut reasons = Reasons::default();
        let first = lines.scan(&mut |i, line| {
            let choice = choices.iter().find(|(at, _)| *at == i).map(|(_, c)| c);
            match first_pass(w, line, choice, out) {
                Ok(None) => {}
                Ok(Some(reason)) => pending.push((i, reasons.id(reason))),
                Err(Fail::Problem(p)) => problems.push(p),
                Err(e @ Fail::Store(_)) => return Err(e),
            }
            Ok(true)
        });
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
            match link_by_hand(w, line, None, out) {
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
    })
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
    line: &BankLine,
    choice: Option<&Choice>,
    out: &mut Outcome,
) -> Result<Option<String>, Fail> {
    let cents = cents_of(line)?;
    if cents <= 0 {
        out.outgoing += 1;
        return Ok(None);
    }
    if w.bank_entry(&key(line, cents))?.is_some() {
        out.unchanged += 1;
        return Ok(None);
    }
    let (inv, how) = match choice {
        Some(Choice::SetAside) => {
            check_kept_text(line)?;
            w.record_bank_entry(&key(line, cents), None, "ignored")?;
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
    if link_by_hand(w, line, Some(&inv), out)? {
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
    record(w, line, cents, &inv, how, out)?;
    Ok(None)
}

fn money(line: &BankLine, cents: i64) -> Money {
    Money::from_cents(cents, line.currency.unwrap_or_default())
}

/// Links a line to a payment of its amount recorded by hand (on `inv` if given); true if
/// one was found.
fn link_by_hand(
    w: &BookWriter<'_>,
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
    w.record_bank_entry(&key(line, cents), Some(payment), "linked")?;
    if let (Some(iban), Some(inv)) = (&line.counterparty_iban, inv) {
        w.remember_account(inv.customer_id, iban, line.date)?;
    }
    out.push(Change::Linked { at: line.origin.to_string(), invoice: number, amount: money(line, cents), on });
    Ok(true)
}

fn record(
    w: &BookWriter<'_>,
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
    w.record_bank_entry(&key(line, cents), Some(id), how)?;
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
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::dec;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::customer::NewCustomer;
    use crate::domain::invoice::{InvoiceId, NewInvoice, NewPayment};
    use crate::domain::money::Currency;
    use crate::domain::ogm::Ogm;
    use crate::import::bank::parse_statement;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Two customers with four invoices each (100 to 800 EUR; the fourth carries a
    /// structured reference), and 50 EUR recorded by hand on the first.
    fn small_book() -> Store {
        let store = Store::open_in_memory().unwrap();
        for (c, name) in ["Maple & Finch", "Quarry Design"].into_iter().enumerate() {
            let customer = store.add_customer(&NewCustomer::named(name)).unwrap();
            for n in 1..=4 {
                let k = c * 4 + n;
                store
                    .add_invoice(&NewInvoice {
                        number: format!("INV-{k}"),
                        customer_id: customer,
                        issued: day("2026-10-01"),
                        due: day("2026-10-31"),
                        amount: Money::new(rust_decimal::Decimal::from(k * 100), Currency::EUR),
                        description: String::new(),
                        reference: (n == 4).then(|| PayRef::Ogm(Ogm::generate(k as u64).unwrap())),
                    })
                    .unwrap();
            }
        }
        let first = store.invoice_id("INV-1").unwrap().unwrap();
        store
            .add_payment(&NewPayment {
                invoice: first,
                on: day("2026-11-10"),
                amount: dec!(50),
                kind: PaymentKind::Payment,
                method: None,
                note: String::new(),
            })
            .unwrap();
        store
    }

    /// What a book holds, but for the moments rows were written: every row, and the schema
    /// (each index's definition, by name).
    fn contents(store: &Store) -> String {
        let mut stmt = store
            .conn()
            .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            .unwrap();
        let schema = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{:?}",
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?
                    )
                ))
            })
            .unwrap();
        let schema: Vec<String> = schema.map(Result::unwrap).collect();
        crate::store::testing::dump(store, &["created_at"]) + &schema.join("\n")
    }

    #[test]
    fn an_import_puts_the_connection_back_as_it_was() {
        let mut store = small_book();
        let settings = |s: &Store| -> (i64, i64, i64) {
            let get = |name| s.conn().pragma_query_value(None, name, |r| r.get(0)).unwrap();
            (get("cache_size"), get("temp_store"), get("threads"))
        };
        let before = settings(&store);
        let text = b"date;amount;counterparty;communication\n2026-11-12;42,00;MAPLE AND FINCH BV;thanks\n";
        let p = parse_statement("b.csv", text, &[], day("2026-11-23")).unwrap();
        let dry = Options { dry_run: true, ..Options::default() };
        for deferring in [Deferring::Always, Deferring::WhenWorth] {
            for opts in [dry, Options::default()] {
                // A line that names no invoice: the import hands its cache back for the
                // candidates (and, its indexes deferred, builds them with helper threads).
                let out =
                    import_lines(&mut store, &mut p.records.as_slice(), &[], opts, None, deferring).unwrap();
                assert_eq!(out.not_matched, 1);
                assert_eq!(settings(&store), before);
            }
        }
    }

    /// One line of a statement: paying an invoice by its number or its structured
    /// reference, an amount by hand, or naming nothing; for so many euros, on a day.
    fn statement(lines: &[(u8, usize, i64, u32)]) -> String {
        let mut text = String::from("date;amount;counterparty;communication\n");
        for (how, k, euros, d) in lines {
            let k = k % 8 + 1;
            let communication = match how % 4 {
                0 => format!("Invoice INV-{k}"),
                // The reference of INV-4 or INV-8, or one no invoice carries.
                1 => Ogm::generate(if k % 4 == 0 { k as u64 } else { 99 }).unwrap().to_string(),
                2 => "thanks".to_string(),
                _ => "hand".to_string(),
            };
            text.push_str(&format!("2026-11-{d:02};{euros},00;MAPLE AND FINCH BV;{communication}\n"));
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A statement gone through with its payments' indexes dropped and built again, or
        /// entered line by line, does the same: the same outcome, the same rows, the same
        /// indexes; a second import of a longer statement too (its first lines already
        /// dealt with), and a dry run or a refused one leaves the book as it was.
        #[test]
        fn deferring_the_indexes_changes_nothing_but_the_time(
            earlier in proptest::collection::vec((0u8..4, 0usize..8, 1i64..900, 5u32..20), 0..6),
            later in proptest::collection::vec((0u8..4, 0usize..8, 1i64..900, 5u32..20), 0..12),
            dry in any::<bool>(),
        ) {
            let mut both = Vec::new();
            for deferring in [Deferring::Never, Deferring::Always] {
                let mut store = small_book();
                let mut lines = |text: &str, opts| {
                    let p = parse_statement("b.csv", text.as_bytes(), &[], day("2026-11-23")).unwrap();
                    import_lines(&mut store, &mut p.records.as_slice(), &[], opts, None, deferring)
                        .map_err(|e| format!("{e:#}"))
                };
                let first = lines(&statement(&earlier), Options::default());
                let all: Vec<_> = earlier.iter().chain(&later).copied().collect();
                let second = lines(&statement(&all), Options { dry_run: dry, ..Options::default() });
                both.push((first, second, contents(&store)));
            }
            prop_assert_eq!(&both[0], &both[1]);
        }
    }

    #[test]
    fn a_refused_statement_puts_the_indexes_it_dropped_back() {
        let mut store = small_book();
        let before = contents(&store);
        // Settle's own export names an invoice the book does not have: a bad file.
        let text = "date,invoice,counterparty,amount,currency,kind,method,note\n\
                    2026-11-12,INV-1,Maple & Finch,100.00,EUR,payment,,\n\
                    2026-11-12,INV-99,Maple & Finch,100.00,EUR,payment,,\n";
        let p = parse_statement("b.csv", text.as_bytes(), &[], day("2026-11-23")).unwrap();
        let e = import_lines(
            &mut store,
            &mut p.records.as_slice(),
            &[],
            Options::default(),
            None,
            Deferring::Always,
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("no such invoice"), "{e:#}");
        assert_eq!(contents(&store), before);
        let indexes: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('invoices_open', 'payments_paid', 'payments_amount', 'events_customer')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 4);
    }

    #[test]
    fn only_a_statement_long_for_its_book_is_worth_its_indexes_built_again() {
        let mut store = small_book();
        // 8 invoices, 1 payment and the book's events: a few dozen entries to build again.
        let w = store.book_writer().unwrap();
        assert!(!w.worth_deferring(9_999).unwrap(), "a statement of a day or a month never is");
        assert!(w.worth_deferring(10_000).unwrap());
        // A book of 40,000 invoices' worth of entries (by the largest id): a quarter of it.
        w.add_reduction(&Reduction {
            invoice: InvoiceId(1),
            on: day("2026-11-11"),
            cents: 100,
            kind: PaymentKind::Payment,
            method: None,
            note: "",
        })
        .unwrap();
        drop(w);
        store.conn().execute("UPDATE payments SET id = 20000 WHERE id = 1", []).unwrap();
        let w = store.book_writer().unwrap();
        assert!(
            !w.worth_deferring(10_000).unwrap(),
            "40,000 + the invoices and events: more than 4 × 10,000"
        );
        assert!(w.worth_deferring(10_100).unwrap());
    }
}
