//! The Invoice screen, composed of panels: the summary and the step tracker above; the
//! promises and plans and the timeline below, beside the call-script panel.

mod agreements;
mod ladder;
mod summary;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::theme::THEME;
use super::{panel, script};
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
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(split), Constraint::Percentage(100 - split)])
            .areas(bottom);
    let [deals, events] = Layout::vertical([
        Constraint::Length(agreements::height(inv).min(left.height / 2)),
        Constraint::Min(0),
    ])
    .areas(left);
    agreements::draw(frame, deals, inv);
    timeline::draw(frame, events, inv);
    match &inv.script {
        Some(Ok(p)) => script::draw(frame, right, p, 0, "the rest in call mode (c)"),
        Some(Err(e)) => {
            let text = Paragraph::new(Line::styled(format!("The call script has an error: {e}"), THEME.late))
                .wrap(ratatui::widgets::Wrap { trim: true });
            frame.render_widget(text.block(panel(" Call script ")), right);
        }
        None => {
            let text = Line::styled("Settled: no call to make.", THEME.dim);
            frame.render_widget(Paragraph::new(text).block(panel(" Call script ")), right);
        }
    }
}
