//! Every colour and style of the app, named by what it is for. No panel names a colour.
//!
//! A calm palette: the terminal's own foreground for content, grey for what is secondary,
//! one accent (cyan) for where you are, yellow for what to do now, red only for what is
//! late or wrong, green for what is done.
//!
//! It must read on a dark and on a light terminal, and without colour at all (`NO_COLOR`,
//! which crossterm obeys by leaving colours out and keeping modifiers): so no colour is used
//! as a background, labels and keys use the terminal's own foreground, and where you are
//! (the selected row, the active tab, a chosen value) is shown by reverse video and a symbol
//! (▸, ●), never by colour alone. Grey (colour 8) is never drawn on the selected row.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub border: Style,
    pub title: Style,
    pub brand: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub figure: Style,
    pub late: Style,
    /// An amount past its due date.
    pub late_figure: Style,
    pub section: Style,
    pub selected: Style,
    pub header_row: Style,
    pub sorted: Style,
    pub total: Style,
    pub bar: Style,
    pub bar_late: Style,
    pub key: Style,
    pub hint: Style,
    pub status: Style,
    pub status_error: Style,
    pub label: Style,
    pub label_focus: Style,
    pub input: Style,
    pub input_focus: Style,
    pub cursor: Style,
    pub field_error: Style,
    pub field_note: Style,
    pub choice: Style,
    pub rung_done: Style,
    pub rung_current: Style,
    pub rung_paused: Style,
    pub rung_ahead: Style,
    pub rung_skipped: Style,
    pub script_reply: Style,
    pub script_do: Style,
}

pub const THEME: Theme = Theme {
    text: Style::new(),
    dim: Style::new().fg(Color::DarkGray),
    border: Style::new().fg(Color::DarkGray),
    title: Style::new().add_modifier(Modifier::BOLD),
    brand: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    tab: Style::new(),
    tab_active: Style::new().add_modifier(Modifier::REVERSED).add_modifier(Modifier::BOLD),
    figure: Style::new().add_modifier(Modifier::BOLD),
    late: Style::new().fg(Color::Red),
    late_figure: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    section: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    selected: Style::new().add_modifier(Modifier::REVERSED).add_modifier(Modifier::BOLD),
    header_row: Style::new().add_modifier(Modifier::UNDERLINED),
    sorted: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    total: Style::new().add_modifier(Modifier::BOLD),
    bar: Style::new().fg(Color::Cyan),
    bar_late: Style::new().fg(Color::Red),
    key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    hint: Style::new(),
    status: Style::new().fg(Color::Green),
    status_error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    label: Style::new(),
    label_focus: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    input: Style::new().add_modifier(Modifier::UNDERLINED),
    input_focus: Style::new().add_modifier(Modifier::UNDERLINED).add_modifier(Modifier::BOLD),
    cursor: Style::new().add_modifier(Modifier::REVERSED),
    field_error: Style::new().fg(Color::Red),
    field_note: Style::new().fg(Color::DarkGray),
    choice: Style::new().add_modifier(Modifier::REVERSED).add_modifier(Modifier::BOLD),
    rung_done: Style::new().fg(Color::Green),
    rung_current: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    rung_paused: Style::new().fg(Color::Magenta),
    rung_ahead: Style::new(),
    rung_skipped: Style::new().fg(Color::DarkGray),
    script_reply: Style::new().add_modifier(Modifier::ITALIC),
    script_do: Style::new().fg(Color::Yellow),
};
