//! The Receivables tab's state: the sort column and order, the filter, the selection.

use super::cursor::{Cursor, sort_step};
use super::filter::Filter;
use super::keys::Action;
use super::screen_data::{AgingLine, ScreenData};
use crate::domain::forecast::Forecast;

/// Column 0 is the customer; 1–5 the buckets; 6 the total.
pub const COLUMNS: usize = 7;

#[derive(Debug, Clone)]
pub struct ReceivablesView {
    pub filter: Filter,
    /// The currency shown, by position in `ScreenData::ledgers`.
    pub ledger: usize,
    pub column: usize,
    pub descending: bool,
    /// Indices into the shown ledger's `aging`, sorted and filtered.
    pub rows: Vec<usize>,
    pub cursor: Cursor,
    /// The cash-in forecast, loaded when the tab is first shown after a (re)load.
    pub forecast: Option<Box<Forecast>>,
    /// Whether the forecast was asked for since the last (re)load (asked once, even if it fails).
    pub forecast_asked: bool,
}

impl Default for ReceivablesView {
    /// Largest total first, as `settle report aging` sorts.
    fn default() -> Self {
        ReceivablesView {
            filter: Filter::default(),
            ledger: 0,
            column: 6,
            descending: true,
            rows: Vec::new(),
            cursor: Cursor::default(),
            forecast: None,
            forecast_asked: false,
        }
    }
}

impl ReceivablesView {
    pub fn rebuild(&mut self, book: &ScreenData) {
        let keep = self.selected(book);
        if self.ledger >= book.ledgers.len() {
            self.ledger = 0;
        }
        let aging: &[AgingLine] = book.ledger(self.ledger).map_or(&[], |l| l.aging.as_slice());
        let q = self.filter.query();
        self.rows =
            (0..aging.len()).filter(|i| q.is_empty() || aging[*i].name.to_lowercase().contains(&q)).collect();
        let col = self.column;
        if col == 0 {
            self.rows.sort_by_cached_key(|i| crate::domain::text::sort_key(&aging[*i].name));
        } else {
            // Ties by name, so the order never depends on the previous sort.
            self.rows.sort_by(|a, b| {
                let (a, b) = (&aging[*a], &aging[*b]);
                a.cents[col - 1].cmp(&b.cents[col - 1]).then_with(|| b.name.cmp(&a.name))
            });
        }
        if self.descending {
            self.rows.reverse();
        }
        self.cursor.set_len(self.rows.len());
        if let Some(at) = keep.and_then(|id| self.rows.iter().position(|r| aging[*r].customer_id == Some(id)))
        {
            self.cursor.select(at);
        }
    }

    pub fn selected(&self, book: &ScreenData) -> Option<crate::domain::customer::CustomerId> {
        book.ledger(self.ledger)?.aging.get(*self.rows.get(self.cursor.selected())?)?.customer_id
    }

    /// The shown ledger's line on a row of the table.
    pub fn line<'a>(&self, book: &'a ScreenData, row: usize) -> Option<&'a AgingLine> {
        book.ledger(self.ledger)?.aging.get(*self.rows.get(row)?)
    }

    /// `$`: the next currency (round to the first); false when the book has only one.
    pub fn next_currency(&mut self, book: &ScreenData) -> bool {
        if book.ledgers.len() < 2 {
            return false;
        }
        self.ledger = (self.ledger + 1) % book.ledgers.len();
        self.rows.clear();
        self.cursor.select(0);
        self.rebuild(book);
        true
    }

    /// `<` / `>` pick the sort column (names A–Z, amounts largest first); `s` reverses.
    pub fn sort(&mut self, action: Action, book: &ScreenData) {
        sort_step(&mut self.column, &mut self.descending, action, COLUMNS);
        self.rebuild(book);
    }
}
