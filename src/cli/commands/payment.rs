use std::io::Write;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;

use crate::cli::{Format, PaymentAdd};
use crate::config::Config;
use crate::domain::invoice::{NewPayment, PaymentKind};
use crate::domain::money::{Money, from_cents, plain_amount, to_cents};
use crate::domain::text::{Lines, check_optional};
use crate::service::agenda::{AfterPayment, after_payment};
use crate::store::{PaymentEdit as StoreEdit, PaymentLine, Store};

pub fn add(
    store: &Store,
    config: &Config,
    a: PaymentAdd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
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
        .with_context(|| format!("invoice {}", inv.number))?;
    let open = inv.open - a.amount;
    let currency = inv.amount.currency;
    if open.is_zero() {
        let n = &inv.number;
        match after_payment(store, config, inv.id, today)? {
            AfterPayment::Claimable(m) => writeln!(
                out,
                "Invoice {n} is paid in full; {m} of interest and costs is still claimable: claim it by letter (`settle letter {n}`) or waive it (`settle claim waive {n}`)."
            )?,
            AfterPayment::ThankYou => {
                writeln!(out, "Invoice {n} is paid in full. Time to thank {}.", row.customer)?
            }
            AfterPayment::Nothing => writeln!(out, "Invoice {n} is paid in full.")?,
        }
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

pub fn list(store: &Store, a: &crate::cli::PaymentList, out: &mut impl Write) -> Result<()> {
    let invoice = match a.invoice.as_deref() {
        Some(n) => Some(
            store.invoice_by_number(n)?.ok_or_else(|| anyhow!("unknown invoice '{}'", n.trim()))?.invoice.id,
        ),
        None => None,
    };
    let lines = store.payment_lines(invoice)?;
    if a.format == Format::Json {
        let rows: Vec<serde_json::Value> = lines
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id,
                    "invoice": p.number,
                    "amount": plain_amount(from_cents(p.cents)),
                    "currency": p.currency.as_str(),
                    "date": p.on.to_string(),
                    "method": p.method,
                    "kind": p.kind.as_str(),
                    "note": p.note,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    if lines.is_empty() {
        writeln!(out, "No payments recorded.")?;
    }
    for p in &lines {
        writeln!(
            out,
            "{:>6}  {:<14} {:>14}  {}  {:<9} {} {}",
            p.id,
            p.number,
            Money::from_cents(p.cents, p.currency).to_string(),
            p.on,
            p.kind.as_str(),
            p.method.as_deref().unwrap_or(""),
            p.note
        )?;
    }
    Ok(())
}

fn describe(p: &PaymentLine) -> String {
    format!("{} {} of {} on invoice {}", p.kind, Money::from_cents(p.cents, p.currency), p.on, p.number)
}

pub fn delete(store: &Store, a: &crate::cli::Delete, out: &mut impl Write) -> Result<()> {
    let id: i64 = a.what.trim().parse().map_err(|_| {
        anyhow!("payment id: '{}' is not a number (see `settle payment list`)", a.what.trim())
    })?;
    let p = store.payment_line(id)?;
    super::confirm(&format!("Delete the {} (#{id})?", describe(&p)), a.yes)?;
    store.delete_payment(id)?;
    let row = store.invoice(p.invoice)?;
    writeln!(
        out,
        "Deleted the {}; {} now open. `settle undo` brings it back.",
        describe(&p),
        Money::new(row.invoice.open, p.currency)
    )?;
    Ok(())
}

pub fn edit(store: &Store, a: crate::cli::PaymentEdit, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    if let Some(d) = a.date
        && d > today
    {
        bail!("--date: {d} is in the future (today is {today})");
    }
    check_optional("--method", a.method.as_deref(), Lines::One)?;
    let cents = match a.amount {
        Some(x) => Some(to_cents(x).map_err(|e| anyhow!("--amount: {e}"))?),
        None => None,
    };
    if cents.is_none() && a.date.is_none() && a.method.is_none() && a.invoice.is_none() {
        bail!("nothing to change: give --amount, --date, --method or --invoice");
    }
    let invoice = match a.invoice.as_deref() {
        Some(n) => Some(
            store
                .invoice_by_number(n)?
                .ok_or_else(|| anyhow!("--invoice: unknown invoice '{}'", n.trim()))?
                .invoice
                .id,
        ),
        None => None,
    };
    let method = a.method.map(|m| Some(m.trim().to_string()).filter(|m| !m.is_empty()));
    let p = store.edit_payment(a.id, &StoreEdit { cents, on: a.date, method, invoice })?;
    writeln!(out, "Payment #{} is now the {}.", p.id, describe(&p))?;
    Ok(())
}
