//! `[smtp]`: where letters sent by email go out. No password is ever written here: it comes
//! from `password_command` (`pass show mail/smtp`, `secret-tool lookup …`), run when a letter
//! is sent.

use serde::{Deserialize, Serialize};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server cannot.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a server on this machine.
    None,
}

impl Security {
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// `[smtp]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    pub host: Option<toml::Spanned<String>>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub from: Option<toml::Spanned<String>>,
    pub password_command: Option<String>,
    pub security: Option<toml::Spanned<Security>>,
    /// Refused with its reason: a password is never kept in the file.
    pub password: Option<toml::Spanned<toml::Value>>,
}

/// `[smtp]`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    /// Log in as this user (with the password `password_command` prints); none: no login.
    pub user: Option<String>,
    /// The sender address, e.g. `Ann Peeters <ann@example.be>`.
    pub from: String,
    pub password_command: Option<String>,
    pub security: Security,
}

/// Whether `host` names this machine (where an unencrypted connection leaks nothing).
pub fn is_local(host: &str) -> bool {
    matches!(host.trim().to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]")
}

/// The password: what `command` prints (run by `sh -c`), trimmed.
pub fn run_password_command(command: &str) -> anyhow::Result<String> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| anyhow::anyhow!("[smtp] password_command could not be run: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = crate::domain::text::sanitise(err.trim()).lines().collect::<Vec<_>>().join(" ");
        anyhow::bail!("[smtp] password_command failed ({}): {err}", out.status);
    }
    let password = String::from_utf8(out.stdout)
        .map_err(|_| anyhow::anyhow!("[smtp] password_command printed something that is not UTF-8"))?;
    let password = password.trim().to_string();
    if password.is_empty() {
        anyhow::bail!("[smtp] password_command printed no password");
    }
    Ok(password)
}
