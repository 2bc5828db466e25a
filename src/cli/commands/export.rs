//! `settle export`: the book as CSV or JSON, and the agency dossier.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::cli::{DossierArgs, ExportArgs};
use crate::config::Config;
use crate::export::{CsvTable, JsonTable, What, dossier, export};
use crate::letters::send::safe_name;
use crate::service::CaseFile;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Streams the rows into `w` (already buffered); returns how many were written.
fn write(store: &Store, what: What, format: Format, w: &mut dyn Write) -> Result<usize> {
    let headers = what.headers();
    match format {
        Format::Csv => export(store, what, &mut CsvTable::new(headers, w)?),
        Format::Json => export(store, what, &mut JsonTable::new(headers, w)),
    }
}

pub fn run(store: &Store, a: ExportArgs, format: Format, out: &mut impl Write) -> Result<()> {
    match &a.out {
        None => {
            write(store, a.what, format, out)?;
            Ok(())
        }
        Some(path) => {
            let mut rows = 0;
            // A failure to read the book is not one to write the file: it is kept apart and
            // returned as it is (the half-written file is removed either way).
            let mut unread = None;
            let written = crate::platform::files::write_private_with(path, |f| {
                let mut w = BufWriter::with_capacity(64 * 1024, f);
                rows = write(store, a.what, format, &mut w).map_err(|e| {
                    match e.downcast::<std::io::Error>() {
                        Ok(io) => io,
                        Err(e) => {
                            unread = Some(e);
                            std::io::Error::other("the book could not be read")
                        }
                    }
                })?;
                w.flush()
            });
            if let Some(e) = unread {
                return Err(e);
            }
            written.with_context(|| format!("cannot write {}", path.display()))?;
            let what = format!("{:?}", a.what).to_lowercase();
            writeln!(out, "Wrote {rows} {what} to {} (readable by you only).", path.display())?;
            Ok(())
        }
    }
}

pub fn dossier(
    store: &Store,
    config: &Config,
    a: DossierArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let case = CaseFile::by_number(store, config, &a.invoice, today)?;
    let dir = a.out.unwrap_or_else(|| PathBuf::from(format!("dossier-{}", safe_name(&case.invoice.number))));
    let done = dossier::export(&case, config, &dir)?;
    writeln!(
        out,
        "Wrote {} and {} (claim {} as of {today}).",
        done.json.display(),
        done.markdown.display(),
        done.claim
    )?;
    if case.invoice.disputed {
        writeln!(out, "Note: this invoice is disputed; resolve the dispute before handing it to an agency.")?;
    }
    Ok(())
}
