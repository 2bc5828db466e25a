//! The SMTP password in the system keyring, for real: a private session bus with Debian's
//! gnome-keyring-daemon (its Secret Service, unlocked with a password on its standard input)
//! and the test SMTP server requiring a login. `settle config smtp-password` stores the
//! password there and `settle letter --send` logs in with it; a missing entry, a locked
//! keyring and no session bus each say why and change nothing.
//!
//! Needs dbus-daemon, gnome-keyring-daemon and python3-aiosmtpd: without them the test says
//! why and skips, unless SETTLE_REQUIRE_DBUS=1 / SETTLE_REQUIRE_E2E=1 (CI), where it fails.
//! Every daemon is stopped by its pid when the test ends, pass or fail.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::bus::{Daemons, bus_config, have, poll, start_bus};
use crate::support::smtp::Smtp;
use crate::support::{Book, mail_book};

/// A private session bus with gnome-keyring's Secret Service on it, its login keyring
/// unlocked.
struct Keyring {
    daemons: Daemons,
    address: String,
}

impl Keyring {
    fn start(dir: &Path) -> Keyring {
        let mut daemons = Daemons::default();
        let address = start_bus(&mut daemons, &bus_config(dir, &dir.join("bus")), &[]);
        let runtime = dir.join("runtime");
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        // --foreground keeps it our child (stopped by pid); --unlock reads the login
        // keyring's password from standard input, creating that keyring in the home given.
        let child = daemons.add(
            "gnome-keyring-daemon",
            Command::new("gnome-keyring-daemon")
                .args(["--foreground", "--unlock", "--components=secrets"])
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .env("XDG_RUNTIME_DIR", &runtime)
                .env("HOME", dir.join("home"))
                .env("XDG_DATA_HOME", dir.join("home/data"))
                .env_remove("GNOME_KEYRING_CONTROL")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start gnome-keyring-daemon"),
        );
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"login keyring password").unwrap();
        drop(stdin);
        let mut keyring = Keyring { daemons, address };
        poll("gnome-keyring to own org.freedesktop.secrets", Duration::from_secs(10), || {
            keyring.daemons.assert_running();
            keyring.owns().then_some(())
        });
        keyring
    }

    /// Whether the Secret Service's name has an owner yet.
    fn owns(&self) -> bool {
        let out = self.send(&[
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ]);
        out.contains("boolean true")
    }

    /// `dbus-send --print-reply` on the private bus; its output.
    fn send(&self, args: &[&str]) -> String {
        let out = Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args(["--type=method_call", "--print-reply"])
            .args(args)
            .output()
            .expect("run dbus-send");
        assert!(out.status.success(), "dbus-send {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Locks the login keyring, as the desktop does when the screen locks or the session ends.
    fn lock(&self) {
        self.send(&[
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ]);
    }
}

/// A book with two invoices to Bakkerij Janssens and a config that logs in to the server as
/// ann with the password the keyring keeps.
fn book(port: u16) -> (Book, PathBuf) {
    let book = mail_book("boekhouding@janssens.be", port, "user = \"ann\"\npassword_keyring = true\n");
    book.issue("F-2026-018", "Bakkerij Janssens", "2026-10-01", "1210");
    let config = book.path("config.toml");
    (book, config)
}

/// `settle --config CONFIG ARGS` (the book's) on the private bus (never the bus of whoever runs the tests).
fn run(book: &Book, address: &str, args: &[&str], stdin: &str) -> assert_cmd::assert::Assert {
    let mut cmd = book.cmd(&[]);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", address).args(args).write_stdin(stdin);
    cmd.assert()
}

fn stderr(a: assert_cmd::assert::Assert) -> String {
    let err = String::from_utf8(a.failure().get_output().stderr.clone()).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn the_smtp_password_comes_from_the_system_keyring() {
    if !have(
        &["dbus-daemon", "dbus-send", "gnome-keyring-daemon"],
        "the_smtp_password_comes_from_the_system_keyring",
    ) {
        return;
    }
    let Some(server) = Smtp::start("keyring", Some(("ann", "s3cret"))) else { return };
    let dir = tempfile::tempdir().unwrap();
    let keyring = Keyring::start(dir.path());
    let (book, config) = book(server.port);
    let bus = keyring.address.as_str();
    let before = book.dump();

    // No entry yet: said, nothing sent or recorded.
    let err = stderr(run(&book, bus, &["letter", "F-2026-017", "--send"], ""));
    assert!(
        err.contains("no password for ann@127.0.0.1") && err.contains("settle config smtp-password"),
        "{err}"
    );
    assert_eq!(book.dump(), before);

    // Stored from standard input (blanks and line end dropped), then replaced: the server,
    // which requires the login, takes the message only with the second one.
    let out = run(&book, bus, &["config", "smtp-password"], "wrong\n").success();
    let said = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(said.contains("keeps the SMTP password for ann@127.0.0.1"), "{said}");
    run(&book, bus, &["config", "smtp-password"], "  s3cret \n").success();
    run(&book, bus, &["letter", "F-2026-017", "--send"], "").success();
    let got = server.wait_for(1);
    assert_eq!(got.len(), 1);
    assert!(got[0].contains("F-2026-017"));
    assert_ne!(book.dump(), before);
    // The password is nowhere in the configuration or the book.
    assert!(!std::fs::read_to_string(&config).unwrap().contains("s3cret"));
    assert!(!String::from_utf8_lossy(&std::fs::read(&book.db).unwrap()).contains("s3cret"));

    // A locked keyring (no one here to type its password): said, nothing sent or recorded.
    keyring.lock();
    let before = book.dump();
    let err = stderr(run(&book, bus, &["letter", "F-2026-018", "--send"], ""));
    assert!(err.contains("keyring is locked"), "{err}");
    assert_eq!(book.dump(), before);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn without_a_session_bus_the_keyring_says_why_and_nothing_is_sent() {
    let Some(server) = Smtp::start("keyring-no-bus", Some(("ann", "s3cret"))) else { return };
    let (book, _) = book(server.port);
    let before = book.dump();
    let nowhere = format!("unix:path={}", book.path("no-bus-here").display());
    let err = stderr(run(&book, &nowhere, &["letter", "F-2026-017", "--send"], ""));
    assert!(err.contains("system keyring") && err.contains("could not be used"), "{err}");
    let err = stderr(run(&book, &nowhere, &["config", "smtp-password"], "s3cret\n"));
    assert!(err.contains("could not be used"), "{err}");
    assert_eq!(book.dump(), before);
    assert!(server.received().is_empty());
}
