//! The alerts `settle check` tells: the alert rules on the open invoices, each standing where
//! the ladder's one answer puts it, found in one pass over the open invoices (with their
//! ladder events and the alerts already told about each, read alongside).

use chrono::NaiveDate;

use super::{CustomerFacts, LadderBook};
use crate::config::Config;
use crate::domain::alerts::{
    AgreementFact, Alert, AlertKey, AlertKind, AlertRules, Draft, Words, drafts, told_first,
};
use crate::domain::customer::CustomerId;
use crate::domain::idmap::IdMap;
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::Dated;
use crate::domain::money::{Currency, Money, from_cents};
use crate::store::{AlertLog, LadderEvent, OpenRow, Result, Store, Told};

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
    /// The customers' names, and where each customer's is.
    names: Vec<String>,
    customer_at: IdMap<CustomerId, u32>,
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
            ladders: LadderBook::with_customers(
                store,
                config,
                today,
                &CustomerFacts::all(config, &customers),
            )?,
            agreements,
            customer_at: customers.iter().enumerate().map(|(i, c)| (c.id, as_u32(i))).collect(),
            names: customers.into_iter().map(|c| c.name).collect(),
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
        self.customer_at.get(&customer).and_then(|&i| self.names.get(i as usize)).map_or("", String::as_str)
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
/// alerts have one), its invoice (`Untold::invoices[at]`), and its place among its
/// invoice's alerts.
#[derive(Debug, Clone, Copy)]
struct Entry {
    on: NaiveDate,
    todo: Option<Dated>,
    /// The agreed amount: `Untold::agreed[agreed]`, or none for `u32::MAX`.
    agreed: u32,
    at: u32,
    kind: AlertKind,
    resumes: bool,
    /// Its place among its invoice's alerts, to keep them in the order it tells them.
    nth: u8,
    /// How it was told, once it was ([`Untold::sort_as_found`]).
    told: Option<Told>,
}

/// An invoice with new alerts, as the pass read it: what its alerts say of it.
#[derive(Debug, Clone, Copy)]
struct Billing {
    invoice: InvoiceId,
    /// The customer's name: `Untold::names[customer]`.
    customer: u32,
    amount_cents: i64,
    open_cents: i64,
    /// Where its number starts in `Untold::numbers`; it ends where the next invoice's starts
    /// (the numbers are written one after the other, in the order of `Untold::invoices`).
    /// A first run on a 1M book keeps 135,000 of these: 40 bytes each, not 48.
    number: u32,
    due: NaiveDate,
    currency: Currency,
}

impl Entry {
    fn draft(&self, untold: &Untold) -> Draft {
        Draft {
            kind: self.kind,
            invoice: untold.invoices.get(self.at as usize).map_or(InvoiceId(0), |b| b.invoice),
            on: self.on,
            agreed: untold.agreed.get(self.agreed as usize).copied(),
            todo: self.todo,
            resumes: self.resumes,
        }
    }

    /// Where the pass found it: by invoice, then in its invoice's order.
    fn found(&self) -> (u32, u8) {
        (self.at, self.nth)
    }
}

/// The alerts as of `today` never told, in the order they are told, and how many were told
/// already. Each is a draft, put into words only when it is told ([`Untold::alert`]), from
/// its invoice as the pass read it: a first run on a book of a million invoices has
/// hundreds of thousands, and looking each invoice up again would read the book's pages
/// again in the order of urgency.
#[derive(Debug, Default)]
pub struct Untold {
    entries: Vec<Entry>,
    invoices: Vec<Billing>,
    agreed: Vec<Money>,
    numbers: String,
    names: Vec<String>,
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
    let mut failed = None;
    store.each_open_invoice_with_told(|r, events, told| {
        mine.clear();
        pass.drafts(&r, events, &mut mine);
        let mut at = None;
        let mut nth = 0u8;
        for d in &mine {
            if told.contains(&d.key()) {
                found.already += 1;
                continue;
            }
            let at = match at {
                Some(at) => at,
                None => {
                    let currency: Currency = match r.currency.parse() {
                        Ok(c) => c,
                        Err(e) => {
                            failed.get_or_insert(e);
                            return;
                        }
                    };
                    let start = found.numbers.len();
                    found.numbers.push_str(r.number);
                    found.invoices.push(Billing {
                        invoice: r.id,
                        customer: pass.customer_at.get(&r.customer_id).copied().unwrap_or(u32::MAX),
                        amount_cents: r.billed.map_or(0, |b| b.amount_cents),
                        open_cents: r.open_cents,
                        number: as_u32(start),
                        due: r.due,
                        currency,
                    });
                    *at.insert(as_u32(found.invoices.len() - 1))
                }
            };
            let agreed = d.agreed.map_or(u32::MAX, |m| {
                found.agreed.push(m);
                as_u32(found.agreed.len() - 1)
            });
            found.entries.push(Entry {
                on: d.on,
                todo: d.todo,
                agreed,
                at,
                kind: d.kind,
                resumes: d.resumes,
                nth,
                told: None,
            });
            nth = nth.saturating_add(1);
        }
    })?;
    if let Some(e) = failed {
        return Err(crate::store::StoreError::Invalid(e.to_string()));
    }
    let mut entries = std::mem::take(&mut found.entries);
    let number = |e: &Entry| found.number(e.at);
    entries.sort_unstable_by(|a, b| {
        told_first((a.kind.urgency(), a.on, number(a)), (b.kind.urgency(), b.on, number(b)))
            .then(a.found().cmp(&b.found()))
    });
    found.entries = entries;
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

    fn number(&self, at: u32) -> &str {
        let Some(b) = self.invoices.get(at as usize) else { return "" };
        let end = self.invoices.get(at as usize + 1).map_or(self.numbers.len(), |next| next.number as usize);
        self.numbers.get(b.number as usize..end).unwrap_or("")
    }

    /// Puts the new alerts back in the order the pass found them, each with how it was
    /// told (`how[i]` for the `i`-th as told): by invoice, as the book keeps its told alerts
    /// (`notified_invoice`), so recording them in this order appends to that index instead
    /// of writing all over it. [`Untold::draft`] and [`Untold::alert`] then count in it.
    pub fn sort_as_found(&mut self, how: &[Option<Told>]) {
        for (e, h) in self.entries.iter_mut().zip(how) {
            e.told = *h;
        }
        self.entries.sort_unstable_by_key(Entry::found);
    }

    /// The keys of the alerts told `how`, in their order.
    pub fn told_keys(&self, how: Told) -> impl Iterator<Item = AlertKey> + '_ {
        self.entries.iter().filter(move |e| e.told == Some(how)).map(|e| e.draft(self).key())
    }

    /// The `i`-th new alert, not in words yet.
    pub fn draft(&self, i: usize) -> Option<Draft> {
        self.entries.get(i).map(|e| e.draft(self))
    }

    /// The `i`-th new alert in words.
    pub fn alert(&self, i: usize) -> Option<Alert> {
        let e = self.entries.get(i)?;
        let b = self.invoices.get(e.at as usize)?;
        let words = Words {
            number: self.number(e.at),
            customer: self.names.get(b.customer as usize).map_or("", String::as_str),
            due: b.due,
            amount: Money::from_cents(b.amount_cents, b.currency),
            open: from_cents(b.open_cents),
        };
        Some(e.draft(self).word(&words, self.today))
    }
}
