//! The Today tab's state: which agenda lines show (after the filter), which customers'
//! groups are unfolded, and the selection, which only ever rests on an item or a group,
//! never on a section title.

use std::collections::HashSet;

use super::cursor::Cursor;
use super::filter::Filter;
use super::keys::Action;
use super::screen_data::{AgendaLine, GroupKey, ScreenData};
use crate::domain::agenda::AgendaItem;

#[derive(Debug, Clone, Default)]
pub struct TodayView {
    pub filter: Filter,
    /// Indices into `ScreenData::agenda` of the lines shown.
    pub rows: Vec<usize>,
    /// For each shown row that is a section title, how many of its items are shown (0 for
    /// items): the counts follow the filter.
    pub counts: Vec<usize>,
    pub cursor: Cursor,
    /// The customers' groups shown with their invoices under them (→).
    pub unfolded: HashSet<GroupKey>,
}

/// What is selected, found again after a rebuild: an invoice or a customer's group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    Invoice(crate::domain::invoice::InvoiceId),
    Group(GroupKey),
}

/// Whether `hay` contains `needle` (already lower-case), ignoring ASCII case, without
/// allocating: the filter runs over every agenda line at each key.
fn contains(hay: &str, needle: &str) -> bool {
    needle.is_empty()
        || hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether an agenda item matches the filter: its customer (name, contact, email), what to
/// do and why, as the line reads, or its invoice number.
fn matches(book: &ScreenData, line: usize, item: &AgendaItem, q: &str) -> bool {
    let customer = book.customer(item.invoice.customer_id).map_or("", |c| c.search.as_str());
    customer.contains(q)
        || contains(book.number(item), q)
        || book.item_text(line).is_some_and(|t| contains(&t.what, q) || contains(&t.why, q))
}

impl TodayView {
    /// Filters the agenda again (after a reload, a change of filter, a fold or an unfold),
    /// keeping the selected invoice or group selected when it is still there (an invoice
    /// folded away leaves its group selected). A group shows when its line or one of its
    /// invoices matches; unfolded, the invoices that match (all, when its line does) show
    /// under it.
    pub fn rebuild(&mut self, book: &ScreenData) {
        let keep = self.selected_key(book);
        let q = self.filter.query();
        self.rows.clear();
        self.counts.clear();
        let mut section: Option<usize> = None;
        let mut title_at: Option<usize> = None;
        let shows = |i: usize| q.is_empty() || book.item(i).is_some_and(|item| matches(book, i, item, &q));
        for (i, line) in book.agenda.iter().enumerate() {
            let under: Vec<usize> = match line {
                AgendaLine::Section(_) => {
                    section = Some(i);
                    continue;
                }
                // A group's items are shown with it, or not at all.
                AgendaLine::Item(_) if book.parent(i).is_some() => continue,
                AgendaLine::Item(_) if !shows(i) => continue,
                AgendaLine::Item(_) => Vec::new(),
                AgendaLine::Group(_) => {
                    let Some((key, lines)) = book.group(i) else { continue };
                    // The group's line as it reads ("hand to the agency") matches for all of them.
                    let whole = !q.is_empty()
                        && book.item_text(i).is_some_and(|t| contains(&t.what, &q) || contains(&t.why, &q));
                    let matching: Vec<usize> = lines.filter(|l| whole || shows(*l)).collect();
                    if matching.is_empty() {
                        continue;
                    }
                    if self.unfolded.contains(&key) { matching } else { Vec::new() }
                }
            };
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
            for l in under {
                self.rows.push(l);
                self.counts.push(0);
            }
        }
        self.cursor.set_len(self.rows.len());
        let found = keep.and_then(|k| {
            let at = |k: Selected| self.rows.iter().position(|r| Self::key_of(book, *r) == Some(k));
            at(k).or_else(|| match k {
                // Folded away: its group.
                Selected::Invoice(id) => {
                    let line = book.line_of(id)?;
                    let group = book.parent(line)?;
                    at(Self::key_of(book, group)?)
                }
                Selected::Group(_) => None,
            })
        });
        match found {
            Some(at) => self.cursor.select(at),
            None => self.settle(book, true),
        }
        self.lead(book);
    }

    fn key_of(book: &ScreenData, line: usize) -> Option<Selected> {
        match book.agenda.get(line)? {
            AgendaLine::Item(_) => Some(Selected::Invoice(book.item(line)?.invoice.id)),
            AgendaLine::Group(_) => book.group(line).map(|(key, _)| Selected::Group(key)),
            AgendaLine::Section(_) => None,
        }
    }

    fn selected_key(&self, book: &ScreenData) -> Option<Selected> {
        Self::key_of(book, self.selected_line()?)
    }

    /// The group line selected, if a group is.
    pub fn selected_group(&self, book: &ScreenData) -> Option<usize> {
        self.selected_line().filter(|l| book.group(*l).is_some())
    }

    /// →: shows the selected group's invoices under it. Whether it did anything.
    pub fn unfold(&mut self, book: &ScreenData) -> bool {
        let Some((key, _)) = self.selected_line().and_then(|l| book.group(l)) else { return false };
        let changed = self.unfolded.insert(key);
        self.rebuild(book);
        changed
    }

    /// ←: folds the selected group, or the group of the invoice selected, and selects it.
    pub fn fold(&mut self, book: &ScreenData) -> bool {
        let Some(line) = self.selected_line() else { return false };
        let group = if book.group(line).is_some() {
            line
        } else {
            let Some(g) = book.parent(line) else { return false };
            g
        };
        let Some((key, _)) = book.group(group) else { return false };
        let changed = self.unfolded.remove(&key);
        if let Some(at) = self.rows.iter().position(|r| *r == group) {
            self.cursor.select(at);
        }
        self.rebuild(book);
        changed
    }

    /// The first item of a section brings its title into view with it.
    fn lead(&mut self, book: &ScreenData) {
        let at = self.cursor.selected();
        let title_above = at > 0 && self.rows.get(at - 1).is_some_and(|r| !book.is_entry(*r));
        self.cursor.set_lead(usize::from(title_above));
    }

    /// The agenda line selected, if any.
    pub fn selected_line(&self) -> Option<usize> {
        self.rows.get(self.cursor.selected()).copied()
    }

    /// The item selected; on a group, its first invoice (what call mode opens on).
    pub fn selected<'a>(&self, book: &'a ScreenData) -> Option<&'a AgendaItem> {
        book.items_of(self.selected_line()?).into_iter().next()
    }

    pub fn apply(&mut self, action: Action, book: &ScreenData) -> bool {
        if !self.cursor.apply(action) {
            return false;
        }
        self.settle(book, matches!(action, Action::Down | Action::PageDown | Action::End));
        self.lead(book);
        true
    }

    /// The mouse wheel: `n` rows down (up when negative), onto an item.
    pub fn scroll(&mut self, n: isize, book: &ScreenData) {
        self.cursor.scroll(n);
        self.settle(book, n > 0);
        self.lead(book);
    }

    /// A click on a list row: selects it when it is an item (a section title stays put).
    pub fn click(&mut self, row: usize, book: &ScreenData) {
        if self.rows.get(row).is_some_and(|r| book.is_entry(*r)) {
            self.cursor.select(row);
            self.lead(book);
        }
    }

    /// Moves off a section title onto the nearest item, preferring the given direction.
    fn settle(&mut self, book: &ScreenData, forward: bool) {
        let is_item = |at: usize| self.rows.get(at).is_some_and(|r| book.is_entry(*r));
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
