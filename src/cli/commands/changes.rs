//! `settle undo` and `settle log`: the change log behind undo.

use std::io::Write;

use anyhow::Result;

use crate::cli::LogArgs;
use crate::store::{Change, Store};

fn title(c: &Change) -> String {
    let what = if c.what.is_empty() { c.summary() } else { c.what.clone() };
    format!("#{} {} [{}] {}", c.id, c.at, c.source, what)
}

pub fn undo(store: &Store, out: &mut impl Write) -> Result<()> {
    match store.undo()? {
        None => writeln!(out, "Nothing to undo: the change log is empty.")?,
        Some(c) => {
            writeln!(out, "Undid {} ({}).", title(&c), c.summary())?;
            match store.changes(1)?.first() {
                Some(next) => writeln!(out, "Next to undo: {}.", title(next))?,
                None => writeln!(out, "Nothing more to undo.")?,
            }
        }
    }
    Ok(())
}

pub fn log(store: &Store, a: &LogArgs, out: &mut impl Write) -> Result<()> {
    let changes = store.changes(a.limit)?;
    if changes.is_empty() {
        writeln!(out, "No changes recorded yet.")?;
    }
    for c in changes {
        writeln!(out, "{}  ({})", title(&c), c.summary())?;
        if a.rows {
            for r in store.change_rows(c.id)? {
                let old = r.old.as_deref().unwrap_or("-");
                let new = r.new.as_deref().unwrap_or("-");
                writeln!(out, "    {} {}: {} -> {}", r.op, r.table, old, new)?;
            }
        }
    }
    Ok(())
}
