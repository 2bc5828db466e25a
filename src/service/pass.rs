//! The pass over the open invoices with their ladder events (the agenda's and the aging's
//! input), shared by two threads on a large book in a file: each thread has its own read-only
//! connection and its own state, takes the next range of ids as it is done with one (the
//! ranges hold more or fewer invoices), and the two states are merged at the end.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::store::{LadderEvent, OpenIds, OpenRow, Result, Store, StoreError};

/// How many ranges of ids the pass is cut into when threads share it, and from how wide a
/// span of ids on (below, one thread does it all).
pub const RANGES: i64 = 64;
pub const THREADS_FROM: i64 = 20_000;

/// Each connection's page cache during the pass, in KiB. The pass reads each page once, in
/// order, so SQLite's 2 MiB keep little it reads again (measured at 1M, with the claims' read
/// after it on the same cache: `report agenda` 35 to 31 MB at its peak, and no slower; 128 KiB
/// was 30 % slower).
pub const PAGE_CACHE_KIB: u32 = 512;

/// One pass over the open invoices: `start` makes a thread's state (on that thread's
/// connection), `offer` gives it each invoice, `merge` takes the other thread's state into
/// the first's. `ranges` and `from` as [`Store::open_ranges`] takes them ([`RANGES`] and
/// [`THREADS_FROM`] but in tests). On a book in memory, or a small one, or inside a
/// transaction, one thread does it all, in one read transaction; two threads' pass stands
/// only if no other program committed while they read ([`Store::one_state_or_again`]), else
/// one thread reads it again.
pub fn over_open_invoices<S: Send>(
    store: &Store,
    (ranges, from): (i64, i64),
    start: impl Fn(&Store) -> Result<S> + Sync,
    offer: impl Fn(&mut S, OpenRow<'_>, &[LadderEvent]) -> Result<()> + Sync,
    merge: impl FnOnce(&mut S, S) -> Result<()>,
) -> Result<S> {
    // Inside a transaction, only this connection sees what it wrote: one thread.
    let ranges = match store.path() {
        Some(path) if store.conn().is_autocommit() => {
            store.open_ranges(ranges, from)?.map(|r| (path.to_path_buf(), r))
        }
        _ => None,
    };
    // One thread's share: the ranges `take` gives, one after the other, until it gives none.
    let share = |store: &Store, mut take: Box<dyn FnMut() -> Option<OpenIds> + '_>| -> Result<S> {
        let mut state = start(store)?;
        let mut failed = None;
        store.with_page_cache(PAGE_CACHE_KIB, || {
            while let Some(ids) = take() {
                store.each_open_invoice_with_events_in(ids, |r, events| {
                    if failed.is_none()
                        && let Err(e) = offer(&mut state, r, events)
                    {
                        failed = Some(e);
                    }
                })?;
            }
            Ok(())
        })?;
        match failed {
            Some(e) => Err(e),
            None => Ok(state),
        }
    };
    // One thread alone reads every open invoice, in one read transaction.
    let alone = || {
        store.in_one_reading(|| {
            let mut all = Some(OpenIds::ALL);
            share(store, Box::new(move || all.take()))
        })
    };
    let Some((path, ranges)) = ranges else { return alone() };
    // Two connections read in transactions of their own, range after range: should another
    // program commit meanwhile, they may have read the book before and after it, and the
    // pass is read again on one thread.
    store.one_state_or_again(
        || {
            crate::platform::memory::one_arena();
            let next = AtomicUsize::new(0);
            let take = || ranges.get(next.fetch_add(1, Ordering::Relaxed)).copied();
            std::thread::scope(|scope| {
                let (share, take, path) = (&share, &take, &path);
                let other = scope.spawn(move || share(&Store::open_read_only(path)?, Box::new(take)));
                let mut state = share(store, Box::new(take))?;
                let stopped =
                    || StoreError::Invalid("a share of the pass over the open invoices stopped".into());
                merge(&mut state, other.join().map_err(|_| stopped())??)?;
                Ok(state)
            })
        },
        alone,
    )
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use chrono::NaiveDate;

    use super::*;
    use crate::service::demo::{DemoOptions, write_demo};

    /// How many open invoices a pass shared by two threads (eight ranges) offers; `meanwhile`
    /// runs as each is offered.
    fn count_open(store: &Store, meanwhile: impl Fn() + Sync) -> Result<usize> {
        over_open_invoices(
            store,
            (8, 0),
            |_| Ok(0),
            |n, _, _| {
                meanwhile();
                *n += 1;
                Ok(())
            },
            |n, other| {
                *n += other;
                Ok(())
            },
        )
    }

    /// Another program pays every invoice while the two threads are in the middle of their
    /// pass (as the first invoice is offered, with more ranges to read): what they read mixes
    /// the book before and after, so the pass is read again, and finds nothing open.
    #[test]
    fn a_pass_on_two_threads_is_read_again_if_another_program_commits_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let mut store = Store::open(&path).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let opts = DemoOptions { customers: 10, invoices: 400, seed: 3, busy: true };
        write_demo(&mut store, &opts, today).unwrap();
        let open = count_open(&store, || {}).unwrap();
        assert!(open > 8, "{open} open invoices");
        let paid = AtomicBool::new(false);
        let offered = AtomicUsize::new(0);
        let read = count_open(&store, || {
            offered.fetch_add(1, Ordering::Relaxed);
            if !paid.swap(true, Ordering::Relaxed) {
                let other = rusqlite::Connection::open(&path).unwrap();
                other.execute("UPDATE invoices SET open_cents = 0, is_open = 0", []).unwrap();
            }
        })
        .unwrap();
        assert_eq!(read, 0, "the pass that stands was read after the other program's commit");
        assert!(offered.load(Ordering::Relaxed) >= 1);
    }
}
