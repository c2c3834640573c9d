//! A firm as another record names it (`FirmRef`: id, name, native name), read
//! for a chip's foundry, an event's firms, a firm's parent and
//! subsidiaries. Here rather than in firms.rs so that the entity modules can
//! share it without calling each other.

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::model::{FirmRef, Id};

pub(crate) fn query_firm_refs(conn: &Connection, sql: &str, id: Id) -> Result<Vec<FirmRef>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params![id], |row| {
        Ok(FirmRef {
            id: row.get(0)?,
            name: row.get(1)?,
            native_name: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A nullable firm reference from three columns starting at `start` (id, name, native name).
pub(crate) fn firm_ref_at(
    row: &rusqlite::Row<'_>,
    start: usize,
) -> rusqlite::Result<Option<FirmRef>> {
    let id: Option<Id> = row.get(start)?;
    match id {
        Some(id) => Ok(Some(FirmRef {
            id,
            name: row.get(start + 1)?,
            native_name: row.get(start + 2)?,
        })),
        None => Ok(None),
    }
}
