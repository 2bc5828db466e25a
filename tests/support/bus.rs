//! A private session bus and the daemons `settle check` talks to, always stopped (by pid) when
//! the test ends; and whether the programs a test needs are installed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Whether the programs a test needs are installed. Without them the test skips, saying
/// why, unless `SETTLE_REQUIRE_DBUS=1` (as in CI), where it fails instead.
pub fn have(programs: &[&str], test: &str) -> bool {
    let missing: Vec<&str> = programs.iter().copied().filter(|p| which(p).is_none()).collect();
    if missing.is_empty() {
        return true;
    }
    let missing = missing.join(", ");
    if std::env::var("SETTLE_REQUIRE_DBUS").is_ok_and(|v| v == "1") {
        panic!("{test}: {missing} not installed, and SETTLE_REQUIRE_DBUS=1 requires them");
    }
    // Written straight to stderr so the reason shows even though the test harness captures
    // `eprintln!` output.
    let _ = writeln!(std::io::stderr(), "{test}: skipped, {missing} not installed");
    false
}

pub fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(program)).find(|p| p.is_file()))
}

/// Child processes killed (and reaped) when dropped, last started first.
#[derive(Default)]
pub struct Daemons {
    children: Vec<(String, Child)>,
}

impl Daemons {
    pub fn add(&mut self, name: &str, child: Child) -> &mut Child {
        self.children.push((name.to_string(), child));
        &mut self.children.last_mut().unwrap().1
    }

    /// Fails the test with a clear message if a daemon has died.
    pub fn assert_running(&mut self) {
        for (name, child) in &mut self.children {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{name} exited early: {status}");
            }
        }
    }
}

impl Drop for Daemons {
    /// SIGTERM first, so Xvfb and dbus-daemon remove their sockets; SIGKILL after 2 s.
    fn drop(&mut self) {
        while let Some((_, mut child)) = self.children.pop() {
            let pid = rustix::process::Pid::from_child(&child);
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
            let start = Instant::now();
            while matches!(child.try_wait(), Ok(None)) && start.elapsed() < Duration::from_secs(2) {
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The first line a daemon prints on stdout (an address, a display number), waiting at most
/// `timeout`. The rest of its output is drained in the background.
pub fn first_line(stdout: ChildStdout, timeout: Duration) -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.next().and_then(|l| l.ok()).unwrap_or_default());
        for _ in lines {}
    });
    rx.recv_timeout(timeout).expect("the daemon printed nothing in time").trim().to_string()
}

/// Polls `f` until it returns `Some`, at most `timeout`.
pub fn poll<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

/// Starts a private D-Bus session bus from `config` (a file), returning its address.
pub fn start_bus(daemons: &mut Daemons, config: &Path, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new("dbus-daemon");
    cmd.arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--print-address=1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = daemons.add("dbus-daemon", cmd.spawn().expect("start dbus-daemon"));
    let stdout = child.stdout.take().unwrap();
    first_line(stdout, Duration::from_secs(10))
}

/// A session bus configuration that listens on `socket` and starts no services: a
/// notification sent before a server owns the name fails with `ServiceUnknown`.
pub fn bus_config(dir: &Path, socket: &Path) -> PathBuf {
    let path = dir.join("bus.conf");
    std::fs::write(
        &path,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
            socket.display()
        ),
    )
    .unwrap();
    path
}
