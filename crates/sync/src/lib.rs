//! Team workspaces, server side (docs/TEAM.md): the PostgreSQL schema in `server/`
//! (numbered migrations).

mod migrations;

pub use migrations::SERVER_SCHEMA_VERSION;
