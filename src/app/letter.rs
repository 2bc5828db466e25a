//! The letter overlay (`l`): the letter for an invoice's current step, previewed before
//! anything is written. `s` saves it beside the book and records the step as sent, `m`
//! records it without a file, `E` sends it by email (`[smtp]`), Esc writes nothing. A formal notice by registered post first
//! asks for its tracking number; the agency's cover letter also offers the dossier (`x`).
//!
//! The letter is rendered by the store-side code `settle letter` uses ([`preview`],
//! [`save_and_mark`]), so the app and the command line send the same text.

use crate::domain::format::{self, Flow};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::effects::Effect;
use super::hint::Failure;
use super::keys::{self, Action, Context};
use super::{App, Message, Overlay, Status, Tab};
use crate::domain::event::Channel;
use crate::domain::invoice::InvoiceId;
use crate::domain::ladder::State;
use crate::export::dossier;
use crate::letters::send::{self, preview, save_and_mark};
use crate::letters::{Letter, LetterKind};
use crate::letters::{group, mail};
use crate::service::CaseFile;
use crate::store::Store;

/// The letter's text is wrapped at this width once, when it is loaded (like an email).
pub const WRAP: usize = 72;
/// Lines a page key scrolls.
const PAGE: usize = 10;
/// Scrolling stops when this many lines of the letter are still in view.
const KEEP: usize = 8;

/// What to do once the letter is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Save the file beside the book and record the step.
    SaveAndMark,
    /// Record the step only.
    Mark,
}

/// A letter on screen, ready to be sent.
#[derive(Debug, Clone)]
pub struct LetterView {
    pub invoice: InvoiceId,
    /// A customer's letter about several invoices (a folded Today line): all of them, the
    /// first being `invoice`; empty for a single invoice's letter.
    pub group: Vec<InvoiceId>,
    pub number: String,
    pub customer: String,
    pub letter: Letter,
    pub channel: Channel,
    /// Where `s` saves it; `None` for a book in memory.
    pub path: Option<PathBuf>,
    /// The path as shown: relative to the book's directory.
    pub shown_path: String,
    /// Where the step stands: "Due since 26 Nov 2026", "Paused: …".
    pub about: String,
    /// The claim's notes (why a charge is not claimed yet…).
    pub notes: Vec<String>,
    /// The letter's text, wrapped at [`WRAP`].
    pub lines: Vec<String>,
    /// The first line in view.
    pub scroll: usize,
    /// The tracking number being typed, and what to do with it.
    pub tracking: Option<(TextArea<'static>, Then)>,
    /// Why the last request was refused.
    pub error: Option<String>,
}

impl LetterView {
    /// A formal notice by registered post: recorded only with its tracking number.
    pub fn needs_tracking(&self) -> bool {
        self.letter.kind == LetterKind::FormalNotice && self.channel == Channel::Letter
    }

    /// The agency's cover letter: the dossier goes with it.
    pub fn is_agency(&self) -> bool {
        self.letter.kind == LetterKind::AgencyCover
    }

    pub fn context(&self) -> Context {
        match (&self.tracking, self.is_agency()) {
            (Some(_), _) => Context::LetterTracking,
            (None, true) => Context::AgencyLetter,
            (None, false) => Context::Letter,
        }
    }

    fn scroll_by(&mut self, action: Action) {
        let max = self.lines.len().saturating_sub(KEEP);
        self.scroll = match action {
            Action::Down => self.scroll + 1,
            Action::Up => self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll + PAGE,
            Action::PageUp => self.scroll.saturating_sub(PAGE),
            Action::Home => 0,
            Action::End => max,
            _ => self.scroll,
        }
        .min(max);
    }
}

/// A letter's name in a sentence: "firm reminder", "thank-you".
pub fn kind_label(kind: LetterKind) -> String {
    match kind {
        LetterKind::ThankYou => "thank-you".into(),
        LetterKind::AgencyCover => "agency cover letter".into(),
        LetterKind::Claim => "claim for interest and costs".into(),
        k => k.as_str().replace('_', " "),
    }
}

/// `l` on the Invoice screen or a Today line: ask for the letter of that invoice.
pub(super) fn request(app: &mut App) -> Vec<Effect> {
    let id = match app.tab {
        Tab::Invoice => app.invoice.as_ref().map(|i| i.id),
        Tab::Today => app.today_view.selected(&app.book).map(|i| i.invoice.id),
        _ => None,
    };
    match id {
        Some(id) => vec![Effect::PreviewLetter(id)],
        None => {
            app.status = Some(Status { text: "Select an invoice first.".into(), error: false });
            Vec::new()
        }
    }
}

/// `l` on a folded Today line: the customer's one letter for the invoices it holds, at
/// their shared step; a call or the agency is never one letter.
pub(super) fn request_group(app: &mut App) -> Vec<Effect> {
    let Some(line) = app.today_view.selected_line() else { return Vec::new() };
    let items = app.book.items_of(line);
    let step = items.first().and_then(|i| i.step);
    let text = match step {
        Some(s) if group::GROUPABLE.contains(&s) => {
            return vec![Effect::PreviewGroupLetter(items.iter().map(|i| i.invoice.id).collect())];
        }
        Some(crate::domain::policy::Step::Call) => {
            "A call is no letter: c calls the customer; once agreed, its confirmation is written per invoice."
        }
        Some(_) => {
            "Each invoice goes to the agency with its own cover letter and dossier: → shows them, l on one writes it."
        }
        None => "Nothing to write on this line: → shows the invoices.",
    };
    app.status = Some(Status { text: text.into(), error: false });
    Vec::new()
}

/// The cases of a grouped letter's invoices and the letter, as [`group::compose`] writes it
/// for the step the first stands at.
fn compose_group(
    store: &Store,
    app: &App,
    ids: &[InvoiceId],
) -> anyhow::Result<(Vec<CaseFile>, group::Grouped)> {
    let resources = &app.resources;
    let cases = ids
        .iter()
        .map(|id| CaseFile::load(store, &resources.config, *id, app.today))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let first = cases.first().ok_or_else(|| anyhow::anyhow!("no invoice on this line"))?;
    let kind = match first.standing.step_to_take {
        Some(t) => LetterKind::for_step(t.step),
        None => send::default_kind(first)?,
    };
    let grouped =
        group::compose(&cases, &resources.config, &resources.letters, kind, None, group::channel(kind))?;
    Ok((cases, grouped))
}

/// Performs [`Effect::PreviewGroupLetter`]: the customer's one letter for the invoices of a
/// folded Today line, or why there is none.
pub(super) fn load_group(store: &Store, app: &App, ids: &[InvoiceId]) -> Message {
    let resources = &app.resources;
    match compose_group(store, app, ids) {
        Ok((cases, grouped)) => {
            let Some(first) = cases.first() else {
                return Message::LetterLoaded(Err(Failure::said("No invoice.")));
            };
            let lacks = send::lacks_note(&grouped.letter);
            let channel = group::channel(grouped.letter.kind);
            let mut v = view(first, grouped.letter.clone(), channel, resources.database.as_deref());
            v.group = ids.to_vec();
            v.number = grouped.numbers();
            if let Some(db) = resources.database.as_deref() {
                v.path = group::default_path(db, &cases, grouped.letter.kind);
                v.shown_path = v.path.as_deref().map_or_else(String::new, |p| shown(p, db));
            }
            v.notes = Vec::new();
            for note in cases.iter().flat_map(|c| c.claim.notes.iter()) {
                if !v.notes.contains(note) {
                    v.notes.push(note.clone());
                }
            }
            v.about = format!(
                "One letter for {} invoices of {}: {} in total.",
                cases.len(),
                first.customer.name,
                crate::domain::money::Money::new(grouped.total, grouped.currency)
            );
            v.notes.extend(resources.config.identity_note());
            v.notes.extend(lacks);
            v.notes.extend(email_note(first, &resources.config));
            Message::LetterLoaded(Ok(Box::new(v)))
        }
        Err(e) => Message::LetterLoaded(Err(Failure::new(e).before("No letter"))),
    }
}

/// The grouped letter of `s` written again from the book: refused if it is no longer the
/// letter that was shown (the book moved on since).
fn regroup(store: &Store, app: &App, s: &SendLetter) -> Result<(Vec<CaseFile>, group::Grouped), Failure> {
    let (cases, grouped) =
        compose_group(store, app, &s.group).map_err(|e| Failure::new(e).before("Not recorded"))?;
    if grouped.letter != s.letter {
        return Err(Failure::said(
            "Not recorded: the letter changed since it was shown (the book moved on); press l again.",
        ));
    }
    Ok((cases, grouped))
}

/// [`perform_send`] for a grouped letter: its PDF beside the text, then the step recorded on
/// every invoice it lists, in one transaction.
fn perform_group_send(store: &Store, app: &App, s: SendLetter) -> Result<String, Failure> {
    let (_, grouped) = regroup(store, app, &s)?;
    let pdf = s.path.as_deref().map(|p| p.with_extension("pdf"));
    if let Some(p) = &pdf {
        group::write_pdf(p, &grouped).map_err(|e| Failure::new(e).before("Not recorded"))?;
    }
    let (path, _) =
        group::save_and_mark(store, &grouped, app.today, s.path.as_deref(), s.channel, s.tracking.as_deref())
            .map_err(|e| {
                if let Some(p) = &pdf {
                    let _ = std::fs::remove_file(p);
                }
                Failure::new(e).before("Not recorded")
            })?;
    let kind = kind_label(s.letter.kind);
    let n = grouped.invoices.len();
    Ok(match (path, app.resources.database.as_deref()) {
        (Some(p), Some(db)) => {
            format!(
                "Saved {} (and its PDF) and recorded the {kind} as sent today on {n} invoices.",
                shown(&p, db)
            )
        }
        _ => format!(
            "Recorded the {kind} on {n} invoices ({}) as sent today (no file saved).",
            grouped.numbers()
        ),
    })
}

/// A key while the letter is shown.
pub(super) fn key(app: &mut App, mut view: Box<LetterView>, ev: KeyEvent) -> Vec<Effect> {
    if let Some((mut input, then)) = view.tracking.take() {
        match keys::lookup(Context::LetterTracking, false, false, &ev) {
            Some(Action::Back) => view.error = None,
            Some(Action::Apply) => {
                let number = input.lines().join(" ").trim().to_string();
                if number.is_empty() {
                    view.error = Some(
                        "A formal notice by registered post is recorded with its tracking number: type it, or Esc."
                            .into(),
                    );
                    view.tracking = Some((input, then));
                } else {
                    view.error = None;
                    let fx = send(&view, then, Some(number));
                    view.tracking = Some((input, then));
                    app.overlay = Some(Overlay::Letter(view));
                    return fx;
                }
            }
            _ => {
                super::form::edit_line(&mut input, ev);
                view.tracking = Some((input, then));
            }
        }
        app.overlay = Some(Overlay::Letter(view));
        return Vec::new();
    }
    let mut fx = Vec::new();
    match keys::lookup(view.context(), false, false, &ev) {
        Some(Action::Back) => return fx,
        Some(a @ (Action::SaveLetter | Action::MarkSent)) => {
            let then = if a == Action::SaveLetter { Then::SaveAndMark } else { Then::Mark };
            view.error = None;
            if then == Then::SaveAndMark && view.path.is_none() {
                view.error = Some(
                    "This book is in memory: the letter cannot be saved to disk. Press m to record it as sent without a file."
                        .into(),
                );
            } else if view.needs_tracking() {
                view.tracking = Some((TextArea::default(), then));
            } else {
                fx = send(&view, then, None);
            }
        }
        Some(Action::EmailLetter) => {
            view.error = None;
            fx.push(Effect::EmailLetter(Box::new(SendLetter {
                invoice: view.invoice,
                group: view.group.clone(),
                letter: view.letter.clone(),
                channel: Channel::Email,
                path: None,
                tracking: None,
            })));
        }
        Some(Action::Edit) if !view.group.is_empty() => {
            view.error = Some(
                "A letter for several invoices is not edited here: → on Today shows the invoices, whose own letters can be."
                    .into(),
            );
        }
        Some(Action::Edit) => {
            view.error = None;
            app.editor = Some(view.letter.text());
        }
        Some(Action::ExportDossier) => match &app.resources.database {
            Some(_) => fx.push(Effect::ExportDossier(view.invoice)),
            None => {
                view.error = Some("This book is in memory: the dossier cannot be saved to disk.".into());
            }
        },
        Some(a) => view.scroll_by(a),
        None => {}
    }
    app.overlay = Some(Overlay::Letter(view));
    fx
}

fn send(view: &LetterView, then: Then, tracking: Option<String>) -> Vec<Effect> {
    let path = match then {
        Then::SaveAndMark => view.path.clone(),
        Then::Mark => None,
    };
    vec![Effect::SendLetter(Box::new(SendLetter {
        invoice: view.invoice,
        group: view.group.clone(),
        letter: view.letter.clone(),
        channel: view.channel,
        path,
        tracking,
    }))]
}

/// The confirmed letter: saved to `path` (if any) and recorded, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendLetter {
    pub invoice: InvoiceId,
    /// The invoices of a customer's grouped letter (empty: the letter of `invoice` alone).
    pub group: Vec<InvoiceId>,
    pub letter: Letter,
    pub channel: Channel,
    pub path: Option<PathBuf>,
    pub tracking: Option<String>,
}

/// Performs [`Effect::PreviewLetter`]: the letter of the invoice's current step (the
/// thank-you once a reminded invoice is paid), or why there is none.
pub(super) fn load(store: &Store, app: &App, invoice: InvoiceId) -> Message {
    let resources = &app.resources;
    match preview(store, &resources.config, &resources.letters, invoice, None, app.today, None) {
        Ok((case, letter, channel)) => {
            let lacks = send::lacks_note(&letter);
            let mut v = view(&case, letter, channel, resources.database.as_deref());
            v.notes.extend(resources.config.identity_note());
            v.notes.extend(lacks);
            v.notes.extend(email_note(&case, &resources.config));
            Message::LetterLoaded(Ok(Box::new(v)))
        }
        Err(e) if e.is::<send::NoLetter>() => Message::LetterLoaded(Err(Failure::new(e).before("No letter"))),
        Err(e) => Message::LetterLoaded(Err(Failure::new(e))),
    }
}

/// Performs [`Effect::EditedLetter`]: the letter on screen as the user edited it, checked as
/// [`send::edited`] checks it (a consumer's first reminder for its mentions again).
pub(super) fn load_edited(store: &Store, app: &App, edit: EditedLetter) -> Message {
    let resources = &app.resources;
    let edited = CaseFile::load(store, &resources.config, edit.invoice, app.today).and_then(|case| {
        let letter = send::edited(&case, &resources.config, &edit.letter, edit.channel, &edit.text)?;
        Ok((case, letter))
    });
    match edited {
        Ok((case, letter)) => {
            let lacks = send::lacks_note(&letter);
            let mut v = view(&case, letter, edit.channel, resources.database.as_deref());
            v.notes.extend(resources.config.identity_note());
            v.notes.extend(lacks);
            v.notes.extend(email_note(&case, &resources.config));
            v.notes.push("Edited in your editor: this text is what s saves.".into());
            Message::LetterLoaded(Ok(Box::new(v)))
        }
        Err(e) => Message::LetterLoaded(Err(Failure::new(e).before("The edited letter is not taken"))),
    }
}

/// Where `E` sends the letter, once `[smtp]` is set (none: no note, `E` says what to set).
fn email_note(case: &CaseFile, config: &crate::config::Config) -> Option<String> {
    config.smtp.as_ref()?;
    Some(match case.customer.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => format!("E emails it to {e}."),
        None => format!("{} has no email address: E cannot send it.", case.customer.name),
    })
}

/// The letter on screen and the text the editor gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedLetter {
    pub invoice: InvoiceId,
    pub letter: Letter,
    pub channel: Channel,
    pub text: String,
}

fn view(case: &CaseFile, letter: Letter, channel: Channel, database: Option<&Path>) -> LetterView {
    let path = database.map(|db| send::default_path(db, case, letter.kind));
    let shown_path = match (&path, database) {
        (Some(p), Some(db)) => shown(p, db),
        _ => "not saved: this book is in memory".into(),
    };
    LetterView {
        invoice: case.invoice.id,
        group: Vec::new(),
        number: case.invoice.number.clone(),
        customer: case.customer.name.clone(),
        lines: format::wrap(&letter.text(), WRAP, Flow::Lines),
        channel,
        path,
        shown_path,
        about: about(case, letter.kind),
        notes: case.claim.notes.clone(),
        letter,
        scroll: 0,
        tracking: None,
        error: None,
    }
}

/// A path under the book's directory as `letters/…`; elsewhere in full.
fn shown(path: &Path, database: &Path) -> String {
    let base = send::beside(database);
    path.strip_prefix(base).unwrap_or(path).display().to_string()
}

/// Where the step stands, in a line.
fn about(case: &CaseFile, kind: LetterKind) -> String {
    let day = |d: NaiveDate| format::day_month_year(d);
    let st = &case.standing;
    if kind == LetterKind::ThankYou {
        return "Paid in full after a reminder: time to say thank you.".into();
    }
    if kind == LetterKind::Claim {
        return "Principal paid late: the interest and costs still claimable (w waives them).".into();
    }
    match (st.state, st.step_to_take, st.next) {
        (State::Open, Some(step), _) if st.skips.is_empty() => {
            format!("{}: due since {}.", step.step.label(), day(step.on))
        }
        (State::Open, Some(step), _) => {
            let names: Vec<String> =
                st.skips.iter().map(|s| format!("the {}", s.label().to_lowercase())).collect();
            let skipped = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            format!("{}: due since {}; sending it skips {skipped}.", step.step.label(), day(step.on))
        }
        (State::Open, None, Some(next)) => {
            format!("{}: not due until {}; sending it now is early.", next.step.label(), day(next.on))
        }
        (State::Paused { kind: why, since, .. }, _, _) => {
            format!("Escalation paused since {} ({}): think before sending.", day(since), why.label())
        }
        (State::Disputed { since }, _, _) => {
            format!("Disputed since {}: resolve the dispute before escalating.", day(since))
        }
        (State::Open, None, None) | (State::Settled, _, _) => String::new(),
    }
}

/// Performs [`Effect::SendLetter`]: what was done, for the status line.
pub(super) fn perform_send(store: &Store, app: &App, s: SendLetter) -> Result<String, Failure> {
    if !s.group.is_empty() {
        return perform_group_send(store, app, s);
    }
    let case = CaseFile::load(store, &app.resources.config, s.invoice, app.today).map_err(Failure::new)?;
    // The printable PDF beside the text (same name, `.pdf`), written first: if it fails
    // nothing is recorded, and if recording fails it is removed.
    let pdf = s.path.as_deref().map(|p| p.with_extension("pdf"));
    if let Some(p) = &pdf {
        crate::letters::pdf::write(p, &case, &app.resources.config, &s.letter, s.channel)
            .map_err(|e| Failure::new(e).before("Not recorded"))?;
    }
    let saved = save_and_mark(store, &case, &s.letter, s.path.as_deref(), s.channel, s.tracking.as_deref())
        .map_err(|e| {
        if let Some(p) = &pdf {
            let _ = std::fs::remove_file(p);
        }
        Failure::new(e).before("Not recorded")
    })?;
    let kind = kind_label(s.letter.kind);
    let number = &case.invoice.number;
    let path = match (&saved.path, app.resources.database.as_deref()) {
        (Some(p), Some(db)) => Some(shown(p, db)),
        (Some(p), None) => Some(p.display().to_string()),
        _ => None,
    };
    Ok(match (path, saved.event) {
        (Some(p), Some(_)) => format!("Saved {p} (and its PDF) and recorded the {kind} as sent today."),
        (None, Some(_)) => format!("Recorded the {kind} on {number} as sent today (no file saved)."),
        (Some(p), None) => format!("Saved {p} and its PDF (a {kind} completes no step)."),
        (None, None) => format!("Nothing to record for a {kind}."),
    })
}

/// An email composed and checked in the app, on its way: what [`Effect::DeliverEmail`]
/// sends (on another thread) and [`Effect::RecordEmail`] then records.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// What E asked for: the letter of one invoice, or a customer's grouped letter.
    pub send: SendLetter,
    pub outgoing: mail::Outgoing,
}

/// Two deliveries are the same email: the same letter with the same Message-ID.
impl PartialEq for Delivery {
    fn eq(&self, other: &Delivery) -> bool {
        self.send == other.send && self.outgoing.email.message_id == other.outgoing.email.message_id
    }
}

impl Eq for Delivery {}

/// Performs [`Effect::EmailLetter`]'s first part: composes the email and checks it may go
/// (`[smtp]` set, the step not recorded yet on any invoice it is about), writing nothing.
/// The same [`mail::prepare`] (or [`group::prepare`]) as `settle letter --send`.
pub(super) fn prepare_email(store: &Store, app: &App, s: SendLetter) -> Result<Box<Delivery>, Failure> {
    let outgoing = if s.group.is_empty() {
        let case =
            CaseFile::load(store, &app.resources.config, s.invoice, app.today).map_err(Failure::new)?;
        mail::prepare(store, &app.resources.config, &case, &s.letter)
    } else {
        let (cases, grouped) = regroup(store, app, &s)?;
        group::prepare(store, &app.resources.config, &cases, &grouped)
    }
    .map_err(|e| Failure::new(e).stop())?;
    Ok(Box::new(Delivery { send: s, outgoing }))
}

/// "Sending the reminder to …": said while the email goes.
pub fn sending_text(d: &Delivery) -> String {
    format!("Sending the {} to {}…", kind_label(d.send.letter.kind), d.outgoing.email.to)
}

/// Performs [`Effect::RecordEmail`]: the email the server accepted, recorded in one
/// transaction (on every invoice of a grouped letter).
pub(super) fn record_email(store: &Store, app: &App, d: &Delivery) -> Result<String, Failure> {
    let s = &d.send;
    let kind = kind_label(s.letter.kind);
    let unrecorded = |e: anyhow::Error| {
        Failure::new(e)
            .before(format!("Sent the {kind} to {}, but it could not be recorded", d.outgoing.email.to))
            .after(" Record it with s or m.")
    };
    if !s.group.is_empty() {
        let (cases, grouped) = regroup(store, app, s)?;
        let sent = group::record_delivered(&d.outgoing, store, &cases, &grouped).map_err(unrecorded)?;
        return Ok(format!(
            "Sent the {kind} to {} and recorded it as sent today on {} invoices.",
            sent.to,
            sent.events.len()
        ));
    }
    let case = CaseFile::load(store, &app.resources.config, s.invoice, app.today).map_err(Failure::new)?;
    let sent = d.outgoing.record(store, &case, &s.letter).map_err(unrecorded)?;
    Ok(match (sent.event, s.letter.kind) {
        (Some(_), LetterKind::CallConfirmation) => {
            format!("Sent the {kind} to {}; it is on the invoice's timeline.", sent.to)
        }
        (Some(_), _) => format!("Sent the {kind} to {} and recorded it as sent today.", sent.to),
        (None, _) => format!("Sent the {kind} to {} (a {kind} completes no step).", sent.to),
    })
}

/// Performs [`Effect::ExportDossier`]: the agency's dossier into `dossiers/<invoice>-<date>/`
/// beside the book.
pub(super) fn perform_dossier(store: &Store, app: &App, invoice: InvoiceId) -> Result<String, Failure> {
    let Some(db) = app.resources.database.as_deref() else {
        return Err(Failure::said("This book is in memory: the dossier cannot be saved to disk."));
    };
    let case = CaseFile::load(store, &app.resources.config, invoice, app.today).map_err(Failure::new)?;
    let dir = dossier::default_dir(db, &case);
    let done = dossier::export(&case, &app.resources.config, &dir)
        .map_err(|e| Failure::new(e).before("Dossier not written"))?;
    let folder = shown(&dir, db);
    let mut text = format!("Wrote the dossier to {folder}/ (JSON and text; claim {}).", done.claim);
    if case.invoice.disputed {
        text.push_str(" The invoice is disputed: resolve that before an agency takes it.");
    }
    Ok(text)
}
