//! The full-screen app, without a terminal: snapshots of every screen (ratatui's
//! `TestBackend`), key sequences on the app state against an in-memory store, tiny sizes.

mod agreements;
mod book;
mod call;
mod colour;
mod correcting;
pub mod currencies;
mod first_look;
mod fold;
mod hostile;
mod import;
mod letter;
mod mouse;
mod one_truth;
mod reach;
mod readme;
mod screens;
mod support;
mod tiny;
mod today;
mod update;
mod wide;
