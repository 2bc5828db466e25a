//! From a case to a letter, and from a letter to a private file and a recorded step.
//!
//! This is what the app's `l` key and `settle letter` both call:
//! [`letter_for`] renders (refusing letters that make no sense now), and [`save_and_mark`]
//! writes the file (0600) and records the step in one transaction.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use super::context::{self, CallFacts};
use super::{Letter, LetterKind, Letters};
use crate::config::Config;
use crate::domain::customer::Language;
use crate::domain::event::{Channel, EventKind};
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::{State, thank_you_due};
use crate::domain::policy::Step;
use crate::domain::text::{Lines, check_optional};
use crate::service::CaseFile;
use crate::store::{Store, StoreError};

/// Why there is no letter to write for an invoice now, in the user's words. Each front-end
/// adds its own hint (the command line's in `cli::hint`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoLetter {
    #[error("invoice {number} is settled and needs no letter (a thank-you follows a reminded payment only)")]
    Settled { number: String },
    #[error("invoice {number} waits ({what} until {until}): no letter is due")]
    Waiting { number: String, what: &'static str, until: chrono::NaiveDate },
    #[error("invoice {number} is disputed since {since}: no letter is due until the dispute is resolved")]
    Disputed { number: String, since: chrono::NaiveDate },
    #[error("invoice {number} has been through every step of its ladder")]
    Exhausted { number: String },
    #[error(
        "the next step on invoice {number} is a phone call (on {on}): call first, then confirm what was agreed"
    )]
    CallFirst { number: String, on: chrono::NaiveDate },
    #[error("invoice {number} is not paid in full yet: no thank-you before the money is in")]
    NotPaid { number: String },
    #[error("invoice {number} is already paid: no reminder goes to a customer who paid")]
    AlreadyPaid { number: String },
    #[error("invoice {number} is not due until {due}: before then only a friendly nudge fits")]
    NotDue { number: String, due: chrono::NaiveDate },
    #[error(
        "invoice {number} is disputed: a disputed invoice is not handed to a collection agency; resolve the dispute first"
    )]
    DisputedAgency { number: String },
    #[error(
        "invoice {number} still has its principal open: the formal notice claims the interest and costs with it"
    )]
    PrincipalOpen { number: String },
    #[error("invoice {number}: no interest or costs are left to claim ({why})")]
    NothingToClaim { number: String, why: String },
    #[error(
        "invoice {number}: its interest and costs were claimed on {on}: record them once paid, or give them up"
    )]
    ClaimPending { number: String, on: chrono::NaiveDate },
}

/// The letter that goes with the case now: once the principal is paid, the claim of the
/// interest and costs left (if any), else the thank-you after a reminded payment; else the
/// letter of the step to take (or, early, of the next one); none while the ladder waits.
pub fn default_kind(case: &CaseFile) -> Result<LetterKind, NoLetter> {
    let number = case.invoice.number.clone();
    let s = &case.standing;
    let step = match s.state {
        State::Settled if case.claimable() => return Ok(LetterKind::Claim),
        State::Settled if case.claim.closed.is_none() && case.claim_facts().claimed.is_some() => {
            let on = case.claim_facts().claimed.unwrap_or(case.today);
            return Err(NoLetter::ClaimPending { number, on });
        }
        State::Settled if thank_you_due(false, s.done, case.has(EventKind::ThankYouSent)) => {
            return Ok(LetterKind::ThankYou);
        }
        State::Settled => return Err(NoLetter::Settled { number }),
        State::Paused { kind, until, .. } => {
            return Err(NoLetter::Waiting { number, what: kind.label(), until });
        }
        State::Disputed { since } => return Err(NoLetter::Disputed { number, since }),
        // The step to take, else a look at the next one (the nudge before the due date).
        State::Open => match s.step_to_take.or(s.next) {
            Some(t) => t,
            None => return Err(NoLetter::Exhausted { number }),
        },
    };
    if step.step == Step::Call {
        return Err(NoLetter::CallFirst { number, on: step.on });
    }
    Ok(LetterKind::for_step(step.step))
}

/// What a user is told about a consumer's first reminder that lacks a mention the law asks:
/// it will not start the consumer's 14 days.
pub fn lacks_note(letter: &Letter) -> Option<String> {
    let lacks = letter.lacks.as_ref().filter(|l| !l.is_empty())?;
    Some(format!(
        "this first reminder to a consumer lacks {}: it will not start the 14 days after which interest and costs may be charged",
        lacks.join(", ")
    ))
}

/// How a letter usually goes out: the formal notice and the agency's cover by post.
pub fn default_channel(kind: LetterKind) -> Channel {
    match kind {
        LetterKind::FormalNotice | LetterKind::AgencyCover => Channel::Letter,
        _ => Channel::Email,
    }
}

/// Renders `kind` for the case in the customer's language (or `lang`), refusing a letter
/// that would be wrong to send: a reminder on a paid invoice or before the due date, a
/// thank-you before payment, a disputed invoice handed to an agency.
pub fn letter_for(
    case: &CaseFile,
    config: &Config,
    letters: &Letters,
    kind: LetterKind,
    lang: Option<Language>,
    channel: Channel,
    call: Option<&CallFacts>,
) -> Result<Letter> {
    let number = case.invoice.number.clone();
    let paid = case.invoice.open.is_zero();
    match kind {
        LetterKind::ThankYou if !paid => return Err(NoLetter::NotPaid { number }.into()),
        LetterKind::Nudge
        | LetterKind::Reminder
        | LetterKind::FirmReminder
        | LetterKind::FormalNotice
        | LetterKind::AgencyCover
            if paid =>
        {
            return Err(NoLetter::AlreadyPaid { number }.into());
        }
        LetterKind::Reminder
        | LetterKind::FirmReminder
        | LetterKind::FormalNotice
        | LetterKind::AgencyCover
            if case.today <= case.invoice.due =>
        {
            return Err(NoLetter::NotDue { number, due: case.invoice.due }.into());
        }
        LetterKind::AgencyCover if case.invoice.disputed => {
            return Err(NoLetter::DisputedAgency { number }.into());
        }
        LetterKind::Claim if !paid => return Err(NoLetter::PrincipalOpen { number }.into()),
        LetterKind::Claim if !case.claimable() => {
            let why = match (case.claim.closed, case.claim_facts().claimed) {
                (Some(crate::domain::claim::Closing::Waived(d)), _) => format!("waived on {d}"),
                (Some(crate::domain::claim::Closing::Paid(d)), _) => format!("paid on {d}"),
                (None, Some(d)) => format!("already claimed on {d}: a claim is never sent twice"),
                (None, None) => "the invoice was paid on time, or nothing may be charged".into(),
            };
            return Err(NoLetter::NothingToClaim { number, why }.into());
        }
        _ => {}
    }
    let call = call.cloned().unwrap_or_else(|| context::last_call(case));
    let lang = lang.unwrap_or(case.customer.language);
    let ctx = context::build(case, config, kind, lang, channel, &call);
    let mut letter = letters.render(kind, lang, &ctx)?;
    // A consumer's first reminder starts the 14 days only if it says what the law asks.
    if ctx.consumer.first_reminder {
        letter.lacks = Some(super::mentions::lacking(&ctx, &letter.body, letter.lang));
    }
    Ok(letter)
}

/// For the app's `l` key: the case of an invoice and the letter for its current step (or
/// `kind`), with the channel it usually goes by. Show `letter.text()`, then call
/// [`save_and_mark`] with [`default_path`] once the user confirms.
#[allow(clippy::too_many_arguments)]
pub fn preview(
    store: &Store,
    config: &Config,
    letters: &Letters,
    invoice: crate::domain::invoice::InvoiceId,
    kind: Option<LetterKind>,
    today: chrono::NaiveDate,
    call: Option<&CallFacts>,
) -> Result<(CaseFile, Letter, Channel)> {
    let case = CaseFile::load(store, config, invoice, today)?;
    let kind = match kind {
        Some(k) => k,
        None => default_kind(&case)?,
    };
    let channel = default_channel(kind);
    let letter = letter_for(&case, config, letters, kind, None, channel, call)?;
    Ok((case, letter, channel))
}

/// The most characters an edited letter may have (a few pages).
pub const MAX_EDITED_CHARS: usize = 20_000;

/// A letter as the user edited it (in `$EDITOR`): its first line is still the subject (in
/// its language's word), the rest its body. A consumer's first reminder is checked again for
/// the mentions the law requires (Code of Economic Law art. XIX.2; art. 6:96 lid 6 BW): an
/// edit that drops one means the letter no longer starts the consumer's 14 days.
pub fn edited(
    case: &CaseFile,
    config: &Config,
    original: &Letter,
    channel: Channel,
    text: &str,
) -> Result<Letter> {
    crate::domain::limits::check_length("the letter", text, MAX_EDITED_CHARS).map_err(|e| anyhow!("{e}"))?;
    crate::domain::text::check_text("the letter", text, crate::domain::text::Lines::Many)
        .map_err(|e| anyhow!("{e}"))?;
    let text = text.replace("\r\n", "\n");
    let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    let prefix = crate::domain::template::subject_prefix(original.lang);
    let Some(subject) = first.strip_prefix(prefix).map(str::trim).filter(|s| !s.is_empty()) else {
        bail!("the first line must stay the subject: '{}…'", prefix.trim_end());
    };
    let body = rest.strip_prefix('\n').unwrap_or(rest).to_string();
    let mut letter = Letter { subject: subject.to_string(), body, ..original.clone() };
    if original.lacks.is_some() {
        let call = context::last_call(case);
        let ctx = context::build(case, config, original.kind, original.lang, channel, &call);
        letter.lacks = Some(super::mentions::lacking(&ctx, &letter.body, letter.lang));
    }
    Ok(letter)
}

/// Where a sent letter is kept: `letters/<invoice>-<kind>-<date>.txt` beside the database.
pub fn default_path(database: &Path, case: &CaseFile, kind: LetterKind) -> PathBuf {
    let safe = safe_name(&case.invoice.number);
    beside(database).join("letters").join(format!("{safe}-{kind}-{}.txt", case.today))
}

/// The most bytes of a file name [`safe_name`] makes: with a letter's kind, date and a
/// temporary suffix it stays far below the 255 bytes file systems allow.
pub const SAFE_NAME_BYTES: usize = 64;

/// An invoice number as a file name: letters, digits and `-` kept, anything else `_`. A
/// longer one (from a book made before numbers were bounded) keeps its start and ends in a
/// hash of the whole number, so two numbers never share a name.
pub fn safe_name(number: &str) -> String {
    let safe: String =
        number.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if safe.len() <= SAFE_NAME_BYTES {
        return safe;
    }
    // FNV-1a: stable across runs and Rust versions, so the same invoice keeps its name.
    let hash = number
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let suffix = format!("-{hash:016x}");
    let mut short = String::new();
    for c in safe.chars() {
        if short.len() + c.len_utf8() + suffix.len() > SAFE_NAME_BYTES {
            break;
        }
        short.push(c);
    }
    short + &suffix
}

/// The directory the database file is in (where its letters and dossiers are kept).
pub fn beside(database: &Path) -> &Path {
    database.parent().unwrap_or(Path::new("."))
}

/// What [`save_and_mark`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: Option<PathBuf>,
    /// The timeline event recorded, if the letter completes a step or is the thank-you.
    pub event: Option<i64>,
}

/// Saves the letter to `path` (created readable by you only; `None`: not saved) and records
/// it as sent today by `channel`, in one transaction: if saving fails nothing is recorded,
/// and a letter already recorded is refused before anything is written. A formal notice sent
/// by post needs its registered-mail tracking number.
pub fn save_and_mark(
    store: &Store,
    case: &CaseFile,
    letter: &Letter,
    path: Option<&Path>,
    channel: Channel,
    tracking: Option<&str>,
) -> Result<Saved> {
    record(store, case, letter, path, channel, tracking, None, || Ok(()))
}

/// The event recording a letter as sent: the step (or thank-you, claim; for a call
/// confirmation, its sending by email, told by `emailed`); `None` for a letter that records
/// nothing.
fn event_for(letter: &Letter, emailed: bool) -> Option<EventKind> {
    Some(match letter.kind {
        LetterKind::ThankYou => EventKind::ThankYouSent,
        LetterKind::Claim => EventKind::ClaimSent,
        // A call confirmation completes no step (the call itself was logged); an emailed one
        // is kept on the timeline with its Message-ID.
        LetterKind::CallConfirmation if emailed => EventKind::ConfirmationSent,
        k => k.step()?.event_kind(),
    })
}

/// Each invoice with the events recorded beside the step: the consumer's first reminder that
/// says all the law asks starts the 14 days.
fn items(invoices: &[(InvoiceId, bool)]) -> Vec<(InvoiceId, &'static [EventKind])> {
    const COMPLIANT: &[EventKind] = &[EventKind::FirstReminderCompliant];
    invoices.iter().map(|(id, c)| (*id, if *c { COMPLIANT } else { &[] })).collect()
}

/// Whether the letter is the consumer's first reminder that carries every mention.
fn compliant(letter: &Letter) -> bool {
    letter.lacks.as_ref().is_some_and(Vec::is_empty)
}

/// Refuses, before anything goes out, a letter [`record_all`] would refuse to record on any
/// of `invoices`: a step already recorded, a disputed invoice handed to an agency. Nothing
/// is written.
pub(super) fn check_sendable_all(
    store: &Store,
    invoices: &[(InvoiceId, bool)],
    what: &str,
    on: chrono::NaiveDate,
    letter: &Letter,
    channel: Channel,
) -> Result<()> {
    let Some(kind) = event_for(letter, channel == Channel::Email) else { return Ok(()) };
    store.check_sendable(&items(invoices), kind, on, Some(channel)).map_err(|e| anyhow!("{what}: {e}"))
}

/// [`check_sendable_all`] for one invoice's letter.
pub(super) fn check_sendable(
    store: &Store,
    case: &CaseFile,
    letter: &Letter,
    channel: Channel,
) -> Result<()> {
    let what = format!("invoice {}", case.invoice.number);
    check_sendable_all(store, &[(case.invoice.id, compliant(letter))], &what, case.today, letter, channel)
}

/// What [`save_and_mark`] does, with `deliver` (sending the email) run first, outside any
/// transaction, once the letter is known not to be recorded yet: if it fails, nothing is
/// recorded; once it succeeded, the step is recorded in one transaction. `note` is added to
/// the event's detail (the email's Message-ID).
#[allow(clippy::too_many_arguments)]
pub(super) fn record(
    store: &Store,
    case: &CaseFile,
    letter: &Letter,
    path: Option<&Path>,
    channel: Channel,
    tracking: Option<&str>,
    note: Option<&str>,
    deliver: impl FnOnce() -> Result<()>,
) -> Result<Saved> {
    let what = format!("invoice {}", case.invoice.number);
    let (path, events) = record_all(
        store,
        &[(case.invoice.id, compliant(letter))],
        &what,
        case.today,
        letter,
        path,
        channel,
        tracking,
        note,
        deliver,
    )?;
    Ok(Saved { path, event: events.first().copied() })
}

/// [`record`] for one letter about several invoices (a customer's grouped letter): each
/// invoice with whether the letter is its consumer's compliant first reminder, `what` naming
/// them in errors. `deliver` runs first, outside any transaction, once the letter is known
/// not to be recorded on any of them; then the step is recorded on all of them in one
/// transaction, or on none. The path saved and the step events recorded.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_all(
    store: &Store,
    invoices: &[(InvoiceId, bool)],
    what: &str,
    on: chrono::NaiveDate,
    letter: &Letter,
    path: Option<&Path>,
    channel: Channel,
    tracking: Option<&str>,
    note: Option<&str>,
    deliver: impl FnOnce() -> Result<()>,
) -> Result<(Option<PathBuf>, Vec<i64>)> {
    let tracking = tracking.map(str::trim).filter(|t| !t.is_empty());
    check_optional("tracking number", tracking, Lines::One)?;
    if letter.kind == LetterKind::FormalNotice && channel == Channel::Letter && tracking.is_none() {
        let why = "a formal notice goes by registered mail: give its tracking number";
        return Err(crate::domain::input::FieldError::new(crate::domain::input::Input::Tracking, why).into());
    }
    let Some(event_kind) = event_for(letter, note.is_some()) else {
        deliver().map_err(|e| anyhow!("{what}: {e}"))?;
        if let Some(p) = path {
            write_private(p, &letter.text())?;
        }
        return Ok((path.map(Path::to_path_buf), Vec::new()));
    };
    let items = items(invoices);
    let mut detail = match path {
        Some(p) => format!("{} ({})", letter.subject, p.display()),
        None => letter.subject.clone(),
    };
    if let Some(n) = note {
        detail = format!("{detail} ({n})");
    }
    // Nothing goes out for a letter that would not be recorded; no transaction is open
    // while it goes.
    store.check_sendable(&items, event_kind, on, Some(channel)).map_err(|e| anyhow!("{what}: {e}"))?;
    deliver().map_err(|e| anyhow!("{what}: {e}"))?;
    let temp = match path {
        Some(p) => Some((new_temp(p, &letter.text())?, p)),
        None => None,
    };
    let result =
        store.record_sent_all(&items, event_kind, on, Some(channel), &detail, tracking, || match &temp {
            Some((t, p)) => {
                std::fs::rename(t, p).map_err(|source| StoreError::Io { path: p.to_path_buf(), source })
            }
            None => Ok(()),
        });
    match result {
        Ok(ids) => Ok((path.map(Path::to_path_buf), ids)),
        Err(e) => {
            if let Some((t, _)) = &temp {
                let _ = std::fs::remove_file(t);
            }
            Err(anyhow!("{what}: {e}"))
        }
    }
}

/// A private temporary file beside `path` holding `text`, synced; renamed into place once
/// the letter is recorded.
fn new_temp(path: &Path, text: &str) -> Result<PathBuf> {
    let ctx = |e: std::io::Error| anyhow!("{}: {e}", path.display());
    let (temp, mut file) = crate::platform::files::temp_beside(path).map_err(ctx)?;
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        let _ = std::fs::remove_file(&temp);
        return Err(ctx(e));
    }
    Ok(temp)
}

/// Writes `text` to `path` as a private file (0600), replacing it whole (never half-written:
/// a temporary file beside it is renamed over it).
pub fn write_private(path: &Path, text: &str) -> Result<()> {
    crate::platform::files::write_private(path, text).map_err(|e| anyhow!("{}: {e}", path.display()))
}
