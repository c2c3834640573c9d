//! Indexing an import's new sources directly, from the values they are stored
//! with, instead of queueing them for [`refresh`](super::refresh).

use std::collections::HashSet;

use rusqlite::{params, Connection};

use super::documents::Doc;
use super::index::{Columns, INSERT_ENTRY, INSERT_TERM};
use super::{index_rowid, SearchKind};
use crate::error::Result;
use crate::model::Id;

/// A new source's index entry, worked out from the values it is stored with
/// and without the database: the import prepares entries on its reading
/// thread and writes each as it inserts the row, instead of queueing rows for
/// [`refresh`] to read back.
pub(crate) struct PreparedEntry {
    columns: Columns,
    /// Tokens the preparer had not handed out before (for `search_terms`).
    new_terms: Vec<String>,
}

impl PreparedEntry {
    /// The tokens this entry hands out: a row left out of the index (a
    /// duplicate) must still add them, as a later row may hold them too.
    pub fn into_new_terms(self) -> Vec<String> {
        self.new_terms
    }
}

/// Prepares entries, remembering the tokens it has handed out so that each
/// reaches `search_terms` about once.
#[derive(Default)]
pub(crate) struct EntryPreparer {
    handed_out: HashSet<String>,
}

/// Tokens a preparer remembers before it starts afresh: bounds its memory on a
/// huge file; a token handed out twice costs one ignored insert.
const PREPARER_MAX_TERMS: usize = 50_000;

impl EntryPreparer {
    /// The entry of a source stored with `draft`'s values; the same columns
    /// [`refresh`] would index once the row is in the database.
    pub fn source(&mut self, draft: &crate::model::SourceDraft) -> PreparedEntry {
        let mut tags = draft.tags.clone();
        // As the database lists them: tag names are unique and sorted ignoring ASCII case.
        tags.sort_by_key(|t| t.to_ascii_lowercase());
        tags.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let doc = Doc {
            title: draft.title.clone(),
            names: Vec::new(),
            body: [&draft.r#abstract, &draft.authors, &draft.publisher]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            tags,
            date: draft.published_on.clone(),
        };
        let mut columns = Columns::default();
        columns.fill(&doc);
        if self.handed_out.len() > PREPARER_MAX_TERMS {
            self.handed_out.clear();
        }
        let mut new_terms = Vec::new();
        columns.each_new_term(&mut self.handed_out, |t| new_terms.push(t.to_owned()));
        PreparedEntry { columns, new_terms }
    }
}

/// Writes prepared entries into the index.
pub(crate) struct EntryWriter<'c> {
    insert: rusqlite::CachedStatement<'c>,
    add_term: rusqlite::CachedStatement<'c>,
}

impl<'c> EntryWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<EntryWriter<'c>> {
        Ok(EntryWriter {
            insert: conn.prepare_cached(INSERT_ENTRY)?,
            add_term: conn.prepare_cached(INSERT_TERM)?,
        })
    }

    /// Indexes row `id` of `kind`, which must not be in the index yet (a new row).
    pub fn add(&mut self, kind: SearchKind, id: Id, entry: &PreparedEntry) -> Result<()> {
        let Some(rowid) = index_rowid(kind, id) else {
            return Ok(());
        };
        let c = &entry.columns;
        self.insert.execute(params![
            rowid,
            c.title,
            c.body,
            c.tags,
            c.title_cjk,
            c.body_cjk
        ])?;
        self.add_terms(&entry.new_terms)
    }

    /// Adds `terms` to the known terms.
    pub fn add_terms(&mut self, terms: &[String]) -> Result<()> {
        for term in terms {
            self.add_term.execute([term])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::documents::load_doc;
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_prepared_source_entry_is_what_refresh_would_index() {
        let store = Store::open_in_memory_with(crate::store::Hooks::default()).unwrap();
        let draft = crate::model::SourceDraft {
            kind: crate::model::SourceKind::Report,
            title: "华为昇腾 910B: \"Ascend\" yields, SMIC N+2 🚀".into(),
            authors: Some("Li, Wei; O'Brien, Ana".into()),
            publisher: Some("财新 Caixin".into()),
            url: None,
            doi: None,
            published_on: Some("2023-10".into()),
            accessed_on: None,
            language: Some("zh".into()),
            r#abstract: Some("国产芯片\nline two, with commas".into()),
            reliability: None,
            credibility: None,
            tags: vec!["export controls".into(), "Ascend".into(), "芯片".into()],
        };
        // Stored as the source form stores this (already clean) draft; sources.rs
        // itself is not called, as it searches through this module.
        let conn = store.conn();
        conn.execute(
            "INSERT INTO sources (kind, title, authors, publisher, url, doi, published_on, accessed_on,
                language, abstract, reliability, credibility, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            rusqlite::params![
                crate::text::enum_text(&draft.kind),
                draft.title,
                draft.authors,
                draft.publisher,
                draft.url,
                draft.doi,
                draft.published_on,
                draft.accessed_on,
                draft.language,
                draft.r#abstract,
                draft.reliability,
                draft.credibility,
                crate::text::now_utc(),
            ],
        )
        .unwrap();
        let id = conn.last_insert_rowid();
        let tag_ids = draft
            .tags
            .iter()
            .map(|tag| crate::relations::tag_id(conn, tag))
            .collect::<Result<Vec<Id>>>()
            .unwrap();
        crate::relations::replace(conn, "source_tags", "source_id", id, "tag_id", &tag_ids)
            .unwrap();
        let stored = load_doc(store.conn(), SearchKind::Source, id)
            .unwrap()
            .unwrap();
        let mut refreshed = Columns::default();
        refreshed.fill(&stored);

        let mut preparer = EntryPreparer::default();
        let entry = preparer.source(&draft);
        assert_eq!(entry.columns, refreshed);
        let mut terms = HashSet::new();
        refreshed.collect_terms(&mut terms);
        let mut new_terms = entry.new_terms.clone();
        new_terms.sort();
        let mut expected: Vec<String> = terms.into_iter().collect();
        expected.sort();
        assert_eq!(new_terms, expected);
        assert!(
            preparer.source(&draft).new_terms.is_empty(),
            "a preparer hands each term out once"
        );
    }
}
