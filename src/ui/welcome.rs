//! The welcome screen of an empty book: what settle does and how to start (the keys come
//! from the live key map).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panel;
use super::theme::THEME;
use crate::app::App;

const ABOUT: &str = "settle gets your invoices paid without losing the customer. Each morning it shows \
who owes you what and for how long, and tells you what to do today and why: a friendly nudge before the \
due date, a reminder, a phone call, a firmer reminder, the formal notice, and only then a collection agency.";

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let mut text = vec![
        Line::styled("Welcome to settle", THEME.title),
        Line::raw(""),
        Line::raw(ABOUT),
        Line::raw(""),
        Line::styled("This book is empty. To start:", THEME.dim),
        Line::raw(""),
    ];
    for b in app.bindings() {
        text.push(Line::from(vec![
            Span::styled(format!("  {:<10}", b.all_keys()), THEME.key),
            Span::raw(b.help),
        ]));
    }
    let rect = area.centered(Constraint::Length(84.min(area.width)), Constraint::Length(17.min(area.height)));
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }).block(panel(" settle ")), rect);
}
