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
use crate::domain::agenda::AgendaItem;
use crate::domain::aging::{AgingReport, AgingRow, Bucket, Buckets};
use crate::domain::customer::{Customer, CustomerId};
use crate::domain::dates::add_days;
use crate::domain::dso::dso;
use crate::domain::money::{Currency, Money, format_amount, from_cents};
use crate::domain::text::sort_key;
use crate::service::agenda::{AgendaBuilder, Numbers};
use crate::store::{Result, Store};

/// The period DSO looks back over.
pub const DSO_DAYS: i64 = 90;

/// Everything the tabs show.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// No customers and no invoices: the welcome screen.
    pub empty: bool,
    pub today: NaiveDate,
    pub currency: Currency,
    /// One per currency with something open: the book's currency first (always there, even
    /// with nothing open in it), then the others by code.
    pub ledgers: Vec<Ledger>,
    /// The agenda, flattened: section titles and their items.
    pub agenda: Vec<AgendaLine>,
    /// The agenda's items' invoice numbers, by `AgendaItem::index`.
    numbers: Numbers,
    /// Each agenda line's text, written the first time it is drawn.
    texts: Vec<OnceCell<Box<ItemText>>>,
    pub open_invoices: i64,
    /// Every customer, by name.
    pub customers: Vec<CustomerLine>,
    by_id: HashMap<CustomerId, usize>,
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaLine {
    Section { title: String, count: usize },
    Item(AgendaItem),
}

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
    /// What is open and overdue in each currency, in the order of `Book::ledgers`.
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

impl Book {
    /// Loads the book as of `today`; `since` is the day of the previous run.
    pub fn load(store: &Store, config: &Config, today: NaiveDate, since: NaiveDate) -> Result<Book> {
        let currency = store.book_currency()?;
        // Invoices need a customer: no customer, an empty book.
        let customers = store.customers()?;
        if customers.is_empty() {
            return Ok(Book { empty: true, today, currency, ..Book::default() });
        }
        let by_id: HashMap<CustomerId, usize> =
            customers.iter().enumerate().map(|(i, c)| (c.id, i)).collect();

        // The one pass over the open invoices: per customer (by position) the open count
        // and, per currency, the aging buckets; the agenda's input for what falls due before
        // the horizon.
        let mut agenda = AgendaBuilder::new(store, config, today, since)?;
        let mut counts: Vec<i64> = vec![0; customers.len()];
        let mut per: Vec<(Currency, Vec<Buckets>)> =
            vec![(currency, vec![Buckets::default(); customers.len()])];
        let mut overflow = None;
        store.each_open_invoice_with_events(|r, events| {
            let Some(at) = by_id.get(&r.customer_id).copied() else { return };
            counts[at] += 1;
            let slot = match per.iter().position(|(c, _)| c.as_str() == r.currency) {
                Some(slot) => Some(slot),
                None => r.currency.parse::<Currency>().ok().map(|c| {
                    per.push((c, vec![Buckets::default(); customers.len()]));
                    per.len() - 1
                }),
            };
            if let Some(slot) = slot
                && let Err(e) = per[slot].1[at].add(Bucket::of(r.due, today), r.open_cents)
            {
                overflow = Some(e);
            }
            agenda.offer(&r, events, currency);
        })?;
        if let Some(e) = overflow {
            return Err(e.into());
        }
        let today_agenda = agenda.finish(store, currency)?;
        let numbers = today_agenda.numbers;
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
            let invoiced = store.invoiced_between(report.currency, add_days(today, -DSO_DAYS), today)?;
            ledgers.push(Ledger {
                currency: report.currency,
                header: header(report, invoiced),
                aging: report
                    .rows
                    .iter()
                    .map(|r| AgingLine::new(Some(r.customer_id), r.customer.clone(), &r.buckets))
                    .collect(),
                totals: AgingLine::new(None, "Total".into(), &report.totals),
            });
        }

        // Customers as a reader expects them (accents and case aside), and found again by id.
        let mut sorted = customer_lines(customers, &reports, &counts);
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        let by_id = sorted.iter().enumerate().map(|(i, c)| (c.customer.id, i)).collect();

        let mut lines = Vec::new();
        for section in today_agenda.agenda.sections {
            lines.push(AgendaLine::Section { title: section.title, count: section.items.len() });
            lines.extend(section.items.into_iter().map(AgendaLine::Item));
        }
        Ok(Book {
            empty: false,
            today,
            currency,
            texts: vec![OnceCell::new(); lines.len()],
            agenda: lines,
            numbers,
            open_invoices: counts.iter().sum(),
            customers: sorted,
            ledgers,
            by_id,
        })
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
            AgendaLine::Item(item) => Some(item),
            AgendaLine::Section { .. } => None,
        }
    }

    /// An agenda line in words, written once, the first time it is asked for.
    pub fn item_text(&self, line: usize) -> Option<&ItemText> {
        let item = self.item(line)?;
        let cell = self.texts.get(line)?;
        Some(cell.get_or_init(|| {
            Box::new(ItemText {
                what: item.what(self.customer_name(item.invoice.customer_id)),
                why: item.why(self.today),
                open: item.invoice.open.to_string(),
            })
        }))
    }
}

fn header(report: &AgingReport, invoiced_cents: i64) -> Header {
    let money = |c| Money::from_cents(c, report.currency).to_string();
    Header {
        open: money(report.totals.total_cents()),
        overdue: money(report.totals.overdue_cents()),
        dso: match dso(report.totals.total_cents(), invoiced_cents, DSO_DAYS) {
            Some(1) => "1 day".into(),
            Some(d) => format!("{d} days"),
            None => "–".into(),
        },
    }
}

/// `counts` holds each customer's open count, in the same order as `customers`.
fn customer_lines(customers: Vec<Customer>, reports: &[AgingReport], counts: &[i64]) -> Vec<CustomerLine> {
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
