//! What a user fills in, named for errors: a refused value names its field in words, and
//! each front-end says how to give it its own way (the command line by its option, the app
//! by its form's label), so no library message names an option or a key.

use std::fmt;

/// A value a user gives when recording or correcting (a write-off's reason, an invoice's
/// due date…), as both front-ends ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    Amount,
    Date,
    Due,
    Reason,
    Pdf,
    Invoice,
    Number,
    Tracking,
    Compliant,
}

impl Input {
    pub const ALL: &'static [Input] = &[
        Input::Amount,
        Input::Date,
        Input::Due,
        Input::Reason,
        Input::Pdf,
        Input::Invoice,
        Input::Number,
        Input::Tracking,
        Input::Compliant,
    ];

    /// The field in words, as a sentence names it: "the due date".
    pub fn words(self) -> &'static str {
        match self {
            Input::Amount => "the amount",
            Input::Date => "the date",
            Input::Due => "the due date",
            Input::Reason => "the reason",
            Input::Pdf => "the invoice's PDF",
            Input::Invoice => "the invoice",
            Input::Number => "the invoice number",
            Input::Tracking => "the tracking number",
            Input::Compliant => "marking it compliant",
        }
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

/// A value refused, naming its field: "the due date: 2026-01-01 is before the issue date".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {why}")]
pub struct FieldError {
    pub field: Input,
    pub why: String,
}

impl FieldError {
    pub fn new(field: Input, why: impl fmt::Display) -> FieldError {
        FieldError { field, why: why.to_string() }
    }
}
