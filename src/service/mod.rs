//! Use cases shared by the command line and the app: they combine the store and the domain,
//! so both front-ends ask the same question the same way and get the same answer.

pub mod agenda;
pub mod alerts;
pub mod bank;
pub mod calls;
pub mod case;
pub mod claims;
pub mod corrections;
pub mod demo;
pub mod pass;
pub mod reductions;
pub mod standing;
pub mod steps;

pub use case::CaseFile;
pub use standing::{CustomerFacts, InvoiceStanding, LadderBook, LadderInput};
