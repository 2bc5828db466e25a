//! Consistent copies of the database through SQLite's online backup API: the copy is one
//! moment of the book even while the app or an import is writing, and it is readable by the
//! user only. Automatic copies (before a schema migration, before an import) go to
//! `backups/` beside the database, keeping the last [`KEEP`].
//!
//! A book that fails SQLite's quick check is not copied (the backup API copies pages as they
//! are, damage included), so the older backups are never rotated away in favour of damaged
//! ones. Temporary files a killed backup left behind are removed by a later one.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Result, Store, StoreError, schema};

/// How many automatic backups are kept.
pub const KEEP: usize = 10;

/// A temporary file of a backup left unchanged this long belongs to a backup that was
/// killed: a running one writes its file without pause (and waits at most 5 s for a lock).
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The page cache, in KiB, of a connection opened for a backup: the copy reads and writes
/// each page once, in order, so SQLite's 2 MiB keep nothing read again. An import's backup
/// is taken while its own transaction holds its cache: at 100,000 lines, its peak went from
/// 26.5 to 22.3 MB, in the same time.
const BACKUP_CACHE_KIB: i64 = 256;

/// A read-only connection to the database file `db`, for a backup.
fn open_source(db: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.pragma_update(None, "cache_size", -BACKUP_CACHE_KIB)?;
    Ok(conn)
}

impl Store {
    /// Copies the whole database into a new owner-only file at `dest` (which must not exist).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        copy(self.conn(), self.path().unwrap_or(Path::new("settle")), dest)
    }
}

/// Copies the database file `db` (opened read-only, so it never waits for a writer in WAL
/// mode) into a new owner-only file at `dest`.
pub fn backup_file(db: &Path, dest: &Path) -> Result<()> {
    let conn = open_source(db)?;
    copy(&conn, db, dest)
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
    let conn = open_source(db)?;
    auto_backup_from(&conn, db)
}

/// Takes an automatic backup of `db` as [`auto_backup`] does, but leaves the older ones for
/// [`prune_auto_backups`]: for a write that takes its backup before it writes and may still
/// end with nothing to keep (its backup then removed, the older ones all there).
pub fn auto_backup_unpruned(db: &Path) -> Result<PathBuf> {
    let conn = open_source(db)?;
    new_auto_backup(&conn, db)
}

/// Deletes all but the newest [`KEEP`] automatic backups of `db`.
pub fn prune_auto_backups(db: &Path) -> Result<()> {
    let dir = backup_dir(db);
    prune(&dir, &stem(db)).map_err(|source| StoreError::Io { path: dir, source })
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
    let dest = new_auto_backup(conn, db)?;
    prune_auto_backups(db)?;
    Ok(dest)
}

fn new_auto_backup(conn: &Connection, db: &Path) -> Result<PathBuf> {
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
    copy(conn, db, &dest)?;
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

/// Refuses a book that fails `PRAGMA quick_check`: a copy of it would replace a good backup.
fn check_whole(src: &Connection, source: &Path) -> Result<()> {
    let damaged = |why: String| StoreError::Damaged {
        path: source.to_path_buf(),
        why: format!(
            "it fails SQLite's quick check: {why}; it was not backed up and no older backup was removed"
        ),
    };
    let mut stmt = src.prepare("PRAGMA quick_check(3)").map_err(|e| damaged(e.to_string()))?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| damaged(e.to_string()))?;
    match found.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => Err(damaged(found.join("; "))),
    }
}

/// Whether `name` is a backup of the database named `stem`: `<stem>-<date>-<time>.db`,
/// with a sequence number for automatic backups.
fn is_backup_name(name: &str, stem: &str) -> bool {
    name.strip_prefix(stem).and_then(|r| r.strip_prefix('-')).and_then(|r| r.strip_suffix(".db")).is_some_and(
        |mid| matches!(mid.len(), 15 | 18) && mid.bytes().all(|b| b.is_ascii_digit() || b == b'-'),
    )
}

/// Removes from `dir` the temporary files of backups (of the database named `stem`, or of
/// `dest_name`) that were killed midway: ours by their name, and left unchanged for
/// [`STALE_AFTER`]. Best effort: a file that cannot be removed stays for the next time.
fn clean_stale_parts(dir: &Path, dest_name: &str, stem: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(target) = name.to_str().and_then(crate::platform::files::temp_target) else { continue };
        if target != dest_name && !is_backup_name(target, stem) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Copies everything `src` (the database at `source`) sees into a new owner-only file:
/// written beside `dest` under a new random temporary name, made a self-contained
/// rollback-journal database, then renamed into place, so `dest` is either absent or
/// complete. A book that fails its quick check is refused before anything is written.
fn copy(src: &Connection, source: &Path, dest: &Path) -> Result<()> {
    let io = |source| StoreError::Io { path: dest.to_path_buf(), source };
    if dest.exists() {
        return Err(StoreError::Conflict(format!("{} already exists; choose a new name", dest.display())));
    }
    check_whole(src, source)?;
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dest_name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    clean_stale_parts(dir, &dest_name, &stem(source));
    let (tmp, file) = crate::platform::files::temp_beside(dest).map_err(io)?;
    drop(file);
    let result = (|| -> Result<()> {
        let mut dst = Connection::open(&tmp)?;
        dst.pragma_update(None, "cache_size", -BACKUP_CACHE_KIB)?;
        {
            // One step (-1 = every page) under one read transaction: a consistent snapshot
            // even while another connection writes.
            run(&Backup::new(src, &mut dst)?)?;
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

/// Runs a backup in one step (-1 = every page) under one read transaction: a consistent
/// snapshot even while another connection writes.
fn run(backup: &Backup<'_, '_>) -> Result<()> {
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Another connection holds a lock it should release soon; give up after five
            // seconds.
            _ if waits < 500 => {
                waits += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            _ => return Err(StoreError::Conflict("the database stayed locked; try again".into())),
        }
    }
}

impl Store {
    /// Replaces the whole book with the settle database at `src` (a backup), after checking
    /// that it is a whole settle database this settle can read, and after taking an
    /// automatic backup of the current book, whose path it returns. An older schema is
    /// brought up to date as on every open.
    pub fn restore_from(&mut self, src: &Path) -> Result<PathBuf> {
        let db = self
            .path()
            .ok_or_else(|| {
                StoreError::Invalid("this database lives in memory; there is nothing to restore into".into())
            })?
            .to_path_buf();
        let meta = fs::metadata(src).map_err(|source| StoreError::Io { path: src.to_path_buf(), source })?;
        if !meta.is_file() {
            return Err(StoreError::Foreign { path: src.to_path_buf(), why: "it is not a file".into() });
        }
        if fs::canonicalize(src).ok() == fs::canonicalize(&db).ok() {
            return Err(StoreError::Invalid(format!("{} is the book itself; name a backup", src.display())));
        }
        let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        super::file::identify(&from, src)?;
        let app: i64 = from.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app != schema::APPLICATION_ID {
            return Err(StoreError::Foreign {
                path: src.to_path_buf(),
                why: "it is an empty database".into(),
            });
        }
        check_whole(&from, src).map_err(|_| StoreError::Damaged {
            path: src.to_path_buf(),
            why: "it fails SQLite's quick check; the book was not replaced".into(),
        })?;
        let saved = auto_backup_from(&self.conn, &db)?;
        run(&Backup::new(&from, &mut self.conn)?)?;
        schema::migrations().to_latest(&mut self.conn)?;
        Ok(saved)
    }
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
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(!left.iter().any(|n| n.to_string_lossy().ends_with(".part")), "{left:?}");
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

    /// Damages the b-tree page of the customers' name index in the (closed) book at `db`.
    fn damage(db: &Path) {
        let (root, page_size): (i64, i64) = {
            let conn = Connection::open(db).unwrap();
            let root = conn
                .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'customers_name'", [], |r| {
                    r.get(0)
                })
                .unwrap();
            (root, conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap())
        };
        let mut bytes = fs::read(db).unwrap();
        let at = usize::try_from((root - 1) * page_size).unwrap();
        bytes[at..at + 16].fill(0xFF);
        fs::write(db, bytes).unwrap();
    }

    #[test]
    fn a_damaged_book_is_not_backed_up_and_no_backup_is_rotated_away() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        {
            let store = Store::open(&db).unwrap();
            for n in 0..20 {
                store.add_customer(&NewCustomer::named(format!("Customer {n}"))).unwrap();
            }
        }
        for _ in 0..KEEP {
            auto_backup(&db).unwrap();
        }
        let good = list_backups(&backup_dir(&db), "book").unwrap();
        damage(&db);
        for _ in 0..KEEP + 1 {
            let err = auto_backup(&db).unwrap_err();
            assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
            assert!(err.to_string().contains("it fails SQLite's quick check"), "{err}");
            assert!(err.to_string().contains("no older backup was removed"), "{err}");
        }
        let copy = dir.path().join("copy.db");
        assert!(matches!(backup_file(&db, &copy), Err(StoreError::Damaged { .. })));
        assert!(!copy.exists());
        assert_eq!(list_backups(&backup_dir(&db), "book").unwrap(), good);
        let names: Vec<_> = fs::read_dir(backup_dir(&db)).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), KEEP, "{names:?}");
    }

    #[test]
    fn a_killed_backups_temporary_files_are_removed_by_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        drop(Store::open(&db).unwrap());
        let backups = backup_dir(&db);
        fs::create_dir_all(&backups).unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER - std::time::Duration::from_secs(60);
        let plant = |name: &str, modified: Option<std::time::SystemTime>| {
            let path = backups.join(name);
            let f = fs::File::create(&path).unwrap();
            if let Some(t) = modified {
                f.set_modified(t).unwrap();
            }
            path
        };
        let stale = [
            plant("book-20260101-120000-01.db.part", Some(old)),
            plant("book-20260101-120000-02.db.0123456789abcdef.part", Some(old)),
        ];
        let kept = [
            // A backup running right now.
            plant("book-20260101-120000-03.db.fedcba9876543210.part", None),
            // Not ours: another book's, or another program's.
            plant("other-20260101-120000-01.db.part", Some(old)),
            plant("notes.txt.part", Some(old)),
        ];
        auto_backup(&db).unwrap();
        for p in &stale {
            assert!(!p.exists(), "{} is left", p.display());
        }
        for p in &kept {
            assert!(p.exists(), "{} was removed", p.display());
        }
        // An explicit destination's leftovers too.
        let leftover = dir.path().join("copy.db.part");
        fs::File::create(&leftover).unwrap().set_modified(old).unwrap();
        backup_file(&db, &dir.path().join("copy.db")).unwrap();
        assert!(!leftover.exists());
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
