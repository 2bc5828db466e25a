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
/// [`THREADS_FROM`] but in tests). On a book in memory, or a small one, one thread does it all.
pub fn over_open_invoices<S: Send>(
    store: &Store,
    (ranges, from): (i64, i64),
    start: impl Fn(&Store) -> Result<S> + Sync,
    offer: impl Fn(&mut S, OpenRow<'_>, &[LadderEvent]) -> Result<()> + Sync,
    merge: impl FnOnce(&mut S, S) -> Result<()>,
) -> Result<S> {
    let ranges = match store.path() {
        Some(path) => store.open_ranges(ranges, from)?.map(|r| (path.to_path_buf(), r)),
        None => None,
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
    let Some((path, ranges)) = ranges else {
        let mut all = Some(OpenIds::ALL);
        return share(store, Box::new(move || all.take()));
    };
    crate::platform::memory::one_arena();
    let next = AtomicUsize::new(0);
    let take = || ranges.get(next.fetch_add(1, Ordering::Relaxed)).copied();
    std::thread::scope(|scope| {
        let (share, take, path) = (&share, &take, &path);
        let other = scope.spawn(move || share(&Store::open_read_only(path)?, Box::new(take)));
        let mut state = share(store, Box::new(take))?;
        let stopped = || StoreError::Invalid("a share of the pass over the open invoices stopped".into());
        merge(&mut state, other.join().map_err(|_| stopped())??)?;
        Ok(state)
    })
}
