//! The Today tab's state: which agenda lines show (after the filter) and the selection,
//! which only ever rests on an item, never on a section title.

use super::book::{AgendaLine, Book, TodayItem};
use super::cursor::Cursor;
use super::filter::Filter;
use super::keys::Action;

#[derive(Debug, Clone, Default)]
pub struct TodayView {
    pub filter: Filter,
    /// Indices into `Book::agenda` of the lines shown.
    pub rows: Vec<usize>,
    pub cursor: Cursor,
}

impl TodayView {
    /// Filters the agenda again (after a reload or a change of filter), keeping the selected
    /// invoice selected when it is still there.
    pub fn rebuild(&mut self, book: &Book) {
        let keep = self.selected(book).map(|i| i.invoice);
        let q = self.filter.query();
        self.rows.clear();
        let mut section: Option<usize> = None;
        for (i, line) in book.agenda.iter().enumerate() {
            match line {
                AgendaLine::Section { .. } => section = Some(i),
                AgendaLine::Item(item) => {
                    if q.is_empty()
                        || item.customer.to_lowercase().contains(&q)
                        || item.number.to_lowercase().contains(&q)
                    {
                        if let Some(s) = section.take() {
                            self.rows.push(s);
                        }
                        self.rows.push(i);
                    }
                }
            }
        }
        self.cursor.set_len(self.rows.len());
        let found = keep.and_then(|id| {
            self.rows
                .iter()
                .position(|r| matches!(&book.agenda[*r], AgendaLine::Item(it) if it.invoice == id))
        });
        match found {
            Some(at) => self.cursor.select(at),
            None => self.settle(book, true),
        }
    }

    pub fn selected<'a>(&self, book: &'a Book) -> Option<&'a TodayItem> {
        match book.agenda.get(*self.rows.get(self.cursor.selected())?)? {
            AgendaLine::Item(item) => Some(item),
            AgendaLine::Section { .. } => None,
        }
    }

    pub fn apply(&mut self, action: Action, book: &Book) -> bool {
        if !self.cursor.apply(action) {
            return false;
        }
        self.settle(book, matches!(action, Action::Down | Action::PageDown | Action::End));
        true
    }

    /// Moves off a section title onto the nearest item, preferring the given direction.
    fn settle(&mut self, book: &Book, forward: bool) {
        let is_item =
            |at: usize| matches!(self.rows.get(at).map(|r| &book.agenda[*r]), Some(AgendaLine::Item(_)));
        let here = self.cursor.selected();
        if is_item(here) {
            return;
        }
        let ahead = (here..self.rows.len()).find(|i| is_item(*i));
        let behind = (0..here).rev().find(|i| is_item(*i));
        let target = if forward { ahead.or(behind) } else { behind.or(ahead) };
        if let Some(t) = target {
            self.cursor.select(t);
        }
    }
}
