//! The open invoices closest to a bank line that names none. The customers with an open
//! invoice are held once per import (their names and the words of them: a book has
//! thousands of customers); the open invoices are copied once into a scratch database
//! ([`OpenScratch`]) and found there by amount and by customer as each line needs them.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::fit;
use crate::domain::customer::CustomerId;
use crate::domain::money::{from_cents, to_cents};
use crate::import::model::BankLine;
use crate::store::{OpenInvoice, OpenScratch, Result, ScratchInvoice, ScratchRow};

/// An open invoice offered as a possible match for an unmatched line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub number: String,
    pub customer: String,
    pub open: Decimal,
    pub why: &'static str,
}

const LEGAL_FORMS: &[&str] = &[
    "ltd", "bv", "bvba", "nv", "sa", "srl", "sprl", "vof", "commv", "gmbh", "cv", "scrl", "asbl", "vzw",
    "inc", "llc", "plc", "the", "de", "het", "la", "le", "les", "van", "der", "den", "du", "des",
];

pub(super) fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !LEGAL_FORMS.contains(&w.as_str()))
        .collect()
}

/// What a line that matched nothing is compared with, made once per import: the open
/// invoices (in the scratch copy), the customers with one, each one's name and the words of
/// it, and the customers that have each word.
pub struct OpenIndex {
    invoices: OpenScratch,
    customers: Vec<Customer>,
    /// The customer (a position in `customers`) of each customer id.
    by_id: HashMap<CustomerId, usize>,
    /// The customers whose name has the word.
    by_word: HashMap<String, Vec<usize>>,
    /// How many words of the line each customer shares, counted again for each line (only
    /// the customers that share one are touched, and put back to zero after).
    shared: RefCell<(Vec<u32>, Vec<usize>)>,
}

struct Customer {
    id: CustomerId,
    name: String,
    /// How many different words its name has (those [`words`] keeps).
    words: u32,
}

impl OpenIndex {
    pub fn new() -> Result<OpenIndex> {
        Ok(OpenIndex {
            invoices: OpenScratch::new()?,
            customers: Vec::new(),
            by_id: HashMap::new(),
            by_word: HashMap::new(),
            shared: RefCell::default(),
        })
    }

    /// Adds an open invoice (in any order), and its customer the first time.
    pub fn add(&mut self, inv: &OpenInvoice<'_>) -> Result<()> {
        self.invoices.add(inv)?;
        if !self.by_id.contains_key(&inv.customer_id) {
            let c = self.customers.len();
            let mut different = 0;
            for w in words(inv.customer) {
                let at = self.by_word.entry(w).or_default();
                if at.last() != Some(&c) {
                    at.push(c);
                    different += 1;
                }
            }
            self.customers.push(Customer {
                id: inv.customer_id,
                name: inv.customer.to_string(),
                words: different,
            });
            self.by_id.insert(inv.customer_id, c);
            self.shared.get_mut().0.push(0);
        }
        Ok(())
    }

    /// Once every open invoice was added.
    pub fn done(&self) -> Result<()> {
        self.invoices.done()
    }
}

/// The amount in whole cents, if it is one.
fn exact_cents(amount: Decimal) -> Option<i64> {
    to_cents(amount).ok()
}

/// A candidate: its score, the invoice, its customer (a position in `customers`) and why.
type Ranked = (u32, ScratchInvoice, usize, &'static str);

/// How candidates are ranked: the highest score, then the earliest due date, then the
/// lowest number.
fn rank(score: u32, due: NaiveDate, number: &str) -> (std::cmp::Reverse<u32>, NaiveDate, &str) {
    (std::cmp::Reverse(score), due, number)
}

/// Whether an invoice with this score would make the best three so far (before its row is
/// copied).
fn would_make(best: &[Ranked], score: u32, inv: &ScratchRow<'_>) -> bool {
    best.get(2).is_none_or(|b| rank(score, inv.due, inv.number) < rank(b.0, b.1.due, &b.1.number))
}

/// Keeps the best three by [`rank`] (numbers are unique: an invoice offered twice is kept
/// once).
fn offer(best: &mut Vec<Ranked>, r: Ranked) {
    fn ranked(a: &Ranked) -> (std::cmp::Reverse<u32>, NaiveDate, &str) {
        rank(a.0, a.1.due, &a.1.number)
    }
    if best.iter().any(|b| b.1.number == r.1.number) {
        return;
    }
    let at = best.iter().position(|b| ranked(&r) < ranked(b)).unwrap_or(best.len());
    if at < 3 {
        best.insert(at, r);
        best.truncate(3);
    }
}

/// Up to three open invoices closest to a line: the same open amount, the same invoice
/// amount, a customer whose name shares words with the counterparty, or one who paid from
/// the line's account before (`iban_of`: the customers that account paid for). Scored as
/// follows: a customer who paid from the account scores 8, else a shared name 2 and 2 per
/// different word shared; the same open amount 4, the same invoice amount 3, and, with a
/// known account or a shared name, a payment smaller than what is open 1. The highest scores
/// first, then the earliest due date, then the lowest number. A name is said to be the same
/// when the counterparty has every word of it, else similar: "Atelier Dubois" shares a word
/// with "Atelier Dupont", not its name.
pub fn closest(line: &BankLine, index: &OpenIndex, iban_of: &[CustomerId]) -> Result<Vec<Candidate>> {
    let currency_ok = |code: &str| line.currency.is_none_or(|c| c.as_str() == code);
    let fits = |open: i64, whole: i64| fit(from_cents(open), from_cents(whole), line.amount);
    // How many of the counterparty's words each customer's name has.
    let mut scratch = index.shared.borrow_mut();
    let (shared, touched) = &mut *scratch;
    let mut theirs = words(&line.counterparty);
    theirs.sort_unstable();
    theirs.dedup();
    for w in theirs {
        for &c in index.by_word.get(&w).map_or(&[][..], Vec::as_slice) {
            if shared[c] == 0 {
                touched.push(c);
            }
            shared[c] += 1;
        }
    }
    let shared = &*shared;
    let known = |c: usize| iban_of.contains(&index.customers[c].id);
    let same_name = |c: usize| shared[c] >= index.customers[c].words;
    // A customer's score for its name or account (`c`: a position in `customers`).
    let name_score = |c: usize| {
        if known(c) {
            8
        } else {
            match shared[c] {
                0 => 0,
                s => 2 + 2 * s,
            }
        }
    };
    let mut best: Vec<Ranked> = Vec::with_capacity(4);
    // The same amount, whoever the customer.
    if let Some(cents) = exact_cents(line.amount) {
        index.invoices.each_of_cents(cents, |inv| {
            let (amount, amount_why) = fits(inv.open_cents, inv.amount_cents);
            let Some(&c) = index.by_id.get(&inv.customer_id) else { return Ok(()) };
            let name = name_score(c);
            if amount < 3 || !currency_ok(inv.currency) || !would_make(&best, name + amount, inv) {
                return Ok(());
            }
            let why = if known(c) {
                "paid from this account before; same amount"
            } else if name > 0 && same_name(c) {
                "same customer name and amount"
            } else if name > 0 {
                "similar customer name, same amount"
            } else {
                amount_why
            };
            offer(&mut best, (name + amount, inv.owned()?, c, why));
            Ok(())
        })?;
    }
    // A known account or a shared name: the customers scoring the most first; of each, the
    // invoices due first, as long as they can still make the best three.
    // The customers by score, in any order among equals (the best three do not depend on it):
    // a million-invoice book has a thousand customers sharing a trade or a town, not sorted.
    let mut tiers: Vec<Vec<usize>> = Vec::new();
    let mut put = |score: u32, c: usize| {
        let at = score as usize;
        if tiers.len() <= at {
            tiers.resize_with(at + 1, Vec::new);
        }
        tiers[at].push(c);
    };
    for &c in touched.iter() {
        put(name_score(c), c);
    }
    for id in iban_of {
        if let Some(&c) = index.by_id.get(id)
            && shared[c] == 0
        {
            put(8, c);
        }
    }
    let by_name = tiers.iter().enumerate().rev().flat_map(|(s, cs)| cs.iter().map(move |c| (s as u32, *c)));
    let named = (|| -> Result<()> {
        for (name, c) in by_name {
            // Every other invoice of a customer sharing fewer words scores at most this.
            if best.len() == 3 && best[2].0 > name + 1 {
                break;
            }
            // Three of each kind are enough: one that pays less than is open (scores 1 more),
            // one that does not.
            let mut found = [0, 0];
            for inv in index.invoices.of_customer(index.customers[c].id)? {
                if found == [3, 3] {
                    break;
                }
                let (amount, _) = fits(inv.open_cents, inv.amount_cents);
                if amount >= 3 || !currency_ok(inv.currency.as_str()) {
                    continue;
                }
                let kind = usize::from(amount == 1);
                if found[kind] < 3 {
                    found[kind] += 1;
                    let why = match (known(c), same_name(c)) {
                        (true, _) => "paid from this account before",
                        (false, true) => "same customer name",
                        (false, false) => "similar customer name",
                    };
                    offer(&mut best, (name + amount, inv, c, why));
                }
            }
        }
        Ok(())
    })();
    // The counts go back to zero for the next line, whatever happened.
    let (shared, touched) = &mut *scratch;
    for &c in touched.iter() {
        shared[c] = 0;
    }
    touched.clear();
    named?;
    Ok(best
        .into_iter()
        .map(|(_, inv, c, why)| Candidate {
            number: inv.number,
            customer: index.customers[c].name.clone(),
            open: from_cents(inv.open_cents),
            why,
        })
        .collect())
}
