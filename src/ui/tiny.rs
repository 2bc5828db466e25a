//! The message for a terminal too small to draw the screens.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::THEME;
use super::{MIN_HEIGHT, MIN_WIDTH};

pub fn draw(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("settle", THEME.brand),
        Line::from(format!("Enlarge the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::styled(format!("(now {}×{}). q quits.", area.width, area.height), THEME.dim),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
