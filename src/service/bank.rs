//! Importing a bank statement, for the command line and the app alike: read the file the
//! bank gave (its format found from its content, a CSV export by its profile), then match
//! and record its lines in one transaction — as a dry run first, then for real with the
//! user's choices for the lines that matched nothing.

use std::fs::File;
use std::path::Path;

use chrono::NaiveDate;

use crate::import::profiles::{Profile, Profiles, path_beside};
use crate::import::statement::{self, CsvChoice, Opened, Statement};
use crate::import::{Choice, Options, Outcome, Unmatched, payments};
use crate::store::Store;

/// The saved CSV profiles that go with a configuration file (none for the defaults).
pub fn profiles(config: &Path) -> Result<Profiles, String> {
    if config.as_os_str().is_empty() {
        return Ok(Profiles::default());
    }
    Profiles::load(&path_beside(config))
}

/// Reads a statement file whole: a regular file of at most 256 MiB, every line or every
/// problem (the app holds the lines to let the user choose).
pub fn read(
    path: &Path,
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> anyhow::Result<Statement> {
    let mut opened = open(path, csv, profiles, today)?;
    opened.hold()?;
    Ok(opened.statement)
}

/// Opens a statement file to import it: checked whole, every problem found, and a CSV
/// statement's lines read again from the file as the import goes through them.
pub fn open(
    path: &Path,
    csv: &CsvChoice<'_>,
    profiles: &Profiles,
    today: NaiveDate,
) -> anyhow::Result<Opened<File>> {
    let file = crate::platform::files::open_input(path)?;
    Ok(statement::open(&path.display().to_string(), file, csv, profiles, today)?)
}

/// Matches and records a statement's lines (or, with `dry_run`, says what it would do).
pub fn import(
    store: &mut Store,
    statement: &Statement,
    choices: &[(usize, Choice)],
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let opts = Options { update: false, dry_run, keep: None };
    let mut outcome =
        payments::import_with_choices(store, &mut statement.lines.as_slice(), choices, opts, None)?;
    outcome.ignored_columns = statement.ignored_columns.clone();
    Ok(outcome)
}

/// Matches and records the lines of a statement file as they are read (the command line):
/// at most `keep` changes are held in the outcome (all are counted), and each line that
/// matched nothing goes to `unmatched` as it is found.
pub fn import_opened(
    store: &mut Store,
    opened: &mut Opened<File>,
    dry_run: bool,
    keep: usize,
    unmatched: &mut dyn FnMut(Unmatched),
) -> anyhow::Result<Outcome> {
    let opts = Options { update: false, dry_run, keep: Some(keep) };
    let mut outcome = payments::import_with_choices(store, opened, &[], opts, Some(unmatched))?;
    outcome.ignored_columns = opened.statement.ignored_columns.clone();
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
