//! Sources: anything a claim cites.

use rusqlite::{Connection, OptionalExtension, ToSql};

use crate::error::{Error, Result};
use crate::model::{Id, Source};
use crate::store::Store;
use crate::text::column_enum;
use crate::text::sql_limit;

const SELECT_SOURCES: &str =
    "SELECT id, kind, title, authors, publisher, url, doi, published_on, accessed_on,
        language, reliability, credibility FROM sources";

/// All sources, newest publication first; undated last.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Source>> {
    query(
        store.conn(),
        &format!(
            "{SELECT_SOURCES} ORDER BY published_on IS NULL, published_on DESC, title LIMIT ?1"
        ),
        &[&sql_limit(limit)],
    )
}

pub(crate) fn load(conn: &Connection, source_id: Id) -> Result<Source> {
    let mut stmt = conn.prepare(&format!("{SELECT_SOURCES} WHERE id = ?1"))?;
    stmt.query_row([source_id], map_row)
        .optional()?
        .ok_or(Error::NotFound {
            entity: "source",
            id: source_id,
        })
}

fn query(conn: &Connection, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Source>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, map_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn map_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Source> {
    Ok(Source {
        id: row.get(0)?,
        kind: column_enum(row, 1)?,
        title: row.get(2)?,
        authors: row.get(3)?,
        publisher: row.get(4)?,
        url: row.get(5)?,
        doi: row.get(6)?,
        published_on: row.get(7)?,
        accessed_on: row.get(8)?,
        language: row.get(9)?,
        reliability: row.get(10)?,
        credibility: row.get(11)?,
    })
}
