//! `settle undo`: takes back the last change in the change log.

use std::io::Write;

use anyhow::Result;

use crate::store::Store;

pub fn undo(store: &Store, out: &mut impl Write) -> Result<()> {
    match store.undo()? {
        None => writeln!(out, "Nothing to undo: the change log is empty.")?,
        Some(c) => {
            writeln!(out, "Undid {} ({}).", super::log::title(&c), c.summary())?;
            match store.changes(1)?.first() {
                Some(next) => writeln!(out, "Next to undo: {}.", super::log::title(next))?,
                None => writeln!(out, "Nothing more to undo.")?,
            }
        }
    }
    Ok(())
}
