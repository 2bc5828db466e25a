//! The alerts `settle check` tells: the alert rules on the open invoices, each standing where
//! the ladder's one answer puts it, found in one pass over the open invoices (with their
//! ladder events and the alerts already told about each, read alongside).

use chrono::NaiveDate;

use super::LadderBook;
use crate::config::Config;
use crate::domain::alerts::{AgreementFact, Alert, AlertKind, AlertRules, Draft, Words, drafts, told_first};
use crate::domain::customer::CustomerId;
use crate::domain::idmap::IdMap;
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::Dated;
use crate::domain::money::{Currency, Money, from_cents};
use crate::store::{AlertLog, LadderEvent, OpenRow, Result, Store};

fn rules(config: &Config) -> AlertRules {
    AlertRules { nudge_window_days: config.notify.due_soon_days, grace_days: config.agreements.grace_days }
}

/// What the pass needs beside the rows: the ladder facts that are few, the agreements and
/// the customers' names.
struct Pass<'a> {
    today: NaiveDate,
    rules: AlertRules,
    ladders: LadderBook<'a>,
    agreements: IdMap<InvoiceId, Vec<AgreementFact>>,
    names: IdMap<CustomerId, String>,
}

impl<'a> Pass<'a> {
    fn load(store: &Store, config: &'a Config, today: NaiveDate) -> Result<Pass<'a>> {
        let mut agreements: IdMap<InvoiceId, Vec<AgreementFact>> = IdMap::default();
        for a in store.alert_agreements(today)? {
            agreements.entry(a.invoice).or_default().push(a);
        }
        let customers = store.customers()?;
        Ok(Pass {
            today,
            rules: rules(config),
            ladders: LadderBook::with_customers(store, config, today, &customers)?,
            agreements,
            names: customers.into_iter().map(|c| (c.id, c.name)).collect(),
        })
    }

    /// The alerts of one open invoice of the pass (none for one issued after today or one the
    /// ladder has no answer for), appended to `out`.
    fn drafts(&self, r: &OpenRow<'_>, events: &[LadderEvent], out: &mut Vec<Draft>) {
        if r.billed.is_none_or(|b| b.issued > self.today) || r.open_cents <= 0 {
            return;
        }
        let Some(standing) = self.ladders.standing(r, events) else { return };
        let agreed = self.agreements.get(&r.id).map_or(&[][..], Vec::as_slice);
        drafts(r.id, r.due, &standing, agreed, &self.rules, self.today, out);
    }

    fn name(&self, customer: CustomerId) -> &str {
        self.names.get(&customer).map_or("", String::as_str)
    }
}

/// Every alert as of `today`, told or not, in words, most urgent first (for a look at a
/// small book; `settle check` keeps only the new ones: [`untold`]).
pub fn alerts(store: &Store, config: &Config, today: NaiveDate) -> Result<Vec<Alert>> {
    let pass = Pass::load(store, config, today)?;
    let mut all = Vec::new();
    let mut mine = Vec::new();
    let mut failed = None;
    // The pass with the alerts told reads the invoices' amounts and issue days too.
    store.each_open_invoice_with_told(|r, events, _| {
        mine.clear();
        pass.drafts(&r, events, &mut mine);
        if mine.is_empty() {
            return;
        }
        let currency: Currency = match r.currency.parse() {
            Ok(c) => c,
            Err(e) => {
                failed.get_or_insert(e);
                return;
            }
        };
        let words = Words {
            number: r.number,
            customer: pass.name(r.customer_id),
            due: r.due,
            amount: Money::from_cents(r.billed.map_or(0, |b| b.amount_cents), currency),
            open: from_cents(r.open_cents),
        };
        all.extend(mine.iter().map(|d| d.word(&words, today)));
    })?;
    if let Some(e) = failed {
        return Err(crate::store::StoreError::Invalid(e.to_string()));
    }
    all.sort_by(|a, b| told_first((a.urgency, a.on, &a.number), (b.urgency, b.on, &b.number)));
    Ok(all)
}

/// A new alert as [`Untold`] keeps it: its draft without the agreed amount (kept aside: few
/// alerts have one), where its invoice number is, and its place among its invoice's alerts.
#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: AlertKind,
    invoice: InvoiceId,
    on: NaiveDate,
    todo: Option<Dated>,
    resumes: bool,
    /// The agreed amount: `Untold::agreed[agreed]`, if any.
    agreed: Option<u32>,
    /// The invoice number: `Untold::numbers[number.0..number.1]`.
    number: (u32, u32),
    /// The order of the pass, to keep an invoice's alerts in the order it tells them.
    seq: u32,
}

impl Entry {
    fn draft(&self, agreed: &[Money]) -> Draft {
        Draft {
            kind: self.kind,
            invoice: self.invoice,
            on: self.on,
            agreed: self.agreed.and_then(|i| agreed.get(i as usize)).copied(),
            todo: self.todo,
            resumes: self.resumes,
        }
    }
}

/// The alerts as of `today` never told, in the order they are told, and how many were told
/// already. Each is a draft, put into words only when it is told ([`Untold::alert`]): a
/// first run on a book of a million invoices has hundreds of thousands.
#[derive(Debug, Default)]
pub struct Untold {
    entries: Vec<Entry>,
    agreed: Vec<Money>,
    numbers: String,
    names: IdMap<CustomerId, String>,
    today: NaiveDate,
    /// Alerts that were told before.
    pub already: usize,
}

/// Finds the alerts not told yet in one pass over the open invoices, inside the record's
/// transaction (`log`), so a second `check` running meanwhile waits and then finds them told.
pub fn untold(store: &Store, log: &AlertLog<'_>, config: &Config, today: NaiveDate) -> Result<Untold> {
    // The pass reads through the connection the log's transaction is open on.
    let _ = log;
    let mut pass = Pass::load(store, config, today)?;
    let mut found = Untold { today, ..Untold::default() };
    let mut mine = Vec::new();
    store.each_open_invoice_with_told(|r, events, told| {
        mine.clear();
        pass.drafts(&r, events, &mut mine);
        let mut number = None;
        for d in &mine {
            if told.contains(&d.key()) {
                found.already += 1;
                continue;
            }
            let number = *number.get_or_insert_with(|| {
                let start = found.numbers.len();
                found.numbers.push_str(r.number);
                (as_u32(start), as_u32(found.numbers.len()))
            });
            let agreed = d.agreed.map(|m| {
                found.agreed.push(m);
                as_u32(found.agreed.len() - 1)
            });
            let seq = as_u32(found.entries.len());
            found.entries.push(Entry {
                kind: d.kind,
                invoice: d.invoice,
                on: d.on,
                todo: d.todo,
                resumes: d.resumes,
                agreed,
                number,
                seq,
            });
        }
    })?;
    let numbers = &found.numbers;
    let number = |e: &Entry| numbers.get(e.number.0 as usize..e.number.1 as usize).unwrap_or("");
    found.entries.sort_unstable_by(|a, b| {
        told_first((a.kind.urgency(), a.on, number(a)), (b.kind.urgency(), b.on, number(b)))
            .then(a.seq.cmp(&b.seq))
    });
    found.names = std::mem::take(&mut pass.names);
    Ok(found)
}

fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Untold {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `i`-th new alert, not in words yet.
    pub fn draft(&self, i: usize) -> Option<Draft> {
        self.entries.get(i).map(|e| e.draft(&self.agreed))
    }

    /// The `i`-th new alert in words; its invoice's amounts are read from the store.
    pub fn alert(&self, store: &Store, i: usize) -> Result<Alert> {
        let e =
            self.entries.get(i).ok_or_else(|| crate::store::StoreError::NotFound(format!("no alert {i}")))?;
        let (number, customer, due, amount, open) = store.alert_words(e.invoice)?;
        let words = Words {
            number: &number,
            customer: self.names.get(&customer).map_or("", String::as_str),
            due,
            amount,
            open,
        };
        Ok(e.draft(&self.agreed).word(&words, self.today))
    }
}
