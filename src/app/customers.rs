//! The Customers tab's state: the filtered list, and the detail of one customer.

use super::book::Book;
use super::cursor::Cursor;
use super::detail::CustomerDetail;
use super::filter::Filter;
use crate::domain::customer::CustomerId;

#[derive(Debug, Clone, Default)]
pub struct CustomersView {
    pub filter: Filter,
    /// Indices into `Book::customers`.
    pub rows: Vec<usize>,
    pub cursor: Cursor,
    /// Shown instead of the list while `detail_open`.
    pub detail: Option<CustomerDetail>,
    pub detail_open: bool,
}

impl CustomersView {
    pub fn rebuild(&mut self, book: &Book) {
        let keep = self.selected(book);
        let q = self.filter.query();
        self.rows = (0..book.customers.len())
            .filter(|i| q.is_empty() || book.customers[*i].search.contains(&q))
            .collect();
        self.cursor.set_len(self.rows.len());
        if let Some(id) = keep {
            self.select(book, id);
        }
    }

    pub fn selected(&self, book: &Book) -> Option<CustomerId> {
        Some(book.customers.get(*self.rows.get(self.cursor.selected())?)?.customer.id)
    }

    pub fn select(&mut self, book: &Book, id: CustomerId) {
        if let Some(at) = self.rows.iter().position(|r| book.customers[*r].customer.id == id) {
            self.cursor.select(at);
        }
    }

    /// The customer on screen: the open detail, else the selected line.
    pub fn in_view(&self, book: &Book) -> Option<CustomerId> {
        match (&self.detail, self.detail_open) {
            (Some(d), true) => Some(d.customer.id),
            _ => self.selected(book),
        }
    }
}
