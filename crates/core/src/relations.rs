//! Rows that only tie two records together (a chip and its sources, an event
//! and its firms, a source and its tags): replaced as a whole when a form saves.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::Id;

/// Makes `table` hold exactly `ids` (in `other`) for `owner_id` (in `owner`).
/// Table and column names come from the code, never from input.
pub fn replace(
    conn: &Connection,
    table: &str,
    owner: &str,
    owner_id: Id,
    other: &str,
    ids: &[Id],
) -> Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE {owner} = ?1"))?
        .execute([owner_id])?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO {table} ({owner}, {other}) VALUES (?1, ?2)"
    ))?;
    for id in ids {
        insert.execute(params![owner_id, id])?;
    }
    Ok(())
}

/// The id of the tag called `name` (ignoring case), created if new.
pub fn tag_id(conn: &Connection, name: &str) -> Result<Id> {
    // Looked up first: nearly every tag a record names exists already.
    let known: Option<Id> = conn
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?;
    if let Some(id) = known {
        return Ok(id);
    }
    conn.prepare_cached("INSERT INTO tags (name) VALUES (?1)")?
        .execute([name])?;
    Ok(conn.last_insert_rowid())
}

/// The ids of `ids` in `table` ordered as stored, for loading a form.
pub fn ids_of(
    conn: &Connection,
    table: &str,
    owner: &str,
    owner_id: Id,
    other: &str,
) -> Result<Vec<Id>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {other} FROM {table} WHERE {owner} = ?1 ORDER BY {other}"
    ))?;
    let ids = stmt
        .query_map([owner_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
