//! The command line's words added to the library's errors: the library says what is wrong
//! in the user's words, never naming an option (the app has keys instead); here each typed
//! refusal gets the option or command that gives what was missing.

use crate::domain::call_form::Field;
use crate::domain::input::{FieldError, Input};
use crate::import::Need;
use crate::letters::group::NoGroupLetter;
use crate::letters::mail::MailError;
use crate::letters::send::NoLetter;
use crate::service::bank::ProfileError;
use crate::store::{Refusal, StoreError};

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

/// The option that fills a field of the call form (`settle call`).
pub fn call_flag(field: Field) -> &'static str {
    match field {
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

/// The error as the command line prints it: the library's message (with its context), then
/// what to type, if the refusal is one the command line can help with. An import's
/// problems each get their own.
pub fn message(e: &anyhow::Error) -> String {
    crate::import::say(e, need, hint)
}

/// What the command line adds to `e`, with its separator.
fn hint(e: &anyhow::Error) -> Option<String> {
    e.chain().find_map(|c| {
        if let Some(no) = c.downcast_ref::<NoLetter>() {
            return no_letter(no).map(|h| format!("; {h}"));
        }
        if let Some(no) = c.downcast_ref::<NoGroupLetter>() {
            return no_group_letter(no).map(|h| format!("; {h}"));
        }
        if let Some(m) = c.downcast_ref::<MailError>() {
            return Some(mail(m));
        }
        if let Some(ProfileError::NotCsv) = c.downcast_ref::<ProfileError>() {
            return Some(" (--save-profile)".into());
        }
        if let Some(r) = c.downcast_ref::<Refusal>() {
            return refusal(r);
        }
        let field = c.downcast_ref::<FieldError>().or_else(|| match c.downcast_ref::<StoreError>() {
            Some(StoreError::Field(f)) => Some(f),
            _ => None,
        });
        if let Some(field) = field {
            return Some(format!(" ({})", flag(field.field)));
        }
        match c.downcast_ref::<StoreError>() {
            Some(StoreError::Refused(r)) => refusal(r),
            _ => None,
        }
    })
}

/// What to type instead of the letter refused, if anything.
fn no_letter(no: &NoLetter) -> Option<&'static str> {
    match no {
        NoLetter::Settled { .. } => Some("use --step thank_you to write one anyway"),
        NoLetter::Waiting { .. } | NoLetter::Disputed { .. } | NoLetter::Exhausted { .. } => {
            Some("name a letter with --step")
        }
        NoLetter::CallFirst { .. } => Some("confirm what was agreed with --step call_confirmation"),
        NoLetter::NotDue { .. } => Some("--step nudge"),
        NoLetter::ClaimPending { .. } => {
            Some("record them with settle claim paid, or give them up with settle claim waive")
        }
        NoLetter::NotPaid { .. }
        | NoLetter::AlreadyPaid { .. }
        | NoLetter::DisputedAgency { .. }
        | NoLetter::PrincipalOpen { .. }
        | NoLetter::NothingToClaim { .. } => None,
    }
}

/// What to type instead of the grouped letter refused, if anything.
fn no_group_letter(no: &NoGroupLetter) -> Option<String> {
    match no {
        NoGroupLetter::PerInvoice { kind } => {
            Some(format!("name the invoice: settle letter INVOICE --step {kind}"))
        }
        NoGroupLetter::SeveralSteps { .. } => Some("choose one with --step".into()),
        _ => None,
    }
}

/// How to give what an email needs.
fn mail(m: &MailError) -> String {
    match m {
        MailError::NoEmail { customer } => {
            format!(": add one with `settle customer edit \"{customer}\" --email ADDRESS`")
        }
        MailError::PdfUnreadable { number, .. } => {
            format!(
                "; give it again with `settle invoice edit {number} --pdf FILE` (or --pdf \"\" to send without it)"
            )
        }
        MailError::NoSmtp { .. } => ", or use --eml / --mailto".into(),
    }
}

/// The command that does first what the book asks.
fn refusal(r: &Refusal) -> Option<String> {
    match r {
        Refusal::FixedOutcome { call, .. } => {
            Some(format!(" (--outcome; `settle call delete {call}` deletes it)"))
        }
        Refusal::HasPayments { number, .. } => {
            Some(format!(" (`settle payment list {number}`), or add --with-payments"))
        }
        Refusal::HasInvoices { name, .. } => Some(format!(
            " (`settle invoice list --customer \"{name}\" --all`, `settle customer archive \"{name}\"`)"
        )),
        Refusal::HasCreditNotes { name, .. } => Some(format!(" (`settle customer archive \"{name}\"`)")),
        Refusal::NotEmpty => Some(" (use --db to pick a new file)".into()),
    }
}

/// The option that gives what an import's problem needs.
fn need(n: Need) -> String {
    match n {
        Need::Column(field) => format!("; name it with --map {field}=COLUMN"),
        Need::OneColumn(field) => format!("; pick one with --map {field}=COLUMN"),
        Need::ColumnChoice => " (--map)".into(),
        Need::Profile => " (--profile)".into(),
        Need::NoColumnChoices => " (--map, --profile)".into(),
        Need::Update => "; use --update to change it".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportError;
    use crate::letters::tests::plain_words;

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

    /// Every typed refusal: the library's words are plain (no option, no command, no Debug
    /// output), and the command line's hint names its own option or command.
    #[test]
    fn the_library_says_what_and_the_command_line_says_which_option() {
        let name = || "Acme NV".to_string();
        let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let mails = [
            MailError::NoEmail { customer: name() },
            MailError::PdfUnreadable { number: "A-1".into(), why: "gone".into() },
            MailError::NoSmtp { config: "/c/config.toml".into() },
        ];
        for m in mails {
            let hinted = message(&anyhow::Error::from(m.clone()));
            assert!(plain_words(&m.to_string()), "{m}");
            assert!(hinted.starts_with(&m.to_string()) && hinted.contains("--"), "{hinted}");
        }
        let refusals = [
            Refusal::FixedOutcome {
                call: 3,
                from: crate::domain::call::CallOutcome::Promise,
                to: crate::domain::call::CallOutcome::NoAnswer,
            },
            Refusal::HasPayments { number: "A-1".into(), payments: 2 },
            Refusal::HasInvoices { name: name(), invoices: 2 },
            Refusal::HasCreditNotes { name: name(), credit_notes: 1 },
            Refusal::NotEmpty,
        ];
        for r in refusals {
            let hinted = message(&anyhow::Error::from(StoreError::from(r.clone())));
            assert!(plain_words(&r.to_string()), "{r}");
            assert!(hinted.starts_with(&r.to_string()), "{hinted}");
            assert!(hinted.contains("settle ") || hinted.contains("--"), "{hinted}");
        }
        let not_csv = ProfileError::NotCsv;
        assert!(plain_words(&not_csv.to_string()));
        assert!(message(&anyhow::Error::from(not_csv)).ends_with("(--save-profile)"));
        let no = [
            NoLetter::Settled { number: "A-1".into() },
            NoLetter::Waiting { number: "A-1".into(), what: "promise to pay", until: on },
            NoLetter::CallFirst { number: "A-1".into(), on },
            NoLetter::NotDue { number: "A-1".into(), due: on },
            NoLetter::ClaimPending { number: "A-1".into(), on },
        ];
        for n in no {
            let hinted = message(&anyhow::Error::from(n.clone()));
            assert!(hinted.contains("--step") || hinted.contains("settle claim"), "{hinted}");
        }
        for n in [
            NoGroupLetter::PerInvoice { kind: crate::letters::LetterKind::ThankYou },
            NoGroupLetter::SeveralSteps { name: name(), steps: vec!["reminder (A-1)".into()] },
        ] {
            assert!(message(&anyhow::Error::from(n)).contains("--step"));
        }
    }

    /// An import's problems each get the option that gets past them, after their own line.
    #[test]
    fn each_import_problem_gets_its_option() {
        let file: std::sync::Arc<str> = std::sync::Arc::from("bank.csv");
        let needs = [
            Need::Column("date"),
            Need::OneColumn("amount"),
            Need::ColumnChoice,
            Need::Profile,
            Need::NoColumnChoices,
            Need::Update,
        ];
        let problems: Vec<crate::import::Problem> = needs
            .iter()
            .enumerate()
            .map(|(i, n)| {
                crate::import::Problem::new(
                    &file,
                    crate::import::At::Line(i as u64 + 1),
                    format!("problem {i}"),
                )
                .need(*n)
            })
            .collect();
        let e = ImportError::new(problems);
        assert!(plain_words(&e.to_string()), "{e}");
        let text = message(&anyhow::Error::from(e).context("payments"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "payments: 6 problems found; nothing was imported");
        assert_eq!(lines[1], "  bank.csv:1: problem 0; name it with --map date=COLUMN");
        assert_eq!(lines[2], "  bank.csv:2: problem 1; pick one with --map amount=COLUMN");
        assert_eq!(lines[6], "  bank.csv:6: problem 5; use --update to change it");
    }
}
