//! The jump: the typed query over the best matches, as many as the screen has rows for.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::theme::THEME;
use super::{clip, fit, panel, popup};
use crate::app::App;
use crate::app::jump::{JumpView, State, Target};

const WIDTH: u16 = 100;

pub fn draw(frame: &mut Frame, area: Rect, view: &JumpView, app: &App) {
    // The popup fills the body but a row above and below; its list is what fits in it.
    let rect = popup(frame, area, WIDTH, area.height.saturating_sub(2).max(5));
    let block = panel(" Jump to an invoice or a customer ").padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [input, count, list] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let [prompt, field] = Layout::horizontal([Constraint::Length(2), Constraint::Min(0)]).areas(input);
    frame.render_widget(Paragraph::new(Span::styled("›", THEME.label_focus)), prompt);
    let mut ta = view.input.clone();
    ta.set_style(THEME.input_focus);
    ta.set_cursor_line_style(THEME.input_focus);
    ta.set_cursor_style(THEME.cursor);
    frame.render_widget(&ta, field);

    let width = inner.width as usize;
    let said = if view.loading() {
        "Reading the book…".to_string()
    } else if view.query().trim().is_empty() {
        format!(
            "Type part of an invoice number, a customer's name or a payment reference ({} to reach).",
            view.reachable()
        )
    } else if view.total() == 0 {
        "Nothing matches.".to_string()
    } else if view.total() > view.hit_count() {
        format!("{} match; the best {} first.", view.total(), view.hit_count())
    } else if view.total() == 1 {
        "1 match.".to_string()
    } else {
        format!("{} match, best first.", view.total())
    };
    frame.render_widget(Paragraph::new(Line::styled(clip(&said, width), THEME.dim)), count);

    // Kind, number or name, customer, what it is: the name column takes what is left.
    let kind = 9;
    let state = 24;
    let customer = if width >= 70 { (width - kind - state - 2) / 2 } else { 0 };
    let name = width.saturating_sub(2 + kind + customer + state).max(4);
    let window = view.cursor.window_at(list.y, list.height as usize);
    let hits: Vec<_> = view.hits().collect();
    for (y, row) in window.enumerate() {
        let Some(hit) = hits.get(row) else { break };
        let at = view.cursor.selected() == row;
        let rect = Rect { y: list.y + y as u16, height: 1, ..list };
        let (what, whose) = match hit.target {
            Target::Invoice(_) => ("invoice", app.book.customer_name(hit.customer)),
            Target::Customer(_) => ("customer", ""),
        };
        let (said, style) = match (hit.state, hit.open) {
            (State::Open, Some(open)) => (format!("{open} open"), THEME.figure),
            (State::Open, None) => ("open".to_string(), THEME.figure),
            (State::Settled(how), _) => (how.to_string(), THEME.dim),
            (State::Customer, _) => (String::new(), THEME.dim),
            (State::Archived, _) => ("archived".to_string(), THEME.dim),
        };
        let mut spans = vec![
            Span::raw(if at { "▸ " } else { "  " }),
            Span::styled(fit(what, kind), THEME.dim),
            Span::raw(fit(hit.name, name)),
        ];
        if customer > 0 {
            spans.push(Span::styled(fit(whose, customer), THEME.text));
        }
        spans.push(Span::styled(format!("{:>state$}", clip(&said, state)), style));
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(if at { THEME.selected } else { THEME.text }),
            rect,
        );
    }
}
