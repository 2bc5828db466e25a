//! `settle letter`: an invoice's letter, or one letter for a customer's invoices at one step.

use std::io::Write;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::cli::LetterArgs;
use crate::config::Config;
use crate::letters::send::{default_channel, default_kind, letter_for, save_and_mark, write_private};
use crate::letters::{Letters, group};
use crate::service::CaseFile;
use crate::store::Store;

pub fn letter(
    store: &Store,
    config: &Config,
    letters: &Letters,
    a: LetterArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let Some(number) = a.invoice.as_deref() else {
        return customer_letter(store, config, letters, a, today, out);
    };
    let case = CaseFile::by_number(store, config, number, today)?;
    let kind = match a.step {
        Some(k) => k,
        None => default_kind(&case)?,
    };
    let channel = a.channel.unwrap_or_else(|| default_channel(kind));
    let letter = letter_for(&case, config, letters, kind, a.lang, channel, None)?;
    let lacks = crate::letters::send::lacks_note(&letter);
    for note in case.claim.notes.iter().chain(&config.identity_note()).chain(&lacks) {
        writeln!(crate::cli::output::stderr(), "note: {note}")?;
    }
    // The PDF first: if it cannot be written, nothing is recorded.
    if let Some(p) = &a.pdf {
        crate::letters::pdf::write(p, &case, config, &letter, channel)?;
        writeln!(out, "Wrote the {kind} for invoice {} as a PDF to {}.", case.invoice.number, p.display())?;
    }
    if a.send || a.eml.is_some() || a.mailto {
        let how = EmailHow { send: a.send, eml: a.eml.as_deref(), mailto: a.mailto };
        return email_out(store, config, &case, &letter, &kind.to_string(), how, out);
    }
    if a.mark_sent {
        let saved = save_and_mark(store, &case, &letter, a.out.as_deref(), channel, a.tracking.as_deref())?;
        match (&saved.path, saved.event) {
            (Some(p), Some(_)) => {
                writeln!(out, "Saved {} and recorded the {kind} as sent today.", p.display())?
            }
            (None, Some(_)) => {
                writeln!(out, "Recorded the {kind} on invoice {} as sent today.", case.invoice.number)?
            }
            (Some(p), None) => writeln!(out, "Saved {} (a {kind} completes no step).", p.display())?,
            (None, None) => writeln!(out, "Nothing to record for a {kind}.")?,
        }
        return Ok(());
    }
    match &a.out {
        Some(p) => {
            write_private(p, &letter.text())?;
            writeln!(
                out,
                "Saved the {kind} for invoice {} to {} (not marked as sent).",
                case.invoice.number,
                p.display()
            )?;
        }
        None if a.pdf.is_some() => {}
        None => write!(out, "{}", letter.text())?,
    }
    Ok(())
}

/// `settle letter --customer NAME`: one letter for the customer's invoices at one letter step.
fn customer_letter(
    store: &Store,
    config: &Config,
    letters: &Letters,
    a: LetterArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let name = a.customer.as_deref().unwrap_or_default();
    let customer = store
        .customer_by_name(name)?
        .ok_or_else(|| anyhow!("unknown customer '{}' (see `settle customer list --all`)", name.trim()))?;
    let (cases, kind) = group::cases_for_customer(store, config, customer.id, a.step, today)?;
    let channel = a.channel.unwrap_or_else(|| group::channel(kind));
    let grouped = group::compose(&cases, config, letters, kind, a.lang, channel)?;
    let lacks = crate::letters::send::lacks_note(&grouped.letter);
    // A note that holds for several invoices (an unverified rate) is said once.
    let mut notes: Vec<String> = Vec::new();
    for note in cases.iter().flat_map(|c| c.claim.notes.iter()).chain(&config.identity_note()).chain(&lacks) {
        if !notes.contains(note) {
            notes.push(note.clone());
        }
    }
    for note in notes {
        writeln!(crate::cli::output::stderr(), "note: {note}")?;
    }
    let numbers = grouped.numbers();
    let what = if cases.len() == 1 { format!("invoice {numbers}") } else { format!("invoices {numbers}") };
    if let Some(p) = &a.pdf {
        group::write_pdf(p, &grouped)?;
        writeln!(out, "Wrote the {kind} for {what} as a PDF to {}.", p.display())?;
    }
    if a.send {
        let sent = group::send_and_mark(store, config, &cases, &grouped)?;
        writeln!(
            out,
            "Sent the {kind} for {what} to {} (recorded as sent today on each); Message-ID <{}>.",
            sent.to, sent.message_id
        )?;
        return Ok(());
    }
    if let Some(path) = &a.eml {
        let email = group::write_eml(path, config, &cases, &grouped)?;
        writeln!(
            out,
            "Wrote the {kind} for {what} as an email to {} (to {}; not sent, not marked as sent).",
            path.display(),
            email.to
        )?;
        return Ok(());
    }
    if a.mailto {
        let case = cases.first().ok_or_else(|| anyhow!("no invoice"))?;
        let url = crate::letters::mail::mailto(case, &grouped.letter)?;
        if !open_mailto(&url) {
            writeln!(out, "{url}")?;
        }
        return Ok(());
    }
    if a.mark_sent {
        group::save_and_mark(store, &grouped, today, None, channel, a.tracking.as_deref())?;
        writeln!(out, "Recorded the {kind} on {what} as sent today.")?;
        return Ok(());
    }
    if a.pdf.is_none() {
        write!(out, "{}", grouped.letter.text())?;
    }
    Ok(())
}

/// How a letter goes by email: `--send`, `--eml FILE` or `--mailto`.
pub(super) struct EmailHow<'a> {
    pub send: bool,
    pub eml: Option<&'a std::path::Path>,
    pub mailto: bool,
}

/// Sends the letter (`what`: "reminder", "confirmation of agreement 3") over [smtp] and
/// records it once the server accepted it, or writes it as an `.eml` file, or prints (opens)
/// its `mailto:` URL: the same for `settle letter` and `settle agreement email`.
pub(super) fn email_out(
    store: &Store,
    config: &Config,
    case: &CaseFile,
    letter: &crate::letters::Letter,
    what: &str,
    how: EmailHow<'_>,
    out: &mut impl Write,
) -> Result<()> {
    if how.send {
        let sent = crate::letters::mail::send_and_mark(store, config, case, letter)?;
        let recorded = match (sent.event, letter.kind) {
            (Some(_), crate::letters::LetterKind::CallConfirmation) => "kept on the timeline".to_string(),
            (Some(_), _) => format!("recorded the {what} as sent today"),
            (None, _) => format!("a {what} completes no step"),
        };
        writeln!(
            out,
            "Sent the {what} for invoice {} to {} ({recorded}); Message-ID <{}>.",
            case.invoice.number, sent.to, sent.message_id
        )?;
    } else if let Some(path) = how.eml {
        let email = crate::letters::mail::write_eml(path, config, case, letter)?;
        writeln!(
            out,
            "Wrote the {what} for invoice {} as an email to {} (to {}; not sent, not marked as sent).",
            case.invoice.number,
            path.display(),
            email.to
        )?;
    } else if how.mailto {
        let url = crate::letters::mail::mailto(case, letter)?;
        if !open_mailto(&url) {
            writeln!(out, "{url}")?;
        }
    }
    Ok(())
}

/// Opens the URL with `xdg-open` when run in a terminal that has it; false: print it.
fn open_mailto(url: &str) -> bool {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return false;
    }
    std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
