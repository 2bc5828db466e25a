//! Consistent copies of the database through SQLite's online backup API: the copy is one
//! moment of the book even while the app or an import is writing, and it is readable by the
//! user only. Automatic copies (before a schema migration, before an import) go to
//! `backups/` beside the database, keeping the last [`KEEP`].

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::file::create_private;
use super::{Result, Store, StoreError, schema};

/// How many automatic backups are kept.
pub const KEEP: usize = 10;

impl Store {
    /// Copies the whole database into a new owner-only file at `dest` (which must not exist).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        copy(self.conn(), dest)
    }
}

/// Copies the database file `db` (opened read-only, so it never waits for a writer in WAL
/// mode) into a new owner-only file at `dest`.
pub fn backup_file(db: &Path, dest: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    copy(&conn, dest)
}

/// Where automatic backups of the database at `db` go: `backups/` in its directory.
pub fn backup_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("backups"),
        _ => PathBuf::from("backups"),
    }
}

/// Takes an automatic backup of the database file `db` into [`backup_dir`], named after the
/// database and the local time, then deletes all but the newest [`KEEP`]. Returns its path.
pub fn auto_backup(db: &Path) -> Result<PathBuf> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    auto_backup_from(&conn, db)
}

/// Before migrating an existing database to a newer schema, keep a copy of it as it was.
pub(super) fn before_migration(conn: &Connection, db: &Path) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > 0 && version < schema::latest_version() {
        auto_backup_from(conn, db)?;
    }
    Ok(())
}

fn auto_backup_from(conn: &Connection, db: &Path) -> Result<PathBuf> {
    let dir = backup_dir(db);
    let io = |source| StoreError::Io { path: dir.clone(), source };
    if !dir.exists() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(io)?;
    }
    let stem = stem(db);
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let dest = (1..100)
        .map(|n| dir.join(format!("{stem}-{stamp}-{n:02}.db")))
        .find(|p| !p.exists())
        .ok_or_else(|| StoreError::Conflict(format!("{}: too many backups this second", dir.display())))?;
    copy(conn, &dest)?;
    prune(&dir, &stem).map_err(io)?;
    Ok(dest)
}

fn stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "settle".into())
}

/// The automatic backups of the database named `stem` in `dir`, oldest first.
pub fn list_backups(dir: &Path, stem: &str) -> std::io::Result<Vec<PathBuf>> {
    let prefix = format!("{stem}-");
    let mut found: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".db")).is_some_and(|mid| {
                    mid.len() == 18 && mid.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                })
            })
        })
        .collect();
    found.sort();
    Ok(found)
}

fn prune(dir: &Path, stem: &str) -> std::io::Result<()> {
    let found = list_backups(dir, stem)?;
    for old in found.iter().take(found.len().saturating_sub(KEEP)) {
        fs::remove_file(old)?;
    }
    Ok(())
}

/// Copies everything `src` sees into a new owner-only file: written beside `dest` under a
/// temporary name, made a self-contained rollback-journal database, then renamed into place,
/// so `dest` is either absent or complete.
fn copy(src: &Connection, dest: &Path) -> Result<()> {
    let io = |source| StoreError::Io { path: dest.to_path_buf(), source };
    if dest.exists() {
        return Err(StoreError::Conflict(format!("{} already exists; choose a new name", dest.display())));
    }
    let mut tmp_name = dest.as_os_str().to_os_string();
    tmp_name.push(".part");
    let tmp = PathBuf::from(tmp_name);
    let _ = fs::remove_file(&tmp);
    create_private(&tmp).map_err(io)?;
    let result = (|| -> Result<()> {
        let mut dst = Connection::open(&tmp)?;
        {
            // One step (-1 = every page) under one read transaction: a consistent snapshot
            // even while another connection writes.
            let backup = Backup::new(src, &mut dst)?;
            let mut waits = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Another connection holds a lock it should release soon; give up
                    // after the same five seconds as the busy timeout.
                    _ if waits < 500 => {
                        waits += 1;
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    _ => return Err(StoreError::Conflict("the database stayed locked; try again".into())),
                }
            }
        }
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        dst.close().map_err(|(_, e)| e)?;
        fs::rename(&tmp, dest).map_err(io)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::NewCustomer;

    #[test]
    fn a_backup_is_a_private_consistent_settle_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        let store = Store::open(&db).unwrap();
        store.add_customer(&NewCustomer::named("Committed")).unwrap();
        // Another connection holds an uncommitted write while the backup runs.
        let other = Connection::open(&db).unwrap();
        other.execute_batch("BEGIN IMMEDIATE; INSERT INTO customers (name) VALUES ('Uncommitted');").unwrap();
        let copy = dir.path().join("copy.db");
        backup_file(&db, &copy).unwrap();
        other.execute_batch("COMMIT").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let back = Store::open(&copy).unwrap();
        let names: Vec<String> = back.customers().unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["Committed"]);
        assert!(!dir.path().join("copy.db.part").exists());
        // Never over an existing file.
        assert!(matches!(store.backup_to(&copy), Err(StoreError::Conflict(_))));
    }

    #[test]
    fn automatic_backups_keep_the_last_ten() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        drop(Store::open(&db).unwrap());
        for _ in 0..12 {
            auto_backup(&db).unwrap();
        }
        let kept = list_backups(&backup_dir(&db), "book").unwrap();
        assert_eq!(kept.len(), KEEP);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(backup_dir(&db)).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }

    #[test]
    fn opening_an_older_schema_backs_it_up_first() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&db).unwrap();
            schema::migrations().to_version(&mut conn, 1).unwrap();
            conn.execute("INSERT INTO customers (name) VALUES ('Before')", []).unwrap();
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(store.customers().unwrap().len(), 1);
        let kept = list_backups(&backup_dir(&db), "old").unwrap();
        assert_eq!(kept.len(), 1);
        let conn = Connection::open(&kept[0]).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, 1);
        // Opening again (now current) takes no further copy.
        drop(store);
        drop(Store::open(&db).unwrap());
        assert_eq!(list_backups(&backup_dir(&db), "old").unwrap().len(), 1);
    }
}
