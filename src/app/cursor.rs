//! A selection in a long list, and the window of rows the screen shows around it.
//!
//! The window's first row and height are the only state the drawing writes back (through
//! `Cell`s, as a ratatui `TableState` would be `&mut` during rendering): scrolling stays put
//! until the selection leaves the window, and page keys move by the height last drawn.

use std::cell::Cell;
use std::ops::Range;

use super::keys::Action;

#[derive(Debug, Default, Clone)]
pub struct Cursor {
    selected: usize,
    len: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
    /// The screen row of the window's first row and the window's height, as last drawn: a
    /// mouse click is read against them.
    top: Cell<u16>,
    height: Cell<usize>,
    /// Rows above the selection kept in view with it (a section title over its first item).
    lead: usize,
}

impl Cursor {
    pub fn new(len: usize) -> Cursor {
        Cursor {
            selected: 0,
            len,
            offset: Cell::new(0),
            page: Cell::new(0),
            top: Cell::new(0),
            height: Cell::new(0),
            lead: 0,
        }
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A new length (after a reload or a filter), keeping the selection in range.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    pub fn select(&mut self, i: usize) {
        self.selected = i.min(self.len.saturating_sub(1));
    }

    /// Keeps `rows` rows above the selection in view with it.
    pub fn set_lead(&mut self, rows: usize) {
        self.lead = rows.min(self.selected);
    }

    /// Applies a movement; false for any other action.
    pub fn apply(&mut self, action: Action) -> bool {
        let page = self.page.get().max(1);
        let last = self.len.saturating_sub(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(last),
            Action::Up => self.selected.saturating_sub(1),
            Action::PageDown => (self.selected + page).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::Home => 0,
            Action::End => last,
            _ => return false,
        };
        true
    }

    /// [`Cursor::window`] drawn from screen row `top`, so that a click can find its row.
    pub fn window_at(&self, top: u16, height: usize) -> Range<usize> {
        self.top.set(top);
        self.height.set(height);
        self.window(height)
    }

    /// The list row drawn on a screen row, if one is (as last drawn with `window_at`).
    pub fn row_at(&self, y: u16) -> Option<usize> {
        let top = self.top.get();
        let within = usize::from(y.checked_sub(top)?);
        let row = self.offset.get() + within;
        (within < self.height.get() && row < self.len).then_some(row)
    }

    /// Scrolls by wheel: moves the selection `n` rows down (or up when negative).
    pub fn scroll(&mut self, n: isize) {
        let last = self.len.saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(n).min(last);
    }

    /// The rows to draw in a window `height` rows high, with the selection in view.
    pub fn window(&self, height: usize) -> Range<usize> {
        self.page.set(height.saturating_sub(1).max(1));
        if height == 0 || self.len == 0 {
            return 0..0;
        }
        let mut offset = self.offset.get().min(self.len.saturating_sub(height));
        let top = self.selected - self.lead.min(self.selected);
        if top < offset {
            offset = top;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        self.offset.set(offset);
        offset..(offset + height).min(self.len)
    }
}

/// A sortable list's `<` / `>` / `s`: `<` and `>` pick the column among `columns` (column 0,
/// the name, sorts A–Z; the figures largest first), `s` reverses the order.
pub fn sort_step(column: &mut usize, descending: &mut bool, action: Action, columns: usize) {
    match action {
        Action::SortLeft => *column = (*column + columns - 1) % columns,
        Action::SortRight => *column = (*column + 1) % columns,
        _ => {
            *descending = !*descending;
            return;
        }
    }
    *descending = *column != 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection_and_stays_put() {
        let mut c = Cursor::new(100);
        assert_eq!(c.window(10), 0..10);
        for _ in 0..9 {
            c.apply(Action::Down);
        }
        assert_eq!(c.window(10), 0..10);
        c.apply(Action::Down);
        assert_eq!(c.window(10), 1..11);
        c.apply(Action::Up);
        assert_eq!(c.window(10), 1..11, "moving up inside the window does not scroll");
        c.apply(Action::PageDown);
        assert_eq!(c.selected(), 18);
        c.apply(Action::End);
        assert_eq!(c.window(10), 90..100);
        c.apply(Action::Home);
        assert_eq!(c.window(10), 0..10);
        c.set_len(3);
        assert_eq!(c.window(10), 0..3);
        c.set_len(0);
        assert_eq!(c.window(10), 0..0);
        assert!(!c.apply(Action::Open));
        // A click finds the row drawn there.
        let mut c = Cursor::new(100);
        c.apply(Action::End);
        assert_eq!(c.window_at(5, 10), 90..100);
        assert_eq!(c.row_at(5), Some(90));
        assert_eq!(c.row_at(14), Some(99));
        assert_eq!(c.row_at(15), None);
        assert_eq!(c.row_at(4), None);
        c.scroll(-3);
        assert_eq!(c.selected(), 96);
        c.scroll(10);
        assert_eq!(c.selected(), 99);
        // A lead keeps the row above the selection in view (a section title).
        let mut c = Cursor::new(100);
        c.apply(Action::End);
        assert_eq!(c.window(10), 90..100);
        c.apply(Action::Home);
        c.apply(Action::Down);
        c.set_lead(1);
        assert_eq!(c.window(10), 0..10);
    }
}
