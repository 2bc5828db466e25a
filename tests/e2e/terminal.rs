//! The terminal is always given back: after Ctrl-C, after a panic inside a draw, and after
//! the window shrinks to 1×1 and grows again. Each run prints, after the app ends, its exit
//! status and the terminal's line discipline (`stty`): raw mode left means `-icanon -echo`.

use std::path::Path;
use std::process::Command;

use crate::support::tmux::{TIMEOUT, Tmux};
use crate::support::{settle_on, succeeds};

const TODAY: &str = "2026-11-23";

fn demo_book(dir: &Path) -> std::path::PathBuf {
    demo_book_of(dir, 12, 120)
}

fn demo_book_of(dir: &Path, customers: u32, invoices: u32) -> std::path::PathBuf {
    let db = dir.join("book.db");
    let (customers, invoices) = (customers.to_string(), invoices.to_string());
    succeeds(&mut settle_on(
        &db,
        None,
        TODAY,
        &["demo", "--busy", "--customers", &customers, "--invoices", &invoices],
    ));
    db
}

/// The app in tmux; afterwards the shell reports "exited N" and the stty flags.
fn start(name: &str, dir: &Path, env: &str) -> Option<Tmux> {
    let db = demo_book(dir);
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    let command = format!(
        "{env} '{}' --db '{}' --config '{}' --today {TODAY}; echo \"exited $?\"; \
         stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; \
         echo '<stty'; exec sleep 60",
        env!("CARGO_BIN_EXE_settle"),
        db.display(),
        config.display(),
    );
    Tmux::start(name, 100, 30, &command)
}

/// Waits for the app to end and checks the terminal is back to normal.
fn assert_restored(tmux: &Tmux, status: &str) -> String {
    let screen = tmux.wait_for("<stty");
    assert!(screen.contains(&format!("exited {status}")), "exit status {status}:\n{screen}");
    assert!(screen.contains("icanon echo <stty"), "the line discipline is restored:\n{screen}");
    let alternate = tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag}"]);
    assert_eq!(
        String::from_utf8_lossy(&alternate.stdout).trim(),
        "0 1",
        "the main screen is back and the cursor shows"
    );
    screen
}

/// A book with more open invoices than a first look is for (about 5,900 of 30,000): the
/// first frame shows the agenda's first sections, and the whole book follows with no key
/// pressed, from another connection.
#[test]
fn a_large_book_fills_in_after_its_first_look() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book_of(dir.path(), 300, 30_000);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let command = format!(
        "'{}' --db '{}' --config '{}' --today {TODAY}; echo \"exited $?\"; exec sleep 60",
        env!("CARGO_BIN_EXE_settle"),
        db.display(),
        config.display(),
    );
    let Some(tmux) = Tmux::start("first-look", 120, 40, &command) else { return };
    let screen = tmux.wait_for("things to do");
    assert!(!screen.contains("the rest is loading"), "{screen}");
    assert!(screen.contains("DSO ") && !screen.contains("DSO …"), "{screen}");
    tmux.keys(&["2"]);
    tmux.wait_for("Aged receivables (EUR) as of 2026-11-23 — 300 customers");
    tmux.keys(&["q"]);
    tmux.wait_for("exited 0");
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = start("ctrl-c", dir.path(), "") else { return };
    tmux.wait_for("things to do");
    tmux.keys(&["C-c"]);
    assert_restored(&tmux, "0");
}

#[test]
fn a_panic_inside_a_draw_restores_the_terminal_and_says_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = start("panic", dir.path(), "SETTLE_TEST_PANIC_IN_DRAW=1 RUST_BACKTRACE=0") else {
        return;
    };
    tmux.wait_for("things to do");
    tmux.keys(&["2"]);
    let screen = assert_restored(&tmux, "101");
    assert!(screen.contains("a panic inside a draw"), "the panic message is readable:\n{screen}");
}

#[test]
fn shrinking_to_one_cell_and_back_keeps_the_app_working() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = start("resize", dir.path(), "") else { return };
    tmux.wait_for("things to do");
    for (w, h) in [("1", "1"), ("2", "1"), ("1", "3"), ("20", "5")] {
        let out = tmux.run(&["resize-window", "-t", "e2e", "-x", w, "-y", h]);
        assert!(out.status.success(), "resize to {w}x{h}: {}", String::from_utf8_lossy(&out.stderr));
        // A key makes it draw at that size; it must still be alive to answer the next one.
        tmux.keys(&["j"]);
    }
    let out = tmux.run(&["resize-window", "-t", "e2e", "-x", "100", "-y", "30"]);
    assert!(out.status.success());
    tmux.keys(&["2"]);
    tmux.wait_for("Aged receivables (EUR) as of 2026-11-23");
    tmux.keys(&["q"]);
    assert_restored(&tmux, "0");
}

#[test]
fn a_terminal_that_goes_away_ends_the_app_instead_of_spinning() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let pid_file = dir.path().join("pid");
    let command = format!(
        "sh -c 'echo $$ > {}; exec {} --db {} --config {} --today {TODAY}'",
        pid_file.display(),
        env!("CARGO_BIN_EXE_settle"),
        db.display(),
        config.display()
    );
    let Some(tmux) = Tmux::start("hangup", 100, 30, &command) else { return };
    tmux.wait_for("things to do");
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
    // Running, as opposed to gone or a zombie nobody reaped yet (state Z in /proc/PID/stat).
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
    };
    assert!(alive());
    // The window closes: the terminal hangs up under the app.
    let _ = tmux.run(&["kill-server"]);
    let start = std::time::Instant::now();
    while alive() {
        assert!(start.elapsed() < TIMEOUT, "settle (pid {pid}) still runs after its terminal went away");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A paste arrives bracketed (tmux `paste-buffer -p` brackets it because the app asked for it):
/// on Today a pasted "2a q" switches no tab, opens nothing and does not quit; in the filter
/// line it is typed.
#[test]
fn a_paste_is_text_for_a_field_never_keys() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = start("paste", dir.path(), "") else { return };
    tmux.wait_for("Today —");
    let paste = |text: &str| {
        assert!(tmux.run(&["set-buffer", "-b", "p", text]).status.success());
        assert!(tmux.run(&["paste-buffer", "-p", "-b", "p", "-t", "e2e"]).status.success());
    };
    paste("2a q");
    tmux.wait_for("Paste goes into a field");
    let screen = tmux.capture();
    assert!(screen.contains("Today —") && !screen.contains("exited"), "{screen}");
    assert!(!screen.contains("Add a customer"), "the paste opened the add menu:\n{screen}");
    tmux.keys(&["/"]);
    tmux.wait_for("Filter:");
    paste("maes");
    tmux.wait_for("Filter: maes");
    tmux.keys(&["Escape"]);
    // Wait for the Escape to be read on its own (ESC then q at once reads as Alt-q).
    tmux.wait_until("the filter to close", |s| !s.contains("Filter: maes"));
    tmux.keys(&["q"]);
    assert_restored(&tmux, "0");
}

/// The mouse, as the terminal reports it (SGR sequences, what tmux sends once the app asked
/// for mouse reports): a click on a tab goes there, the wheel moves the selection; afterwards
/// the terminal no longer reports the mouse.
#[test]
fn the_mouse_clicks_tabs_and_scrolls_lists() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = start("mouse", dir.path(), "") else { return };
    let screen = tmux.wait_for("things to do");
    let tabs = screen.lines().nth(1).unwrap_or_default();
    let x = tabs[..tabs.find("Customers").expect("the tabs")].chars().count() + 3;
    let sgr = |button: u8, x: usize, y: usize, end: char| format!("\x1b[<{button};{x};{y}{end}");
    // SGR coordinates count from 1: the tabs are on the second row.
    tmux.type_text(&format!("{}{}", sgr(0, x, 2, 'M'), sgr(0, x, 2, 'm')));
    tmux.wait_for("Customers (12) · 1 of 12");
    tmux.type_text(&sgr(65, 10, 10, 'M'));
    tmux.wait_for("Customers (12) · 4 of 12");
    tmux.type_text(&sgr(64, 10, 10, 'M'));
    tmux.wait_for("Customers (12) · 1 of 12");
    tmux.keys(&["q"]);
    assert_restored(&tmux, "0");
    let out = tmux.run(&["display-message", "-p", "-t", "e2e", "#{mouse_any_flag}#{mouse_button_flag}"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "00", "mouse reports are off again");
}

/// Ctrl-Z in a shell with job control: the app gives the terminal back and stops; `fg`
/// brings it back, redrawn, and it still answers keys.
#[test]
fn ctrl_z_suspends_and_fg_resumes_with_a_redraw() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_book(dir.path());
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let Some(tmux) = Tmux::start("suspend", 100, 30, "env PS1='$ ' bash --norc --noprofile -i") else {
        return;
    };
    tmux.wait_until("the prompt", |s| s.trim_start().starts_with('$'));
    tmux.type_text(&format!(
        "'{}' --db '{}' --config '{}' --today {TODAY}",
        env!("CARGO_BIN_EXE_settle"),
        db.display(),
        config.display()
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for("things to do");
    let alternate = || {
        let out = tmux.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    tmux.keys(&["C-z"]);
    tmux.wait_for("Stopped");
    assert_eq!(alternate(), "0", "the shell has the main screen back");
    tmux.type_text("fg");
    tmux.keys(&["Enter"]);
    tmux.wait_until("the app redrawn", |s| s.contains("things to do") && !s.contains("Stopped"));
    assert_eq!(alternate(), "1");
    tmux.keys(&["2"]);
    tmux.wait_for("Aged receivables");
    tmux.keys(&["q"]);
    tmux.wait_until("the shell prompt", |s| !s.contains("Aged receivables"));
    tmux.type_text("echo \"exited $?\"");
    tmux.keys(&["Enter"]);
    tmux.wait_for("exited 0");
}

/// `y` hands the selected email address to the terminal's clipboard with OSC 52: tmux (with
/// `set-clipboard on`, as a terminal emulator would) puts it in its paste buffer.
#[test]
fn y_copies_to_the_terminal_clipboard() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = start("copy", dir.path(), "") else { return };
    assert!(tmux.run(&["set-option", "-g", "set-clipboard", "on"]).status.success());
    tmux.wait_for("Today");
    tmux.keys(&["3"]);
    tmux.wait_for("Customers (");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("to the clipboard");
    let said = screen.split("Copied the email address ").nth(1).unwrap();
    let email = said.split(" to the clipboard").next().unwrap().trim().to_string();
    assert!(email.contains('@'), "{screen}");
    let start = std::time::Instant::now();
    loop {
        let buffer = tmux.run(&["show-buffer"]);
        if String::from_utf8_lossy(&buffer.stdout) == email {
            break;
        }
        assert!(start.elapsed() < TIMEOUT, "the paste buffer never held {email}: {buffer:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The address is the selected customer's, as the book has it.
    let db = dir.path().join("book.db");
    let csv = dir.path().join("customers.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_settle"))
        .arg("--db")
        .arg(&db)
        .args(["export", "csv", "--what", "customers", "--out"])
        .arg(&csv)
        .env_remove("SETTLE_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&csv).unwrap().contains(&email));
    tmux.keys(&["q"]);
    assert_restored(&tmux, "0");
}

/// `e` on a letter runs `$EDITOR` on it with the terminal handed over, takes the terminal
/// back, and `s` saves the text as the editor left it.
#[test]
fn e_edits_a_letter_in_the_editor_and_s_saves_the_edit() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // The "editor": marks the subject line, as a user typing in vi would.
    let editor = dir.path().join("edit.sh");
    // It also sends the terminal's Ctrl-C to its whole process group, settle included: the
    // editor's, not a reason for settle to quit.
    std::fs::write(&editor, "#!/bin/sh\ntrap '' INT\nkill -INT 0\nsed -i '1s/$/ EDITED-IN-EDITOR/' \"$1\"\n")
        .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();
    let env = format!("VISUAL= EDITOR='{}'", editor.display());
    let Some(tmux) = start("editor", dir.path(), &env) else { return };
    tmux.wait_for("things to do");
    // The second line of Today hands Brouwerij Janssens NV's two invoices to the agency (one
    // line for the customer): → shows them, j selects the first, l shows its cover letter.
    tmux.keys(&["j"]);
    tmux.wait_for("▸ + Brouwerij Janssens NV");
    tmux.keys(&["Right"]);
    tmux.wait_for("− Brouwerij Janssens NV");
    tmux.keys(&["j", "l"]);
    tmux.wait_for("agency");
    tmux.keys(&["e"]);
    tmux.wait_for("EDITED-IN-EDITOR");
    tmux.keys(&["s"]);
    tmux.wait_for("Saved letters/");
    let mut letters: Vec<_> =
        std::fs::read_dir(dir.path().join("letters")).unwrap().map(|e| e.unwrap().path()).collect();
    letters.sort();
    // The letter and its PDF beside it.
    assert_eq!(letters.len(), 2, "{letters:?}");
    assert_eq!(letters[0].with_extension("txt"), letters[1], "{letters:?}");
    assert!(std::fs::read(&letters[0]).unwrap().starts_with(b"%PDF-"), "{letters:?}");
    let text = std::fs::read_to_string(&letters[1]).unwrap();
    assert!(text.lines().next().unwrap().ends_with(" EDITED-IN-EDITOR"), "{text}");
    assert!(
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .all(|e| !e.file_name().to_string_lossy().starts_with("settle-letter-")),
        "the editor's copy is removed"
    );
    tmux.keys(&["q"]);
    assert_restored(&tmux, "0");
}
