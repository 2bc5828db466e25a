//! `settle check` against a real, private D-Bus session bus: with a real notification
//! server (dunst on Xvfb) the notification arrives and is read back from the server; with a
//! bus but no server, or dunst without a display, `check` falls back to printing.
//!
//! These tests need dbus-daemon (and dunst, Xvfb). Without them they print why and skip,
//! unless SETTLE_REQUIRE_DBUS=1 (CI), where they fail. Every daemon is stopped by its pid
//! when the test ends, pass or fail.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::bus::{Daemons, bus_config, first_line, have, poll, start_bus};
use crate::support::{Book, next_to_fall_due};
use zbus::zvariant::OwnedValue;

const OVERDUE_BODY: &str = "Acme BV — invoice 2026-041, €1,250.00, 1 day overdue";

/// Xvfb, a private session bus and dunst on them.
struct Desktop {
    daemons: Daemons,
    address: String,
    bus: zbus::Connection,
}

/// dunst keeps closed notifications in its history; the format per urgency lets the test
/// read back which urgency each notification carried.
const DUNSTRC: &str = r#"[global]
    history_length = 100
    sticky_history = yes
[urgency_low]
    format = "low|%s|%b"
[urgency_normal]
    format = "normal|%s|%b"
[urgency_critical]
    format = "critical|%s|%b"
"#;

impl Desktop {
    fn start(dir: &Path) -> Desktop {
        let mut daemons = Daemons::default();
        // -displayfd: Xvfb picks a free display and prints its number once it accepts clients.
        let xvfb = daemons.add(
            "Xvfb",
            Command::new("Xvfb")
                .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb"),
        );
        let display = format!(":{}", first_line(xvfb.stdout.take().unwrap(), Duration::from_secs(10)));

        let config = bus_config(dir, &dir.join("bus"));
        let address = start_bus(&mut daemons, &config, &[]);

        let runtime = dir.join("runtime");
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        std::fs::write(dir.join("dunstrc"), DUNSTRC).unwrap();
        let log = std::fs::File::create(dir.join("dunst.log")).unwrap();
        daemons.add(
            "dunst",
            Command::new("dunst")
                .arg("-config")
                .arg(dir.join("dunstrc"))
                .env("DISPLAY", &display)
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .env("XDG_RUNTIME_DIR", &runtime)
                .env("XDG_CONFIG_HOME", dir.join("config"))
                .env_remove("WAYLAND_DISPLAY")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("start dunst"),
        );

        let bus =
            zbus::block_on(async { zbus::connection::Builder::address(address.as_str())?.build().await })
                .expect("connect to the private bus");
        let mut desktop = Desktop { daemons, address, bus };
        poll("dunst to own org.freedesktop.Notifications", Duration::from_secs(10), || {
            desktop.daemons.assert_running();
            desktop
                .call::<_, bool>(
                    "org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus",
                    "NameHasOwner",
                    &("org.freedesktop.Notifications",),
                )
                .then_some(())
        });
        desktop
    }

    fn call<B, R>(&self, dest: &str, path: &str, iface: &str, method: &str, body: &B) -> R
    where
        B: serde::Serialize + zbus::zvariant::DynamicType,
        R: for<'a> zbus::zvariant::DynamicDeserialize<'a>,
    {
        zbus::block_on(async {
            let reply = self.bus.call_method(Some(dest), path, Some(iface), method, body).await?;
            reply.body().deserialize::<R>()
        })
        .unwrap_or_else(|e| panic!("{iface}.{method}: {e}"))
    }

    fn dunst<R: for<'a> zbus::zvariant::DynamicDeserialize<'a>>(&self, method: &str) -> R {
        self.call(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.dunstproject.cmd0",
            method,
            &(),
        )
    }

    /// Notifications on screen or queued: 0 once all were closed into the history.
    fn showing(&self) -> u32 {
        let count = |property: &str| -> u32 {
            let v: OwnedValue = self.call(
                "org.freedesktop.Notifications",
                "/org/freedesktop/Notifications",
                "org.freedesktop.DBus.Properties",
                "Get",
                &("org.dunstproject.cmd0", property),
            );
            u32::try_from(v).unwrap()
        };
        count("displayedLength") + count("waitingLength")
    }

    /// Closes everything on screen and returns the whole history once it holds `n`.
    fn history(&self, n: usize) -> Vec<Received> {
        let () = self.dunst("NotificationCloseAll");
        poll(&format!("{n} notifications in dunst's history"), Duration::from_secs(10), || {
            let raw: Vec<HashMap<String, OwnedValue>> = self.dunst("NotificationListHistory");
            (raw.len() >= n).then(|| raw.iter().map(Received::from).collect())
        })
    }

    /// `settle check` on this desktop's bus.
    fn check(&self, book: &Book, today: &str) -> String {
        let (stdout, stderr) = check_on(book, &self.address, today);
        assert_eq!(stderr, "", "no fallback hint with a notification server running");
        stdout
    }
}

/// One notification as the server recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Received {
    appname: String,
    summary: String,
    body: String,
    /// "normal|summary|body", from the per-urgency format in DUNSTRC.
    message: String,
    timeout_us: i64,
}

impl From<&HashMap<String, OwnedValue>> for Received {
    fn from(fields: &HashMap<String, OwnedValue>) -> Received {
        let text = |k: &str| String::try_from(fields[k].try_clone().unwrap()).unwrap();
        Received {
            appname: text("appname"),
            summary: text("summary"),
            body: text("body"),
            message: text("message"),
            timeout_us: i64::try_from(fields["timeout"].try_clone().unwrap()).unwrap(),
        }
    }
}

#[test]
fn a_notification_reaches_a_real_notification_server_once() {
    if !have(&["dbus-daemon", "dunst", "Xvfb"], "a_notification_reaches_a_real_notification_server_once") {
        return;
    }
    let book = Book::with_overdue_invoice();
    let desktop = Desktop::start(book.dir.path());

    let out = desktop.check(&book, "2026-11-23");
    assert!(
        out.ends_with("settle check 2026-11-23: 1 new alert, shown as 1 desktop notification.\n"),
        "{out}"
    );
    let got = desktop.history(1);
    assert_eq!(
        got,
        vec![Received {
            appname: "settle".into(),
            summary: "Invoice overdue".into(),
            body: OVERDUE_BODY.into(),
            message: format!("normal|Invoice overdue|{OVERDUE_BODY}"),
            timeout_us: 60_000_000,
        }]
    );

    // Run again: nothing new, nothing sent.
    let out = desktop.check(&book, "2026-11-23");
    assert_eq!(out, "settle check 2026-11-23: nothing new; 1 already told.\n");
    assert_eq!(desktop.showing(), 0);
    assert_eq!(desktop.history(1).len(), 1);

    // Six invoices at once make one summary notification.
    for n in 1..=6 {
        let customer = format!("Customer {n}");
        book.ok(&["customer", "add", &customer]);
        book.invoice(&format!("2026-10{n}"), &customer, "2026-11-22", "100");
    }
    let out = desktop.check(&book, "2026-11-23");
    assert!(out.ends_with("6 new alerts, shown as 1 desktop notification; 1 already told.\n"), "{out}");
    let got = desktop.history(2);
    let summary: Vec<&Received> = got.iter().filter(|r| r.summary == "6 invoices need attention").collect();
    assert_eq!(summary.len(), 1, "{got:#?}");
    let lines: Vec<&str> = summary[0].body.lines().collect();
    assert_eq!(lines.len(), 6, "{}", summary[0].body);
    assert_eq!(lines[0], "Customer 1 — 2026-101: Invoice overdue");
    assert_eq!(lines[5], "… and 1 more: run `settle` to see them all.");
    assert_eq!(got.len(), 2, "one notification for six invoices: {got:#?}");
}

#[test]
fn on_the_demo_book_a_real_notification_comes_once_the_day_after_the_due_date() {
    if !have(
        &["dbus-daemon", "dunst", "Xvfb"],
        "on_the_demo_book_a_real_notification_comes_once_the_day_after_the_due_date",
    ) {
        return;
    }
    let book = Book::undated();
    book.ok(&["--today", "2026-11-23", "demo", "--busy", "--seed", "42"]);
    book.ok(&["--today", "2026-11-23", "check", "--no-notify", "--quiet"]);
    let (due, number) = next_to_fall_due(&book);
    book.ok(&["--today", &due.to_string(), "check", "--no-notify", "--quiet"]);
    let desktop = Desktop::start(book.dir.path());

    let day_after = due.succ_opt().unwrap().to_string();
    desktop.check(&book, &day_after);
    let first = desktop.history(1);
    let about: Vec<&Received> =
        first.iter().filter(|r| r.body.contains(&format!("invoice {number},"))).collect();
    assert_eq!(about.len(), 1, "exactly one notification for {number}: {first:#?}");
    assert!(about[0].summary.starts_with("Invoice overdue"), "{about:#?}");
    assert!(about[0].body.lines().next().unwrap().ends_with(", 1 day overdue"), "{about:#?}");

    let out = desktop.check(&book, &day_after);
    assert!(out.starts_with(&format!("settle check {day_after}: nothing new;")), "{out}");
    assert_eq!(desktop.showing(), 0);
    assert_eq!(desktop.history(first.len()).len(), first.len(), "the second run sent nothing");
}

#[test]
fn a_bus_without_a_notification_server_is_the_fallback() {
    if !have(&["dbus-daemon"], "a_bus_without_a_notification_server_is_the_fallback") {
        return;
    }
    let book = Book::with_overdue_invoice();
    let mut daemons = Daemons::default();
    // This bus starts no services: nobody owns org.freedesktop.Notifications.
    let address = start_bus(&mut daemons, &bus_config(book.dir.path(), &book.dir.path().join("bus")), &[]);
    let (stdout, stderr) = check_on(&book, &address, "2026-11-23");
    assert!(stdout.starts_with(&format!("Invoice overdue: {OVERDUE_BODY}\n")), "{stdout}");
    assert!(stderr.starts_with("hint: no notification server on the session bus ("), "{stderr}");
    assert!(stderr.contains("ServiceUnknown"), "{stderr}");
}

#[test]
fn dunst_without_a_display_is_the_fallback() {
    if !have(&["dbus-daemon", "dunst"], "dunst_without_a_display_is_the_fallback") {
        return;
    }
    let book = Book::with_overdue_invoice();
    let dir = book.dir.path();
    let mut daemons = Daemons::default();
    // The standard session bus, which starts dunst on demand from its .service file; with
    // no display dunst cannot start.
    let mut cmd = Command::new("dbus-daemon");
    cmd.args(["--session", "--nofork", "--print-address=1"])
        .arg(format!("--address=unix:path={}", dir.join("bus").display()))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_RUNTIME_DIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let child = daemons.add("dbus-daemon", cmd.spawn().expect("start dbus-daemon"));
    let address = first_line(child.stdout.take().unwrap(), Duration::from_secs(10));
    let (stdout, stderr) = check_on(&book, &address, "2026-11-23");
    assert!(stdout.ends_with("1 new alert, printed above.\n"), "{stdout}");
    // The bus tried to start dunst and it failed (org.freedesktop.DBus.Error.Spawn.*).
    assert!(stderr.starts_with("hint: no notification server on the session bus ("), "{stderr}");
}

/// A notification server of our own on a private bus: it answers every `Notify` except the
/// ones whose body contains `refuse`, and keeps the bodies it showed.
struct FakeServer {
    shown: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    refuse: Option<&'static str>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeServer {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: &str,
        _replaces_id: u32,
        _app_icon: &str,
        _summary: &str,
        body: &str,
        _actions: Vec<&str>,
        _hints: HashMap<&str, zbus::zvariant::Value<'_>>,
        _expire_timeout: i32,
    ) -> zbus::fdo::Result<u32> {
        if self.refuse.is_some_and(|r| body.contains(r)) {
            return Err(zbus::fdo::Error::Failed("refused by the test server".into()));
        }
        let mut shown = self.shown.lock().unwrap();
        shown.push(body.to_string());
        Ok(shown.len() as u32)
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("fake".into(), "settle tests".into(), "1".into(), "1.2".into())
    }
}

/// Starts a private bus with a [`FakeServer`] on it: the bus address, the server's
/// connection (serving while it lives) and what it showed.
fn fake_desktop(
    daemons: &mut Daemons,
    dir: &Path,
    refuse: Option<&'static str>,
) -> (String, zbus::Connection, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let address = start_bus(daemons, &bus_config(dir, &dir.join("bus")), &[]);
    let shown = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let server = FakeServer { shown: shown.clone(), refuse };
    let conn = zbus::block_on(async {
        zbus::connection::Builder::address(address.as_str())?
            .name("org.freedesktop.Notifications")?
            .serve_at("/org/freedesktop/Notifications", server)?
            .build()
            .await
    })
    .expect("serve notifications on the private bus");
    (address, conn, shown)
}

/// Three overdue invoices (as of 2026-11-23), one per customer, in this order.
fn three_overdue(customers: [&str; 3]) -> Book {
    let book = Book::undated();
    for (n, customer) in customers.iter().enumerate() {
        book.ok(&["customer", "add", customer]);
        book.invoice(&format!("2026-00{}", n + 1), customer, "2026-11-22", "100");
    }
    book
}

/// `settle check` on `today` on the bus at `address`: its standard output and error.
fn check_on(book: &Book, address: &str, today: &str) -> (String, String) {
    let out = book
        .cmd(&["--today", today, "check"])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    let text = |b: &Vec<u8>| String::from_utf8(b.clone()).unwrap();
    (text(&out.get_output().stdout), text(&out.get_output().stderr))
}

#[test]
fn one_refused_notification_does_not_keep_the_others_from_the_desktop() {
    if !have(&["dbus-daemon"], "one_refused_notification_does_not_keep_the_others_from_the_desktop") {
        return;
    }
    let book = three_overdue(["Alpha BV", "Beta BV", "Gamma BV"]);
    let mut daemons = Daemons::default();
    let (address, _server, shown) = fake_desktop(&mut daemons, book.dir.path(), Some("Beta BV"));
    let (stdout, stderr) = check_on(&book, &address, "2026-11-23");
    let shown = shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with("Alpha BV — invoice 2026-001"), "{shown:?}");
    assert!(shown[1].starts_with("Gamma BV — invoice 2026-003"), "{shown:?}");
    assert!(stdout.contains("Invoice overdue: Beta BV — invoice 2026-002"), "{stdout}");
    assert!(
        stdout.ends_with(
            "3 new alerts, 2 shown as 2 desktop notifications, 1 printed above (1 desktop notification failed).\n"
        ),
        "{stdout}"
    );
    assert!(stderr.starts_with("hint: 1 of 3 desktop notifications could not be shown ("), "{stderr}");
    let (stdout, _) = check_on(&book, &address, "2026-11-23");
    assert_eq!(stdout, "settle check 2026-11-23: nothing new; 3 already told.\n");
}

/// A name with a NUL byte (from a book written before such names were refused) cannot go
/// over D-Bus: that one alert is printed, and the notifications after it are still shown.
#[test]
fn a_nul_byte_in_a_name_loses_no_other_notification() {
    if !have(&["dbus-daemon"], "a_nul_byte_in_a_name_loses_no_other_notification") {
        return;
    }
    let book = three_overdue(["Alpha BV", "Beta BV", "Gamma BV"]);
    rusqlite::Connection::open(&book.db)
        .unwrap()
        .execute("UPDATE customers SET name = 'Be' || char(0) || 'ta BV' WHERE name = 'Beta BV'", [])
        .unwrap();
    let mut daemons = Daemons::default();
    let (address, _server, shown) = fake_desktop(&mut daemons, book.dir.path(), None);
    let (stdout, _) = check_on(&book, &address, "2026-11-23");
    let shown = shown.lock().unwrap().clone();
    for (customer, number) in [("Alpha BV", "2026-001"), ("Gamma BV", "2026-003")] {
        assert!(shown.iter().any(|b| b.starts_with(&format!("{customer} — invoice {number}"))), "{shown:?}");
    }
    let beta = shown.iter().any(|b| b.contains("invoice 2026-002"))
        || stdout.lines().any(|l| l.starts_with("Invoice overdue: Be") && l.contains("invoice 2026-002"));
    assert!(beta, "the alert on 2026-002 is shown or printed: {shown:?}\n{stdout}");
    let (stdout, _) = check_on(&book, &address, "2026-11-23");
    assert_eq!(stdout, "settle check 2026-11-23: nothing new; 3 already told.\n");
}
