use std::io::{BufWriter, Write};

use anyhow::{Context, Result};

use crate::cli::ExportArgs;
use crate::export::{sheet, write_csv, write_json};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

pub fn run(store: &Store, a: ExportArgs, format: Format, out: &mut impl Write) -> Result<()> {
    let sheet = sheet(store, a.what)?;
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = BufWriter::new(w);
        match format {
            Format::Csv => write_csv(&sheet, &mut w)?,
            Format::Json => write_json(&sheet, &mut w)?,
        }
        w.flush()
    };
    match &a.out {
        None => Ok(write(out)?),
        Some(path) => {
            crate::files::write_private_with(path, |f| write(f))
                .with_context(|| format!("cannot write {}", path.display()))?;
            let what = format!("{:?}", a.what).to_lowercase();
            writeln!(out, "Wrote {} {what} to {} (readable by you only).", sheet.rows.len(), path.display())?;
            Ok(())
        }
    }
}
