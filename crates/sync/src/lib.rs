//! Team workspaces, server side (docs/TEAM.md): the PostgreSQL schema in `server/`
//! (numbered migrations) and a small blocking client of it.
//!
//! The server is PostgreSQL itself: clients log in as themselves and write only
//! through the schema's SECURITY DEFINER functions (`push`, `pull`, membership),
//! which check the caller's role; row-level security lets a login read only the
//! workspaces it is a member of.

mod error;
mod migrations;
pub mod passfile;
mod server;
pub mod team;
mod tls;

pub use chipwatch_core::replica::wire::{
    Change, FieldConflict, Member, PushResult, PushStatus, Role, ServerChange, ServerRecord,
};
pub use error::{Result, SyncError};
pub use migrations::SERVER_SCHEMA_VERSION;
pub use server::{Server, Upgrade, MAX_BATCH, MAX_PULL};
