//! Customers: the filterable list, or one customer's detail (contact, payment behaviour,
//! open invoices, the notes timeline).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::THEME;
use super::{clip, fit, panel};
use crate::app::App;
use crate::app::detail::CustomerDetail;
use crate::app::keys;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    match app.customer_detail() {
        Some(d) => draw_detail(frame, area, d),
        None => draw_list(frame, area, app),
    }
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App) {
    let book = &app.book;
    let view = &app.customers;
    let title = if view.filter.is_active() {
        format!(
            " Customers — {} of {} match “{}” ",
            view.rows.len(),
            book.customers.len(),
            view.filter.query()
        )
    } else {
        format!(" Customers ({}) ", book.customers.len())
    };
    let title = if view.rows.is_empty() {
        title
    } else {
        format!("{title}· {} of {} ", view.cursor.selected() + 1, view.rows.len())
    };
    let block = panel(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [head, rows] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    // Open and overdue per currency (a currency of its own never reads as 0.00 in another);
    // the profile gives way first on a narrow screen, then the open count.
    let several = book.ledgers.len() > 1;
    let amount = if several { 12 } else { 14 };
    let amounts = 2 * amount * book.ledgers.len().max(1);
    let width = inner.width as usize;
    let room = |profile: usize, count: usize| width.saturating_sub(3 + profile + count + amounts);
    let (profile, count) = if room(10, 7) >= 24 {
        (10, 7)
    } else if room(0, 7) >= 20 || view.column == 1 {
        (0, 7)
    } else {
        (0, 0)
    };
    let name = room(profile, count).max(8);
    // The sorted column is marked as on Receivables.
    let mark = |col: usize, h: &str| -> String {
        if view.column == col {
            format!("{h}{}", if view.descending { "▼" } else { "▲" })
        } else {
            h.to_string()
        }
    };
    let mut header =
        format!("   {}{:<profile$}", fit(&mark(0, "Name"), name), if profile > 0 { "Profile" } else { "" });
    if count > 0 {
        header.push_str(&format!("{:>count$}", mark(1, "Open #")));
    }
    for (i, l) in book.ledgers.iter().enumerate() {
        let (open, overdue) = if several {
            (format!("Open {}", l.currency.symbol()), format!("Overdue {}", l.currency.symbol()))
        } else {
            ("Open".to_string(), "Overdue".to_string())
        };
        let (open, overdue) = if i == 0 { (mark(2, &open), mark(3, &overdue)) } else { (open, overdue) };
        header.push_str(&format!("{open:>amount$}{overdue:>amount$}"));
    }
    frame.render_widget(Paragraph::new(Line::styled(header, THEME.header_row)), head);
    if view.rows.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("   No customer matches.", THEME.dim)), rows);
        return;
    }
    let window = view.cursor.window_at(rows.y, rows.height as usize);
    for (y, row) in window.enumerate() {
        let c = &book.customers[view.rows[row]];
        let at = view.cursor.selected() == row;
        let quiet = if at { THEME.text } else { THEME.dim };
        let rect = Rect { y: rows.y + y as u16, height: 1, ..rows };
        let mut spans = vec![
            Span::raw(if at { " ▸ " } else { "   " }),
            Span::raw(format!("{} ", fit(&c.customer.name, name.saturating_sub(1)))),
        ];
        if profile > 0 {
            spans.push(Span::styled(format!("{:<profile$}", c.customer.profile.as_str()), quiet));
        }
        if count > 0 {
            spans.push(Span::raw(format!("{:>count$}", c.open_invoices)));
        }
        for a in &c.amounts {
            spans.push(Span::styled(
                format!("{:>amount$}", a.open),
                if a.open_cents != 0 { THEME.figure } else { quiet },
            ));
            spans.push(Span::styled(
                format!("{:>amount$}", a.overdue),
                if a.overdue_cents > 0 { THEME.late } else { quiet },
            ));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(if at { THEME.selected } else { THEME.text }),
            rect,
        );
    }
}

fn draw_detail(frame: &mut Frame, area: Rect, d: &CustomerDetail) {
    let [left, invoices] = Layout::horizontal([Constraint::Percentage(50), Constraint::Min(0)]).areas(area);
    let width = left.width.saturating_sub(2).max(1) as usize;
    let behaviour_lines = d.behaviour.chars().count().div_ceil(width) as u16;
    let card_height = d.facts.len() as u16 + 2 + behaviour_lines + 2;
    let [card, notes] = Layout::vertical([Constraint::Length(card_height), Constraint::Min(3)]).areas(left);

    let mut lines: Vec<Line> = d
        .facts
        .iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label:<9}"), THEME.label),
                Span::raw(clip(value, width.saturating_sub(9))),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled("Payment behaviour", THEME.section));
    lines.push(Line::raw(d.behaviour.as_str()));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(panel(format!(" {} ", d.customer.name))),
        card,
    );

    // The open invoices above, as many rows as they need up to half; the settled ones below.
    let open_rows = (d.invoices.len().max(1) as u16 + 2).min(invoices.height / 2).max(3);
    let [invoices, settled] =
        Layout::vertical([Constraint::Length(open_rows), Constraint::Min(0)]).areas(invoices);
    draw_settled(frame, settled, d);
    let block = panel(format!(" Open invoices ({}) ", d.invoices.len()));
    let inner = block.inner(invoices);
    frame.render_widget(block, invoices);
    if d.invoices.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("Nothing open.", THEME.dim)), inner);
    }
    let window = d.cursor.window_at(inner.y, inner.height as usize);
    let w = inner.width as usize;
    for (y, row) in window.enumerate() {
        let inv = &d.invoices[row];
        let at = d.note_at.is_none() && !d.in_settled && d.cursor.selected() == row;
        let rect = Rect { y: inner.y + y as u16, height: 1, ..inner };
        let late_style = if inv.late.ends_with("late") { THEME.late } else { THEME.dim };
        let mut spans = vec![
            Span::raw(if at { "▸ " } else { "  " }),
            Span::raw(format!("{:<12}", inv.number)),
            Span::styled(format!("{:>12}", inv.open), THEME.figure),
        ];
        if w >= 56 {
            spans.push(Span::styled(format!("  {:<12}", inv.due), THEME.dim));
        }
        spans.push(Span::styled(format!("  {}", inv.late), late_style));
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(if at { THEME.selected } else { THEME.text }),
            rect,
        );
    }

    let lines: Vec<Line> = if d.notes.is_empty() {
        vec![Line::styled(format!("No notes yet: {} adds one.", keys::NOTE.short_keys()), THEME.dim)]
    } else {
        // The selected note stays in view (each note takes a line at least).
        let room = notes.height.saturating_sub(2).max(1) as usize;
        let skip = d.note_at.map_or(0, |n| (n + 1).saturating_sub(room));
        d.notes
            .iter()
            .enumerate()
            .skip(skip)
            .take(notes.height as usize)
            .map(|(i, (date, body))| {
                let at = d.note_at == Some(i);
                let line = Line::from(vec![
                    Span::raw(if at { "▸ " } else { "" }),
                    Span::styled(format!("{date:<12} "), THEME.dim),
                    Span::raw(body.as_str()),
                ]);
                if at { line.style(THEME.selected) } else { line }
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(panel(format!(" Notes ({}) ", d.notes.len()))),
        notes,
    );
}

/// Paid, credited and written-off invoices: number, amount, when and how, newest first.
fn draw_settled(frame: &mut Frame, area: Rect, d: &CustomerDetail) {
    let block = panel(format!(" Paid and settled ({}) ", d.settled.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if d.settled.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("Nothing settled yet.", THEME.dim)), inner);
    }
    let window = d.settled_cursor.window_at(inner.y, inner.height as usize);
    let w = inner.width as usize;
    for (y, row) in window.enumerate() {
        let inv = &d.settled[row];
        let at = d.note_at.is_none() && d.in_settled && d.settled_cursor.selected() == row;
        let rect = Rect { y: inner.y + y as u16, height: 1, ..inner };
        let mut spans = vec![
            Span::raw(if at { "▸ " } else { "  " }),
            Span::raw(format!("{} ", fit(&inv.number, 11))),
            Span::styled(format!("{:>12}", inv.amount), THEME.figure),
        ];
        if w >= 56 {
            spans.push(Span::styled(format!("  {:<12}", inv.when), THEME.dim));
        }
        spans.push(Span::styled(format!("  {}", inv.how), THEME.dim));
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(if at { THEME.selected } else { THEME.text }),
            rect,
        );
    }
}
