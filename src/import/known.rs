//! Telling the lines of a statement already dealt with, by an earlier import or by an
//! earlier line of the same statement, by the one rule of [`BookWriter::bank_entry`].
//!
//! Every bank entry is normally looked for through one index, by day and amount. A statement
//! long for its book builds that index again once its first pass is done
//! ([`Bulk::Statement`](crate::store::Bulk::Statement)): meanwhile a line is looked for among
//! the entries the book had before, through an index of their own, and among the statement's
//! own entries only if it may repeat another of its lines. A line can be the same as another
//! only with the same day and amount, and the same rank or the same bank reference; so one
//! pass over the short hashes of those of every line finds the few that may (none in a CSV
//! statement, which settle numbers itself; every line of a camt.053 file that holds the same
//! statement twice), whose entries are then kept by id.

use std::collections::{HashMap, HashSet};

use super::bank::short_hash;
use crate::store::{Among, BankKey, BookWriter, KnownEntry, Result};

/// Where the lines already dealt with are looked for.
#[derive(Debug, Default)]
pub(super) struct KnownLines {
    deferred: Option<Deferred>,
}

#[derive(Debug)]
struct Deferred {
    /// The last entry the book had before the statement.
    before: i64,
    /// The short hashes more than one line of the statement has.
    repeats: HashSet<u32>,
    /// The entries recorded for lines that may repeat, by the short hash of their day and
    /// amount.
    recorded: HashMap<u32, Vec<i64>>,
}

/// The short hashes by which a line may be the same as another: its day, amount and rank,
/// and its day, amount and bank reference.
fn sameness(key: &BankKey<'_>) -> [Option<u32>; 2] {
    [
        Some(short_hash(&(0u8, key.booked, key.cents, key.seq))),
        key.reference.map(|r| short_hash(&(1u8, key.booked, key.cents, r))),
    ]
}

impl KnownLines {
    /// Through the index of every entry.
    pub fn indexed() -> KnownLines {
        KnownLines::default()
    }

    /// While the index is built again: the entries up to `before` through their own, and
    /// the statement's for the lines that may repeat another ([`Repeating`]).
    pub fn deferred(before: i64, repeating: Repeating) -> KnownLines {
        KnownLines { deferred: Some(Deferred { before, repeats: repeating.0, recorded: HashMap::new() }) }
    }

    /// The index of every entry is whole again.
    pub fn indexed_again(&mut self) {
        self.deferred = None;
    }

    /// What became of the line with this key, if it was dealt with before.
    pub fn find(&self, w: &BookWriter<'_>, key: &BankKey<'_>) -> Result<Option<KnownEntry>> {
        let Some(d) = &self.deferred else {
            return w.bank_entry(key, Among::All);
        };
        // The book's entries have the lower ids: found first, as among all of them.
        if let Some(found) = w.bank_entry(key, Among::UpTo(d.before))? {
            return Ok(Some(found));
        }
        if !d.may_repeat(key) {
            return Ok(None);
        }
        for id in d.recorded.get(&short_hash(&(key.booked, key.cents))).into_iter().flatten() {
            if let Some(found) = w.bank_entry(key, Among::Id(*id))? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Remembers the line with this key ([`BookWriter::record_bank_entry`]).
    pub fn record(
        &mut self,
        w: &BookWriter<'_>,
        key: &BankKey<'_>,
        payment: Option<i64>,
        how: &str,
    ) -> Result<()> {
        let id = w.record_bank_entry(key, payment, how)?;
        if let Some(d) = &mut self.deferred
            && d.may_repeat(key)
        {
            d.recorded.entry(short_hash(&(key.booked, key.cents))).or_default().push(id);
        }
        Ok(())
    }
}

/// The short hashes more than one line of a statement has, by which its lines may be the
/// same as another of its lines.
#[derive(Debug)]
pub(super) struct Repeating(HashSet<u32>);

impl Repeating {
    /// From the keys `each` gives (every line's, in any order; `lines` of them at most):
    /// 8 bytes a line while they are sorted, then only the repeated ones (at 1M, made before
    /// the import's page cache fills, so that its peak stays where it was).
    pub fn find<E>(
        lines: usize,
        each: impl FnOnce(&mut dyn FnMut(&BankKey<'_>)) -> Result<(), E>,
    ) -> Result<Repeating, E> {
        let mut hashes: Vec<u32> = Vec::with_capacity(lines.saturating_mul(2));
        each(&mut |key| hashes.extend(sameness(key).into_iter().flatten()))?;
        hashes.sort_unstable();
        Ok(Repeating(hashes.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect()))
    }
}

impl Deferred {
    fn may_repeat(&self, key: &BankKey<'_>) -> bool {
        sameness(key).into_iter().flatten().any(|h| self.repeats.contains(&h))
    }
}
