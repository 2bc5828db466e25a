//! Drawing only: a pure function of the `App` (list windows aside, see `app::cursor`). One
//! module per screen or panel; every style comes from `theme`.

mod call;
mod confirm;
mod customers;
mod footer;
mod forecast;
mod form;
mod header;
mod help;
mod import;
mod invoice;
mod jump;
mod letter;
mod receivables;
mod script;
pub mod theme;
mod tiny;
mod today;
mod welcome;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear};

use crate::app::{App, Overlay, Tab};
use crate::domain::text::{PLACEHOLDER, sanitise};
use theme::THEME;

/// Below this size the app asks for a larger terminal instead of drawing the screens.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        tiny::draw(frame, area);
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(app.header_rows()),
        Constraint::Min(0),
        Constraint::Length(footer::height(app, area.width)),
    ])
    .areas(area);
    header::draw(frame, top, app);
    if app.book.empty {
        welcome::draw(frame, body, app);
    } else {
        match app.tab {
            Tab::Today => today::draw(frame, body, app),
            Tab::Receivables if app.book.is_first_look() => loading(frame, body, " Aged receivables "),
            Tab::Receivables => receivables::draw(frame, body, app),
            Tab::Customers if app.book.is_first_look() && app.customer_detail().is_none() => {
                loading(frame, body, " Customers ")
            }
            Tab::Customers => customers::draw(frame, body, app),
            Tab::Invoice => invoice::draw(frame, body, app),
        }
    }
    footer::draw(frame, bottom, app);
    match &app.overlay {
        Some(Overlay::Help) => help::draw(frame, body, app),
        Some(Overlay::Menu) => help::draw_menu(frame, body, app),
        Some(Overlay::Form(f)) => form::draw(frame, body, f, app),
        Some(Overlay::Letter(l)) => letter::draw(frame, body, l),
        Some(Overlay::Call(c)) => call::draw(frame, body, c, app),
        Some(Overlay::Confirm(v)) => confirm::draw(frame, body, v),
        Some(Overlay::Import(v)) => import::draw(frame, body, v),
        Some(Overlay::Ask(a)) => form::draw_ask(frame, body, a),
        Some(Overlay::Jump(v)) => jump::draw(frame, body, v, app),
        None => {}
    }
    mask_unsafe(frame.buffer_mut());
}

/// The app's side of the output wall: a cell holding a character a terminal would obey shows
/// the placeholder instead (the same [`sanitise`] as the commands' output). ratatui drops the
/// C0 and C1 controls itself but passes bidirectional overrides and zero-width characters on,
/// glued to the cell before them; the whole cell is replaced, so the layout stays as drawn.
pub fn mask_unsafe(buf: &mut Buffer) {
    let mut placeholder = [0u8; 4];
    let placeholder: &str = PLACEHOLDER.encode_utf8(&mut placeholder);
    for cell in &mut buf.content {
        if matches!(sanitise(cell.symbol()), Cow::Owned(_)) {
            cell.set_symbol(placeholder);
        }
    }
}

/// A panel: rounded grey border, bold title.
fn panel<'a>(title: impl Into<Line<'a>>) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(THEME.border)
        .title(title.into().style(THEME.title))
}

/// A panel whose figures are still being worked out (a large book's first look).
fn loading(frame: &mut Frame, area: Rect, title: &str) {
    use ratatui::widgets::Paragraph;
    let block = panel(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text = vec![Line::raw(""), Line::styled(LOADING, THEME.dim)];
    frame.render_widget(Paragraph::new(text).centered(), inner);
}

/// What a panel says while a large book's figures are being worked out.
const LOADING: &str = "Working out the whole book…";

/// A popup of at most `width`×`height` centred in `area`, cleared, clamped to the area.
fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let rect =
        area.centered(Constraint::Length(width.min(area.width)), Constraint::Length(height.min(area.height)));
    let rect = rect.intersection(area);
    frame.render_widget(Clear, rect);
    rect
}

/// Cuts `text` to `width` terminal columns (a CJK character or an emoji takes two), with an
/// ellipsis when it had to.
fn clip(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` cut to `width` columns and padded with spaces to exactly `width`: table cells line
/// up whatever the characters (Rust's `{:<n}` pads by characters, not columns).
fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut s = clip(text, width);
    let pad = width.saturating_sub(s.width());
    s.extend(std::iter::repeat_n(' ', pad));
    s
}
