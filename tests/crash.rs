//! Crash safety: `settle demo` killed with SIGKILL at random moments. After every kill the
//! database opens, passes `PRAGMA integrity_check`, and holds all of the book or none of it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const INVOICES: i64 = 20_000;
const CUSTOMERS: i64 = 200;

fn demo(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_settle"));
    cmd.env_remove("SETTLE_DB").env_remove("SETTLE_CONFIG").env("HOME", "/nonexistent/settle-test-home");
    cmd.arg("--db").arg(db).args(["--today", "2026-11-23", "demo"]);
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
    let out = Command::new(env!("CARGO_BIN_EXE_settle"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-23", "report", "aging", "--format", "json"])
        .output()
        .unwrap();
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

#[test]
fn demo_killed_at_random_moments_is_all_or_nothing() {
    // How long a whole run takes here, so the kills land all over it.
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    assert!(demo(&dir.path().join("full.db")).status().unwrap().success());
    let full = start.elapsed();
    assert_eq!(check(&dir.path().join("full.db")), Some((CUSTOMERS, INVOICES)));

    let seed = std::env::var("SETTLE_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut none, mut all) = (0, 0);
    for i in 0..16 {
        let db = dir.path().join(format!("killed-{i}.db"));
        let mut child = demo(&db).spawn().unwrap();
        let at = Duration::from_micros(rng.random_range(0..full.as_micros() as u64 + 1));
        std::thread::sleep(at); // the moment of the crash, not a wait for an outcome
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        match check(&db) {
            None | Some((0, 0)) => none += 1,
            Some((c, n)) if c == CUSTOMERS && n == INVOICES => all += 1,
            Some(partial) => panic!("kill {i} after {at:?} left a partial book: {partial:?}"),
        }
    }
    eprintln!("16 kills over {full:?}: {none} left nothing, {all} left the whole book");
}
