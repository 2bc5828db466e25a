//! `[smtp]`: where letters sent by email go out. No password is ever written here: it comes
//! from `password_command` (`pass show mail/smtp`, `secret-tool lookup …`), run when a letter
//! is sent, or from the system keyring (`password_keyring = true`: the Secret Service, where
//! `settle config smtp-password` put it).

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
    pub password_keyring: Option<toml::Spanned<bool>>,
    pub security: Option<toml::Spanned<Security>>,
    /// Refused with its reason: a password is never kept in the file.
    pub password: Option<toml::Spanned<toml::Value>>,
}

/// `[smtp]`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    /// Log in as this user (with the password `password_command` prints, or the keyring
    /// keeps); none: no login.
    pub user: Option<String>,
    /// The sender address, e.g. `Ann Peeters <ann@example.be>`.
    pub from: String,
    pub password_command: Option<String>,
    /// The password is in the system keyring (never with `password_command`).
    pub password_keyring: bool,
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

/// The keyring entry's service: every settle password is kept under it.
pub const KEYRING_SERVICE: &str = "settle";

impl Smtp {
    /// The keyring entry's user: the login at its server, `ann@example.be@smtp.example.be`
    /// (`secret-tool lookup service settle username …` finds it too); none without a login.
    pub fn keyring_user(&self) -> Option<String> {
        self.user.as_ref().map(|u| format!("{u}@{}", self.host))
    }

    /// The password to log in with: none without a login, else from the keyring or the
    /// command, whichever `[smtp]` names.
    pub fn password(&self) -> anyhow::Result<Option<String>> {
        let Some(user) = self.keyring_user() else { return Ok(None) };
        if self.password_keyring {
            return keyring_password(&user).map(Some);
        }
        run_password_command(self.password_command.as_deref().unwrap_or_default()).map(Some)
    }
}

/// Why the keyring failed, in a sentence for someone who did not write this code.
fn keyring_error(user: &str, e: keyring_core::Error) -> anyhow::Error {
    use keyring_core::Error as E;
    let detail = |e: &dyn std::fmt::Display| {
        crate::domain::text::sanitise(&e.to_string()).lines().collect::<Vec<_>>().join(" ")
    };
    match e {
        E::NoEntry => anyhow::anyhow!(
            "[smtp] password_keyring: the system keyring has no password for {user} (service \"{KEYRING_SERVICE}\"): store it with `settle config smtp-password`"
        ),
        E::NoStorageAccess(why) => anyhow::anyhow!(
            "[smtp] password_keyring: the system keyring is locked ({}): unlock it (log in to your desktop session) and try again",
            detail(&why)
        ),
        E::BadEncoding(_) => anyhow::anyhow!(
            "[smtp] password_keyring: the keyring's password for {user} is not UTF-8 text: store it again with `settle config smtp-password`"
        ),
        other => anyhow::anyhow!(
            "[smtp] password_keyring: the system keyring (Secret Service, on the session D-Bus) could not be used: {}",
            detail(&other)
        ),
    }
}

/// The Secret Service store (gnome-keyring, KeePassXC, KWallet…) on the session bus.
fn keyring_entry(user: &str) -> anyhow::Result<keyring_core::Entry> {
    use keyring_core::api::CredentialStoreApi;
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| keyring_error(user, e))?;
    let label = format!("settle: SMTP password for {user}");
    let modifiers = std::collections::HashMap::from([("label", label.as_str())]);
    store.build(KEYRING_SERVICE, user, Some(&modifiers)).map_err(|e| keyring_error(user, e))
}

/// The password the keyring keeps for `user` (`login@host`).
pub fn keyring_password(user: &str) -> anyhow::Result<String> {
    let password = keyring_entry(user)?.get_password().map_err(|e| keyring_error(user, e))?;
    if password.is_empty() {
        anyhow::bail!(
            "[smtp] password_keyring: the keyring's password for {user} is empty: store it again with `settle config smtp-password`"
        );
    }
    Ok(password)
}

/// Keeps `password` in the keyring for `user` (`login@host`), replacing the one there.
pub fn store_keyring_password(user: &str, password: &str) -> anyhow::Result<()> {
    keyring_entry(user)?.set_password(password).map_err(|e| keyring_error(user, e))
}
