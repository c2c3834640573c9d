//! Writing imported sources: a new source of the batch with its tags (through
//! the one insert of `crate::sources`) and the firms it mentions, and the
//! empty fields of an existing source filled from a duplicate row.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Statement};

use super::batches;
use crate::error::Result;
use crate::model::{Id, SourceDraft};
use crate::sources::{SourceInserter, SourceRow};
use crate::text::now_utc;

/// The prepared statements of one import, reused for every row.
pub(super) struct Writer<'c> {
    conn: &'c Connection,
    batch: Id,
    now: String,
    insert: SourceInserter<'c>,
    tag_find: Statement<'c>,
    tag_insert: Statement<'c>,
    tag_link: Statement<'c>,
    mention: Statement<'c>,
    tags: HashMap<String, Id>,
}

impl<'c> Writer<'c> {
    pub(super) fn new(conn: &'c Connection, batch: Id) -> Result<Writer<'c>> {
        Ok(Writer {
            conn,
            batch,
            now: now_utc(),
            insert: SourceInserter::new(conn)?,
            // Not an upsert: DO UPDATE would fire the tag-rename trigger and
            // re-index every source carrying the tag.
            tag_find: conn.prepare("SELECT id FROM tags WHERE name = ?1")?,
            tag_insert: conn.prepare("INSERT INTO tags (name) VALUES (?1)")?,
            tag_link: conn.prepare("INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?1, ?2)")?,
            mention: conn.prepare(
                "INSERT OR IGNORE INTO source_firms (source_id, firm_id, import_batch_id) VALUES (?1, ?2, ?3)",
            )?,
            tags: HashMap::new(),
        })
    }

    /// Adds a source of this batch with its tags; its id.
    pub(super) fn insert(&mut self, d: &SourceDraft, original_row: &str) -> Result<Id> {
        let id = self.insert.insert(&SourceRow {
            import_batch_id: Some(self.batch),
            original_row: Some(original_row),
            ..SourceRow::of_draft(d, &self.now)
        })?;
        for tag in &d.tags {
            // NOCASE folds ASCII only; so does the cache key.
            let key = tag.to_ascii_lowercase();
            let tag_id = match self.tags.get(&key) {
                Some(id) => *id,
                None => {
                    let found: Option<Id> =
                        self.tag_find.query_row([tag], |r| r.get(0)).optional()?;
                    let tag_id = match found {
                        Some(tag_id) => tag_id,
                        None => {
                            self.tag_insert.execute([tag])?;
                            self.conn.last_insert_rowid()
                        }
                    };
                    self.tags.insert(key, tag_id);
                    tag_id
                }
            };
            self.tag_link.execute([id, tag_id])?;
        }
        Ok(id)
    }

    /// Links source `id` to the firms its title, abstract or tags name; how many.
    pub(super) fn link_mentions(&mut self, id: Id, firms: &[Id]) -> Result<u64> {
        for firm in firms {
            self.mention.execute(params![id, firm, self.batch])?;
        }
        Ok(firms.len() as u64)
    }
}

/// Fills the empty fields of source `id` from `draft`. A source of an earlier
/// import or typed by hand gets a new revision (an open form on it is then
/// stale) and its fills are recorded for undo; one this batch added does not.
/// Returns whether anything was filled.
pub(super) fn fill(
    conn: &Connection,
    id: Id,
    draft: &SourceDraft,
    batch: Id,
    tracked: bool,
) -> Result<bool> {
    type Current = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let current: Option<Current> = conn
        .prepare_cached(
            "SELECT authors, publisher, url, doi, published_on, accessed_on, language, abstract, reliability, credibility
             FROM sources WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .optional()?;
    let Some(c) = current else {
        return Ok(false);
    };
    let mut sets: Vec<(&str, rusqlite::types::Value)> = Vec::new();
    let mut take = |column: &'static str, old: &Option<String>, new: &Option<String>| {
        if let (None, Some(value)) = (old, new) {
            sets.push((column, value.clone().into()));
        }
    };
    take("authors", &c.0, &draft.authors);
    take("publisher", &c.1, &draft.publisher);
    take("url", &c.2, &draft.url);
    take("doi", &c.3, &draft.doi);
    take("published_on", &c.4, &draft.published_on);
    take("accessed_on", &c.5, &draft.accessed_on);
    take("language", &c.6, &draft.language);
    take("abstract", &c.7, &draft.r#abstract);
    take("reliability", &c.8, &draft.reliability);
    if let (None, Some(value)) = (c.9, draft.credibility) {
        sets.push(("credibility", value.into()));
    }
    if sets.is_empty() {
        return Ok(false);
    }
    batches::fill_fields(conn, batch, "source", "sources", id, tracked, &sets)?;
    Ok(true)
}
