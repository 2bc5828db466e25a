//! The command line end to end: every run uses `--db` in a temporary directory and a fixed
//! `--today`. Reports add up and keep their JSON/CSV shape; bad input gets a clear error
//! and changes nothing.

mod correcting;
mod hostile;
mod input;
mod limits;
mod mail;
mod one_truth;
mod report;
#[path = "../smtp_support/mod.rs"]
mod smtp_support;
mod support;
