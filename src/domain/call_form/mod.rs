//! The call form, independent of any screen: every field is the text as typed, checked and
//! turned into a [`NewCall`] by [`CallForm::validate`]. The app's call mode draws it and the
//! command line fills it from flags, so both follow the same rules.

use crate::domain::format;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::agreement::{NewAgreement, Schedule};
use super::call::{CallOutcome, NewCall};
use super::customer::CustomerId;
use super::dates::{add_days, parse_date_relative};
use super::invoice::InvoiceId;
use super::money::{Currency, Money, parse_amount, plain_amount};
use super::text::{Lines, check_text};

mod field;
pub use field::Field;

/// A field that does not hold what it should, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// What the form needs to know about the call being logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallContext {
    pub customer: CustomerId,
    pub invoice: Option<InvoiceId>,
    /// The invoice's open amount (zero when calling about a customer).
    pub open: Decimal,
    pub currency: Currency,
}

/// The call form: flags and texts as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallForm {
    pub reached: bool,
    pub outcome: Option<CallOutcome>,
    pub with: String,
    pub promise_date: String,
    pub amount: String,
    pub instalments: String,
    pub every: String,
    pub first_due: String,
    pub dates: String,
    pub follow_up: String,
    pub paid_on: String,
    pub paid_ref: String,
    pub note: String,
}

impl CallForm {
    /// A fresh form: the contact person as the one spoken with, the open amount as the
    /// amount.
    pub fn new(contact: Option<&str>, open: Decimal) -> CallForm {
        CallForm {
            reached: true,
            with: contact.unwrap_or_default().trim().to_string(),
            amount: if open > Decimal::ZERO { plain_amount(open) } else { String::new() },
            ..CallForm::default()
        }
    }

    /// Chooses the outcome; sets "reached" when the outcome decides it and fills the usual
    /// values of empty fields (a plan of 3 every 30 days; a claimed payment checked in 3 days).
    pub fn set_outcome(&mut self, outcome: CallOutcome) {
        self.outcome = Some(outcome);
        if let Some(r) = outcome.implies_reached() {
            self.reached = r;
        }
        let fill = |s: &mut String, v: &str| {
            if s.trim().is_empty() {
                *s = v.to_string();
            }
        };
        match outcome {
            CallOutcome::Plan => {
                fill(&mut self.instalments, "3");
                fill(&mut self.every, "30");
            }
            CallOutcome::AlreadyPaid => fill(&mut self.follow_up, "+3"),
            _ => {}
        }
    }

    /// The fields that matter for the chosen outcome, in the order they are filled.
    pub fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::Reached];
        if self.reached {
            f.push(Field::With);
        }
        f.push(Field::Outcome);
        f.extend_from_slice(match self.outcome {
            Some(CallOutcome::Promise) => &[Field::PromiseDate, Field::Amount],
            Some(CallOutcome::Plan) => {
                &[Field::Amount, Field::Instalments, Field::Every, Field::FirstDue, Field::Dates]
            }
            Some(CallOutcome::AlreadyPaid) => &[Field::PaidOn, Field::PaidRef, Field::FollowUp],
            Some(CallOutcome::Dispute | CallOutcome::Callback | CallOutcome::NoAnswer) => &[Field::FollowUp],
            Some(CallOutcome::Refused) | None => &[],
        });
        f.push(Field::Note);
        f
    }

    /// The text of a text field (`None` for the reached flag and the outcome).
    pub fn text(&self, field: Field) -> Option<&str> {
        Some(match field {
            Field::Reached | Field::Outcome => return None,
            Field::With => &self.with,
            Field::PromiseDate => &self.promise_date,
            Field::Amount => &self.amount,
            Field::Instalments => &self.instalments,
            Field::Every => &self.every,
            Field::FirstDue => &self.first_due,
            Field::Dates => &self.dates,
            Field::FollowUp => &self.follow_up,
            Field::PaidOn => &self.paid_on,
            Field::PaidRef => &self.paid_ref,
            Field::Note => &self.note,
        })
    }

    pub fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::Reached | Field::Outcome => return None,
            Field::With => &mut self.with,
            Field::PromiseDate => &mut self.promise_date,
            Field::Amount => &mut self.amount,
            Field::Instalments => &mut self.instalments,
            Field::Every => &mut self.every,
            Field::FirstDue => &mut self.first_due,
            Field::Dates => &mut self.dates,
            Field::FollowUp => &mut self.follow_up,
            Field::PaidOn => &mut self.paid_on,
            Field::PaidRef => &mut self.paid_ref,
            Field::Note => &mut self.note,
        })
    }

    /// What to show next to a field as it is typed: the parsed date ("Fri 4 Dec 2026"), the
    /// dates of a list, the amount, or why it does not parse. `None` for an empty field.
    pub fn hint(&self, field: Field, today: NaiveDate, currency: Currency) -> Option<Result<String, String>> {
        let text = self.text(field)?.trim();
        if text.is_empty() {
            return (field == Field::FirstDue && self.outcome == Some(CallOutcome::Plan))
                .then(|| self.default_first_due(today).map(format::weekday_year).ok_or_else(String::new));
        }
        Some(match field {
            f if f.is_date() => {
                parse_date_relative(text, today).map(format::weekday_year).map_err(|e| e.to_string())
            }
            Field::Dates => parse_dates(text, today)
                .map(|ds| ds.iter().map(|d| format::day_month(*d)).collect::<Vec<_>>().join(", ")),
            Field::Amount => {
                parse_amount(text).map(|a| Money::new(a, currency).to_string()).map_err(|e| e.to_string())
            }
            _ => return None,
        })
    }

    fn default_first_due(&self, today: NaiveDate) -> Option<NaiveDate> {
        let every: u32 = self.every.trim().parse().ok()?;
        Some(add_days(today, i64::from(every)))
    }

    /// Checks every field and builds the call, or lists every field in error.
    pub fn validate(&self, ctx: &CallContext, today: NaiveDate) -> Result<NewCall, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut err = |field, message: String| errs.push(FieldError { field, message });
        let Some(outcome) = self.outcome else {
            err(Field::Outcome, "choose what the call came to".into());
            return Err(errs);
        };
        if let Some(r) = outcome.implies_reached()
            && r != self.reached
        {
            err(
                Field::Reached,
                if r {
                    format!("'{}' needs someone on the line: mark the call as reached", outcome.label())
                } else {
                    "with no answer, nobody was reached".into()
                },
            );
        }
        let visible = self.fields();
        let shown = |f: Field| visible.contains(&f);
        let mut follow_up = None;
        if shown(Field::FollowUp) {
            follow_up = date_field(&self.follow_up, Field::FollowUp, today, Ahead, &mut err);
            if self.follow_up.trim().is_empty()
                && matches!(outcome, CallOutcome::Callback | CallOutcome::AlreadyPaid)
            {
                err(Field::FollowUp, "give the date".into());
            }
        }
        let claimed_paid_on = if shown(Field::PaidOn) {
            date_field(&self.paid_on, Field::PaidOn, today, Behind, &mut err)
        } else {
            None
        };
        if outcome == CallOutcome::Dispute && self.note.trim().is_empty() {
            err(Field::Note, "note what the customer disputes".into());
        }
        for (field, text, lines) in [
            (Field::With, &self.with, Lines::One),
            (Field::PaidRef, &self.paid_ref, Lines::One),
            (Field::Note, &self.note, Lines::Many),
        ] {
            if !shown(field) {
                continue;
            }
            if let Err(e) = check_text("", text, lines) {
                err(field, e.reason());
            }
        }
        let agreement = if outcome.makes_agreement() { self.agreement(ctx, today, &mut err) } else { None };
        if outcome.makes_agreement() && ctx.invoice.is_none() {
            err(Field::Outcome, "a promise or a plan is made on an invoice: call from the invoice".into());
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(NewCall {
            customer: ctx.customer,
            invoice: ctx.invoice,
            on: today,
            reached: self.reached,
            with: if self.reached { opt(&self.with) } else { None },
            outcome,
            follow_up,
            claimed_paid_on,
            claimed_reference: if shown(Field::PaidRef) { opt(&self.paid_ref) } else { None },
            note: self.note.trim().to_string(),
            agreement,
        })
    }

    /// The promise or plan the fields describe, or errors on the fields at fault.
    fn agreement(
        &self,
        ctx: &CallContext,
        today: NaiveDate,
        err: &mut dyn FnMut(Field, String),
    ) -> Option<NewAgreement> {
        let amount = match parse_amount(&self.amount) {
            Ok(a) if a <= Decimal::ZERO => {
                err(Field::Amount, format!("the amount must be positive, not {a}"));
                None
            }
            Ok(a) if a > ctx.open => {
                let open = Money::new(ctx.open, ctx.currency);
                err(Field::Amount, format!("{} is more than the {open} open", Money::new(a, ctx.currency)));
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                err(Field::Amount, e.to_string());
                None
            }
        };
        if self.outcome == Some(CallOutcome::Promise) {
            if self.promise_date.trim().is_empty() {
                err(Field::PromiseDate, "give the day they will pay".into());
            }
            let on = date_field(&self.promise_date, Field::PromiseDate, today, Ahead, err);
            return NewAgreement::promise(on?, amount?).map_err(|e| err(Field::Amount, e.to_string())).ok();
        }
        let (schedule, field) = if !self.dates.trim().is_empty() {
            let dates = parse_dates(&self.dates, today).map_err(|e| err(Field::Dates, e)).ok()?;
            if let Some(d) = dates.iter().find(|d| **d < today) {
                err(Field::Dates, format!("{} is in the past", format::weekday_year(*d)));
                return None;
            }
            (Schedule::Dates(dates), Field::Dates)
        } else {
            let count = number(&self.instalments, Field::Instalments, err);
            let every = number(&self.every, Field::Every, err);
            let first = match self.first_due.trim() {
                "" => every.map(|e| add_days(today, i64::from(e))),
                t => date_field(t, Field::FirstDue, today, Ahead, err),
            };
            (Schedule::Every { count: count?, every_days: every?, first: first? }, Field::Instalments)
        };
        let total = amount?;
        NewAgreement::plan(total, &schedule)
            .map_err(|e| {
                let f = if matches!(e, super::agreement::AgreementError::ZeroInterval) {
                    Field::Every
                } else {
                    field
                };
                err(f, e.to_string())
            })
            .ok()
    }
}

/// Which side of today a date field must be on.
#[derive(Clone, Copy)]
enum Side {
    /// Today or later (an agreed date, a call-back).
    Ahead,
    /// Today or earlier (a payment the customer says they made).
    Behind,
}
use Side::{Ahead, Behind};

/// A date field: `None` when empty or in error (the error is reported).
fn date_field(
    text: &str,
    field: Field,
    today: NaiveDate,
    side: Side,
    err: &mut dyn FnMut(Field, String),
) -> Option<NaiveDate> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match (parse_date_relative(t, today), side) {
        (Ok(d), Ahead) if d < today => err(field, format!("{} is in the past", format::weekday_year(d))),
        (Ok(d), Behind) if d > today => err(field, format!("{} is in the future", format::weekday_year(d))),
        (Ok(d), _) => return Some(d),
        (Err(e), _) => err(field, e.to_string()),
    }
    None
}

fn number(text: &str, field: Field, err: &mut dyn FnMut(Field, String)) -> Option<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            err(field, format!("'{}' is not a whole number", text.trim()));
            None
        }
    }
}

/// A list of dates separated by spaces, commas or semicolons, each as a form accepts it.
pub fn parse_dates(text: &str, today: NaiveDate) -> Result<Vec<NaiveDate>, String> {
    text.split([' ', ',', ';'])
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_date_relative(t, today).map_err(|e| e.to_string()))
        .collect()
}

#[cfg(test)]
mod tests;
