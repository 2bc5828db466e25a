//! A form as a popup: one line per field (label, input, then the error or what the value
//! means), the store's refusal at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::theme::THEME;
use super::{clip, panel, popup};
use crate::app::App;
use crate::app::form::kinds::AppForm;
use crate::app::form::{Field, FieldKind};
use crate::domain::format::{self, Flow};

const LABEL: u16 = 14;
const INPUT: u16 = 32;
const WIDTH: u16 = 86;

pub fn draw(frame: &mut Frame, area: Rect, form: &AppForm, _app: &App) {
    let intro = u16::from(form.intro.is_some()) * 2;
    // Inside the border and the padding.
    let text_width = usize::from(WIDTH.min(area.width).saturating_sub(4));
    // The form's refusal, and the focused field's error when its place in the row cuts it,
    // wrapped in full under the fields.
    let mut messages: Vec<Line> = Vec::new();
    if let Some(f) = form.fields.get(form.focus)
        && let Some(e) = f.error.as_ref().filter(|_| f.touched)
        && e.chars().count() + 2 > text_width.saturating_sub(usize::from(LABEL + INPUT))
    {
        let full = format!("✗ {}: {e}", f.label.trim_end());
        messages.extend(
            format::wrap(&full, text_width, Flow::Words)
                .into_iter()
                .map(|r| Line::styled(r, THEME.field_error)),
        );
    }
    if let Some(e) = &form.error {
        messages.extend(
            format::wrap(e, text_width, Flow::Words).into_iter().map(|r| Line::styled(r, THEME.status_error)),
        );
    }
    let error = if messages.is_empty() { 0 } else { messages.len() as u16 + 1 };
    let height = form.fields.len() as u16 + intro + error + 2;
    let rect = popup(frame, area, WIDTH, height);
    let block = panel(format!(" {} ", form.title)).padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [intro_area, fields_area, error_area] =
        Layout::vertical([Constraint::Length(intro), Constraint::Min(0), Constraint::Length(error)])
            .areas(inner);
    if let Some(text) = &form.intro {
        frame.render_widget(Paragraph::new(Line::styled(text.as_str(), THEME.dim)), intro_area);
    }
    for (i, field) in form.fields.iter().enumerate() {
        let row = Rect { y: fields_area.y + i as u16, height: 1, ..fields_area }.intersection(fields_area);
        if row.height == 0 {
            break;
        }
        draw_field(frame, row, field, i == form.focus);
    }
    if !messages.is_empty() {
        frame.render_widget(
            Paragraph::new(messages),
            Rect { y: error_area.y + 1, height: error_area.height.saturating_sub(1), ..error_area },
        );
    }
}

fn draw_field(frame: &mut Frame, row: Rect, field: &Field, focused: bool) {
    let [label, input, message] =
        Layout::horizontal([Constraint::Length(LABEL), Constraint::Length(INPUT), Constraint::Min(0)])
            .areas(row);
    let label_style = if focused { THEME.label_focus } else { THEME.label };
    frame.render_widget(Paragraph::new(Span::styled(field.label, label_style)), label);
    match field.kind {
        FieldKind::Choice(options) => {
            let spans: Vec<Span> = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    // The chosen value is marked (●) as well as styled: it shows without colour.
                    let (mark, style) =
                        if i == field.choice { ('●', THEME.choice) } else { ('○', THEME.text) };
                    Span::styled(format!(" {mark} {} ", o.replace('_', " ")), style)
                })
                .collect();
            let choices = Rect { width: row.width.saturating_sub(LABEL), ..input };
            frame.render_widget(Paragraph::new(Line::from(spans)), choices);
            return;
        }
        _ if focused => {
            // The focused field is the live textarea, cursor and all.
            let mut ta = field.input.clone();
            ta.set_style(THEME.input_focus);
            ta.set_cursor_line_style(THEME.input_focus);
            ta.set_cursor_style(THEME.cursor);
            frame.render_widget(&ta, Rect { width: input.width.saturating_sub(1), ..input });
        }
        _ => {
            let text = clip(&field.text(), input.width.saturating_sub(1) as usize);
            let rect = Rect { width: input.width.saturating_sub(1), ..input };
            frame.render_widget(Paragraph::new(text).style(THEME.input), rect);
        }
    }
    let width = message.width as usize;
    let text = match (&field.error, &field.note) {
        (Some(e), _) if field.touched => Span::styled(clip(&format!("✗ {e}"), width), THEME.field_error),
        (_, Some(n)) if field.error.is_none() => Span::styled(clip(n, width), THEME.field_note),
        _ => Span::raw(""),
    };
    frame.render_widget(Paragraph::new(text), message);
}

/// The question before a deletion, in a small popup: the question, then its two answers.
pub fn draw_ask(frame: &mut Frame, area: Rect, ask: &crate::app::Ask) {
    let width = 72u16;
    let text_width = usize::from(width.min(area.width).saturating_sub(4)).max(1);
    let mut lines: Vec<Line> =
        format::wrap(&ask.question, text_width, Flow::Words).into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", THEME.key),
        Span::styled(" yes, delete it (u undoes it)   ", THEME.dim),
        Span::styled("n", THEME.key),
        Span::styled(" or ", THEME.dim),
        Span::styled("Esc", THEME.key),
        Span::styled(" no", THEME.dim),
    ]));
    let rect = popup(frame, area, width, lines.len() as u16 + 2);
    let block = panel(" Delete? ").padding(Padding::horizontal(1));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
