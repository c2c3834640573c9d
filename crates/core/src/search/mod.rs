//! One search box for firms, chips, sources, notes and events, in English and Chinese.
//!
//! **Index** (migration 0005): one contentless FTS5 table, `search_index`, whose
//! rowid is `(kind code << 40) + id`, so a kind is a rowid range and newest first
//! is rowid order. Words go to `title` / `body` / `tags` (unicode61: case and
//! diacritics folded, prefix queries). Chinese, Japanese and Korean runs go, as
//! overlapping bigrams, to `title_cjk` / `body_cjk` (华为技术 → 华为 为技 技术), and a
//! query run becomes the phrase of its bigrams, so any substring of two or more
//! characters is found, also inside longer titles. A run of one character is
//! indexed as itself; a one-character query finds the bigrams it starts.
//!
//! **Keeping it in step**: triggers queue changed rows in `search_dirty` (plain
//! SQL, so any tool may write the tables), and [`refresh`] re-indexes the queue
//! in Rust. The store calls it before every write commits, after creating a
//! workspace, and when a read-write open finds the queue non-empty (a migration
//! or another tool wrote rows). An import of sources indexes its new rows
//! itself from the values it holds (`EntryPreparer`, `EntryWriter`),
//! with the queueing triggers suspended for its transaction.
//!
//! **Queries**: the user's text is never FTS5 syntax. It is cut into words and
//! CJK runs here and each is quoted, so quotes, `AND`, `*`, `-`, emoji or
//! SQL-looking text can only make a query match less, never fail.
//! `"a phrase"` keeps words together, `-word` leaves out what contains word,
//! `word*` is a prefix, and so is the last word while it is still being typed.
//! A prefix (and a lone CJK character) stands for its [`PREFIX_COMPLETIONS`]
//! shortest completions, looked up in `search_terms`: FTS5's own prefix query
//! merges every completion's posting list on every run (~10 ms for a common
//! prefix at a million rows), whereas an OR of terms is read lazily.
//!
//! **Ranking rule** (measured on 1M rows: bm25 top-50 costs ~100 ms when a term
//! hits 8% of rows, rowid order < 1 ms). bm25 is dear twice over: it scores every
//! match, and it counts each term's matches in the whole index for its IDF
//! (~7 ms for a term in a third of a million rows, even when the kind asked
//! about has four matches); a column filter (`{title}: term`) is no cheaper, as
//! FTS5 reads the term's whole posting list for it. So:
//! - when every term matches at most [`BM25_TERM_LIMIT`] rows in the whole
//!   index (counted with a bounded query), hits are ranked by bm25, titles
//!   weighted up: it then costs a few milliseconds at most;
//! - otherwise, per kind, the newest [`TITLE_WINDOW`] matches are read in rowid
//!   order (< 1 ms), and those whose title matches come first, then the rest,
//!   newest first within each.
//!
//! **Files**: `query` (the user's text → terms and the MATCH expression),
//! `ranking` (the filter and the ranking rule), `documents` (what is indexed
//! and shown for each entity), `index` (refresh, rebuild), `import_entries`
//! (an import's entries, written directly), `tokens` (CJK runs, bigrams,
//! folding), `snippets` (highlighting, snippets, the hit).

mod documents;
mod import_entries;
mod index;
mod query;
mod ranking;
mod snippets;
mod tokens;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date;
use crate::error::Result;
use crate::model::Id;
use crate::store::Store;

use documents::load_doc;
use query::ParsedQuery;
use ranking::{best_ids, Filter};
use snippets::{make_hit, Marker};

pub(crate) use import_entries::{EntryPreparer, EntryWriter, PreparedEntry};
pub use index::{has_pending, rebuild, refresh};
pub(crate) use ranking::kind_ids_sql;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Firm,
    Chip,
    Source,
    Note,
    Event,
}

impl SearchKind {
    /// Every kind, in the order results are grouped.
    pub const ALL: [SearchKind; 5] = [
        SearchKind::Firm,
        SearchKind::Chip,
        SearchKind::Source,
        SearchKind::Note,
        SearchKind::Event,
    ];

    /// The name stored in `search_dirty.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Firm => "firm",
            SearchKind::Chip => "chip",
            SearchKind::Source => "source",
            SearchKind::Note => "note",
            SearchKind::Event => "event",
        }
    }

    fn parse(text: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The high bits of the kind's rowids; never change (indexes on disk use them).
    fn code(self) -> i64 {
        match self {
            SearchKind::Firm => 1,
            SearchKind::Chip => 2,
            SearchKind::Source => 3,
            SearchKind::Note => 4,
            SearchKind::Event => 5,
        }
    }

    fn table(self) -> &'static str {
        match self {
            SearchKind::Firm => "firms",
            SearchKind::Chip => "chips",
            SearchKind::Source => "sources",
            SearchKind::Note => "notes",
            SearchKind::Event => "events",
        }
    }

    /// The partial date the from/to filter compares (`e` is the entity row).
    /// Firms have none, so a date filter leaves them out.
    fn date_sql(self) -> Option<&'static str> {
        match self {
            SearchKind::Firm => None,
            SearchKind::Chip => Some("e.announced_on"),
            SearchKind::Source => Some("e.published_on"),
            SearchKind::Note => Some("substr(e.created_at, 1, 10)"),
            SearchKind::Event => Some("e.occurred_on"),
        }
    }

    /// The table tying the kind to tags, and its column naming the entity.
    fn tag_table(self) -> Option<(&'static str, &'static str)> {
        match self {
            SearchKind::Source => Some(("source_tags", "source_id")),
            SearchKind::Note => Some(("note_tags", "note_id")),
            _ => None,
        }
    }
}

/// What the search box asks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    /// What the user typed, as typed.
    pub text: String,
    /// Only these kinds; empty means every kind.
    pub kinds: Vec<SearchKind>,
    /// Only sources and notes with this tag (ignoring case).
    pub tag: Option<String>,
    /// Only things dated in or after this partial date ("2023", "2023-10", "2023-10-17").
    /// Sources by publication, events by occurrence, chips by announcement, notes
    /// by creation; firms have no date and are left out.
    pub from: Option<String>,
    /// Only things dated in or before this partial date.
    pub to: Option<String>,
    /// At most this many hits of each kind (default 20, at most 200).
    pub limit: Option<u32>,
}

/// A piece of a title or snippet; `hit` marks what the query matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: Id,
    pub title: String,
    /// The title cut where the query matched it.
    pub title_parts: Vec<SnippetPart>,
    /// Plain text around the first match outside the title (one line, at most
    /// ~160 characters, "…" where cut); the start of the text when only the
    /// title matched.
    pub snippet: String,
    /// `snippet` cut where the query matched it; plain text, never HTML.
    pub snippet_parts: Vec<SnippetPart>,
    /// The partial date the date filter uses (none for firms).
    pub date: Option<String>,
}

/// Hits per kind when the query names no limit.
pub const DEFAULT_LIMIT: usize = 20;
/// The most hits per kind a query may ask for.
pub const MAX_LIMIT: usize = 200;
/// bm25 ranks only when each term matches at most this many rows in the whole
/// index: scoring them and counting them for the IDF then costs ~3 ms at most.
pub const BM25_TERM_LIMIT: usize = 2_000;
/// Otherwise, title matches among this many newest matches (per kind) come first.
pub const TITLE_WINDOW: usize = 400;
/// How many completions a prefix stands for (the shortest ones: the word
/// being typed is more likely "export" than "exportability").
pub const PREFIX_COMPLETIONS: usize = 24;

/// A kind's rowids are `(code << KIND_SHIFT) + id`; ids from 0 to 2^40 - 1 are indexed.
const KIND_SHIFT: u32 = 40;
const ID_LIMIT: i64 = 1 << KIND_SHIFT;

fn index_rowid(kind: SearchKind, id: Id) -> Option<i64> {
    (0..ID_LIMIT)
        .contains(&id)
        .then(|| (kind.code() << KIND_SHIFT) + id)
}

fn rowid_range(kind: SearchKind) -> (i64, i64) {
    let base = kind.code() << KIND_SHIFT;
    (base, base + ID_LIMIT - 1)
}

// ---- Searching ----------------------------------------------------------------

/// Hits for `query`, grouped by kind (firms, chips, sources, notes, events), the
/// best first within each kind. Text with nothing searchable in it (blank,
/// punctuation, emoji) finds nothing; only a bad from/to date is an error.
pub fn search(store: &Store, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let from = date::FROM.read(query.from.as_deref())?;
    let to = date::TO.read(query.to.as_deref())?;
    let mut parsed = ParsedQuery::parse(&query.text);
    if parsed.include.is_empty() {
        return Ok(Vec::new());
    }
    let limit = query
        .limit
        .map_or(DEFAULT_LIMIT, |l| l as usize)
        .clamp(1, MAX_LIMIT);
    let mut kinds = if query.kinds.is_empty() {
        SearchKind::ALL.to_vec()
    } else {
        query.kinds.clone()
    };
    kinds.sort();
    kinds.dedup();
    let marker = Marker::new(&parsed);

    store.read(|conn| {
        parsed.complete(conn)?;
        let Some(expression) = parsed.expression() else {
            return Ok(Vec::new());
        };
        let tag_id = match query.tag.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => {
                let id: Option<Id> = conn
                    .query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0))
                    .optional()?;
                // An unknown tag: nothing carries it.
                Some(id.unwrap_or(-1))
            }
        };
        let filter = Filter { tag_id, from, to };
        let rank = parsed.terms_are_rare(conn)?;
        let mut hits = Vec::new();
        for kind in kinds {
            let Some(filter_sql) = filter.sql(kind) else {
                continue;
            };
            let ids = best_ids(conn, kind, &expression, &filter_sql, limit, rank, &marker)?;
            for id in ids {
                if let Some(doc) = load_doc(conn, kind, id)? {
                    hits.push(make_hit(kind, id, doc, &marker));
                }
            }
        }
        Ok(hits)
    })
}

/// True when `text` names words to leave out (`-huawei`) but none to look for:
/// search() then finds nothing, whatever the workspace holds, and a caller may
/// say why rather than show an empty list.
pub fn only_leaves_out(text: &str) -> bool {
    let parsed = ParsedQuery::parse(text);
    parsed.include.is_empty() && !parsed.exclude.is_empty()
}

/// The FTS5 MATCH expression search() runs for `text`, or `None` when nothing
/// in it is searchable (the sources list filters with it; benchmarks time it bare).
pub fn match_expression(store: &Store, text: &str) -> Result<Option<String>> {
    store.read(|conn| match_expression_in(conn, text))
}

pub(crate) fn match_expression_in(conn: &Connection, text: &str) -> Result<Option<String>> {
    let mut parsed = ParsedQuery::parse(text);
    parsed.complete(conn)?;
    Ok(parsed.expression())
}
