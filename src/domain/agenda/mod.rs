//! The Today agenda: what to do about the open invoices today, and why. Pure: the open
//! invoices, the policy, today and the day of the previous run go in; sections of items, each
//! able to say what to do and why, come out.
//!
//! Sections, in order: invoices that passed their due date since the previous run (check the
//! bank before anything else: a reminder to a customer who already paid is embarrassing),
//! promises and call-backs (broken agreements first), ladder steps due today or earlier, and
//! friendly nudges to send before a due date. An invoice appears at most once among the
//! agenda: one line per invoice. A line from a call or an agreement (a broken promise, a
//! call-back) carries the ladder's step to take with it; else a step that is due wins over
//! "passed due", because it says what to do. Where the invoice stands (paused, disputed, the
//! step to take and the ones it skips) is the ladder's one answer, [`super::ladder::Standing`],
//! worked out before: the agenda only sorts and words it.
//!
//! Items are small `Copy` values: a book of a million invoices can have a hundred thousand of
//! them, so their sentences are written only for the lines on screen.

use crate::domain::format;
use chrono::NaiveDate;

use super::customer::{CustomerId, Profile};
use super::invoice::InvoiceId;
use super::ladder::{Dated, PauseKind, Standing, State};
use super::money::Money;
use super::policy::{Policy, Step};
use crate::domain::idmap::IdMap;

mod calls;
pub use super::ladder::StepSet;
pub use calls::{CallNote, CallNoteKind};

/// The facts about one invoice that the agenda needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub profile: Profile,
    pub due: NaiveDate,
    /// What is still open; for a thank-you, what was paid; for a claim, the interest and
    /// costs still claimable.
    pub open: Money,
    /// Nothing is open any more: a thank-you to send (or a claim to make, with `claim`).
    pub paid: bool,
    /// The principal is paid, but interest and costs (`open`) are still claimable: claim
    /// them or waive them.
    pub claim: bool,
    /// Where it stands on its ladder today.
    pub standing: Standing,
    /// The highest rung already taken, the nudge aside.
    pub last: Option<Step>,
}

/// The kinds of section, in the order Today shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    PassedDue,
    Agreements,
    StepsDue,
    Claims,
    Nudges,
    ThankYous,
}

impl OpenInvoice {
    /// What a line of `kind` keeps of it: the facts its sentence says.
    pub fn kept(&self, kind: SectionKind) -> Kept {
        let s = &self.standing;
        let waiting = match s.state {
            State::Disputed { .. } => Some(Aside::Disputed),
            State::Paused { kind, until, .. } => Some(Aside::Paused { kind, until }),
            State::Open | State::Settled => None,
        };
        let aside = match kind {
            // What comes next: the step ahead (the invoice just passed due, none is to take).
            SectionKind::PassedDue => match (waiting, s.next) {
                (Some(w), _) => w,
                (_, Some(n)) => Aside::Next { step: n.step, on: n.on },
                (_, None) => Aside::Nothing,
            },
            // A call's line: whether escalation waits all the same (a broken agreement on a
            // disputed invoice does not bring the next step).
            SectionKind::Agreements => waiting.unwrap_or(Aside::Nothing),
            // Escalation resumed because a promise or a plan was broken after the due date.
            SectionKind::StepsDue => match s.resumed {
                Some((kind @ (PauseKind::Promise | PauseKind::InstalmentPlan), since))
                    if since > self.due =>
                {
                    Aside::Broken { plan: kind == PauseKind::InstalmentPlan, since }
                }
                _ => Aside::Nothing,
            },
            _ => Aside::Nothing,
        };
        Kept {
            id: self.id,
            customer_id: self.customer_id,
            profile: self.profile,
            due: self.due,
            open: self.open,
            last: self.last,
            nudged: s.done.contains(Step::Nudge),
            tries: s.tries,
            aside,
        }
    }
}

/// What a line keeps of its invoice: the facts its sentence says (the whole [`Standing`] is
/// 60 bytes, and a large book's agenda has a hundred thousand lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub profile: Profile,
    pub due: NaiveDate,
    /// As [`OpenInvoice::open`] (what is claimable on a claim's line, what was paid on a
    /// thank-you's: the line's section says which).
    pub open: Money,
    /// The highest rung already taken, the nudge aside.
    pub last: Option<Step>,
    /// The nudge was sent.
    pub nudged: bool,
    /// The calls made that nobody answered.
    pub tries: u8,
    pub aside: Aside,
}

/// The one thing a line says about where its invoice stands, besides its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aside {
    Nothing,
    /// Passed due and disputed: escalation waits.
    Disputed,
    /// Passed due and paused until `until`.
    Paused {
        kind: PauseKind,
        until: NaiveDate,
    },
    /// Passed due; the next step and its day.
    Next {
        step: Step,
        on: NaiveDate,
    },
    /// A step due because a promise (or an instalment plan) was broken on `since`.
    Broken {
        plan: bool,
        since: NaiveDate,
    },
}

/// One thing to do: which invoice, which step, and the facts that say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    /// Where the invoice is in the agenda's input.
    pub index: u32,
    pub invoice: Kept,
    pub kind: SectionKind,
    /// The ladder step to take, `None` when the thing to do is to look (check the bank).
    pub step: Option<Step>,
    /// In the agreements section: the promise, instalment or call-back (boxed: a few lines
    /// have one, and an agenda can have a hundred thousand lines).
    pub call: Option<Box<CallNote>>,
    /// Steps that fell due before `step` and that taking it skips.
    pub skips: StepSet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub title: String,
    pub items: Vec<AgendaItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agenda {
    /// Only sections with at least one item, in [`SectionKind`] order.
    pub sections: Vec<Section>,
}

impl Agenda {
    pub fn len(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How far ahead of their due date invoices matter to the agenda: the earliest step of any
/// ladder (the nudge, three days before due, by default).
pub fn horizon_days(policy: &Policy) -> i64 {
    [Profile::Trusted, Profile::Standard, Profile::New]
        .iter()
        .flat_map(|p| policy.ladder(*p).steps().iter().map(|(_, offset)| -i64::from(*offset)))
        .max()
        .unwrap_or(0)
        .max(0)
}

/// Builds the agenda as of `today`. `since` is the day of the previous run (yesterday when
/// there was none): an invoice due on or after it and before today has newly passed due.
/// `calls` are the lines from calls and agreements; those on an invoice not among `invoices`
/// are left out, and an invoice gets only its most urgent one. A paid invoice among
/// `invoices` is one to thank the customer for.
pub fn agenda(invoices: &[OpenInvoice], calls: &[CallNote], today: NaiveDate, since: NaiveDate) -> Agenda {
    let mut parts = AgendaParts::new(calls, today, since);
    for inv in invoices {
        parts.add(*inv);
    }
    parts.finish()
}

/// [`agenda`] built one invoice at a time: each invoice offered becomes its line (or none)
/// at once, so a pass over a million open invoices holds only the lines, never the input.
#[derive(Debug, Clone)]
pub struct AgendaParts {
    today: NaiveDate,
    since: NaiveDate,
    /// The most urgent call line of each invoice.
    calls: IdMap<InvoiceId, CallNote>,
    offered: u32,
    passed: Vec<AgendaItem>,
    agreed: Vec<AgendaItem>,
    steps: Vec<AgendaItem>,
    claims: Vec<AgendaItem>,
    nudges: Vec<AgendaItem>,
    thanks: Vec<AgendaItem>,
}

impl AgendaParts {
    pub fn new(calls: &[CallNote], today: NaiveDate, since: NaiveDate) -> AgendaParts {
        let mut first: IdMap<InvoiceId, CallNote> = IdMap::default();
        for c in calls {
            let slot = first.entry(c.invoice).or_insert(*c);
            if (c.kind, c.date) < (slot.kind, slot.date) {
                *slot = *c;
            }
        }
        AgendaParts {
            today,
            since,
            calls: first,
            offered: 0,
            passed: Vec::new(),
            agreed: Vec::new(),
            steps: Vec::new(),
            claims: Vec::new(),
            nudges: Vec::new(),
            thanks: Vec::new(),
        }
    }

    /// Offers the next invoice; its line, if it gets one, points back at it by the order of
    /// offering (`AgendaItem::index`).
    pub fn add(&mut self, inv: OpenInvoice) {
        let index = self.offered;
        self.offered = self.offered.saturating_add(1);
        let s = &inv.standing;
        let item = |kind, step: Option<Dated>| AgendaItem {
            index,
            invoice: inv.kept(kind),
            kind,
            step: step.map(|d| d.step),
            call: None,
            skips: if step.is_some() { s.skips } else { StepSet::default() },
        };
        if inv.paid && inv.claim {
            self.claims.push(item(SectionKind::Claims, None));
            return;
        }
        if inv.paid {
            self.thanks.push(item(SectionKind::ThankYous, None));
            return;
        }
        // A line from a call carries the step to take with it, and is the invoice's only one.
        if let Some(c) = self.calls.remove(&inv.id) {
            let step = s.step_to_take;
            self.agreed.push(AgendaItem { call: Some(Box::new(c)), ..item(SectionKind::Agreements, step) });
            return;
        }
        match s.step_to_take {
            Some(n) if n.step == Step::Nudge => self.nudges.push(item(SectionKind::Nudges, Some(n))),
            Some(n) => self.steps.push(item(SectionKind::StepsDue, Some(n))),
            None if inv.due >= self.since && inv.due < self.today => {
                self.passed.push(item(SectionKind::PassedDue, None))
            }
            None => {}
        }
    }

    /// Offers a claim (a principal paid late whose interest and costs are still claimable):
    /// its line is made at once and points back at it by the order of offering, as
    /// [`AgendaParts::add`]'s do. [`AgendaParts::sort_claims`] puts the claims in order.
    pub fn add_claim(&mut self, line: Kept) {
        let index = self.offered;
        self.offered = self.offered.saturating_add(1);
        self.claims.push(AgendaItem {
            index,
            invoice: line,
            kind: SectionKind::Claims,
            step: None,
            call: None,
            skips: StepSet::default(),
        });
    }

    /// Sorts the claims by `key` where they lie (a large book has tens of thousands).
    pub fn sort_claims<K: Ord>(&mut self, key: impl FnMut(&AgendaItem) -> K) {
        self.claims.sort_unstable_by_key(key);
    }

    /// How many invoices (and claims) were offered: the index the next line gets.
    pub fn offered(&self) -> u32 {
        self.offered
    }

    /// Takes in the lines of `other`, built from other invoices with the same calls, today and
    /// previous run (a share of a pass done elsewhere): its invoices count as offered after
    /// these.
    pub fn merge(&mut self, other: AgendaParts) {
        let offset = self.offered;
        // Each list grows to just what it holds (the steps of a million invoices are 100,000).
        let join = |mine: &mut Vec<AgendaItem>, mut items: Vec<AgendaItem>| {
            for i in &mut items {
                i.index = i.index.saturating_add(offset);
            }
            if mine.is_empty() {
                *mine = items;
            } else {
                mine.reserve_exact(items.len());
                mine.extend(items);
            }
        };
        join(&mut self.passed, other.passed);
        join(&mut self.agreed, other.agreed);
        join(&mut self.steps, other.steps);
        join(&mut self.nudges, other.nudges);
        join(&mut self.thanks, other.thanks);
        // A call line is used by the share that had its invoice.
        self.calls.retain(|id, _| other.calls.contains_key(id));
        self.offered = self.offered.saturating_add(other.offered);
    }

    /// The sections, each in its order.
    pub fn finish(self) -> Agenda {
        let AgendaParts {
            today, since, mut passed, mut agreed, mut steps, claims, mut nudges, thanks, ..
        } = self;
        // Newly late: most recent first. Calls: broken first, then by date. Steps: the
        // biggest sums first. Nudges: soonest due first.
        passed.sort_unstable_by_key(|i| (std::cmp::Reverse(i.invoice.due), i.invoice.id));
        agreed.sort_unstable_by_key(|i| i.call.as_ref().map(|c| (c.kind, c.date, c.invoice)));
        // Amounts of one scale (cents, as the book keeps them) compare as integers.
        let scale = steps.first().map(|i| i.invoice.open.amount.scale());
        if steps.iter().all(|i| Some(i.invoice.open.amount.scale()) == scale) {
            steps.sort_unstable_by_key(|i| {
                (std::cmp::Reverse(i.invoice.open.amount.mantissa()), i.invoice.id)
            });
        } else {
            steps.sort_unstable_by(|a, b| {
                b.invoice.open.amount.cmp(&a.invoice.open.amount).then(a.invoice.id.cmp(&b.invoice.id))
            });
        }
        nudges.sort_unstable_by_key(|i| (i.invoice.due, i.invoice.id));
        let since_text = if since >= today.pred_opt().unwrap_or(today) {
            "since yesterday".to_string()
        } else {
            format!("since {}", format::weekday(since))
        };
        let sections = [
            (SectionKind::PassedDue, format!("Passed due {since_text}"), passed),
            (SectionKind::Agreements, "Promises and call-backs".to_string(), agreed),
            (SectionKind::StepsDue, "Steps due today or earlier".to_string(), steps),
            (SectionKind::Claims, "Interest and costs still claimable".to_string(), claims),
            (SectionKind::Nudges, "Nudges to send".to_string(), nudges),
            (SectionKind::ThankYous, "Thank-yous to send".to_string(), thanks),
        ];
        Agenda {
            sections: sections
                .into_iter()
                .filter(|(_, _, items)| !items.is_empty())
                .map(|(kind, title, items)| Section { kind, title, items })
                .collect(),
        }
    }
}

impl AgendaItem {
    /// "Call Acme BV".
    pub fn what(&self, customer: &str) -> String {
        if let Some(c) = &self.call {
            return c.what(customer);
        }
        match self.step {
            None if self.kind == SectionKind::ThankYous => format!("Thank {customer}"),
            None if self.kind == SectionKind::Claims => format!("Claim interest and costs from {customer}"),
            None => format!("Check the bank for {customer}"),
            Some(Step::Nudge) => format!("Nudge {customer}"),
            Some(Step::Reminder) => format!("Remind {customer}"),
            Some(Step::Call) => format!("Call {customer}"),
            Some(Step::FirmReminder) => format!("Remind {customer} firmly"),
            Some(Step::FormalNotice) => format!("Send {customer} the formal notice"),
            Some(Step::Agency) => format!("Hand {customer} to the agency"),
        }
    }

    /// "12 days late, trusted customer, no contact yet".
    pub fn why(&self, today: NaiveDate) -> String {
        let inv = &self.invoice;
        let late = (today - inv.due).num_days();
        match self.kind {
            SectionKind::Agreements => {
                let waits = waiting_text(inv.aside);
                let why = self.call.as_ref().map(|c| c.why(today, waits.is_none())).unwrap_or_default();
                let why = match (self.call.as_ref().map(|c| c.kind), waits) {
                    (Some(CallNoteKind::Broken), Some(w)) => format!("{why}; {w}"),
                    _ => why,
                };
                let callback = self.call.as_ref().is_some_and(|c| c.kind == CallNoteKind::CallBack);
                match self.step {
                    Some(Step::Call) if callback => why,
                    Some(step) => format!("{why}; step due: {}", step.label().to_lowercase()),
                    None => why,
                }
            }
            SectionKind::ThankYous => {
                format!("paid in full after a {}; a thank-you keeps the relationship warm", self.step_words())
            }
            SectionKind::Claims => format!(
                "principal paid late; {} interest and costs still claimable: claim them by letter or waive them",
                inv.open
            ),
            SectionKind::Nudges => {
                let when = match -late {
                    0 => "falls due today".to_string(),
                    1 => "falls due tomorrow".to_string(),
                    n => format!("falls due {} (in {})", format::weekday(inv.due), days(n)),
                };
                format!("{when}; a friendly heads-up, {}", profile_text(inv.profile))
            }
            SectionKind::StepsDue => {
                let when = if late > 0 { format!("{} late", days(late)) } else { "due today".into() };
                let contact = match inv.aside {
                    Aside::Broken { plan, since } => {
                        let what = if plan { "instalment plan" } else { "promise" };
                        format!("{what} broken {}", format::weekday(since))
                    }
                    _ => self.contact_text().to_string(),
                };
                let mut buf = [Step::Nudge; 6];
                let skipped: Vec<String> = self
                    .skips
                    .fill(&mut buf)
                    .iter()
                    .map(|s| format!("the {}", s.label().to_lowercase()))
                    .collect();
                match skipped.as_slice() {
                    [] => format!("{when}, {}, {contact}", profile_text(inv.profile)),
                    [one] => format!("{when}, {}, {contact}; skips {one}", profile_text(inv.profile)),
                    [rest @ .., last] => format!(
                        "{when}, {}, {contact}; skips {} and {last}",
                        profile_text(inv.profile),
                        rest.join(", ")
                    ),
                }
            }
            SectionKind::PassedDue => {
                let when = if late == 1 {
                    "fell due yesterday".to_string()
                } else {
                    format!("fell due {} ago", days(late))
                };
                let then = match inv.aside {
                    Aside::Disputed | Aside::Paused { .. } => waiting_text(inv.aside).unwrap_or_default(),
                    Aside::Next { step, on } => {
                        format!("next: {} on {}", step.label().to_lowercase(), format::weekday(on))
                    }
                    Aside::Nothing | Aside::Broken { .. } => "no step left".to_string(),
                };
                format!("{when}; {then}")
            }
        }
    }

    /// The highest rung taken, as a noun: "reminder", "phone call"…
    fn step_words(&self) -> String {
        self.invoice.last.map_or_else(|| "reminder".to_string(), |s| s.label().to_lowercase())
    }

    /// What has been done so far, in a few words.
    fn contact_text(&self) -> String {
        let done = match self.invoice.last {
            None if self.invoice.nudged => "nudged before due, no contact since",
            None if self.invoice.tries > 0 => "",
            None => "no contact yet",
            Some(Step::Nudge | Step::Reminder) => "reminder sent",
            Some(Step::Call) => "called",
            Some(Step::FirmReminder) => "firm reminder sent",
            Some(Step::FormalNotice) => "formal notice sent",
            Some(Step::Agency) => "with the agency",
        };
        // A call nobody answered is not contact, but it was made.
        let tries = match self.invoice.tries {
            0 => String::new(),
            1 => "a call unanswered".to_string(),
            n => format!("{n} calls unanswered"),
        };
        [done, tries.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
    }
}

/// Folds a section's items per customer, as a freelancer acts (one call, one letter per
/// customer): in "Steps due", the items of one customer with the same step, in the same
/// currency, fold into one group when there are at least two, at the place of the first;
/// every other item, and every item of another section, is a line of its own. Each fold
/// holds positions in `items`, in their order; every item is in exactly one fold.
pub fn fold_by_customer(kind: SectionKind, items: &[AgendaItem]) -> Folds {
    let n = u32::try_from(items.len()).unwrap_or(u32::MAX);
    if kind != SectionKind::StepsDue {
        return Folds { order: (0..n).collect(), starts: (0..n).collect() };
    }
    // Each item's fold, then the folds laid end to end: a few bytes an item, not a list each
    // (the steps of a million invoices are 100,000).
    let mut fold_of: Vec<u32> = Vec::with_capacity(items.len());
    let mut sizes: Vec<u32> = Vec::new();
    let mut at: std::collections::HashMap<(CustomerId, Option<Step>, super::money::Currency), u32> =
        std::collections::HashMap::new();
    for item in items {
        let key = (item.invoice.customer_id, item.step, item.invoice.open.currency);
        let f = *at.entry(key).or_insert_with(|| {
            sizes.push(0);
            u32::try_from(sizes.len() - 1).unwrap_or(u32::MAX)
        });
        sizes[f as usize] += 1;
        fold_of.push(f);
    }
    drop(at);
    let mut starts = Vec::with_capacity(sizes.len());
    let mut next = 0u32;
    for size in &mut sizes {
        starts.push(next);
        next += *size;
        // From here on: where the fold's next item goes.
        *size = next - *size;
    }
    let mut order = vec![0u32; items.len()];
    for (i, f) in (0..n).zip(fold_of) {
        let place = &mut sizes[f as usize];
        order[*place as usize] = i;
        *place += 1;
    }
    Folds { order, starts }
}

/// A section's items folded per customer ([`fold_by_customer`]): every position in the items
/// once, fold after fold, in order within each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folds {
    order: Vec<u32>,
    /// Where each fold starts in `order`.
    starts: Vec<u32>,
}

impl Folds {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Each fold's positions in the items.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> + '_ {
        let ends =
            self.starts.iter().skip(1).copied().chain([u32::try_from(self.order.len()).unwrap_or(u32::MAX)]);
        self.starts.iter().zip(ends).map(|(&a, b)| &self.order[a as usize..b as usize])
    }
}

/// What a group of a customer's invoices sums to (they share a currency). The items are
/// amounts in cents at most, so the sum cannot overflow a `Decimal`.
pub fn group_total(items: &[&AgendaItem]) -> Option<Money> {
    let first = items.first()?;
    let amount = items.iter().map(|i| i.invoice.open.amount).sum();
    Some(Money::new(amount, first.invoice.open.currency))
}

/// A folded group in words: "Drukkerij Maes BV · 6 invoices" and "hand to the agency".
pub fn group_words(customer: &str, count: usize, step: Option<Step>) -> (String, String) {
    let what = format!("{customer} · {count} invoices");
    let todo = match step {
        None => "check the bank",
        Some(Step::Nudge) => "send a friendly nudge",
        Some(Step::Reminder) => "send a reminder",
        Some(Step::Call) => "call",
        Some(Step::FirmReminder) => "send a firm reminder",
        Some(Step::FormalNotice) => "send the formal notice",
        Some(Step::Agency) => "hand to the agency",
    };
    (what, todo.to_string())
}

/// "disputed: escalation paused", "reminder's term until Mon 21 Dec: escalation paused";
/// none while escalation runs.
fn waiting_text(aside: Aside) -> Option<String> {
    match aside {
        Aside::Disputed => Some("disputed: escalation paused".to_string()),
        Aside::Paused { kind, until } => {
            Some(format!("{} until {}: escalation paused", pause_text(kind), format::weekday(until)))
        }
        Aside::Nothing | Aside::Next { .. } | Aside::Broken { .. } => None,
    }
}

fn pause_text(kind: PauseKind) -> &'static str {
    match kind {
        PauseKind::Promise => "promise to pay",
        PauseKind::InstalmentPlan => "instalment plan",
        PauseKind::PaymentClaimed => "payment claimed",
        PauseKind::NoticeTerm => "formal notice's term",
        PauseKind::LetterTerm => "reminder's term",
        PauseKind::NoAnswer => "no answer, call again",
        PauseKind::Dispute => "dispute",
    }
}

fn profile_text(p: Profile) -> &'static str {
    match p {
        Profile::Trusted => "trusted customer",
        Profile::Standard => "standard customer",
        Profile::New => "new customer",
    }
}

fn days(n: i64) -> String {
    if n == 1 { "1 day".into() } else { format!("{n} days") }
}

#[cfg(test)]
mod tests;
