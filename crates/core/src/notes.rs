//! Notes: the analyst's own writing, in Markdown.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{Id, Note};
use crate::store::Store;
use crate::text::sql_limit;

/// All notes, most recently changed first.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Note>> {
    store.read(|conn| {
        let mut stmt =
            conn.prepare("SELECT id FROM notes ORDER BY updated_at DESC, id LIMIT ?1")?;
        let ids = stmt
            .query_map([sql_limit(limit)], |row| row.get::<_, Id>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().map(|id| load(conn, id)).collect()
    })
}

pub(crate) fn load(conn: &Connection, note_id: Id) -> Result<Note> {
    let note = conn
        .query_row(
            "SELECT id, title, body, created_at, updated_at FROM notes WHERE id = ?1",
            [note_id],
            |row| {
                Ok(Note {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    body: row.get(2)?,
                    tags: Vec::new(),
                    created_at: row.get(3)?,
                    updated_at: row.get(4)?,
                })
            },
        )
        .optional()?;
    let mut note = note.ok_or(Error::NotFound {
        entity: "note",
        id: note_id,
    })?;
    let mut stmt =
        conn.prepare("SELECT t.name FROM tags t JOIN note_tags nt ON nt.tag_id = t.id WHERE nt.note_id = ?1 ORDER BY t.name")?;
    note.tags = stmt
        .query_map([note_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(note)
}
