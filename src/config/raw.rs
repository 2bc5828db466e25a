//! The config file as written: serde shapes with spans, so every refusal names its line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Agreements, Identity, LetterSettings};
use crate::domain::interest::{Jurisdiction, RateKind};
use crate::domain::policy::Step;

/// Step name → day offset, as one `[ladder.…]` table names them.
pub type Offsets = BTreeMap<Step, Spanned<i32>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub jurisdiction: Option<Jurisdiction>,
    #[serde(default)]
    pub me: Identity,
    #[serde(default)]
    pub ladder: RawLadders,
    #[serde(default)]
    pub rate: Vec<Spanned<RawRate>>,
    #[serde(default)]
    pub agreements: Agreements,
    #[serde(default)]
    pub notify: RawNotify,
    #[serde(default)]
    pub letters: LetterSettings,
    #[serde(default)]
    pub terms: crate::domain::claim::Terms,
    pub smtp: Option<toml::Spanned<super::smtp::RawSmtp>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLadders {
    pub trusted: Option<Spanned<Offsets>>,
    pub standard: Option<Spanned<Offsets>>,
    pub new: Option<Spanned<Offsets>>,
    /// Per customer, by name (case does not matter).
    #[serde(default)]
    pub customer: BTreeMap<String, Spanned<Offsets>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotify {
    pub due_soon_days: Option<Spanned<u32>>,
}

/// A rate row as the user writes it: `from` may be a TOML date or a string.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRate {
    pub jurisdiction: Jurisdiction,
    #[serde(default)]
    pub kind: RateKind,
    pub from: toml::Value,
    pub reference: Option<rust_decimal::Decimal>,
    pub rate: rust_decimal::Decimal,
    pub source: String,
    #[serde(default = "yes")]
    pub verified: bool,
}

fn yes() -> bool {
    true
}

/// The shipped default ladders: `[trusted]`, `[standard]`, `[new]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub trusted: BTreeMap<Step, i32>,
    pub standard: BTreeMap<Step, i32>,
    pub new: BTreeMap<Step, i32>,
}

/// The shipped rate table: `[[rate]]` rows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRates {
    pub rate: Vec<Spanned<RawRate>>,
}
