//! The fields of the call form (the command line names the option that fills each, in
//! `cli::hint`).

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
    /// Whether the field holds one date (shown parsed next to it as it is typed).
    pub fn is_date(&self) -> bool {
        matches!(self, Field::PromiseDate | Field::FirstDue | Field::FollowUp | Field::PaidOn)
    }
}
