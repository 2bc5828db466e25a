//! Applying parsed records to the book, all in one transaction: commit only when no record
//! has a problem, something changed and this is not a dry run; otherwise roll back.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::bank::Candidate;
use super::model::{BankLine, CustomerRef, Origin};
use super::{ImportError, Problem};
use crate::domain::customer::NewCustomer;
use crate::domain::invoice::PaymentKind;
use crate::domain::money::{Money, plain_amount};
use crate::store::{BookWriter, CustomerKey, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Change rows already in the book whose fields differ, instead of refusing them.
    pub update: bool,
    /// Check and report everything, write nothing.
    pub dry_run: bool,
    /// The most changes the outcome holds (every one is counted): `None` holds them all.
    pub keep: Option<usize>,
}

/// One change an import makes (or, in a dry run, would make).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    NewCustomer {
        name: String,
    },
    CustomerDetails {
        name: String,
    },
    UpdatedCustomer {
        name: String,
        what: Vec<String>,
    },
    NewInvoice {
        number: String,
        customer: String,
        amount: Money,
        due: NaiveDate,
    },
    UpdatedInvoice {
        number: String,
        what: Vec<String>,
    },
    Credit {
        note: String,
        invoice: String,
        amount: Money,
    },
    UnappliedCredit {
        note: String,
        customer: String,
        amount: Money,
    },
    Payment {
        at: String,
        invoice: String,
        customer: String,
        amount: Money,
        kind: PaymentKind,
    },
    /// A bank line whose money was already recorded by hand: the two are linked, nothing is
    /// recorded again.
    Linked {
        at: String,
        invoice: String,
        amount: Money,
        on: NaiveDate,
    },
    /// A bank line set aside (not a customer's payment): never proposed again.
    SetAside {
        at: String,
        amount: Money,
    },
    /// The PDF an e-invoice embeds, kept as the invoice's own PDF.
    InvoicePdf {
        number: String,
        path: PathBuf,
    },
}

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NewCustomer,
    CustomerDetails,
    UpdatedCustomer,
    NewInvoice,
    UpdatedInvoice,
    Credit,
    UnappliedCredit,
    Payment,
    Linked,
    SetAside,
    InvoicePdf,
}

const KINDS: usize = 11;

impl Change {
    pub fn kind(&self) -> Kind {
        match self {
            Change::NewCustomer { .. } => Kind::NewCustomer,
            Change::CustomerDetails { .. } => Kind::CustomerDetails,
            Change::UpdatedCustomer { .. } => Kind::UpdatedCustomer,
            Change::NewInvoice { .. } => Kind::NewInvoice,
            Change::UpdatedInvoice { .. } => Kind::UpdatedInvoice,
            Change::Credit { .. } => Kind::Credit,
            Change::UnappliedCredit { .. } => Kind::UnappliedCredit,
            Change::Payment { .. } => Kind::Payment,
            Change::Linked { .. } => Kind::Linked,
            Change::SetAside { .. } => Kind::SetAside,
            Change::InvoicePdf { .. } => Kind::InvoicePdf,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::NewCustomer { name } => write!(f, "new customer {name}"),
            Change::CustomerDetails { name } => write!(f, "contact details filled in for {name}"),
            Change::UpdatedCustomer { name, what } => write!(f, "customer {name}: {}", what.join("; ")),
            Change::NewInvoice { number, customer, amount, due } => {
                write!(f, "new invoice {number} for {customer}: {amount}, due {due}")
            }
            Change::UpdatedInvoice { number, what } => write!(f, "invoice {number}: {}", what.join("; ")),
            Change::Credit { note, invoice, amount } => {
                write!(f, "credit note {note} reduces {invoice} by {amount}")
            }
            Change::UnappliedCredit { note, customer, amount } => write!(
                f,
                "credit note {note}: {amount} for {customer} found no open invoice to reduce; kept as unapplied"
            ),
            Change::Payment { at, invoice, customer, amount, kind } => match kind {
                PaymentKind::Payment => write!(f, "{at}: payment of {amount} on {invoice} ({customer})"),
                other => write!(f, "{at}: {other} of {amount} on {invoice} ({customer})"),
            },
            Change::Linked { at, invoice, amount, on } => write!(
                f,
                "{at}: {amount} was already recorded by hand on {invoice} ({on}); linked, not recorded again"
            ),
            Change::SetAside { at, amount } => {
                write!(f, "{at}: {amount} set aside, not a customer's payment")
            }
            Change::InvoicePdf { number, path } => {
                write!(f, "invoice {number}: its PDF kept as {}", path.display())
            }
        }
    }
}

/// A bank line that matched no invoice, why, and the closest open invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    /// The line's place among the lines imported (0-based).
    pub index: usize,
    pub line: BankLine,
    pub reason: String,
    pub candidates: Vec<Candidate>,
}

/// What an import did (or would do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The changes in order, as many as [`Options::keep`] lets it hold (see [`Outcome::push`]).
    pub changes: Vec<Change>,
    /// How many changes of each kind (by [`Kind`]) were made, held or not.
    counts: [usize; KINDS],
    /// The most changes held; `None`: all.
    keep: Option<usize>,
    /// Rows already in the book exactly as the file has them (or bank lines already recorded).
    pub unchanged: usize,
    /// Outgoing or zero bank lines, which settle does not record.
    pub outgoing: usize,
    /// The bank lines that matched nothing, when the import keeps them (the app); the
    /// command line has each one as it is found instead.
    pub unmatched: Vec<Unmatched>,
    /// How many bank lines matched nothing (whether kept in `unmatched` or not).
    pub not_matched: usize,
    pub ignored_columns: Vec<String>,
    /// The automatic backup of the book as it was, taken just before the import was
    /// committed (a long statement's: before it wrote anything).
    pub backup: Option<PathBuf>,
    /// What the files hold that the import left out, said without refusing them.
    pub warnings: Vec<Problem>,
    /// The files the import wrote (the invoices' PDFs): removed again unless it commits.
    pub written: Vec<PathBuf>,
    pub dry_run: bool,
}

impl Outcome {
    /// Counts a change, and holds it if there is room.
    pub fn push(&mut self, change: Change) {
        self.counts[change.kind() as usize] += 1;
        if self.keep.is_none_or(|k| self.changes.len() < k) {
            self.changes.push(change);
        }
    }

    /// How many changes of these kinds were made.
    pub fn count(&self, kinds: &[Kind]) -> usize {
        kinds.iter().map(|k| self.counts[*k as usize]).sum()
    }

    /// How many changes were made in all.
    pub fn changed(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// Why applying one record failed: a problem to report with the others, or a database
/// failure that stops the import.
pub enum Fail {
    Problem(Problem),
    Store(StoreError),
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Store(e)
    }
}

/// A store refusal about one record (a bad email, an over-payment) becomes a problem.
pub(crate) fn row_fail(origin: &Origin, e: StoreError) -> Fail {
    match e {
        StoreError::Invalid(m) | StoreError::Conflict(m) | StoreError::NotFound(m) => {
            Fail::Problem(origin.problem(m))
        }
        StoreError::Field(f) => Fail::Problem(origin.problem(f.to_string())),
        other => Fail::Store(other),
    }
}

/// Runs `apply` in one transaction. Problems roll everything back and come out as an
/// [`ImportError`]; a dry run, or an import that changes nothing, rolls back too; otherwise
/// an automatic backup of the book as it was is taken, then the import is committed. The
/// connection is set for the bulk write, and put back as it was after, whatever the end.
pub(crate) fn in_transaction(
    store: &mut Store,
    opts: Options,
    apply: impl FnOnce(&BookWriter<'_>, &mut Outcome, &mut Vec<Problem>) -> Result<(), StoreError>,
) -> anyhow::Result<Outcome> {
    let before = store.prepare_for_bulk_write()?;
    let outcome = write_in_transaction(store, opts, Backup::BeforeCommit, apply);
    // The app goes on with its own settings (and not the 1 MiB an import with lines that
    // named no invoice kept: `BookWriter::release_cache`).
    store.put_back(before)?;
    outcome
}

/// Runs `apply` as [`in_transaction`] does, for a write long for its book: with a rollback
/// journal ([`Store::write_in_bulk`]), under which no other connection can read the book
/// once the write has put pages in it, so the automatic backup is taken first, as soon as
/// the transaction holds the book (nothing else can change it from then on: the same book
/// as just before the commit), and removed again if nothing is committed.
pub(crate) fn in_bulk_transaction(
    store: &mut Store,
    opts: Options,
    apply: impl FnOnce(&BookWriter<'_>, &mut Outcome, &mut Vec<Problem>) -> Result<(), StoreError>,
) -> anyhow::Result<Outcome> {
    let before = store.prepare_for_bulk_write()?;
    let outcome = store.write_in_bulk(|store| Ok(write_in_transaction(store, opts, Backup::First, apply)));
    store.put_back(before)?;
    outcome?
}

/// When an import's automatic backup is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backup {
    /// Just before the commit, from another connection reading the book as last committed.
    BeforeCommit,
    /// As the transaction begins, before anything is written.
    First,
}

/// A backup taken before an import wrote anything: removed when dropped, unless the import
/// reached its commit.
struct EarlyBackup(Option<PathBuf>);

impl EarlyBackup {
    fn keep(&mut self) -> Option<PathBuf> {
        self.0.take()
    }
}

impl Drop for EarlyBackup {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            // Best effort: a backup left behind is one more, pruned with the others.
            let _ = std::fs::remove_file(path);
        }
    }
}

fn write_in_transaction(
    store: &mut Store,
    opts: Options,
    when: Backup,
    apply: impl FnOnce(&BookWriter<'_>, &mut Outcome, &mut Vec<Problem>) -> Result<(), StoreError>,
) -> anyhow::Result<Outcome> {
    let path = store.path().map(PathBuf::from);
    let writer = store.book_writer()?;
    let mut early = EarlyBackup(match &path {
        Some(path) if when == Backup::First && !opts.dry_run => {
            Some(crate::store::backup::auto_backup_unpruned(path)?)
        }
        _ => None,
    });
    let mut outcome = Outcome { dry_run: opts.dry_run, keep: opts.keep, ..Outcome::default() };
    let mut problems = Vec::new();
    // The files written go again with the transaction: an import is all or nothing.
    let forget = |written: &[PathBuf]| {
        for f in written {
            let _ = std::fs::remove_file(f);
            if let Some(dir) = f.parent() {
                // Only if empty: the folder may hold earlier imports' files.
                let _ = std::fs::remove_dir(dir);
            }
        }
    };
    if let Err(e) = apply(&writer, &mut outcome, &mut problems) {
        forget(&outcome.written);
        return Err(e.into());
    }
    if !problems.is_empty() || opts.dry_run || outcome.changed() == 0 {
        forget(&outcome.written);
        if !problems.is_empty() {
            return Err(ImportError::new(problems).into());
        }
        outcome.written.clear();
        return Ok(outcome);
    }
    let committed = (|| -> anyhow::Result<()> {
        if let Some(path) = path {
            outcome.backup = Some(match early.keep() {
                Some(taken) => {
                    crate::store::backup::prune_auto_backups(&path)?;
                    taken
                }
                // Another connection reads the book as last committed (WAL readers never
                // wait for this transaction), so the backup is the book just before the import.
                None => crate::store::backup::auto_backup(&path)?,
            });
        }
        writer.commit()?;
        Ok(())
    })();
    if let Err(e) = committed {
        forget(&outcome.written);
        return Err(e);
    }
    Ok(outcome)
}

/// The book's customers, matched by VAT number, electronic address, then name.
pub(crate) struct CustomerIndex {
    keys: Vec<CustomerKey>,
    by_name: HashMap<String, usize>,
    by_vat: HashMap<String, usize>,
    by_digits: HashMap<String, usize>,
}

fn vat_key(v: &str) -> String {
    v.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

fn digits(v: &str) -> String {
    v.chars().filter(char::is_ascii_digit).collect()
}

impl CustomerIndex {
    pub fn load(w: &BookWriter<'_>) -> Result<CustomerIndex, StoreError> {
        let mut idx = CustomerIndex {
            keys: Vec::new(),
            by_name: HashMap::new(),
            by_vat: HashMap::new(),
            by_digits: HashMap::new(),
        };
        for key in w.customer_keys()? {
            idx.insert(key);
        }
        Ok(idx)
    }

    pub fn insert(&mut self, key: CustomerKey) {
        let i = self.keys.len();
        self.by_name.insert(key.name.trim().to_ascii_lowercase(), i);
        if let Some(vat) = key.vat.as_deref().filter(|v| !v.trim().is_empty()) {
            self.by_vat.insert(vat_key(vat), i);
            let d = digits(vat);
            if d.len() >= 8 {
                self.by_digits.insert(d, i);
            }
        }
        self.keys.push(key);
    }

    pub fn by_name(&self, name: &str) -> Option<&CustomerKey> {
        self.by_name.get(&name.trim().to_ascii_lowercase()).map(|i| &self.keys[*i])
    }

    pub fn find(&self, c: &CustomerRef) -> Option<&CustomerKey> {
        let vat = c.vat.as_deref().and_then(|v| self.by_vat.get(&vat_key(v)));
        let by_digits = || {
            [c.vat.as_deref(), c.endpoint.as_deref()]
                .into_iter()
                .flatten()
                .map(digits)
                .filter(|d| d.len() >= 8)
                .find_map(|d| self.by_digits.get(&d))
        };
        match vat.or_else(by_digits) {
            Some(i) => Some(&self.keys[*i]),
            None => self.by_name(&c.name),
        }
    }

    /// The customer for a record: found (its blank contact fields filled in) or created.
    pub fn resolve(
        &mut self,
        w: &BookWriter<'_>,
        c: &CustomerRef,
        out: &mut Outcome,
    ) -> Result<CustomerKey, StoreError> {
        if let Some(key) = self.find(c).cloned() {
            if w.fill_customer_blanks(
                key.id,
                c.contact.as_deref(),
                c.email.as_deref(),
                c.phone.as_deref(),
                c.vat.as_deref(),
                c.address.as_deref(),
            )? {
                out.push(Change::CustomerDetails { name: key.name.clone() });
            }
            return Ok(key);
        }
        let new = NewCustomer {
            contact: c.contact.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            vat: c.vat.clone(),
            address: c.address.clone(),
            ..NewCustomer::named(c.name.trim())
        };
        let id = w.add_customer(&new)?;
        let key =
            CustomerKey { id, name: new.name.clone(), vat: new.vat.clone(), terms_days: new.terms_days };
        out.push(Change::NewCustomer { name: new.name });
        self.insert(key.clone());
        Ok(key)
    }
}

/// "field old → new", for the list of what an update changes.
pub(crate) fn differs(field: &str, old: impl fmt::Display, new: impl fmt::Display) -> String {
    format!("{field} {old} → {new}")
}

pub(crate) fn money_text(cents: i64) -> String {
    plain_amount(crate::domain::money::from_cents(cents))
}
