//! What settle asks of the machine it runs on: where its files live ([`paths`]), writing
//! them privately and never through a planted link ([`files`]), and desktop notifications
//! over the session bus ([`notify`]).

pub mod files;
pub mod notify;
pub mod paths;
