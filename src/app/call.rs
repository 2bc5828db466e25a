//! Call mode: the call script beside the call form, and after saving a call that made an
//! agreement, the confirmation email. The state and its keys only; `ui::call` draws it.
//! Preparing and saving go through the store, so they are effects (performed here by
//! [`prepare`] and [`save`], called from `effects::perform`).

use crate::domain::format;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effects::Effect;
use super::hint::Failure;
use super::keys::{Action, Context, lookup};
use super::{App, Overlay, Status};
use crate::call_script::Confirmation;
use crate::domain::call::CallOutcome;
use crate::domain::call_form::{CallForm, Field, FieldError};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;
use crate::domain::money::{Currency, Money};
use crate::domain::text::{Lines, refused};
use crate::service::calls::{
    CallLogged, CallSetup, SaveError, prepare_customer_call, prepare_invoice_call, save_call,
};
use crate::store::Store;

/// Lines the script moves by on PgUp/PgDn.
pub const SCROLL_STEP: u16 = 10;

/// Who is being called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallTarget {
    Invoice(InvoiceId),
    /// A customer: the call is about their open invoice due first, if any.
    Customer(CustomerId),
}

/// The call to save: what was prepared and the form as filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSave {
    pub setup: CallSetup,
    pub form: CallForm,
}

/// Why a call was not saved, as data for the update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRefused {
    /// Fields to correct: the form stays open with these marked.
    Fields(Vec<FieldError>),
    /// The store refused (a read-only book, a changed invoice…).
    Failed(String),
}

/// What a key did in call mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKey {
    Stay,
    Cancel,
    Save,
}

#[derive(Debug, Clone)]
pub struct CallMode {
    pub setup: CallSetup,
    pub form: CallForm,
    pub focus: Field,
    /// The fields the last save refused, until they are edited.
    pub errors: Vec<FieldError>,
    /// Why the last save failed, shown under the form.
    pub error: Option<String>,
    /// The first line of the script shown.
    pub scroll: u16,
}

impl CallMode {
    /// Call mode on a prepared call, the outcome first (most calls need one key there).
    pub fn new(setup: CallSetup) -> CallMode {
        let form = setup.form();
        CallMode { setup, form, focus: Field::Outcome, errors: Vec::new(), error: None, scroll: 0 }
    }

    pub fn currency(&self) -> Currency {
        self.setup.context.currency
    }

    /// The fields on screen, in order.
    pub fn fields(&self) -> Vec<Field> {
        self.form.fields()
    }

    pub fn context(&self) -> Context {
        match self.focus {
            Field::Reached => Context::CallReached,
            Field::Outcome => Context::CallOutcome,
            _ => Context::CallText,
        }
    }

    /// The refusal of the last save for a field, if it still stands.
    pub fn error_of(&self, field: Field) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// What to show beside a field: its error (`Err`) or what the typed value means.
    pub fn message(&self, field: Field, today: NaiveDate) -> Option<Result<String, String>> {
        if let Some(e) = self.error_of(field) {
            return Some(Err(e.to_string()));
        }
        self.form.hint(field, today, self.currency())
    }

    /// How many lines the script has before wrapping (bounds the scroll).
    pub fn script_lines(&self) -> u16 {
        let n =
            self.setup.panel.as_ref().map_or(0, |p| {
                4 + p.notes.len() + p.sections.iter().map(|s| s.lines.len() + 2).sum::<usize>()
            });
        u16::try_from(n).unwrap_or(u16::MAX)
    }

    fn focus_index(&self, fields: &[Field]) -> usize {
        fields.iter().position(|f| *f == self.focus).unwrap_or(0)
    }

    fn move_focus(&mut self, by: isize) {
        let fields = self.fields();
        let at = self.focus_index(&fields).saturating_add_signed(by).min(fields.len().saturating_sub(1));
        if let Some(f) = fields.get(at) {
            self.focus = *f;
        }
    }

    fn is_last(&self) -> bool {
        self.fields().last() == Some(&self.focus)
    }

    /// Handles a key: edits the form, or asks to save or cancel.
    pub fn handle(&mut self, ev: KeyEvent) -> CallKey {
        match lookup(self.context(), false, false, &ev) {
            Some(Action::Back) => return CallKey::Cancel,
            Some(Action::Save) => return CallKey::Save,
            Some(Action::NextOrSave) if self.is_last() => return CallKey::Save,
            Some(Action::NextOrSave | Action::NextField) => self.move_focus(1),
            Some(Action::PrevField) => self.move_focus(-1),
            Some(Action::PageDown) => {
                self.scroll =
                    self.scroll.saturating_add(SCROLL_STEP).min(self.script_lines().saturating_sub(1))
            }
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(SCROLL_STEP),
            Some(Action::ToggleReached) => self.set_reached(!self.form.reached),
            Some(Action::SetReached(r)) => self.set_reached(r),
            Some(Action::Outcome(o)) => self.choose(o),
            _ if self.context() == Context::CallText => self.edit(ev),
            _ => {}
        }
        CallKey::Stay
    }

    fn set_reached(&mut self, reached: bool) {
        self.form.reached = reached;
        self.forget(Field::Reached);
    }

    /// Chooses the outcome and moves on to the field it asks for first.
    fn choose(&mut self, outcome: CallOutcome) {
        self.form.set_outcome(outcome);
        self.forget(Field::Outcome);
        self.forget(Field::Reached);
        self.move_focus(1);
    }

    fn forget(&mut self, field: Field) {
        self.errors.retain(|e| e.field != field);
        self.error = None;
    }

    /// Types into the focused text field: characters, Backspace, Ctrl-U (clear), Ctrl-W
    /// (the last word).
    fn edit(&mut self, ev: KeyEvent) {
        let field = self.focus;
        let Some(text) = self.form.text_mut(field) else { return };
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let changed = match ev.code {
            KeyCode::Char('u') if ctrl => {
                text.clear();
                true
            }
            KeyCode::Char('w') if ctrl => {
                let kept = text.trim_end().rfind(' ').map_or(0, |i| i + 1);
                text.truncate(kept);
                true
            }
            KeyCode::Char(c) if !ctrl && !refused(c, Lines::One) => {
                text.push(c);
                true
            }
            KeyCode::Backspace => text.pop().is_some(),
            _ => false,
        };
        if changed {
            self.forget(field);
        }
    }

    /// Takes the store's refusal back onto the form: the first field in error gets the focus.
    pub fn refused(&mut self, why: CallRefused) {
        match why {
            CallRefused::Fields(errors) => {
                let fields = self.fields();
                if let Some(first) = fields.iter().find(|f| errors.iter().any(|e| e.field == **f)) {
                    self.focus = *first;
                }
                self.error = Some(match errors.len() {
                    1 => "Fix the field marked in red; nothing was saved.".into(),
                    n => format!("Fix the {n} fields marked in red; nothing was saved."),
                });
                self.errors = errors;
            }
            CallRefused::Failed(e) => self.error = Some(format!("Not saved: {e}")),
        }
    }
}

/// The confirmation email shown after a call that made an agreement.
#[derive(Debug, Clone)]
pub struct ConfirmView {
    pub mail: Confirmation,
    /// The invoice the agreement is on, for `E`.
    pub invoice: Option<InvoiceId>,
    /// The invoice the agreement is on, for the file name.
    pub number: String,
    pub customer: String,
    pub email: Option<String>,
    /// Where it was saved, once it was.
    pub saved: Option<PathBuf>,
    pub scroll: u16,
}

impl ConfirmView {
    /// Where `s` saves it: `letters/<invoice>-confirmation-<date>.txt` beside the database.
    pub fn path(&self, database: &Path, today: NaiveDate) -> PathBuf {
        let safe = crate::letters::send::safe_name(&self.number);
        crate::letters::send::beside(database)
            .join("letters")
            .join(format!("{safe}-confirmation-{today}.txt"))
    }
}

/// The status line after a call: "Call logged: promise of €600.00 by Fri 4 Dec 2026".
pub fn logged_text(logged: &CallLogged, currency: Currency) -> String {
    let call = &logged.call;
    let money = |a| Money::new(a, currency);
    let what = match (&call.agreement, call.outcome) {
        (Some(a), CallOutcome::Promise) => match a.instalments.first() {
            Some((on, amount)) => format!("promise of {} by {}", money(*amount), format::weekday_year(*on)),
            None => "promise".into(),
        },
        (Some(a), _) => match (a.instalments.first(), a.instalments.len()) {
            (Some((first, _)), n) => {
                format!("plan of {} in {n} instalments from {}", money(a.total), format::weekday_year(*first))
            }
            (None, _) => "plan".into(),
        },
        (None, o) => o.label().to_lowercase(),
    };
    let mut text = format!("Call logged: {what}");
    if logged.saved.dispute_opened {
        text.push_str("; dispute opened, escalation paused");
    }
    if let Some(f) = call.follow_up {
        text.push_str(&format!("; next contact {}", format::weekday_year(f)));
    }
    text.push('.');
    text
}

/// Prepares a call: the effect behind `c`, on the customer's ladder from the user's config.
pub fn prepare(store: &Store, app: &App, target: CallTarget) -> Result<CallSetup, Failure> {
    let lib = &app.resources.scripts;
    match target {
        CallTarget::Invoice(id) => prepare_invoice_call(store, lib, id, &app.resources.config, app.today),
        CallTarget::Customer(id) => prepare_customer_call(store, lib, id, &app.resources.config, app.today),
    }
    .map_err(Failure::new)
}

/// Saves a call (call, agreement and events in one transaction): the effect behind Ctrl-S.
pub fn save(store: &Store, app: &App, call: &CallSave) -> Result<Box<CallLogged>, CallRefused> {
    save_call(store, &app.resources.scripts, &call.setup, &call.form, app.today, app.resources.sender())
        .map(Box::new)
        .map_err(|e| match e {
            SaveError::Fields(f) => CallRefused::Fields(f),
            SaveError::Failed(e) => CallRefused::Failed(Failure::new(e).text()),
        })
}

/// Writes a text to a new private file (0600, never half-written), creating `letters/`; an
/// existing file is kept and the new one numbered (`…-2.txt`).
pub fn save_text(path: &Path, text: &str) -> Result<PathBuf, String> {
    let mut target = path.to_path_buf();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    for n in 2..1000 {
        if !target.exists() {
            break;
        }
        target = path.with_file_name(format!("{stem}-{n}.txt"));
    }
    crate::letters::send::write_private(&target, text).map(|()| target).map_err(|e| e.to_string())
}

// The update's part for call mode: `c`, the keys in call mode and in the confirmation, and
// the answers of the effects.

/// `c`: call the invoice or the customer on screen.
pub(super) fn start(app: &mut App) -> Vec<Effect> {
    let target = match app.context() {
        Context::Invoice => app.invoice.as_ref().map(|i| CallTarget::Invoice(i.id)),
        Context::Today => app.today_view.selected(&app.book).map(|i| CallTarget::Invoice(i.invoice.id)),
        Context::Customers => app.customers.selected(&app.book).map(CallTarget::Customer),
        Context::Receivables => app.receivables.selected(&app.book).map(CallTarget::Customer),
        Context::Customer => app.customer_detail().map(|d| CallTarget::Customer(d.customer.id)),
        _ => None,
    };
    match target {
        Some(t) => vec![Effect::PrepareCall(t)],
        None => {
            app.status =
                Some(Status { text: "Select an invoice or a customer to call first.".into(), error: false });
            Vec::new()
        }
    }
}

pub(super) fn key(app: &mut App, mut mode: Box<CallMode>, ev: KeyEvent) -> Vec<Effect> {
    match mode.handle(ev) {
        CallKey::Cancel => {
            app.status = Some(Status { text: "Call not logged: nothing was saved.".into(), error: false });
            Vec::new()
        }
        CallKey::Save => {
            let save = CallSave { setup: mode.setup.clone(), form: mode.form.clone() };
            app.overlay = Some(Overlay::Call(mode));
            vec![Effect::SaveCall(Box::new(save))]
        }
        CallKey::Stay => {
            app.overlay = Some(Overlay::Call(mode));
            Vec::new()
        }
    }
}

pub(super) fn confirm_key(app: &mut App, mut view: Box<ConfirmView>, ev: KeyEvent) -> Vec<Effect> {
    let mut fx = Vec::new();
    match lookup(Context::Confirmation, false, false, &ev) {
        Some(Action::Back) => return fx,
        Some(Action::PageDown) => view.scroll = view.scroll.saturating_add(SCROLL_STEP),
        Some(Action::PageUp) => view.scroll = view.scroll.saturating_sub(SCROLL_STEP),
        Some(Action::EmailLetter) => match view.invoice {
            Some(invoice) => fx.push(Effect::EmailLetter(Box::new(super::letter::SendLetter {
                invoice,
                group: Vec::new(),
                letter: crate::letters::Letter::from(&view.mail),
                channel: crate::domain::event::Channel::Email,
                path: None,
                tracking: None,
            }))),
            None => {
                let text = "This confirmation is about no invoice, so it is not emailed from here.";
                app.status = Some(Status { text: text.into(), error: true });
            }
        },
        Some(Action::SaveFile) => match (&view.saved, &app.resources.database) {
            (Some(path), _) => {
                let text = format!("Already saved to {}.", path.display());
                app.status = Some(Status { text, error: false });
            }
            (None, Some(db)) => {
                fx.push(Effect::SaveText { path: view.path(db, app.today), text: view.mail.to_text() })
            }
            (None, None) => {
                let text = "This book is not in a file, so the email cannot be saved beside it; copy it from the screen.";
                app.status = Some(Status { text: text.into(), error: true });
            }
        },
        _ => {}
    }
    app.overlay = Some(Overlay::Confirm(view));
    fx
}

/// The prepared call: open call mode on it.
pub(super) fn ready(app: &mut App, setup: CallSetup) -> Vec<Effect> {
    app.overlay = Some(Overlay::Call(Box::new(CallMode::new(setup))));
    Vec::new()
}

/// The answer to a save: close call mode and say what was logged (offering the confirmation
/// email of an agreement), or take the refusal back onto the form.
pub(super) fn saved(app: &mut App, result: Result<Box<CallLogged>, CallRefused>) -> Vec<Effect> {
    let mode = match app.overlay.take() {
        Some(Overlay::Call(m)) => Some(m),
        other => {
            app.overlay = other;
            None
        }
    };
    match (result, mode) {
        (Ok(logged), mode) => {
            let currency = mode.as_ref().map_or(app.book.currency, |m| m.currency());
            app.status = Some(Status { text: logged_text(&logged, currency), error: false });
            if let (Some(mail), Some(m)) = (logged.confirmation, mode) {
                let view = ConfirmView {
                    mail,
                    invoice: m.setup.invoice.as_ref().map(|r| r.invoice.id),
                    number: m.setup.invoice.as_ref().map(|r| r.invoice.number.clone()).unwrap_or_default(),
                    customer: m.setup.customer.name.clone(),
                    email: m.setup.customer.email.clone(),
                    saved: None,
                    scroll: 0,
                };
                app.overlay = Some(Overlay::Confirm(Box::new(view)));
            }
            vec![Effect::Reload]
        }
        (Err(why), Some(mut m)) => {
            m.refused(why);
            app.overlay = Some(Overlay::Call(m));
            Vec::new()
        }
        (Err(why), None) => {
            let text = match why {
                CallRefused::Fields(f) => format!("The call was not saved: {} field(s) to correct.", f.len()),
                CallRefused::Failed(e) => format!("The call was not saved: {e}"),
            };
            app.status = Some(Status { text, error: true });
            Vec::new()
        }
    }
}

/// The answer to saving the email.
pub(super) fn file_saved(app: &mut App, result: Result<PathBuf, String>) -> Vec<Effect> {
    app.status = Some(match result {
        Ok(path) => {
            let text = format!("Saved the confirmation email to {}.", path.display());
            if let Some(Overlay::Confirm(v)) = &mut app.overlay {
                v.saved = Some(path);
            }
            Status { text, error: false }
        }
        Err(e) => Status { text: format!("The email was not saved: {e}"), error: true },
    });
    Vec::new()
}
