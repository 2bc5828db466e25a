//! Call scripts and call-confirmation emails, rendered with minijinja from the templates in
//! `assets/scripts/<lang>/` and `assets/confirmations/<lang>/` (English, Dutch, French; other
//! languages fall back to English). Files of the same name under a user directory override
//! the shipped ones. Every template is checked when it is loaded: a syntax error or a field
//! that does not exist is refused with the file and the line, before anything is rendered.

mod confirm;
mod context;
mod panel;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::domain::customer::Language;
use crate::domain::policy::Step;

pub use confirm::{Confirmation, confirmation_for};
pub use context::{ConfirmContext, ConfirmInstalment, ScriptContext, ScriptFacts, current_step};
pub use panel::{
    LineKind, ScriptLine, ScriptPanel, Section, SectionKind, describe_call, parse_sections, script_panel,
};

/// The languages settle ships scripts and confirmations in.
pub const LANGUAGES: [Language; 3] = [Language::En, Language::Nl, Language::Fr];

macro_rules! shipped {
    ($($dir:literal / $lang:literal / $name:literal),* $(,)?) => {
        &[$((concat!($dir, "/", $lang, "/", $name, ".txt"),
             include_str!(concat!("../../assets/", $dir, "/", $lang, "/", $name, ".txt")))),*]
    };
}

macro_rules! per_language {
    ($($lang:literal),*) => {
        shipped!($(
            "scripts" / $lang / "base", "scripts" / $lang / "nudge", "scripts" / $lang / "reminder",
            "scripts" / $lang / "call", "scripts" / $lang / "firm_reminder",
            "scripts" / $lang / "formal_notice", "scripts" / $lang / "agency",
            "confirmations" / $lang / "agreement"
        ),*)
    };
}

/// The shipped templates: (name, source).
const SHIPPED: &[(&str, &str)] = per_language!("en", "nl", "fr");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    #[error("{file}, line {line}: {message}")]
    Template { file: String, line: usize, message: String },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// The loaded and checked templates.
pub struct ScriptLibrary {
    env: Environment<'static>,
    /// Where each template came from, for error messages.
    files: HashMap<String, String>,
}

/// The field names a context type offers (the keys it serializes to).
fn fields_of<T: Serialize + Default>() -> BTreeSet<String> {
    match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => BTreeSet::new(),
    }
}

impl std::fmt::Debug for ScriptLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptLibrary").field("templates", &self.files.len()).finish()
    }
}

impl ScriptLibrary {
    /// The shipped templates only.
    pub fn shipped() -> Result<ScriptLibrary, ScriptError> {
        ScriptLibrary::load(None)
    }

    /// The shipped templates, each replaced by the file of the same name under `user_dir`
    /// (`<user_dir>/scripts/nl/call.txt`…) when there is one.
    pub fn load(user_dir: Option<&Path>) -> Result<ScriptLibrary, ScriptError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(crate::domain::template::FUEL));
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .map_err(|e| ScriptError::File { file: "syntax".into(), message: e.to_string() })?,
        );
        // `{% extends "base.txt" %}` names a template of the same directory.
        env.set_path_join_callback(|name, parent| match parent.rsplit_once('/') {
            Some((dir, _)) if !name.contains('/') => format!("{dir}/{name}").into(),
            _ => name.into(),
        });
        let mut files = HashMap::new();
        for (name, source) in SHIPPED {
            let user: Option<PathBuf> = user_dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let (label, text) = match user {
                Some(p) => {
                    let text = std::fs::read_to_string(&p).map_err(|e| ScriptError::File {
                        file: p.display().to_string(),
                        message: e.to_string(),
                    })?;
                    (p.display().to_string(), text)
                }
                None => (format!("assets/{name}"), (*source).to_string()),
            };
            env.add_template_owned(name.to_string(), text).map_err(|e| ScriptError::Template {
                file: label.clone(),
                line: e.line().unwrap_or(0),
                message: e.detail().unwrap_or("syntax error").to_string(),
            })?;
            files.insert(name.to_string(), label);
        }
        let lib = ScriptLibrary { env, files };
        lib.check()?;
        Ok(lib)
    }

    /// Refuses a template naming a field its context does not have, then renders each one
    /// once with empty values to catch unknown filters and broken inheritance.
    fn check(&self) -> Result<(), ScriptError> {
        let script = fields_of::<ScriptContext>();
        let confirm = fields_of::<ConfirmContext>();
        for (name, _) in SHIPPED {
            let tmpl = self.env.get_template(name).map_err(|e| self.error(name, &e))?;
            let known = if name.starts_with("scripts/") { &script } else { &confirm };
            let mut unknown: Vec<String> =
                tmpl.undeclared_variables(false).into_iter().filter(|v| !known.contains(v)).collect();
            unknown.sort();
            if let Some(field) = unknown.first() {
                let line = tmpl.source().lines().position(|l| mentions(l, field)).map_or(0, |i| i + 1);
                return Err(ScriptError::Template {
                    file: self.label(name),
                    line,
                    message: format!(
                        "unknown field '{field}' (known: {})",
                        known.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                });
            }
            let rendered = if name.starts_with("scripts/") {
                self.render(name, &ScriptContext::default())
            } else {
                self.render(name, &ConfirmContext::default())
            };
            rendered?;
        }
        Ok(())
    }

    fn label(&self, name: &str) -> String {
        self.files.get(name).cloned().unwrap_or_else(|| name.to_string())
    }

    fn error(&self, name: &str, e: &minijinja::Error) -> ScriptError {
        let at = e.name().unwrap_or(name);
        let message = match e.kind() {
            minijinja::ErrorKind::OutOfFuel => crate::domain::template::out_of_fuel(),
            _ => e.detail().map_or_else(|| e.kind().to_string(), str::to_string),
        };
        ScriptError::Template { file: self.label(at), line: e.line().unwrap_or(0), message }
    }

    fn render<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String, ScriptError> {
        let tmpl = self.env.get_template(name).map_err(|e| self.error(name, &e))?;
        tmpl.render(Value::from(Serde(ctx))).map_err(|e| self.error(name, &e))
    }

    /// The language a template family is written in for a customer: theirs when settle
    /// ships it, else English.
    pub fn language_for(wanted: Language) -> Language {
        if LANGUAGES.contains(&wanted) { wanted } else { Language::En }
    }

    /// The call script text for a step, in the context's language.
    pub fn script_text(
        &self,
        step: Step,
        lang: Language,
        ctx: &ScriptContext,
    ) -> Result<String, ScriptError> {
        let lang = ScriptLibrary::language_for(lang);
        self.render(&format!("scripts/{lang}/{step}.txt"), ctx)
    }

    /// The call-confirmation email text (subject line first), in the context's language.
    pub fn confirmation_text(&self, lang: Language, ctx: &ConfirmContext) -> Result<String, ScriptError> {
        let lang = ScriptLibrary::language_for(lang);
        self.render(&format!("confirmations/{lang}/agreement.txt"), ctx)
    }
}

/// Whether a template line uses `field` as a name (not as part of a longer one).
fn mentions(line: &str, field: &str) -> bool {
    line.match_indices(field).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + field.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        !ident(before) && !ident(after)
    })
}

#[cfg(test)]
mod tests;
