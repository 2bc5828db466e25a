//! Where settle keeps its files: an explicit flag or environment variable first, then the
//! platform's directories (XDG on Linux) through `directories`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use directories::ProjectDirs;

fn project() -> Result<ProjectDirs> {
    ProjectDirs::from("", "", "settle")
        .context("cannot find your home directory to keep settle's files: pass --db PATH (or set SETTLE_DB)")
}

/// The database: `--db` / `SETTLE_DB`, else `settle.db` in the user's data directory.
pub fn database(explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(project()?.data_dir().join("settle.db")),
    }
}

/// The configuration file: `--config` / `SETTLE_CONFIG`, else `config.toml` in the user's
/// config directory.
pub fn config(explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(project()?.config_dir().join("config.toml")),
    }
}
