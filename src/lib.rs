//! settle: get a freelancer's invoices paid without losing the customer.
//!
//! Layers, dependencies pointing one way: `ui → app → domain`, `store → domain`. The domain
//! is pure (no I/O, no clock).
#![deny(clippy::unwrap_used, clippy::panic)]

pub mod app;
pub mod calling;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod files;
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
