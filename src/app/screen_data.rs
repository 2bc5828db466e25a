//! What the screens show, loaded from the store when data changes (at start, after a write,
//! when another process wrote) and never per frame.
//!
//! One pass over the open invoices (a covering index) gives the agenda, the aging buckets
//! and the open counts. Money and sentences are formatted once: the tables' when loaded,
//! the agenda's (which can hold a hundred thousand lines) the first time a line is shown.

use std::cell::OnceCell;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::agenda::{AgendaItem, Folds, SectionKind, fold_by_customer, group_total, group_words};
use crate::domain::aging::{AgingReport, AgingRow, Bucket, Buckets};
use crate::domain::customer::{Customer, CustomerId};
use crate::domain::dates::add_days;
use crate::domain::dso::dso;
use crate::domain::idmap::IdMap;
use crate::domain::money::{Currency, Money, format_amount, from_cents};
use crate::domain::numbers::Numbers;
use crate::domain::policy::Step;
use crate::domain::text::sort_key;
use crate::service::agenda::{AgendaBuilder, FIRST_SECTIONS, Settled, TodayAgenda};
use crate::service::{CustomerFacts, pass};
use crate::store::{LadderEvent, OpenRow, Result, Store};

/// From how many open invoices the first frame is a first look ([`Pending::Book`]): below,
/// the whole of Today loads in a few milliseconds.
pub const FIRST_LOOK_FROM: i64 = 5_000;
/// At most how many invoices a first look offers one by one (those due since the previous
/// run and those calls name); more, and the whole pass is as quick.
const FIRST_LOOK_MOST: usize = 20_000;

/// The period DSO looks back over.
pub const DSO_DAYS: i64 = 90;

/// Everything the tabs show.
#[derive(Debug, Clone, Default)]
pub struct ScreenData {
    /// No customers and no invoices: the welcome screen.
    pub empty: bool,
    pub today: NaiveDate,
    pub currency: Currency,
    /// One per currency with something open: the book's currency first (always there, even
    /// with nothing open in it), then the others by code.
    pub ledgers: Vec<Ledger>,
    /// The agenda, flattened: section titles and their items.
    pub agenda: Vec<AgendaLine>,
    /// The agenda's items, in the lists they were worked out in ([`ItemAt`]).
    items: Vec<Vec<AgendaItem>>,
    /// The agenda's items' invoice numbers, by `AgendaItem::index`.
    numbers: Numbers,
    /// Each agenda line's text, written the first time it is drawn.
    texts: Vec<OnceCell<Box<ItemText>>>,
    /// For each agenda line, the line of the group it is folded into, if any.
    parents: Vec<Option<u32>>,
    /// The sections' titles and the groups, as the agenda's lines point at them.
    titles: Vec<Title>,
    groups: Vec<GroupLine>,
    pub open_invoices: i64,
    /// Every customer, by name.
    pub customers: Vec<CustomerLine>,
    by_id: IdMap<CustomerId, usize>,
    /// The day of the previous run.
    since: NaiveDate,
    /// Each section's kind and the line of its title, in the order of `agenda`.
    sections: Vec<(SectionKind, usize)>,
    /// What is still to load, after the first frame.
    pending: Pending,
}

/// What a first frame went without ([`ScreenData::load_first`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pending {
    #[default]
    Nothing,
    /// The header's DSO and the agenda's claims and thank-yous (the invoices settled lately):
    /// [`ScreenData::load_the_rest`], on the same connection.
    Settled,
    /// A large book's first look: the header's open and overdue amounts, the customers, and
    /// the agenda's first sections ([`FIRST_SECTIONS`]). The rest of the agenda, the aged
    /// receivables and the customers' figures come with a whole [`ScreenData::load`], made
    /// on another connection.
    Book,
}

/// One currency's figures: the header's totals and the aged receivables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub currency: Currency,
    pub header: Header,
    /// One line per customer with something open in this currency, sorted as the report sorts.
    pub aging: Vec<AgingLine>,
    pub totals: AgingLine,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub open: String,
    pub overdue: String,
    pub dso: String,
    /// What is open, in cents (the DSO is worked out from it).
    pub open_cents: i64,
}

/// A line of Today's agenda, in a few bytes (the agenda of a million invoices has 150,000):
/// what it shows is kept beside, where it points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaLine {
    /// A section's title: [`ScreenData::title`] gives it.
    Section(u32),
    /// A customer's invoices with the same step, folded into one line: [`ScreenData::group_line`]
    /// gives it.
    Group(u32),
    /// An item, kept in [`ScreenData`]'s lists: [`ScreenData::item`] gives it.
    Item(ItemAt),
}

/// A section's title line; `count`: the lines of the section, a customer's group as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub title: String,
    pub count: usize,
}

/// A customer's invoices with the same step, folded into one line
/// ([`crate::domain::agenda::fold_by_customer`]): its `len` items are the lines right after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupLine {
    pub key: GroupKey,
    pub len: usize,
    pub total: Money,
}

/// Where an agenda line's item is kept: the list it came in (a section of the agenda as it was
/// worked out) and its place there. The items stay where they were worked out; the lines only
/// point at them (at a million invoices the agenda holds 150,000 items of 120 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAt {
    list: u32,
    at: u32,
}

/// What names a customer's group across reloads: the customer, the step and the currency.
pub type GroupKey = (CustomerId, Option<Step>, Currency);

/// An agenda line in words, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    pub what: String,
    pub why: String,
    pub open: String,
}

/// A line of the aged-receivables table: the five buckets and the total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgingLine {
    pub customer_id: Option<CustomerId>,
    pub name: String,
    pub cents: [i64; 6],
    pub text: [String; 6],
}

impl AgingLine {
    fn new(customer_id: Option<CustomerId>, name: String, b: &Buckets) -> AgingLine {
        let mut cents = [0; 6];
        cents[..5].copy_from_slice(b.cents());
        cents[5] = b.total_cents();
        let text = cents.map(|c| format_amount(from_cents(c)));
        AgingLine { customer_id, name, cents, text }
    }
}

/// A customer's open and overdue amounts in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amounts {
    pub open_cents: i64,
    pub overdue_cents: i64,
    pub open: String,
    pub overdue: String,
}

impl<'a> Matching<'a> {
    /// The customer, when exactly one matches.
    pub fn one(self) -> Option<&'a CustomerLine> {
        match self {
            Matching::One(c) => Some(c),
            _ => None,
        }
    }
}

/// A customer in the Customers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerLine {
    pub customer: Customer,
    pub open_invoices: i64,
    /// What is open and overdue in each currency, in the order of `ScreenData::ledgers`.
    pub amounts: Vec<Amounts>,
    /// Lower-case name, contact and email, for the filters.
    pub search: String,
    /// The name's sort key (case and accents aside): the list's order, name completion.
    pub key: String,
}

/// The customers a typed name can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching<'a> {
    One(&'a CustomerLine),
    None,
    /// Several match: how many, and the first two.
    Several(usize, &'a str, &'a str),
}

/// What one share of the pass over the open invoices collects: per customer (by position)
/// the open count and, per currency, the aging buckets; and the agenda's lines.
struct Share<'a> {
    counts: Vec<i64>,
    per: Vec<(Currency, Vec<Buckets>)>,
    agenda: AgendaBuilder<'a>,
}

impl<'a> Share<'a> {
    /// A share's start, on its connection: nothing counted yet.
    fn start(
        store: &Store,
        config: &'a Config,
        (today, since): (NaiveDate, NaiveDate),
        currency: Currency,
        customers: &[CustomerFacts<'a>],
    ) -> Result<Share<'a>> {
        Ok(Share {
            agenda: AgendaBuilder::with_customers(store, config, today, since, customers)?,
            counts: vec![0; customers.len()],
            per: vec![(currency, vec![Buckets::default(); customers.len()])],
        })
    }

    /// One open invoice of the pass: counted, its open amount in its customer's bucket, and
    /// offered to the agenda.
    fn offer(
        &mut self,
        r: OpenRow<'_>,
        events: &[LadderEvent],
        (today, currency): (NaiveDate, Currency),
        by_id: &IdMap<CustomerId, usize>,
    ) -> Result<()> {
        let Some(at) = by_id.get(&r.customer_id).copied() else { return Ok(()) };
        self.counts[at] += 1;
        let slot = match self.per.iter().position(|(c, _)| c.as_str() == r.currency) {
            Some(slot) => Some(slot),
            None => r.currency.parse::<Currency>().ok().map(|c| {
                self.per.push((c, vec![Buckets::default(); self.counts.len()]));
                self.per.len() - 1
            }),
        };
        if let Some(slot) = slot {
            self.per[slot].1[at].add(Bucket::of(r.due, today), r.open_cents)?;
        }
        self.agenda.offer(&r, events, currency);
        Ok(())
    }

    /// Takes in what `other` collected over another share of the open invoices.
    fn merge(&mut self, other: Share<'_>) -> Result<()> {
        for (count, n) in self.counts.iter_mut().zip(other.counts) {
            *count += n;
        }
        for (currency, buckets) in other.per {
            match self.per.iter_mut().find(|(c, _)| *c == currency) {
                Some((_, mine)) => {
                    for (b, o) in mine.iter_mut().zip(&buckets) {
                        b.add_all(o)?;
                    }
                }
                None => self.per.push((currency, buckets)),
            }
        }
        self.agenda.merge(other.agenda);
        Ok(())
    }
}

impl ScreenData {
    /// Loads the book as of `today`; `since` is the day of the previous run.
    pub fn load(store: &Store, config: &Config, today: NaiveDate, since: NaiveDate) -> Result<ScreenData> {
        ScreenData::load_sharing(store, config, today, since, pass::RANGES, pass::THREADS_FROM, true)
    }

    /// What the first frame shows, as quick as the book allows: on a book with fewer than
    /// `first_look_from` open invoices, Today whole ([`ScreenData::load_today`]); on a larger
    /// one, a first look ([`Pending::Book`]): the header's open and overdue amounts in one scan
    /// of an index, the customers, and the agenda's first sections from the few invoices they
    /// can hold. The rest comes with a whole [`ScreenData::load`].
    pub fn load_first(
        store: &Store,
        config: &Config,
        today: NaiveDate,
        since: NaiveDate,
        first_look_from: i64,
    ) -> Result<ScreenData> {
        match ScreenData::first_look(store, config, today, since, first_look_from)? {
            Some(book) => Ok(book),
            None => ScreenData::load_today(store, config, today, since),
        }
    }

    fn first_look(
        store: &Store,
        config: &Config,
        today: NaiveDate,
        since: NaiveDate,
        from: i64,
    ) -> Result<Option<ScreenData>> {
        let sums = store.open_sums(today)?;
        let open_invoices: i64 = sums.iter().map(|s| s.invoices).sum();
        // A `--today` before the book's last payment or invoice reworks the open amounts:
        // the whole load does that.
        if open_invoices < from || !store.kept_amounts_hold_on(today)? {
            return Ok(None);
        }
        let currency = store.book_currency()?;
        let customers = store.customers()?;
        let facts = CustomerFacts::all(config, &customers);
        let builder = AgendaBuilder::with_customers(store, config, today, since, &facts)?;
        let Some(agenda) = builder.first_sections(store, currency, FIRST_LOOK_MOST)? else {
            return Ok(None);
        };
        // The book's currency first, even with nothing open in it; the others by code.
        let mut currencies = vec![currency];
        currencies.extend(sums.iter().map(|s| s.currency).filter(|c| *c != currency));
        let ledgers = currencies
            .into_iter()
            .map(|c| {
                let sum = sums.iter().find(|s| s.currency == c);
                let (open, overdue) = sum.map_or((0, 0), |s| (s.open_cents, s.overdue_cents));
                Ledger { currency: c, header: header(c, open, overdue, None), ..Ledger::default() }
            })
            .collect();
        // Their figures come with the whole load.
        let none = vec![0; customers.len()];
        let (lines, by_id) = customer_lines(customers, &[], &none);
        let mut book = ScreenData {
            empty: false,
            today,
            since,
            currency,
            open_invoices,
            customers: lines,
            ledgers,
            by_id,
            pending: Pending::Book,
            ..ScreenData::default()
        };
        debug_assert!(agenda.agenda.sections.iter().all(|s| FIRST_SECTIONS.contains(&s.kind)));
        book.add_sections(agenda);
        Ok(Some(book))
    }

    /// What the Today tab shows first (the agenda, the header's open and overdue amounts, the
    /// customers), as fast as the book allows: on a file, the pass over the open invoices is
    /// shared between two threads, each on its own connection. The header's DSO comes with
    /// [`ScreenData::load_the_rest`].
    pub fn load_today(
        store: &Store,
        config: &Config,
        today: NaiveDate,
        since: NaiveDate,
    ) -> Result<ScreenData> {
        ScreenData::load_sharing(store, config, today, since, pass::RANGES, pass::THREADS_FROM, false)
    }

    /// [`ScreenData::load_today`] (or with `whole`, [`ScreenData::load`]: the invoices settled
    /// lately and the DSO too, the agenda's lines put in place once), the pass cut into
    /// `ranges` ranges of ids for two threads when the open invoices span at least `from` ids.
    fn load_sharing(
        store: &Store,
        config: &Config,
        today: NaiveDate,
        since: NaiveDate,
        ranges: i64,
        from: i64,
        whole: bool,
    ) -> Result<ScreenData> {
        let currency = store.book_currency()?;
        // Invoices need a customer: no customer, an empty book.
        let customers = store.customers()?;
        if customers.is_empty() {
            return Ok(ScreenData { empty: true, today, currency, ..ScreenData::default() });
        }
        let by_id: IdMap<CustomerId, usize> = customers.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let facts = CustomerFacts::all(config, &customers);

        // The one pass over the open invoices: per customer (by position) the open count
        // and, per currency, the aging buckets; the agenda's input for what falls due before
        // the horizon. On a file, two threads share it, each taking the next range of ids as
        // it is done (the ranges hold more or fewer invoices and events).
        let share = pass::over_open_invoices(
            store,
            (ranges, from),
            |store| Share::start(store, config, (today, since), currency, &facts),
            |share, r, events| share.offer(r, events, (today, currency), &by_id),
            |share, other| share.merge(other),
        )?;
        let Share { counts, mut per, agenda } = share;
        // For Today alone, the invoices settled lately (claims and thank-yous to propose) come
        // after the first frame, with `load_the_rest`.
        let today_agenda = if whole {
            agenda.finish(store, currency)?
        } else {
            agenda.finish_with(Settled::default(), currency)
        };
        // The kept open amounts are today's unless a payment or an invoice is dated later
        // (a `--today` in the past): then the report recomputes, as `settle report` does.
        let reports = if store.kept_amounts_hold_on(today)? {
            per[1..].sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            let mut reports = Vec::new();
            for (c, buckets) in &per {
                let rows = customers
                    .iter()
                    .zip(buckets)
                    .filter(|(_, b)| b.total_cents() != 0)
                    .map(|(cu, b)| AgingRow { customer_id: cu.id, customer: cu.name.clone(), buckets: *b })
                    .collect();
                let report = AgingReport::new(today, *c, rows)?;
                if *c == currency || !report.rows.is_empty() {
                    reports.push(report);
                }
            }
            reports
        } else {
            store.aging_by_currency(today)?
        };
        let mut ledgers = Vec::new();
        for report in &reports {
            ledgers.push(Ledger {
                currency: report.currency,
                header: header(
                    report.currency,
                    report.totals.total_cents(),
                    report.totals.overdue_cents(),
                    None,
                ),
                aging: report
                    .rows
                    .iter()
                    .map(|r| AgingLine::new(Some(r.customer_id), r.customer.clone(), &r.buckets))
                    .collect(),
                totals: AgingLine::new(None, "Total".into(), &report.totals),
            });
        }

        let (sorted, by_id) = customer_lines(customers, &reports, &counts);

        let mut book = ScreenData {
            empty: false,
            today,
            since,
            currency,
            open_invoices: counts.iter().sum(),
            customers: sorted,
            ledgers,
            by_id,
            pending: if whole { Pending::Nothing } else { Pending::Settled },
            ..ScreenData::default()
        };
        book.add_sections(today_agenda);
        if whole {
            book.add_dso(store)?;
        }
        Ok(book)
    }

    /// What is still to load after the first frame.
    pub fn pending(&self) -> Pending {
        self.pending
    }

    /// Whether this is a large book's first look, the whole book still to come.
    pub fn is_first_look(&self) -> bool {
        self.pending == Pending::Book
    }

    /// What the first frame goes without: each currency's DSO (invoicing over the last 90
    /// days), and the agenda's lines for the invoices settled in the last month (the
    /// interest and costs still claimable, the thank-yous), which read their payments.
    pub fn load_the_rest(&mut self, store: &Store, config: &Config) -> Result<()> {
        if self.pending != Pending::Settled {
            return Ok(());
        }
        self.pending = Pending::Nothing;
        self.add_dso(store)?;
        let customers: Vec<CustomerFacts<'_>> =
            self.customers.iter().map(|c| CustomerFacts::of(config, &c.customer)).collect();
        let settled = AgendaBuilder::with_customers(store, config, self.today, self.since, &customers)?
            .finish(store, self.currency)?;
        self.add_sections(settled);
        Ok(())
    }

    /// Each currency's DSO in the header, from its invoicing over the last [`DSO_DAYS`].
    fn add_dso(&mut self, store: &Store) -> Result<()> {
        let from = add_days(self.today, -DSO_DAYS);
        for ledger in &mut self.ledgers {
            let invoiced = store.invoiced_between(ledger.currency, from, self.today)?;
            ledger.header.dso = dso_text(ledger.header.open_cents, Some(invoiced));
        }
        Ok(())
    }

    /// Puts `more`'s sections among the agenda's, each in its place by kind (their lines
    /// point at invoice numbers after those already kept). The lines are written once, into
    /// an agenda sized for them all (at a million invoices it holds 150,000 lines).
    fn add_sections(&mut self, more: TodayAgenda) {
        let base = self.numbers.len();
        self.numbers.extend(&more.numbers);
        let incoming: Vec<Incoming> = more
            .agenda
            .sections
            .into_iter()
            .map(|mut section| {
                for item in &mut section.items {
                    item.index = item.index.saturating_add(base);
                }
                Incoming::new(section.kind, section.title, section.items)
            })
            .collect();
        // The sections kept, and where their lines are, taken out to go back in their places.
        let old_lines = std::mem::take(&mut self.agenda);
        let old_parents = std::mem::take(&mut self.parents);
        let ends: Vec<usize> = self.sections.iter().skip(1).map(|s| s.1).chain([old_lines.len()]).collect();
        let kept: Vec<(SectionKind, usize, usize)> =
            std::mem::take(&mut self.sections).into_iter().zip(ends).map(|((k, a), b)| (k, a, b)).collect();
        let total = old_lines.len() + incoming.iter().map(Incoming::lines).sum::<usize>();
        self.agenda.reserve_exact(total);
        self.parents.reserve_exact(total);
        let mut old_lines = old_lines.into_iter();
        let mut old_parents = old_parents.into_iter();
        let mut kept = kept.into_iter().peekable();
        for section in incoming {
            // The kept sections of a kind before this one come first (both are in kind order).
            while let Some((kind, from, to)) = kept.next_if(|k| k.0 < section.kind) {
                let start = self.agenda.len();
                self.sections.push((kind, start));
                self.agenda.extend(old_lines.by_ref().take(to - from));
                self.parents
                    .extend(old_parents.by_ref().take(to - from).map(|p| p.map(|p| moved(p, from, start))));
            }
            self.sections.push((section.kind, self.agenda.len()));
            let list = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
            let items = section.push_into(list, self);
            self.items.push(items);
        }
        for (kind, from, to) in kept {
            let start = self.agenda.len();
            self.sections.push((kind, start));
            self.agenda.extend(old_lines.by_ref().take(to - from));
            self.parents
                .extend(old_parents.by_ref().take(to - from).map(|p| p.map(|p| moved(p, from, start))));
        }
        self.texts = vec![OnceCell::new(); self.agenda.len()];
    }

    /// One currency's figures, by position in `ledgers`.
    pub fn ledger(&self, at: usize) -> Option<&Ledger> {
        self.ledgers.get(at)
    }

    pub fn customer(&self, id: CustomerId) -> Option<&CustomerLine> {
        self.customers.get(*self.by_id.get(&id)?)
    }

    pub fn customer_named(&self, name: &str) -> Option<&CustomerLine> {
        let name = name.trim();
        self.customers.iter().find(|c| c.customer.name.eq_ignore_ascii_case(name))
    }

    /// The customer a typed name means: the one named so (case aside), else the only one whose
    /// name starts with it, else the only one whose name holds it (case and accents aside:
    /// "maes" means "Drukkerij Maes BV", "backerei" means "Bäckerei Müller").
    pub fn customer_matching(&self, typed: &str) -> Matching<'_> {
        if let Some(c) = self.customer_named(typed) {
            return Matching::One(c);
        }
        let key = sort_key(typed.trim());
        if key.is_empty() {
            return Matching::None;
        }
        fn pick(found: Vec<&CustomerLine>) -> Option<Matching<'_>> {
            match found.as_slice() {
                [] => None,
                [one] => Some(Matching::One(one)),
                [a, b, ..] => Some(Matching::Several(found.len(), &a.customer.name, &b.customer.name)),
            }
        }
        let starting: Vec<&CustomerLine> =
            self.customers.iter().filter(|c| c.key.starts_with(&key)).collect();
        if let Some(m) = pick(starting) {
            return m;
        }
        let holding: Vec<&CustomerLine> = self.customers.iter().filter(|c| c.key.contains(&key)).collect();
        pick(holding).unwrap_or(Matching::None)
    }

    pub fn customer_name(&self, id: CustomerId) -> &str {
        self.customer(id).map_or("", |c| c.customer.name.as_str())
    }

    /// The invoice number of an agenda item.
    pub fn number(&self, item: &AgendaItem) -> &str {
        self.numbers.get(item.index as usize)
    }

    /// The agenda item on a line, if the line is one.
    pub fn item(&self, line: usize) -> Option<&AgendaItem> {
        match self.agenda.get(line)? {
            AgendaLine::Item(at) => self.items.get(at.list as usize)?.get(at.at as usize),
            AgendaLine::Section(_) | AgendaLine::Group(_) => None,
        }
    }

    /// A section's title ([`AgendaLine::Section`]).
    pub fn title(&self, at: u32) -> Option<&Title> {
        self.titles.get(at as usize)
    }

    /// A customer's group ([`AgendaLine::Group`]).
    pub fn group_line(&self, at: u32) -> Option<&GroupLine> {
        self.groups.get(at as usize)
    }

    /// The line of an invoice's item, if it has one.
    pub fn line_of(&self, invoice: crate::domain::invoice::InvoiceId) -> Option<usize> {
        (0..self.agenda.len()).find(|l| self.item(*l).is_some_and(|i| i.invoice.id == invoice))
    }

    /// The line of the group an item line is folded into, if any.
    pub fn parent(&self, line: usize) -> Option<usize> {
        self.parents.get(line).copied().flatten().map(|p| p as usize)
    }

    /// A group line's key and the lines of its items.
    pub fn group(&self, line: usize) -> Option<(GroupKey, std::ops::Range<usize>)> {
        match self.agenda.get(line)? {
            AgendaLine::Group(at) => {
                let g = self.group_line(*at)?;
                Some((g.key, line + 1..line + 1 + g.len))
            }
            _ => None,
        }
    }

    /// The items a line stands for: itself, or a group's invoices.
    pub fn items_of(&self, line: usize) -> Vec<&AgendaItem> {
        match self.group(line) {
            Some((_, lines)) => lines.filter_map(|l| self.item(l)).collect(),
            None => self.item(line).into_iter().collect(),
        }
    }

    /// Whether a line can be selected: an item or a group, not a section title.
    pub fn is_entry(&self, line: usize) -> bool {
        matches!(self.agenda.get(line), Some(AgendaLine::Item(_) | AgendaLine::Group(_)))
    }

    /// The things to do: the lines of every section, a group counted once.
    pub fn entries(&self) -> usize {
        (0..self.agenda.len()).filter(|l| self.is_entry(*l) && self.parent(*l).is_none()).count()
    }

    /// An agenda line in words, written once, the first time it is asked for: an item's
    /// what, why and amount, or a group's customer and count, step and total.
    pub fn item_text(&self, line: usize) -> Option<&ItemText> {
        let cell = self.texts.get(line)?;
        let text = match self.agenda.get(line)? {
            AgendaLine::Section(_) => return None,
            AgendaLine::Item(_) => {
                let item = self.item(line)?;
                cell.get_or_init(|| {
                    Box::new(ItemText {
                        what: item.what(self.customer_name(item.invoice.customer_id)),
                        why: item.why(self.today),
                        open: item.invoice.open.to_string(),
                    })
                })
            }
            AgendaLine::Group(at) => {
                let g = self.group_line(*at)?;
                cell.get_or_init(|| {
                    let (what, why) = group_words(self.customer_name(g.key.0), g.len, g.key.1);
                    Box::new(ItemText { what, why, open: g.total.to_string() })
                })
            }
        };
        Some(text)
    }
}

/// A section on its way into the agenda: its title, then one line per customer and step where
/// the agenda folds them (the domain's rule), each group's items right after it.
struct Incoming {
    kind: SectionKind,
    title: String,
    items: Vec<AgendaItem>,
    folds: Folds,
    /// Each fold's group line, for those of more than one invoice in one currency.
    groups: Vec<Option<GroupLine>>,
}

impl Incoming {
    fn new(kind: SectionKind, title: String, items: Vec<AgendaItem>) -> Incoming {
        let folds = fold_by_customer(kind, &items);
        let groups = folds
            .iter()
            .map(|fold| {
                let members: Vec<&AgendaItem> = fold.iter().map(|i| &items[*i as usize]).collect();
                match (members.as_slice(), group_total(&members)) {
                    ([first, _, ..], Some(total)) => Some(GroupLine {
                        key: (first.invoice.customer_id, first.step, total.currency),
                        len: members.len(),
                        total,
                    }),
                    _ => None,
                }
            })
            .collect();
        Incoming { kind, title, items, folds, groups }
    }

    /// How many lines it takes: its title, its items and its groups.
    fn lines(&self) -> usize {
        1 + self.items.len() + self.groups.iter().flatten().count()
    }

    /// Writes its lines after the book's (its items pointed at as list `list`), and for each
    /// the line of its group; gives back the items, to keep as that list.
    fn push_into(self, list: u32, book: &mut ScreenData) -> Vec<AgendaItem> {
        book.agenda.push(AgendaLine::Section(as_u32(book.titles.len())));
        book.titles.push(Title { title: self.title, count: self.folds.len() });
        book.parents.push(None);
        for (fold, group) in self.folds.iter().zip(self.groups) {
            let parent = group.map(|g| {
                book.agenda.push(AgendaLine::Group(as_u32(book.groups.len())));
                book.groups.push(g);
                book.parents.push(None);
                as_u32(book.agenda.len() - 1)
            });
            for &at in fold {
                book.agenda.push(AgendaLine::Item(ItemAt { list, at }));
                book.parents.push(parent);
            }
        }
        self.items
    }
}

fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A line `p` of a section that moves from line `from` to line `start`.
fn moved(p: u32, from: usize, start: usize) -> u32 {
    as_u32(p as usize - from + start)
}

/// A currency's header from what is open and overdue; the DSO once the invoicing it reads is
/// known (`…` until then).
fn header(currency: Currency, open_cents: i64, overdue_cents: i64, invoiced_cents: Option<i64>) -> Header {
    let money = |c| Money::from_cents(c, currency).to_string();
    Header {
        open: money(open_cents),
        overdue: money(overdue_cents),
        dso: dso_text(open_cents, invoiced_cents),
        open_cents,
    }
}

fn dso_text(open_cents: i64, invoiced_cents: Option<i64>) -> String {
    match invoiced_cents.map(|i| dso(open_cents, i, DSO_DAYS)) {
        None => "…".into(),
        Some(Some(1)) => "1 day".into(),
        Some(Some(d)) => format!("{d} days"),
        Some(None) => "–".into(),
    }
}

/// The customers' lines as a reader expects them (by name, accents and case aside), and where
/// each is by id; `counts` holds each customer's open count, in the same order as `customers`.
fn customer_lines(
    customers: Vec<Customer>,
    reports: &[AgingReport],
    counts: &[i64],
) -> (Vec<CustomerLine>, IdMap<CustomerId, usize>) {
    let mut lines = unsorted_customer_lines(customers, reports, counts);
    lines.sort_by(|a, b| a.key.cmp(&b.key));
    let by_id = lines.iter().enumerate().map(|(i, c)| (c.customer.id, i)).collect();
    (lines, by_id)
}

fn unsorted_customer_lines(
    customers: Vec<Customer>,
    reports: &[AgingReport],
    counts: &[i64],
) -> Vec<CustomerLine> {
    let buckets: Vec<HashMap<CustomerId, &Buckets>> =
        reports.iter().map(|rep| rep.rows.iter().map(|r| (r.customer_id, &r.buckets)).collect()).collect();
    customers
        .into_iter()
        .zip(counts)
        .map(|(c, count)| {
            let amounts = buckets
                .iter()
                .map(|per| {
                    let b = per.get(&c.id).copied().copied().unwrap_or_default();
                    Amounts {
                        open_cents: b.total_cents(),
                        overdue_cents: b.overdue_cents(),
                        open: format_amount(b.total()),
                        overdue: format_amount(from_cents(b.overdue_cents())),
                    }
                })
                .collect();
            let search = [Some(&c.name), c.contact.as_ref(), c.email.as_ref()]
                .into_iter()
                .flatten()
                .map(|s| s.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            CustomerLine { open_invoices: *count, amounts, search, key: sort_key(&c.name), customer: c }
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::demo::{DemoOptions, write_demo};

    /// The agenda's lines without where each points (the order of offering differs between
    /// one thread and two).
    fn lines(book: &ScreenData) -> Vec<String> {
        book.agenda
            .iter()
            .map(|l| match l {
                AgendaLine::Section(at) => {
                    let t = book.title(*at).unwrap();
                    format!("{} ({})", t.title, t.count)
                }
                AgendaLine::Group(at) => {
                    let g = book.group_line(*at).unwrap();
                    format!("{:?} {} {}", g.key, g.len, g.total)
                }
                AgendaLine::Item(at) => {
                    let i = book.items[at.list as usize].get(at.at as usize).unwrap();
                    format!("{} {:?} {:?} {:?} {}", book.number(i), i.kind, i.step, i.call, i.invoice.open)
                }
            })
            .collect()
    }

    /// The lines of the sections of `kinds`, in order.
    fn lines_of(book: &ScreenData, kinds: &[SectionKind]) -> Vec<String> {
        let mut out = Vec::new();
        let ends: Vec<usize> = book.sections.iter().skip(1).map(|s| s.1).chain([book.agenda.len()]).collect();
        for ((kind, start), end) in book.sections.iter().zip(ends) {
            if kinds.contains(kind) {
                let part = ScreenData { agenda: book.agenda[*start..end].to_vec(), ..book.clone() };
                out.extend(lines(&part));
            }
        }
        out
    }

    /// A first look holds the whole load's first sections, line for line, and its header's
    /// open and overdue amounts, whatever the book and the day of the previous run.
    fn first_look_agrees(seed: u64, invoices: usize, back: i64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut store = Store::open(&path).unwrap();
        write_demo(&mut store, &DemoOptions { customers: 8, invoices, seed, busy: true }, today).unwrap();
        let config = Config::default();
        let since = add_days(today, -back);
        let first = ScreenData::load_first(&store, &config, today, since, 0).unwrap();
        let whole = ScreenData::load(&store, &config, today, since).unwrap();
        assert!(first.is_first_look());
        assert_eq!(lines_of(&first, &FIRST_SECTIONS), lines_of(&whole, &FIRST_SECTIONS));
        assert_eq!(lines_of(&first, &FIRST_SECTIONS), lines(&first), "no other section");
        let amounts = |b: &ScreenData| -> Vec<_> {
            b.ledgers.iter().map(|l| (l.currency, l.header.open.clone(), l.header.overdue.clone())).collect()
        };
        assert_eq!(amounts(&first), amounts(&whole));
        assert_eq!(first.open_invoices, whole.open_invoices);
        let names =
            |b: &ScreenData| -> Vec<String> { b.customers.iter().map(|c| c.customer.name.clone()).collect() };
        assert_eq!(names(&first), names(&whole));
    }

    #[test]
    fn a_first_look_has_the_whole_loads_first_sections() {
        first_look_agrees(42, 3000, 7);
        // Below the size a first look is for, the first frame is Today whole.
        let store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let book = ScreenData::load_first(&store, &Config::default(), today, today, FIRST_LOOK_FROM).unwrap();
        assert!(!book.is_first_look());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        #[test]
        fn a_first_look_agrees_with_the_whole_load(seed in 0u64..10_000, invoices in 40usize..400, back in 1i64..40) {
            first_look_agrees(seed, invoices, back);
        }
    }

    #[test]
    fn two_threads_load_what_one_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut store = Store::open(&path).unwrap();
        write_demo(&mut store, &DemoOptions { customers: 30, invoices: 3000, seed: 7, busy: true }, today)
            .unwrap();
        let config = Config::default();
        let since = add_days(today, -3);
        let mut one = ScreenData::load_sharing(&store, &config, today, since, 1, i64::MAX, false).unwrap();
        let mut two = ScreenData::load_sharing(&store, &config, today, since, 16, 0, false).unwrap();
        assert!(one.agenda.len() > 100, "{}", one.agenda.len());
        assert_eq!(lines(&one), lines(&two));
        assert_eq!((&one.ledgers, one.open_invoices), (&two.ledgers, two.open_invoices));
        assert_eq!(one.customers, two.customers);
        assert_eq!(one.pending(), Pending::Settled);
        assert_eq!(one.ledgers[0].header.dso, "…");
        // The first frame goes without the invoices settled lately; they come in their places.
        let titled = |book: &ScreenData, title: &str| lines(book).iter().any(|l| l.starts_with(title));
        let claims = "Interest and costs still claimable";
        assert!(!titled(&one, claims) && !titled(&one, "Thank-yous to send"));
        one.load_the_rest(&store, &config).unwrap();
        two.load_the_rest(&store, &config).unwrap();
        assert_eq!(one.pending(), Pending::Nothing);
        assert_ne!(one.ledgers[0].header.dso, "…");
        assert!(titled(&one, claims));
        // Every line the report's agenda has (one pass, then the settled invoices), in the
        // same section.
        let report = TodayAgenda::load(&store, &config, today, since).unwrap();
        let mut want: Vec<(String, SectionKind)> = report
            .agenda
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| (report.numbers.get(i.index as usize).to_string(), i.kind)))
            .collect();
        let mut got: Vec<(String, SectionKind)> = (0..one.agenda.len())
            .filter_map(|l| one.item(l))
            .map(|i| (one.number(i).to_string(), i.kind))
            .collect();
        assert!(got.iter().any(|g| g.1 == SectionKind::Claims));
        want.sort();
        got.sort();
        assert_eq!(got, want);
        assert_eq!(one.ledgers, two.ledgers);
        // The same as loading on one thread from an in-memory copy of the book.
        let whole = ScreenData::load(&store, &config, today, since).unwrap();
        assert_eq!((lines(&whole), &whole.ledgers), (lines(&one), &one.ledgers));
    }
}
