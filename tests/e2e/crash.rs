//! Crash safety: `settle demo` and `settle import csv` (a large file) killed with SIGKILL at
//! random moments. After every kill the database opens, passes `PRAGMA integrity_check`, and
//! holds all of the book (or the import) or none of it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{settle_on, succeeds};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TODAY: &str = "2026-11-23";
const INVOICES: i64 = 20_000;
const CUSTOMERS: i64 = 200;

fn demo(db: &Path) -> Command {
    let mut cmd = settle_on(db, None, TODAY, &["demo", "--busy"]);
    cmd.args(["--customers", &CUSTOMERS.to_string(), "--invoices", &INVOICES.to_string()]);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

/// (customers, invoices) after integrity checks, or None when the file was never created.
fn check(db: &Path) -> Option<(i64, i64)> {
    if !db.exists() {
        return None;
    }
    // settle itself must open it (this also replays or discards the write-ahead log).
    let out = settle_on(db, None, TODAY, &["report", "aging", "--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "settle cannot open the killed database: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0, "dangling references");
    let counts =
        conn.query_row("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM invoices)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        });
    Some(counts.unwrap())
}

/// Runs `cmd(db)` once whole to learn how long it takes, then `KILLS` times killed with
/// SIGKILL at a random moment of that span; `verdict` sorts each killed database into
/// "nothing" (false) or "everything" (true) and panics on anything in between.
fn kill_at_random_moments(
    dir: &Path,
    prepare: impl Fn(&Path),
    cmd: impl Fn(&Path) -> Command,
    verdict: impl Fn(&Path, usize) -> bool,
) {
    const KILLS: usize = 16;
    let full_db = dir.join("full.db");
    prepare(&full_db);
    let start = Instant::now();
    assert!(cmd(&full_db).status().unwrap().success());
    let full = start.elapsed();
    assert!(verdict(&full_db, usize::MAX), "the uninterrupted run did everything");

    let seed = std::env::var("SETTLE_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut none, mut all) = (0, 0);
    for i in 0..KILLS {
        let db = dir.join(format!("killed-{i}.db"));
        prepare(&db);
        let mut child = cmd(&db).spawn().unwrap();
        let at = Duration::from_micros(rng.random_range(0..full.as_micros() as u64 + 1));
        std::thread::sleep(at); // the moment of the crash, not a wait for an outcome
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if verdict(&db, i) { all += 1 } else { none += 1 }
    }
    eprintln!("{KILLS} kills over {full:?}: {none} left nothing, {all} left everything");
}

#[test]
fn demo_killed_at_random_moments_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    kill_at_random_moments(
        dir.path(),
        |_| {},
        demo,
        |db, i| match check(db) {
            None | Some((0, 0)) => false,
            Some((c, n)) if c == CUSTOMERS && n == INVOICES => true,
            Some(partial) => panic!("kill {i} left a partial book: {partial:?}"),
        },
    );
}

#[test]
fn csv_import_killed_at_random_moments_is_all_or_nothing() {
    const ROWS: i64 = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("invoices.csv");
    let mut text = String::from("number;klant;datum;vervaldatum;bedrag\n");
    for n in 0..ROWS {
        text += &format!(
            "F-{n:06};Klant {} BV;01/0{}/2026;15/0{}/2026;\"1.{:03},{:02}\"\n",
            n % 300,
            n % 9 + 1,
            n % 9 + 1,
            n % 1000,
            n % 100
        );
    }
    std::fs::write(&csv, text).unwrap();
    // Each database starts with one customer and one invoice of its own, which must survive.
    let prepare = |db: &Path| {
        let run = |args: &[&str]| succeeds(&mut settle_on(db, None, TODAY, args));
        run(&["customer", "add", "Eigen Klant"]);
        run(&[
            "invoice",
            "add",
            "OWN-1",
            "--customer",
            "Eigen Klant",
            "--issued",
            "2026-10-01",
            "--amount",
            "100",
        ]);
    };
    let import = |db: &Path| {
        let mut cmd = settle_on(db, None, TODAY, &["import", "csv"]);
        cmd.arg(&csv);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    };
    kill_at_random_moments(dir.path(), prepare, import, |db, i| match check(db) {
        Some((1, 1)) => false,
        Some((c, n)) if c == 301 && n == ROWS + 1 => true,
        other => panic!("kill {i} left a partial import: {other:?}"),
    });
}
