//! The app's words added to the library's errors. The library says what is wrong in the
//! user's words and never names an option; a [`Failure`] carries its typed error unformatted
//! up to the status line (or the overlay's error line), where [`Failure::text`] says it with
//! the app's own way to get past it: a key, or, when the app has none, the command to run.

use crate::import::Need;
use crate::letters::mail::MailError;
use crate::store::{Refusal, StoreError};

/// Why something the app asked for was not done: the library's error, typed, and the app's
/// words around it.
#[derive(Debug)]
pub struct Failure {
    /// What was not done ("Not recorded"), said before the error, which then ends the
    /// sentence.
    before: Option<String>,
    error: anyhow::Error,
    /// Whether the error ends a sentence (a full stop unless it has one).
    stop: bool,
    /// Said after the error (the next sentence).
    after: &'static str,
}

impl Failure {
    /// A library's error, said as it is (with the app's hint).
    pub fn new(error: impl Into<anyhow::Error>) -> Failure {
        Failure { before: None, error: error.into(), stop: false, after: "" }
    }

    /// The app's own words, with no library error behind them.
    pub fn said(text: impl Into<String>) -> Failure {
        Failure::new(anyhow::Error::msg(text.into()))
    }

    /// The error after what was not done: "Not recorded: … ."
    pub fn before(mut self, what: impl Into<String>) -> Failure {
        self.before = Some(what.into());
        self.stop = true;
        self
    }

    /// The error ends its sentence: a full stop after it.
    pub fn stop(mut self) -> Failure {
        self.stop = true;
        self
    }

    /// A sentence said after the error (which then ends its own).
    pub fn after(mut self, next: &'static str) -> Failure {
        self.after = next;
        self.stop = true;
        self
    }

    /// The library's error, for a caller that looks at what it was.
    pub fn error(&self) -> &anyhow::Error {
        &self.error
    }

    /// What the status line says: the error with its context and the app's hint.
    pub fn text(&self) -> String {
        let mut text = match &self.before {
            Some(b) => format!("{b}: {}", said(&self.error)),
            None => said(&self.error),
        };
        if self.stop && !text.ends_with('.') {
            text.push('.');
        }
        text.push_str(self.after);
        text
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::new(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::new(e)
    }
}

/// The error as the app says it: its message (with its context), then the app's hint; an
/// import's problems each get their own.
fn said(e: &anyhow::Error) -> String {
    crate::import::say(e, need, hint)
}

/// What the app adds to `e`, with its separator.
fn hint(e: &anyhow::Error) -> Option<String> {
    e.chain().find_map(|c| {
        if let Some(m) = c.downcast_ref::<MailError>() {
            return Some(mail(m).into());
        }
        let refusal = c.downcast_ref::<Refusal>().or_else(|| match c.downcast_ref::<StoreError>() {
            Some(StoreError::Refused(r)) => Some(r),
            _ => None,
        })?;
        self::refusal(refusal).map(String::from)
    })
}

/// The key that gives what an email needs.
fn mail(m: &MailError) -> &'static str {
    match m {
        MailError::NoEmail { .. } => ": add one with e on the Customers tab",
        MailError::PdfUnreadable { .. } => {
            "; give it again with e on the invoice (its PDF field; empty sends the letter without it)"
        }
        MailError::NoSmtp { .. } => ", or save the letter with s and send it yourself",
    }
}

/// The key that does first what the book asks, where the app has one.
fn refusal(r: &Refusal) -> Option<&'static str> {
    match r {
        Refusal::FixedOutcome { .. } => {
            Some(" (x on the call's line of the timeline deletes it; c logs it again)")
        }
        // The app deletes neither invoices nor customers, and offers the demo on an empty
        // book only.
        Refusal::HasPayments { .. }
        | Refusal::HasInvoices { .. }
        | Refusal::HasCreditNotes { .. }
        | Refusal::NotEmpty => None,
    }
}

/// What gets past an import's problem: the app reads a bank's columns through a profile,
/// which the command line saves once.
fn need(n: Need) -> String {
    match n {
        Need::Column(field) | Need::OneColumn(field) => format!(
            "; name it once with `settle import payments FILE --map {field}=COLUMN --save-profile NAME`: \
             then i reads this bank's files"
        ),
        // The app gives no column choices or profile names, and imports no invoices.
        Need::ColumnChoice | Need::Profile | Need::NoColumnChoices | Need::Update => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The app's hint names its keys, never the command line's options for the same thing.
    #[test]
    fn the_app_names_its_keys() {
        let no_email = Failure::new(MailError::NoEmail { customer: "Acme NV".into() }).before("Not sent");
        assert_eq!(
            no_email.text(),
            "Not sent: Acme NV has no email address: add one with e on the Customers tab."
        );
        let fixed = Failure::new(StoreError::from(Refusal::FixedOutcome {
            call: 3,
            from: crate::domain::call::CallOutcome::Promise,
            to: crate::domain::call::CallOutcome::NoAnswer,
        }));
        assert!(fixed.text().contains("x on the call's line"), "{}", fixed.text());
        for f in [no_email, fixed] {
            assert!(!f.text().contains("--"), "{}", f.text());
        }
        let plain = Failure::said("This book is in memory.");
        assert_eq!(plain.text(), "This book is in memory.");
        let after = Failure::new(anyhow::anyhow!("disk full."))
            .before("Sent, but not recorded")
            .after(" Record it with s.");
        assert_eq!(after.text(), "Sent, but not recorded: disk full. Record it with s.");
    }
}
