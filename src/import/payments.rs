//! Applying a bank statement: each incoming line whose communication holds a structured
//! reference (OGM) or an invoice number is recorded as a payment on that invoice; the rest
//! are listed with the closest open invoices. A line already recorded by an earlier import of
//! the same statement is skipped, so importing twice records nothing twice.

use super::apply::{Change, Fail, Options, Outcome, Unmatched, in_transaction, row_fail};
use super::bank::{closest, number_tokens};
use super::model::BankLine;
use crate::domain::money::{Money, to_cents};
use crate::domain::ogm::Ogm;
use crate::domain::text::{Lines, check_text};
use crate::store::{BookWriter, KeptInvoice, Reduction, Store, StoreError};

/// Imports the lines of a statement in one transaction.
pub fn import_payments(store: &mut Store, lines: &[BankLine], opts: Options) -> anyhow::Result<Outcome> {
    let mut outcome = in_transaction(store, opts, |w, out, problems| {
        for line in lines {
            match apply_line(w, line, out) {
                Ok(()) => {}
                Err(Fail::Problem(p)) => problems.push(p),
                Err(Fail::Store(e)) => return Err(e),
            }
        }
        Ok(())
    })?;
    if !outcome.unmatched.is_empty() {
        let open = store.open_invoices()?;
        for u in &mut outcome.unmatched {
            u.candidates = closest(&u.line, &open);
        }
    }
    Ok(outcome)
}

/// What a line's communication points at.
enum Target {
    Invoice(KeptInvoice),
    Nothing(String),
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
    if let Some(ogm) = Ogm::find_in(&line.communication) {
        let mut found = w.invoices_with_reference(ogm)?;
        match found.len() {
            1 => return Ok(Target::Invoice(found.remove(0))),
            0 => {}
            _ => return Ok(Target::Nothing(format!("several invoices carry the reference {ogm}"))),
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
        0 => Ok(Target::Nothing("no structured reference or invoice number of the book".into())),
        _ => Ok(Target::Nothing(format!(
            "it names several invoices ({}); record the split by hand",
            hits.iter().map(|h| h.number.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
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
    Ok(())
}

fn apply_line(w: &BookWriter<'_>, line: &BankLine, out: &mut Outcome) -> Result<(), Fail> {
    let cents = to_cents(line.amount).map_err(|e| Fail::Problem(line.origin.problem(e.to_string())))?;
    if cents <= 0 {
        out.outgoing += 1;
        return Ok(());
    }
    if w.bank_line_recorded(&line.identity)? {
        out.unchanged += 1;
        return Ok(());
    }
    let explicit = line.invoice.is_some();
    let inv = match find_target(w, line)? {
        Target::Invoice(inv) => inv,
        Target::Nothing(reason) => {
            out.unmatched.push(Unmatched { line: line.clone(), reason, candidates: Vec::new() });
            return Ok(());
        }
    };
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
        if explicit {
            return Err(Fail::Problem(line.origin.problem(reason)));
        }
        out.unmatched.push(Unmatched { line: line.clone(), reason, candidates: Vec::new() });
        return Ok(());
    }
    check_imported_text(line)?;
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
    w.record_bank_line(&line.identity, id)?;
    out.changes.push(Change::Payment {
        at: line.origin.to_string(),
        invoice: inv.number,
        customer: inv.customer,
        amount: Money::from_cents(cents, inv.currency),
        kind: line.kind,
    });
    Ok(())
}
