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
use crate::domain::claim::{CONSUMER_TERM_DAYS, SentLetter, consumer_charges, consumer_term};
use crate::domain::costs::CostRule;
use crate::domain::customer::{CustomerKind, Language};
use crate::domain::dates::add_days;
use crate::domain::event::{Channel, EventKind};
use crate::domain::interest::{Jurisdiction, round_cents};
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
    /// The money this letter asks the customer to pay (for the PDF's payment QR code); not
    /// a template field.
    #[serde(skip)]
    pub asks: Option<Ask>,
}

/// The payment a letter asks for: the amount it names, in the invoice's currency, with the
/// invoice's reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub amount: Decimal,
    pub currency: crate::domain::money::Currency,
    pub reference: Option<crate::domain::reference::PayRef>,
    pub number: String,
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
    /// The Belgian enterprise number ([me] enterprise, or read from a Belgian VAT number).
    pub enterprise: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cust {
    pub name: String,
    pub contact: String,
    /// The contact person, else the company: who the letter addresses.
    pub greeting: String,
    /// The contact's (or a consumer's) first name, for "Beste Jan,"; empty when unknown (the
    /// letter then opens "Geachte heer, mevrouw," / "Dear Sir or Madam," / "Madame, Monsieur,").
    pub first_name: String,
    /// The contact's (or a consumer's) whole name, for a formal letter: "Geachte Jan Van Damme,".
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub vat: String,
    /// The postal address, a line per line of the envelope; empty when unknown.
    pub address: String,
    pub consumer: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inv {
    pub number: String,
    pub issued: String,
    pub due: String,
    pub amount: String,
    /// The money received on it (payments, credits, write-offs).
    pub paid: String,
    /// The principal still open (after payments went first to demanded interest and costs).
    pub open: String,
    /// The structured reference (OGM) if any, else the invoice number.
    pub reference: String,
    pub description: String,
    pub days_late: i64,
    pub partly_paid: bool,
    /// Whether payments went to interest and costs before the principal.
    pub imputed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub days: u32,
    /// The last day to pay; empty when the term counts from the day after receipt (a Dutch
    /// consumer: a fixed date counted from sending can cost the collection costs).
    pub date: String,
    /// The days run from the day after the letter is received.
    pub from_receipt: bool,
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
pub struct Dated {
    pub date: String,
    pub amount: String,
}

/// How a payment was applied: to costs, interest and principal.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedLine {
    pub date: String,
    pub amount: String,
    pub costs: String,
    pub interest: String,
    pub principal: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimCtx {
    /// Whether interest and costs may go in this letter.
    pub lawful: bool,
    pub charges_from: String,
    pub as_of: String,
    /// The principal still open.
    pub principal: String,
    pub has_interest: bool,
    /// The interest accrued (paid or not).
    pub interest: String,
    pub interest_lines: Vec<Line>,
    /// `commercial` (the statutory rate between businesses), `contractual` (a clause of the
    /// terms with a consumer: never call it statutory) or `legal` (the civil legal rate).
    pub interest_basis: String,
    /// Dutch interest: a year's interest joins the base after each year.
    pub compounded: bool,
    pub capitalised: Vec<Dated>,
    pub interest_paid: String,
    pub interest_open: String,
    /// The rate in force on the letter's date, for the claim's basis.
    pub rate: String,
    pub has_compensation: bool,
    pub compensation: String,
    pub compensation_paid: String,
    pub compensation_open: String,
    /// Payments applied to costs and interest first, oldest first.
    pub applied: Vec<AppliedLine>,
    /// Whether interest still runs (the principal is open).
    pub runs: bool,
    /// Whether principal is still open (a claim letter after payment may have none).
    pub has_principal: bool,
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
    /// This letter is the consumer's free first reminder (BE, art. XIX.2 Code of Economic
    /// Law) or 14-day letter (NL, art. 6:96 lid 6 BW): it must carry the exact charges.
    pub first_reminder: bool,
    pub term_days: i64,
    /// The last day of the 14 days counted as the law counts them, if this letter goes out
    /// today by the chosen channel; empty in the Netherlands (14 days from the day after
    /// receipt, no fixed date).
    pub term_end: String,
    /// The costs charged after the 14 days, exactly: the damages of the terms on the XIX.4
    /// scale (BE, only with a damages clause) or the WIK costs (NL).
    pub has_costs: bool,
    pub costs: String,
    /// The same as `costs` (kept for templates written before it).
    pub max_costs: String,
    /// The interest charged after the 14 days: its basis (`contractual` or `legal`), its
    /// yearly rate today and what it comes to per day on the amount open.
    pub interest_basis: String,
    pub interest_rate: String,
    pub interest_per_day: String,
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
    let consumer = c.kind == CustomerKind::Consumer;
    let jurisdiction = config.jurisdiction;
    // The days to pay and the last day: the same rule as the ladder's wait for them.
    let terms = config.letter_terms(consumer);
    let term_days = terms.days(kind.step());
    // The consumer's first reminder is the first letter carrying the mentions the law asks:
    // until one was sent, every reminder is written as one (a formal notice never is).
    let consumer_first = consumer
        && case.claim_facts().first_reminder.is_none()
        && matches!(kind, LetterKind::Reminder | LetterKind::FirmReminder);
    let this_letter = SentLetter { sent: today, channel, received: None };
    let legal_term = consumer_term(jurisdiction, &this_letter);
    // The last day to pay: for a consumer counted as the law counts the 14 days (from the day
    // after an email, from the third working day after posting), never a fixed date in the
    // Netherlands (HR 25 November 2016, ECLI:NL:HR:2016:2704); the formal notice counts
    // from its receipt.
    let (term_date, from_receipt) = match (consumer, jurisdiction, kind) {
        (_, _, LetterKind::FormalNotice) => (Some(add_days(today, i64::from(term_days))), true),
        (true, Jurisdiction::Nl, _) => (None, true),
        _ => (Some(terms.last_day(kind.step(), &this_letter)), false),
    };
    let (consumer_basis, consumer_costs) = consumer_charges(jurisdiction, config.terms);
    let costs_after = consumer_costs.map(|rule| rule.on(claim.open).amount).filter(|a| !a.is_zero());
    let consumer_rate = config.rates.row_on(jurisdiction, consumer_basis.rate_kind(), today).map(|r| r.rate);
    let interest = claim.interest.as_ref().filter(|_| claim.lawful);
    let compensation = claim.compensation.as_ref().filter(|_| claim.lawful);
    let rate_now = claim
        .basis
        .and_then(|b| config.rates.row_on(jurisdiction, b.rate_kind(), today))
        .map_or(String::new(), |r| f.percent(r.rate));
    let comp_lines = compensation.map_or(Vec::new(), |comp| {
        let mut lines = Vec::new();
        if comp.rule == CostRule::BeConsumer {
            lines.push(f.money(comp.fixed));
        }
        lines.extend(comp.lines.iter().map(|l| {
            format!("{} × {} = {}", f.percent(l.rate), f.money(l.base), f.money(round_cents(l.amount)))
        }));
        lines
    });
    let last_payment =
        case.payments.iter().rev().find(|p| p.kind == crate::domain::invoice::PaymentKind::Payment);
    // What the claim asks in total: the charges only when they may be claimed.
    let claim_total = if claim.lawful { claim.total } else { claim.open };
    // The amount each letter asks to be paid, as its template names it: the reminders the
    // open principal (`invoice.open`), the formal notice and the claim the total
    // (`claim.total`); the other letters ask for no payment.
    let asked = match kind {
        LetterKind::Nudge | LetterKind::Reminder | LetterKind::FirmReminder => Some(claim.open),
        LetterKind::FormalNotice | LetterKind::Claim => Some(claim_total),
        LetterKind::CallConfirmation | LetterKind::ThankYou | LetterKind::AgencyCover => None,
    };
    let person =
        c.contact.clone().filter(|s| !s.trim().is_empty()).or_else(|| consumer.then(|| c.name.clone()));
    LetterContext {
        kind: kind.as_str().into(),
        lang: lang.as_str().into(),
        jurisdiction: jurisdiction.as_str().into(),
        today: f.date(today),
        me: Me {
            name: me.name.clone(),
            company: me.company.clone(),
            sender: me.sender().to_string(),
            address: me.address.clone(),
            iban: me.iban.as_str().into(),
            bic: me.bic.clone(),
            vat: me.vat.clone(),
            enterprise: me.enterprise_number(),
            email: me.email.clone(),
            phone: me.phone.clone(),
        },
        customer: Cust {
            name: c.name.clone(),
            contact: c.contact.clone().unwrap_or_default(),
            greeting: c.contact.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| c.name.clone()),
            first_name: person.as_deref().map(crate::domain::customer::first_name).unwrap_or_default(),
            full_name: person.unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            vat: c.vat.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            consumer,
        },
        invoice: Inv {
            number: inv.number.clone(),
            issued: f.date(inv.issued),
            due: f.date(inv.due),
            amount: f.money(inv.amount.amount),
            paid: f.money(inv.amount.amount - inv.open),
            open: f.money(claim.open),
            reference: inv.reference.map_or_else(|| inv.number.clone(), |r| r.to_string()),
            description: inv.description.clone(),
            days_late: inv.days_overdue(today).max(0),
            partly_paid: inv.open < inv.amount.amount && !claim.open.is_zero(),
            imputed: !claim.applied.is_empty(),
        },
        term: Term { days: term_days, date: term_date.map_or(String::new(), |d| f.date(d)), from_receipt },
        claim: ClaimCtx {
            lawful: claim.lawful,
            charges_from: claim.charges_from.map_or(String::new(), |d| f.date(d)),
            as_of: f.date(claim.as_of),
            principal: f.money(claim.open),
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
                        amount: f.money(round_cents(l.amount)),
                    })
                    .collect()
            }),
            interest_basis: claim.basis.map_or("", |b| b.as_str()).into(),
            compounded: claim.compounded && interest.is_some(),
            capitalised: interest.map_or(Vec::new(), |i| {
                i.capitalised
                    .iter()
                    .map(|c| Dated { date: f.date(c.on), amount: f.money(c.amount) })
                    .collect()
            }),
            interest_paid: f.money(claim.interest_paid),
            interest_open: f.money(claim.interest_open()),
            rate: rate_now,
            has_compensation: compensation.is_some(),
            compensation: f.money(compensation.map_or(Decimal::ZERO, |c| c.amount)),
            compensation_paid: f.money(claim.costs_paid),
            compensation_open: f.money(claim.compensation_open()),
            applied: claim
                .applied
                .iter()
                .map(|a| AppliedLine {
                    date: f.date(a.on),
                    amount: f.money(a.amount),
                    costs: f.money(a.costs),
                    interest: f.money(a.interest),
                    principal: f.money(a.principal),
                })
                .collect(),
            runs: interest.is_some() && !claim.open.is_zero(),
            has_principal: !claim.open.is_zero(),
            compensation_rule: compensation.map_or(String::new(), |c| {
                serde_json::to_value(c.rule)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            }),
            compensation_lines: comp_lines,
            compensation_floor: compensation.and_then(|c| c.floor).map_or(String::new(), |v| f.money(v)),
            compensation_cap: compensation.and_then(|c| c.cap).map_or(String::new(), |v| f.money(v)),
            total: f.money(claim_total),
        },
        consumer: ConsumerCtx {
            first_reminder: consumer_first,
            term_days: CONSUMER_TERM_DAYS,
            term_end: match jurisdiction {
                Jurisdiction::Be => f.date(legal_term.ends),
                Jurisdiction::Nl => String::new(),
            },
            has_costs: costs_after.is_some(),
            costs: costs_after.map_or(String::new(), |a| f.money(a)),
            max_costs: costs_after.map_or(String::new(), |a| f.money(a)),
            interest_basis: consumer_basis.as_str().into(),
            interest_rate: consumer_rate.map_or(String::new(), |r| f.percent(r)),
            interest_per_day: consumer_rate
                .map_or(String::new(), |r| f.money(round_cents(claim.open * r / Decimal::from(36500)))),
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
        asks: asked.filter(|a| *a > Decimal::ZERO).map(|amount| Ask {
            amount,
            currency: inv.amount.currency,
            reference: inv.reference,
            number: inv.number.clone(),
        }),
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
