//! `settle check` from the command line, without a desktop: printing, the fallback when
//! there is no session bus or it never answers, and the timer and cron set-up.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::time::Duration;

use crate::support::{Book, SETTLE, next_to_fall_due};

const OVERDUE: &str = "Invoice overdue: Acme BV — invoice 2026-041, €1,250.00, 1 day overdue";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn no_notify_prints_each_new_alert_once() {
    let book = Book::with_overdue_invoice();
    let run = || {
        let out = book
            .cmd(&["--today", "2026-11-23", "check", "--no-notify"])
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .assert()
            .success();
        (text(&out.get_output().stdout), text(&out.get_output().stderr))
    };
    assert_eq!(
        run(),
        (format!("{OVERDUE}\nsettle check 2026-11-23: 1 new alert, printed above.\n"), String::new())
    );
    assert_eq!(run(), ("settle check 2026-11-23: nothing new; 1 already told.\n".into(), String::new()));
    // The next day the same invoice is still overdue, but that was told.
    assert_eq!(
        book.ok(&["--today", "2026-11-24", "check", "--no-notify"]),
        "settle check 2026-11-24: nothing new; 1 already told.\n"
    );
}

#[test]
fn quiet_prints_only_what_was_not_shown() {
    let book = Book::with_overdue_invoice();
    assert_eq!(
        book.ok(&["--today", "2026-11-23", "check", "--no-notify", "--quiet"]),
        format!("{OVERDUE}\n")
    );
    assert_eq!(book.ok(&["--today", "2026-11-23", "check", "--no-notify", "--quiet"]), "");
}

#[test]
fn without_a_session_bus_check_prints_the_alerts_and_a_hint() {
    let book = Book::with_overdue_invoice();
    let out = book
        .cmd(&["--today", "2026-11-23", "check"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .timeout(Duration::from_secs(10))
        .assert()
        .success();
    let (stdout, stderr) = (text(&out.get_output().stdout), text(&out.get_output().stderr));
    assert_eq!(stdout, format!("{OVERDUE}\nsettle check 2026-11-23: 1 new alert, printed above.\n"));
    assert_eq!(stderr.lines().count(), 1, "one hint line: {stderr}");
    assert!(stderr.starts_with("hint: no desktop session bus ("), "{stderr}");
    assert!(stderr.contains("/nonexistent"), "{stderr}");

    // Printed counts as told: the second run has nothing to say, and needs no bus for that.
    let again = book
        .cmd(&["--today", "2026-11-23", "check"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .timeout(Duration::from_secs(10))
        .assert()
        .success();
    assert_eq!(text(&again.get_output().stdout), "settle check 2026-11-23: nothing new; 1 already told.\n");
    assert_eq!(text(&again.get_output().stderr), "");
}

#[test]
fn a_bus_that_accepts_but_never_answers_does_not_hang_check() {
    let book = Book::with_overdue_invoice();
    let socket = book.dir.path().join("silent-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    // Accept every connection and never answer (not even the authentication handshake).
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let out = book
        .cmd(&["--today", "2026-11-23", "check"])
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", socket.display()))
        .timeout(Duration::from_secs(10))
        .assert()
        .success();
    assert_eq!(
        text(&out.get_output().stdout),
        format!("{OVERDUE}\nsettle check 2026-11-23: 1 new alert, printed above.\n")
    );
    let stderr = text(&out.get_output().stderr);
    assert!(stderr.starts_with("hint: the session bus did not answer within 4 s;"), "{stderr}");
}

#[test]
fn install_timer_writes_a_user_service_and_timer_under_xdg_config_home() {
    let book = Book::undated();
    let config_home = book.dir.path().join("config");
    let out = book
        .cmd(&["check", "--install-timer"])
        .env("XDG_CONFIG_HOME", &config_home)
        .env("HOME", book.dir.path().join("home"))
        .assert()
        .success();
    let stdout = text(&out.get_output().stdout);
    assert!(
        stdout.contains("systemctl --user daemon-reload && systemctl --user enable --now settle-check.timer"),
        "{stdout}"
    );
    let units = config_home.join("systemd/user");
    let service = std::fs::read_to_string(units.join("settle-check.service")).unwrap();
    let exec = format!("ExecStart={SETTLE} --db {} check --quiet", book.db.display());
    assert!(service.lines().any(|l| l == exec), "{exec} missing from\n{service}");
    assert!(service.lines().any(|l| l == "Type=oneshot"), "{service}");
    let timer = std::fs::read_to_string(units.join("settle-check.timer")).unwrap();
    for line in ["OnCalendar=*:0/30", "OnStartupSec=1min", "Persistent=true", "WantedBy=timers.target"] {
        assert!(timer.lines().any(|l| l == line), "{line} missing from\n{timer}");
    }
    assert_eq!(std::fs::metadata(&units).unwrap().permissions().mode() & 0o777, 0o700);

    // Nothing else was written: no database, nothing outside the config directory.
    let mut written: Vec<String> = walk(book.dir.path());
    written.sort();
    assert_eq!(
        written,
        ["config/systemd/user/settle-check.service", "config/systemd/user/settle-check.timer"]
    );

    // Installing again replaces the files (a moved binary or database is picked up).
    book.cmd(&["check", "--install-timer"]).env("XDG_CONFIG_HOME", &config_home).assert().success();
    assert_eq!(walk(book.dir.path()).len(), 2);
}

#[test]
fn print_cron_prints_one_crontab_line() {
    let book = Book::undated();
    let out = book.cmd(&["check", "--print-cron"]).assert().success();
    assert_eq!(
        text(&out.get_output().stdout),
        format!("*/30 * * * * {SETTLE} --db {} check --quiet\n", book.db.display())
    );
    assert!(text(&out.get_output().stderr).contains("crontab -"));
    assert!(!book.db.exists(), "printing a line creates no database");
}

#[test]
fn on_the_demo_book_an_invoice_is_told_once_the_day_after_its_due_date() {
    let book = Book::undated();
    book.ok(&["--today", "2026-11-23", "demo", "--busy", "--seed", "42"]);
    // Catch up once: the book's backlog is told on the first run.
    book.ok(&["--today", "2026-11-23", "check", "--no-notify", "--quiet"]);
    let (due, number) = next_to_fall_due(&book);
    let day_after = due.succ_opt().unwrap().to_string();
    book.ok(&["--today", &due.to_string(), "check", "--no-notify", "--quiet"]);

    let first = book.ok(&["--today", &day_after, "check", "--no-notify"]);
    let overdue: Vec<&str> =
        first.lines().filter(|l| l.starts_with("Invoice overdue:") && l.contains(&number)).collect();
    assert_eq!(overdue.len(), 1, "{first}");
    assert!(overdue[0].ends_with(", 1 day overdue"), "{first}");
    let second = book.ok(&["--today", &day_after, "check", "--no-notify"]);
    assert!(second.starts_with(&format!("settle check {day_after}: nothing new;")), "{second}");
}

/// Every file under `root`, relative to it.
fn walk(root: &std::path::Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    files
}

#[test]
fn a_promise_is_told_when_due_and_again_when_broken_and_pauses_escalation_meanwhile() {
    let book = Book::undated();
    book.ok(&["customer", "add", "Acme BV"]);
    // Due 1 November: by 23 November the reminder and the call are both due.
    book.invoice("2026-030", "Acme BV", "2026-11-01", "800");
    book.ok(&[
        "--today",
        "2026-11-23",
        "call",
        "log",
        "2026-030",
        "--outcome",
        "promise",
        "--promise-date",
        "2026-12-04",
    ]);
    let check = |day: &str| book.ok(&["--today", day, "check", "--no-notify", "--quiet"]);
    let first = check("2026-11-23");
    assert!(first.contains("Invoice overdue"), "{first}");
    assert!(
        !first.contains("due today") && !first.contains("Step due"),
        "a promise pauses escalation: {first}"
    );
    let due = check("2026-12-04");
    assert!(due.starts_with("Promise due: Acme BV — invoice 2026-030"), "{due}");
    // The grace (2 days by default) passes quietly; the day after, the promise is broken.
    assert_eq!(check("2026-12-06"), "");
    let broken = check("2026-12-07");
    assert!(broken.contains("Promise broken: Acme BV — invoice 2026-030"), "{broken}");
    assert!(broken.contains("Escalation resumes"), "{broken}");
    assert!(broken.contains("due"), "the next step is due again: {broken}");
}
