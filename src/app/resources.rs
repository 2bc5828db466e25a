//! What the app reads besides the database, loaded and checked once before it starts: the
//! configuration (policy, grace, the freelancer's identity), the letter templates and the
//! call scripts. A bad file stops the program before the screen opens, as on the command line.

use std::path::PathBuf;

use crate::call_script::{ScriptError, ScriptLibrary};
use crate::config::Config;
use crate::letters::{LetterError, Letters};

#[derive(Debug)]
pub struct Resources {
    pub config: Config,
    pub letters: Letters,
    pub scripts: ScriptLibrary,
    /// The database file, for where saved letters go (`letters/` beside it); `None` for a
    /// book in memory, where nothing is saved to disk.
    pub database: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ResourceError {
    #[error(transparent)]
    Letters(#[from] LetterError),
    #[error(transparent)]
    Scripts(#[from] ScriptError),
}

impl Resources {
    /// The shipped defaults: no config file, the shipped templates and scripts.
    pub fn shipped() -> Result<Resources, ResourceError> {
        Ok(Resources {
            config: Config::default(),
            letters: Letters::shipped()?,
            scripts: ScriptLibrary::shipped()?,
            database: None,
        })
    }

    /// The grace, in days, after a promised day before a promise counts as broken.
    pub fn grace_days(&self) -> u32 {
        self.config.agreements.grace_days
    }

    /// The name that signs confirmation emails: the freelancer's, else their company's.
    pub fn sender(&self) -> &str {
        let me = &self.config.me;
        if me.name.trim().is_empty() { me.company.trim() } else { me.name.trim() }
    }
}
