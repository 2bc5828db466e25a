//! The Today agenda, for the app's first screen and `settle report agenda`: the open invoices
//! near or past their due date, where each stands on its ladder (the one answer), the lines
//! that calls and agreements ask for, and the thank-yous to send.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::case::{ClaimFacts, claim_of, claimable};
use super::standing::{CustomerFacts, LadderBook};
use crate::config::Config;
use crate::domain::agenda::{
    Agenda, AgendaItem, AgendaParts, CallNote, CallNoteKind, Kept, OpenInvoice, SectionKind, horizon_days,
};
use crate::domain::agreement::{AgreementKind, AgreementStatus};
use crate::domain::customer::{CustomerId, CustomerKind, Profile};
use crate::domain::dates::add_days;
use crate::domain::idmap::{IdMap, IdSet};
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::{DoneStep, Facts, LetterTerms, evaluate};
use crate::domain::money::{Currency, Money};
use crate::domain::numbers::Numbers;
use crate::store::{CallAgendaKind, LadderEvent, OpenIds, OpenRow, PaidLate, Result, Store, ThankYouRow};

/// The sections a large book's first frame shows before the rest of the agenda
/// ([`AgendaBuilder::first_sections`]): what fell due since the previous run, and the lines
/// of calls (promises, instalments, call-backs). Today shows them first.
pub const FIRST_SECTIONS: [SectionKind; 2] = [SectionKind::PassedDue, SectionKind::Agreements];

/// How long after its payment an invoice is proposed for a thank-you.
pub const THANK_YOU_DAYS: i64 = 30;

/// The agenda and what its lines point at.
#[derive(Debug, Clone, Default)]
pub struct TodayAgenda {
    pub agenda: Agenda,
    /// The items' invoice numbers, by `AgendaItem::index`.
    pub numbers: Numbers,
}

impl TodayAgenda {
    /// The agenda as of `today` (`since`: the day of the previous run), with its own pass over
    /// the open invoices.
    /// On a large book in a file, two threads share the pass ([`super::pass`]).
    pub fn load(store: &Store, config: &Config, today: NaiveDate, since: NaiveDate) -> Result<TodayAgenda> {
        TodayAgenda::load_sharing(
            store,
            config,
            (today, since),
            (super::pass::RANGES, super::pass::THREADS_FROM),
        )
    }

    /// [`TodayAgenda::load`], the pass shared as `sharing` says ([`super::pass::over_open_invoices`]).
    fn load_sharing(
        store: &Store,
        config: &Config,
        (today, since): (NaiveDate, NaiveDate),
        sharing: (i64, i64),
    ) -> Result<TodayAgenda> {
        let currency = store.book_currency()?;
        let customers = CustomerFacts::load(store, config)?;
        let builder = super::pass::over_open_invoices(
            store,
            sharing,
            |store| AgendaBuilder::with_customers(store, config, today, since, &customers),
            |builder, r, events| {
                builder.offer(&r, events, currency);
                Ok(())
            },
            |builder, other| {
                builder.merge(other);
                Ok(())
            },
        )?;
        // The invoices paid late are read once, in order, too.
        store.with_page_cache(super::pass::PAGE_CACHE_KIB, || builder.finish(store, currency))
    }
}

/// Collects the agenda during a pass over the open invoices (the app makes one pass for the
/// agenda and the aging at once): each invoice becomes its line, or none, as it comes.
pub struct AgendaBuilder<'a> {
    config: &'a Config,
    today: NaiveDate,
    since: NaiveDate,
    horizon: NaiveDate,
    ladders: LadderBook<'a>,
    concerned: IdSet<InvoiceId>,
    profiles: IdMap<CustomerId, Profile>,
    kinds: IdMap<CustomerId, CustomerKind>,
    parts: AgendaParts,
    numbers: Numbers,
}

impl<'a> AgendaBuilder<'a> {
    /// The builder for `today`, the previous run on `since`, with the book's customers.
    pub fn with_customers(
        store: &Store,
        config: &'a Config,
        today: NaiveDate,
        since: NaiveDate,
        customers: &[CustomerFacts<'a>],
    ) -> Result<AgendaBuilder<'a>> {
        let calls = call_notes(store, today, config.agreements.grace_days)?;
        let concerned = calls.iter().map(|c| c.invoice).collect();
        // Archived customers are hidden from Today: their invoices find no profile here.
        let shown = || customers.iter().filter(|c| !c.archived);
        let profiles = shown().map(|c| (c.id, c.profile)).collect();
        let kinds = shown().map(|c| (c.id, c.kind)).collect();
        Ok(AgendaBuilder {
            config,
            today,
            since,
            horizon: add_days(today, horizon_days(&config.policy)),
            ladders: LadderBook::with_customers(store, config, today, customers)?,
            concerned,
            profiles,
            kinds,
            parts: AgendaParts::new(&calls, today, since),
            numbers: Numbers::default(),
        })
    }

    /// One open invoice of the pass, with its ladder events; those due after the horizon with
    /// no call line are left.
    pub fn offer(&mut self, r: &OpenRow<'_>, events: &[LadderEvent], book_currency: Currency) {
        if r.due > self.horizon && !self.concerned.contains(&r.id) {
            return;
        }
        let (Some(profile), Some(ladder)) =
            (self.profiles.get(&r.customer_id), self.ladders.ladder(r.customer_id))
        else {
            return;
        };
        let Some(standing) = self.ladders.standing(r, events) else { return };
        let currency = if r.currency == book_currency.as_str() {
            book_currency
        } else {
            r.currency.parse().unwrap_or(book_currency)
        };
        self.parts.add(OpenInvoice {
            id: r.id,
            customer_id: r.customer_id,
            profile: *profile,
            due: r.due,
            open: Money::from_cents(r.open_cents, currency),
            paid: false,
            claim: false,
            last: standing.last(ladder),
            standing,
        });
        self.numbers.push(r.number);
    }

    /// Only the agenda's [`FIRST_SECTIONS`], for a large book's first frame: each line of
    /// them comes from an invoice known beforehand (one due between the previous run and
    /// today, or one a call line names), so offering just those open invoices gives these
    /// sections as the whole pass gives them. `None` when more than `most` invoices would
    /// have to be offered one by one (the whole pass is then as quick).
    pub fn first_sections(
        mut self,
        store: &Store,
        book_currency: Currency,
        most: usize,
    ) -> Result<Option<TodayAgenda>> {
        let mut ids = store.open_ids_due_between(self.since, self.today)?;
        if ids.len().saturating_add(self.concerned.len()) > most {
            return Ok(None);
        }
        ids.extend(self.concerned.iter().copied());
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            store.each_open_invoice_with_events_in(OpenIds::one(id), |r, events| {
                self.offer(&r, events, book_currency);
            })?;
        }
        let mut first = self.finish_with(Settled::default(), book_currency);
        first.agenda.sections.retain(|s| FIRST_SECTIONS.contains(&s.kind));
        Ok(Some(first))
    }

    /// Takes in what `other` collected over another share of the open invoices.
    pub fn merge(&mut self, other: AgendaBuilder<'_>) {
        self.parts.merge(other.parts);
        self.numbers.extend(&other.numbers);
    }

    /// The agenda, with the claims on principals paid late in the last month whose interest
    /// and costs are still claimable (latest payment first), and the thank-yous for invoices
    /// paid in the last month after a reminder (not for one with a claim to decide). The
    /// invoices paid late are read one at a time; only the claimable ones are kept.
    pub fn finish(mut self, store: &Store, book_currency: Currency) -> Result<TodayAgenda> {
        let from = add_days(self.today, -THANK_YOU_DAYS);
        // The claims become lines as they are read (the builder's own lists, taken out while
        // it reads), each with the day its principal was paid, by its order of offering.
        let mut parts = std::mem::replace(&mut self.parts, AgendaParts::new(&[], self.today, self.since));
        let mut numbers = std::mem::take(&mut self.numbers);
        let first = parts.offered();
        let mut paid_on = Vec::new();
        let mut claimed = HashSet::new();
        // Only a consumer's claim, or one after a formal notice, depends on the timeline.
        let consumer = |c| self.kinds.get(&c) == Some(&CustomerKind::Consumer);
        store.each_paid_late(
            from,
            self.today,
            |c, noticed| noticed || consumer(c),
            |paid, late| {
                if let Some((line, number)) = self.claim_line(late) {
                    claimed.insert(line.id);
                    paid_on.push(paid);
                    parts.add_claim(line);
                    numbers.push(&number);
                }
            },
        )?;
        // Latest payment first; ids are unique, so an unstable sort gives the one order.
        let day = |i: &AgendaItem| i.index.checked_sub(first).and_then(|k| paid_on.get(k as usize)).copied();
        parts.sort_claims(|i| (std::cmp::Reverse(day(i)), i.invoice.id));
        (self.parts, self.numbers) = (parts, numbers);
        let thanks = store.thank_yous_due(from, self.today)?;
        Ok(self.finish_with(Settled { claimed, thanks }, book_currency))
    }

    /// An invoice paid late as a claim's line, with its number, if its interest and costs
    /// are still claimable.
    fn claim_line(&self, late: PaidLate) -> Option<(Kept, String)> {
        let invoice = late.invoice;
        let customer_id = invoice.customer_id;
        let (Some(profile), Some(kind), Some(ladder)) =
            (self.profiles.get(&customer_id), self.kinds.get(&customer_id), self.ladders.ladder(customer_id))
        else {
            return None;
        };
        let claim = claim_of(self.config, &invoice, *kind, &late.payments, &late.events, self.today);
        if !claimable(&invoice, &claim, &ClaimFacts::gather(invoice.due, &late.events)) {
            return None;
        }
        let standing = evaluate(
            &Facts {
                ladder,
                due: invoice.due,
                open: false,
                done: &[],
                pauses: &[],
                attempts: &[],
                customer_reached: None,
                // Settled: no letter's term counts.
                terms: LetterTerms::default(),
            },
            self.today,
        );
        let line = OpenInvoice {
            id: invoice.id,
            customer_id,
            profile: *profile,
            due: invoice.due,
            open: Money::new(claim.total, invoice.amount.currency),
            paid: true,
            claim: true,
            last: None,
            standing,
        };
        Some((line.kept(SectionKind::Claims), invoice.number))
    }

    /// [`AgendaBuilder::finish`] with the invoices settled lately already read (none, for
    /// Today's first frame: `Settled::default()`).
    pub fn finish_with(mut self, settled: Settled, book_currency: Currency) -> TodayAgenda {
        let mut thanked = settled.claimed;
        for t in settled.thanks {
            let (Some(profile), Some(ladder)) =
                (self.profiles.get(&t.customer_id), self.ladders.ladder(t.customer_id))
            else {
                continue;
            };
            if !thanked.insert(t.id) || t.amount_cents <= 0 {
                continue;
            }
            let done: Vec<DoneStep> =
                t.steps_done.iter().map(|step| DoneStep { step, on: t.due, channel: None }).collect();
            let standing = evaluate(
                &Facts {
                    ladder,
                    due: t.due,
                    open: false,
                    done: &done,
                    pauses: &[],
                    attempts: &[],
                    customer_reached: None,
                    terms: LetterTerms::default(),
                },
                self.today,
            );
            self.parts.add(OpenInvoice {
                id: t.id,
                customer_id: t.customer_id,
                profile: *profile,
                due: t.due,
                open: Money::from_cents(t.amount_cents, t.currency.parse().unwrap_or(book_currency)),
                paid: true,
                claim: false,
                last: standing.last(ladder),
                standing,
            });
            self.numbers.push(&t.number);
        }
        TodayAgenda { agenda: self.parts.finish(), numbers: self.numbers }
    }
}

/// The invoices settled in the month before today that Today proposes something for.
#[derive(Debug, Default)]
pub struct Settled {
    /// Principals paid late whose interest and costs are still claimable, already among the
    /// agenda's lines: no thank-you for them.
    claimed: HashSet<InvoiceId>,
    /// Invoices paid in full after a reminder, not thanked yet.
    thanks: Vec<ThankYouRow>,
}

/// The agenda lines from calls and running agreements as of `today`.
fn call_notes(store: &Store, today: NaiveDate, grace_days: u32) -> Result<Vec<CallNote>> {
    let running = store.running_agreements()?;
    Ok(store
        .call_agenda_of(&running, today, grace_days)?
        .into_iter()
        .filter_map(|c| {
            Some(CallNote {
                invoice: c.invoice?,
                kind: match c.kind {
                    CallAgendaKind::Broken => CallNoteKind::Broken,
                    CallAgendaKind::Due => CallNoteKind::Due,
                    CallAgendaKind::CheckClaimedPayment => CallNoteKind::CheckClaimedPayment,
                    CallAgendaKind::CallBack => CallNoteKind::CallBack,
                },
                plan: matches!(c.agreement, Some((_, AgreementKind::Plan))),
                // A broken agreement is told by the day that was missed.
                date: match c.status {
                    Some(AgreementStatus::Broken { missed_due, .. }) => missed_due,
                    _ => c.date,
                },
                amount: c.amount,
            })
        })
        .collect())
}

/// The machine-readable kind of an agenda item: `passed_due`, `promise_due`,
/// `promise_broken`, `instalment_due`, `instalment_missed`, `claimed_payment`, `callback`,
/// `step`, `nudge`, `claimable` (principal paid, interest and costs still claimable) or
/// `thank_you`.
pub fn item_kind(item: &AgendaItem) -> &'static str {
    match (item.kind, item.call.as_deref()) {
        (_, Some(c)) => match (c.kind, c.plan) {
            (CallNoteKind::Broken, true) => "instalment_missed",
            (CallNoteKind::Broken, false) => "promise_broken",
            (CallNoteKind::Due, true) => "instalment_due",
            (CallNoteKind::Due, false) => "promise_due",
            (CallNoteKind::CheckClaimedPayment, _) => "claimed_payment",
            (CallNoteKind::CallBack, _) => "callback",
        },
        (SectionKind::PassedDue, None) => "passed_due",
        (SectionKind::StepsDue, None) | (SectionKind::Agreements, None) => "step",
        (SectionKind::Nudges, None) => "nudge",
        (SectionKind::Claims, None) => "claimable",
        (SectionKind::ThankYous, None) => "thank_you",
    }
}

/// What Today proposes for an invoice just paid in full: first the interest and costs still
/// claimable (claim them or waive them), else a thank-you, else nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterPayment {
    Claimable(Money),
    ThankYou,
    Nothing,
}

/// [`AfterPayment`] for invoice `id`, by the agenda's own rules ([`claimable`] and
/// [`Store::thank_yous_due`]), so a payment's message never announces a line Today does not
/// show.
pub fn after_payment(
    store: &Store,
    config: &Config,
    id: InvoiceId,
    today: NaiveDate,
) -> anyhow::Result<AfterPayment> {
    let case = super::CaseFile::load(store, config, id, today)?;
    if case.claimable() {
        return Ok(AfterPayment::Claimable(Money::new(
            case.claim.charges_open(),
            case.invoice.amount.currency,
        )));
    }
    let thank = store.thank_yous_due(add_days(today, -THANK_YOU_DAYS), today)?.iter().any(|t| t.id == id);
    Ok(if thank { AfterPayment::ThankYou } else { AfterPayment::Nothing })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::demo::{DemoOptions, write_demo};

    /// Each line of an agenda: its section, invoice, step and amount, in order.
    fn lines(a: &TodayAgenda) -> Vec<String> {
        a.agenda
            .sections
            .iter()
            .flat_map(|s| {
                s.items.iter().map(move |i| {
                    format!(
                        "{:?} {} {:?} {}",
                        s.kind,
                        a.numbers.get(i.index as usize),
                        i.step,
                        i.invoice.open
                    )
                })
            })
            .collect()
    }

    #[test]
    fn two_threads_give_the_report_what_one_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("book.db")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        write_demo(&mut store, &DemoOptions { customers: 30, invoices: 3000, seed: 11, busy: true }, today)
            .unwrap();
        let config = Config::default();
        let days = (today, add_days(today, -4));
        let one = TodayAgenda::load_sharing(&store, &config, days, (1, i64::MAX)).unwrap();
        let two = TodayAgenda::load_sharing(&store, &config, days, (16, 0)).unwrap();
        assert!(one.agenda.sections.iter().map(|s| s.items.len()).sum::<usize>() > 300);
        assert!(one.agenda.sections.iter().any(|s| s.kind == SectionKind::Claims));
        assert_eq!(lines(&one), lines(&two));
    }
}
