//! settle: get a freelancer's invoices paid without losing the customer.
//!
//! The folders, by layer: each may use the layers below it, never one above (unit tests
//! aside).
//!
//! | folders | layer | what they hold |
//! |---|---|---|
//! | `cli/` · `tui/`, `app/`, `ui/` | front-ends | the command line (clap definitions, `commands/` one file per verb, the output wall) · the full-screen app (terminal and event loop, state and update, drawing) |
//! | `letters/`, `export/` | what goes out | letters as text, PDF and email; exports and the agency dossier |
//! | `service/` | use cases | what both front-ends ask, asked one way: an invoice's case and standing, the agenda, alerts, calls, steps, corrections, the demo book |
//! | `import/`, `call_script/` | what comes in, what is said | invoice, payment and bank files; call scripts and call confirmations |
//! | `store/` | storage | the SQLite book: every line of SQL, migrations, the change log |
//! | `config/`, `platform/` | settings, the machine | the config file and policy; where files live, private files, desktop notifications |
//! | `domain/` | the rules | types and rules, pure: no I/O, no clock (today is a parameter) |
//!
//! `domain::ladder` is the one answer to "where does this invoice stand"; `service` combines
//! it with the store for every surface.
#![deny(clippy::unwrap_used, clippy::panic, clippy::self_named_module_files)]

pub mod app;
pub mod call_script;
pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod import;
pub mod letters;
pub mod platform;
pub mod service;
pub mod store;
pub mod tui;
pub mod ui;
