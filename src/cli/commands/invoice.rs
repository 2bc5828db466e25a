use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;

use crate::cli::{InvoiceAdd, InvoiceDelete, InvoiceEdit, InvoiceList, Reduce};
use crate::domain::dates::add_days;
use crate::domain::invoice::{NewInvoice, PaymentKind};
use crate::domain::money::Money;
use crate::domain::reference::PayRef;
use crate::service::corrections::{InvoiceChange, edit_invoice};
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
    crate::service::corrections::add_invoice(store, &invoice, a.pdf.as_deref())?;
    writeln!(
        out,
        "Added invoice {} for {}: {}, due {}.",
        invoice.number, customer.name, invoice.amount, invoice.due
    )?;
    if let Some(pdf) = &a.pdf {
        writeln!(out, "Its PDF {} goes with every email about it.", pdf.display())?;
    }
    Ok(())
}

pub fn list(store: &Store, a: &InvoiceList, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let when = |due: NaiveDate| {
        let late = (today - due).num_days();
        if late > 0 { format!("{late} days late") } else { format!("due {due}") }
    };
    // The open invoices (the default) stream from the store: nothing is collected.
    if a.customer.is_none() && !a.paid && !a.all {
        return store.each_open_invoice_by_due(|inv| -> Result<()> {
            line(out, inv.number, inv.customer, inv.open, inv.amount, &when(inv.due))
        });
    }
    let rows = match a.customer.as_deref() {
        Some(name) => {
            let mut rows = store.customer_invoices(super::customer::named(store, name)?.id)?;
            rows.reverse();
            rows
        }
        None => store.all_invoices()?,
    };
    let wanted = |open: bool| {
        if a.all {
            true
        } else if a.paid {
            !open
        } else {
            open
        }
    };
    for row in rows.iter().filter(|r| wanted(!r.invoice.open.is_zero())) {
        let inv = &row.invoice;
        let when = if inv.open.is_zero() {
            if inv.written_off { "written off".to_string() } else { "settled".to_string() }
        } else {
            when(inv.due)
        };
        line(out, &inv.number, &row.customer, Money::new(inv.open, inv.amount.currency), inv.amount, &when)?;
    }
    Ok(())
}

/// One invoice of `settle invoice list`.
fn line(
    out: &mut impl Write,
    number: &str,
    customer: &str,
    open: Money,
    amount: Money,
    when: &str,
) -> Result<()> {
    writeln!(
        out,
        "{:<14} {:<40} {:>14} open of {:>14}  {}",
        number,
        customer,
        open.to_string(),
        amount.to_string(),
        when
    )?;
    Ok(())
}

fn by_number(store: &Store, number: &str) -> Result<crate::domain::invoice::InvoiceRow> {
    store
        .invoice_by_number(number)?
        .ok_or_else(|| anyhow!("unknown invoice '{}' (see `settle invoice list --all`)", number.trim()))
}

pub fn edit(store: &Store, a: InvoiceEdit, out: &mut impl Write) -> Result<()> {
    let row = by_number(store, &a.number)?;
    let inv = &row.invoice;
    let customer = match a.customer.as_deref() {
        Some(name) => Some(super::customer::named(store, name).map_err(|e| anyhow!("--customer: {e}"))?.id),
        None => None,
    };
    let reference = match a.reference.as_deref().map(str::trim) {
        Some("") => Some(None),
        Some(r) => Some(Some(r.parse::<PayRef>().map_err(|e| anyhow!("--ref: {e}"))?)),
        None => None,
    };
    let change = InvoiceChange {
        number: a.new_number,
        customer,
        issued: a.issued,
        due: a.due,
        amount: a.amount,
        currency: a.currency,
        description: a.description,
        reference,
        pdf: a.pdf.map(|p| (!p.is_empty()).then(|| std::path::PathBuf::from(p))),
    };
    let new = edit_invoice(store, inv.id, &change).with_context(|| format!("invoice {}", inv.number))?;
    writeln!(
        out,
        "Changed invoice {} for {}: {}, due {}, {} open.",
        new.invoice.number,
        new.customer,
        new.invoice.amount,
        new.invoice.due,
        Money::new(new.invoice.open, new.invoice.amount.currency)
    )?;
    Ok(())
}

pub fn delete(store: &Store, a: &InvoiceDelete, out: &mut impl Write) -> Result<()> {
    let row = by_number(store, &a.delete.what)?;
    let inv = &row.invoice;
    let paid = store.payment_lines(Some(inv.id))?.len();
    if paid > 0 && !a.with_payments {
        bail!(
            "invoice {} has {paid} payment(s), credit(s) or write-off(s); delete them first (`settle payment list {}`) \
             or add --with-payments; nothing was changed",
            inv.number,
            inv.number
        );
    }
    let also = if paid > 0 { format!(" and its {paid} payment(s)") } else { String::new() };
    super::confirm(
        &format!(
            "Delete invoice {} of {} ({}){also}, with its history?",
            inv.number, row.customer, inv.amount
        ),
        a.delete.yes,
    )?;
    store.delete_invoice(inv.id, a.with_payments)?;
    writeln!(out, "Deleted invoice {}{also}. `settle undo` brings it back.", inv.number)?;
    Ok(())
}

pub fn reduce(
    store: &Store,
    a: Reduce,
    kind: PaymentKind,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let row = by_number(store, &a.number)?;
    let r = crate::service::reductions::Reduce {
        kind,
        amount: a.amount,
        on: a.date.unwrap_or(today),
        reason: a.reason,
    };
    let said = crate::service::reductions::reduce(store, &row.invoice, &r, today)?;
    writeln!(out, "{said}")?;
    Ok(())
}
