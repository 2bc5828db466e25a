//! Telling another program's changes to the book from the app's own. SQLite's
//! `PRAGMA data_version` moves when another connection commits, but also when this one
//! switches its journal mode, as the demo's whole-book write does: so what the book is
//! after the app's own step counts as seen.

use std::cell::Cell;

use crate::store::{Result, Store};

/// The book's `data_version` as last seen.
pub struct Watch {
    seen: Cell<i64>,
}

impl Watch {
    pub fn new(store: &Store) -> Result<Watch> {
        Ok(Watch { seen: Cell::new(store.data_version()?) })
    }

    /// Runs one of the app's own steps (its writes included), after which the book as it is
    /// counts as seen: unless another program had changed it before the step, which the
    /// next tick still tells. (Should another program commit during the step, the app's own
    /// reload after its write shows it anyway.)
    pub fn own<T>(&self, store: &mut Store, step: impl FnOnce(&mut Store) -> T) -> T {
        let unseen = store.data_version().map_or(true, |v| v != self.seen.get());
        let out = step(store);
        if !unseen && let Ok(now) = store.data_version() {
            self.seen.set(now);
        }
        out
    }

    /// Whether another program changed the book since it was last seen (the tick's check).
    pub fn changed_elsewhere(&self, store: &Store) -> Result<bool> {
        let now = store.data_version()?;
        Ok(self.seen.replace(now) != now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::NewCustomer;
    use crate::service::demo::{DemoOptions, write_demo};

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    /// The demo loaded with `d` on a new book is the app's own write, though it switches the
    /// journal mode; a customer added by another program is not, even when the app writes
    /// something itself before the tick looks.
    #[test]
    fn the_apps_own_demo_is_not_another_programs_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let mut store = Store::open(&path).unwrap();
        let watch = Watch::new(&store).unwrap();
        let opts = DemoOptions { customers: 3, invoices: 10, seed: 1, busy: false };
        watch.own(&mut store, |s| write_demo(s, &opts, today())).unwrap();
        assert!(!watch.changed_elsewhere(&store).unwrap(), "the demo is the app's own write");

        let other = Store::open(&path).unwrap();
        other.add_customer(&NewCustomer::named("From elsewhere")).unwrap();
        watch.own(&mut store, |s| s.add_customer(&NewCustomer::named("Own"))).unwrap();
        assert!(watch.changed_elsewhere(&store).unwrap(), "another program's customer is told");
        assert!(!watch.changed_elsewhere(&store).unwrap(), "and told once");
    }
}
