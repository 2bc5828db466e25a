//! The invoice's facts: customer, amounts, dates, status, reference.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::detail::InvoiceDetail;
use crate::ui::theme::THEME;
use crate::ui::{clip, panel};

pub fn draw(frame: &mut Frame, area: Rect, inv: &InvoiceDetail) {
    let width = area.width.saturating_sub(12) as usize;
    let lines: Vec<Line> = inv
        .facts
        .iter()
        .map(|(label, value)| {
            let style = match *label {
                "Open" if !inv.open.is_zero() => THEME.figure,
                "Status" if value.contains("overdue") => THEME.late,
                _ => THEME.text,
            };
            Line::from(vec![
                Span::styled(format!("{label:<10}"), THEME.label),
                Span::styled(clip(value, width), style),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(panel(format!(
            " Invoice {} {}",
            inv.number,
            if inv.on_timeline { "" } else { "◂ " }
        ))),
        area,
    );
}
