//! The runner of the full-screen app: it owns the terminal and the store, turns terminal
//! events into messages for `app`, performs the effects, and draws with `ui`.
//!
//! The terminal is restored however the app ends: a guard restores it on return (also on
//! `?`), ratatui's panic hook on a panic, and SIGTERM / SIGHUP / SIGINT only set a flag the
//! loop checks. It redraws after input, a resize, or a change to the database; the loop waits
//! on input with a one-second timeout (the tick, when it checks `PRAGMA data_version`).

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseEventKind};

use crate::app::screen_data::Pending;
use crate::app::{App, Message, Resources, SlowJob, dispatch_deferring};

mod background;
mod watch;
use crate::store::Store;
use background::Background;

const TICK: Duration = Duration::from_secs(1);
/// How often to look for background answers while one is awaited.
const AWAIT: Duration = Duration::from_millis(25);

/// Ends the process when its terminal goes away (the window closed, the SSH link dropped).
///
/// crossterm 0.29 cannot report it: on a terminal that hung up it reads end-of-file forever
/// inside `event::poll`, at full CPU, so the loop never sees its tick or the SIGHUP flag again.
/// A thread looks at the terminal once a tick and exits with 129 (128 + SIGHUP) when it is
/// gone. Nothing is lost: the app writes only in answer to a key, each write is one SQLite
/// transaction, and there is no terminal left to restore.
fn watch_for_a_lost_terminal() {
    // The controlling terminal: it opens while the terminal is there and fails (ENXIO) once it
    // hung up. (crossterm's `terminal::size` cannot tell: it falls back to asking `tput`.)
    let tty_present = || std::fs::File::open("/dev/tty").is_ok();
    if !tty_present() {
        return;
    }
    let spawned = std::thread::Builder::new().name("terminal-watch".into()).spawn(move || {
        loop {
            std::thread::sleep(TICK);
            if !tty_present() {
                std::process::exit(129);
            }
        }
    });
    // Without the watch the app still works; it only cannot notice a lost terminal.
    drop(spawned);
}

/// Turns on what the app asks of the terminal beyond ratatui's raw mode and alternate screen:
/// bracketed paste (pasted text arrives as one event, never as keys: a pasted "q" must not
/// quit) and mouse reports (the wheel and clicks).
fn enable_extras() -> std::io::Result<()> {
    use ratatui::crossterm::event::{EnableBracketedPaste, EnableMouseCapture};
    ratatui::crossterm::execute!(std::io::stdout(), EnableBracketedPaste, EnableMouseCapture)
}

/// Turns them off again (best effort: the terminal may be gone).
fn disable_extras() {
    use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
    let _ = ratatui::crossterm::execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
}

/// Restores the terminal when dropped.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        // After a panic the hooks have restored the terminal already; leaving the alternate
        // screen a second time would move the cursor back over the panic's message.
        if std::thread::panicking() {
            return;
        }
        disable_extras();
        ratatui::restore();
    }
}

/// Turns bracketed paste and the mouse off again when the app panics (installed before
/// ratatui's own hook, which restores the rest of the terminal and then calls this one).
fn disable_extras_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        disable_extras();
        previous(info);
    }));
}

/// Ctrl-Z: gives the terminal back to the shell and stops the process as the terminal's own
/// Ctrl-Z would (raw mode turns that off); when the shell's `fg` continues it, takes the
/// terminal again and redraws the whole screen.
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> Result<()> {
    disable_extras();
    ratatui::restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP).context("cannot suspend")?;
    // Here again after `fg`.
    take_terminal_back(terminal)
}

/// Hands `text` to the terminal's clipboard with OSC 52 (xterm's "manipulate selection data",
/// `ESC ] 52 ; c ; base64 BEL`), which most terminals and tmux (`set-clipboard on`) obey, and
/// which works over SSH: the text travels in the terminal's own stream. Base64 keeps any
/// character of it from being read as a control sequence.
fn copy_to_clipboard(text: &str) -> Result<()> {
    use base64::Engine;
    let mut out = std::io::stdout().lock();
    write!(out, "\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text))?;
    out.flush()?;
    Ok(())
}

/// `e` on a letter: gives the terminal to `$VISUAL` (else `$EDITOR`, else `vi`) on a private
/// copy of `text` (readable by you only, removed afterwards), takes the terminal back and
/// redraws; the file's text as the editor left it, or why there is none. The editor is run by
/// `sh -c` (which `exec`s it, so no shell stands between: a Ctrl-C is the editor's alone), so
/// `EDITOR="code --wait"` works as in git.
fn edit_in_editor(
    terminal: &mut ratatui::DefaultTerminal,
    text: &str,
) -> std::result::Result<String, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let path = std::env::temp_dir().join(format!("settle-letter-{}-{}.txt", std::process::id(), {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    }));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = written {
        return Err(format!("cannot write the letter for the editor to {}: {e}", path.display()));
    }
    disable_extras();
    ratatui::restore();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec {editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let back = take_terminal_back(terminal);
    let read = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    if let Err(e) = back {
        return Err(format!("{e:#}"));
    }
    match status {
        Ok(s) if s.success() => read.map_err(|e| format!("cannot read the edited letter back: {e}")),
        Ok(s) => Err(format!("the editor ({editor}) ended with {s}: the letter is unchanged")),
        Err(e) => Err(format!("cannot start the editor ({editor}): {e}")),
    }
}

/// After another program had the terminal: raw mode, the alternate screen, paste and the
/// mouse again, and a full redraw.
fn take_terminal_back(terminal: &mut ratatui::DefaultTerminal) -> Result<()> {
    use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
    enable_raw_mode().context("cannot take the terminal back")?;
    ratatui::crossterm::execute!(std::io::stdout(), EnterAlternateScreen)
        .context("cannot take the terminal back")?;
    enable_extras().context("cannot take the terminal back")?;
    terminal.clear()?;
    Ok(())
}

/// Measurement hooks for `scripts/bench-tui.sh`: `SETTLE_EXIT_AFTER_FIRST_FRAME=1` quits once
/// the first frame is on screen; `SETTLE_FRAME_LOG=FILE` writes, on exit, how long each key
/// press took from reading it to the redrawn frame: microseconds and the key, one per line.
/// And one for the terminal tests: `SETTLE_TEST_PANIC_IN_DRAW=1` panics inside the draw that
/// follows the first key press, to prove the terminal is restored after a panic.
struct Bench {
    exit_after_first_frame: bool,
    panic_in_draw: bool,
    log: Option<std::path::PathBuf>,
    keys: Vec<(u128, String)>,
}

impl Bench {
    fn from_env() -> Bench {
        Bench {
            exit_after_first_frame: std::env::var_os("SETTLE_EXIT_AFTER_FIRST_FRAME")
                .is_some_and(|v| v == "1"),
            panic_in_draw: std::env::var_os("SETTLE_TEST_PANIC_IN_DRAW").is_some_and(|v| v == "1"),
            log: std::env::var_os("SETTLE_FRAME_LOG").map(Into::into),
            keys: Vec::new(),
        }
    }

    fn write(&self) -> Result<()> {
        let Some(path) = &self.log else { return Ok(()) };
        let mut f =
            std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        for (micros, key) in &self.keys {
            writeln!(f, "{micros}\t{key}")?;
        }
        Ok(())
    }
}

pub fn run(mut store: Store, today: NaiveDate, resources: Resources) -> Result<()> {
    store.set_origin("app", "");
    let mut background = Background::new(resources.database.clone());
    let mut app = App::start_first_frame(&store, today, resources)?;
    let watch = watch::Watch::new(&store)?;
    // A message through the update, its slow effects handed to the background.
    let step = |app: &mut App, store: &mut Store, background: &mut Background, msg: Message| {
        let mut jobs: Vec<SlowJob> = Vec::new();
        watch.own(store, |store| dispatch_deferring(app, store, msg, Some(&mut jobs)));
        background.start(jobs, store);
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot watch for signals")?;
    }
    // Ctrl-C reaches every process of the terminal's foreground group: while `$EDITOR` has the
    // terminal it is the editor's, not a reason for settle to quit.
    let mut interrupt = Some(
        signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop))
            .context("cannot watch for signals")?,
    );
    watch_for_a_lost_terminal();
    let mut bench = Bench::from_env();
    disable_extras_on_panic();
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            let _ = ratatui::try_restore();
            return Err(e).context("cannot start the full-screen app (is this a terminal?)");
        }
    };
    let _restore = Restore;
    enable_extras().context("cannot enable bracketed paste and the mouse")?;
    let mut first_look = app.whole_book_job();
    let mut dirty = true;
    let mut pressed: Option<(Instant, String)> = None;
    let mut keys_read = 0u64;
    loop {
        if dirty {
            let panic_now = bench.panic_in_draw && keys_read > 0;
            terminal.draw(|frame| {
                crate::ui::draw(frame, &app);
                #[allow(clippy::panic, reason = "the terminal tests' deliberate panic, asked for by env")]
                if panic_now {
                    panic!("a panic inside a draw (SETTLE_TEST_PANIC_IN_DRAW=1)");
                }
            })?;
            dirty = false;
            if let Some((t, key)) = pressed.take() {
                bench.keys.push((t.elapsed().as_micros(), key));
            }
            if bench.exit_after_first_frame {
                break;
            }
            // What only the other tabs show comes after the first frame, before any key; after
            // a large book's first look, the whole book is loaded on another thread.
            if app.book.pending() == Pending::Settled {
                app.load_the_rest(&store)?;
                dirty = true;
                continue;
            }
            if let Some(job) = first_look.take() {
                background.start(vec![job], &store);
            }
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            break;
        }
        if let Some(text) = app.clipboard.take() {
            copy_to_clipboard(&text)?;
        }
        if let Some(text) = app.editor.take() {
            if let Some(id) = interrupt.take() {
                signal_hook::low_level::unregister(id);
            }
            let edited = edit_in_editor(&mut terminal, &text);
            interrupt = Some(
                signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop))
                    .context("cannot watch for signals")?,
            );
            step(&mut app, &mut store, &mut background, Message::LetterEdited(edited));
            dirty = true;
            continue;
        }
        if app.suspend {
            app.suspend = false;
            suspend(&mut terminal)?;
            dirty = true;
            continue;
        }
        while let Some(answer) = background.take() {
            step(&mut app, &mut store, &mut background, answer);
            dirty = true;
        }
        if dirty {
            continue;
        }
        if event::poll(if background.busy() { AWAIT } else { TICK })? {
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    keys_read += 1;
                    pressed = bench.log.is_some().then(|| (Instant::now(), format!("{:?}", key.code)));
                    step(&mut app, &mut store, &mut background, Message::Key(key));
                    dirty = true;
                }
                Event::Mouse(m)
                    if matches!(
                        m.kind,
                        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown | MouseEventKind::Down(_)
                    ) =>
                {
                    step(&mut app, &mut store, &mut background, Message::Mouse(m));
                    dirty = true;
                }
                Event::Paste(text) => {
                    step(&mut app, &mut store, &mut background, Message::Paste(text));
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        } else if watch.changed_elsewhere(&store)? {
            step(&mut app, &mut store, &mut background, Message::Changed);
            dirty = true;
        }
    }
    drop(_restore);
    bench.write()
}
