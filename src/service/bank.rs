//! Importing a bank statement, for the command line and the app alike: read the file the
//! bank gave (its format found from its content, a CSV export by its profile), then match
//! and record its lines in one transaction — as a dry run first, then for real with the
//! user's choices for the lines that matched nothing.

use std::path::Path;

use chrono::NaiveDate;

use crate::import::profiles::{Profile, Profiles, path_beside};
use crate::import::statement::{self, CsvChoice, Statement};
use crate::import::{Choice, Options, Outcome, payments};
use crate::store::Store;

/// The saved CSV profiles that go with a configuration file (none for the defaults).
pub fn profiles(config: &Path) -> Result<Profiles, String> {
    if config.as_os_str().is_empty() {
        return Ok(Profiles::default());
    }
    Profiles::load(&path_beside(config))
}

/// Reads a statement file: a regular file of at most 256 MiB, every line or every problem.
pub fn read(
    path: &Path,
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> anyhow::Result<Statement> {
    let bytes = crate::platform::files::read_input(path)?;
    Ok(statement::read(&path.display().to_string(), &bytes, csv, profiles, today)?)
}

/// Matches and records a statement's lines (or, with `dry_run`, says what it would do).
pub fn import(
    store: &mut Store,
    statement: &Statement,
    choices: &[(usize, Choice)],
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let mut outcome =
        payments::import_with_choices(store, &statement.lines, choices, Options { update: false, dry_run })?;
    outcome.ignored_columns = statement.ignored_columns.clone();
    Ok(outcome)
}

/// Why a profile was not saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("a profile is for CSV files: this statement is read as it is")]
    NotCsv,
    #[error("{0}")]
    NotSaved(String),
}

/// Saves the column choices that read a CSV statement as a profile, with its headers.
pub fn save_profile(
    profiles: &mut Profiles,
    name: &str,
    map: &[String],
    statement: &Statement,
) -> Result<std::path::PathBuf, ProfileError> {
    if !statement.formats.iter().all(|f| *f == crate::import::model::StatementFormat::Csv) {
        return Err(ProfileError::NotCsv);
    }
    let mut all: Vec<String> =
        statement.profile.as_deref().and_then(|p| profiles.find(p)).map(|p| p.map).unwrap_or_default();
    all.extend(map.iter().cloned());
    profiles
        .save(Profile { name: name.to_string(), map: all, headers: statement.headers.clone() })
        .map_err(ProfileError::NotSaved)
}
