//! Alerts: the events worth telling the freelancer about, as of a day.
//!
//! One pure function, [`evaluate`], shared by `settle check` (desktop notifications) and the
//! app's "since last run" section. Its input is plain facts (open invoices with their ladder
//! position, and the promises and instalments agreed on them); its output is a list of
//! [`Alert`]s, each with a stable [`AlertKey`] (kind, invoice, date) under which the store
//! records that it was told, so the same event is never told twice.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::customer::Profile;
use super::dates::add_days;
use super::invoice::InvoiceId;
use super::ladder::Standing;
use super::money::Money;
use super::policy::Step;

/// An open invoice as the alert rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: InvoiceId,
    pub number: String,
    pub customer: String,
    pub profile: Profile,
    pub due: NaiveDate,
    pub amount: Money,
    /// What is still open (amount less payments, credits and write-offs).
    pub open: Decimal,
    /// Where it stands on its ladder: the one answer.
    pub standing: Standing,
}

/// A promise to pay or one instalment of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementKind {
    Promise,
    Instalment,
}

/// One dated amount agreed on an invoice (from a logged call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFact {
    pub invoice: InvoiceId,
    pub kind: AgreementKind,
    pub due: NaiveDate,
    pub amount: Money,
    pub paid: bool,
}

/// Everything the rules look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFacts {
    pub invoices: Vec<OpenInvoice>,
    pub agreements: Vec<AgreementFact>,
}

/// The settings of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRules {
    /// An invoice due within this many days (today included) is "due soon": the nudge window.
    pub nudge_window_days: u32,
    /// Days a bank transfer may take: a promise or instalment is broken only this many days
    /// after its date passed without the money.
    pub grace_days: u32,
}

impl Default for AlertRules {
    fn default() -> Self {
        AlertRules { nudge_window_days: 3, grace_days: 2 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Urgency {
    Low,
    Normal,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// The invoice falls due within the nudge window.
    DueSoon,
    /// The invoice passed its due date.
    Overdue,
    /// A step of the ladder (after the due date) falls due.
    StepDue(Step),
    PromiseDue,
    PromiseBroken,
    InstalmentDue,
    InstalmentMissed,
}

impl AlertKind {
    /// The stable name stored with a told alert. Never change one: it is the dedup key.
    pub fn as_str(&self) -> &'static str {
        match self {
            AlertKind::DueSoon => "due_soon",
            AlertKind::Overdue => "overdue",
            AlertKind::StepDue(Step::Nudge) => "step_nudge",
            AlertKind::StepDue(Step::Reminder) => "step_reminder",
            AlertKind::StepDue(Step::Call) => "step_call",
            AlertKind::StepDue(Step::FirmReminder) => "step_firm_reminder",
            AlertKind::StepDue(Step::FormalNotice) => "step_formal_notice",
            AlertKind::StepDue(Step::Agency) => "step_agency",
            AlertKind::PromiseDue => "promise_due",
            AlertKind::PromiseBroken => "promise_broken",
            AlertKind::InstalmentDue => "instalment_due",
            AlertKind::InstalmentMissed => "instalment_missed",
        }
    }

    /// Rises with the ladder: low before the due date, critical from the formal notice on
    /// and when an agreement made on the phone is broken.
    pub fn urgency(&self) -> Urgency {
        match self {
            AlertKind::DueSoon | AlertKind::StepDue(Step::Nudge) => Urgency::Low,
            AlertKind::StepDue(Step::FormalNotice | Step::Agency)
            | AlertKind::PromiseBroken
            | AlertKind::InstalmentMissed => Urgency::Critical,
            _ => Urgency::Normal,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AlertKind::DueSoon => "Falls due soon",
            AlertKind::Overdue => "Invoice overdue",
            AlertKind::StepDue(Step::Nudge) => "Friendly nudge due",
            AlertKind::StepDue(Step::Reminder) => "Reminder due",
            AlertKind::StepDue(Step::Call) => "Time to call",
            AlertKind::StepDue(Step::FirmReminder) => "Firm reminder due",
            AlertKind::StepDue(Step::FormalNotice) => "Formal notice due",
            AlertKind::StepDue(Step::Agency) => "Collection agency due",
            AlertKind::PromiseDue => "Promise due",
            AlertKind::PromiseBroken => "Promise broken",
            AlertKind::InstalmentDue => "Instalment due",
            AlertKind::InstalmentMissed => "Instalment missed",
        }
    }
}

/// What identifies an alert once told: the same key is never told twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AlertKey {
    pub kind: AlertKind,
    pub invoice: InvoiceId,
    /// The day the event refers to (the due date, the step's date, the promised date).
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub invoice: InvoiceId,
    pub number: String,
    pub customer: String,
    /// The day the event refers to; part of the key, so it never moves from day to day.
    pub on: NaiveDate,
    pub title: String,
    /// First line: customer, invoice, amount and days. Optional second line: what to do.
    pub body: String,
    pub urgency: Urgency,
}

impl Alert {
    pub fn key(&self) -> AlertKey {
        AlertKey { kind: self.kind, invoice: self.invoice, on: self.on }
    }

    /// The alert on one line, for terminals and logs.
    pub fn line(&self) -> String {
        format!("{}: {}", self.title, self.body.replace('\n', " · "))
    }
}

/// The alerts as of `today`, most urgent first. Paid invoices produce nothing. A disputed
/// invoice, or one with a promise or instalment plan on schedule, gets no ladder step (its
/// escalation is paused) but still its due-date and agreement alerts.
pub fn evaluate(facts: &AlertFacts, rules: &AlertRules, today: NaiveDate) -> Vec<Alert> {
    let grace = i64::from(rules.grace_days);
    let mut alerts = Vec::new();
    for inv in facts.invoices.iter().filter(|i| i.open > Decimal::ZERO) {
        let mut mine: Vec<Alert> = Vec::new();
        let mut push = |kind: AlertKind, on: NaiveDate, detail: String, todo: Option<String>| {
            let mut body = format!("{} — invoice {}, {}", inv.customer, inv.number, detail);
            if let Some(todo) = todo {
                body.push('\n');
                body.push_str(&todo);
            }
            mine.push(Alert {
                kind,
                invoice: inv.id,
                number: inv.number.clone(),
                customer: inv.customer.clone(),
                on,
                title: kind.title().to_string(),
                body,
                urgency: kind.urgency(),
            });
        };
        let owed = owed(inv);
        let late = (today - inv.due).num_days();
        if late >= 1 {
            push(AlertKind::Overdue, inv.due, format!("{owed}, {}", lateness(late)), None);
        } else if -late <= i64::from(rules.nudge_window_days) {
            let nudge = inv.standing.step_to_take.is_some_and(|t| t.step == Step::Nudge);
            let todo = nudge.then(|| "Time for a friendly nudge.".into());
            push(AlertKind::DueSoon, inv.due, format!("{owed}, due {}", relative(inv.due, today)), todo);
        }

        let agreed: Vec<&AgreementFact> =
            facts.agreements.iter().filter(|a| a.invoice == inv.id && !a.paid).collect();
        let broken = |a: &AgreementFact| today > add_days(a.due, grace);
        let mut broken_any = false;
        for a in agreed.iter().filter(|a| a.due <= today) {
            let is_broken = broken(a);
            broken_any |= is_broken;
            let (kind, what) = match a.kind {
                AgreementKind::Promise if is_broken => {
                    (AlertKind::PromiseBroken, format!("{} promised", a.amount))
                }
                AgreementKind::Promise => (AlertKind::PromiseDue, format!("{} promised", a.amount)),
                AgreementKind::Instalment if is_broken => {
                    (AlertKind::InstalmentMissed, format!("instalment of {}", a.amount))
                }
                AgreementKind::Instalment => {
                    (AlertKind::InstalmentDue, format!("instalment of {}", a.amount))
                }
            };
            if is_broken {
                let detail = format!("{what} for {} ({}), not received", a.due, relative(a.due, today));
                push(kind, a.due, detail, None);
            } else {
                push(kind, a.due, format!("{what} for {}", relative(a.due, today)), None);
            }
        }

        // The ladder's step to take (the nudge before the due date is what "falls due soon"
        // already says). With a broken agreement, the step goes with that alert: one thing
        // to do per invoice.
        let step = inv.standing.step_to_take.filter(|t| t.step != Step::Nudge);
        let todo = step.map(|t| format!("{} due {}.", t.step.label(), relative(t.on, today)));
        if let (Some(next), Some(todo), false) = (step, &todo, broken_any) {
            push(
                AlertKind::StepDue(next.step),
                next.on,
                format!("{owed}, {}", lateness(late)),
                Some(todo.clone()),
            );
        }
        if let Some(todo) = todo.filter(|_| broken_any) {
            let broken = |a: &Alert| matches!(a.kind, AlertKind::PromiseBroken | AlertKind::InstalmentMissed);
            // The latest broken one says what now; the others only that they were missed.
            if let Some(a) = mine.iter_mut().filter(|a| broken(a)).max_by_key(|a| a.on) {
                a.body = format!("{}\nEscalation resumes: {todo}", a.body.split('\n').next().unwrap_or(""));
            }
        }
        alerts.append(&mut mine);
    }
    alerts.sort_by(|a, b| {
        b.urgency.cmp(&a.urgency).then(a.on.cmp(&b.on)).then_with(|| a.number.cmp(&b.number))
    });
    alerts
}

/// The amount still owed: "€1,250.00", or "€750.00 open of €1,250.00" once partly paid.
fn owed(inv: &OpenInvoice) -> String {
    let open = Money::new(inv.open, inv.amount.currency);
    if inv.open < inv.amount.amount { format!("{open} open of {}", inv.amount) } else { open.to_string() }
}

/// "1 day overdue", "12 days overdue"; "due today" or "due in 2 days" before that.
fn lateness(days_late: i64) -> String {
    match days_late {
        1 => "1 day overdue".into(),
        n if n > 1 => format!("{n} days overdue"),
        0 => "due today".into(),
        n => format!("due in {} days", -n),
    }
}

/// A day relative to today: "today", "tomorrow", "in 3 days", "yesterday", "3 days ago".
pub fn relative(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

#[cfg(test)]
mod tests;
