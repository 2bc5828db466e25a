use std::io::Write;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use crate::cli::PaymentAdd;
use crate::domain::invoice::{NewPayment, PaymentKind};
use crate::domain::money::Money;
use crate::domain::text::{Lines, check_optional};
use crate::store::Store;

pub fn add(store: &Store, a: PaymentAdd, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let row = store
        .invoice_by_number(&a.number)?
        .ok_or_else(|| anyhow!("unknown invoice '{}'", a.number.trim()))?;
    if a.date > today {
        bail!("--date: {} is in the future (today is {today}); record a payment once it has arrived", a.date);
    }
    check_optional("--method", a.method.as_deref(), Lines::One)?;
    let inv = &row.invoice;
    store
        .add_payment(&NewPayment {
            invoice: inv.id,
            on: a.date,
            amount: a.amount,
            kind: PaymentKind::Payment,
            method: a.method,
            note: String::new(),
        })
        .map_err(|e| anyhow!("invoice {}: {e}", inv.number))?;
    let open = inv.open - a.amount;
    let currency = inv.amount.currency;
    if open.is_zero() {
        writeln!(out, "Invoice {} is paid in full. Time to thank {}.", inv.number, row.customer)?;
    } else {
        writeln!(
            out,
            "Recorded {} on invoice {}; {} still open.",
            Money::new(a.amount, currency),
            inv.number,
            Money::new(open, currency)
        )?;
    }
    Ok(())
}
