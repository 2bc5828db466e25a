use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
            write_private(path, &write).with_context(|| format!("cannot write {}", path.display()))?;
            let what = format!("{:?}", a.what).to_lowercase();
            writeln!(out, "Wrote {} {what} to {} (readable by you only).", sheet.rows.len(), path.display())?;
            Ok(())
        }
    }
}

/// Writes a file readable by its owner only, all or nothing: into a temporary file beside
/// it, then renamed over it.
fn write_private(path: &Path, write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut tmp_name = path.as_os_str().to_os_string();
    tmp_name.push(".part");
    let tmp = PathBuf::from(tmp_name);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&tmp)?;
        // A leftover temporary file keeps its old mode: set it again.
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        write(&mut file)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
