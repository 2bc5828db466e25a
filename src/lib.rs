//! settle: get a freelancer's invoices paid without losing the customer.
//!
//! Layers, dependencies pointing one way: front-ends (`commands` and `cli` for the command
//! line; `tui`, `app` and `ui` for the full-screen app) → `service` (the use cases both
//! share: an invoice's case and where it stands, the agenda, the alerts, logging a call,
//! recording a step) → `store` and `domain`; `store → domain`. The domain is pure (no I/O,
//! no clock); `domain::ladder` is the one answer to "where does this invoice stand".
#![deny(clippy::unwrap_used, clippy::panic, clippy::self_named_module_files)]

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod files;
pub mod idmap;
pub mod import;
pub mod letters;
pub mod notify;
pub mod output;
pub mod paths;
pub mod scripts;
pub mod service;
pub mod store;
pub mod tui;
pub mod ui;
