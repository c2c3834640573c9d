//! Documents: what is indexed and shown for each entity.

use rusqlite::{Connection, OptionalExtension};

use super::SearchKind;
use crate::error::Result;
use crate::model::Id;

/// The searchable text of one entity.
pub(super) struct Doc {
    /// Shown as the hit's title; indexed with title weight.
    pub title: String,
    /// Other names (a firm's native name and aliases): title weight.
    pub names: Vec<String>,
    /// Everything else: body weight. Snippets come from the names, then the
    /// body, then the tags: the first with a match.
    pub body: Vec<String>,
    pub tags: Vec<String>,
    pub date: Option<String>,
}

pub(super) fn load_doc(conn: &Connection, kind: SearchKind, id: Id) -> Result<Option<Doc>> {
    let doc = match kind {
        SearchKind::Firm => {
            let row = conn
                .prepare_cached("SELECT name, native_name, summary FROM firms WHERE id = ?1")?
                .query_row([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .optional()?;
            let Some((name, native_name, summary)) = row else {
                return Ok(None);
            };
            let mut names: Vec<String> = native_name.into_iter().collect();
            names.extend(strings(
                conn,
                "SELECT alias FROM firm_aliases WHERE firm_id = ?1 ORDER BY alias",
                id,
            )?);
            Doc {
                title: name,
                names,
                body: vec![summary],
                tags: Vec::new(),
                date: None,
            }
        }
        SearchKind::Chip => {
            let Some(doc) = titled_doc(
                conn,
                "SELECT c.name, f.name, f.native_name, c.notes, c.announced_on
                 FROM chips c LEFT JOIN firms f ON f.id = c.firm_id WHERE c.id = ?1",
                id,
            )?
            else {
                return Ok(None);
            };
            doc
        }
        SearchKind::Source => {
            let Some(mut doc) = titled_doc(
                conn,
                "SELECT title, abstract, authors, publisher, published_on FROM sources WHERE id = ?1",
                id,
            )?
            else {
                return Ok(None);
            };
            doc.tags = strings(
                conn,
                // (This shape: the equivalent join is re-prepared on every new id.)
                "SELECT name FROM tags WHERE id IN (SELECT tag_id FROM source_tags WHERE source_id = ?1) ORDER BY name",
                id,
            )?;
            doc
        }
        SearchKind::Note => {
            let Some(mut doc) = titled_doc(
                conn,
                "SELECT title, body, substr(created_at, 1, 10) FROM notes WHERE id = ?1",
                id,
            )?
            else {
                return Ok(None);
            };
            doc.tags = strings(
                conn,
                "SELECT name FROM tags WHERE id IN (SELECT tag_id FROM note_tags WHERE note_id = ?1) ORDER BY name",
                id,
            )?;
            doc
        }
        SearchKind::Event => {
            let Some(doc) = titled_doc(
                conn,
                "SELECT title, description, occurred_on FROM events WHERE id = ?1",
                id,
            )?
            else {
                return Ok(None);
            };
            doc
        }
    };
    Ok(Some(doc))
}

/// A document from one row of `sql`: the title first, the date last, and
/// every column between them (those that are not NULL) as the body.
fn titled_doc(conn: &Connection, sql: &str, id: Id) -> Result<Option<Doc>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let last = stmt.column_count() - 1;
    let doc = stmt
        .query_row([id], |r| {
            Ok(Doc {
                title: r.get(0)?,
                names: Vec::new(),
                body: (1..last)
                    .map(|i| r.get::<_, Option<String>>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?
                    .into_iter()
                    .flatten()
                    .collect(),
                tags: Vec::new(),
                date: r.get(last)?,
            })
        })
        .optional()?;
    Ok(doc)
}

fn strings(conn: &Connection, sql: &str, id: Id) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
