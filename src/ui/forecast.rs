//! The cash-in forecast panel on Receivables: what is expected per week for the next eight
//! weeks (agreed and from habit), what cannot be dated, and how the forecast is made.

use crate::domain::format;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::THEME;
use super::{clip, panel};
use crate::domain::forecast::Forecast;
use crate::domain::money::{format_amount, from_cents};

/// The short form of `forecast::EXPLANATION` (in full in `settle report forecast`).
const HOW: &str = "Agreed dates, else due date + customer's average delay.";

pub fn draw(frame: &mut Frame, area: Rect, forecast: Option<&Forecast>, currency: &str) {
    let block = panel(format!(" Expected cash-in, next 8 weeks ({currency}) "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(f) = forecast else {
        frame.render_widget(Paragraph::new(Line::styled("Working out the forecast…", THEME.dim)), inner);
        return;
    };
    let money = |c: i64| format_amount(from_cents(c));
    let width = f.buckets.iter().map(|b| money(b.total_cents()).len()).max().unwrap_or(4).max(4);
    let mut lines: Vec<Line> = f
        .buckets
        .iter()
        .map(|b| {
            let mut spans = vec![
                Span::styled(format!("{:<12}", format::weekday(b.start)), THEME.label),
                Span::styled(format!("{:>width$}", money(b.total_cents())), THEME.figure),
            ];
            if b.agreed_cents > 0 {
                spans.push(Span::styled(format!("  {} agreed", money(b.agreed_cents)), THEME.dim));
            }
            Line::from(spans)
        })
        .collect();
    let apart = [
        ("later", f.later_cents),
        ("past expected", f.overdue_cents),
        ("broken", f.broken_cents),
        ("disputed", f.disputed_cents),
    ];
    let apart: Vec<String> =
        apart.iter().filter(|(_, c)| *c > 0).map(|(what, c)| format!("{what} {}", money(*c))).collect();
    if !apart.is_empty() {
        lines.push(Line::styled(
            clip(&format!("Apart: {}", apart.join(" · ")), inner.width as usize),
            THEME.dim,
        ));
    }
    lines.push(Line::styled(HOW, THEME.dim));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
