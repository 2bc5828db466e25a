//! The user's configuration: `config.toml` in the config directory (or `--config PATH` /
//! `SETTLE_CONFIG`), on top of the defaults shipped in `assets/`.
//!
//! A missing default file means the defaults. A file that is there is read whole or refused
//! whole: the first problem is reported with the file, line, column and reason, and nothing
//! runs on half a configuration.

mod raw;
pub mod smtp;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::customer::Profile;
use crate::domain::dates::parse_date;
use crate::domain::interest::{Jurisdiction, RateRow, RateTable};
use crate::domain::policy::{Ladder, LadderError, Policy, Step};
use raw::{Offsets, RawConfig, RawPolicy, RawRate, RawRates};

pub const POLICY_ASSET: &str = include_str!("../../assets/policy.toml");
pub const RATES_ASSET: &str = include_str!("../../assets/rates.toml");

/// Who the letters come from (`[me]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Identity {
    pub name: String,
    pub company: String,
    /// May span several lines.
    pub address: String,
    pub iban: Iban,
    pub bic: String,
    pub vat: String,
    /// The Belgian enterprise number (KBO/BCE), e.g. 0123.456.749; a Belgian VAT number
    /// gives it when this is left out.
    pub enterprise: String,
    pub email: String,
    pub phone: String,
}

impl Identity {
    /// Who signs: the company, else the name.
    pub fn sender(&self) -> &str {
        if self.company.trim().is_empty() { &self.name } else { &self.company }
    }

    /// The enterprise number as given, else read from a Belgian VAT number (BE + the same ten
    /// digits): "0123.456.749".
    pub fn enterprise_number(&self) -> String {
        if !self.enterprise.trim().is_empty() {
            return self.enterprise.trim().to_string();
        }
        let compact: String = self.vat.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        match compact.to_ascii_uppercase().strip_prefix("BE") {
            Some(d) if d.len() == 10 && d.chars().all(|c| c.is_ascii_digit()) => {
                format!("{}.{}.{}", &d[..4], &d[4..7], &d[7..])
            }
            _ => String::new(),
        }
    }

    /// What a consumer's first reminder must carry and `[me]` leaves out (Code of Economic
    /// Law art. XIX.2: the creditor's name, address and enterprise number; and where to pay).
    pub fn missing_for_consumers(&self, jurisdiction: Jurisdiction) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.sender().trim().is_empty() {
            missing.push("name");
        }
        if self.address.trim().is_empty() {
            missing.push("address");
        }
        if jurisdiction == Jurisdiction::Be && self.enterprise_number().is_empty() {
            missing.push("enterprise (the enterprise number)");
        }
        if self.iban.as_str().trim().is_empty() {
            missing.push("iban");
        }
        missing
    }
}

/// An IBAN whose check digits hold (or none at all), kept as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

impl Iban {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Iban> for String {
    fn from(i: Iban) -> String {
        i.0
    }
}

impl TryFrom<String> for Iban {
    type Error = String;
    fn try_from(s: String) -> Result<Iban, String> {
        let compact: String =
            s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact.is_empty() {
            return Ok(Iban(String::new()));
        }
        let shape_ok = compact.len() >= 15
            && compact.len() <= 34
            && compact.chars().all(|c| c.is_ascii_alphanumeric())
            && compact[..2].chars().all(|c| c.is_ascii_alphabetic());
        if !shape_ok {
            return Err(format!("'{s}' is not an IBAN (e.g. BE68 5390 0754 7034)"));
        }
        let rotated = format!("{}{}", &compact[4..], &compact[..4]);
        let rem = rotated.chars().fold(0u32, |acc, c| {
            let v = c.to_digit(36).unwrap_or(0);
            if v >= 10 { (acc * 100 + v) % 97 } else { (acc * 10 + v) % 97 }
        });
        if rem != 1 {
            return Err(format!("the IBAN '{s}' fails its check digits: a typo?"));
        }
        Ok(Iban(s.trim().to_string()))
    }
}

/// `[agreements]`: used by promises and instalment plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Agreements {
    /// Days after a promised day before the promise counts as broken.
    pub grace_days: u32,
    /// Days after an unanswered call before the next attempt, unless the call names a day.
    pub retry_days: u32,
}

impl Default for Agreements {
    fn default() -> Self {
        Agreements { grace_days: 2, retry_days: 2 }
    }
}

/// `[letters]`: the payment terms letters give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LetterSettings {
    /// The new payment term of the firm reminder, in days.
    pub firm_term_days: u32,
    /// The term of the formal notice, counted from its receipt.
    pub notice_term_days: u32,
}

impl Default for LetterSettings {
    fn default() -> Self {
        let terms = crate::domain::ladder::LetterTerms::default();
        LetterSettings { firm_term_days: terms.firm_days, notice_term_days: terms.notice_days }
    }
}

/// `[notify]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    /// How many days before the due date an invoice counts as "due soon" (default: the
    /// standard ladder's nudge, 3 days).
    pub due_soon_days: u32,
}

/// The whole configuration, checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, or would be.
    pub path: PathBuf,
    /// Whether that file exists (false: all defaults).
    pub found: bool,
    pub me: Identity,
    pub jurisdiction: Jurisdiction,
    pub policy: Policy,
    /// Per customer (by lower-case name): the three profile ladders with that customer's
    /// overrides applied.
    pub customer_policies: BTreeMap<String, Policy>,
    pub rates: RateTable,
    pub agreements: Agreements,
    pub notify: Notify,
    pub letters: LetterSettings,
    /// `[terms]`: what the contract with consumers provides.
    pub terms: crate::domain::claim::Terms,
    /// Where user letter templates live: `letters/<lang>/<step>.txt` beside the file.
    pub letters_dir: PathBuf,
    /// `[smtp]`: how letters are sent by email, if set.
    pub smtp: Option<smtp::Smtp>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {why}", path.display())]
    Io { path: PathBuf, why: std::io::Error },
    #[error("{}: no such configuration file (given by --config or SETTLE_CONFIG)", path.display())]
    Missing { path: PathBuf },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, column: usize, message: String },
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Reads TOML text, turning every problem into an error at its place.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_col(self.text, span.map_or(0, |s| s.start));
        ConfigError::Invalid { path: self.path.to_path_buf(), line, column, message: message.into() }
    }

    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ConfigError> {
        toml::from_str(self.text).map_err(|e| self.error(e.span(), e.message().trim().to_string()))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::from_text(Path::new("config.toml"), "")
            .unwrap_or_else(|e| unreachable!("the shipped defaults are valid: {e}"))
    }
}

impl Config {
    /// Loads the configuration: `explicit` (`--config` / `SETTLE_CONFIG`) must exist; the
    /// default file may be missing, which means the defaults.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<Config> {
        let path = crate::platform::paths::config(explicit)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut c = Config::from_text(&path, &text)?;
                c.found = true;
                Ok(c)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                Ok(Config::from_text(&path, "")?)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ConfigError::Missing { path }.into()),
            Err(why) => Err(ConfigError::Io { path, why }.into()),
        }
    }

    /// The configuration in `text`, as if read from `path`.
    pub fn from_text(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let defaults = shipped_policy()?;
        let rates = shipped_rates()?;
        let src = Source { path, text };
        let raw: RawConfig = src.parse()?;
        let mut policy = defaults;
        for (profile, table) in [
            (Profile::Trusted, &raw.ladder.trusted),
            (Profile::Standard, &raw.ladder.standard),
            (Profile::New, &raw.ladder.new),
        ] {
            if let Some(t) = table {
                let ladder = apply(&src, policy.ladder(profile), t, "")?;
                *ladder_mut(&mut policy, profile) = ladder;
            }
        }
        let mut customer_policies = BTreeMap::new();
        for (name, t) in &raw.ladder.customer {
            let mut p = policy.clone();
            for profile in Profile::ALL {
                let ladder = apply(&src, policy.ladder(*profile), t, &format!("for a {profile} customer, "))?;
                *ladder_mut(&mut p, *profile) = ladder;
            }
            customer_policies.insert(name.trim().to_lowercase(), p);
        }
        let user_rates = raw.rate.iter().map(|r| rate_row(&src, r)).collect::<Result<Vec<_>, _>>()?;
        let rates = RateTable::new(rates.into_iter().chain(user_rates))
            .map_err(|e| src.error(raw.rate.first().map(|r| r.span()), e.to_string()))?;
        let due_soon_days = match raw.notify.due_soon_days {
            Some(d) if *d.get_ref() > 60 => {
                return Err(src.error(Some(d.span()), "due_soon_days: at most 60 days before the due date"));
            }
            Some(d) => d.into_inner(),
            None => policy.standard.offset(Step::Nudge).map_or(3, |o| o.unsigned_abs()),
        };
        check_range(&src, "agreements.grace_days", raw.agreements.grace_days, 0, 30)?;
        check_range(&src, "agreements.retry_days", raw.agreements.retry_days, 1, 30)?;
        check_range(&src, "letters.firm_term_days", raw.letters.firm_term_days, 1, 90)?;
        check_range(&src, "letters.notice_term_days", raw.letters.notice_term_days, 1, 90)?;
        let smtp = raw.smtp.as_ref().map(|s| smtp_table(&src, s)).transpose()?;
        Ok(Config {
            path: path.to_path_buf(),
            found: false,
            me: raw.me,
            jurisdiction: raw.jurisdiction.unwrap_or_default(),
            policy,
            customer_policies,
            rates,
            agreements: raw.agreements,
            notify: Notify { due_soon_days },
            letters: raw.letters,
            terms: raw.terms,
            letters_dir: path.parent().unwrap_or(Path::new(".")).join("letters"),
            smtp,
        })
    }

    /// What letters lack when the `[me]` table leaves out who is writing and where to pay:
    /// said before such a letter is sent, since it would be signed by nobody.
    pub fn identity_note(&self) -> Option<String> {
        let me = &self.me;
        let mut missing = Vec::new();
        if me.name.trim().is_empty() && me.company.trim().is_empty() {
            missing.push("name");
        }
        if me.iban.as_str().trim().is_empty() {
            missing.push("iban");
        }
        (!missing.is_empty()).then(|| {
            format!(
                "your {} {} not set: add {} under [me] in {}; until then letters leave {} blank",
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" },
                if missing.len() == 1 { "it" } else { "them" },
                self.path.display(),
                if missing.len() == 1 { "it" } else { "them" }
            )
        })
    }

    /// The ladder for a customer: their own overrides, else their profile's.
    pub fn ladder_for(&self, customer: &str, profile: Profile) -> &Ladder {
        self.customer_policies.get(&customer.trim().to_lowercase()).unwrap_or(&self.policy).ladder(profile)
    }

    /// The terms a customer's letters give (`consumer`: a private person).
    pub fn letter_terms(&self, consumer: bool) -> crate::domain::ladder::LetterTerms {
        crate::domain::ladder::LetterTerms {
            jurisdiction: self.jurisdiction,
            firm_days: self.letters.firm_term_days,
            notice_days: self.letters.notice_term_days,
            consumer,
        }
    }
}

fn check_range(src: &Source<'_>, key: &str, value: u32, min: u32, max: u32) -> Result<(), ConfigError> {
    if value < min || value > max {
        let (table, field) = key.split_once('.').unwrap_or(("", key));
        let at = src.text.find(&format!("[{table}]")).and_then(|t| src.text[t..].find(field).map(|f| t + f));
        return Err(
            src.error(at.map(|a| a..a), format!("{key} = {value}: give a number from {min} to {max}"))
        );
    }
    Ok(())
}

/// `[smtp]`, checked: a host and a sender address, and encryption unless the server is on
/// this machine.
fn smtp_table(src: &Source<'_>, raw: &toml::Spanned<smtp::RawSmtp>) -> Result<smtp::Smtp, ConfigError> {
    let table = raw.get_ref();
    if let Some(p) = &table.password {
        return Err(src.error(
            Some(p.span()),
            "smtp.password: settle never keeps a password in its configuration; give password_command, the command that prints it (e.g. \"pass show mail/smtp\"), or password_keyring = true and store it with `settle config smtp-password`",
        ));
    }
    let host = match &table.host {
        Some(h) if !h.get_ref().trim().is_empty() => h.get_ref().trim().to_string(),
        Some(h) => return Err(src.error(Some(h.span()), "smtp.host is empty: name the mail server")),
        None => {
            return Err(
                src.error(Some(raw.span()), "[smtp] needs host: the mail server, e.g. smtp.example.be")
            );
        }
    };
    let from = match &table.from {
        Some(f) => {
            let text = f.get_ref().trim();
            if text.parse::<lettre::message::Mailbox>().is_err() {
                return Err(src.error(
                    Some(f.span()),
                    format!(
                        "smtp.from = '{text}' is not an email address (e.g. \"Ann Peeters <ann@example.be>\")"
                    ),
                ));
            }
            text.to_string()
        }
        None => {
            return Err(src.error(Some(raw.span()), "[smtp] needs from: the address letters are sent from"));
        }
    };
    let security = table.security.as_ref().map(|s| *s.get_ref()).unwrap_or_default();
    if security == smtp::Security::None && !smtp::is_local(&host) {
        let span = table.security.as_ref().map(|s| s.span());
        return Err(src.error(
            span,
            format!(
                "smtp.security = \"none\" sends your password and letters unencrypted: only allowed for a server on this machine (localhost), not {host}; use \"starttls\" or \"tls\""
            ),
        ));
    }
    let user = table.user.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    let password_command =
        table.password_command.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let password_keyring = table.password_keyring.as_ref().is_some_and(|k| *k.get_ref());
    if let Some(k) = table.password_keyring.as_ref().filter(|_| password_keyring) {
        if password_command.is_some() {
            return Err(src.error(
                Some(k.span()),
                "smtp.password_keyring and smtp.password_command both say where the password is: keep one (the keyring, or the command)",
            ));
        }
        if user.is_none() {
            return Err(src.error(
                Some(k.span()),
                "smtp.password_keyring needs user: the keyring keeps the password of a login",
            ));
        }
    }
    if user.is_some() && password_command.is_none() && !password_keyring {
        return Err(src.error(
            Some(raw.span()),
            "smtp.user is set without password_command or password_keyring: give the command that prints the password (e.g. \"pass show mail/smtp\"), or password_keyring = true to read it from the system keyring; settle never keeps a password in its configuration",
        ));
    }
    Ok(smtp::Smtp {
        port: table.port.unwrap_or(security.default_port()),
        host,
        user,
        from,
        password_command,
        password_keyring,
        security,
    })
}

fn ladder_mut(p: &mut Policy, profile: Profile) -> &mut Ladder {
    match profile {
        Profile::Trusted => &mut p.trusted,
        Profile::Standard => &mut p.standard,
        Profile::New => &mut p.new,
    }
}

/// A ladder with a table's overrides; a refusal points at the step it is about.
fn apply(
    src: &Source<'_>,
    base: &Ladder,
    table: &toml::Spanned<Offsets>,
    context: &str,
) -> Result<Ladder, ConfigError> {
    let changes: Vec<(Step, i32)> = table.get_ref().iter().map(|(s, o)| (*s, *o.get_ref())).collect();
    base.with_offsets(&changes).map_err(|e| {
        let step = match &e {
            LadderError::Duplicate(s) | LadderError::BeforeDue(s, _) | LadderError::TooFar(s, _) => Some(*s),
            LadderError::NudgeAfterDue(_) => Some(Step::Nudge),
            LadderError::OutOfOrder { earlier, later, .. } => {
                if table.get_ref().contains_key(later) {
                    Some(*later)
                } else {
                    Some(*earlier)
                }
            }
            LadderError::Empty => None,
        };
        let span = step.and_then(|s| table.get_ref().get(&s)).map_or(table.span(), |o| o.span());
        src.error(Some(span), format!("{context}{e}"))
    })
}

fn rate_row(src: &Source<'_>, r: &toml::Spanned<RawRate>) -> Result<RateRow, ConfigError> {
    let raw = r.get_ref();
    let from = match &raw.from {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date.and_then(|d| {
            chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }),
        toml::Value::String(s) => parse_date(s).ok(),
        _ => None,
    }
    .ok_or_else(|| src.error(Some(r.span()), "rate: `from` must be a day such as 2027-01-01"))?;
    Ok(RateRow {
        jurisdiction: raw.jurisdiction,
        kind: raw.kind,
        from,
        reference: raw.reference,
        rate: raw.rate,
        source: raw.source.clone(),
        verified: raw.verified,
    })
}

/// The default ladders of `assets/policy.toml`.
pub fn shipped_policy() -> Result<Policy, ConfigError> {
    let src = Source { path: Path::new("assets/policy.toml"), text: POLICY_ASSET };
    let raw: RawPolicy = src.parse()?;
    let ladder = |m: &BTreeMap<Step, i32>| {
        Ladder::new(m.iter().map(|(s, o)| (*s, *o)).collect()).map_err(|e| src.error(None, e.to_string()))
    };
    Ok(Policy { trusted: ladder(&raw.trusted)?, standard: ladder(&raw.standard)?, new: ladder(&raw.new)? })
}

/// The rate rows of `assets/rates.toml`.
pub fn shipped_rates() -> Result<Vec<RateRow>, ConfigError> {
    let src = Source { path: Path::new("assets/rates.toml"), text: RATES_ASSET };
    let raw: RawRates = src.parse()?;
    raw.rate.iter().map(|r| rate_row(&src, r)).collect()
}

#[cfg(test)]
mod tests;
