//! Writing off and crediting part or all of an invoice, on its own or as the end of a
//! dispute: the checks and the one store write both front-ends go through (`settle invoice
//! write-off/credit`, the app's `o` and the dispute form's credit).

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::input::{FieldError, Input};
use crate::domain::invoice::{Invoice, NewPayment, PaymentKind};
use crate::domain::money::Money;
use crate::domain::text::{Lines, check_text};
use crate::store::Store;

/// A write-off or a credit to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduce {
    pub kind: PaymentKind,
    /// How much; `None`: all that is open.
    pub amount: Option<Decimal>,
    pub on: NaiveDate,
    /// Why: it goes with the row and is shown on the invoice.
    pub reason: String,
}

/// "write-off" or "credit", as sentences say it.
pub fn kind_word(kind: PaymentKind) -> &'static str {
    match kind {
        PaymentKind::WriteOff => "write-off",
        PaymentKind::Credit => "credit",
        PaymentKind::Payment => "payment",
    }
}

/// Checks a write-off or credit on `inv` (a reason, a day not after `today`, something
/// open) and turns it into the payment row the store records.
fn check(inv: &Invoice, r: &Reduce, today: NaiveDate) -> Result<NewPayment> {
    let reason = r.reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new(Input::Reason, "say why (it goes on the invoice's timeline)").into());
    }
    check_text("the reason", reason, Lines::One).map_err(|e| FieldError::new(Input::Reason, e.reason()))?;
    if r.on > today {
        return Err(
            FieldError::new(Input::Date, format!("{} is in the future (today is {today})", r.on)).into()
        );
    }
    if inv.open.is_zero() {
        bail!("invoice {} has nothing open to {}", inv.number, r.kind);
    }
    Ok(NewPayment {
        invoice: inv.id,
        on: r.on,
        amount: r.amount.unwrap_or(inv.open),
        kind: r.kind,
        method: None,
        note: reason.to_string(),
    })
}

/// Records a write-off or credit on `inv`, in one transaction; says what was done.
pub fn reduce(store: &Store, inv: &Invoice, r: &Reduce, today: NaiveDate) -> Result<String> {
    let p = check(inv, r, today)?;
    store.add_payment(&p).with_context(|| format!("invoice {}", inv.number))?;
    said(store, inv, &p)
}

/// Resolves the dispute on `inv` on `on`, with a credit when `credit` holds one: both in one
/// transaction (one change of the log, so one undo).
pub fn resolve_dispute(
    store: &Store,
    inv: &Invoice,
    on: NaiveDate,
    how: &str,
    credit: Option<Decimal>,
    today: NaiveDate,
) -> Result<String> {
    if on > today {
        return Err(FieldError::new(Input::Date, format!("{on} is in the future (today is {today})")).into());
    }
    let Some(amount) = credit else {
        store.set_dispute(inv.id, false, on, how)?;
        return Ok(format!("Dispute on {} resolved.", inv.number));
    };
    let p = check(
        inv,
        &Reduce { kind: PaymentKind::Credit, amount: Some(amount), on, reason: how.to_string() },
        today,
    )?;
    store
        .resolve_dispute_with(inv.id, on, how, &p)
        .with_context(|| format!("invoice {}: the credit", inv.number))?;
    Ok(format!("Dispute on {} resolved. {}", inv.number, said(store, inv, &p)?))
}

fn said(store: &Store, inv: &Invoice, p: &NewPayment) -> Result<String> {
    let after = store.invoice(inv.id)?.invoice;
    let currency = inv.amount.currency;
    Ok(format!(
        "Recorded a {} of {} on invoice {} ({}); {} still open.",
        kind_word(p.kind),
        Money::new(p.amount, currency),
        inv.number,
        p.note,
        Money::new(after.open, currency)
    ))
}
