//! Receivables: the aged-receivables table per customer (sortable, the totals row pinned
//! under it), a bar chart of the bucket totals and, beside it, the cash-in forecast.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

use super::theme::THEME;
use super::{fit, panel};
use crate::app::App;
use crate::app::screen_data::AgingLine;
use crate::domain::aging::Bucket;

const HEADERS: [&str; 7] = ["Customer", "Not due", "1-30", "31-60", "61-90", "90+", "Total"];

/// The amount columns (1–6) in the order they give way on a narrow screen: the total and the
/// oldest debt stay longest.
const PRIORITY: [usize; 6] = [6, 5, 2, 1, 3, 4];
/// The name column keeps at least this many columns before amounts give way.
const NAME_MIN: usize = 24;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    // The chart and the forecast only where the table keeps room for a screenful of names.
    if area.width < 90 || area.height < 28 {
        draw_table(frame, area, app);
        return;
    }
    let [table, bottom] = Layout::vertical([Constraint::Min(6), Constraint::Length(12)]).areas(area);
    let [chart, forecast] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    draw_table(frame, table, app);
    draw_chart(frame, chart, app);
    super::forecast::draw(frame, forecast, app.receivables.forecast.as_deref(), app.book.currency.as_str());
}

/// "(EUR)", and the other currencies when there are any: "(EUR · also GBP, USD: $ switches)".
fn currencies(app: &App) -> String {
    let shown = app.book.ledger(app.receivables.ledger).map(|l| l.currency);
    let others: Vec<&str> =
        app.book.ledgers.iter().filter(|l| Some(l.currency) != shown).map(|l| l.currency.as_str()).collect();
    let shown = shown.map(|c| c.to_string()).unwrap_or_default();
    if others.is_empty() {
        format!("({shown})")
    } else {
        format!("({shown} · also {}: $ switches)", others.join(", "))
    }
}

fn draw_table(frame: &mut Frame, area: Rect, app: &App) {
    let book = &app.book;
    let view = &app.receivables;
    let Some(ledger) = book.ledger(view.ledger) else { return };
    let count = ledger.aging.len();
    let customers = if count == 1 { "1 customer".to_string() } else { format!("{count} customers") };
    let mut title = format!(" Aged receivables {} as of {} — {customers} ", currencies(app), app.today);
    if title.chars().count() + 12 > usize::from(area.width) {
        // The day is in the header: a narrow screen keeps the currencies and the count.
        title = format!(" Aged receivables {} — {customers} ", currencies(app));
    }
    if view.filter.is_active() {
        title = format!(
            " Aged receivables {} — {} of {count} match “{}” ",
            currencies(app),
            view.rows.len(),
            view.filter.query()
        );
    } else if count > 0 {
        title = format!("{title}· {} of {} ", view.cursor.selected() + 1, view.rows.len());
    }
    let block = panel(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if ledger.aging.is_empty() {
        let text = format!("Nothing open in {}: every invoice is paid.", ledger.currency);
        frame.render_widget(Paragraph::new(text).centered(), inner);
        return;
    }
    let [head, rows, total] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    // Amount columns as wide as the widest figure, the total; the name takes the rest, and
    // amounts give way (least useful first) until it has room.
    let amount = ledger.totals.text.iter().map(|t| t.len()).max().unwrap_or(8).max(7) + 1;
    let width = inner.width as usize;
    let mut shown: Vec<usize> = PRIORITY.to_vec();
    while shown.len() > 2 && width.saturating_sub(3 + shown.len() * amount) < NAME_MIN {
        // The sorted column stays.
        match shown.iter().rposition(|c| *c != view.column) {
            Some(at) => {
                shown.remove(at);
            }
            None => break,
        }
    }
    shown.sort_unstable();
    let name = width.saturating_sub(3 + shown.len() * amount).max(8);
    let columns: Vec<usize> = std::iter::once(0).chain(shown.iter().copied()).collect();
    let header: Vec<Span> = std::iter::once(Span::raw("   "))
        .chain(columns.iter().map(|&i| {
            let h = HEADERS[i];
            let sorted = i == view.column;
            let h = if sorted {
                format!("{h}{}", if view.descending { "▼" } else { "▲" })
            } else {
                h.to_string()
            };
            let text = if i == 0 { fit(&h, name) } else { format!("{h:>amount$}") };
            Span::styled(text, if sorted { THEME.sorted } else { THEME.header_row })
        }))
        .collect();
    frame.render_widget(Paragraph::new(Line::from(header)), head);
    let window = view.cursor.window_at(rows.y, rows.height as usize);
    for (y, row) in window.enumerate() {
        let Some(line) = view.line(book, row) else { continue };
        let at = view.cursor.selected() == row;
        let rect = Rect { y: rows.y + y as u16, height: 1, ..rows };
        let line = aging_line(line, &shown, name, amount, at);
        frame.render_widget(Paragraph::new(line).style(if at { THEME.selected } else { THEME.text }), rect);
    }
    let totals = aging_line(&ledger.totals, &shown, name, amount, false);
    frame.render_widget(Paragraph::new(totals).style(THEME.total), total);
}

fn aging_line<'a>(line: &'a AgingLine, shown: &[usize], name: usize, amount: usize, at: bool) -> Line<'a> {
    let marker = if at { " ▸ " } else { "   " };
    let mut spans =
        vec![Span::raw(marker), Span::raw(format!("{} ", fit(&line.name, name.saturating_sub(1))))];
    for &col in shown {
        let i = col - 1;
        let style = match i {
            0 | 5 => THEME.text,
            _ if line.cents[i] > 0 => THEME.late,
            _ if at => THEME.text,
            _ => THEME.dim,
        };
        spans.push(Span::styled(format!("{:>amount$}", line.text[i]), style));
    }
    Line::from(spans)
}

fn draw_chart(frame: &mut Frame, area: Rect, app: &App) {
    let Some(ledger) = app.book.ledger(app.receivables.ledger) else { return };
    let totals = &ledger.totals;
    let block = panel(format!(" Open by age ({}) ", ledger.currency));
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
