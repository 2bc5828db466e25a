//! `settle step`: record a step done outside settle, with its real date, or delete one.

use std::io::Write;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;

use crate::cli::StepRecord;
use crate::config::Config;
use crate::service::{CaseFile, steps};
use crate::store::Store;

pub fn record(
    store: &Store,
    config: &Config,
    a: StepRecord,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let row = store
        .invoice_by_number(&a.invoice)?
        .ok_or_else(|| anyhow!("unknown invoice '{}' (see `settle invoice list`)", a.invoice.trim()))?;
    let on = a.date.unwrap_or(today);
    steps::record(store, &row.invoice, a.step, on, a.channel, a.tracking.as_deref(), a.compliant, today)
        .with_context(|| format!("invoice {}", row.invoice.number))?;
    let case = CaseFile::load(store, config, row.invoice.id, today)?;
    let now = match case.standing.step_to_take {
        Some(t) => format!("now due: {}", t.step),
        None => match case.standing.next {
            Some(n) => format!("next: {} on {}", n.step, n.on),
            None => "no step left".to_string(),
        },
    };
    writeln!(out, "Invoice {}: recorded the {} of {on}; {now}.", row.invoice.number, a.step)?;
    Ok(())
}

pub fn delete(store: &Store, a: &crate::cli::StepDelete, out: &mut impl Write) -> Result<()> {
    let row = store
        .invoice_by_number(&a.invoice)?
        .ok_or_else(|| anyhow!("unknown invoice '{}' (see `settle invoice list --all`)", a.invoice.trim()))?;
    let number = &row.invoice.number;
    super::confirm(&format!("Delete the {} recorded on invoice {number}?", a.step), a.yes)?;
    let on = store.delete_step(row.invoice.id, a.step).with_context(|| format!("invoice {number}"))?;
    writeln!(out, "Deleted the {} of {on} on invoice {number}. `settle undo` brings it back.", a.step)?;
    Ok(())
}
