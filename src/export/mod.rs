//! Exports: files that leave settle (the collection dossier).

pub mod dossier;
