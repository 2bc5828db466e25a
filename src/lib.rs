//! settle: get a freelancer's invoices paid without losing the customer.
//!
//! Layers, dependencies pointing one way: `ui → app → domain`, `store → domain`. The domain
//! is pure (no I/O, no clock).
#![deny(clippy::unwrap_used, clippy::panic)]

pub mod app;
pub mod cli;
pub mod commands;
pub mod demo;
pub mod domain;
pub mod paths;
pub mod store;
pub mod tui;
pub mod ui;
