//! The invoice's timeline, newest first: steps, payments, notes, disputes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::detail::InvoiceDetail;
use crate::ui::theme::THEME;
use crate::ui::{clip, panel};

pub fn draw(frame: &mut Frame, area: Rect, inv: &InvoiceDetail) {
    let block = panel(format!(" Timeline ({}) ", inv.timeline.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inv.timeline.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("Nothing happened yet.", THEME.dim)), inner);
        return;
    }
    let window = inv.cursor.window_at(inner.y, inner.height as usize);
    let w = inner.width as usize;
    for (y, row) in window.enumerate() {
        let e = &inv.timeline[row];
        let at = inv.on_timeline && inv.cursor.selected() == row;
        let rect = Rect { y: inner.y + y as u16, height: 1, ..inner };
        let what = format!("{:<30}", clip(&e.what, 29));
        let line = Line::from(vec![
            Span::raw(if at { "▸ " } else { "  " }),
            Span::styled(format!("{:<13}", e.date), THEME.dim),
            Span::raw(what),
            Span::styled(clip(&e.detail, w.saturating_sub(47)), THEME.dim),
        ]);
        frame.render_widget(Paragraph::new(line).style(if at { THEME.selected } else { THEME.text }), rect);
    }
}
