//! The Today agenda: what to do about the open invoices today, and why. Pure: the open
//! invoices, the policy, today and the day of the previous run go in; sections of items, each
//! saying what to do and why, come out.
//!
//! Sections, in order: invoices that passed their due date since the previous run (check the
//! bank before anything else: a reminder to a customer who already paid is embarrassing),
//! ladder steps due today or earlier, and friendly nudges to send before a due date. An
//! invoice appears at most once: a step that is due wins over "passed due", because it says
//! what to do. A disputed invoice is paused: it gets no step.

use chrono::NaiveDate;

use super::customer::{CustomerId, Profile};
use super::invoice::InvoiceId;
use super::money::Money;
use super::policy::{Ladder, NextStep, Policy, Step, next_step};

/// The facts about one open invoice that the agenda needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: InvoiceId,
    pub number: String,
    pub customer_id: CustomerId,
    pub customer: String,
    pub profile: Profile,
    pub due: NaiveDate,
    pub open: Money,
    pub disputed: bool,
    pub steps_done: Vec<Step>,
}

/// The kinds of section, in the order Today shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    PassedDue,
    StepsDue,
    Nudges,
}

/// One line of the agenda: what to do, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub invoice: InvoiceId,
    pub number: String,
    pub customer_id: CustomerId,
    pub customer: String,
    pub open: Money,
    /// The ladder step to take, `None` when the thing to do is to look (check the bank).
    pub step: Option<Step>,
    /// "Call Acme BV".
    pub what: String,
    /// "12 days late, trusted customer, no contact yet".
    pub why: String,
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
pub fn agenda(invoices: &[OpenInvoice], policy: &Policy, today: NaiveDate, since: NaiveDate) -> Agenda {
    let mut passed = Vec::new();
    let mut steps = Vec::new();
    let mut nudges = Vec::new();
    for inv in invoices {
        let next = next_step(policy.ladder(inv.profile), inv.due, &inv.steps_done, today);
        match next {
            Some(n) if n.date <= today && !inv.disputed && n.step == Step::Nudge => {
                nudges.push((inv.due, item(inv, Some(n.step), nudge_why(inv, today))));
            }
            Some(n) if n.date <= today && !inv.disputed => {
                let why = step_why(inv, policy, today);
                steps.push((inv.open.amount, item(inv, Some(n.step), why)));
            }
            _ if inv.due >= since && inv.due < today => {
                passed.push((inv.due, item(inv, None, passed_why(inv, next, today))));
            }
            _ => {}
        }
    }
    passed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.number.cmp(&b.1.number)));
    steps.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.number.cmp(&b.1.number)));
    nudges.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.number.cmp(&b.1.number)));
    let since_text = if since >= today.pred_opt().unwrap_or(today) {
        "since yesterday".to_string()
    } else {
        format!("since {}", short_date(since))
    };
    let sections = [
        (SectionKind::PassedDue, format!("Passed due {since_text}"), strip(passed)),
        (SectionKind::StepsDue, "Steps due today or earlier".to_string(), strip(steps)),
        (SectionKind::Nudges, "Nudges to send".to_string(), strip(nudges)),
    ];
    Agenda {
        sections: sections
            .into_iter()
            .filter(|(_, _, items)| !items.is_empty())
            .map(|(kind, title, items)| Section { kind, title, items })
            .collect(),
    }
}

fn strip<K>(v: Vec<(K, AgendaItem)>) -> Vec<AgendaItem> {
    v.into_iter().map(|(_, item)| item).collect()
}

fn item(inv: &OpenInvoice, step: Option<Step>, why: String) -> AgendaItem {
    let c = &inv.customer;
    let what = match step {
        None => format!("Check the bank for {c}"),
        Some(Step::Nudge) => format!("Nudge {c}"),
        Some(Step::Reminder) => format!("Send a reminder to {c}"),
        Some(Step::Call) => format!("Call {c}"),
        Some(Step::FirmReminder) => format!("Send a firm reminder to {c}"),
        Some(Step::FormalNotice) => format!("Send the formal notice to {c}"),
        Some(Step::Agency) => format!("Hand {c} to the agency"),
    };
    AgendaItem {
        invoice: inv.id,
        number: inv.number.clone(),
        customer_id: inv.customer_id,
        customer: inv.customer.clone(),
        open: inv.open,
        step,
        what,
        why,
    }
}

fn profile_text(p: Profile) -> &'static str {
    match p {
        Profile::Trusted => "trusted customer",
        Profile::Standard => "standard customer",
        Profile::New => "new customer",
    }
}

/// What has been done so far, in a few words: the highest rung of the ladder already taken.
fn contact_text(ladder: &Ladder, done: &[Step]) -> &'static str {
    match done.iter().filter(|s| **s != Step::Nudge).max_by_key(|s| ladder.offset(**s)) {
        None if done.contains(&Step::Nudge) => "nudged before due, no contact since",
        None => "no contact yet",
        Some(Step::Nudge | Step::Reminder) => "reminder sent",
        Some(Step::Call) => "called",
        Some(Step::FirmReminder) => "firm reminder sent",
        Some(Step::FormalNotice) => "formal notice sent",
        Some(Step::Agency) => "with the agency",
    }
}

fn days(n: i64) -> String {
    if n == 1 { "1 day".into() } else { format!("{n} days") }
}

fn step_why(inv: &OpenInvoice, policy: &Policy, today: NaiveDate) -> String {
    let late = (today - inv.due).num_days();
    let when = if late > 0 { format!("{} late", days(late)) } else { "due today".into() };
    format!(
        "{when}, {}, {}",
        profile_text(inv.profile),
        contact_text(policy.ladder(inv.profile), &inv.steps_done)
    )
}

fn nudge_why(inv: &OpenInvoice, today: NaiveDate) -> String {
    let ahead = (inv.due - today).num_days();
    let when = match ahead {
        0 => "falls due today".to_string(),
        1 => "falls due tomorrow".to_string(),
        n => format!("falls due {} (in {})", short_date(inv.due), days(n)),
    };
    format!("{when}; a friendly heads-up, {}", profile_text(inv.profile))
}

fn passed_why(inv: &OpenInvoice, next: Option<NextStep>, today: NaiveDate) -> String {
    let late = (today - inv.due).num_days();
    let when =
        if late == 1 { "fell due yesterday".to_string() } else { format!("fell due {} ago", days(late)) };
    let then = match next {
        _ if inv.disputed => "disputed: escalation paused".to_string(),
        Some(n) => format!("next: {} on {}", n.step.label().to_lowercase(), short_date(n.date)),
        None => "no step left".to_string(),
    };
    format!("{when}; {then}")
}

/// "Thu 26 Nov".
pub fn short_date(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use rust_decimal::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn inv(id: i64, profile: Profile, due: &str, done: &[Step]) -> OpenInvoice {
        OpenInvoice {
            id: InvoiceId(id),
            number: format!("2026-{id:03}"),
            customer_id: CustomerId(id),
            customer: format!("Customer {id}"),
            profile,
            due: d(due),
            open: Money::new(dec!(100) * rust_decimal::Decimal::from(id), Currency::EUR),
            disputed: false,
            steps_done: done.to_vec(),
        }
    }

    #[test]
    fn a_trusted_customer_twelve_days_late_gets_a_call() {
        let today = d("2026-11-23");
        let a = agenda(&[inv(1, Profile::Trusted, "2026-11-11", &[])], &Policy::default(), today, today);
        assert_eq!(a.sections.len(), 1);
        assert_eq!(a.sections[0].kind, SectionKind::StepsDue);
        let it = &a.sections[0].items[0];
        assert_eq!(it.step, Some(Step::Call));
        assert_eq!(it.what, "Call Customer 1");
        assert_eq!(it.why, "12 days late, trusted customer, no contact yet");
    }

    #[test]
    fn sections_sort_and_never_repeat_an_invoice() {
        let today = d("2026-11-23");
        let since = d("2026-11-20");
        let invoices = [
            // Passed due on the 21st: the standard reminder (+3) is not due until the 24th.
            inv(1, Profile::Standard, "2026-11-21", &[Step::Nudge]),
            // Passed due on the 20th, reminder due today (+3): a step, not "passed due".
            inv(2, Profile::Standard, "2026-11-20", &[]),
            // Due in two days: nudge.
            inv(3, Profile::New, "2026-11-25", &[]),
            // Due in ten days: nothing yet.
            inv(4, Profile::New, "2026-12-03", &[]),
            // Long overdue, reminder and call done: the firm reminder (+17).
            inv(5, Profile::Standard, "2026-10-01", &[Step::Reminder, Step::Call]),
        ];
        let a = agenda(&invoices, &Policy::default(), today, since);
        let kinds: Vec<_> = a.sections.iter().map(|s| (s.kind, s.items.len())).collect();
        assert_eq!(
            kinds,
            [(SectionKind::PassedDue, 1), (SectionKind::StepsDue, 2), (SectionKind::Nudges, 1)]
        );
        assert_eq!(a.sections[0].title, "Passed due since Fri 20 Nov");
        assert_eq!(a.sections[0].items[0].what, "Check the bank for Customer 1");
        assert_eq!(a.sections[0].items[0].why, "fell due 2 days ago; next: reminder on Tue 24 Nov");
        // Biggest sums first.
        let steps: Vec<_> = a.sections[1].items.iter().map(|i| i.what.as_str()).collect();
        assert_eq!(steps, ["Send a firm reminder to Customer 5", "Send a reminder to Customer 2"]);
        assert_eq!(a.sections[1].items[0].why, "53 days late, standard customer, called");
        assert_eq!(a.sections[1].items[1].why, "3 days late, standard customer, no contact yet");
        assert_eq!(
            a.sections[2].items[0].why,
            "falls due Wed 25 Nov (in 2 days); a friendly heads-up, new customer"
        );
        assert_eq!(a.len(), 4);
    }

    #[test]
    fn a_dispute_pauses_the_ladder() {
        let today = d("2026-11-23");
        let mut i = inv(1, Profile::Standard, "2026-10-01", &[]);
        i.disputed = true;
        assert!(agenda(std::slice::from_ref(&i), &Policy::default(), today, d("2026-11-22")).is_empty());
        // Newly overdue and disputed: listed, with the pause said.
        i.due = d("2026-11-22");
        let a = agenda(&[i], &Policy::default(), today, d("2026-11-22"));
        assert_eq!(a.sections[0].title, "Passed due since yesterday");
        assert!(a.sections[0].items[0].why.ends_with("disputed: escalation paused"), "{:?}", a);
    }

    #[test]
    fn the_horizon_is_the_earliest_step() {
        assert_eq!(horizon_days(&Policy::default()), 3);
    }
}
