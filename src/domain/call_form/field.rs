//! The fields of the call form, and the command-line flag that fills each (errors name it).

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
