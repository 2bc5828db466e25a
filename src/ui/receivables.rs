//! Receivables: the aged-receivables table per customer (sortable, the totals row pinned
//! under it), a bar chart of the bucket totals and, beside it, the cash-in forecast.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

use super::theme::THEME;
use super::{fit, panel};
use crate::app::App;
use crate::app::book::AgingLine;
use crate::domain::aging::Bucket;

const HEADERS: [&str; 7] = ["Customer", "Not due", "1-30", "31-60", "61-90", "90+", "Total"];

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let [table, bottom] = Layout::vertical([Constraint::Min(6), Constraint::Length(12)]).areas(area);
    let [chart, forecast] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    draw_table(frame, table, app);
    draw_chart(frame, chart, app);
    super::forecast::draw(frame, forecast, app.receivables.forecast.as_deref(), app.book.currency.as_str());
}

fn draw_table(frame: &mut Frame, area: Rect, app: &App) {
    let book = &app.book;
    let view = &app.receivables;
    let mut title = format!(" Aged receivables as of {} — {} customers ", app.today, book.aging.len());
    if view.filter.is_active() {
        title = format!(
            " Aged receivables — {} of {} match “{}” ",
            view.rows.len(),
            book.aging.len(),
            view.filter.query()
        );
    }
    let block = panel(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if book.aging.is_empty() {
        frame.render_widget(Paragraph::new("Nothing open: every invoice is paid.").centered(), inner);
        return;
    }
    let [head, rows, total] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    // Amount columns as wide as the widest figure, the total; the name takes the rest.
    let amount = book.aging_totals.text.iter().map(|t| t.len()).max().unwrap_or(8).max(7) + 1;
    let name = (inner.width as usize).saturating_sub(3 + 6 * amount).max(8);
    let header: Vec<Span> = std::iter::once(Span::raw("   "))
        .chain(HEADERS.iter().enumerate().map(|(i, h)| {
            let sorted = i == view.column;
            let h = if sorted {
                format!("{h}{}", if view.descending { "▼" } else { "▲" })
            } else {
                h.to_string()
            };
            let text = if i == 0 { format!("{h:<name$}") } else { format!("{h:>amount$}") };
            Span::styled(text, if sorted { THEME.sorted } else { THEME.header_row })
        }))
        .collect();
    frame.render_widget(Paragraph::new(Line::from(header)), head);
    let window = view.cursor.window(rows.height as usize);
    for (y, row) in window.enumerate() {
        let at = view.cursor.selected() == row;
        let rect = Rect { y: rows.y + y as u16, height: 1, ..rows };
        let line = aging_line(&book.aging[view.rows[row]], name, amount, if at { " ▸ " } else { "   " });
        frame.render_widget(Paragraph::new(line).style(if at { THEME.selected } else { THEME.text }), rect);
    }
    let totals = aging_line(&book.aging_totals, name, amount, "   ");
    frame.render_widget(Paragraph::new(totals).style(THEME.total), total);
}

fn aging_line<'a>(line: &'a AgingLine, name: usize, amount: usize, marker: &'static str) -> Line<'a> {
    let mut spans =
        vec![Span::raw(marker), Span::raw(format!("{} ", fit(&line.name, name.saturating_sub(1))))];
    for (i, text) in line.text.iter().enumerate() {
        let style = match i {
            0 | 5 => THEME.text,
            _ if line.cents[i] > 0 => THEME.late,
            _ => THEME.dim,
        };
        spans.push(Span::styled(format!("{text:>amount$}"), style));
    }
    Line::from(spans)
}

fn draw_chart(frame: &mut Frame, area: Rect, app: &App) {
    let totals = &app.book.aging_totals;
    let block = panel(format!(" Open by age ({}) ", app.book.currency));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let bars: Vec<Bar> = Bucket::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| {
            Bar::default()
                .label(Line::from(format!("{:>7}", b.header())))
                .value(u64::try_from(totals.cents[i]).unwrap_or(0))
                .text_value(totals.text[i].clone())
                .style(if i == 0 { THEME.bar } else { THEME.bar_late })
                .value_style(THEME.figure)
        })
        .collect();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
        .label_style(THEME.label);
    frame.render_widget(chart, inner);
}
