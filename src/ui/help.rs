//! The help (every key of the screen under it) and the add menu, both generated from the
//! live key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::THEME;
use super::{panel, popup};
use crate::app::keys::{self, Binding, Context};
use crate::app::{App, Tab};
use crate::domain::format::{self, Flow};

/// A binding's lines: its keys, then its description wrapped beside them to `width`.
fn binding_lines(b: &Binding, key_width: usize, width: usize, style: Style) -> Vec<Line<'static>> {
    let text_width = width.saturating_sub(key_width).max(12);
    format::wrap(b.help, text_width, Flow::Words)
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let keys = if i == 0 { b.all_keys() } else { String::new() };
            Line::from(vec![
                Span::styled(format!(" {keys:<key_width$}"), THEME.key),
                Span::styled(row, style),
            ])
        })
        .collect()
}

/// The popup: as wide as its lines, at most the screen; scrolled by `scroll` rows (kept
/// within the text) when it is taller than the screen, with "↓ more" in its title.
fn show(
    frame: &mut Frame,
    area: Rect,
    title: String,
    bindings: &[&Binding],
    footer: &[&Binding],
    scroll: u16,
) {
    let key_width =
        bindings.iter().chain(footer).map(|b| b.all_keys().chars().count()).max().unwrap_or(4) + 2;
    let widest =
        bindings.iter().chain(footer).map(|b| key_width + 1 + b.help.chars().count()).max().unwrap_or(20);
    let width = (widest + 3).max(title.chars().count() + 4).min(usize::from(area.width));
    let text_width = width.saturating_sub(3);
    let mut text: Vec<Line> =
        bindings.iter().flat_map(|b| binding_lines(b, key_width, text_width, THEME.text)).collect();
    text.push(Line::raw(""));
    for b in footer {
        text.extend(binding_lines(b, key_width, text_width, THEME.dim));
    }
    let height = text.len() + 2;
    let rect = popup(frame, area, width as u16, u16::try_from(height).unwrap_or(u16::MAX));
    let visible = usize::from(rect.height.saturating_sub(2));
    let most = text.len().saturating_sub(visible);
    let scroll = usize::from(scroll).min(most);
    let title = if most == 0 {
        title
    } else {
        let more = if scroll < most { "↓ more, j/k scroll" } else { "↑ k scrolls back" };
        format!("{title}· {more} ")
    };
    let text: Vec<Line> = text.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(text).block(panel(title)), rect);
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let screen = match app.screen_context() {
        Context::Welcome => "Welcome",
        Context::Customer => "Customer",
        Context::FilterInput => "Filter",
        _ => app.tab.title(),
    };
    let bindings = app.screen_bindings();
    show(frame, area, format!(" Keys — {screen} "), &bindings, &[&keys::CLOSE], app.help_scroll);
}

pub fn draw_menu(frame: &mut Frame, area: Rect, app: &App) {
    let menu = [&keys::MENU_CUSTOMER, &keys::MENU_INVOICE, &keys::MENU_PAYMENT, &keys::MENU_NOTE];
    let usable: Vec<&Binding> = menu
        .into_iter()
        .filter(|b| {
            !std::ptr::eq(*b, &keys::MENU_PAYMENT) || (app.tab == Tab::Invoice && app.invoice.is_some())
        })
        .filter(|b| !std::ptr::eq(*b, &keys::MENU_NOTE) || !app.book.empty)
        .collect();
    show(frame, area, " Add ".into(), &usable, &[&keys::CANCEL], 0);
}
