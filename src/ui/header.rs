//! The header on every screen: the day and the book's figures (a line per currency), then
//! the tabs.

use crate::domain::format;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};

use super::theme::THEME;
use crate::app::screen_data::Ledger;
use crate::app::{App, Tab};

/// A currency's figures, as wide as allowed: labelled, then without DSO, then bare.
fn figures<'a>(l: &'a Ledger, several: bool, width: usize) -> Line<'a> {
    let code = if several { format!("{} ", l.currency) } else { String::new() };
    let h = &l.header;
    let full = vec![
        Span::styled(format!("{code}Open "), THEME.dim),
        Span::styled(h.open.as_str(), THEME.figure),
        Span::styled("  Overdue ", THEME.dim),
        Span::styled(h.overdue.as_str(), THEME.late),
        Span::styled("  DSO ", THEME.dim),
        Span::styled(format!("{} ", h.dso), THEME.figure),
    ];
    let fits = |spans: &[Span]| spans.iter().map(|s| s.width()).sum::<usize>() <= width;
    if fits(&full) {
        return Line::from(full);
    }
    let short = vec![
        Span::styled(format!("{code}Open "), THEME.dim),
        Span::styled(h.open.as_str(), THEME.figure),
        Span::styled("  Overdue ", THEME.dim),
        Span::styled(format!("{} ", h.overdue), THEME.late),
    ];
    if fits(&short) {
        return Line::from(short);
    }
    Line::from(vec![
        Span::styled(h.open.as_str(), THEME.figure),
        Span::styled(" / ", THEME.dim),
        Span::styled(format!("{} late ", h.overdue), THEME.late),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let [figures_area, tabs] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let left = Line::from(vec![
        Span::styled(" settle ", THEME.brand),
        Span::styled(format::weekday_year(app.today), THEME.text),
    ]);
    let [l, r] = Layout::horizontal([Constraint::Length(left.width() as u16), Constraint::Min(0)])
        .areas(Rect { height: 1, ..figures_area });
    frame.render_widget(Paragraph::new(left), l);
    if !app.book.empty {
        let ledgers = &app.book.ledgers;
        let several = ledgers.len() > 1;
        // Two spaces between the day and the figures, so they never run together.
        let width = usize::from(r.width.saturating_sub(2));
        let lines = figures_area.height as usize;
        for (i, ledger) in ledgers.iter().enumerate().take(lines) {
            let line = if i + 1 == lines && ledgers.len() > lines {
                Line::styled(format!("+{} more currencies on Receivables ($) ", ledgers.len() - i), THEME.dim)
            } else {
                figures(ledger, several, width)
            };
            let rect = if i == 0 {
                Rect { x: r.x.saturating_add(2.min(r.width)), width: r.width.saturating_sub(2), ..r }
            } else {
                Rect { y: figures_area.y.saturating_add(i as u16), height: 1, ..figures_area }
            };
            frame.render_widget(Paragraph::new(line.right_aligned()), rect.intersection(figures_area));
        }
    }

    let selected = Tab::ALL.iter().position(|t| *t == app.tab).filter(|_| !app.book.empty);
    let titles = app.tab_titles();
    let tabs_widget = Tabs::new(titles)
        .select(selected)
        .style(THEME.tab)
        .highlight_style(THEME.tab_active)
        .divider(" ")
        .padding(" ", " ");
    frame.render_widget(tabs_widget, tabs);
}
