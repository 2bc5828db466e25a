//! The ladder's facts of an invoice, gathered from the store and read through the config, and
//! the one answer ([`crate::domain::ladder::evaluate`]) on them. One invoice ([`LadderInput`])
//! or every open invoice in one pass ([`LadderBook`] and the pass's events, a handful of
//! queries whatever the book's size) give the same facts, so every surface gets the same
//! answer.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::agreement::Agreement;
use crate::domain::call::Call;
use crate::domain::customer::{Customer, CustomerId, CustomerKind, Profile};
use crate::domain::event::RegisteredMail;
use crate::domain::event::TimelineEntry;
use crate::domain::event::{Channel, EventKind};
use crate::domain::idmap::{IdMap, IdSet};
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::{Attempt, DoneStep, Facts, LetterTerms, Pause, PauseKind, Standing, evaluate};
use crate::domain::pause::{agreement_pauses, attempts, claim_pause};
use crate::domain::policy::{Ladder, Step};
use crate::store::{LadderEvent, OpenRow, Result, Store};

/// Everything the ladder looks at for one invoice, but its own dates and ladder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LadderInput {
    pub done: Vec<DoneStep>,
    pub pauses: Vec<Pause>,
    pub attempts: Vec<Attempt>,
    pub customer_reached: Option<NaiveDate>,
    /// The terms the customer's letters give.
    pub terms: LetterTerms,
}

impl LadderInput {
    /// The facts from an invoice's timeline (oldest first: every event, or only the ladder's,
    /// as the pass over the open invoices reads them), its registered formal notice, its
    /// agreements and its calls (newest first), as of `today`. `consumer`: the customer is a
    /// private person (the first reminder gives them 14 days).
    #[allow(clippy::too_many_arguments)]
    pub fn gather(
        config: &Config,
        consumer: bool,
        timeline: &[LadderEvent],
        registered: Option<&RegisteredMail>,
        agreements: &[Agreement],
        calls: &[Call],
        customer_reached: Option<NaiveDate>,
        today: NaiveDate,
    ) -> LadderInput {
        let mut input = LadderInput::default();
        let facts = Gathered { consumer, registered, agreements, calls, customer_reached };
        input.fill(config, timeline, &facts, today, &mut NoticeTerms::default());
        input
    }

    /// [`LadderInput::gather`] into this one, its lists used again (one invoice after another
    /// in a pass), the formal notices' terms taken from `terms` when worked out before.
    fn fill(
        &mut self,
        config: &Config,
        timeline: &[LadderEvent],
        facts: &Gathered<'_>,
        today: NaiveDate,
        terms: &mut NoticeTerms,
    ) {
        self.done.clear();
        self.pauses.clear();
        self.terms = config.letter_terms(facts.consumer);
        for e in timeline {
            if let Some(step) = e.kind.step() {
                self.done.push(DoneStep { step, on: e.on, channel: e.channel });
                // The term the step's letter gives (the firm reminder's, a consumer's 14 days,
                // the formal notice's from its receipt): nothing escalates before it ran.
                let pause = if step == Step::FormalNotice {
                    let received = facts.registered.filter(|r| r.sent == e.on).and_then(|r| r.received);
                    terms.of(&self.terms, e.on, e.channel, received)
                } else {
                    self.terms.pause(step, e.on, e.channel, None)
                };
                self.pauses.extend(pause);
            }
            match e.kind {
                EventKind::DisputeOpened => self.pauses.push(Pause {
                    kind: PauseKind::Dispute,
                    since: e.on,
                    until: None,
                    ended: None,
                }),
                EventKind::DisputeResolved => {
                    if let Some(p) = self
                        .pauses
                        .iter_mut()
                        .rev()
                        .find(|p| p.kind == PauseKind::Dispute && p.ended.is_none())
                    {
                        p.ended = Some(e.on);
                    }
                }
                _ => {}
            }
        }
        if !facts.agreements.is_empty() {
            self.pauses.extend(agreement_pauses(facts.agreements, today, config.agreements.grace_days));
        }
        if facts.calls.is_empty() {
            self.attempts.clear();
        } else {
            self.pauses.extend(claim_pause(facts.calls, today));
            self.attempts = attempts(facts.calls, config.agreements.retry_days);
        }
        self.customer_reached = facts.customer_reached;
    }

    /// The one answer on these facts.
    pub fn evaluate(&self, ladder: &Ladder, due: NaiveDate, open: bool, today: NaiveDate) -> Standing {
        evaluate(
            &Facts {
                ladder,
                due,
                open,
                done: &self.done,
                pauses: &self.pauses,
                attempts: &self.attempts,
                customer_reached: self.customer_reached,
                terms: self.terms,
            },
            today,
        )
    }
}

/// What an invoice's facts are gathered from beside its timeline.
struct Gathered<'f> {
    consumer: bool,
    registered: Option<&'f RegisteredMail>,
    agreements: &'f [Agreement],
    calls: &'f [Call],
    customer_reached: Option<NaiveDate>,
}

/// The formal notices' terms already worked out, by the letters' terms, day sent, channel and
/// day received: a term counts working days (holidays included), and many notices share their
/// day.
#[derive(Debug, Default)]
struct NoticeTerms(HashMap<NoticeSent, Option<Pause>>);

/// A formal notice as its term counts it: the letters' terms, day sent, channel, day received.
type NoticeSent = (LetterTerms, NaiveDate, Option<Channel>, Option<NaiveDate>);

impl NoticeTerms {
    fn of(
        &mut self,
        terms: &LetterTerms,
        sent: NaiveDate,
        channel: Option<Channel>,
        received: Option<NaiveDate>,
    ) -> Option<Pause> {
        *self
            .0
            .entry((*terms, sent, channel, received))
            .or_insert_with(|| terms.pause(Step::FormalNotice, sent, channel, received))
    }
}

/// What the ladders and the agenda need of a customer, without its texts (its name only picks
/// its ladder, once): a pass over a large book's invoices holds a few bytes per customer.
#[derive(Debug, Clone, Copy)]
pub struct CustomerFacts<'a> {
    pub id: CustomerId,
    pub profile: Profile,
    pub kind: CustomerKind,
    pub archived: bool,
    pub ladder: &'a Ladder,
}

impl<'a> CustomerFacts<'a> {
    /// The facts of one customer.
    pub fn of(config: &'a Config, c: &Customer) -> CustomerFacts<'a> {
        CustomerFacts {
            id: c.id,
            profile: c.profile,
            kind: c.kind,
            archived: c.archived,
            ladder: config.ladder_for(&c.name, c.profile),
        }
    }

    /// The facts of these customers, in their order.
    pub fn all(config: &'a Config, customers: &[Customer]) -> Vec<CustomerFacts<'a>> {
        customers.iter().map(|c| CustomerFacts::of(config, c)).collect()
    }

    /// The facts of every customer in the book, read one at a time (never all of their texts
    /// at once).
    pub fn load(store: &Store, config: &'a Config) -> Result<Vec<CustomerFacts<'a>>> {
        let mut facts = Vec::new();
        store.each_customer(|c| facts.push(CustomerFacts::of(config, &c)))?;
        Ok(facts)
    }
}

/// The ladder facts of the open invoices that are few (registered formal notices,
/// agreements, calls, the days each customer was last reached) and each customer's ladder,
/// loaded at once; the many (steps and disputes) come with each invoice in the pass over the
/// open invoices ([`Store::each_open_invoice_with_events`]), so the facts of a million
/// invoices are never held together.
#[derive(Debug)]
pub struct LadderBook<'a> {
    config: &'a Config,
    today: NaiveDate,
    mail: IdMap<InvoiceId, RegisteredMail>,
    agreements: IdMap<InvoiceId, Vec<Agreement>>,
    calls: IdMap<InvoiceId, Vec<Call>>,
    reached: IdMap<CustomerId, NaiveDate>,
    ladders: IdMap<CustomerId, &'a Ladder>,
    consumers: IdSet<CustomerId>,
    /// The facts of the invoice being looked at, their lists used again for the next one.
    scratch: RefCell<LadderInput>,
    terms: RefCell<NoticeTerms>,
}

impl<'a> LadderBook<'a> {
    pub fn load(store: &Store, config: &'a Config, today: NaiveDate) -> Result<LadderBook<'a>> {
        LadderBook::with_customers(store, config, today, &CustomerFacts::load(store, config)?)
    }

    /// [`LadderBook::load`] with the customers already read.
    pub fn with_customers(
        store: &Store,
        config: &'a Config,
        today: NaiveDate,
        customers: &[CustomerFacts<'a>],
    ) -> Result<LadderBook<'a>> {
        Ok(LadderBook {
            config,
            today,
            mail: store.open_registered_mail()?.into_iter().collect(),
            agreements: store.open_invoice_agreements()?.into_iter().collect(),
            calls: store.open_invoice_calls()?.into_iter().collect(),
            reached: store.customers_reached(today)?.into_iter().collect(),
            ladders: customers.iter().map(|c| (c.id, c.ladder)).collect(),
            consumers: customers.iter().filter(|c| c.kind == CustomerKind::Consumer).map(|c| c.id).collect(),
            scratch: RefCell::new(LadderInput::default()),
            terms: RefCell::new(NoticeTerms::default()),
        })
    }

    /// The customer's ladder (the profile's with the customer's overrides).
    pub fn ladder(&self, customer: CustomerId) -> Option<&'a Ladder> {
        self.ladders.get(&customer).copied()
    }

    fn gathered(&self, id: InvoiceId, customer: CustomerId) -> Gathered<'_> {
        Gathered {
            consumer: self.consumers.contains(&customer),
            registered: self.mail.get(&id),
            agreements: self.agreements.get(&id).map_or(&[], Vec::as_slice),
            calls: self.calls.get(&id).map_or(&[], Vec::as_slice),
            customer_reached: self.reached.get(&customer).copied(),
        }
    }

    /// The facts of one open invoice, with its ladder events (oldest first) from the pass.
    pub fn input(&self, id: InvoiceId, customer: CustomerId, events: &[LadderEvent]) -> LadderInput {
        let mut input = LadderInput::default();
        let facts = self.gathered(id, customer);
        input.fill(self.config, events, &facts, self.today, &mut self.terms.borrow_mut());
        input
    }

    /// Where an open invoice of the pass stands today, given its ladder events.
    pub fn standing(&self, row: &OpenRow<'_>, events: &[LadderEvent]) -> Option<Standing> {
        let ladder = self.ladder(row.customer_id)?;
        let facts = self.gathered(row.id, row.customer_id);
        let mut input = self.scratch.borrow_mut();
        input.fill(self.config, events, &facts, self.today, &mut self.terms.borrow_mut());
        Some(input.evaluate(ladder, row.due, true, self.today))
    }

    /// Where every open invoice stands today, by id: one pass. For a look at a whole small
    /// book (the tests); the screens and commands work inside the pass instead.
    pub fn standings(
        store: &Store,
        config: &Config,
        today: NaiveDate,
    ) -> Result<HashMap<InvoiceId, Standing>> {
        let book = LadderBook::load(store, config, today)?;
        let mut all = HashMap::new();
        store.each_open_invoice_with_events(|r, events| {
            if let Some(s) = book.standing(&r, events) {
                all.insert(r.id, s);
            }
        })?;
        Ok(all)
    }
}

/// Where one invoice stands: its customer's ladder, the facts and the answer.
#[derive(Debug, Clone)]
pub struct InvoiceStanding {
    pub ladder: Ladder,
    pub facts: LadderInput,
    pub standing: Standing,
}

impl InvoiceStanding {
    /// The invoice's standing as of `today`, from its timeline (given, oldest first, as the
    /// caller usually has it already).
    pub fn load(
        store: &Store,
        config: &Config,
        invoice: &crate::domain::invoice::Invoice,
        customer: &crate::domain::customer::Customer,
        timeline: &[TimelineEntry],
        today: NaiveDate,
    ) -> Result<InvoiceStanding> {
        let ladder = config.ladder_for(&customer.name, customer.profile).clone();
        let facts = LadderInput::gather(
            config,
            customer.kind == CustomerKind::Consumer,
            &timeline.iter().map(LadderEvent::from).collect::<Vec<_>>(),
            store.registered_mail(invoice.id)?.as_ref(),
            &store.agreements(invoice.id)?,
            &store.calls(invoice.id)?,
            store.customer_reached(customer.id, today)?,
            today,
        );
        let standing = facts.evaluate(&ladder, invoice.due, !invoice.open.is_zero(), today);
        Ok(InvoiceStanding { ladder, facts, standing })
    }
}
