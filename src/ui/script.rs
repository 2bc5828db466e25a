//! The call-script panel: the script for the invoice's step in the customer's language, cut
//! into sections (what to say, what they may say, what to do), with the last call and the
//! newest notes first. Drawn on the Invoice screen and in call mode.

use crate::domain::format;
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
    for (i, row) in wrap(text, width.saturating_sub(indent).max(1)).into_iter().enumerate() {
        let lead = if i == 0 { prefix.to_string() } else { " ".repeat(indent) };
        out.push(Line::from(vec![Span::styled(lead, THEME.dim), Span::styled(row, style)]));
    }
}

/// Word wrap on spaces; a word longer than the width is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let (len, wlen) = (row.chars().count(), word.chars().count());
            if len == 0 && wlen > width {
                let cut: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                rows.push(cut);
                continue;
            }
            if len > 0 && len + 1 + wlen > width {
                rows.push(std::mem::take(&mut row));
                continue;
            }
            if len > 0 {
                row.push(' ');
            }
            row.push_str(&word);
            break;
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_on_words_and_cuts_long_ones() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap("x", 1), ["x"]);
        assert_eq!(wrap("xy", 0), ["x", "y"]);
    }
}
