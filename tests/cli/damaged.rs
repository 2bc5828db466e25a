//! A damaged, foreign or protected database file: each gets a clear one-line message, exits
//! non-zero without a panic, and is left exactly as it was (bytes, mode, neighbours).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::support::settle_on;
use assert_cmd::Command;

const TODAY: &str = "2026-11-23";

fn settle(db: &Path, args: &[&str]) -> Command {
    Command::from_std(settle_on(db, None, TODAY, args))
}

/// A small demo book, closed cleanly (so its write-ahead log is folded in and removed).
fn demo_book(dir: &Path) -> PathBuf {
    let db = dir.join("settle.db");
    settle(&db, &["demo", "--busy", "--customers", "30", "--invoices", "600"]).assert().success();
    assert!(!dir.join("settle.db-wal").exists(), "the log is checkpointed on close");
    db
}

/// Everything in the folder: names, modes and bytes.
fn snapshot(dir: &Path) -> Vec<(String, u32, Vec<u8>)> {
    let mut all: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                meta.permissions().mode(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

/// Runs `report aging` and a write on the file; both must fail with a message containing
/// `expect`, and nothing in the folder may change.
fn refused_untouched(dir: &Path, db: &Path, expect: &str) {
    let before = snapshot(dir);
    for args in [&["report", "aging"][..], &["customer", "add", "Nieuwe Klant BV"][..]] {
        let out = settle(db, args).assert().failure().get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(expect), "{args:?}: expected {expect:?} in {err:?}");
        assert!(err.contains(&db.display().to_string()), "the message names the file: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
    assert!(snapshot(dir) == before, "the folder changed");
}

#[test]
fn truncated_file_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    let len = fs::metadata(&db).unwrap().len();
    let f = fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 2).unwrap();
    refused_untouched(dir.path(), &db, "truncated");
}

#[test]
fn wrong_header_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    let mut bytes = fs::read(&db).unwrap();
    bytes[..16].copy_from_slice(b"SQLite format 4\0");
    fs::write(&db, bytes).unwrap();
    refused_untouched(dir.path(), &db, "not an SQLite database");
}

#[test]
fn absurd_page_size_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    let mut bytes = fs::read(&db).unwrap();
    bytes[16..18].copy_from_slice(&[0x03, 0x00]);
    fs::write(&db, bytes).unwrap();
    refused_untouched(dir.path(), &db, "damaged");
}

#[test]
fn garbage_inside_fails_cleanly_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    let mut bytes = fs::read(&db).unwrap();
    // Overwrite everything after the first page: the schema page stays readable, the data not.
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    for (i, b) in bytes.iter_mut().enumerate().skip(page) {
        *b = (i * 7 % 251) as u8;
    }
    fs::write(&db, &bytes).unwrap();
    let before = snapshot(dir.path());
    let out = settle(&db, &["report", "aging"]).assert().failure().get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("malformed") || err.contains("damaged"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(snapshot(dir.path()) == before, "the folder changed");
}

#[test]
fn read_only_file_is_refused_even_for_root() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    fs::set_permissions(&db, fs::Permissions::from_mode(0o400)).unwrap();
    refused_untouched(dir.path(), &db, "read-only");
}

#[test]
fn read_only_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    refused_untouched(dir.path(), &db, "is read-only");
    // A new database is not created in a read-only folder either.
    let fresh = dir.path().join("new.db");
    let out = settle(&fresh, &["customer", "add", "Acme"]).assert().failure().get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert!(!fresh.exists());
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
}
