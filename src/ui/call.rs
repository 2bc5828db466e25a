//! Call mode: the call script on the left, the call form on the right. Each field on one
//! line: its label, what was typed, and beside it what the value means ("Sat 5 Dec 2026") or,
//! in red, what is wrong with it. The outcome keys are listed under the outcome.

use crate::domain::format::{self, Flow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph, Wrap};

use super::theme::THEME;
use super::{clip, panel, popup, script};
use crate::app::App;
use crate::app::call::CallMode;
use crate::app::keys;
use crate::domain::call::CallOutcome;
use crate::domain::call_form::Field;
use crate::domain::money::Money;

const LABEL: u16 = 15;

pub fn draw(frame: &mut Frame, area: Rect, mode: &CallMode, app: &App) {
    let rect = popup(frame, area, area.width, area.height);
    let split = if rect.width >= 100 { 55 } else { 40 };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(split), Constraint::Percentage(100 - split)]).areas(rect);
    match &mode.setup.panel {
        Some(p) => script::draw(frame, left, p, mode.scroll, "more below (PgDn)"),
        None => {
            let text = vec![
                Line::styled(format!("{} has no open invoice.", mode.setup.customer.name), THEME.text),
                Line::raw(""),
                Line::styled(
                    "No script for this call. A promise or a plan is made on an invoice.",
                    THEME.dim,
                ),
            ];
            let block = panel(" Call script ").padding(Padding::horizontal(1));
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).block(block), left);
        }
    }
    draw_form(frame, right, mode, app);
}

fn draw_form(frame: &mut Frame, area: Rect, mode: &CallMode, app: &App) {
    let setup = &mode.setup;
    let title = match &setup.invoice {
        Some(r) => format!(" Call {} · invoice {} ", setup.customer.name, r.invoice.number),
        None => format!(" Call {} ", setup.customer.name),
    };
    let block = panel(title).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut rows: Vec<Line> = Vec::new();
    if let Some(r) = &setup.invoice {
        let late = r.invoice.days_overdue(app.today);
        let when = if late > 0 { format!("{late} days late") } else { "not due yet".into() };
        let open = Money::new(setup.context.open, setup.context.currency);
        rows.push(Line::styled(
            clip(&format!("{open} open · due {} · {when}", format::weekday_year(r.invoice.due)), width),
            THEME.dim,
        ));
    }
    let phone = setup.customer.phone.as_deref().unwrap_or("no phone number");
    let who = setup.customer.contact.as_deref().unwrap_or("no contact person");
    rows.push(Line::styled(clip(&format!("☎ {phone} · {who}"), width), THEME.dim));
    rows.push(Line::raw(""));
    for field in mode.fields() {
        rows.push(field_row(mode, field, app, width));
        if field == Field::Outcome {
            rows.extend(outcome_keys(mode, width));
        }
    }
    if let Some(e) = &mode.error {
        rows.push(Line::raw(""));
        for r in format::wrap(e, width, Flow::Words) {
            rows.push(Line::styled(r, THEME.status_error));
        }
    }
    // The focused field's message in full, when it is longer than its place in the row.
    if let Some(Err(e)) = mode.message(mode.focus, app.today)
        && e.chars().count() + 2 > hint_width(width)
    {
        rows.push(Line::raw(""));
        for r in format::wrap(&format!("✗ {}: {e}", label(mode.focus, mode.form.outcome)), width, Flow::Words)
        {
            rows.push(Line::styled(r, THEME.field_error));
        }
    }
    frame.render_widget(Paragraph::new(rows), inner);
}

fn input_width(width: usize) -> usize {
    (width.saturating_sub(LABEL as usize) * 2 / 5).clamp(8, 26)
}

fn hint_width(width: usize) -> usize {
    width.saturating_sub(LABEL as usize + input_width(width) + 1)
}

fn field_row(mode: &CallMode, field: Field, app: &App, width: usize) -> Line<'static> {
    let focused = mode.focus == field;
    let outcome = mode.form.outcome;
    let mark = if focused { "▸ " } else { "  " };
    let label_style = if focused { THEME.label_focus } else { THEME.label };
    let label = format!("{mark}{:<w$}", label(field, outcome), w = LABEL as usize - 2);
    let mut spans = vec![Span::styled(clip(&label, LABEL as usize), label_style)];
    let iw = input_width(width);
    match field {
        Field::Reached => {
            let text = if mode.form.reached { "[x] yes" } else { "[ ] no" };
            spans.push(Span::styled(
                format!("{text:<iw$}"),
                if focused { THEME.input_focus } else { THEME.text },
            ));
            if focused {
                spans.push(Span::styled(" Space/y/n", THEME.dim));
            }
        }
        Field::Outcome => {
            let text = outcome.map_or("choose with a key below", |o| o.label());
            let style = if outcome.is_some() { THEME.figure } else { THEME.dim };
            spans.push(Span::styled(clip(text, width.saturating_sub(LABEL as usize)), style));
        }
        _ => {
            let typed = mode.form.text(field).unwrap_or_default();
            let shown = tail(typed, iw.saturating_sub(1));
            if focused {
                let pad = iw.saturating_sub(shown.chars().count() + 1);
                spans.push(Span::styled(shown, THEME.input_focus));
                spans.push(Span::styled(" ", THEME.cursor));
                spans.push(Span::styled(" ".repeat(pad), THEME.input_focus));
            } else {
                spans.push(Span::styled(format!("{shown:<iw$}"), THEME.input));
            }
        }
    }
    if !matches!(field, Field::Reached | Field::Outcome) {
        let hw = hint_width(width);
        match mode.message(field, app.today) {
            Some(Ok(h)) => spans.push(Span::styled(format!(" {}", clip(&h, hw)), THEME.field_note)),
            Some(Err(e)) if !e.is_empty() => {
                spans.push(Span::styled(format!(" {}", clip(&format!("✗ {e}"), hw)), THEME.field_error))
            }
            _ => {}
        }
    }
    Line::from(spans)
}

/// The end of a text that is longer than the input, so what is being typed stays in view.
fn tail(text: &str, width: usize) -> String {
    let n = text.chars().count();
    match width {
        _ if n <= width => text.to_string(),
        0 => String::new(),
        _ => std::iter::once('…').chain(text.chars().skip(n + 1 - width)).collect(),
    }
}

/// The outcome keys as chips under the outcome ("p promise  l plan …"), the chosen one lit.
fn outcome_keys(mode: &CallMode, width: usize) -> Vec<Line<'static>> {
    let indent = LABEL as usize;
    let mut lines = Vec::new();
    let mut spans = vec![Span::raw(" ".repeat(indent))];
    let mut used = indent;
    for b in keys::OUTCOMES {
        let chosen = b
            .keys
            .first()
            .is_some_and(|(_, a)| matches!(a, keys::Action::Outcome(o) if Some(*o) == mode.form.outcome));
        let len = b.short_keys().chars().count() + 1 + b.hint.chars().count() + 2;
        if used + len > width && used > indent {
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::raw(" ".repeat(indent)));
            used = indent;
        }
        used += len;
        let style = if chosen { THEME.choice } else { THEME.hint };
        spans.push(Span::styled(b.short_keys(), if chosen { THEME.choice } else { THEME.key }));
        spans.push(Span::styled(format!(" {}", b.hint), style));
        spans.push(Span::raw("  "));
    }
    lines.push(Line::from(spans));
    lines
}

/// A field's label in call mode; the follow-up date is named after what it is for.
fn label(field: Field, outcome: Option<CallOutcome>) -> &'static str {
    match field {
        Field::Reached => "Reached",
        Field::With => "Spoke with",
        Field::Outcome => "Outcome",
        Field::PromiseDate => "Pays on",
        Field::Amount if outcome == Some(CallOutcome::Plan) => "Plan total",
        Field::Amount => "Amount",
        Field::Instalments => "Instalments",
        Field::Every => "Every (days)",
        Field::FirstDue => "First due",
        Field::Dates => "Or dates",
        Field::FollowUp => match outcome {
            Some(CallOutcome::AlreadyPaid) => "Check by",
            Some(CallOutcome::Dispute) => "Next contact",
            Some(CallOutcome::NoAnswer) => "Try again on",
            _ => "Call back on",
        },
        Field::PaidOn => "Paid on",
        Field::PaidRef => "Reference",
        Field::Note => "Note",
    }
}
