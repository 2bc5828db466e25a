//! The `/` filter of a list: a one-line `ratatui-textarea` input and whether it is being
//! typed in.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::keys::{Action, Context, lookup};

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub input: TextArea<'static>,
    pub editing: bool,
}

/// What a key did to the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The text changed: filter again.
    Text,
    /// Typing is over; the filter stays.
    Kept,
    /// The filter is gone: show everything.
    Cleared,
    None,
}

impl Filter {
    /// The lower-case text to look for ("" for none).
    pub fn query(&self) -> String {
        self.input.lines().join(" ").trim().to_lowercase()
    }

    /// Whether a filter narrows the list (typed in or kept).
    pub fn is_active(&self) -> bool {
        self.editing || !self.query().is_empty()
    }

    pub fn start(&mut self) {
        self.editing = true;
    }

    pub fn clear(&mut self) {
        *self = Filter::default();
    }

    pub fn handle(&mut self, ev: KeyEvent) -> Change {
        match lookup(Context::FilterInput, false, false, &ev) {
            Some(Action::Apply) => {
                self.editing = false;
                if self.query().is_empty() { Change::Cleared } else { Change::Kept }
            }
            Some(Action::Back) => {
                self.clear();
                Change::Cleared
            }
            _ => {
                let before = self.query();
                super::form::edit_line(&mut self.input, ev);
                if self.query() != before { Change::Text } else { Change::None }
            }
        }
    }
}
