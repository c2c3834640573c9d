//! Writing imported sources: new sources of the batch (through the one
//! insert of `crate::sources`, many rows per statement) with their tags and
//! the firms they mention, and the empty fields of an existing source filled
//! from a duplicate row.

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
    tag_link: Statement<'c>,
    mention: Statement<'c>,
    tags: HashMap<String, Id>,
    /// The id the next new source gets.
    next_id: Id,
}

impl<'c> Writer<'c> {
    pub(super) fn new(conn: &'c Connection, batch: Id) -> Result<Writer<'c>> {
        Ok(Writer {
            conn,
            batch,
            now: now_utc(),
            insert: SourceInserter::new(conn),
            // One row per statement: a statement of many rows here would need a
            // statement journal, whose start makes FTS5 write out the index
            // entries it holds (more small segments to merge), for no gain
            // (counted in instructions on 20,000 narrow rows).
            tag_link: conn.prepare("INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?1, ?2)")?,
            mention: conn.prepare(
                "INSERT OR IGNORE INTO source_firms (source_id, firm_id, import_batch_id) VALUES (?1, ?2, ?3)",
            )?,
            tags: HashMap::new(),
            // As SQLite would choose them (ids are not AUTOINCREMENT); the
            // import's transaction is the only writer.
            next_id: conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM sources", [], |r| r.get(0))?,
        })
    }

    /// The id of the next new source, taken: it is written later, with others.
    pub(super) fn take_id(&mut self) -> Id {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Adds sources of this batch, each with its id (from [`Writer::take_id`]),
    /// original row and uid, their tags and their links to the firms they
    /// mention; returns how many firm links.
    pub(super) fn insert(&mut self, sources: &[NewSource<'_>]) -> Result<u64> {
        let rows: Vec<(Id, SourceRow<'_>)> = sources
            .iter()
            .map(|s| {
                let row = SourceRow {
                    import_batch_id: Some(self.batch),
                    original_row: Some(s.original_row),
                    uid: Some(s.uid),
                    ..SourceRow::of_draft(s.draft, &self.now)
                };
                (s.id, row)
            })
            .collect();
        self.insert.insert_with_ids(&rows)?;

        let mut links = 0;
        for source in sources {
            for tag in &source.draft.tags {
                let tag_id = self.tag_id(tag)?;
                self.tag_link.execute([source.id, tag_id])?;
            }
            // The firms its title, abstract or tags name (found on the reading thread).
            for firm in source.firms {
                self.mention.execute(params![source.id, firm, self.batch])?;
            }
            links += source.firms.len() as u64;
        }
        Ok(links)
    }

    /// The id of tag `name`, added if new; remembered for the batch's next rows.
    fn tag_id(&mut self, name: &str) -> Result<Id> {
        // NOCASE folds ASCII only; so does the cache key.
        let key = name.to_ascii_lowercase();
        if let Some(id) = self.tags.get(&key) {
            return Ok(*id);
        }
        let tag_id = crate::relations::tag_id(self.conn, name)?;
        self.tags.insert(key, tag_id);
        Ok(tag_id)
    }
}

/// A new source of the batch, as [`Writer::insert`] writes it.
pub(super) struct NewSource<'a> {
    pub id: Id,
    pub draft: &'a SourceDraft,
    pub original_row: &'a str,
    pub uid: &'a str,
    pub firms: &'a [Id],
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
