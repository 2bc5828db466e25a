//! Importing a bank statement from the app (`i` on Today and Receivables): the path of the
//! file, typed with Tab completion; then the dry run — the lines that matched, and those
//! that did not with their candidates, where `1`–`3` assign a line to a candidate, `x` sets
//! it aside for good and `s` skips it for now — and Enter writes it all in one transaction.
//! Reading and writing go through `service::bank`, as `settle import payments` does.

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::effects::Effect;
use super::form::edit_line;
use super::keys::{self, Action, Context};
use super::{App, Overlay, Status};
use crate::import::statement::Statement;
use crate::import::{Choice, Kind, Outcome};

/// The import overlay: typing the path, or reviewing the dry run.
#[derive(Debug, Clone)]
pub enum ImportView {
    Path(Box<PathPrompt>),
    Review(Box<Review>),
}

#[derive(Debug, Clone, Default)]
pub struct PathPrompt {
    pub input: TextArea<'static>,
    /// What Tab found when it could not complete to one name.
    pub completions: Vec<String>,
    pub error: Option<String>,
}

/// A statement read and matched in a dry run, with the user's choices.
#[derive(Debug, Clone)]
pub struct Review {
    pub path: PathBuf,
    pub statement: Statement,
    pub outcome: Outcome,
    /// For each unmatched line (in the outcome's order): the choice made, if any.
    pub choices: Vec<Option<Choice>>,
    /// Which unmatched line is selected.
    pub cursor: usize,
    pub error: Option<String>,
}

impl Review {
    pub fn new(path: PathBuf, statement: Statement, outcome: Outcome) -> Review {
        let n = outcome.unmatched.len();
        Review { path, statement, outcome, choices: vec![None; n], cursor: 0, error: None }
    }

    /// The choices to write, by line.
    pub fn chosen(&self) -> Vec<(usize, Choice)> {
        self.outcome
            .unmatched
            .iter()
            .zip(&self.choices)
            .filter_map(|(u, c)| c.clone().map(|c| (u.index, c)))
            .collect()
    }

    /// How many payments the confirmation will record or link.
    pub fn to_record(&self) -> usize {
        let matched = self.outcome.count(&[Kind::Payment, Kind::Linked]);
        matched + self.choices.iter().filter(|c| matches!(c, Some(Choice::Assign(_)))).count()
    }
}

impl ImportView {
    pub fn open() -> ImportView {
        ImportView::Path(Box::default())
    }

    pub fn context(&self) -> Context {
        match self {
            ImportView::Path(_) => Context::ImportPath,
            ImportView::Review(_) => Context::ImportReview,
        }
    }
}

/// The longest common start of names.
fn common_prefix(names: &[String]) -> String {
    let Some(first) = names.first() else { return String::new() };
    let mut end = first.len();
    for n in &names[1..] {
        end = first
            .char_indices()
            .zip(n.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

/// Completes a typed path from the names in its folder (folders end with `/`): the path
/// completed as far as the names agree, and the names when more than one fits.
pub fn complete(typed: &str, entries: &[String]) -> (String, Vec<String>) {
    let (dir, stem) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let mut fits: Vec<String> = entries
        .iter()
        .filter(|e| e.starts_with(stem) && (!e.starts_with('.') || stem.starts_with('.')))
        .cloned()
        .collect();
    fits.sort();
    match fits.len() {
        0 => (typed.to_string(), Vec::new()),
        1 => (format!("{dir}{}", fits[0]), Vec::new()),
        _ => {
            let common = common_prefix(&fits);
            (format!("{dir}{}", if common.len() > stem.len() { &common } else { stem }), fits)
        }
    }
}

/// `i`: ask for the file.
pub fn start(app: &mut App) -> Vec<Effect> {
    app.overlay = Some(Overlay::Import(Box::new(ImportView::open())));
    Vec::new()
}

fn typed(input: &TextArea<'static>) -> String {
    input.lines().join("")
}

/// Expands a leading `~/` to the home folder.
pub fn expand(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

pub fn key(app: &mut App, view: ImportView, ev: KeyEvent) -> Vec<Effect> {
    let mut fx = Vec::new();
    let view = match view {
        ImportView::Path(mut p) => match keys::lookup(Context::ImportPath, false, false, &ev) {
            Some(Action::Back) => return fx,
            Some(Action::Apply) => {
                let t = typed(&p.input);
                if t.trim().is_empty() {
                    p.error = Some("Type the path of the statement file (Tab completes).".into());
                } else {
                    p.error = None;
                    fx.push(Effect::ReadStatement(expand(t.trim())));
                }
                ImportView::Path(p)
            }
            Some(Action::NextField) => {
                fx.push(Effect::CompletePath(typed(&p.input)));
                ImportView::Path(p)
            }
            _ => {
                if edit_line(&mut p.input, ev) {
                    p.completions.clear();
                    p.error = None;
                }
                ImportView::Path(p)
            }
        },
        ImportView::Review(mut r) => {
            let n = r.outcome.unmatched.len();
            match keys::lookup(Context::ImportReview, false, false, &ev) {
                Some(Action::Back) => return fx,
                Some(Action::Down) => r.cursor = (r.cursor + 1).min(n.saturating_sub(1)),
                Some(Action::Up) => r.cursor = r.cursor.saturating_sub(1),
                Some(Action::Assign(k)) => {
                    let picked = r
                        .outcome
                        .unmatched
                        .get(r.cursor)
                        .and_then(|u| u.candidates.get(k))
                        .map(|c| c.number.clone());
                    match (picked, r.choices.get_mut(r.cursor)) {
                        (Some(number), Some(slot)) => {
                            *slot = Some(Choice::Assign(number));
                            r.error = None;
                            r.cursor = (r.cursor + 1).min(n.saturating_sub(1));
                        }
                        _ => r.error = Some(format!("This line has no candidate {}.", k + 1)),
                    }
                }
                Some(Action::SetAside) => {
                    if let Some(slot) = r.choices.get_mut(r.cursor) {
                        *slot = Some(Choice::SetAside);
                        r.cursor = (r.cursor + 1).min(n.saturating_sub(1));
                    }
                }
                Some(Action::Skip) => {
                    if let Some(slot) = r.choices.get_mut(r.cursor) {
                        *slot = None;
                        r.cursor = (r.cursor + 1).min(n.saturating_sub(1));
                    }
                }
                Some(Action::Save) => {
                    fx.push(Effect::ImportStatement {
                        statement: Box::new(r.statement.clone()),
                        choices: r.chosen(),
                    });
                }
                _ => {}
            }
            ImportView::Review(r)
        }
    };
    app.overlay = Some(Overlay::Import(Box::new(view)));
    fx
}

/// The dry run came back: review it (or say why the file was refused).
pub fn read(app: &mut App, result: Result<Box<Review>, super::hint::Failure>) -> Vec<Effect> {
    match (&mut app.overlay, result.map_err(|e| e.text())) {
        (Some(Overlay::Import(v)), Ok(review)) => **v = ImportView::Review(review),
        (Some(Overlay::Import(v)), Err(e)) => {
            if let ImportView::Path(p) = &mut **v {
                p.error = Some(e);
            }
        }
        (_, Err(e)) => app.status = Some(Status { text: e, error: true }),
        (_, Ok(_)) => {}
    }
    Vec::new()
}

/// Tab's answer: the completed path and, when several names fit, the names.
pub fn completed(app: &mut App, path: String, names: Vec<String>) -> Vec<Effect> {
    if let Some(Overlay::Import(v)) = &mut app.overlay
        && let ImportView::Path(p) = &mut **v
    {
        p.input = TextArea::new(vec![path]);
        p.input.move_cursor(ratatui_textarea::CursorMove::End);
        p.error = if names.is_empty() && p.completions.is_empty() { None } else { p.error.take() };
        p.completions = names;
    }
    Vec::new()
}

/// The sentence the status line says after the import.
pub fn summary(o: &Outcome) -> String {
    let recorded = o.count(&[Kind::Payment]);
    let linked = o.count(&[Kind::Linked]);
    let aside = o.count(&[Kind::SetAside]);
    let mut parts = vec![format!("{recorded} payment{} recorded", if recorded == 1 { "" } else { "s" })];
    if linked > 0 {
        parts.push(format!("{linked} linked to payments recorded by hand"));
    }
    if aside > 0 {
        parts.push(format!("{aside} set aside"));
    }
    if !o.unmatched.is_empty() {
        parts.push(format!("{} left for later", o.unmatched.len()));
    }
    if o.unchanged > 0 {
        parts.push(format!("{} already in the book", o.unchanged));
    }
    format!("Statement imported: {}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_complete_as_far_as_the_names_agree() {
        let names: Vec<String> =
            ["bank-2026-11.xml", "bank-2026-12.xml", "books/", ".hidden"].map(String::from).to_vec();
        assert_eq!(
            complete("~/dl/bank", &names),
            ("~/dl/bank-2026-1".into(), vec!["bank-2026-11.xml".into(), "bank-2026-12.xml".into()])
        );
        assert_eq!(complete("boo", &names), ("books/".into(), vec![]));
        assert_eq!(complete("x", &names), ("x".into(), vec![]));
        assert_eq!(complete("", &names).1.len(), 3);
        assert_eq!(complete(".h", &names).0, ".hidden");
    }
}
