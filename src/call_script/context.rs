//! The fields a template may use. Every field is always set (templates render with strict
//! undefined), and a template naming any other field is refused when it is loaded.

use crate::domain::format;
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::agreement::{Agreement, AgreementKind, split_evenly};
use crate::domain::customer::{Customer, Language};
use crate::domain::dates::add_days;
use crate::domain::event::EventKind;
use crate::domain::event::TimelineEntry;
use crate::domain::invoice::Invoice;
use crate::domain::ladder::Standing;
use crate::domain::money::{Money, from_cents, to_cents};
use crate::domain::policy::{Ladder, Step};

/// What a call script is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptFacts {
    pub customer: Customer,
    pub invoice: Invoice,
    pub step: Step,
    /// The last written reminder (reminder or firm reminder) and formal notice, if any.
    pub reminded_on: Option<NaiveDate>,
    pub notice_on: Option<NaiveDate>,
}

impl ScriptFacts {
    /// Facts from an invoice, its customer and its timeline; the step is where the invoice
    /// stands on the ladder (see [`current_step`]).
    pub fn new(
        customer: Customer,
        invoice: Invoice,
        timeline: &[TimelineEntry],
        ladder: &Ladder,
        standing: &Standing,
        today: NaiveDate,
    ) -> Self {
        let last =
            |kinds: &[EventKind]| timeline.iter().filter(|e| kinds.contains(&e.kind)).map(|e| e.on).max();
        ScriptFacts {
            step: current_step(ladder, invoice.due, standing, today),
            reminded_on: last(&[EventKind::ReminderSent, EventKind::FirmReminderSent]),
            notice_on: last(&[EventKind::FormalNoticeSent]),
            customer,
            invoice,
        }
    }
}

/// The step a script speaks for: the ladder's step to take, else the furthest step done,
/// else the nudge before the due date and the reminder after it.
pub fn current_step(ladder: &Ladder, due: NaiveDate, standing: &Standing, today: NaiveDate) -> Step {
    if let Some(t) = standing.step_to_take {
        return t.step;
    }
    let furthest = ladder.steps().iter().rev().map(|(s, _)| *s).find(|s| standing.done.contains(*s));
    furthest.unwrap_or(if today <= due { Step::Nudge } else { Step::Reminder })
}

/// The fields of a call script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScriptContext {
    pub lang: String,
    pub step: String,
    pub profile: String,
    pub customer: String,
    /// The contact person, or the customer's name when none is known.
    pub contact: String,
    pub email: String,
    pub invoice: String,
    pub issued: String,
    pub due: String,
    pub amount: String,
    pub open: String,
    /// What has come in already (payments, credits).
    pub paid: String,
    /// Part of the invoice is paid: the script says what is still open.
    pub partly_paid: bool,
    /// The structured payment reference, or empty.
    pub reference: String,
    /// Days past the due date (0 before it).
    pub days_late: i64,
    /// Days until the due date (0 once it has passed).
    pub days_to_due: i64,
    /// A week from today: the payment date to propose.
    pub next_week: String,
    /// The open amount split in three, as a plan to propose: "3 × €333.33 (the last €333.34)".
    pub plan_example: String,
    pub reminded_on: String,
    pub notice_on: String,
}

fn opt_date(d: Option<NaiveDate>, lang: Language) -> String {
    d.map(|d| format::long_date(d, lang)).unwrap_or_default()
}

/// "3 × €333.33 (the last €333.34)" in the language, or "" when the amount is too small.
fn plan_example(open: Money, lang: Language) -> String {
    let Some(parts) = to_cents(open.amount).ok().and_then(|c| split_evenly(c, 3).ok()) else {
        return String::new();
    };
    let each = format::amount(Money::new(from_cents(parts[0]), open.currency), lang);
    let last = format::amount(Money::new(from_cents(parts[2]), open.currency), lang);
    match (parts[0] == parts[2], lang) {
        (true, _) => format!("3 × {each}"),
        (false, Language::Nl) => format!("3 × {each} (de laatste {last})"),
        (false, Language::Fr) => format!("3 × {each} (la dernière {last})"),
        (false, Language::De) => format!("3 × {each} (die letzte {last})"),
        (false, Language::En) => format!("3 × {each} (the last {last})"),
    }
}

impl ScriptContext {
    pub fn new(f: &ScriptFacts, lang: Language, today: NaiveDate) -> ScriptContext {
        let inv = &f.invoice;
        let open = Money::new(inv.open, inv.amount.currency);
        let late = (today - inv.due).num_days();
        ScriptContext {
            lang: lang.to_string(),
            step: f.step.to_string(),
            profile: f.customer.profile.to_string(),
            customer: f.customer.name.clone(),
            contact: f
                .customer
                .contact
                .clone()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| f.customer.name.clone()),
            email: f.customer.email.clone().unwrap_or_default(),
            invoice: inv.number.clone(),
            issued: format::long_date(inv.issued, lang),
            due: format::long_date(inv.due, lang),
            amount: format::amount(inv.amount, lang),
            open: format::amount(open, lang),
            paid: format::amount(Money::new(inv.amount.amount - inv.open, inv.amount.currency), lang),
            partly_paid: !inv.open.is_zero() && inv.open < inv.amount.amount,
            reference: inv.reference.map(|r| r.to_string()).unwrap_or_default(),
            days_late: late.max(0),
            days_to_due: (-late).max(0),
            next_week: format::long_date(add_days(today, 7), lang),
            plan_example: plan_example(open, lang),
            reminded_on: opt_date(f.reminded_on, lang),
            notice_on: opt_date(f.notice_on, lang),
        }
    }
}

/// One instalment in a confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConfirmInstalment {
    pub n: u32,
    pub due: String,
    pub amount: String,
}

/// The fields of a call-confirmation email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConfirmContext {
    pub lang: String,
    pub customer: String,
    pub contact: String,
    /// The contact's first name, for "Beste Jan,"; empty when unknown.
    pub first_name: String,
    pub invoice: String,
    pub issued: String,
    pub amount: String,
    pub open: String,
    pub reference: String,
    /// The day of the call.
    pub call_date: String,
    /// `promise` or `plan`.
    pub kind: String,
    pub total: String,
    pub instalments: Vec<ConfirmInstalment>,
    /// The freelancer's name for the signature (empty when not configured).
    pub sender: String,
}

impl ConfirmContext {
    pub fn new(customer: &Customer, invoice: &Invoice, a: &Agreement, lang: Language, sender: &str) -> Self {
        let cur = invoice.amount.currency;
        ConfirmContext {
            lang: lang.to_string(),
            customer: customer.name.clone(),
            contact: customer
                .contact
                .clone()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| customer.name.clone()),
            first_name: customer
                .contact
                .as_deref()
                .or((customer.kind == crate::domain::customer::CustomerKind::Consumer)
                    .then_some(customer.name.as_str()))
                .map(crate::domain::customer::first_name)
                .unwrap_or_default(),
            invoice: invoice.number.clone(),
            issued: format::long_date(invoice.issued, lang),
            amount: format::amount(invoice.amount, lang),
            open: format::amount(Money::new(invoice.open, cur), lang),
            reference: invoice.reference.map(|r| r.to_string()).unwrap_or_default(),
            call_date: format::long_date(a.made_on, lang),
            kind: match a.kind {
                AgreementKind::Promise => "promise".into(),
                AgreementKind::Plan => "plan".into(),
            },
            total: format::amount(Money::new(a.total, cur), lang),
            instalments: a
                .instalments
                .iter()
                .map(|i| ConfirmInstalment {
                    n: i.seq,
                    due: format::long_date(i.due, lang),
                    amount: format::amount(Money::new(i.amount, cur), lang),
                })
                .collect(),
            sender: sender.trim().to_string(),
        }
    }
}
