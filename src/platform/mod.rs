//! What settle asks of the machine it runs on: where its files live ([`paths`]), writing
//! them privately and never through a planted link ([`files`]), and desktop notifications
//! over the session bus ([`notify`]); and how the memory allocator is set ([`memory`]).

pub mod files;
pub mod memory;
pub mod notify;
pub mod paths;
