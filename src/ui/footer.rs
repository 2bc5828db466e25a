//! The footer: the keys that work here (from the live key map), the filter being typed, or
//! what just happened.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::THEME;
use crate::app::App;
use crate::app::keys::{Action, Binding, Context};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(s) = &app.status {
        let style = if s.error { THEME.status_error } else { THEME.status };
        frame.render_widget(Paragraph::new(Line::styled(format!(" {}", s.text), style)), area);
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

/// "j/k move  Enter open  …", as many as fit, in order; "? help" always among them, so
/// the rest can be found on a narrow terminal.
fn hints(app: &App, width: usize) -> Line<'static> {
    let all: Vec<_> = app.bindings().into_iter().filter(|b| b.in_footer).collect();
    let len = |b: &Binding| b.short_keys().chars().count() + 1 + b.hint.chars().count() + 2;
    let is_help = |b: &Binding| b.keys.iter().any(|(_, a)| *a == Action::Help);
    let help = all.iter().copied().find(|b| is_help(b));
    let mut reserve = help.map_or(0, len);
    let mut shown = Vec::new();
    let mut used = 1;
    for b in all.iter().copied() {
        if is_help(b) {
            reserve = 0;
        }
        if used + len(b) + reserve > width {
            break;
        }
        used += len(b);
        shown.push(b);
    }
    if let Some(h) = help.filter(|h| !shown.iter().any(|b| std::ptr::eq(*b, *h)))
        && used + len(h) <= width
    {
        shown.push(h);
    }
    let mut spans = vec![Span::raw(" ")];
    for b in shown {
        spans.push(Span::styled(b.short_keys(), THEME.key));
        spans.push(Span::styled(format!(" {}  ", b.hint), THEME.hint));
    }
    Line::from(spans)
}
