//! The bank-statement import overlay: the path prompt (with what Tab found), then the dry
//! run — what confirmation records, and the lines that matched nothing with their
//! candidates and the choice made for each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::theme::THEME;
use super::{clip, panel, popup};
use crate::app::import::{ImportView, PathPrompt, Review};
use crate::domain::format::{self, Flow};
use crate::domain::money::{Money, format_amount};
use crate::import::{Change, Choice};

pub fn draw(frame: &mut Frame, area: Rect, view: &ImportView) {
    match view {
        ImportView::Path(p) => draw_path(frame, area, p),
        ImportView::Review(r) => draw_review(frame, area, r),
    }
}

fn draw_path(frame: &mut Frame, area: Rect, p: &PathPrompt) {
    let width = area.width.saturating_sub(4).clamp(40, 100);
    let text_width = width.saturating_sub(4) as usize;
    let mut lines = vec![
        Line::raw(""),
        Line::styled(
            clip("CAMT.053 (.xml or a .zip of them), CODA, MT940 or the bank's CSV export:", text_width),
            THEME.hint,
        ),
        Line::styled(
            clip("the format is found from the content. Nothing is written yet.", text_width),
            THEME.hint,
        ),
    ];
    if !p.completions.is_empty() {
        lines.push(Line::raw(""));
        for name in p.completions.iter().take(8) {
            lines.push(Line::styled(clip(&format!("  {name}"), text_width), THEME.dim));
        }
        if p.completions.len() > 8 {
            lines.push(Line::styled(format!("  … and {} more", p.completions.len() - 8), THEME.dim));
        }
    }
    if let Some(e) = &p.error {
        lines.push(Line::raw(""));
        for l in e.lines().flat_map(|l| format::wrap(l.trim(), text_width, Flow::Lines)) {
            lines.push(Line::styled(l, THEME.status_error));
        }
    }
    let height = (lines.len() as u16 + 3).min(area.height);
    let rect = popup(frame, area, width, height);
    let block = panel(" Import a bank statement ").padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [field_row, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let [label, field] = Layout::horizontal([Constraint::Length(6), Constraint::Min(0)]).areas(field_row);
    frame.render_widget(Paragraph::new(Span::styled("File ", THEME.label_focus)), label);
    let mut ta = p.input.clone();
    ta.set_style(THEME.input_focus);
    ta.set_cursor_line_style(THEME.input_focus);
    ta.set_cursor_style(THEME.cursor);
    frame.render_widget(&ta, field);
    frame.render_widget(Paragraph::new(lines), rest);
}

fn amount(money: Option<crate::domain::money::Currency>, value: rust_decimal::Decimal) -> String {
    match money {
        Some(c) => Money::new(value, c).to_string(),
        None => format_amount(value),
    }
}

fn draw_review(frame: &mut Frame, area: Rect, r: &Review) {
    let rect =
        popup(frame, area, area.width.saturating_sub(4).max(56), area.height.saturating_sub(2).max(10));
    let name = r.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let block = panel(format!(" Import {name}: dry run ")).padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let o = &r.outcome;
    let formats: Vec<&str> = r.statement.formats.iter().map(|f| f.label()).collect();
    let mut head = vec![Line::from(vec![
        Span::styled("Read as ", THEME.label),
        Span::styled(formats.join(" and "), THEME.text),
        Span::styled(
            r.statement.profile.as_ref().map(|p| format!(" (profile {p})")).unwrap_or_default(),
            THEME.dim,
        ),
        Span::styled(
            clip(
                &format!(
                    " · {} to record · {} matched nothing · {} outgoing · {} already in the book",
                    r.to_record(),
                    o.unmatched.len(),
                    o.outgoing,
                    o.unchanged
                ),
                width,
            ),
            THEME.dim,
        ),
    ])];
    for c in &o.changes {
        let text = match c {
            Change::Payment { invoice, customer, amount, .. } => {
                format!("✓ {amount} on {invoice} ({customer})")
            }
            Change::Linked { invoice, amount, on, .. } => {
                format!("✓ {amount}: already recorded by hand on {invoice} ({on}); linked")
            }
            other => format!("✓ {other}"),
        };
        head.push(Line::styled(clip(&text, width), THEME.rung_done));
    }
    let head_height = (head.len() as u16).min(inner.height / 3).max(1);
    let [head_area, list_area, foot_area] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Min(3),
        Constraint::Length(u16::from(r.error.is_some())),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);

    let mut lines: Vec<Line> = Vec::new();
    let mut starts = Vec::new();
    if o.unmatched.is_empty() {
        lines.push(Line::styled(
            "Every incoming line matched an invoice or was dealt with before.",
            THEME.hint,
        ));
    } else {
        lines.push(Line::styled(
            "Matched nothing: 1–3 assign to a candidate, s skip for now, x set aside",
            THEME.section,
        ));
    }
    for (i, u) in o.unmatched.iter().enumerate() {
        starts.push(lines.len());
        let l = &u.line;
        let chosen = match r.choices.get(i).and_then(|c| c.as_ref()) {
            Some(Choice::Assign(n)) => format!("  → {n}"),
            Some(Choice::SetAside) => "  → set aside".into(),
            None => String::new(),
        };
        let who = if l.counterparty.is_empty() { "?" } else { &l.counterparty };
        let said =
            if l.communication.is_empty() { String::new() } else { format!("  \"{}\"", l.communication) };
        let text = format!(
            "{} {}  {}  {who}{said}",
            if i == r.cursor { "›" } else { " " },
            l.date,
            amount(l.currency, l.amount)
        );
        let style = if i == r.cursor { THEME.selected } else { THEME.text };
        let room = width.saturating_sub(chosen.chars().count());
        lines.push(Line::from(vec![
            Span::styled(clip(&text, room), style),
            Span::styled(chosen, THEME.choice),
        ]));
        for l in format::wrap(&u.reason, width.saturating_sub(4), Flow::Lines) {
            lines.push(Line::styled(format!("    {l}"), THEME.dim));
        }
        if u.candidates.is_empty() {
            lines.push(Line::styled("    no open invoice comes close", THEME.dim));
        }
        for (k, c) in u.candidates.iter().enumerate() {
            let text = format!(
                "    {}  {} {} ({} open): {}",
                k + 1,
                c.number,
                c.customer,
                format_amount(c.open),
                c.why
            );
            lines.push(Line::styled(clip(&text, width), THEME.text));
        }
    }
    // Keep the selected line and its candidates in view.
    let height = list_area.height as usize;
    let from = starts.get(r.cursor).copied().unwrap_or(0);
    let to = starts.get(r.cursor + 1).copied().unwrap_or(lines.len());
    let scroll = if to > height { (to - height).min(from) } else { 0 };
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(shown), list_area);
    if let Some(e) = &r.error {
        frame.render_widget(Paragraph::new(Line::styled(clip(e, width), THEME.status_error)), foot_area);
    }
}
