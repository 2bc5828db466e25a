use std::io::Write;

use anyhow::{Result, anyhow};

use crate::cli::BackupArgs;
use crate::store::{Store, backup};

pub fn run(store: &mut Store, a: BackupArgs, out: &mut impl Write) -> Result<()> {
    if let Some(src) = &a.restore {
        super::confirm(
            &format!("Replace the whole book with {}? (the current book is backed up first)", src.display()),
            a.yes,
        )?;
        let saved = store.restore_from(src)?;
        writeln!(
            out,
            "Restored the book from {}. The book as it was is in {}.",
            src.display(),
            saved.display()
        )?;
        return Ok(());
    }
    let db =
        store.path().ok_or_else(|| anyhow!("this database lives in memory; there is no file to back up"))?;
    let dest = match a.path {
        None => backup::auto_backup(db)?,
        Some(dir) if dir.is_dir() => {
            let stem = db.file_stem().map_or_else(|| "settle".into(), |s| s.to_string_lossy().into_owned());
            let dest = dir.join(format!("{stem}-{}.db", chrono::Local::now().format("%Y%m%d-%H%M%S")));
            store.backup_to(&dest)?;
            dest
        }
        Some(file) => {
            store.backup_to(&file)?;
            file
        }
    };
    writeln!(out, "Backed up {} to {} (readable by you only).", db.display(), dest.display())?;
    Ok(())
}
