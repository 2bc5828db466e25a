//! The invoice's promises and plans, each with where it stands today.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::detail::InvoiceDetail;
use crate::domain::agreement::AgreementStatus;
use crate::ui::theme::THEME;
use crate::ui::{clip, panel};

/// The height the panel wants: two lines per agreement, or one saying there is none.
pub fn height(inv: &InvoiceDetail) -> u16 {
    u16::try_from(inv.agreements.len() * 2).unwrap_or(u16::MAX).max(1).saturating_add(2)
}

pub fn draw(frame: &mut Frame, area: Rect, inv: &InvoiceDetail) {
    let block = panel(format!(" Promises and plans ({}) ", inv.agreements.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    if inv.agreements.is_empty() {
        // A settled invoice has nothing left to agree on.
        let text =
            if inv.open.is_zero() { "None." } else { "None yet: press c to call and agree on a date." };
        frame.render_widget(Paragraph::new(Line::styled(clip(text, w), THEME.dim)), inner);
        return;
    }
    // The newest first: it is the one that counts.
    let lines: Vec<Line> = inv
        .agreements
        .iter()
        .rev()
        .flat_map(|a| {
            let style = match a.status {
                AgreementStatus::Broken { .. } => THEME.late,
                AgreementStatus::Due { .. } => THEME.rung_current,
                AgreementStatus::Kept { .. } => THEME.rung_done,
                s if !s.is_active() => THEME.dim,
                _ => THEME.text,
            };
            [
                Line::from(Span::styled(clip(&a.what, w), THEME.text)),
                Line::from(vec![Span::raw("  "), Span::styled(clip(&a.state, w.saturating_sub(2)), style)]),
            ]
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
