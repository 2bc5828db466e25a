//! A real SMTP server on 127.0.0.1 for the tests (Debian's python3-aiosmtpd, started on a
//! free port): it keeps each message it accepts, refuses recipients whose address starts
//! with "refused", and can require a login.
//!
//! Without python3-aiosmtpd a test says so and skips, unless `SETTLE_REQUIRE_E2E=1` (CI),
//! when it fails.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SERVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_server.py");

/// The first Python that has aiosmtpd: the one on the PATH (a virtual environment, pyenv), else
/// Debian's own, where `apt-get install python3-aiosmtpd` puts it.
fn python() -> Option<&'static str> {
    ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|p| Command::new(p).args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success()))
}

/// The test SMTP server, stopped when dropped.
pub struct Smtp {
    child: Child,
    pub port: u16,
    inbox: tempfile::TempDir,
}

impl Smtp {
    /// Starts the server (with a login if `auth` is given); `None` after saying why when
    /// aiosmtpd is missing outside CI.
    pub fn start(name: &str, auth: Option<(&str, &str)>) -> Option<Smtp> {
        let Some(python) = python() else {
            let why = "python3 with aiosmtpd (Debian's python3-aiosmtpd) is not installed";
            if std::env::var("SETTLE_REQUIRE_E2E").is_ok_and(|v| v == "1") {
                panic!("SETTLE_REQUIRE_E2E=1 but {why}");
            }
            eprintln!("skipping the SMTP test {name}: {why}");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let inbox = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(python);
        cmd.arg(SERVER).arg(port.to_string()).arg(inbox.path());
        if let Some((u, p)) = auth {
            cmd.args([u, p]);
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        Some(Smtp { child, port, inbox })
    }

    /// The messages received so far, oldest first.
    pub fn received(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.inbox.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }

    /// Waits (with a timeout) until `n` messages arrived.
    pub fn wait_for(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || start.elapsed() > Duration::from_secs(10) {
                return got;
            }
            std::thread::yield_now();
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
