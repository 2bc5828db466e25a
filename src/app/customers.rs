//! The Customers tab's state: the filtered list, and the detail of one customer.

use super::cursor::{Cursor, sort_step};
use super::detail::CustomerDetail;
use super::filter::Filter;
use super::keys::Action;
use super::screen_data::ScreenData;
use crate::domain::customer::CustomerId;

/// The sort columns: name, open invoices, open and overdue (in the book's currency).
pub const COLUMNS: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct CustomersView {
    pub filter: Filter,
    /// The sort column (0 the name, A–Z, as the book lists them) and its order.
    pub column: usize,
    pub descending: bool,
    /// Indices into `ScreenData::customers`.
    pub rows: Vec<usize>,
    pub cursor: Cursor,
    /// Shown instead of the list while `detail_open`.
    pub detail: Option<CustomerDetail>,
    pub detail_open: bool,
}

impl CustomersView {
    pub fn rebuild(&mut self, book: &ScreenData) {
        let keep = self.selected(book);
        let q = self.filter.query();
        // A first look has the customers but not their figures: nothing to list yet.
        let listed = if book.is_first_look() { 0 } else { book.customers.len() };
        self.rows = (0..listed).filter(|i| q.is_empty() || book.customers[*i].search.contains(&q)).collect();
        // The book lists them by name; other columns sort by figure, ties by name.
        let figure = |i: usize| -> i64 {
            let c = &book.customers[i];
            let first = c.amounts.first();
            match self.column {
                1 => c.open_invoices,
                2 => first.map_or(0, |a| a.open_cents),
                _ => first.map_or(0, |a| a.overdue_cents),
            }
        };
        if self.column != 0 {
            self.rows.sort_by(|a, b| figure(*a).cmp(&figure(*b)).then_with(|| b.cmp(a)));
        }
        if self.descending {
            self.rows.reverse();
        }
        self.cursor.set_len(self.rows.len());
        if let Some(id) = keep {
            self.select(book, id);
        }
    }

    /// `<` / `>` pick the sort column (names A–Z, figures largest first); `s` reverses.
    pub fn sort(&mut self, action: Action, book: &ScreenData) {
        sort_step(&mut self.column, &mut self.descending, action, COLUMNS);
        self.rebuild(book);
    }

    pub fn selected(&self, book: &ScreenData) -> Option<CustomerId> {
        Some(book.customers.get(*self.rows.get(self.cursor.selected())?)?.customer.id)
    }

    pub fn select(&mut self, book: &ScreenData, id: CustomerId) {
        if let Some(at) = self.rows.iter().position(|r| book.customers[*r].customer.id == id) {
            self.cursor.select(at);
        }
    }

    /// The customer on screen: the open detail, else the selected line.
    pub fn in_view(&self, book: &ScreenData) -> Option<CustomerId> {
        match (&self.detail, self.detail_open) {
            (Some(d), true) => Some(d.customer.id),
            _ => self.selected(book),
        }
    }
}
