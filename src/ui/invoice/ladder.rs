//! The step tracker drawn as a ladder: done rungs with date and channel, the current one
//! with its date, the rest with the day they would fall due.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::detail::InvoiceDetail;
use crate::domain::rungs::RungState;
use crate::ui::theme::THEME;
use crate::ui::{clip, panel};

pub fn draw(frame: &mut Frame, area: Rect, inv: &InvoiceDetail) {
    let width = area.width.saturating_sub(4) as usize;
    let mut lines: Vec<Line> = inv
        .rungs
        .iter()
        .map(|r| {
            let (mark, style) = match r.state {
                RungState::Done { .. } => ("✓", THEME.rung_done),
                RungState::Current { paused: true, .. } => ("‖", THEME.rung_paused),
                RungState::Current { .. } => ("▶", THEME.rung_current),
                RungState::Ahead { .. } => ("·", THEME.rung_ahead),
                RungState::Overdue { .. } => ("!", THEME.rung_ahead),
                RungState::Skipped | RungState::NotNeeded | RungState::Blocked => ("–", THEME.rung_skipped),
            };
            let label = format!("{:<18}", r.step.label());
            let text = clip(&format!("{mark} {label}{}", r.when), width);
            Line::styled(text, style)
        })
        .collect();
    let footer = match (inv.current_step, &inv.waiting) {
        (Some(step), _) if inv.due_now => format!("Now: {}", step.label().to_lowercase()),
        (Some(step), _) => format!("Next: {}", step.label().to_lowercase()),
        (None, Some(why)) => format!("Waiting: {why}"),
        (None, None) if inv.open.is_zero() => "Settled".into(),
        (None, None) => "Every step taken".into(),
    };
    lines.push(Line::styled(clip(&footer, width), THEME.dim));
    frame.render_widget(Paragraph::new(lines).block(panel(" Step tracker ")), area);
}
