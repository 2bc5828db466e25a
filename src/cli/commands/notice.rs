//! `settle notice`: the registered letter of a formal notice and its receipt.

use std::io::Write;

use anyhow::{Context, Result, anyhow};

use crate::cli::NoticeArgs;
use crate::store::Store;

pub fn notice(store: &Store, a: NoticeArgs, out: &mut impl Write) -> Result<()> {
    let row = store
        .invoice_by_number(&a.invoice)?
        .ok_or_else(|| anyhow!("unknown invoice '{}'", a.invoice.trim()))?;
    let mail = store
        .set_notice_received(row.invoice.id, a.received)
        .with_context(|| format!("invoice {}", row.invoice.number))?;
    writeln!(
        out,
        "Invoice {}: the formal notice of {} ({}) was received on {}; its term runs from that day.",
        row.invoice.number, mail.sent, mail.tracking, a.received
    )?;
    Ok(())
}
