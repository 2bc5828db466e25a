//! Letters: templates per language and step (`assets/letters/<lang>/<kind>.txt`, overridden
//! by `letters/<lang>/<kind>.txt` in the config directory), rendered with minijinja.
//!
//! Undefined fields are errors (strict mode), and every template is checked when loaded:
//! each field it names must be a known one, and it must render against sample contexts.
//! A template naming an unknown field is refused at start-up, never a blank in a letter.

pub mod context;
pub mod epc;
pub mod format;
pub mod group;
pub mod mail;
pub mod mentions;
pub mod pdf;
mod samples;
pub mod send;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};

use crate::domain::customer::Language;
use crate::domain::policy::Step;
use crate::domain::str_enum;
use crate::domain::template;
pub use context::{CallFacts, LetterContext};

str_enum!(
    /// A letter settle writes.
    LetterKind {
        Nudge => "nudge",
        Reminder => "reminder",
        FirmReminder => "firm_reminder",
        FormalNotice => "formal_notice",
        CallConfirmation => "call_confirmation",
        ThankYou => "thank_you",
        AgencyCover => "agency_cover",
        Claim => "claim",
    }
);

impl LetterKind {
    /// The letter that goes with a ladder step (a call is confirmed in writing).
    pub fn for_step(step: Step) -> LetterKind {
        match step {
            Step::Nudge => LetterKind::Nudge,
            Step::Reminder => LetterKind::Reminder,
            Step::Call => LetterKind::CallConfirmation,
            Step::FirmReminder => LetterKind::FirmReminder,
            Step::FormalNotice => LetterKind::FormalNotice,
            Step::Agency => LetterKind::AgencyCover,
        }
    }

    /// The ladder step sending this letter completes (none for a call confirmation or a
    /// thank-you).
    pub fn step(&self) -> Option<Step> {
        match self {
            LetterKind::Nudge => Some(Step::Nudge),
            LetterKind::Reminder => Some(Step::Reminder),
            LetterKind::FirmReminder => Some(Step::FirmReminder),
            LetterKind::FormalNotice => Some(Step::FormalNotice),
            LetterKind::AgencyCover => Some(Step::Agency),
            LetterKind::CallConfirmation | LetterKind::ThankYou | LetterKind::Claim => None,
        }
    }

    /// Parses a letter name, also accepting the step names `call` and `agency`.
    pub fn parse(s: &str) -> Result<LetterKind, crate::domain::UnknownName> {
        match s.trim().to_ascii_lowercase().as_str() {
            "call" => Ok(LetterKind::CallConfirmation),
            "agency" => Ok(LetterKind::AgencyCover),
            "thanks" | "thank-you" => Ok(LetterKind::ThankYou),
            "interest" | "charges" => Ok(LetterKind::Claim),
            _ => s.parse(),
        }
    }
}

macro_rules! shipped {
    ($($lang:literal => [$($kind:literal),*]),*) => {
        &[$($(($lang, $kind, include_str!(concat!("../../assets/letters/", $lang, "/", $kind, ".txt"))),)*)*]
    };
}

/// The templates shipped in `assets/letters/`.
const SHIPPED: &[(&str, &str, &str)] = shipped!(
    "en" => ["nudge", "reminder", "firm_reminder", "formal_notice", "call_confirmation", "thank_you", "agency_cover", "claim"],
    "nl" => ["nudge", "reminder", "firm_reminder", "formal_notice", "call_confirmation", "thank_you", "agency_cover", "claim"],
    "fr" => ["nudge", "reminder", "firm_reminder", "formal_notice", "call_confirmation", "thank_you", "agency_cover", "claim"]
);

/// Parts the letters include (`{% include "en/_claim" %}`), so a rule's wording exists once
/// per language: the consumer's first-reminder mentions and the computation of a claim.
/// A file of the same name in the user's folder replaces one.
const PARTS: &[&str] = &["_consumer", "_claim"];

macro_rules! parts {
    ($($lang:literal),*) => {
        &[$(
            ($lang, "_consumer", include_str!(concat!("../../assets/letters/", $lang, "/_consumer.txt"))),
            ($lang, "_claim", include_str!(concat!("../../assets/letters/", $lang, "/_claim.txt"))),
        )*]
    };
}

const SHIPPED_PARTS: &[(&str, &str, &str)] = parts!("en", "nl", "fr");

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("{}: {why}", path.display())]
    Io { path: PathBuf, why: std::io::Error },
    #[error("{file}{}: {message}", line.map_or(String::new(), |l| format!(":{l}")))]
    Template { file: String, line: Option<usize>, message: String },
    #[error("no {kind} template for language {lang} (nor in English)")]
    Missing { kind: LetterKind, lang: Language },
}

/// A rendered letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub kind: LetterKind,
    pub lang: Language,
    pub subject: String,
    pub body: String,
    /// The template file it came from.
    pub template: String,
    /// For a consumer's first reminder: the mentions the law requires that it lacks (none:
    /// it starts the consumer's 14 days once sent). `None` for any other letter.
    pub lacks: Option<Vec<String>>,
}

impl Letter {
    /// The letter as one text: the subject line in the letter's language ("Subject: …",
    /// "Onderwerp: …", "Objet : …"), a blank line, the body.
    pub fn text(&self) -> String {
        format!("{}{}\n\n{}", template::subject_prefix(self.lang), self.subject, self.body)
    }
}

impl From<&crate::call_script::Confirmation> for Letter {
    /// The confirmation of a phone agreement as a letter (a call confirmation), to email it
    /// with its PDF as any letter goes.
    fn from(c: &crate::call_script::Confirmation) -> Letter {
        Letter {
            kind: LetterKind::CallConfirmation,
            lang: c.language,
            subject: c.subject.clone(),
            body: format!("{}\n", c.body),
            template: "confirmation".into(),
            lacks: None,
        }
    }
}

/// What a template's first line may start with: the subject word of any language.
const SUBJECT_WORDS: &[&str] = &["Subject", "Onderwerp", "Objet", "Betreff"];

/// The refusal of a template whose first line is not a subject.
const SUBJECT_FIRST: &str =
    "the first line must be the subject: 'Subject: …' (or 'Onderwerp: …', 'Objet : …', 'Betreff: …')";

/// Every template, loaded and checked.
pub struct Letters {
    env: Environment<'static>,
    /// Template name (`en/reminder`) → the file it was read from.
    origins: BTreeMap<String, String>,
}

impl std::fmt::Debug for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Letters").field("origins", &self.origins).finish()
    }
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(template::FUEL));
    // The syntax is the default one; only the whitespace rules change. Building it cannot
    // fail with the default delimiters, and if it ever did the default syntax still works.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env
}

impl Letters {
    /// The shipped templates only.
    pub fn shipped() -> Result<Letters, LetterError> {
        Letters::load(None)
    }

    /// The shipped templates with the user's from `dir` (`<dir>/<lang>/<kind>.txt`) on top.
    /// A file there that is not a letter, or any template that fails its checks, is refused.
    pub fn load(dir: Option<&Path>) -> Result<Letters, LetterError> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (lang, kind, text) in SHIPPED.iter().chain(SHIPPED_PARTS) {
            sources.insert(
                format!("{lang}/{kind}"),
                (format!("assets/letters/{lang}/{kind}.txt"), text.to_string()),
            );
        }
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            read_user_templates(dir, &mut sources)?;
        }
        let mut env = env();
        let mut origins = BTreeMap::new();
        let known = known_fields();
        for (name, (file, text)) in sources {
            env.add_template_owned(name.clone(), text.clone()).map_err(|e| template_error(&file, &e))?;
            // The shipped templates are checked by the tests (`verify`); checking them at
            // every start would cost a few milliseconds for nothing.
            if !file.starts_with("assets/") {
                check(&env, &known, &name, &file, &text)?;
            }
            origins.insert(name, file);
        }
        Ok(Letters { env, origins })
    }

    /// Runs the load-time checks on every template, the shipped ones included.
    pub fn verify(&self) -> Result<(), LetterError> {
        let known = known_fields();
        for (name, file) in &self.origins {
            let tmpl = self.env.get_template(name).map_err(|e| template_error(file, &e))?;
            check(&self.env, &known, name, file, tmpl.source())?;
        }
        Ok(())
    }

    /// The template file used for a letter, after the language fallback.
    pub fn template_for(&self, kind: LetterKind, lang: Language) -> Option<(&str, Language)> {
        [lang, Language::En]
            .into_iter()
            .find_map(|l| self.origins.get(&format!("{l}/{kind}")).map(|file| (file.as_str(), l)))
    }

    /// Renders a letter in `lang` (English when that language has no such template).
    pub fn render(
        &self,
        kind: LetterKind,
        lang: Language,
        ctx: &LetterContext,
    ) -> Result<Letter, LetterError> {
        let (file, used) = self.template_for(kind, lang).ok_or(LetterError::Missing { kind, lang })?;
        let tmpl = self.env.get_template(&format!("{used}/{kind}")).map_err(|e| template_error(file, &e))?;
        let text = tmpl
            .render(minijinja::Value::from(minijinja::value::Serde(ctx)))
            .map_err(|e| template_error(file, &e))?;
        let (subject, body) = split_subject(&text).ok_or_else(|| LetterError::Template {
            file: file.to_string(),
            line: Some(1),
            message: SUBJECT_FIRST.into(),
        })?;
        Ok(Letter { kind, lang: used, subject, body, template: file.to_string(), lacks: None })
    }
}

impl Letters {
    /// Renders a part letters include (`_consumer`, `_claim`) on its own, in `lang` (English
    /// when that language has none): the grouped letter repeats it per invoice.
    pub fn render_part(
        &self,
        part: &str,
        lang: Language,
        ctx: &LetterContext,
    ) -> Result<String, LetterError> {
        let (name, file) = [lang, Language::En]
            .into_iter()
            .find_map(|l| {
                let name = format!("{l}/{part}");
                self.origins.get(&name).map(|file| (name, file.clone()))
            })
            .ok_or_else(|| LetterError::Template {
                file: format!("{lang}/{part}.txt"),
                line: None,
                message: "no such part".into(),
            })?;
        let tmpl = self.env.get_template(&name).map_err(|e| template_error(&file, &e))?;
        tmpl.render(minijinja::Value::from(minijinja::value::Serde(ctx)))
            .map_err(|e| template_error(&file, &e))
    }
}

fn read_user_templates(
    dir: &Path,
    sources: &mut BTreeMap<String, (String, String)>,
) -> Result<(), LetterError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |why| LetterError::Io { path, why }
    };
    for lang_entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let lang_dir = lang_entry.map_err(io(dir))?.path();
        let Some(lang_name) = lang_dir.file_name().and_then(|n| n.to_str()).map(String::from) else {
            continue;
        };
        if !lang_dir.is_dir() {
            continue;
        }
        let lang: Language =
            lang_name.parse().map_err(|e: crate::domain::UnknownName| LetterError::Template {
                file: lang_dir.display().to_string(),
                line: None,
                message: format!("not a letter language folder: {e}"),
            })?;
        for entry in std::fs::read_dir(&lang_dir).map_err(io(&lang_dir))? {
            let path = entry.map_err(io(&lang_dir))?.path();
            let file = path.display().to_string();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let is_txt = path.extension().and_then(|e| e.to_str()) == Some("txt");
            if is_txt && PARTS.contains(&stem) {
                let text = std::fs::read_to_string(&path).map_err(io(&path))?;
                sources.insert(format!("{lang}/{stem}"), (file, text));
                continue;
            }
            let kind: LetterKind = match (is_txt, stem.parse::<LetterKind>()) {
                (true, Ok(k)) => k,
                (_, Err(e)) if is_txt => {
                    return Err(LetterError::Template {
                        file,
                        line: None,
                        message: format!("not a letter name: {e}"),
                    });
                }
                _ => continue,
            };
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            sources.insert(format!("{lang}/{kind}"), (file, text));
        }
    }
    Ok(())
}

fn template_error(file: &str, e: &minijinja::Error) -> LetterError {
    if e.kind() == minijinja::ErrorKind::OutOfFuel {
        return LetterError::Template {
            file: file.to_string(),
            line: e.line(),
            message: template::out_of_fuel(),
        };
    }
    let mut message = e.detail().map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    if let Some(inner) = std::error::Error::source(e) {
        message.push_str(&format!(" ({inner})"));
    }
    LetterError::Template { file: file.to_string(), line: e.line(), message }
}

/// Subject (first line, without its `Subject:`, `Onderwerp:`, `Objet :` or `Betreff:`) and
/// body of a rendered letter.
fn split_subject(text: &str) -> Option<(String, String)> {
    let text = text.trim_start_matches('\n');
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let subject = SUBJECT_WORDS
        .iter()
        .find_map(|w| first.strip_prefix(w).map(str::trim_start).and_then(|r| r.strip_prefix(':')))?
        .trim()
        .to_string();
    Some((subject, rest.trim_start_matches('\n').trim_end().to_string() + "\n"))
}

/// Every field path a template may name (`invoice.number`, `claim.interest_lines`, …).
pub fn known_fields() -> BTreeSet<String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
        if let serde_json::Value::Object(map) = v {
            for (k, child) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                walk(&path, child, out);
                out.insert(path);
            }
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(samples::sample(true)) {
        walk("", &v, &mut out);
    }
    out
}

/// Checks one template: every field it names is known, and it renders (strict) against the
/// sample contexts, full and empty, starting with its subject line.
fn check(
    env: &Environment<'static>,
    known: &BTreeSet<String>,
    name: &str,
    file: &str,
    text: &str,
) -> Result<(), LetterError> {
    let tmpl = env.get_template(name).map_err(|e| template_error(file, &e))?;
    let mut unknown: Vec<String> =
        tmpl.undeclared_variables(true).into_iter().filter(|v| !known.contains(v)).collect();
    unknown.sort();
    if let Some(field) = unknown.first() {
        let line = text.find(field.as_str()).map(|at| text[..at].matches('\n').count() + 1);
        return Err(LetterError::Template {
            file: file.to_string(),
            line,
            message: format!("unknown field '{field}' (see the README for the fields a letter can use)"),
        });
    }
    let part = name.contains("/_");
    for full in [true, false] {
        let rendered = tmpl
            .render(minijinja::Value::from(minijinja::value::Serde(samples::sample(full))))
            .map_err(|e| template_error(file, &e))?;
        if !part && split_subject(&rendered).is_none() {
            return Err(LetterError::Template {
                file: file.to_string(),
                line: Some(1),
                message: SUBJECT_FIRST.into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
