//! Checks made on a database file before SQLite writes anything to it: a new file is
//! created private; an existing one must be a settle database of a schema we know, whole, and
//! writable (by its mode bits, which hold even for root).
//!
//! The header is read with `std::fs` only while no connection of this process has the file
//! open: closing any descriptor on it would drop every POSIX lock the process holds there
//! (SQLite's "How To Corrupt Your Database Files", 2.2), and another program could then delete
//! the write-ahead log under the open connection. [`Held`] keeps that count.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rusqlite::Connection;

use super::{Result, StoreError, schema};

/// Refuses a file that is read-only, sits in a read-only folder, or is visibly truncated.
pub(super) fn check_existing(path: &Path, meta: &fs::Metadata) -> Result<()> {
    if meta.permissions().readonly() {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            why: "the file is read-only (make it writable with `chmod u+w`)".into(),
        });
    }
    check_folder_writable(path)?;
    if Held::any(meta) {
        // Checked when it was first opened; opening it again here would drop the locks.
        return Ok(());
    }
    check_header(path, meta.len())
}

/// Files (device, inode) this process has open through a [`super::Store`], with how many
/// connections each.
static HELD: Mutex<Option<HashMap<(u64, u64), usize>>> = Mutex::new(None);

/// One connection's claim on a database file, given back when the store is dropped.
pub(super) struct Held((u64, u64));

impl Held {
    pub(super) fn take(meta: &fs::Metadata) -> Held {
        let key = (meta.dev(), meta.ino());
        let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
        *held.get_or_insert_with(HashMap::new).entry(key).or_insert(0) += 1;
        Held(key)
    }

    fn any(meta: &fs::Metadata) -> bool {
        let held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().is_some_and(|h| h.get(&(meta.dev(), meta.ino())).is_some_and(|n| *n > 0))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(h) = held.as_mut()
            && let Some(n) = h.get_mut(&self.0)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                h.remove(&self.0);
            }
        }
    }
}

/// SQLite writes its -wal and -shm files beside the database: the folder must be writable.
pub(super) fn check_folder_writable(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match fs::metadata(dir) {
        Ok(m) if m.permissions().readonly() => Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            why: format!("its folder {} is read-only", dir.display()),
        }),
        _ => Ok(()),
    }
}

/// Compares the page count in the SQLite header with the file's length. Skipped while a
/// write-ahead log exists: after a crash during a checkpoint the log still holds the pages.
fn check_header(path: &Path, len: u64) -> Result<()> {
    if len == 0 {
        return Ok(());
    }
    let damaged = |why: String| StoreError::Damaged { path: path.to_path_buf(), why };
    let mut header = [0u8; 100];
    let mut f = fs::File::open(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    if f.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        // Not SQLite at all: `identify` names it a foreign file.
        return Ok(());
    }
    let wal = path
        .with_file_name(format!("{}-wal", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Ok(());
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    let expected = page_size.saturating_mul(pages);
    if !page_size.is_power_of_two() || page_size < 512 {
        return Err(damaged(format!("its header names a page size of {page_size} bytes")));
    }
    if pages > 0 && len < expected {
        return Err(damaged(format!("it is truncated: {len} of {expected} bytes")));
    }
    Ok(())
}

/// Creates an empty file readable and writable by its owner only (and its directory, 0700).
/// SQLite gives its -wal and -shm files the same mode as the database file.
pub(crate) fn create_private(path: &Path) -> io::Result<()> {
    crate::platform::files::create_private(path).map(drop)
}

/// Reads the header fields without writing anything: a settle database, an empty file, or
/// an error naming why not.
pub(super) fn identify(conn: &Connection, path: &Path) -> Result<()> {
    let foreign = |why: String| StoreError::Foreign { path: path.to_path_buf(), why };
    let app_id: i64 =
        conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| unreadable(&e, path))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id == schema::APPLICATION_ID {
        if version > schema::latest_version() {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                known: schema::latest_version(),
            });
        }
        return Ok(());
    }
    if app_id != 0 {
        return Err(foreign(format!("its application id is {app_id:#x}")));
    }
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| unreadable(&e, path))?;
    if tables > 0 || version != 0 {
        return Err(foreign("it is an SQLite database of another program".into()));
    }
    Ok(())
}

/// Why SQLite could not read the file: not SQLite at all (foreign), damaged, or held by
/// another settle's long write.
fn unreadable(e: &rusqlite::Error, path: &Path) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            StoreError::Foreign { path, why: "the file is not an SQLite database".into() }
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Damaged { path, why: e.to_string() },
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Busy { path }
        }
        _ => StoreError::Foreign { path, why: e.to_string() },
    }
}
