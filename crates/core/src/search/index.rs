//! Keeping the index in step: [`refresh`] re-indexes the rows the triggers
//! queued, [`rebuild`] indexes every row again; [`Columns`] is one document
//! cut into the index's columns and tokens.

use std::collections::HashSet;

use rusqlite::{params, Connection};

use super::documents::{load_doc, Doc};
use super::tokens::{is_word_char, split_for_index, strip_diacritic};
use super::{index_rowid, SearchKind};
use crate::error::Result;
use crate::model::Id;
use crate::store::Store;

/// True when changed rows wait to be indexed.
pub fn has_pending(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS (SELECT 1 FROM search_dirty)", [], |r| {
            r.get(0)
        })?,
    )
}

pub(super) const INSERT_ENTRY: &str =
    "INSERT INTO search_index (rowid, title, body, tags, title_cjk, body_cjk)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub(super) const INSERT_TERM: &str = "INSERT OR IGNORE INTO search_terms (term) VALUES (?1)";

/// Re-indexes every row queued in `search_dirty` (rows that are gone leave the
/// index) and empties the queue; returns how many rows it re-indexed. Runs
/// inside the caller's write transaction (`Store::write` calls it before committing).
pub fn refresh(conn: &Connection) -> Result<usize> {
    let mut pending: Vec<(SearchKind, Id)> = {
        let mut stmt = conn.prepare_cached("SELECT kind, id FROM search_dirty")?;
        let mut rows = stmt.query([])?;
        let mut pending = Vec::new();
        while let Some(row) = rows.next()? {
            if let Some(kind) = row.get_ref(0)?.as_str().ok().and_then(SearchKind::parse) {
                pending.push((kind, row.get(1)?));
            }
        }
        pending
    };
    if pending.is_empty() {
        return Ok(0);
    }
    // A row changed twice is queued twice; ascending rowids suit FTS5 best.
    pending.sort_unstable();
    pending.dedup();
    // The index keeps a row's size in its docsize table, so a row that has
    // never been indexed (a new one) costs no delete.
    let mut indexed = conn.prepare_cached("SELECT 1 FROM search_index_docsize WHERE id = ?1")?;
    let mut delete = conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?;
    let mut insert = conn.prepare_cached(INSERT_ENTRY)?;
    let mut columns = Columns::default();
    let mut terms: HashSet<String> = HashSet::new();
    for &(kind, id) in &pending {
        // Ids outside the encodable range (only raw SQL can make them) stay unindexed.
        let Some(rowid) = index_rowid(kind, id) else {
            continue;
        };
        if indexed.exists([rowid])? {
            delete.execute([rowid])?;
        }
        if let Some(doc) = load_doc(conn, kind, id)? {
            columns.fill(&doc);
            columns.collect_terms(&mut terms);
            insert.execute(params![
                rowid,
                columns.title,
                columns.body,
                columns.tags,
                columns.title_cjk,
                columns.body_cjk
            ])?;
        }
    }
    let mut add_term = conn.prepare_cached(INSERT_TERM)?;
    for term in &terms {
        add_term.execute([term])?;
    }
    conn.execute("DELETE FROM search_dirty", [])?;
    Ok(pending.len())
}

/// Drops the whole index and indexes every row again (for a damaged or
/// suspect index); returns how many rows were indexed.
pub fn rebuild(store: &mut Store) -> Result<usize> {
    store.write(|tx| {
        tx.execute_batch(
            "INSERT INTO search_index (search_index) VALUES ('delete-all');
             DELETE FROM search_dirty;
             DELETE FROM search_terms;
             INSERT INTO search_dirty (kind, id) SELECT 'firm', id FROM firms;
             INSERT INTO search_dirty (kind, id) SELECT 'chip', id FROM chips;
             INSERT INTO search_dirty (kind, id) SELECT 'source', id FROM sources;
             INSERT INTO search_dirty (kind, id) SELECT 'note', id FROM notes;
             INSERT INTO search_dirty (kind, id) SELECT 'event', id FROM events;",
        )?;
        refresh(tx)
    })
}

/// The five column values of one document, buffers reused across rows.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Columns {
    pub title: String,
    pub body: String,
    pub tags: String,
    pub title_cjk: String,
    pub body_cjk: String,
}

impl Columns {
    pub fn fill(&mut self, doc: &Doc) {
        for buffer in [
            &mut self.title,
            &mut self.body,
            &mut self.tags,
            &mut self.title_cjk,
            &mut self.body_cjk,
        ] {
            buffer.clear();
        }
        for text in std::iter::once(&doc.title).chain(&doc.names) {
            split_for_index(text, &mut self.title, &mut self.title_cjk);
        }
        for text in &doc.body {
            split_for_index(text, &mut self.body, &mut self.body_cjk);
        }
        for tag in &doc.tags {
            split_for_index(tag, &mut self.tags, &mut self.body_cjk);
        }
    }

    /// Adds the tokens to `terms`: folded words, CJK bigrams and characters.
    pub fn collect_terms(&self, terms: &mut HashSet<String>) {
        self.each_new_term(terms, |_| {});
    }

    /// Adds the tokens `terms` lacks to it, and hands each to `new`.
    pub fn each_new_term(&self, terms: &mut HashSet<String>, mut new: impl FnMut(&str)) {
        let mut add = |token: &str| {
            if !terms.contains(token) {
                terms.insert(token.to_owned());
                new(token);
            }
        };
        let mut folded = String::new();
        for text in [&self.title, &self.body, &self.tags] {
            for word in text
                .split(|c: char| !is_word_char(c))
                .filter(|w| !w.is_empty())
            {
                folded.clear();
                folded.extend(
                    word.chars()
                        .flat_map(char::to_lowercase)
                        .map(strip_diacritic),
                );
                add(&folded);
            }
        }
        for text in [&self.title_cjk, &self.body_cjk] {
            text.split(' ').filter(|t| !t.is_empty()).for_each(&mut add);
        }
    }
}
