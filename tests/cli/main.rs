//! The command line end to end: every run uses `--db` in a temporary directory and a fixed
//! `--today`. Reports add up and keep their JSON/CSV shape; bad input gets a clear error
//! and changes nothing. Also the store and the parsers through the library: a damaged or
//! foreign database, and hostile input to every parser (`fuzz`, property tests).

mod calls;
mod check;
mod correcting;
mod damaged;
mod export_backup;
mod fuzz;
mod hostile;
mod import;
mod input;
mod limits;
mod mail;
mod one_truth;
mod payments;
mod privacy;
mod report;
mod store;
#[path = "../support/mod.rs"]
mod support;
mod tracker;
