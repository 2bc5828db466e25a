//! The command line's words added to the library's errors: the library says what is wrong
//! in the user's words, never naming an option (the app has keys instead); here each typed
//! refusal gets the option or command that gives what was missing.

use crate::domain::input::{FieldError, Input};
use crate::letters::group::NoGroupLetter;
use crate::letters::send::NoLetter;
use crate::store::StoreError;

/// The option that gives `field`.
pub fn flag(field: Input) -> &'static str {
    match field {
        Input::Amount => "--amount",
        Input::Date => "--date",
        Input::Due => "--due",
        Input::Reason => "--reason",
        Input::Pdf => "--pdf",
        Input::Invoice => "--invoice",
        Input::Number => "--number",
        Input::Tracking => "--tracking",
        Input::Compliant => "--compliant",
    }
}

/// The error as the command line prints it: the library's message (with its context), then
/// what to type, if the refusal is one the command line can help with.
pub fn message(e: &anyhow::Error) -> String {
    match hint(e) {
        Some(h) => format!("{e:#}{h}"),
        None => format!("{e:#}"),
    }
}

/// What the command line adds to `e`, with its separator.
fn hint(e: &anyhow::Error) -> Option<String> {
    e.chain().find_map(|c| {
        if let Some(no) = c.downcast_ref::<NoLetter>() {
            return no.cli_hint().map(|h| format!("; {h}"));
        }
        if let Some(no) = c.downcast_ref::<NoGroupLetter>() {
            return no.cli_hint().map(|h| format!("; {h}"));
        }
        let field = c.downcast_ref::<FieldError>().or_else(|| match c.downcast_ref::<StoreError>() {
            Some(StoreError::Field(f)) => Some(f),
            _ => None,
        })?;
        Some(format!(" ({})", flag(field.field)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_value_gets_its_option_once_with_its_context() {
        let e = anyhow::Error::from(StoreError::from(FieldError::new(
            Input::Due,
            "2026-01-01 is before the issue date",
        )))
        .context("invoice A-1");
        assert_eq!(message(&e), "invoice A-1: the due date: 2026-01-01 is before the issue date (--due)");
        let plain = anyhow::anyhow!("no such invoice");
        assert_eq!(message(&plain), "no such invoice");
        let no = anyhow::Error::from(NoLetter::Exhausted { number: "A-1".into() });
        assert!(message(&no).ends_with("; name a letter with --step"), "{}", message(&no));
    }

    #[test]
    fn every_field_has_an_option() {
        for f in Input::ALL {
            assert!(flag(*f).starts_with("--"), "{f}");
        }
    }
}
