//! The Invoice screen, composed of panels: the summary, the step tracker and the timeline.
//! (The call-script panel of the calls feature slots in beside them.)

mod ladder;
mod summary;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::panel;
use super::theme::THEME;
use crate::app::App;
use crate::app::keys;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(inv) = &app.invoice else {
        let text = vec![
            Line::raw(""),
            Line::styled("No invoice open.", THEME.title),
            Line::raw(""),
            Line::styled(
                format!(
                    "Select one on Today or in a customer and press {}.",
                    keys::OPEN_INVOICE.short_keys()
                ),
                THEME.dim,
            ),
        ];
        frame.render_widget(Paragraph::new(text).centered().block(panel(" Invoice ")), area);
        return;
    };
    let top_height = (inv.facts.len() as u16 + 2).max(inv.rungs.len() as u16 + 3).min(area.height / 2 + 2);
    let [top, bottom] = Layout::vertical([Constraint::Length(top_height), Constraint::Min(3)]).areas(area);
    let split = if area.width >= 100 { 50 } else { 42 };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(split), Constraint::Percentage(100 - split)]).areas(top);
    summary::draw(frame, left, inv);
    ladder::draw(frame, right, inv);
    timeline::draw(frame, bottom, inv);
}
