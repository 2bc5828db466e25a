//! An isolated tmux server for end-to-end tests of the app: a fixed size, keys sent by name,
//! and screens polled for their text with a timeout, never waited for with a sleep.
//!
//! Without tmux a test says so and skips, unless `SETTLE_REQUIRE_E2E=1` (CI), when it fails.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(10);

/// One tmux server with one session, killed when dropped (also when the test fails).
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `command` in a `width`×`height` session; `None` (after saying why) when tmux is
    /// missing outside CI.
    pub fn start(name: &str, width: u16, height: u16, command: &str) -> Option<Tmux> {
        if let Some(why) = missing() {
            if std::env::var("SETTLE_REQUIRE_E2E").is_ok_and(|v| v == "1") {
                panic!("SETTLE_REQUIRE_E2E=1 but {why}");
            }
            eprintln!("skipping the tmux end-to-end test {name}: {why}");
            return None;
        }
        let tmux = Tmux { socket: format!("settle-{name}-{}", std::process::id()) };
        let (w, h) = (width.to_string(), height.to_string());
        let out =
            tmux.run(&["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", &w, "-y", &h, command]);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        Some(tmux)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").args(["-L", &self.socket]).args(args).output().expect("tmux runs")
    }

    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    /// Keys as tmux names them ("Enter", "C-u", "q").
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Literal text, typed (escape sequences included), not key names.
    pub fn type_text(&self, text: &str) {
        assert!(self.run(&["send-keys", "-t", "e2e", "-l", text]).status.success(), "typing {text:?}");
    }

    /// Polls the screen until `test` holds; fails with the last screen after the timeout.
    pub fn wait_until(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if test(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("waited {TIMEOUT:?} for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
    }
}

fn missing() -> Option<String> {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!("`tmux -V` failed: {}", String::from_utf8_lossy(&o.stderr))),
        Err(e) => Some(format!("tmux is not installed ({e})")),
    }
}
