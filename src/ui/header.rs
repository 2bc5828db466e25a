//! The header on every screen: the day and the book's figures, then the tabs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};

use super::theme::THEME;
use crate::app::{App, Tab};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let [figures, tabs] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let h = &app.book.header;
    let left = Line::from(vec![
        Span::styled(" settle ", THEME.brand),
        Span::styled(app.today.format("%a %-d %b %Y").to_string(), THEME.text),
    ]);
    let mut right = Vec::new();
    if !app.book.empty {
        right = vec![
            Span::styled("Open ", THEME.dim),
            Span::styled(h.open.as_str(), THEME.figure),
            Span::styled("  Overdue ", THEME.dim),
            Span::styled(h.overdue.as_str(), THEME.late),
            Span::styled("  DSO ", THEME.dim),
            Span::styled(format!("{} ", h.dso), THEME.figure),
        ];
    }
    let right = Line::from(right).right_aligned();
    let [l, r] =
        Layout::horizontal([Constraint::Length(left.width() as u16), Constraint::Min(0)]).areas(figures);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);

    let titles = Tab::ALL.iter().enumerate().map(|(i, t)| {
        let extra = match (t, &app.invoice) {
            (Tab::Invoice, Some(inv)) => format!(" {}", inv.number),
            _ => String::new(),
        };
        format!("{} {}{extra}", i + 1, t.title())
    });
    let selected = Tab::ALL.iter().position(|t| *t == app.tab).filter(|_| !app.book.empty);
    let tabs_widget = Tabs::new(titles)
        .select(selected)
        .style(THEME.tab)
        .highlight_style(THEME.tab_active)
        .divider(" ")
        .padding(" ", " ");
    frame.render_widget(tabs_widget, tabs);
}
