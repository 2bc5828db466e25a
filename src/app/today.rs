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
    /// For each shown row that is a section title, how many of its items are shown (0 for
    /// items): the counts follow the filter.
    pub counts: Vec<usize>,
    pub cursor: Cursor,
}

/// Whether `hay` contains `needle` (already lower-case), ignoring ASCII case, without
/// allocating: the filter runs over every agenda line at each key.
fn contains(hay: &str, needle: &str) -> bool {
    needle.is_empty()
        || hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether an agenda item matches the filter: its customer (name, contact, email), what to
/// do and why, as the line reads, or its invoice number.
fn matches(book: &Book, line: usize, item: &AgendaItem, q: &str) -> bool {
    let customer = book.customer(item.invoice.customer_id).map_or("", |c| c.search.as_str());
    customer.contains(q)
        || contains(book.number(item), q)
        || book.item_text(line).is_some_and(|t| contains(&t.what, q) || contains(&t.why, q))
}

impl TodayView {
    /// Filters the agenda again (after a reload or a change of filter), keeping the selected
    /// invoice selected when it is still there.
    pub fn rebuild(&mut self, book: &Book) {
        let keep = self.selected(book).map(|i| i.invoice.id);
        let q = self.filter.query();
        self.rows.clear();
        self.counts.clear();
        let mut section: Option<usize> = None;
        let mut title_at: Option<usize> = None;
        for (i, line) in book.agenda.iter().enumerate() {
            match line {
                AgendaLine::Section { .. } => section = Some(i),
                AgendaLine::Item(item) => {
                    if q.is_empty() || matches(book, i, item, &q) {
                        if let Some(s) = section.take() {
                            title_at = Some(self.rows.len());
                            self.rows.push(s);
                            self.counts.push(0);
                        }
                        if let Some(count) = title_at.and_then(|t| self.counts.get_mut(t)) {
                            *count += 1;
                        }
                        self.rows.push(i);
                        self.counts.push(0);
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
        self.lead(book);
    }

    /// The first item of a section brings its title into view with it.
    fn lead(&mut self, book: &Book) {
        let at = self.cursor.selected();
        let title_above = at > 0 && self.rows.get(at - 1).is_some_and(|r| book.item(*r).is_none());
        self.cursor.set_lead(usize::from(title_above));
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
        self.lead(book);
        true
    }

    /// The mouse wheel: `n` rows down (up when negative), onto an item.
    pub fn scroll(&mut self, n: isize, book: &Book) {
        self.cursor.scroll(n);
        self.settle(book, n > 0);
        self.lead(book);
    }

    /// A click on a list row: selects it when it is an item (a section title stays put).
    pub fn click(&mut self, row: usize, book: &Book) {
        if self.rows.get(row).is_some_and(|r| book.item(*r).is_some()) {
            self.cursor.select(row);
            self.lead(book);
        }
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
