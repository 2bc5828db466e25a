//! What the letter and call-script templates share: how much work one rendering may do,
//! what a template that does more is told, and how a written subject line starts.

use crate::domain::customer::Language;

/// The most work one rendering may do: minijinja's fuel, about one unit per instruction
/// and per 64 bytes of text made. The longest shipped letter takes under 300; this bound
/// stops a template with runaway loops within milliseconds (and its output at about 6 MB)
/// with a clear error instead of hanging every command that loads it.
pub const FUEL: u64 = 100_000;

/// What a template that ran out of fuel is told.
pub fn out_of_fuel() -> String {
    format!(
        "the template takes too long to render (more than {FUEL} steps): a loop inside a loop, or a \
         very long text? Simplify it"
    )
}

/// How a subject line starts in each language (a letter, a call confirmation).
pub fn subject_prefix(lang: Language) -> &'static str {
    match lang {
        Language::En => "Subject: ",
        Language::Nl => "Onderwerp: ",
        Language::Fr => "Objet : ",
        Language::De => "Betreff: ",
    }
}
