//! The footer: the keys that work here (from the live key map), the filter being typed, or
//! what just happened.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::THEME;
use crate::app::App;
use crate::app::keys::{Action, Binding, Context};
use crate::domain::format::{self, Flow};

/// At most this many rows for a status message; longer ones are cut.
const STATUS_ROWS: usize = 3;

/// The footer's height at a width: a row, or as many as the status message needs (wrapped).
pub fn height(app: &App, width: u16) -> u16 {
    match &app.status {
        Some(s) => status_rows(&s.text, width).len().clamp(1, STATUS_ROWS) as u16,
        None => 1,
    }
}

fn status_rows(text: &str, width: u16) -> Vec<String> {
    format::wrap(text, usize::from(width.saturating_sub(2)), Flow::Words)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(s) = &app.status {
        let style = if s.error { THEME.status_error } else { THEME.status };
        let rows: Vec<Line> = status_rows(&s.text, area.width)
            .into_iter()
            .take(STATUS_ROWS)
            .map(|r| Line::styled(format!(" {r}"), style))
            .collect();
        frame.render_widget(Paragraph::new(rows), area);
        return;
    }
    let mut area = area;
    if app.context() == Context::FilterInput
        && let Some(f) = app.filter()
    {
        let [label, input, rest] =
            Layout::horizontal([Constraint::Length(9), Constraint::Length(24), Constraint::Min(0)])
                .areas(area);
        frame.render_widget(Paragraph::new(Span::styled(" Filter: ", THEME.key)), label);
        let mut input_widget = f.input.clone();
        input_widget.set_style(THEME.input_focus);
        input_widget.set_cursor_style(THEME.cursor);
        input_widget.set_cursor_line_style(THEME.input_focus);
        frame.render_widget(&input_widget, input);
        area = rest;
    }
    frame.render_widget(Paragraph::new(hints(app, area.width as usize)), area);
}

/// "j/k move  Enter open  …", as many as fit. The ways out and back (Esc, Ctrl-S, "? help")
/// come first so a narrow terminal never loses them; the rest fill the room in table order;
/// all are shown in table order.
fn hints(app: &App, width: usize) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let all: Vec<&Binding> = app.bindings().into_iter().filter(|b| b.in_footer).collect();
    let len = |b: &Binding| b.short_keys().width() + 1 + b.hint.width() + 2;
    let essential =
        |b: &Binding| b.keys.iter().any(|(_, a)| matches!(a, Action::Back | Action::Save | Action::Help));
    let mut keep = vec![false; all.len()];
    let mut used = 1;
    for (i, b) in all.iter().enumerate() {
        if essential(b) && used + len(b) <= width {
            keep[i] = true;
            used += len(b);
        }
    }
    for (i, b) in all.iter().enumerate() {
        if keep[i] {
            continue;
        }
        if used + len(b) > width {
            break;
        }
        keep[i] = true;
        used += len(b);
    }
    let mut spans = vec![Span::raw(" ")];
    for (b, _) in all.iter().zip(&keep).filter(|(_, k)| **k) {
        spans.push(Span::styled(b.short_keys(), THEME.key));
        spans.push(Span::styled(format!(" {}  ", b.hint), THEME.hint));
    }
    Line::from(spans)
}
