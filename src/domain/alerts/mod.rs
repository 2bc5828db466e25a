//! Alerts: the events worth telling the freelancer about, as of a day.
//!
//! Pure: `settle check` (desktop notifications) asks it through `service::alerts`; the app's
//! "since last run" section is the agenda's, not this. Its input is plain facts (open invoices with their ladder
//! position, and the promises and instalments agreed on them); its output is a list of
//! [`Alert`]s, each with a stable [`AlertKey`] (kind, invoice, date) under which the store
//! records that it was told, so the same event is never told twice.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::customer::Profile;
use super::dates::add_days;
use super::invoice::InvoiceId;
use super::ladder::{Dated, Standing};
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
    /// Every kind.
    pub const ALL: [AlertKind; 12] = [
        AlertKind::DueSoon,
        AlertKind::Overdue,
        AlertKind::StepDue(Step::Nudge),
        AlertKind::StepDue(Step::Reminder),
        AlertKind::StepDue(Step::Call),
        AlertKind::StepDue(Step::FirmReminder),
        AlertKind::StepDue(Step::FormalNotice),
        AlertKind::StepDue(Step::Agency),
        AlertKind::PromiseDue,
        AlertKind::PromiseBroken,
        AlertKind::InstalmentDue,
        AlertKind::InstalmentMissed,
    ];

    /// The kind stored under this name, if any.
    pub fn named(name: &str) -> Option<AlertKind> {
        AlertKind::ALL.iter().copied().find(|k| k.as_str() == name)
    }

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

/// An alert before it is put into words: what it is about, and what its words say beyond
/// the invoice's own number, customer, amounts and due date ([`Words`]). Small and plain, so
/// a book of a million invoices can hold the alerts of a first run without their sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draft {
    pub kind: AlertKind,
    pub invoice: InvoiceId,
    /// The day the event refers to; part of the key.
    pub on: NaiveDate,
    /// What was promised, or the instalment, of an agreement's alert.
    pub agreed: Option<Money>,
    /// The ladder's step to take, where the words name it: the nudge of "falls due soon",
    /// the step of a step's alert, the step escalation resumes with after a broken agreement.
    pub todo: Option<Dated>,
    /// The latest broken agreement of the invoice: its words say escalation resumes.
    pub resumes: bool,
}

/// The invoice's own facts an alert's words name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words<'a> {
    pub number: &'a str,
    pub customer: &'a str,
    pub due: NaiveDate,
    pub amount: Money,
    /// What is still open.
    pub open: Decimal,
}

impl Draft {
    pub fn key(&self) -> AlertKey {
        AlertKey { kind: self.kind, invoice: self.invoice, on: self.on }
    }

    pub fn urgency(&self) -> Urgency {
        self.kind.urgency()
    }

    /// The alert in words, as of `today`.
    pub fn word(&self, w: &Words<'_>, today: NaiveDate) -> Alert {
        let owed = owed(w.open, w.amount);
        let late = (today - w.due).num_days();
        let todo = |t: Dated| format!("{} due {}.", t.step.label(), relative(t.on, today));
        let agreed = self.agreed.map(|m| m.to_string()).unwrap_or_default();
        let broken =
            |what: String| format!("{what} for {} ({}), not received", self.on, relative(self.on, today));
        let (detail, then) = match self.kind {
            AlertKind::Overdue => (format!("{owed}, {}", lateness(late)), None),
            AlertKind::DueSoon => (
                format!("{owed}, due {}", relative(w.due, today)),
                self.todo.map(|_| "Time for a friendly nudge.".to_string()),
            ),
            AlertKind::StepDue(_) => (format!("{owed}, {}", lateness(late)), self.todo.map(todo)),
            AlertKind::PromiseDue => (format!("{agreed} promised for {}", relative(self.on, today)), None),
            AlertKind::InstalmentDue => {
                (format!("instalment of {agreed} for {}", relative(self.on, today)), None)
            }
            AlertKind::PromiseBroken => (broken(format!("{agreed} promised")), None),
            AlertKind::InstalmentMissed => (broken(format!("instalment of {agreed}")), None),
        };
        let then = match (self.resumes, self.todo) {
            (true, Some(t)) => Some(format!("Escalation resumes: {}", todo(t))),
            _ => then,
        };
        let mut body = format!("{} — invoice {}, {}", w.customer, w.number, detail);
        if let Some(then) = then {
            body.push('\n');
            body.push_str(&then);
        }
        Alert {
            kind: self.kind,
            invoice: self.invoice,
            number: w.number.to_string(),
            customer: w.customer.to_string(),
            on: self.on,
            title: self.kind.title().to_string(),
            body,
            urgency: self.urgency(),
        }
    }
}

/// The alerts of one open invoice as of `today`, in the order it tells them, appended to
/// `out`: due soon or overdue; each agreement of the invoice (not paid) whose day has come,
/// kept or broken; and the ladder's step to take (the nudge before the due date is what
/// "falls due soon" already says). With a broken agreement, the step goes with that alert:
/// one thing to do per invoice. A disputed invoice, or one with a promise or instalment plan
/// on schedule, gets no ladder step (its escalation is paused) but still its due-date and
/// agreement alerts.
pub fn drafts<'a>(
    invoice: InvoiceId,
    due: NaiveDate,
    standing: &Standing,
    agreements: impl IntoIterator<Item = &'a AgreementFact>,
    rules: &AlertRules,
    today: NaiveDate,
    out: &mut Vec<Draft>,
) {
    let grace = i64::from(rules.grace_days);
    let first = out.len();
    let draft = |kind, on| Draft { kind, invoice, on, agreed: None, todo: None, resumes: false };
    let late = (today - due).num_days();
    if late >= 1 {
        out.push(draft(AlertKind::Overdue, due));
    } else if -late <= i64::from(rules.nudge_window_days) {
        let nudge = standing.step_to_take.filter(|t| t.step == Step::Nudge);
        out.push(Draft { todo: nudge, ..draft(AlertKind::DueSoon, due) });
    }

    let mut broken_any = false;
    for a in agreements.into_iter().filter(|a| a.invoice == invoice && !a.paid && a.due <= today) {
        let is_broken = today > add_days(a.due, grace);
        broken_any |= is_broken;
        let kind = match (a.kind, is_broken) {
            (AgreementKind::Promise, true) => AlertKind::PromiseBroken,
            (AgreementKind::Promise, false) => AlertKind::PromiseDue,
            (AgreementKind::Instalment, true) => AlertKind::InstalmentMissed,
            (AgreementKind::Instalment, false) => AlertKind::InstalmentDue,
        };
        out.push(Draft { agreed: Some(a.amount), ..draft(kind, a.due) });
    }

    let step = standing.step_to_take.filter(|t| t.step != Step::Nudge);
    match step {
        Some(next) if !broken_any => {
            out.push(Draft { todo: step, ..draft(AlertKind::StepDue(next.step), next.on) })
        }
        Some(_) => {
            // The latest broken one says what now; the others only that they were missed.
            let broken = |d: &Draft| matches!(d.kind, AlertKind::PromiseBroken | AlertKind::InstalmentMissed);
            if let Some(d) = out[first..].iter_mut().filter(|d| broken(d)).max_by_key(|d| d.on) {
                d.todo = step;
                d.resumes = true;
            }
        }
        None => {}
    }
}

/// The order alerts are told in: most urgent first, then by day, then by invoice number.
pub fn told_first(a: (Urgency, NaiveDate, &str), b: (Urgency, NaiveDate, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then_with(|| a.2.cmp(b.2))
}

/// The alerts as of `today`, most urgent first. Paid invoices produce nothing.
pub fn evaluate(facts: &AlertFacts, rules: &AlertRules, today: NaiveDate) -> Vec<Alert> {
    let mut agreed: HashMap<InvoiceId, Vec<&AgreementFact>> = HashMap::new();
    for a in &facts.agreements {
        agreed.entry(a.invoice).or_default().push(a);
    }
    let mut alerts = Vec::new();
    let mut mine = Vec::new();
    for inv in facts.invoices.iter().filter(|i| i.open > Decimal::ZERO) {
        mine.clear();
        let these = agreed.get(&inv.id).map_or(&[][..], Vec::as_slice);
        drafts(inv.id, inv.due, &inv.standing, these.iter().copied(), rules, today, &mut mine);
        let words = Words {
            number: &inv.number,
            customer: &inv.customer,
            due: inv.due,
            amount: inv.amount,
            open: inv.open,
        };
        alerts.extend(mine.iter().map(|d| d.word(&words, today)));
    }
    alerts.sort_by(|a, b| told_first((a.urgency, a.on, &a.number), (b.urgency, b.on, &b.number)));
    alerts
}

/// The amount still owed: "€1,250.00", or "€750.00 open of €1,250.00" once partly paid.
fn owed(open: Decimal, amount: Money) -> String {
    let left = Money::new(open, amount.currency);
    if open < amount.amount { format!("{left} open of {amount}") } else { left.to_string() }
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
