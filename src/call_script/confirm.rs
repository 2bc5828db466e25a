//! The email that confirms in writing what was agreed on the phone, in the customer's
//! language. The template's first line is the subject; the rest is the body.

use super::context::ConfirmContext;
use super::{ScriptError, ScriptLibrary};
use crate::domain::agreement::Agreement;
use crate::domain::customer::{Customer, Language};
use crate::domain::invoice::Invoice;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub language: Language,
    pub subject: String,
    pub body: String,
}

impl Confirmation {
    /// Subject and body as one text, to copy into a mail program or save; the subject line
    /// in the email's language ("Onderwerp: …").
    pub fn to_text(&self) -> String {
        format!(
            "{}{}\n\n{}\n",
            crate::domain::template::subject_prefix(self.language),
            self.subject,
            self.body
        )
    }
}

/// The confirmation of an agreement, signed with `sender` (may be empty).
pub fn confirmation_for(
    lib: &ScriptLibrary,
    customer: &Customer,
    invoice: &Invoice,
    agreement: &Agreement,
    sender: &str,
) -> Result<Confirmation, ScriptError> {
    let language = ScriptLibrary::language_for(customer.language);
    let ctx = ConfirmContext::new(customer, invoice, agreement, language, sender);
    let text = lib.confirmation_text(language, &ctx)?;
    let text = text.trim_start();
    let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
    Ok(Confirmation { language, subject: subject.trim().to_string(), body: body.trim().to_string() })
}
