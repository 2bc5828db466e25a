//! Hostile and broken input: every parser gets arbitrary and nearly-valid text. None may
//! panic; each either accepts or returns an error that names what was wrong.
//!
//! CI runs a modest number of cases; `scripts/fuzz.sh` runs the same properties for a bounded
//! time with many more (`PROPTEST_CASES`).

mod parsers;
mod scalars;
mod text;
