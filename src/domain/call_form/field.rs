//! The fields of the call form: labels for call mode, flags for the command line.

use crate::domain::call::CallOutcome;

/// A field of the call form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Reached,
    With,
    Outcome,
    PromiseDate,
    Amount,
    Instalments,
    Every,
    FirstDue,
    Dates,
    FollowUp,
    PaidOn,
    PaidRef,
    Note,
}

impl Field {
    /// The label in call mode; the follow-up date is named after what it is for.
    pub fn label(&self, outcome: Option<CallOutcome>) -> &'static str {
        match self {
            Field::Reached => "Reached",
            Field::With => "Spoke with",
            Field::Outcome => "Outcome",
            Field::PromiseDate => "Pays on",
            Field::Amount if outcome == Some(CallOutcome::Plan) => "Plan total",
            Field::Amount => "Amount",
            Field::Instalments => "Instalments",
            Field::Every => "Every (days)",
            Field::FirstDue => "First due",
            Field::Dates => "Or dates",
            Field::FollowUp => match outcome {
                Some(CallOutcome::AlreadyPaid) => "Check by",
                Some(CallOutcome::Dispute) => "Next contact",
                Some(CallOutcome::NoAnswer) => "Try again on",
                _ => "Call back on",
            },
            Field::PaidOn => "Paid on",
            Field::PaidRef => "Reference",
            Field::Note => "Note",
        }
    }

    /// The command-line flag that fills this field (for error messages).
    pub fn flag(&self) -> &'static str {
        match self {
            Field::Reached => "--reached",
            Field::With => "--with",
            Field::Outcome => "--outcome",
            Field::PromiseDate => "--promise-date",
            Field::Amount => "--amount",
            Field::Instalments => "--plan",
            Field::Every => "--every",
            Field::FirstDue => "--first",
            Field::Dates => "--dates",
            Field::FollowUp => "--callback",
            Field::PaidOn => "--paid-on",
            Field::PaidRef => "--paid-ref",
            Field::Note => "--note",
        }
    }

    /// Whether the field holds one date (shown parsed next to it as it is typed).
    pub fn is_date(&self) -> bool {
        matches!(self, Field::PromiseDate | Field::FirstDue | Field::FollowUp | Field::PaidOn)
    }
}
