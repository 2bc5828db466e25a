//! `settle letter`, `settle track`, `settle notice`, `settle export dossier`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::cli::{DossierArgs, LetterArgs, NoticeArgs, TrackArgs};
use crate::config::Config;
use crate::domain::ladder::State;
use crate::domain::money::Money;
use crate::export::dossier;
use crate::letters::send::{
    NoLetter, default_channel, default_kind, letter_for, safe_name, save_and_mark, write_private,
};
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
        None => default_kind(&case).map_err(with_hint)?,
    };
    let channel = a.channel.unwrap_or_else(|| default_channel(kind));
    let letter = letter_for(&case, config, letters, kind, a.lang, channel, None).map_err(|e| match e
        .downcast::<NoLetter>()
    {
        Ok(no) => with_hint(no),
        Err(e) => e,
    })?;
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

/// Why there is no letter, with what to type instead.
fn with_hint(no: NoLetter) -> anyhow::Error {
    match no.cli_hint() {
        Some(hint) => anyhow!("{no}; {hint}"),
        None => anyhow!("{no}"),
    }
}

pub fn track(
    store: &Store,
    config: &Config,
    a: TrackArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let case = CaseFile::by_number(store, config, &a.invoice, today)?;
    if a.format == crate::cli::Format::Json {
        serde_json::to_writer_pretty(&mut *out, &track_json(&case))?;
        writeln!(out)?;
        return Ok(());
    }
    let inv = &case.invoice;
    let money = |d| Money::new(d, inv.amount.currency).to_string();
    let c = &case.customer;
    writeln!(out, "Invoice {}: {} ({}, {})", inv.number, c.name, c.profile, c.kind)?;
    writeln!(out, "Due {}, {} open of {}", inv.due, money(inv.open), money(inv.amount.amount))?;
    let ladder: Vec<String> = case.ladder.steps().iter().map(|(s, o)| format!("{s} {o:+}")).collect();
    writeln!(out, "Ladder: {}", ladder.join(", "))?;
    let mut done = case.facts.done.clone();
    done.sort_by_key(|d| d.on);
    for d in done.iter().filter(|d| d.on <= today) {
        let channel = d.channel.map(|c| c.to_string()).unwrap_or_default();
        writeln!(out, "  done {}  {:<14} {channel}", d.on, d.step.as_str())?;
    }
    let st = &case.standing;
    let then = |prefix: &str| st.next.map(|n| format!("{prefix}{} on {}", n.step, n.on)).unwrap_or_default();
    let status = match (st.state, st.step_to_take) {
        (State::Settled, _) => "settled".to_string(),
        (State::Disputed { since }, _) => {
            format!("disputed since {since}: escalation waits until it is resolved")
        }
        (State::Paused { kind, since, until }, _) => {
            format!("paused since {since}: {}, until {until}{}", kind.label(), then("; then "))
        }
        (State::Open, Some(step)) => {
            let skipped: Vec<String> = st.skips.iter().map(|s| s.to_string()).collect();
            let skips = if skipped.is_empty() {
                String::new()
            } else {
                format!("; doing it skips {}", skipped.join(", "))
            };
            format!("due since {}: {}{skips}{}", step.on, step.step, then("; after it "))
        }
        (State::Open, None) if st.next.is_some() => then("next: "),
        (State::Open, None) => "every step done".to_string(),
    };
    writeln!(out, "Status: {status}")?;
    if let Some(m) = &case.registered {
        match m.received {
            Some(r) => {
                writeln!(out, "Formal notice: registered mail {} sent {}, received {r}", m.tracking, m.sent)?
            }
            None => writeln!(
                out,
                "Formal notice: registered mail {} sent {}; record its receipt with `settle notice {} --received DATE`",
                m.tracking, m.sent, inv.number
            )?,
        }
    }
    let cl = &case.claim;
    if cl.lawful || cl.open != inv.open {
        writeln!(
            out,
            "Claim as of {}: {} principal + {} interest + {} costs = {}",
            cl.as_of,
            money(cl.open),
            money(cl.interest_open()),
            money(cl.compensation_open()),
            money(cl.total)
        )?;
        if let Some(b) = cl.basis.filter(|_| cl.interest.is_some()) {
            let how = if cl.compounded { "compounded yearly" } else { "simple" };
            writeln!(out, "  interest at the {} rate, {how}, from {}", b.as_str(), fmt_day(cl.charges_from))?;
        }
        if let Some(c) = &cl.compensation {
            writeln!(
                out,
                "  costs {} ({}), fixed on {}",
                money(c.amount),
                c.rule.label(),
                fmt_day(cl.charges_from)
            )?;
        }
        for a in &cl.applied {
            writeln!(
                out,
                "  payment of {} on {}: {} to costs, {} to interest, {} to principal",
                money(a.amount),
                a.on,
                money(a.costs),
                money(a.interest),
                money(a.principal)
            )?;
        }
        if cl.open != inv.open {
            writeln!(
                out,
                "  the books show {} open: the payments went to the costs and interest first once they were demanded",
                money(inv.open)
            )?;
        }
    }
    if case.claimable() {
        writeln!(
            out,
            "Principal paid; {} of interest and costs still claimable: `settle letter {}` claims them, \
             `settle claim waive {}` gives them up",
            money(cl.charges_open()),
            inv.number,
            inv.number
        )?;
    } else if let Some(d) = case.claim_facts().claimed.filter(|_| cl.closed.is_none()) {
        writeln!(
            out,
            "Interest and costs claimed by letter on {d}; `settle claim paid {}` once they are paid",
            inv.number
        )?;
    }
    for n in &cl.notes {
        writeln!(out, "Note: {n}")?;
    }
    Ok(())
}

fn fmt_day(d: Option<NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// `settle track --format json`: the ladder's one answer and the claim, for scripts and for
/// comparing surfaces.
fn track_json(case: &CaseFile) -> serde_json::Value {
    let st = &case.standing;
    let paused = match st.state {
        State::Paused { kind, until, .. } => serde_json::json!({"reason": kind.as_str(), "until": until}),
        State::Disputed { .. } => serde_json::json!({"reason": "dispute", "until": null}),
        State::Open | State::Settled => serde_json::Value::Null,
    };
    let cl = &case.claim;
    let plain = |d| crate::domain::money::plain_amount(d);
    serde_json::json!({
        "invoice": case.invoice.number,
        "status": st.state.name(),
        "paused": paused,
        "step_to_take": st.step_to_take.map(|t| t.step),
        "skips": st.skips.iter().collect::<Vec<_>>(),
        "next": st.next.map(|n| serde_json::json!({"step": n.step, "date": n.on})),
        "claim": {
            "principal": plain(cl.open),
            "interest": plain(cl.interest_open()),
            "costs": plain(cl.compensation_open()),
            "total": plain(cl.total),
            "currency": case.invoice.amount.currency.as_str(),
            "books_open": plain(case.invoice.open),
            "interest_accrued": plain(cl.interest_total()),
            "interest_paid": plain(cl.interest_paid),
            "costs_due": plain(cl.compensation_total()),
            "costs_paid": plain(cl.costs_paid),
            "basis": cl.basis.map(|b| b.as_str()),
            "compounded": cl.compounded,
            "charges_from": cl.charges_from,
            "claimable": case.claimable(),
            "closed": cl.closed,
        },
    })
}

pub fn notice(store: &Store, a: NoticeArgs, out: &mut impl Write) -> Result<()> {
    let row = store
        .invoice_by_number(&a.invoice)?
        .ok_or_else(|| anyhow!("unknown invoice '{}'", a.invoice.trim()))?;
    let mail = store
        .set_notice_received(row.invoice.id, a.received)
        .map_err(|e| anyhow!("invoice {}: {e}", row.invoice.number))?;
    writeln!(
        out,
        "Invoice {}: the formal notice of {} ({}) was received on {}; its term runs from that day.",
        row.invoice.number, mail.sent, mail.tracking, a.received
    )?;
    Ok(())
}

pub fn dossier(
    store: &Store,
    config: &Config,
    a: DossierArgs,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let case = CaseFile::by_number(store, config, &a.invoice, today)?;
    let dir = a.out.unwrap_or_else(|| PathBuf::from(format!("dossier-{}", safe_name(&case.invoice.number))));
    let done = dossier::export(&case, config, &dir)?;
    writeln!(
        out,
        "Wrote {} and {} (claim {} as of {today}).",
        done.json.display(),
        done.markdown.display(),
        done.claim
    )?;
    if case.invoice.disputed {
        writeln!(out, "Note: this invoice is disputed; resolve the dispute before handing it to an agency.")?;
    }
    Ok(())
}
