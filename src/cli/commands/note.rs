//! `settle note add|list|edit|delete`.

use std::io::Write;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use crate::cli::{Delete, NoteAdd, NoteEdit, NoteList};
use crate::store::Store;

fn id_of(text: &str) -> Result<i64> {
    text.trim()
        .parse()
        .map_err(|_| anyhow!("note id: '{}' is not a number (see `settle note list`)", text.trim()))
}

pub fn add(store: &Store, a: NoteAdd, today: NaiveDate, out: &mut impl Write) -> Result<()> {
    let customer = super::customer::named(store, &a.customer)?;
    let invoice = match a.invoice.as_deref() {
        Some(n) => {
            let row = store
                .invoice_by_number(n)?
                .ok_or_else(|| anyhow!("--invoice: unknown invoice '{}'", n.trim()))?;
            if row.invoice.customer_id != customer.id {
                bail!(
                    "--invoice: invoice {} is {}'s, not {}'s",
                    row.invoice.number,
                    row.customer,
                    customer.name
                );
            }
            Some(row.invoice.id)
        }
        None => None,
    };
    let on = a.date.unwrap_or(today);
    if on > today {
        bail!("--date: {on} is in the future (today is {today})");
    }
    let id = store.add_note(customer.id, invoice, on, &a.text)?;
    writeln!(out, "Note {id} added for {}.", customer.name)?;
    Ok(())
}

pub fn list(store: &Store, a: &NoteList, out: &mut impl Write) -> Result<()> {
    let customer = match a.customer.as_deref() {
        Some(name) => Some(super::customer::named(store, name)?.id),
        None => None,
    };
    let lines = store.note_lines(customer)?;
    if lines.is_empty() {
        writeln!(out, "No notes.")?;
    }
    for n in &lines {
        let about = n.invoice.as_deref().map(|i| format!(" · invoice {i}")).unwrap_or_default();
        let body = n.note.body.lines().collect::<Vec<_>>().join(" / ");
        writeln!(out, "{:>6}  {}  {}{about}: {body}", n.note.id, n.note.on, n.customer)?;
    }
    Ok(())
}

pub fn edit(store: &Store, a: NoteEdit, out: &mut impl Write) -> Result<()> {
    let note = store.edit_note(a.id, &a.text).map_err(|e| anyhow!("--text: {e}"))?;
    writeln!(out, "Note {} of {} now reads: {}", note.id, note.on, note.body)?;
    Ok(())
}

pub fn delete(store: &Store, a: &Delete, out: &mut impl Write) -> Result<()> {
    let id = id_of(&a.what)?;
    let note = store.note(id)?;
    let customer = store.customer(note.customer)?;
    super::confirm(&format!("Delete the note of {} on {} ({})?", note.on, customer.name, note.body), a.yes)?;
    store.delete_note(id)?;
    writeln!(out, "Deleted note {id} on {}. `settle undo` brings it back.", customer.name)?;
    Ok(())
}
