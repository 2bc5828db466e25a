//! What the screens show, loaded from the store when data changes (at start, after a write,
//! when another process wrote) and never per frame. Money is formatted here, once.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::agenda::{AgendaItem, agenda, horizon_days};
use crate::domain::aging::{AgingReport, Buckets};
use crate::domain::behaviour::dso;
use crate::domain::customer::{Customer, CustomerId};
use crate::domain::dates::add_days;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, Money, format_amount, from_cents};
use crate::domain::policy::{Policy, Step};
use crate::store::{Result, Store};

/// The period DSO looks back over.
pub const DSO_DAYS: i64 = 90;

/// Everything the tabs show.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// No customers and no invoices: the welcome screen.
    pub empty: bool,
    pub currency: Currency,
    pub header: Header,
    /// The agenda, flattened: section titles and their items.
    pub agenda: Vec<AgendaLine>,
    pub open_invoices: i64,
    /// One line per customer with something open, sorted as the report sorts.
    pub aging: Vec<AgingLine>,
    pub aging_totals: AgingLine,
    /// Every customer, by name.
    pub customers: Vec<CustomerLine>,
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
    Item(TodayItem),
}

/// One thing to do today, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayItem {
    pub invoice: InvoiceId,
    pub customer_id: CustomerId,
    pub number: String,
    pub customer: String,
    pub step: Option<Step>,
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
        cents[..5].copy_from_slice(&b.cents);
        cents[5] = b.total_cents();
        let text = cents.map(|c| format_amount(from_cents(c)));
        AgingLine { customer_id, name, cents, text }
    }
}

/// A customer in the Customers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerLine {
    pub customer: Customer,
    pub open_invoices: i64,
    pub open_cents: i64,
    pub overdue_cents: i64,
    pub open: String,
    pub overdue: String,
    /// Lower-case name, contact and email, for the filter.
    pub search: String,
}

impl Book {
    /// Loads the book as of `today`; `since` is the day of the previous run.
    pub fn load(store: &Store, today: NaiveDate, since: NaiveDate, policy: &Policy) -> Result<Book> {
        if store.is_empty()? {
            return Ok(Book { empty: true, currency: store.book_currency()?, ..Book::default() });
        }
        let currency = store.book_currency()?;
        let report = store.aging(today, currency)?;
        let invoiced = store.invoiced_between(currency, add_days(today, -DSO_DAYS), today)?;
        let header = header(&report, invoiced);
        let open_invoices = store.open_counts()?;
        let agenda_input = store.agenda_invoices(add_days(today, horizon_days(policy)))?;
        let agenda = agenda(&agenda_input, policy, today, since);
        let mut lines = Vec::with_capacity(agenda.len() + agenda.sections.len());
        for section in agenda.sections {
            lines.push(AgendaLine::Section { title: section.title, count: section.items.len() });
            lines.extend(section.items.into_iter().map(|i| AgendaLine::Item(today_item(i))));
        }
        let aging: Vec<AgingLine> = report
            .rows
            .iter()
            .map(|r| AgingLine::new(Some(r.customer_id), r.customer.clone(), &r.buckets))
            .collect();
        let customers = customer_lines(store.customers()?, &report, &open_invoices);
        Ok(Book {
            empty: false,
            currency,
            header,
            agenda: lines,
            open_invoices: open_invoices.iter().map(|(_, n)| n).sum(),
            aging,
            aging_totals: AgingLine::new(None, "Total".into(), &report.totals),
            customers,
        })
    }

    pub fn customer(&self, id: CustomerId) -> Option<&CustomerLine> {
        self.customers.iter().find(|c| c.customer.id == id)
    }

    pub fn customer_named(&self, name: &str) -> Option<&CustomerLine> {
        let name = name.trim();
        self.customers.iter().find(|c| c.customer.name.eq_ignore_ascii_case(name))
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

fn today_item(i: AgendaItem) -> TodayItem {
    TodayItem {
        invoice: i.invoice,
        customer_id: i.customer_id,
        open: i.open.to_string(),
        number: i.number,
        customer: i.customer,
        step: i.step,
        what: i.what,
        why: i.why,
    }
}

fn customer_lines(
    customers: Vec<Customer>,
    report: &AgingReport,
    counts: &[(CustomerId, i64)],
) -> Vec<CustomerLine> {
    let buckets: HashMap<CustomerId, &Buckets> =
        report.rows.iter().map(|r| (r.customer_id, &r.buckets)).collect();
    let counts: HashMap<CustomerId, i64> = counts.iter().copied().collect();
    customers
        .into_iter()
        .map(|c| {
            let b = buckets.get(&c.id).copied().copied().unwrap_or_default();
            let search = [Some(&c.name), c.contact.as_ref(), c.email.as_ref()]
                .into_iter()
                .flatten()
                .map(|s| s.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            CustomerLine {
                open_invoices: counts.get(&c.id).copied().unwrap_or(0),
                open_cents: b.total_cents(),
                overdue_cents: b.overdue_cents(),
                open: format_amount(b.total()),
                overdue: format_amount(from_cents(b.overdue_cents())),
                search,
                customer: c,
            }
        })
        .collect()
}
