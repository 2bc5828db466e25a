//! The Today tab's state: which agenda lines show (after the filter) and the selection,
//! which only ever rests on an item, never on a section title.

use super::book::{AgendaLine, Book};
use super::cursor::Cursor;
use super::filter::Filter;
use super::keys::Action;
use crate::domain::agenda::AgendaItem;

#[derive(Debug, Clone, Default)]
pub struct TodayView {
    pub filter: Filter,
    /// Indices into `Book::agenda` of the lines shown.
    pub rows: Vec<usize>,
    pub cursor: Cursor,
}

/// Whether `hay` contains `needle` (already lower-case), ignoring ASCII case, without
/// allocating: the filter runs over every agenda line at each key.
fn contains(hay: &str, needle: &str) -> bool {
    needle.is_empty()
        || hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

impl TodayView {
    /// Filters the agenda again (after a reload or a change of filter), keeping the selected
    /// invoice selected when it is still there.
    pub fn rebuild(&mut self, book: &Book) {
        let keep = self.selected(book).map(|i| i.invoice.id);
        let q = self.filter.query();
        self.rows.clear();
        let mut section: Option<usize> = None;
        for (i, line) in book.agenda.iter().enumerate() {
            match line {
                AgendaLine::Section { .. } => section = Some(i),
                AgendaLine::Item(item) => {
                    let search = book.customer(item.invoice.customer_id).map_or("", |c| c.search.as_str());
                    if q.is_empty() || search.contains(&q) || contains(book.number(item), &q) {
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
            self.rows.iter().position(|r| book.item(*r).is_some_and(|it| it.invoice.id == id))
        });
        match found {
            Some(at) => self.cursor.select(at),
            None => self.settle(book, true),
        }
    }

    /// The agenda line selected, if any.
    pub fn selected_line(&self) -> Option<usize> {
        self.rows.get(self.cursor.selected()).copied()
    }

    pub fn selected<'a>(&self, book: &'a Book) -> Option<&'a AgendaItem> {
        book.item(self.selected_line()?)
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
        let is_item = |at: usize| self.rows.get(at).is_some_and(|r| book.item(*r).is_some());
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
