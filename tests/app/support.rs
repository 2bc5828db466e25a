//! A fixed demo book (seed 42, small) on a fixed day, keys, and drawing to a test backend; the
//! SMTP server the command-line tests use too.

#[path = "../support/smtp.rs"]
pub mod smtp;

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use settle::app::{App, Message, dispatch};
use settle::service::demo::{DemoOptions, write_demo};
use settle::store::Store;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The app on a small demo book, as it opens.
pub fn demo() -> (App, Store) {
    let mut store = Store::open_in_memory().unwrap();
    write_demo(&mut store, &DemoOptions { customers: 12, invoices: 120, seed: 42, busy: true }, today())
        .unwrap();
    // The app last ran a week ago.
    store.record_app_run(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()).unwrap();
    let app = App::start(&store, today()).unwrap();
    (app, store)
}

/// The app on an empty book.
pub fn empty() -> (App, Store) {
    let store = Store::open_in_memory().unwrap();
    let app = App::start(&store, today()).unwrap();
    (app, store)
}

pub fn code(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Presses keys: a string types its characters; `press` takes key events.
pub fn typ(app: &mut App, store: &mut Store, text: &str) {
    for c in text.chars() {
        press(app, store, code(KeyCode::Char(c)));
    }
}

pub fn press(app: &mut App, store: &mut Store, key: KeyEvent) {
    dispatch(app, store, Message::Key(key));
}

pub fn enter(app: &mut App, store: &mut Store) {
    press(app, store, code(KeyCode::Enter));
}

pub fn esc(app: &mut App, store: &mut Store) {
    press(app, store, code(KeyCode::Esc));
}

/// Draws the app at a size.
pub fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| settle::ui::draw(f, app)).unwrap();
    terminal
}

/// The screen as text, one line per row.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let t = render(app, width, height);
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen's words in reading order, borders dropped and runs of blanks made
/// one space, so a test can look for a sentence however a panel wrapped it (a
/// path in an error message is as long as the checkout's directory).
pub fn screen_words(app: &App, width: u16, height: u16) -> String {
    screen(app, width, height)
        .replace(['│', '─', '┌', '┐', '└', '┘', '╭', '╮', '╰', '╯'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
