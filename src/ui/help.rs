//! The help (every key of the screen under it) and the add menu, both generated from the
//! live key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::THEME;
use super::{panel, popup};
use crate::app::keys::{self, Binding, Context};
use crate::app::{App, Tab};

fn lines(bindings: &[&Binding], key_width: usize) -> Vec<Line<'static>> {
    bindings
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!(" {:<key_width$}", b.all_keys()), THEME.key),
                Span::raw(b.help),
            ])
        })
        .collect()
}

fn show(frame: &mut Frame, area: Rect, title: String, bindings: &[&Binding], footer: &[&Binding]) {
    let key_width =
        bindings.iter().chain(footer).map(|b| b.all_keys().chars().count()).max().unwrap_or(4) + 2;
    let mut text = lines(bindings, key_width);
    text.push(Line::raw(""));
    for b in footer {
        text.push(Line::from(vec![
            Span::styled(format!(" {:<key_width$}", b.all_keys()), THEME.key),
            Span::styled(b.help, THEME.dim),
        ]));
    }
    let width = text.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 3;
    let height = text.len() as u16 + 2;
    let rect = popup(frame, area, width.max(title.chars().count() as u16 + 4), height);
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
    show(frame, area, format!(" Keys — {screen} "), &bindings, &[&keys::CLOSE]);
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
    show(frame, area, " Add ".into(), &usable, &[&keys::CANCEL]);
}
