//! What may lawfully be claimed on a late invoice: interest and collection costs per
//! jurisdiction and customer kind, from which day, and how payments are applied. The one
//! answer to "what may be claimed" ([`assess`]) and to "what did a payment pay" (its
//! ledger: the [`Claim::applied`] lines); `track`, the letters, the dossier and Today read it.
//!
//! - Business customers (directive 2011/7/EU): interest from the day after the due date at
//!   the commercial rate (BE law of 2 August 2002, art. 5; NL art. 6:119a BW), owed without a
//!   reminder; in Belgium the fixed €40 (law of 2 August 2002, art. 6), in the Netherlands the
//!   WIK scale with its €40 minimum (art. 6:96 lid 4 BW). A Belgian term over 60 days between
//!   businesses is void (law of 2 August 2002, art. 4, as amended by the law of 14 August
//!   2021) and the 30-day default applies; a Dutch one over 60 days is flagged (art. 6:119a
//!   lid 5 BW).
//! - Belgian consumers (Code of Economic Law book XIX, law of 4 May 2023): nothing before a
//!   free first reminder carrying the mentions of art. XIX.2 and the 14 days it gives; then
//!   only what the contract provides, within the caps of art. XIX.4: damages on the XIX.4
//!   scale if the terms have a damages clause, interest at (at most) the commercial rate if
//!   they have an interest clause. Without an interest clause the consumer owes the legal
//!   rate (law of 5 May 1865, art. 2); without a damages clause, no damages.
//! - Dutch consumers: the WIK costs only after the 14-day letter (art. 6:96 lid 6 BW), counted
//!   from the day after its receipt (HR 25 November 2016, ECLI:NL:HR:2016:2704); interest at
//!   the legal rate of art. 6:119 BW. Interest is counted from the end of the 14 days too:
//!   from the due date it needs a fatal term in the contract (art. 6:83 sub a BW), which
//!   settle cannot know, so it takes the side that charges the consumer less.
//! - Dutch interest compounds yearly (art. 6:119 lid 2 and 6:119a lid 2 BW); Belgian interest
//!   is simple.
//! - Once interest and costs were demanded in writing (a formal notice, a claim letter, or
//!   for a consumer the compliant first reminder that named them), a payment goes first to
//!   them: in the Netherlands to costs, then interest, then principal (art. 6:44 BW); in
//!   Belgium to interest before principal (old Civil Code art. 1254 for debts born before
//!   2023; the Book 5 article that took it over was not checked), the fixed damages last (the
//!   rule names interest only: the reading that charges the debtor less).
//!   Costs are fixed on the day they fall due, never recomputed after a later payment.
//! - A claim survives the payment of the principal, until it is waived or paid.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::costs::{Compensation, be_consumer, fixed_b2b, wik, working_days_after};
use super::customer::CustomerKind;
use super::dates::add_days;
use super::event::Channel;
use super::interest::{Accrual, Interest, Jurisdiction, RateKind, RateTable, round_cents};
use super::invoice::PaymentKind;
use super::money::Currency;

/// The longest B2B payment term Belgian law allows since 2022 (law of 2 August 2002, art. 4).
pub const BE_MAX_TERM_DAYS: i64 = 60;
/// The term that applies in Belgium when none (valid) was agreed: 30 days (art. 4, same law).
pub const BE_DEFAULT_TERM_DAYS: i64 = 30;
/// Beyond this a Dutch B2B term must be expressly agreed and not grossly unfair (art. 6:119a
/// lid 5 BW).
pub const NL_MAX_TERM_DAYS: i64 = 60;
/// The consumer's period after the first reminder (BE art. XIX.2) or the 14-day letter (NL
/// art. 6:96 lid 6 BW).
pub const CONSUMER_TERM_DAYS: i64 = 14;

/// What the contract (general terms) with consumers provides: `[terms]` in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Terms {
    /// The terms provide late-payment interest (BE consumers: charged at the commercial rate,
    /// the most art. XIX.4 allows; without it, the legal rate).
    pub consumer_interest_clause: bool,
    /// The terms provide fixed damages (BE consumers: the XIX.4 scale; without it, none).
    pub consumer_damages_clause: bool,
}

/// A written reminder as it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentLetter {
    pub sent: NaiveDate,
    pub channel: Channel,
    /// When the customer received it, if known (registered mail).
    pub received: Option<NaiveDate>,
}

/// A dated payment, credit or write-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reduction {
    pub on: NaiveDate,
    pub amount: Decimal,
    pub kind: PaymentKind,
}

/// Why interest and costs are no longer claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "how", content = "on")]
pub enum Closing {
    /// The freelancer gave them up.
    Waived(NaiveDate),
    /// The customer paid them.
    Paid(NaiveDate),
}

impl Closing {
    pub fn on(&self) -> NaiveDate {
        match self {
            Closing::Waived(d) | Closing::Paid(d) => *d,
        }
    }
}

/// The facts a claim is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimInput<'a> {
    pub jurisdiction: Jurisdiction,
    pub kind: CustomerKind,
    pub currency: Currency,
    pub amount: Decimal,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub reductions: &'a [Reduction],
    pub as_of: NaiveDate,
    /// Consumers: the first reminder that carried every mention the law requires (only it
    /// starts the 14 days; a formal notice sent as first contact starts nothing).
    pub first_reminder: Option<SentLetter>,
    /// The first day interest and costs were demanded in writing (a formal notice or a claim
    /// letter): from then on payments go to them first.
    pub demanded: Option<NaiveDate>,
    pub terms: Terms,
    pub closed: Option<Closing>,
}

/// The 14 days a consumer is given, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerTerm {
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    /// Whether the start rests on a presumed (not recorded) day of receipt or posting.
    pub presumed: bool,
}

/// On what the interest rests, which decides its rate and how a letter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterestBasis {
    /// The commercial rate of directive 2011/7/EU, owed by law between businesses.
    Commercial,
    /// A clause of the terms with a Belgian consumer, charged at the commercial rate, the
    /// cap of art. XIX.4: contractual, never "statutory".
    Contractual,
    /// The civil legal rate (BE law of 5 May 1865; NL art. 6:119 BW).
    Legal,
}

impl InterestBasis {
    pub fn as_str(&self) -> &'static str {
        match self {
            InterestBasis::Commercial => "commercial",
            InterestBasis::Contractual => "contractual",
            InterestBasis::Legal => "legal",
        }
    }

    pub fn rate_kind(&self) -> RateKind {
        match self {
            InterestBasis::Commercial | InterestBasis::Contractual => RateKind::B2b,
            InterestBasis::Legal => RateKind::Consumer,
        }
    }
}

/// How one payment was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub on: NaiveDate,
    pub amount: Decimal,
    pub costs: Decimal,
    pub interest: Decimal,
    pub principal: Decimal,
}

/// What may be claimed as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub jurisdiction: Jurisdiction,
    pub kind: CustomerKind,
    pub as_of: NaiveDate,
    /// The principal still open on `as_of`, after payments went to costs and interest where
    /// the law sends them first (the books' open amount when nothing was demanded).
    pub open: Decimal,
    /// The first day interest and costs may be claimed; `None` while that depends on a
    /// reminder not yet sent.
    pub charges_from: Option<NaiveDate>,
    /// Whether charges may go in a letter dated `as_of` (and something is still owed).
    pub lawful: bool,
    pub consumer_term: Option<ConsumerTerm>,
    /// On what the interest rests, when interest runs.
    pub basis: Option<InterestBasis>,
    /// Whether the interest compounds yearly (the Netherlands).
    pub compounded: bool,
    /// The interest accrued, line by line.
    pub interest: Option<Interest>,
    /// The costs, fixed on the day they fell due.
    pub compensation: Option<Compensation>,
    /// How each payment made since the charges were demanded was applied.
    pub applied: Vec<Applied>,
    pub interest_paid: Decimal,
    pub costs_paid: Decimal,
    /// The day the charges were first demanded in writing.
    pub demanded: Option<NaiveDate>,
    pub closed: Option<Closing>,
    /// Principal + interest + costs still owed.
    pub total: Decimal,
    /// Why a figure is missing or should be checked.
    pub notes: Vec<String>,
}

impl Claim {
    /// The interest accrued (paid or not).
    pub fn interest_total(&self) -> Decimal {
        self.interest.as_ref().map_or(Decimal::ZERO, |i| i.total)
    }

    /// The costs that fell due (paid or not).
    pub fn compensation_total(&self) -> Decimal {
        self.compensation.as_ref().map_or(Decimal::ZERO, |c| c.amount)
    }

    /// The interest still owed.
    pub fn interest_open(&self) -> Decimal {
        (self.interest_total() - self.interest_paid).max(Decimal::ZERO)
    }

    /// The costs still owed.
    pub fn compensation_open(&self) -> Decimal {
        (self.compensation_total() - self.costs_paid).max(Decimal::ZERO)
    }

    /// Interest and costs still owed.
    pub fn charges_open(&self) -> Decimal {
        self.interest_open() + self.compensation_open()
    }
}

/// The consumer's 14 days after the first reminder, per jurisdiction.
pub fn consumer_term(jurisdiction: Jurisdiction, letter: &SentLetter) -> ConsumerTerm {
    let (starts, presumed) = match (jurisdiction, letter.channel, letter.received) {
        // BE art. XIX.2: from the day after an email, from the third working day after posting.
        (Jurisdiction::Be, Channel::Email, _) => (add_days(letter.sent, 1), false),
        (Jurisdiction::Be, _, _) => (working_days_after(jurisdiction, letter.sent, 3), false),
        // NL art. 6:96 lid 6 BW, HR 25 November 2016 (ECLI:NL:HR:2016:2704): from the day
        // after receipt; an email is received the day it is sent, a letter presumed on the
        // third working day when its receipt is not recorded.
        (Jurisdiction::Nl, _, Some(received)) => (add_days(received, 1), false),
        (Jurisdiction::Nl, Channel::Email, None) => (add_days(letter.sent, 1), false),
        (Jurisdiction::Nl, _, None) => (add_days(working_days_after(jurisdiction, letter.sent, 3), 1), true),
    };
    ConsumerTerm { starts, ends: add_days(starts, CONSUMER_TERM_DAYS - 1), presumed }
}

/// Which costs rule applies, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostsRule {
    FixedB2b,
    BeConsumer,
    Wik,
}

impl CostsRule {
    /// The costs on the principal open the day they fall due.
    pub fn on(&self, principal: Decimal) -> Compensation {
        match self {
            CostsRule::FixedB2b => fixed_b2b(principal),
            CostsRule::BeConsumer => be_consumer(principal),
            CostsRule::Wik => wik(principal),
        }
    }
}

/// What a consumer may be charged once the 14 days after the first reminder have run: the
/// interest's basis and the costs rule. Belgium (art. XIX.4 Code of Economic Law): only what
/// the terms provide, else the legal rate and no damages; the Netherlands: the legal rate of
/// art. 6:119 BW and the WIK costs (art. 6:96 lid 6 BW). A first reminder announces these.
pub fn consumer_charges(jurisdiction: Jurisdiction, terms: Terms) -> (InterestBasis, Option<CostsRule>) {
    match jurisdiction {
        Jurisdiction::Be => (
            if terms.consumer_interest_clause { InterestBasis::Contractual } else { InterestBasis::Legal },
            terms.consumer_damages_clause.then_some(CostsRule::BeConsumer),
        ),
        Jurisdiction::Nl => (InterestBasis::Legal, Some(CostsRule::Wik)),
    }
}

/// The rules that apply to one claim, worked out from its facts.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// The first day of interest and costs.
    from: NaiveDate,
    basis: Option<InterestBasis>,
    compound: bool,
    costs: Option<CostsRule>,
    /// From this day payments go to the charges first.
    demanded: Option<NaiveDate>,
    /// The Netherlands: costs before interest (art. 6:44 BW); Belgium: interest, principal,
    /// then the fixed damages.
    costs_first: bool,
}

/// The claim on an invoice as of `input.as_of`.
pub fn assess(table: &RateTable, input: &ClaimInput<'_>) -> Claim {
    let booked: Decimal = input.reductions.iter().filter(|r| r.on <= input.as_of).map(|r| r.amount).sum();
    let open = (input.amount - booked).max(Decimal::ZERO);
    let consumer = input.kind == CustomerKind::Consumer;
    let mut claim = Claim {
        jurisdiction: input.jurisdiction,
        kind: input.kind,
        as_of: input.as_of,
        open,
        charges_from: None,
        lawful: false,
        consumer_term: None,
        basis: None,
        compounded: false,
        interest: None,
        compensation: None,
        applied: Vec::new(),
        interest_paid: Decimal::ZERO,
        costs_paid: Decimal::ZERO,
        demanded: None,
        closed: input.closed.filter(|c| c.on() <= input.as_of),
        total: open,
        notes: Vec::new(),
    };
    let term = (input.due - input.issued).num_days();
    // A Belgian B2B term over 60 days is void: the 30-day default applies (law of 2 August
    // 2002, art. 4 §2 and art. 7). Counted from the invoice date; if the customer received
    // the invoice later, the term runs from that day.
    let mut due = input.due;
    if !consumer && term > BE_MAX_TERM_DAYS && input.jurisdiction == Jurisdiction::Be {
        due = add_days(input.issued, BE_DEFAULT_TERM_DAYS);
        claim.notes.push(format!(
            "the payment term of {term} days is longer than the {BE_MAX_TERM_DAYS} days Belgian law allows between businesses: \
             the clause is void and the {BE_DEFAULT_TERM_DAYS}-day default applies, so interest and costs run from {} \
             (counted from the invoice date: if the customer received it later, count from that day)",
            add_days(due, 1)
        ));
    }
    if !consumer && term > NL_MAX_TERM_DAYS && input.jurisdiction == Jurisdiction::Nl {
        claim.notes.push(format!(
            "the payment term of {term} days is longer than {NL_MAX_TERM_DAYS} days: between businesses art. 6:119a lid 5 BW \
             allows it only if expressly agreed and not grossly unfair to you"
        ));
    }
    if input.currency != Currency::EUR {
        claim.notes.push(format!(
            "statutory interest and costs are computed for EUR invoices only, not {}",
            input.currency
        ));
        return claim;
    }
    if let Some(c) = claim.closed {
        claim.notes.push(match c {
            Closing::Waived(on) => format!("interest and costs were waived on {on}"),
            Closing::Paid(on) => format!("interest and costs were paid on {on}"),
        });
        return claim;
    }
    let Some(rules) = rules(input, due, &mut claim) else { return claim };
    claim.charges_from = Some(rules.from);
    claim.basis = rules.basis;
    claim.compounded = rules.compound;
    claim.demanded = rules.demanded;
    if rules.from > input.as_of {
        claim.notes.push(format!("no interest or costs may be charged before {}", rules.from));
        claim.lawful = false;
        return claim;
    }
    if let Some(b) = rules.basis.filter(|b| !table.has(input.jurisdiction, b.rate_kind())) {
        claim.notes.push(format!(
            "no {} {} interest rate in the table: interest is left out (add [[rate]] rows with kind = \"{}\")",
            input.jurisdiction,
            b.as_str(),
            if b.rate_kind() == RateKind::Consumer { "consumer" } else { "b2b" }
        ));
    }
    let mut ledger = Ledger::new(table, input, &rules, true);
    if let Err(e) = ledger.run(input) {
        claim.notes.push(format!("{e}; interest is left out until it is added"));
        // Without interest the walk needs no rate and cannot fail.
        ledger = Ledger::new(table, input, &rules, false);
        let _ = ledger.run(input);
    }
    ledger.fill(&mut claim);
    claim.lawful = claim.total > Decimal::ZERO;
    claim
}

/// The rules of this claim; `None` (with a note) when nothing can be charged yet.
fn rules(input: &ClaimInput<'_>, due: NaiveDate, claim: &mut Claim) -> Option<Rules> {
    let j = input.jurisdiction;
    if input.kind == CustomerKind::Business {
        return Some(Rules {
            from: add_days(due, 1),
            basis: Some(InterestBasis::Commercial),
            compound: j == Jurisdiction::Nl,
            costs: Some(if j == Jurisdiction::Be { CostsRule::FixedB2b } else { CostsRule::Wik }),
            demanded: input.demanded.map(|d| d.max(add_days(due, 1))),
            costs_first: j == Jurisdiction::Nl,
        });
    }
    let Some(letter) = &input.first_reminder else {
        claim.notes.push(
            "a consumer owes no interest or costs before a free first reminder carrying the mentions the law requires, \
             and the 14 days it gives"
                .into(),
        );
        return None;
    };
    let t = consumer_term(j, letter);
    let (basis, costs) = consumer_charges(j, input.terms);
    claim.consumer_term = Some(t);
    if t.presumed {
        claim.notes.push(format!(
            "the reminder of {} is presumed received on {}: record the day of receipt if you know it",
            letter.sent,
            add_days(t.starts, -1)
        ));
    }
    let from = add_days(t.ends, 1);
    // The compliant first reminder named the exact charges: they are demanded the day they
    // fall due.
    Some(Rules {
        from,
        basis: Some(basis),
        compound: j == Jurisdiction::Nl,
        costs,
        demanded: Some(from),
        costs_first: j == Jurisdiction::Nl,
    })
}

/// The claim's ledger, walked day by day from the first day of charges to `as_of`: interest
/// accrues on the base, costs fall due, a year's interest is added to the base (NL), payments
/// are applied.
struct Ledger<'t> {
    acc: Option<Accrual<'t>>,
    rules: Rules,
    /// The first day not yet counted.
    at: NaiveDate,
    principal: Decimal,
    /// Interest added to the base and not paid.
    capitalised: Decimal,
    /// Interest accrued since the last capitalisation and not paid (exact).
    running: Decimal,
    costs: Option<Compensation>,
    costs_paid: Decimal,
    interest_paid: Decimal,
    applied: Vec<Applied>,
}

impl<'t> Ledger<'t> {
    fn new(table: &'t RateTable, input: &ClaimInput<'_>, rules: &Rules, interest: bool) -> Ledger<'t> {
        let acc = rules.basis.filter(|_| interest).and_then(|b| {
            table
                .has(input.jurisdiction, b.rate_kind())
                .then(|| Accrual::new(table, input.jurisdiction, b.rate_kind()))
        });
        Ledger {
            acc,
            rules: *rules,
            at: rules.from,
            principal: input.amount,
            capitalised: Decimal::ZERO,
            running: Decimal::ZERO,
            costs: None,
            costs_paid: Decimal::ZERO,
            interest_paid: Decimal::ZERO,
            applied: Vec::new(),
        }
    }

    fn run(&mut self, input: &ClaimInput<'_>) -> Result<(), super::interest::RateError> {
        let mut reductions: Vec<Reduction> =
            input.reductions.iter().filter(|r| r.on <= input.as_of).copied().collect();
        reductions.sort_by_key(|r| r.on);
        for r in &reductions {
            self.advance(r.on)?;
            self.apply(r);
        }
        self.advance(input.as_of)
    }

    /// Counts the days up to `end` (included): the costs fall due on their first day, on the
    /// principal open that morning; a year's interest joins the base on each anniversary.
    fn advance(&mut self, end: NaiveDate) -> Result<(), super::interest::RateError> {
        let from = self.rules.from;
        if end < from {
            return Ok(());
        }
        if self.costs.is_none()
            && let Some(rule) = self.rules.costs
            && self.principal > Decimal::ZERO
        {
            self.costs = Some(rule.on(self.principal));
        }
        let Some(acc) = self.acc.as_mut() else {
            self.at = self.at.max(add_days(end, 1));
            return Ok(());
        };
        while self.at <= end {
            let day = self.at;
            if self.rules.compound && day > from && anniversary(from, day) {
                let amount = round_cents(self.running);
                if amount > Decimal::ZERO {
                    self.capitalised += amount;
                    self.running -= amount;
                    acc.capitalise(day, amount);
                }
            }
            let last =
                if self.rules.compound { add_days(next_anniversary(from, day), -1).min(end) } else { end };
            // Interest runs on the principal and the interest added to it; once the
            // principal is paid, no interest runs on unpaid interest (art. 6:119 lid 2 BW
            // reads either way: the reading that charges the debtor less).
            let base = if self.principal > Decimal::ZERO {
                self.principal + self.capitalised
            } else {
                Decimal::ZERO
            };
            self.running += acc.add(base, day, last)?;
            self.at = add_days(last, 1);
            if last == NaiveDate::MAX {
                break;
            }
        }
        Ok(())
    }

    /// A reduction at the end of its day. A credit or write-off lowers the principal; a
    /// payment goes to the charges first once they were demanded.
    fn apply(&mut self, r: &Reduction) {
        let demanded = self.rules.demanded.is_some_and(|d| d <= r.on) && r.on >= self.rules.from;
        if r.kind != PaymentKind::Payment || !demanded {
            self.principal = (self.principal - r.amount).max(Decimal::ZERO);
            return;
        }
        let mut left = r.amount;
        let take = |owed: Decimal, left: &mut Decimal| {
            let t = owed.min(*left).max(Decimal::ZERO);
            *left -= t;
            t
        };
        let costs_owed = self.costs.as_ref().map_or(Decimal::ZERO, |c| c.amount) - self.costs_paid;
        // The interest due is what has accrued, to the cent below (the rest keeps accruing).
        let interest_owed = (self.capitalised + self.running)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
        let (costs, interest, principal) = if self.rules.costs_first {
            let c = take(costs_owed, &mut left);
            let i = take(interest_owed, &mut left);
            let p = take(self.principal, &mut left);
            (c, i, p)
        } else {
            let i = take(interest_owed, &mut left);
            let p = take(self.principal, &mut left);
            let c = take(costs_owed, &mut left);
            (c, i, p)
        };
        self.costs_paid += costs;
        self.interest_paid += interest;
        let from_capitalised = interest.min(self.capitalised);
        self.capitalised -= from_capitalised;
        self.running -= interest - from_capitalised;
        self.principal -= principal;
        self.applied.push(Applied { on: r.on, amount: r.amount, costs, interest, principal });
    }

    fn fill(self, claim: &mut Claim) {
        claim.open = self.principal;
        claim.interest = self.acc.map(Accrual::finish);
        if let Some(i) = &claim.interest {
            claim.notes.extend(i.warnings.iter().cloned());
        }
        claim.compensation = self.costs;
        claim.costs_paid = self.costs_paid;
        claim.interest_paid = self.interest_paid;
        claim.applied = self.applied;
        claim.total = round_cents(claim.open + claim.interest_open() + claim.compensation_open());
    }
}

/// `start` plus `years` years (29 February becomes 28 February).
fn plus_years(start: NaiveDate, years: u32) -> NaiveDate {
    start.checked_add_months(Months::new(years.saturating_mul(12))).unwrap_or(NaiveDate::MAX)
}

/// Whether `day` is `start` plus a whole number (≥ 1) of years.
fn anniversary(start: NaiveDate, day: NaiveDate) -> bool {
    next_anniversary(start, add_days(day, -1)) == day
}

/// The first anniversary of `start` after `day`.
fn next_anniversary(start: NaiveDate, day: NaiveDate) -> NaiveDate {
    let mut years = 1;
    loop {
        let a = plus_years(start, years);
        if a > day || a == NaiveDate::MAX {
            return a;
        }
        years += 1;
    }
}

#[cfg(test)]
mod tests;
