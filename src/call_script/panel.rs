//! The call-script panel's content: the script cut into sections, with the customer's last
//! relationship notes and the last call. The app draws it; nothing here knows about screens.
//!
//! In a rendered script a line `## opening` starts a section, a line `? …` is what the
//! customer may say, a line `-> …` is what to do, and every other line is what to say.

use crate::domain::format;
use chrono::NaiveDate;

use super::context::{ScriptContext, ScriptFacts};
use super::{ScriptError, ScriptLibrary};
use crate::domain::call::Call;
use crate::domain::customer::{Language, Note, Profile};
use crate::domain::policy::Step;

/// The sections of a call, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Opening,
    Why,
    Offer,
    Replies,
    Closing,
}

impl SectionKind {
    pub const ALL: [SectionKind; 5] = [
        SectionKind::Opening,
        SectionKind::Why,
        SectionKind::Offer,
        SectionKind::Replies,
        SectionKind::Closing,
    ];

    fn key(&self) -> &'static str {
        match self {
            SectionKind::Opening => "opening",
            SectionKind::Why => "why",
            SectionKind::Offer => "offer",
            SectionKind::Replies => "replies",
            SectionKind::Closing => "closing",
        }
    }

    /// The heading in the panel (in the user's language: the script is in the customer's).
    pub fn title(&self) -> &'static str {
        match self {
            SectionKind::Opening => "Opening",
            SectionKind::Why => "Ask why",
            SectionKind::Offer => "What you can offer",
            SectionKind::Replies => "If they say…",
            SectionKind::Closing => "Closing",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// What to say.
    Say,
    /// What the customer may say.
    Reply,
    /// What to do.
    Do,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub lines: Vec<ScriptLine>,
}

/// Everything the call-script panel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptPanel {
    /// The language of the script, and the customer's when settle has no script in it.
    pub language: Language,
    pub fallback_from: Option<Language>,
    pub step: Step,
    pub profile: Profile,
    pub sections: Vec<Section>,
    /// The newest relationship notes (at most three), newest first.
    pub notes: Vec<(NaiveDate, String)>,
    /// The last call, in one line.
    pub last_call: Option<String>,
}

/// Cuts a rendered script into its sections.
pub fn parse_sections(text: &str) -> Result<Vec<Section>, String> {
    let mut sections: Vec<Section> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(key) = line.strip_prefix("## ") {
            let kind = SectionKind::ALL.into_iter().find(|k| k.key() == key.trim()).ok_or_else(|| {
                format!(
                    "line {}: unknown section '{}' (opening, why, offer, replies, closing)",
                    n + 1,
                    key.trim()
                )
            })?;
            sections.push(Section { kind, lines: Vec::new() });
            continue;
        }
        let (kind, text) = if let Some(t) = line.strip_prefix("? ") {
            (LineKind::Reply, t)
        } else if let Some(t) = line.strip_prefix("-> ") {
            (LineKind::Do, t)
        } else {
            (LineKind::Say, line)
        };
        let section =
            sections.last_mut().ok_or_else(|| format!("line {}: text before the first section", n + 1))?;
        section.lines.push(ScriptLine { kind, text: text.trim().to_string() });
    }
    Ok(sections)
}

/// The last call in one line: "Mon 23 Nov 2026, spoke with Jan: promise to pay. Note".
pub fn describe_call(call: &Call) -> String {
    let who = match (call.reached, call.with.as_deref().map(str::trim)) {
        (true, Some(w)) if !w.is_empty() => format!("spoke with {w}"),
        (true, _) => "reached".into(),
        (false, _) => "not reached".into(),
    };
    let mut s =
        format!("{}, {who}: {}", format::weekday_year(call.on), call.outcome.label().to_ascii_lowercase());
    if let Some(f) = call.follow_up {
        s.push_str(&format!(", next contact {}", format::weekday(f)));
    }
    if let Some(p) = call.claimed_paid_on {
        s.push_str(&format!(", says paid on {}", format::day_month(p)));
    }
    if let Some(r) = call.claimed_reference.as_deref().filter(|r| !r.is_empty()) {
        s.push_str(&format!(" (ref. {r})"));
    }
    if !call.note.trim().is_empty() {
        s.push_str(&format!(". {}", call.note.trim()));
    }
    s
}

/// The panel for an invoice: its script for the step it is on, in the customer's language,
/// the customer's newest notes and the last call.
pub fn script_panel(
    lib: &ScriptLibrary,
    facts: &ScriptFacts,
    notes: &[Note],
    last_call: Option<&Call>,
    today: NaiveDate,
) -> Result<ScriptPanel, ScriptError> {
    let wanted = facts.customer.language;
    let language = ScriptLibrary::language_for(wanted);
    let ctx = ScriptContext::new(facts, language, today);
    let text = lib.script_text(facts.step, language, &ctx)?;
    let file = format!("scripts/{language}/{}.txt", facts.step);
    let sections =
        parse_sections(&text).map_err(|message| ScriptError::File { file: lib.label(&file), message })?;
    let mut newest: Vec<&Note> = notes.iter().collect();
    newest.sort_by_key(|n| std::cmp::Reverse((n.on, n.id)));
    Ok(ScriptPanel {
        language,
        fallback_from: (language != wanted).then_some(wanted),
        step: facts.step,
        profile: facts.customer.profile,
        sections,
        notes: newest.into_iter().take(3).map(|n| (n.on, n.body.clone())).collect(),
        last_call: last_call.map(describe_call),
    })
}
