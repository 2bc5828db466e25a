//! A form: fields edited with `ratatui-textarea`, validated as you type with the domain's
//! parsers. A field with a bad value carries its error, shown next to it; a form with any
//! error is never submitted.

pub mod kinds;

use crate::domain::format;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;
use rust_decimal::Decimal;

use super::keys::{Action, Context, lookup};
use super::screen_data::{Matching, ScreenData};
use crate::domain::dates::parse_date_relative;
use crate::domain::money::{Currency, Money, parse_amount, parse_share};
use crate::domain::reference::PayRef;
use crate::domain::text::{Lines, check_text, refused};

/// What a field accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        required: bool,
    },
    Email,
    /// A positive amount, at most `max` when given (what is still open).
    Amount {
        max: Option<Decimal>,
        currency: Currency,
    },
    /// An optional amount, or a share of `of` (`10 %`): more than zero, at most `max`.
    Share {
        of: Decimal,
        max: Decimal,
        currency: Currency,
    },
    /// A date as typed in forms (`2026-12-05`, `+7`, `fri`, `eom`), within the bounds.
    Date {
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
        required: bool,
    },
    /// Payment terms in days.
    Days,
    /// The name of a customer already in the book.
    Customer,
    /// A name no customer has yet.
    NewCustomer,
    /// A customer's name being corrected: no other customer's.
    CustomerName {
        keep: crate::domain::customer::CustomerId,
    },
    /// An optional structured reference (OGM).
    Reference,
    Choice(&'static [&'static str]),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: TextArea<'static>,
    pub choice: usize,
    pub error: Option<String>,
    /// What a valid value means, shown beside it: "Fri 27 Nov 2026".
    pub note: Option<String>,
    /// Typed in (or filled in) at least once: only then is an error worth showing.
    pub touched: bool,
}

impl Field {
    pub fn new(label: &'static str, kind: FieldKind, value: &str) -> Field {
        let mut input = TextArea::new(vec![value.to_string()]);
        input.move_cursor(ratatui_textarea::CursorMove::End);
        Field { label, kind, input, choice: 0, error: None, note: None, touched: !value.is_empty() }
    }

    pub fn choice(label: &'static str, options: &'static [&'static str], selected: &str) -> Field {
        let mut f = Field::new(label, FieldKind::Choice(options), "");
        f.choice = options.iter().position(|o| *o == selected).unwrap_or(0);
        f
    }

    pub fn is_choice(&self) -> bool {
        matches!(self.kind, FieldKind::Choice(_))
    }

    /// The typed text, trimmed (or the chosen option).
    pub fn text(&self) -> String {
        match self.kind {
            FieldKind::Choice(options) => options.get(self.choice).copied().unwrap_or_default().to_string(),
            _ => self.input.lines().join(" ").trim().to_string(),
        }
    }

    pub fn optional_text(&self) -> Option<String> {
        Some(self.text()).filter(|t| !t.is_empty())
    }

    pub fn amount(&self) -> Option<Decimal> {
        parse_amount(&self.text()).ok()
    }

    pub fn date(&self, today: NaiveDate) -> Option<NaiveDate> {
        parse_date_relative(&self.text(), today).ok()
    }

    /// Checks the value, setting `error` (and `note` for a value worth spelling out).
    pub fn check(&mut self, today: NaiveDate, book: &ScreenData) {
        let (error, note) = self.verdict(today, book);
        self.error = error;
        self.note = note;
    }

    fn verdict(&self, today: NaiveDate, book: &ScreenData) -> (Option<String>, Option<String>) {
        let text = self.text();
        let fail = |e: String| (Some(e), None);
        if let Err(e) = check_text(self.label, &text, Lines::One) {
            return fail(e.reason());
        }
        match &self.kind {
            FieldKind::Choice(_) => (None, None),
            _ if text.is_empty() => match self.kind {
                FieldKind::Text { required: true } | FieldKind::Amount { .. } => fail("required".into()),
                FieldKind::Customer
                | FieldKind::NewCustomer
                | FieldKind::CustomerName { .. }
                | FieldKind::Days => fail("required".into()),
                FieldKind::Date { required: true, .. } => fail("required".into()),
                FieldKind::Share { .. } => (None, Some("none, or 120, or 10 % of the amount".into())),
                _ => (None, None),
            },
            FieldKind::Text { .. } => (None, None),
            FieldKind::Email if text.contains('@') && !text.starts_with('@') && !text.ends_with('@') => {
                (None, None)
            }
            FieldKind::Email => fail("not an email address".into()),
            FieldKind::Amount { max, currency } => match parse_amount(&text) {
                Err(e) => fail(e.to_string()),
                Ok(a) if a <= Decimal::ZERO => fail("must be more than zero".into()),
                Ok(a) if max.is_some_and(|m| a > m) => fail(format!(
                    "more than the {} still open",
                    Money::new(max.unwrap_or_default(), *currency)
                )),
                Ok(a) => (None, Some(Money::new(a, *currency).to_string())),
            },
            FieldKind::Share { of, max, currency } => match parse_share(&text, *of) {
                Err(e) => fail(e.to_string()),
                Ok(a) if a <= Decimal::ZERO => fail("must be more than zero".into()),
                Ok(a) if a > *max => {
                    fail(format!("more than the {} still open", Money::new(*max, *currency)))
                }
                Ok(a) if text.ends_with('%') => (
                    None,
                    Some(format!(
                        "{} ({} of {})",
                        Money::new(a, *currency),
                        text,
                        Money::new(*of, *currency)
                    )),
                ),
                Ok(a) => (None, Some(Money::new(a, *currency).to_string())),
            },
            FieldKind::Date { min, max, .. } => match parse_date_relative(&text, today) {
                Err(e) => fail(e.to_string()),
                Ok(d) if min.is_some_and(|m| d < m) => {
                    fail(format!("before {}", min.map(|m| m.to_string()).unwrap_or_default()))
                }
                Ok(d) if max.is_some_and(|m| d > m) => fail("in the future".into()),
                Ok(d) => (None, Some(format::weekday_year(d))),
            },
            FieldKind::Days => match text.parse::<u32>() {
                Ok(n) if n <= 365 => (None, None),
                _ => fail("a number of days from 0 to 365".into()),
            },
            FieldKind::Customer => match book.customer_matching(&text) {
                Matching::One(c) if c.customer.name.eq_ignore_ascii_case(&text) => {
                    (None, Some(format!("{} customer, {} days", c.customer.profile, c.customer.terms_days)))
                }
                Matching::One(c) => (
                    None,
                    Some(format!(
                        "→ {} ({} customer, {} days)",
                        c.customer.name, c.customer.profile, c.customer.terms_days
                    )),
                ),
                Matching::Several(n, a, b) => fail(format!("{n} customers match ({a}, {b}…): type more")),
                Matching::None => fail("no customer by that name (add it first: Esc, a, c)".into()),
            },
            FieldKind::NewCustomer if book.customer_named(&text).is_some() => {
                fail("a customer by that name already exists".into())
            }
            FieldKind::NewCustomer => (None, None),
            FieldKind::CustomerName { keep } => match book.customer_named(&text) {
                Some(c) if c.customer.id != *keep => fail("another customer has that name".into()),
                _ => (None, None),
            },
            FieldKind::Reference => match text.parse::<PayRef>() {
                Ok(r) => (None, Some(r.to_string())),
                Err(e) => fail(e.to_string()),
            },
        }
    }

    /// Types into the field.
    fn edit(&mut self, ev: KeyEvent) {
        self.touched |= edit_line(&mut self.input, ev);
    }
}

/// Types into a one-line input: the textarea does the editing, with the readline keys a
/// prompt user expects (Ctrl-U clears to the start, as in a shell, rather than undoing);
/// Enter and Tab belong to the form, and the input never grows a second line. A character
/// no text may hold (a pasted bidirectional override, say) is not typed at all.
pub fn edit_line(input: &mut TextArea<'static>, ev: KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    if matches!(ev.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab)
        || (ctrl && ev.code == KeyCode::Char('m'))
        || matches!(ev.code, KeyCode::Char(c) if refused(c, Lines::One))
    {
        return false;
    }
    let changed =
        if ctrl && ev.code == KeyCode::Char('u') { input.delete_line_by_head() } else { input.input(ev) };
    if input.lines().len() > 1 {
        let joined = input.lines().join(" ");
        *input = TextArea::new(vec![joined]);
        input.move_cursor(ratatui_textarea::CursorMove::End);
    }
    changed
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Cancel,
    /// Every field is valid: save it.
    Submit,
}

#[derive(Debug, Clone)]
pub struct Form<K> {
    pub kind: K,
    pub title: String,
    /// A line of context above the fields.
    pub intro: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last save failed, from the store.
    pub error: Option<String>,
}

impl<K> Form<K> {
    pub fn new(kind: K, title: impl Into<String>, intro: Option<String>, fields: Vec<Field>) -> Self {
        Form { kind, title: title.into(), intro, fields, focus: 0, error: None }
    }

    pub fn context(&self) -> Context {
        if self.fields.get(self.focus).is_some_and(Field::is_choice) {
            Context::FormChoice
        } else {
            Context::FormText
        }
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    pub fn field_mut(&mut self, label: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.label == label)
    }

    pub fn check_all(&mut self, today: NaiveDate, book: &ScreenData) {
        for f in &mut self.fields {
            f.check(today, book);
        }
    }

    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }

    /// Handles a key; the caller re-checks form-wide rules after a `Stay`.
    pub fn handle(&mut self, ev: KeyEvent, today: NaiveDate, book: &ScreenData) -> Outcome {
        let last = self.fields.len().saturating_sub(1);
        match lookup(self.context(), false, false, &ev) {
            Some(Action::Back) => return Outcome::Cancel,
            Some(Action::NextField) => {
                self.complete(today, book);
                self.focus = (self.focus + 1).min(last);
            }
            Some(Action::PrevField) => {
                self.complete(today, book);
                self.focus = self.focus.saturating_sub(1);
            }
            Some(Action::NextOrSave) if self.focus < last => {
                self.complete(today, book);
                self.focus += 1;
            }
            Some(Action::NextOrSave | Action::Save) => return self.submit(today, book),
            Some(a @ (Action::ChoiceNext | Action::ChoicePrev)) => {
                if let Some(f) = self.fields.get_mut(self.focus)
                    && let FieldKind::Choice(options) = f.kind
                {
                    let n = options.len().max(1);
                    f.choice = (f.choice + if a == Action::ChoiceNext { 1 } else { n - 1 }) % n;
                }
            }
            _ => {
                if let Some(f) = self.fields.get_mut(self.focus)
                    && !f.is_choice()
                {
                    f.edit(ev);
                    f.check(today, book);
                    self.error = None;
                }
            }
        }
        Outcome::Stay
    }

    /// Leaving a customer field that names one customer by part of its name writes the name in
    /// full.
    fn complete(&mut self, today: NaiveDate, book: &ScreenData) {
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        if f.kind != FieldKind::Customer {
            return;
        }
        if let Matching::One(c) = book.customer_matching(&f.text())
            && c.customer.name != f.text()
        {
            f.input = TextArea::new(vec![c.customer.name.clone()]);
            f.input.move_cursor(ratatui_textarea::CursorMove::End);
            f.check(today, book);
        }
    }

    fn submit(&mut self, today: NaiveDate, book: &ScreenData) -> Outcome {
        self.complete(today, book);
        self.check_all(today, book);
        for f in &mut self.fields {
            f.touched = true;
        }
        match self.fields.iter().position(|f| f.error.is_some()) {
            Some(bad) => {
                self.focus = bad;
                self.error = Some("Fix the field marked in red; nothing was saved.".into());
                Outcome::Stay
            }
            None => Outcome::Submit,
        }
    }
}
