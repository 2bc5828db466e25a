//! `settle log`: the change log behind undo, newest first.

use std::io::Write;

use anyhow::Result;

use crate::cli::LogArgs;
use crate::store::{Change, Store};

pub(super) fn title(c: &Change) -> String {
    let what = if c.what.is_empty() { c.summary() } else { c.what.clone() };
    format!("#{} {} [{}] {}", c.id, c.at, c.source, what)
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
