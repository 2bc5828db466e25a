//! The letter overlay: who it goes to and how, where it is saved, where the step stands and
//! the claim's notes above; the letter itself below, scrollable; the tracking-number prompt
//! and any refusal at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

use super::theme::THEME;
use super::{clip, panel, popup};
use crate::app::letter::{LetterView, WRAP, kind_label};
use crate::domain::format::{self, Flow};

const LABEL: usize = 10;

pub fn draw(frame: &mut Frame, area: Rect, view: &LetterView) {
    let rect = popup(frame, area, WRAP as u16 + 6, area.height);
    let title = format!(" Letter: {} for {} ", kind_label(view.letter.kind), view.number);
    let block = panel(title).padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;

    let fact = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<LABEL$}"), THEME.label),
            Span::styled(clip(&value, width.saturating_sub(LABEL)), THEME.text),
        ])
    };
    let channel = view.channel.as_str().replace('_', " ");
    let by = if view.needs_tracking() { format!("{channel} (registered post)") } else { channel };
    let to = if view.is_agency() {
        format!("the collection agency, about {} · by {by}", view.customer)
    } else {
        format!("{} · by {by}", view.customer)
    };
    let mut head = vec![
        fact("To", to),
        fact("Subject", view.letter.subject.clone()),
        fact("File", view.shown_path.clone()),
    ];
    if !view.about.is_empty() {
        for l in format::wrap(&view.about, width, Flow::Lines) {
            head.push(Line::styled(l, THEME.hint));
        }
    }
    for note in &view.notes {
        for (i, l) in format::wrap(&format!("Note: {note}"), width, Flow::Lines).into_iter().enumerate() {
            let l = if i == 0 { l } else { format!("      {l}") };
            head.push(Line::styled(l, THEME.field_note));
        }
    }
    // The header never takes more than half the popup: the letter is what matters.
    let head_height = (head.len() as u16).min(inner.height / 2);

    let mut foot: Vec<Line> = Vec::new();
    if view.tracking.is_some() {
        foot.push(Line::raw(""));
    }
    if let Some(e) = &view.error {
        for l in format::wrap(e, width, Flow::Lines) {
            foot.push(Line::styled(l, THEME.status_error));
        }
    }
    let foot_height = (foot.len() as u16).min(inner.height / 4 + 1);

    let [head_area, text_area, foot_area] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Min(2),
        Constraint::Length(foot_height),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);

    let total = view.lines.len();
    let scroll = view.scroll.min(total.saturating_sub(1));
    let shown = (text_area.height as usize).saturating_sub(1);
    let last = (scroll + shown).min(total);
    let position = format!(" lines {}–{last} of {total} ", (scroll + 1).min(total));
    let rule = Block::new()
        .borders(Borders::TOP)
        .border_style(THEME.border)
        .title(Line::styled(position, THEME.dim).right_aligned());
    let text: Vec<Line> = view.lines[scroll..].iter().take(shown).map(|l| Line::raw(l.as_str())).collect();
    let mut letter = Paragraph::new(text).block(rule);
    if width < WRAP {
        letter = letter.wrap(Wrap { trim: false });
    }
    frame.render_widget(letter, text_area);

    if foot_area.height > 0 {
        frame.render_widget(Paragraph::new(foot), foot_area);
    }
    if let Some((input, _)) = &view.tracking {
        let row = Rect { height: 1, ..foot_area }.intersection(foot_area);
        let [label, field] = Layout::horizontal([Constraint::Length(24), Constraint::Min(0)]).areas(row);
        frame
            .render_widget(Paragraph::new(Span::styled("Registered-mail number ", THEME.label_focus)), label);
        let mut ta = input.clone();
        ta.set_style(THEME.input_focus);
        ta.set_cursor_line_style(THEME.input_focus);
        ta.set_cursor_style(THEME.cursor);
        frame.render_widget(&ta, Rect { width: field.width.min(32), ..field });
    }
}
