use std::io::Write;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use crate::cli::InvoiceAdd;
use crate::domain::dates::add_days;
use crate::domain::invoice::NewInvoice;
use crate::domain::money::Money;
use crate::domain::reference::PayRef;
use crate::store::Store;

pub fn add(store: &Store, a: InvoiceAdd, out: &mut impl Write) -> Result<()> {
    let customer = store.customer_by_name(&a.customer)?.ok_or_else(|| {
        anyhow!(
            "unknown customer '{}': add it first with `settle customer add \"{}\"`",
            a.customer.trim(),
            a.customer.trim()
        )
    })?;
    let reference = match a.reference.as_deref() {
        Some(r) => Some(r.parse::<PayRef>().map_err(|e| anyhow!("--ref: {e}"))?),
        None => None,
    };
    let due = a.due.unwrap_or_else(|| add_days(a.issued, i64::from(customer.terms_days)));
    let currency = match a.currency {
        Some(c) => c,
        None => store.book_currency()?,
    };
    if a.amount <= rust_decimal::Decimal::ZERO {
        bail!("--amount: an invoice amount must be positive, not {}", a.amount);
    }
    let invoice = NewInvoice {
        number: a.number.trim().to_string(),
        customer_id: customer.id,
        issued: a.issued,
        due,
        amount: Money::new(a.amount, currency),
        description: a.description,
        reference,
    };
    store.add_invoice(&invoice)?;
    writeln!(
        out,
        "Added invoice {} for {}: {}, due {}.",
        invoice.number, customer.name, invoice.amount, invoice.due
    )?;
    Ok(())
}

pub fn list(store: &Store, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    for row in store.open_invoices()? {
        let inv = &row.invoice;
        let late = inv.days_overdue(today);
        let when = if late > 0 { format!("{late} days late") } else { format!("due {}", inv.due) };
        writeln!(
            out,
            "{:<14} {:<40} {:>14} open of {:>14}  {}",
            inv.number,
            row.customer,
            Money::new(inv.open, inv.amount.currency).to_string(),
            inv.amount.to_string(),
            when
        )?;
    }
    Ok(())
}
