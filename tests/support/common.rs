//! A settle book in a temporary folder, driven through the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const TODAY: &str = "2026-11-23";

pub fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

pub struct Book {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Book {
    pub fn new() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book.db");
        Book { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_settle"));
        cmd.env_remove("SETTLE_DB").env_remove("SETTLE_CONFIG").env("HOME", self.dir.path());
        cmd.arg("--db").arg(&self.db).arg("--today").arg(TODAY);
        cmd
    }

    /// Runs settle and returns its standard output; it must succeed.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "settle {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs settle and returns its error output; it must fail.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            !out.status.success(),
            "settle {args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// The database file's bytes, once settle has closed it (no write-ahead log left over).
    pub fn bytes(&self) -> Vec<u8> {
        assert!(!wal(&self.db).exists(), "a -wal file is left over");
        std::fs::read(&self.db).unwrap()
    }

    /// The aging report as CSV lines (header first, the rest sorted).
    pub fn aging(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["report", "aging", "--format", "csv"];
        args.extend_from_slice(extra);
        let out = self.ok(&args);
        let mut lines: Vec<String> = out.lines().map(String::from).collect();
        lines[1..].sort();
        lines
    }

    /// The samples' invoices: one added by hand, then the English and French CSV files.
    pub fn with_sample_invoices(&self) {
        self.ok(&["customer", "add", "Harbour Lights Ltd"]);
        self.ok(&[
            "invoice",
            "add",
            "INV-0002",
            "--customer",
            "Harbour Lights Ltd",
            "--issued",
            "2026-10-01",
            "--due",
            "2026-10-31",
            "--amount",
            "750.00",
            "--ref",
            "+++000/0000/00202+++",
        ]);
        self.ok(&["import", "csv", &fixture("csv/invoices-en.csv")]);
        self.ok(&["import", "csv", &fixture("csv/factures-fr.csv")]);
    }

    /// Imports every shared sample, the way the samples' README describes.
    pub fn with_samples(&self) {
        self.with_sample_invoices();
        self.ok(&["import", "ubl", &fixture("ubl")]);
        self.ok(&["import", "payments", &fixture("csv/bank-statement.csv")]);
    }
}

fn wal(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push("-wal");
    PathBuf::from(name)
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
