//! Call mode in a real terminal: a book made on the command line, the app in an isolated tmux
//! server on a fixed day, a promise taken with the keyboard only, the confirmation email saved;
//! then the command line checks the promise was stored.
//!
//! The book outlives each run of the app, so more days can be appended to the story: restart
//! with [`Book::open_app`] on a later `--today` and look at what the app shows then.
//!
//! Without tmux the test says so and passes, unless `SETTLE_REQUIRE_E2E=1` (CI), when it
//! fails. Screens are polled for their text with a timeout, never waited for with a sleep.

use std::path::PathBuf;

use crate::support::tmux::Tmux;
use crate::support::{settle_on, succeeds};

const TODAY: &str = "2026-11-23";

/// A book in a temporary directory, with an empty configuration beside it.
struct Book {
    dir: tempfile::TempDir,
}

impl Book {
    /// One customer who speaks English and one invoice of €600.00, 23 days overdue on TODAY.
    fn new() -> Book {
        let book = Book { dir: tempfile::tempdir().unwrap() };
        std::fs::write(book.config(), "").unwrap();
        book.settle(
            TODAY,
            &[
                "customer",
                "add",
                "Atelier Dubois",
                "--contact",
                "Marie Dubois",
                "--email",
                "marie@dubois.example",
                "--phone",
                "+32 2 555 01 23",
            ],
        );
        book.settle(
            TODAY,
            &[
                "invoice",
                "add",
                "2026-077",
                "--customer",
                "Atelier Dubois",
                "--issued",
                "2026-10-01",
                "--due",
                "2026-10-31",
                "--amount",
                "600",
            ],
        );
        book
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("book.db")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// Runs the command line on `today`; fails the test if it fails.
    fn settle(&self, today: &str, args: &[&str]) -> String {
        succeeds(
            settle_on(&self.db(), Some(&self.config()), today, args)
                .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent"),
        )
    }

    /// The app on `today` in a 120×40 tmux, on the Today screen; `None` when tmux is missing
    /// outside CI. The pane says "settle exited with N" when the app ends.
    fn open_app(&self, name: &str, today: &str) -> Option<Tmux> {
        let command = format!(
            "'{}' --db '{}' --config '{}' --today {today}; echo \"settle exited with $?\"; exec sleep 60",
            env!("CARGO_BIN_EXE_settle"),
            self.db().display(),
            self.config().display()
        );
        let tmux = Tmux::start(name, 120, 40, &command)?;
        tmux.wait_for("╭ Today");
        Some(tmux)
    }
}

/// `q` quits from any depth, with a clean exit.
fn quit(tmux: &Tmux) {
    tmux.keys(&["q"]);
    tmux.wait_for("settle exited with 0");
    let alternate = tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]);
    assert_eq!(String::from_utf8_lossy(&alternate.stdout).trim(), "0", "the terminal was restored");
}

#[test]
fn a_promise_taken_in_call_mode() {
    let book = Book::new();

    // Day 1, 2026-11-23: call about the overdue invoice, take a promise for 5 December.
    let Some(tmux) = book.open_app("call-promise", TODAY) else { return };
    tmux.wait_for("Atelier Dubois");
    tmux.keys(&["Enter"]);
    tmux.wait_for("╭ Invoice 2026-077");
    tmux.wait_for("Call script:");
    tmux.keys(&["c"]);
    tmux.wait_for("Call Atelier Dubois · invoice 2026-077");
    tmux.wait_for("p promise");
    tmux.keys(&["p"]);
    tmux.wait_for("Pays on");
    tmux.type_text("05/12/2026");
    tmux.wait_for("Sat 5 Dec 2026");
    // Enter moves through the amount and the note, and saves on the last field.
    tmux.keys(&["Enter", "Enter"]);
    tmux.type_text("Marie pays on the 5th");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Call logged: promise of €600.00 by Sat 5 Dec 2026.");
    tmux.wait_for("Confirm by email: Atelier Dubois (en)");
    tmux.keys(&["s"]);
    tmux.wait_for("Saved the confirmation email to");
    let mail = book.dir.path().join("letters").join("2026-077-confirmation-2026-11-23.txt");
    let text = std::fs::read_to_string(&mail).expect("the confirmation was saved beside the book");
    assert!(text.starts_with("Subject: "), "{text}");
    assert!(text.contains("Dear Marie,"), "greets the contact by first name: {text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&mail).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the email is private");
    }
    tmux.keys(&["Escape"]);
    // Back on the invoice, reloaded: the promise and the call are there.
    tmux.wait_for("on schedule: €600.00 due Sat 5 Dec 2026");
    tmux.wait_for("promise to pay");
    quit(&tmux);
    drop(tmux);

    let list = book.settle(TODAY, &["call", "list", "2026-077"]);
    assert!(list.contains("spoke with Marie Dubois: promise to pay"), "{list}");
    assert!(list.contains("€600.00 by 2026-12-05; on schedule"), "{list}");
    let agenda = book.settle(TODAY, &["call", "agenda", "--as-of", "2026-12-05"]);
    assert!(agenda.contains("promise due") && agenda.contains("2026-077"), "{agenda}");

    // 5 December, the promised day: Today asks to check the bank for it; the ladder waits.
    let Some(tmux) = book.open_app("call-promise-due", "2026-12-05") else { return };
    tmux.wait_for("Promises and call-backs (1)");
    let screen = tmux.wait_for("Promise due: Atelier Dubois");
    assert!(screen.contains("€600.00 promised for today"), "{screen}");
    assert!(!screen.contains("Steps due today or earlier"), "the promise pauses the ladder:\n{screen}");
    quit(&tmux);
    drop(tmux);

    // 8 December, the grace (2 days) over: the promise is broken, chase it, and the next step
    // of the ladder is due at once, on the same line (one thing to do per invoice).
    let Some(tmux) = book.open_app("call-promise-broken", "2026-12-08") else { return };
    let screen = tmux.wait_for("Broken promise: Atelier Dubois");
    assert!(screen.contains("Today — 1 thing to do"), "{screen}");
    assert!(!screen.contains("Steps due today or earlier"), "one line for the invoice:\n{screen}");
    let json = book.settle("2026-12-08", &["report", "agenda", "--format", "json"]);
    assert!(json.contains("\"kind\": \"promise_broken\"") && json.contains("\"step\": \""), "{json}");
    quit(&tmux);
}
