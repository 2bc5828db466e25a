//! The confirmation email after a call that made an agreement, in the customer's language,
//! ready to copy or save, with its keys at the bottom (the status line says what was logged).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::theme::THEME;
use super::{clip, panel, popup};
use crate::app::call::ConfirmView;
use crate::app::keys::{self, Context};
use crate::domain::format::{self, Flow};

pub fn draw(frame: &mut Frame, area: Rect, view: &ConfirmView) {
    // As tall as the email (wrapped to the popup's inner width), within the screen.
    let body_rows = view.mail.body.lines().map(|l| format::wrap(l, 86, Flow::Words).len()).sum::<usize>();
    let height = u16::try_from(body_rows + 7).unwrap_or(u16::MAX);
    let rect = popup(frame, area, 90, height);
    let title = format!(" Confirm by email: {} ({}) ", view.customer, view.mail.language);
    let block = panel(title).padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [head, body, foot] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(0), Constraint::Length(2)]).areas(inner);
    let width = inner.width as usize;
    let to = view.email.as_deref().unwrap_or("(no email address in settle)");
    let head_lines = vec![
        Line::from(vec![
            Span::styled("To       ", THEME.label),
            Span::raw(clip(to, width.saturating_sub(9))),
        ]),
        Line::from(vec![
            Span::styled("Subject  ", THEME.label),
            Span::styled(clip(&view.mail.subject, width.saturating_sub(9)), THEME.title),
        ]),
    ];
    frame.render_widget(Paragraph::new(head_lines), head);
    let lines: Vec<Line> = view
        .mail
        .body
        .lines()
        .flat_map(|l| format::wrap(l, width, Flow::Words))
        .map(Line::raw)
        .skip(view.scroll as usize)
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    let mut spans = Vec::new();
    for b in keys::bindings(Context::Confirmation, false, false).into_iter().filter(|b| b.in_footer) {
        spans.push(Span::styled(b.short_keys(), THEME.key));
        spans.push(Span::styled(format!(" {}  ", b.hint), THEME.hint));
    }
    if let Some(p) = &view.saved {
        spans.push(Span::styled(format!("saved to {}", p.display()), THEME.status));
    }
    frame.render_widget(Paragraph::new(vec![Line::raw(""), Line::from(spans)]), foot);
}
