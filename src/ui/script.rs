//! The call-script panel: the script for the invoice's step in the customer's language, cut
//! into sections (what to say, what they may say, what to do), with the last call and the
//! newest notes first. Drawn on the Invoice screen and in call mode.

use crate::domain::format::{self, Flow};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::panel;
use super::theme::THEME;
use crate::call_script::{LineKind, ScriptPanel};

/// Draws the panel from line `scroll` on; when there is more below, the last line says so
/// and how to see it (`more`).
pub fn draw(frame: &mut Frame, area: Rect, script: &ScriptPanel, scroll: u16, more: &str) {
    let title = format!(
        " Call script: {} · {} customer · {} ",
        script.step.label().to_lowercase(),
        script.profile,
        script.language
    );
    let block = panel(title).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = lines(script, inner.width as usize);
    let height = inner.height as usize;
    let start = (scroll as usize).min(all.len().saturating_sub(height));
    let has_more = all.len() > start + height;
    let mut shown: Vec<Line> = all.into_iter().skip(start).take(height).collect();
    if has_more && let Some(last) = shown.last_mut() {
        *last = Line::styled(format!("  … {more}"), THEME.dim);
    }
    frame.render_widget(Paragraph::new(shown), inner);
}

/// Every line of the panel, wrapped to `width`.
pub fn lines(script: &ScriptPanel, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(from) = script.fallback_from {
        push(
            &mut out,
            &format!("No script in '{from}': shown in '{}'.", script.language),
            "",
            THEME.dim,
            width,
        );
    }
    match &script.last_call {
        Some(c) => push(&mut out, c, "Last call  ", THEME.text, width),
        None => push(&mut out, "none yet", "Last call  ", THEME.dim, width),
    }
    for (on, body) in &script.notes {
        push(&mut out, &format!("{} {body}", format::day_month_year(*on)), "Note       ", THEME.text, width);
    }
    for section in &script.sections {
        out.push(Line::raw(""));
        out.push(Line::styled(section.kind.title().to_string(), THEME.section));
        for l in &section.lines {
            let (prefix, style) = match l.kind {
                LineKind::Say => ("  ", THEME.text),
                LineKind::Reply => ("? ", THEME.script_reply),
                LineKind::Do => ("→ ", THEME.script_do),
            };
            push(&mut out, &l.text, prefix, style, width);
        }
    }
    out
}

/// Pushes `text` wrapped at `width`, `prefix` on the first line and its width of blanks on
/// the others.
fn push(out: &mut Vec<Line<'static>>, text: &str, prefix: &str, style: Style, width: usize) {
    let indent = prefix.chars().count();
    for (i, row) in
        format::wrap(text, width.saturating_sub(indent).max(1), Flow::Words).into_iter().enumerate()
    {
        let lead = if i == 0 { prefix.to_string() } else { " ".repeat(indent) };
        out.push(Line::from(vec![Span::styled(lead, THEME.dim), Span::styled(row, style)]));
    }
}
