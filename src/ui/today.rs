//! Today: the agenda, one line per thing to do (what, how much, why), a customer's invoices
//! with the same step folded into one line (`+`, unfolded `−` with its invoices under it),
//! and the selected line in full at the bottom. Only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::THEME;
use super::{clip, fit, panel};
use crate::app::App;
use crate::app::keys;
use crate::app::screen_data::{AgendaLine, ItemText};
use crate::domain::agenda::SectionKind;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let book = &app.book;
    let view = &app.today_view;
    let items = book.entries();
    let mut title = match items {
        _ if book.is_first_look() => " Today — the first lines; the rest is loading ".to_string(),
        0 => " Today ".to_string(),
        1 => " Today — 1 thing to do ".to_string(),
        n => format!(" Today — {n} things to do "),
    };
    if view.filter.is_active() {
        title = format!(
            " Today — {} of {items} match “{}” ",
            view.rows.iter().filter(|r| book.is_entry(**r) && book.parent(**r).is_none()).count(),
            view.filter.query()
        );
    }
    if let Some(at) = position(app) {
        title = format!("{title}· {at} ");
    }
    let block = panel(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if items == 0 && book.is_first_look() {
        let text = vec![Line::raw(""), Line::styled(super::LOADING, THEME.dim)];
        frame.render_widget(Paragraph::new(text).centered(), inner);
        return;
    }
    if items == 0 {
        let text = vec![
            Line::raw(""),
            Line::styled("Nothing to chase today.", THEME.title),
            Line::raw(""),
            Line::styled(
                format!("{} invoices are open; none needs a step yet.", book.open_invoices),
                THEME.dim,
            ),
        ];
        frame.render_widget(Paragraph::new(text).centered(), inner);
        return;
    }
    if view.rows.is_empty() {
        let text = vec![
            Line::raw(""),
            Line::styled(format!("Nothing matches '{}'.", view.filter.query()), THEME.title),
            Line::raw(""),
            Line::styled("Esc clears the filter.", THEME.dim),
        ];
        frame.render_widget(Paragraph::new(text).centered(), inner);
        return;
    }
    let [list, detail] = Layout::vertical([Constraint::Min(0), Constraint::Length(4)]).areas(inner);
    let window = view.cursor.window_at(list.y, list.height as usize);
    let widest = window
        .clone()
        .filter_map(|r| {
            // A group's "+ " and its invoices' indent take two columns.
            let fold =
                if book.group(view.rows[r]).is_some() || book.parent(view.rows[r]).is_some() { 2 } else { 0 };
            Some(unicode_width::UnicodeWidthStr::width(book.item_text(view.rows[r])?.what.as_str()) + fold)
        })
        .max();
    let widths = Widths::new(list.width as usize, widest.unwrap_or(0));
    for (y, row) in window.clone().enumerate() {
        let rect = Rect { y: list.y + y as u16, height: 1, ..list };
        let selected = row == view.cursor.selected();
        let line = match &book.agenda[view.rows[row]] {
            AgendaLine::Section(at) => {
                let (title, count) = book.title(*at).map_or(("", 0), |t| (t.title.as_str(), t.count));
                // The count of what the filter shows.
                let count =
                    if view.filter.is_active() { view.counts.get(row).copied().unwrap_or(0) } else { count };
                Line::from(vec![
                    Span::styled(format!(" {title}"), THEME.section),
                    Span::styled(format!(" ({count})"), THEME.dim),
                ])
            }
            AgendaLine::Item(_) => match (book.item(view.rows[row]), book.item_text(view.rows[row])) {
                (Some(item), Some(text)) => {
                    let late = item.invoice.due < book.today;
                    let fold = if book.parent(view.rows[row]).is_some() { "  " } else { "" };
                    item_line(text, fold, book.number(item), &widths, selected, late)
                }
                _ => Line::raw(""),
            },
            AgendaLine::Group(at) => match (book.group_line(*at), book.item_text(view.rows[row])) {
                (Some(group), Some(text)) => {
                    let late = book.items_of(view.rows[row]).iter().any(|i| i.invoice.due < book.today);
                    let fold = if view.unfolded.contains(&group.key) { "− " } else { "+ " };
                    item_line(text, fold, "", &widths, selected, late)
                }
                _ => Line::raw(""),
            },
        };
        let style = if selected { THEME.selected } else { THEME.text };
        frame.render_widget(Paragraph::new(line).style(style), rect);
    }
    let block = Block::new().borders(Borders::TOP).border_style(THEME.border);
    if let Some(line) = view.selected_line()
        && let Some((key, _)) = book.group(line)
        && let Some(t) = book.item_text(line)
    {
        // A group: its invoices' numbers and amounts, and the total.
        let numbers: Vec<String> =
            book.items_of(line).iter().map(|i| format!("{} {}", book.number(i), i.invoice.open)).collect();
        let text = vec![
            headline(t),
            Line::styled(
                match view.unfolded.contains(&key) {
                    true => format!("{} · total {}", numbers.join(" · "), t.open),
                    false => format!("{} · total {} · → shows them", numbers.join(" · "), t.open),
                },
                THEME.dim,
            ),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).block(block), detail);
    } else if let Some(line) = view.selected_line()
        && let (Some(item), Some(t)) = (book.item(line), book.item_text(line))
    {
        let open = keys::OPEN_TODAY.short_keys();
        let text = vec![
            headline(t),
            Line::styled(
                // A paid invoice's amount is what is still claimable, or what it was.
                match item.kind {
                    SectionKind::Claims => format!(
                        "Invoice {} · paid · {} claimable · {open} opens it",
                        book.number(item),
                        t.open
                    ),
                    SectionKind::ThankYous => {
                        format!("Invoice {} · paid · {open} opens it", book.number(item))
                    }
                    _ => format!("Invoice {} · {} open · {open} opens it", book.number(item), t.open),
                },
                THEME.dim,
            ),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).block(block), detail);
    }
}

/// "3 of 32": the selected line among the lines shown, a customer's group counted once (an
/// invoice under it is at its group's place).
fn position(app: &App) -> Option<String> {
    let view = &app.today_view;
    let book = &app.book;
    let is_item = |r: &&usize| book.is_entry(**r) && book.parent(**r).is_none();
    let shown = view.rows.iter().filter(is_item).count();
    let upto = view.rows.get(..=view.cursor.selected())?.iter().filter(is_item).count();
    (shown > 0 && upto > 0).then(|| format!("{upto} of {shown}"))
}

/// Column widths of an item line: "what" as wide as the widest on screen allows, within
/// bounds; the invoice number only where there is room; "why" takes the rest.
struct Widths {
    what: usize,
    open: usize,
    number: usize,
    why: usize,
}

impl Widths {
    fn new(w: usize, widest_what: usize) -> Widths {
        let open = 12;
        let number = if w >= 140 { 13 } else { 0 };
        let what = widest_what.clamp(16, (w * 45 / 100).max(16));
        let why = w.saturating_sub(3 + what + 1 + open + number + 2);
        Widths { what, open, number, why }
    }
}

/// An agenda item's line; an overdue amount in red, as on Receivables.
/// `fold`: "+ " or "− " on a group, an indent on an invoice under it, "" on a line of its own.
fn item_line<'a>(
    item: &'a ItemText,
    fold: &str,
    number: &str,
    w: &Widths,
    selected: bool,
    late: bool,
) -> Line<'a> {
    let marker = if selected { " ▸ " } else { "   " };
    let quiet = if selected { THEME.text } else { THEME.dim };
    let mut spans = vec![
        Span::raw(marker),
        Span::raw(format!("{} ", fit(&format!("{fold}{}", item.what), w.what))),
        Span::styled(
            format!("{:>width$}", item.open, width = w.open),
            if late { THEME.late_figure } else { THEME.figure },
        ),
    ];
    if w.number > 0 {
        spans.push(Span::styled(format!("  {:<width$}", number, width = w.number - 2), quiet));
    }
    spans.push(Span::raw("  "));
    spans.push(Span::styled(clip(&item.why, w.why), quiet));
    Line::from(spans)
}

/// The detail's first line: what to do — and why.
fn headline(t: &ItemText) -> Line<'_> {
    Line::from(vec![Span::styled(t.what.as_str(), THEME.title), Span::raw(" — "), Span::raw(t.why.as_str())])
}
