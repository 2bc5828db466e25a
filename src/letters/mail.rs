//! A letter by email: the MIME message with the letter's PDF attached ([`compose`]), sent over SMTP and recorded as sent
//! only once the server took it ([`send_and_mark`]), written as an `.eml` file
//! ([`write_eml`]), or handed to the user's mail client as a `mailto:` URL ([`mailto`]).
//!
//! The app's "send by email" key and `settle letter --send` both call [`send_and_mark`].

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{SmtpTransport, Transport};

use super::Letter;
use super::context::LetterContext;
use super::send::{Saved, record, safe_name};
use crate::config::Config;
use crate::config::smtp::{Security, Smtp};
use crate::domain::event::Channel;
use crate::service::CaseFile;
use crate::store::Store;

/// How long settle waits for the mail server before giving up.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A letter as an email, with the Message-ID it carries.
#[derive(Debug, Clone)]
pub struct Email {
    pub message: Message,
    /// Without the angle brackets: `settle.F-2026-001.…@example.be`.
    pub message_id: String,
    /// The customer's address.
    pub to: String,
}

impl Email {
    /// The RFC 5322 message, as sent.
    pub fn bytes(&self) -> Vec<u8> {
        self.message.formatted()
    }
}

/// `Content-Language` (RFC 3282): the letter's language.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.trim().to_string()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Why a letter cannot go by email, in the user's words; each front-end adds how to give
/// what is missing (the command line its options, the app its keys).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("{customer} has no email address")]
    NoEmail { customer: String },
    #[error("the PDF of invoice {number} cannot be attached: {why}")]
    PdfUnreadable { number: String, why: String },
    #[error("no [smtp] table in {}: add one to send letters by email (see the README)", config.display())]
    NoSmtp { config: std::path::PathBuf },
}

/// The customer's email address, or why there is none.
fn recipient(case: &CaseFile) -> Result<Mailbox> {
    let c = &case.customer;
    let Some(address) = c.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) else {
        return Err(MailError::NoEmail { customer: c.name.clone() }.into());
    };
    let address = address.parse().map_err(|e| anyhow!("{}'s email address '{address}': {e}", c.name))?;
    Ok(Mailbox::new(Some(c.name.clone()), address))
}

/// The sender: `[smtp] from`, else `[me] email` (with the name letters are signed with).
fn sender(config: &Config) -> Result<Mailbox> {
    if let Some(smtp) = &config.smtp {
        return smtp.from.parse().map_err(|e| anyhow!("[smtp] from = '{}': {e}", smtp.from));
    }
    let email = config.me.email.trim();
    if email.is_empty() {
        bail!("no sender address: set from under [smtp] (or email under [me]) in {}", config.path.display());
    }
    let address = email.parse().map_err(|e| anyhow!("[me] email = '{email}': {e}"))?;
    let name = config.me.sender().trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_string()), address))
}

/// The letter as a MIME email to the customer: plain text in UTF-8 in the letter's language
/// and its PDF attached, with its subject,
/// `Date`, a fresh `Message-ID` and `Reply-To` from `[me] email`.
pub fn compose(config: &Config, case: &CaseFile, letter: &Letter) -> Result<Email> {
    let call = super::context::last_call(case);
    let ctx = super::context::build(case, config, letter.kind, letter.lang, Channel::Email, &call);
    compose_for(config, std::slice::from_ref(case), letter, &ctx)
}

/// [`compose`] with the PDF laid out from `ctx` (a customer's grouped letter gives its own),
/// named, as the Message-ID, after `ctx.invoice.number`, to the customer of the first of
/// `cases`, with the own PDF of each of them that has one.
pub(super) fn compose_for(
    config: &Config,
    cases: &[CaseFile],
    letter: &Letter,
    ctx: &LetterContext,
) -> Result<Email> {
    let Some(case) = cases.first() else { bail!("no invoice to write about") };
    let to = recipient(case)?;
    let from = sender(config)?;
    let domain = from.email.domain().to_string();
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let message_id = format!(
        "settle.{}.{}.{}.{}@{domain}",
        safe_name(&ctx.invoice.number),
        letter.kind,
        stamp.as_nanos(),
        std::process::id()
    );
    let mut builder = Message::builder()
        .from(from)
        .to(to.clone())
        .subject(letter.subject.clone())
        .date_now()
        .message_id(Some(format!("<{message_id}>")))
        .header(ContentLanguage(letter.lang.as_str().to_string()));
    let me = config.me.email.trim();
    if !me.is_empty() {
        let reply: lettre::Address = me.parse().map_err(|e| anyhow!("[me] email = '{me}': {e}"))?;
        let name = config.me.sender().trim();
        builder = builder.reply_to(Mailbox::new((!name.is_empty()).then(|| name.to_string()), reply));
    }
    // The letter as text, and as the PDF `--pdf` writes, attached.
    let pdf = super::pdf::render(ctx, letter)?;
    let name = format!("{}-{}.pdf", safe_name(&ctx.invoice.number), letter.kind);
    let pdf_type = ContentType::parse("application/pdf").map_err(|e| anyhow!("{e}"))?;
    let mut parts = MultiPart::mixed()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentLanguage(letter.lang.as_str().to_string()))
                .body(letter.body.clone()),
        )
        .singlepart(Attachment::new(name).body(pdf, pdf_type.clone()));
    // The invoices themselves, when their PDF is known: a file gone or no longer a PDF stops
    // here.
    for case in cases {
        if let Some((name, bytes)) = invoice_pdf(case)? {
            parts = parts.singlepart(Attachment::new(name).body(bytes, pdf_type.clone()));
        }
    }
    let message = builder.multipart(parts).context("the email could not be built")?;
    Ok(Email { message, message_id, to: to.email.to_string() })
}

/// The invoice's own PDF to attach, with its attachment's name (`<invoice>.pdf`), when its
/// path is known; a file gone or not a PDF is refused, naming it.
fn invoice_pdf(case: &CaseFile) -> Result<Option<(String, Vec<u8>)>> {
    let Some(path) = &case.pdf else { return Ok(None) };
    let bytes = crate::platform::files::read_pdf(path).map_err(|e| MailError::PdfUnreadable {
        number: case.invoice.number.clone(),
        why: format!("{e:#}"),
    })?;
    Ok(Some((format!("{}.pdf", safe_name(&case.invoice.number)), bytes)))
}

/// Writes the email to `path` (readable by you only) without sending it: any mail client
/// opens it. Returns the email.
pub fn write_eml(path: &Path, config: &Config, case: &CaseFile, letter: &Letter) -> Result<Email> {
    let email = compose(config, case, letter)?;
    let text = String::from_utf8(email.bytes()).map_err(|_| anyhow!("the email is not UTF-8"))?;
    super::send::write_private(path, &text)?;
    Ok(email)
}

/// A `mailto:` URL to the customer with the letter's subject and body (RFC 6068).
pub fn mailto(case: &CaseFile, letter: &Letter) -> Result<String> {
    let to = recipient(case)?;
    let body = letter.body.replace("\r\n", "\n").replace('\n', "\r\n");
    Ok(format!(
        "mailto:{}?subject={}&body={}",
        percent(to.email.as_ref(), b"@"),
        percent(&letter.subject, b""),
        percent(&body, b"")
    ))
}

/// Percent-encodes every byte but the unreserved ones (and `keep`).
fn percent(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What [`send_and_mark`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub to: String,
    pub message_id: String,
    /// The timeline event recorded (none for a letter that records nothing).
    pub event: Option<i64>,
}

/// An email ready to go: composed, and its letter known not to be recorded yet. Sending it
/// ([`Outgoing::deliver`]) needs no book, so it may run on another thread.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub email: Email,
    smtp: Smtp,
}

/// Composes the letter's email and checks, before anything goes out, that `[smtp]` is set
/// and that the letter would be recorded (a step already recorded is refused). Nothing is
/// written.
pub fn prepare(store: &Store, config: &Config, case: &CaseFile, letter: &Letter) -> Result<Outgoing> {
    let smtp = smtp(config)?;
    let email = compose(config, case, letter)?;
    super::send::check_sendable(store, case, letter, Channel::Email)?;
    Ok(Outgoing { email, smtp: smtp.clone() })
}

/// The `[smtp]` table, or what to add.
pub(super) fn smtp(config: &Config) -> Result<&Smtp> {
    config.smtp.as_ref().ok_or_else(|| MailError::NoSmtp { config: config.path.clone() }.into())
}

impl Outgoing {
    /// An email to send over `smtp`.
    pub(super) fn new(email: Email, smtp: &Smtp) -> Outgoing {
        Outgoing { email, smtp: smtp.clone() }
    }

    /// Sends the email over `[smtp]` (reading the password from its command or the keyring): the network only, no
    /// book. Any failure (the password command or keyring, connection, TLS, login, a refused recipient)
    /// says why.
    pub fn deliver(&self) -> Result<()> {
        let transport = transport(&self.smtp)?;
        transport
            .send(&self.email.message)
            .map(|_| ())
            .map_err(|e| anyhow!("{}", why(&self.smtp, &self.email.to, &e)))
    }

    /// Records the letter as sent by email today, with the Message-ID, in one transaction:
    /// once the server accepted it.
    pub fn record(&self, store: &Store, case: &CaseFile, letter: &Letter) -> Result<Sent> {
        self.record_with(store, case, letter, || Ok(()))
    }

    fn record_with(
        &self,
        store: &Store,
        case: &CaseFile,
        letter: &Letter,
        deliver: impl FnOnce() -> Result<()>,
    ) -> Result<Sent> {
        let note = format!("Message-ID <{}>", self.email.message_id);
        let Saved { event, .. } =
            record(store, case, letter, None, Channel::Email, None, Some(&note), deliver)?;
        Ok(Sent { to: self.email.to.clone(), message_id: self.email.message_id.clone(), event })
    }
}

/// Sends the letter to the customer over `[smtp]` and records it as sent by email today,
/// as `--mark-sent` does, with the Message-ID in the event. The step is recorded only once
/// the server accepted the message, in one transaction opened after it did (none is open
/// while the message goes); a letter already recorded is refused before anything is sent;
/// any failure (no address, the password command or keyring, connection, TLS, login, a refused
/// recipient) changes nothing and says why.
pub fn send_and_mark(store: &Store, config: &Config, case: &CaseFile, letter: &Letter) -> Result<Sent> {
    let out = prepare(store, config, case, letter)?;
    out.record_with(store, case, letter, || out.deliver())
}

/// The SMTP connection `[smtp]` describes, with the password from its command or the keyring.
pub(super) fn transport(smtp: &Smtp) -> Result<SmtpTransport> {
    let host = smtp.host.as_str();
    let builder = match smtp.security {
        Security::Starttls => SmtpTransport::starttls_relay(host),
        Security::Tls => SmtpTransport::relay(host),
        Security::None => Ok(SmtpTransport::builder_dangerous(host)),
    }
    .map_err(|e| anyhow!("[smtp] host {host}: {e}"))?;
    let mut builder = builder.port(smtp.port).timeout(Some(TIMEOUT));
    if let (Some(user), Some(password)) = (&smtp.user, smtp.password()?) {
        builder = builder.credentials(Credentials::new(user.clone(), password));
    }
    Ok(builder.build())
}

/// Why the server did not take the message, in a sentence (the server's words sanitised).
pub(super) fn why(smtp: &Smtp, to: &str, e: &lettre::transport::smtp::Error) -> String {
    let words = crate::domain::text::sanitise(&e.to_string()).lines().collect::<Vec<_>>().join(" ");
    let server = format!("{}:{}", smtp.host, smtp.port);
    let what = if e.is_tls() {
        format!("the secure connection to {server} failed")
    } else if e.is_timeout() {
        format!("{server} did not answer in time")
    } else if e.is_permanent() {
        format!("{server} refused the message (to {to}, or the login)")
    } else if e.is_transient() {
        format!("{server} turned the message away for now; try again later")
    } else {
        format!("could not deliver through {server}")
    };
    format!("not sent: {what}: {words}; nothing was recorded")
}
