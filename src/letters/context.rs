//! The fields a letter template may use, filled from one case file. Every figure is
//! formatted here, in the letter's language, so templates never compute or format.
//!
//! Only this invoice's customer is ever read: a letter cannot show another customer's data.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::LetterKind;
pub use super::format::Fmt;
use crate::config::Config;
use crate::domain::claim::{CONSUMER_TERM_DAYS, SentLetter, consumer_term};
use crate::domain::costs::{CostRule, be_consumer, wik};
use crate::domain::customer::{CustomerKind, Language};
use crate::domain::dates::add_days;
use crate::domain::event::{Channel, EventKind};
use crate::domain::interest::Jurisdiction;
use crate::domain::policy::Step;
use crate::service::CaseFile;

#[derive(Debug, Clone, Serialize)]
pub struct LetterContext {
    pub kind: String,
    pub lang: String,
    pub jurisdiction: String,
    /// The letter's date.
    pub today: String,
    pub me: Me,
    pub customer: Cust,
    pub invoice: Inv,
    /// The payment term this letter gives.
    pub term: Term,
    pub claim: ClaimCtx,
    pub consumer: ConsumerCtx,
    pub call: CallCtx,
    pub payment: PaymentCtx,
    pub notice: NoticeCtx,
    /// What was really done before this letter, so its wording matches.
    pub history: HistoryCtx,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryCtx {
    /// Written reminders (reminder, firm reminder) sent before this letter.
    pub reminders: u32,
    /// Whether the customer was reached by phone about it.
    pub called: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Me {
    pub name: String,
    pub company: String,
    /// The company, else the name: who signs.
    pub sender: String,
    pub address: String,
    pub iban: String,
    pub bic: String,
    pub vat: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cust {
    pub name: String,
    pub contact: String,
    /// The contact person, else the company: who the letter addresses.
    pub greeting: String,
    pub email: String,
    pub phone: String,
    pub vat: String,
    pub consumer: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inv {
    pub number: String,
    pub issued: String,
    pub due: String,
    pub amount: String,
    pub paid: String,
    pub open: String,
    /// The structured reference (OGM) if any, else the invoice number.
    pub reference: String,
    pub description: String,
    pub days_late: i64,
    pub partly_paid: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub days: u32,
    pub date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub from: String,
    pub to: String,
    pub days: i64,
    pub principal: String,
    pub rate: String,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimCtx {
    /// Whether interest and costs may go in this letter.
    pub lawful: bool,
    pub charges_from: String,
    pub as_of: String,
    pub has_interest: bool,
    pub interest: String,
    pub interest_lines: Vec<Line>,
    /// The rate in force on the letter's date.
    pub rate: String,
    pub has_compensation: bool,
    pub compensation: String,
    /// `fixed_b2b`, `be_consumer` or `wik` (empty without compensation).
    pub compensation_rule: String,
    /// The scale as computed: "15 % × €2,500.00 = €375.00", …
    pub compensation_lines: Vec<String>,
    pub compensation_floor: String,
    pub compensation_cap: String,
    pub total: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsumerCtx {
    /// This letter is the consumer's free first reminder (BE) or 14-day letter (NL).
    pub first_reminder: bool,
    pub term_days: i64,
    /// The last day of the 14 days, if this letter goes out today by the chosen channel.
    pub term_end: String,
    /// What may be charged afterwards: the damages cap (BE) or the WIK costs (NL).
    pub max_costs: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallCtx {
    pub date: String,
    pub summary: String,
    pub has_promise: bool,
    pub promise_date: String,
    pub promise_amount: String,
    pub has_plan: bool,
    pub instalments: Vec<Instalment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Instalment {
    pub date: String,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentCtx {
    pub date: String,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeCtx {
    pub sent: String,
    pub tracking: String,
    pub received: String,
}

/// An agreement made on the phone, as the calls feature records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFacts {
    pub date: Option<NaiveDate>,
    pub summary: String,
    pub promise: Option<(NaiveDate, Decimal)>,
    pub instalments: Vec<(NaiveDate, Decimal)>,
}

/// The context for `kind` on `case`, in `lang`, sent today by `channel`.
pub fn build(
    case: &CaseFile,
    config: &Config,
    kind: LetterKind,
    lang: Language,
    channel: Channel,
    call: &CallFacts,
) -> LetterContext {
    let f = Fmt { lang, currency: case.invoice.amount.currency };
    let today = case.today;
    let inv = &case.invoice;
    let c = &case.customer;
    let me = &config.me;
    let claim = &case.claim;
    let term_days = match kind {
        LetterKind::FormalNotice => config.letters.notice_term_days,
        LetterKind::Reminder if c.kind == CustomerKind::Consumer => CONSUMER_TERM_DAYS as u32,
        _ => config.letters.firm_term_days,
    };
    let first_written = !case.timeline.iter().any(|e| {
        e.on > inv.due
            && matches!(
                e.kind,
                EventKind::ReminderSent | EventKind::FirmReminderSent | EventKind::FormalNoticeSent
            )
    });
    let consumer_first = c.kind == CustomerKind::Consumer
        && first_written
        && matches!(kind, LetterKind::Reminder | LetterKind::FirmReminder | LetterKind::FormalNotice);
    let this_letter = SentLetter { sent: today, channel, received: None };
    let max_costs = match config.jurisdiction {
        Jurisdiction::Be => be_consumer(inv.open).amount,
        Jurisdiction::Nl => wik(inv.open).amount,
    };
    let interest = claim.interest.as_ref().filter(|_| claim.lawful);
    let compensation = claim.compensation.as_ref().filter(|_| claim.lawful);
    let rate_now = config
        .rates
        .row_on(config.jurisdiction, crate::domain::interest::RateKind::B2b, today)
        .map_or(String::new(), |r| f.percent(r.rate));
    let comp_lines = compensation.map_or(Vec::new(), |comp| {
        let mut lines = Vec::new();
        if comp.rule == CostRule::BeConsumer {
            lines.push(f.money(comp.fixed));
        }
        lines.extend(comp.lines.iter().map(|l| {
            format!(
                "{} × {} = {}",
                f.percent(l.rate),
                f.money(l.base),
                f.money(crate::domain::interest::round_cents(l.amount))
            )
        }));
        lines
    });
    let last_payment =
        case.payments.iter().rev().find(|p| p.kind == crate::domain::invoice::PaymentKind::Payment);
    LetterContext {
        kind: kind.as_str().into(),
        lang: lang.as_str().into(),
        jurisdiction: config.jurisdiction.as_str().into(),
        today: f.date(today),
        me: Me {
            name: me.name.clone(),
            company: me.company.clone(),
            sender: if me.company.trim().is_empty() { me.name.clone() } else { me.company.clone() },
            address: me.address.clone(),
            iban: me.iban.as_str().into(),
            bic: me.bic.clone(),
            vat: me.vat.clone(),
            email: me.email.clone(),
            phone: me.phone.clone(),
        },
        customer: Cust {
            name: c.name.clone(),
            contact: c.contact.clone().unwrap_or_default(),
            greeting: c.contact.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| c.name.clone()),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            vat: c.vat.clone().unwrap_or_default(),
            consumer: c.kind == CustomerKind::Consumer,
        },
        invoice: Inv {
            number: inv.number.clone(),
            issued: f.date(inv.issued),
            due: f.date(inv.due),
            amount: f.money(inv.amount.amount),
            paid: f.money(inv.amount.amount - inv.open),
            open: f.money(inv.open),
            reference: inv.reference.map_or_else(|| inv.number.clone(), |r| r.to_string()),
            description: inv.description.clone(),
            days_late: inv.days_overdue(today).max(0),
            partly_paid: inv.open < inv.amount.amount && !inv.open.is_zero(),
        },
        term: Term { days: term_days, date: f.date(add_days(today, i64::from(term_days))) },
        claim: ClaimCtx {
            lawful: claim.lawful,
            charges_from: claim.charges_from.map_or(String::new(), |d| f.date(d)),
            as_of: f.date(claim.as_of),
            has_interest: interest.is_some_and(|i| !i.lines.is_empty()),
            interest: f.money(interest.map_or(Decimal::ZERO, |i| i.total)),
            interest_lines: interest.map_or(Vec::new(), |i| {
                i.lines
                    .iter()
                    .map(|l| Line {
                        from: f.date(l.from),
                        to: f.date(l.to),
                        days: l.days,
                        principal: f.money(l.principal),
                        rate: f.percent(l.rate),
                        amount: f.money(crate::domain::interest::round_cents(l.amount)),
                    })
                    .collect()
            }),
            rate: rate_now,
            has_compensation: compensation.is_some(),
            compensation: f.money(compensation.map_or(Decimal::ZERO, |c| c.amount)),
            compensation_rule: compensation.map_or(String::new(), |c| {
                serde_json::to_value(c.rule)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            }),
            compensation_lines: comp_lines,
            compensation_floor: compensation.and_then(|c| c.floor).map_or(String::new(), |v| f.money(v)),
            compensation_cap: compensation.and_then(|c| c.cap).map_or(String::new(), |v| f.money(v)),
            total: f.money(if claim.lawful { claim.total } else { inv.open }),
        },
        consumer: ConsumerCtx {
            first_reminder: consumer_first,
            term_days: CONSUMER_TERM_DAYS,
            term_end: f.date(consumer_term(config.jurisdiction, &this_letter).ends),
            max_costs: f.money(max_costs),
        },
        call: CallCtx {
            date: call.date.map_or(String::new(), |d| f.date(d)),
            summary: call.summary.clone(),
            has_promise: call.promise.is_some(),
            promise_date: call.promise.map_or(String::new(), |(d, _)| f.date(d)),
            promise_amount: call.promise.map_or(String::new(), |(_, a)| f.money(a)),
            has_plan: !call.instalments.is_empty(),
            instalments: call
                .instalments
                .iter()
                .map(|(d, a)| Instalment { date: f.date(*d), amount: f.money(*a) })
                .collect(),
        },
        payment: PaymentCtx {
            date: last_payment.map_or(String::new(), |p| f.date(p.on)),
            amount: last_payment.map_or(String::new(), |p| f.money(p.amount)),
        },
        notice: NoticeCtx {
            sent: case.registered.as_ref().map_or(String::new(), |r| f.date(r.sent)),
            tracking: case.registered.as_ref().map_or(String::new(), |r| r.tracking.clone()),
            received: case.registered.as_ref().and_then(|r| r.received).map_or(String::new(), |d| f.date(d)),
        },
        history: HistoryCtx {
            reminders: case
                .facts
                .done
                .iter()
                .filter(|d| d.on <= today && matches!(d.step, Step::Reminder | Step::FirmReminder))
                // This letter itself, if it was recorded already, is not "before" it.
                .filter(|d| Some(d.step) != kind.step())
                .count() as u32,
            called: case.standing.done.contains(Step::Call),
        },
    }
}

/// The last call logged on the case, as call facts (the calls feature may pass richer ones).
pub fn last_call(case: &CaseFile) -> CallFacts {
    case.timeline
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::CallLogged)
        .map(|e| CallFacts { date: Some(e.on), summary: e.detail.clone(), ..CallFacts::default() })
        .unwrap_or_default()
}
