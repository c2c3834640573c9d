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

use std::collections::HashSet;

use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::Id;
use crate::store::Store;
use crate::validate;

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
/// Column weights for bm25: title, body, tags, title_cjk, body_cjk.
const BM25: &str = "bm25(search_index, 8.0, 1.0, 3.0, 8.0, 1.0)";
/// What the query parser reads of a (perhaps pasted) text.
const MAX_QUERY_CHARS: usize = 1_000;
const MAX_TERMS: usize = 16;
/// A word still being typed is a prefix only from this length on: a one-letter
/// prefix matches most of the vocabulary.
const MIN_PREFIX_CHARS: usize = 2;
const SNIPPET_CHARS: usize = 160;
/// How much of a long field (a note may hold 200,000 characters) a snippet
/// looks through for a match; past it, the snippet shows the field's start.
const SNIPPET_SCAN_CHARS: usize = 20_000;
const SNIPPET_LEAD_CHARS: usize = 40;

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
    let from = validate::partial_date("from", query.from.as_deref())?;
    let to = validate::partial_date("to", query.to.as_deref())?;
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

/// The from/to/tag filter, as SQL over the entity row `e` with its parameters.
struct Filter {
    tag_id: Option<Id>,
    from: Option<String>,
    to: Option<String>,
}

struct FilterSql {
    sql: String,
    params: Vec<(&'static str, Box<dyn ToSql>)>,
}

impl Filter {
    /// `None` when the kind cannot pass the filter at all (a tag filter on
    /// firms, a date filter on firms).
    fn sql(&self, kind: SearchKind) -> Option<FilterSql> {
        let mut out = FilterSql {
            sql: String::new(),
            params: Vec::new(),
        };
        if let Some(tag_id) = self.tag_id {
            let (table, column) = kind.tag_table()?;
            out.sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM {table} x WHERE x.{column} = e.id AND x.tag_id = :tag)"
            ));
            out.params.push((":tag", Box::new(tag_id)));
        }
        if self.from.is_some() || self.to.is_some() {
            let date = kind.date_sql()?;
            out.sql.push_str(&format!(" AND {date} IS NOT NULL"));
            // Partial dates overlap the range: compared at the coarser precision of the two.
            if let Some(from) = &self.from {
                out.sql
                    .push_str(&format!(" AND {date} >= substr(:from, 1, length({date}))"));
                out.params.push((":from", Box::new(from.clone())));
            }
            if let Some(to) = &self.to {
                out.sql
                    .push_str(&format!(" AND substr({date}, 1, length(:to)) <= :to"));
                out.params.push((":to", Box::new(to.clone())));
            }
        }
        Some(out)
    }
}

/// Entity ids of the best `limit` matches of one kind (see the ranking rule).
fn best_ids(
    conn: &Connection,
    kind: SearchKind,
    expression: &str,
    filter: &FilterSql,
    limit: usize,
    rank: bool,
    marker: &Marker,
) -> Result<Vec<Id>> {
    if rank {
        return matching_ids(conn, kind, expression, filter, Order::Rank, limit);
    }
    let newest = matching_ids(
        conn,
        kind,
        expression,
        filter,
        Order::Newest,
        limit.max(TITLE_WINDOW),
    )?;
    let mut title_hits = Vec::new();
    let mut others = Vec::new();
    for id in newest {
        if title_matches(conn, kind, id, marker)? {
            title_hits.push(id);
        } else {
            others.push(id);
        }
    }
    title_hits.extend(others);
    title_hits.truncate(limit);
    Ok(title_hits)
}

/// Whether the query matches the title (or, for a firm, one of its names).
fn title_matches(conn: &Connection, kind: SearchKind, id: Id, marker: &Marker) -> Result<bool> {
    let titles: Vec<String> = match kind {
        SearchKind::Firm => match load_doc(conn, kind, id)? {
            Some(doc) => std::iter::once(doc.title).chain(doc.names).collect(),
            None => Vec::new(),
        },
        _ => {
            let column = if kind == SearchKind::Chip {
                "name"
            } else {
                "title"
            };
            let sql = format!("SELECT {column} FROM {} WHERE id = ?1", kind.table());
            conn.prepare_cached(&sql)?
                .query_row([id], |r| r.get(0))
                .optional()?
                .into_iter()
                .collect()
        }
    };
    Ok(titles.iter().any(|t| marker.matches(t)))
}

#[derive(Clone, Copy)]
enum Order {
    Rank,
    Newest,
}

/// Ids of one kind's matches that pass the filter, best or newest first.
fn matching_ids(
    conn: &Connection,
    kind: SearchKind,
    expression: &str,
    filter: &FilterSql,
    order: Order,
    limit: usize,
) -> Result<Vec<Id>> {
    let (low, high) = rowid_range(kind);
    let base = low;
    let order_sql = match order {
        Order::Rank => format!("{BM25}, search_index.rowid DESC"),
        Order::Newest => "search_index.rowid DESC".to_owned(),
    };
    // CROSS JOIN keeps the index as the outer loop (SQLite never reorders it), so
    // the entity table is only probed by id; rows another tool deleted and no
    // refresh has removed yet drop out here.
    let sql = format!(
        "SELECT search_index.rowid - {base} FROM search_index
         CROSS JOIN {table} e ON e.id = search_index.rowid - {base}
         WHERE search_index MATCH :match AND search_index.rowid >= :low AND search_index.rowid <= :high{filter}
         ORDER BY {order_sql} LIMIT :limit",
        table = kind.table(),
        filter = filter.sql,
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut named: Vec<(&str, &dyn ToSql)> = vec![
        (":match", &expression),
        (":low", &low),
        (":high", &high),
        (":limit", &limit),
    ];
    named.extend(
        filter
            .params
            .iter()
            .map(|(name, value)| (*name, value.as_ref())),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt
        .query_map(named.as_slice(), |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<Id>>>()?;
    Ok(ids)
}

/// SQL listing the ids (column `id`) of one kind's rows that match the MATCH
/// expression bound to `?1`, straight from the index.
pub(crate) fn kind_ids_sql(kind: SearchKind) -> String {
    let (low, high) = rowid_range(kind);
    format!(
        "SELECT rowid - {low} AS id FROM search_index
         WHERE search_index MATCH ?1 AND rowid >= {low} AND rowid <= {high}"
    )
}

fn make_hit(kind: SearchKind, id: Id, doc: Doc, marker: &Marker) -> SearchHit {
    let title_parts = parts(&doc.title, &marker.ranges(&doc.title));
    let tags = doc.tags.join(", ");
    let fields: Vec<&str> = doc
        .names
        .iter()
        .chain(&doc.body)
        .map(String::as_str)
        .chain(std::iter::once(tags.as_str()))
        .collect();
    let snippet_parts = snippet(&fields, marker);
    SearchHit {
        kind,
        id,
        title: doc.title,
        title_parts,
        snippet: snippet_parts.iter().map(|p| p.text.as_str()).collect(),
        snippet_parts,
        date: doc.date,
    }
}

// ---- Documents: what is indexed and shown for each entity --------------------------

/// The searchable text of one entity.
struct Doc {
    /// Shown as the hit's title; indexed with title weight.
    title: String,
    /// Other names (a firm's native name and aliases): title weight.
    names: Vec<String>,
    /// Everything else: body weight. Snippets come from the names, then the
    /// body, then the tags: the first with a match.
    body: Vec<String>,
    tags: Vec<String>,
    date: Option<String>,
}

fn load_doc(conn: &Connection, kind: SearchKind, id: Id) -> Result<Option<Doc>> {
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

// ---- Keeping the index in step --------------------------------------------------

/// True when changed rows wait to be indexed.
pub fn has_pending(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS (SELECT 1 FROM search_dirty)", [], |r| {
            r.get(0)
        })?,
    )
}

const INSERT_ENTRY: &str =
    "INSERT INTO search_index (rowid, title, body, tags, title_cjk, body_cjk)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const INSERT_TERM: &str = "INSERT OR IGNORE INTO search_terms (term) VALUES (?1)";

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

// ---- Indexing an import's new sources directly ----------------------------------

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
struct Columns {
    title: String,
    body: String,
    tags: String,
    title_cjk: String,
    body_cjk: String,
}

impl Columns {
    fn fill(&mut self, doc: &Doc) {
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
    fn collect_terms(&self, terms: &mut HashSet<String>) {
        self.each_new_term(terms, |_| {});
    }

    /// Adds the tokens `terms` lacks to it, and hands each to `new`.
    fn each_new_term(&self, terms: &mut HashSet<String>, mut new: impl FnMut(&str)) {
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

// ---- Text: CJK runs, bigrams, folding -------------------------------------------

/// Characters indexed as bigrams: Han (with extensions and compatibility
/// ideographs), kana and Hangul, which are written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x323AF) // CJK Extensions B to H
}

/// Full-width ASCII (ＡＢＣ１２３, common in Chinese text) as ASCII.
fn fold_width(c: char) -> char {
    match c as u32 {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// A character of a word in the unicode61 sense (letters and digits), not CJK.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Appends `text` to an index column pair: `words` gets it with CJK runs blanked
/// out (unicode61 tokenizes the rest), `cjk` gets each run's overlapping bigrams,
/// or the character itself for a run of one.
fn split_for_index(text: &str, words: &mut String, cjk: &mut String) {
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().map(fold_width) {
        if is_cjk(c) {
            if run.is_empty() {
                words.push(' ');
            }
            run.push(c);
        } else {
            push_bigrams(&run, cjk);
            run.clear();
            words.push(c);
        }
    }
    push_bigrams(&run, cjk);
    // Separates this text from the next one appended to the same column.
    words.push('\n');
}

fn push_bigrams(run: &[char], out: &mut String) {
    let mut push = |token: &[char]| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(token);
    };
    match run.len() {
        0 => {}
        1 => push(run),
        _ => run.windows(2).for_each(push),
    }
}

/// A word as unicode61 with remove_diacritics compares it: lower case, common
/// Latin diacritics removed. Only used to find matches for highlighting.
fn fold_word(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(strip_diacritic)
        .collect()
}

fn strip_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

// ---- Query parsing ---------------------------------------------------------------

/// One thing a hit must (or must not) contain.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    /// Words in a row ("export controls", "U.S.", a quoted phrase); with
    /// `prefix`, the last one may be the start of a word, which stands for
    /// `completions` (see [`ParsedQuery::complete`]).
    Words {
        words: Vec<String>,
        prefix: bool,
        completions: Vec<String>,
    },
    /// A run of CJK characters, found as a substring. A lone character stands
    /// for the bigrams it starts (`completions`).
    Cjk {
        run: Vec<char>,
        completions: Vec<String>,
    },
}

impl Term {
    fn words(words: Vec<String>, prefix: bool) -> Term {
        Term::Words {
            words,
            prefix,
            completions: Vec::new(),
        }
    }

    fn cjk(run: Vec<char>) -> Term {
        Term::Cjk {
            run,
            completions: Vec::new(),
        }
    }

    /// The term in FTS5 syntax: every word is inside a quoted string, so
    /// nothing the user typed is syntax.
    fn expression(&self) -> String {
        match self {
            Term::Words {
                words,
                prefix: true,
                completions,
            } if !completions.is_empty() => {
                let head = &words[..words.len().saturating_sub(1)];
                let phrases: Vec<String> = completions
                    .iter()
                    .map(|c| {
                        let mut phrase = head.to_vec();
                        phrase.push(c.clone());
                        quoted(&phrase.join(" "))
                    })
                    .collect();
                format!("({})", phrases.join(" OR "))
            }
            Term::Words { words, prefix, .. } => {
                format!(
                    "{}{}",
                    quoted(&words.join(" ")),
                    if *prefix { "*" } else { "" }
                )
            }
            Term::Cjk { completions, .. } if !completions.is_empty() => {
                let terms: Vec<String> = completions.iter().map(|c| quoted(c)).collect();
                format!("({})", terms.join(" OR "))
            }
            Term::Cjk { run, .. } if run.len() == 1 => format!("{}*", quoted(&run[0].to_string())),
            Term::Cjk { run, .. } => {
                let mut bigrams = String::new();
                push_bigrams(run, &mut bigrams);
                quoted(&bigrams)
            }
        }
    }

    /// The prefix to complete, folded as `search_terms` holds it.
    fn prefix(&self) -> Option<String> {
        match self {
            Term::Words {
                words,
                prefix: true,
                ..
            } => words.last().map(|w| fold_word(w)),
            Term::Cjk { run, .. } if run.len() == 1 => Some(run.iter().collect()),
            _ => None,
        }
    }

    fn set_completions(&mut self, found: Vec<String>) {
        match self {
            Term::Words { completions, .. } | Term::Cjk { completions, .. } => *completions = found,
        }
    }
}

/// An FTS5 string literal.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[derive(Debug, Default)]
struct ParsedQuery {
    include: Vec<Term>,
    exclude: Vec<Term>,
}

impl ParsedQuery {
    fn parse(text: &str) -> ParsedQuery {
        let text: String = text.chars().take(MAX_QUERY_CHARS).map(fold_width).collect();
        let mut parsed = ParsedQuery::default();
        let mut chunk = String::new();
        let mut quoted = false;
        for c in text.chars() {
            if is_quote(c) {
                parsed.add_chunk(&chunk, quoted, false);
                chunk.clear();
                quoted = !quoted;
            } else if c.is_whitespace() && !quoted {
                parsed.add_chunk(&chunk, false, false);
                chunk.clear();
            } else {
                chunk.push(c);
            }
        }
        // The last word, when the text ends in it, may still be being typed.
        let typing = !quoted && text.chars().last().is_some_and(is_word_char);
        parsed.add_chunk(&chunk, quoted, typing);
        parsed.include.truncate(MAX_TERMS);
        parsed.exclude.truncate(MAX_TERMS);
        parsed
    }

    /// Adds the terms of one whitespace-free chunk or one quoted string.
    fn add_chunk(&mut self, chunk: &str, quoted: bool, typing: bool) {
        let (negated, body) = match chunk.strip_prefix('-') {
            Some(rest) if !quoted => (true, rest),
            _ => (false, chunk),
        };
        let mut terms = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut run: Vec<char> = Vec::new();
        for c in body.chars() {
            if is_word_char(c) {
                if !run.is_empty() {
                    terms.push(Term::cjk(std::mem::take(&mut run)));
                }
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if is_cjk(c) {
                run.push(c);
                continue;
            }
            if !run.is_empty() {
                terms.push(Term::cjk(std::mem::take(&mut run)));
            }
            // `word*`: a prefix; it ends the phrase (only its last word can be one).
            if c == '*' && !quoted && !words.is_empty() {
                terms.push(Term::words(std::mem::take(&mut words), true));
            }
        }
        if !run.is_empty() {
            terms.push(Term::cjk(run));
        }
        let typed_word = !word.is_empty();
        if typed_word {
            words.push(word);
        }
        if !words.is_empty() {
            let prefix = typing
                && typed_word
                && !negated
                && words
                    .last()
                    .is_some_and(|w| w.chars().count() >= MIN_PREFIX_CHARS);
            terms.push(Term::words(words, prefix));
        }
        if negated {
            self.exclude.extend(terms);
        } else {
            self.include.extend(terms);
        }
    }

    /// Looks up what each prefix stands for: its shortest completions.
    /// None found: the prefix stays an FTS5 prefix query (which then matches
    /// nothing, cheaply).
    fn complete(&mut self, conn: &Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached(
            "SELECT term FROM search_terms WHERE term >= ?1 AND term < ?1 || char(1114111)
             ORDER BY length(term), term LIMIT ?2",
        )?;
        for term in self.include.iter_mut().chain(self.exclude.iter_mut()) {
            if let Some(prefix) = term.prefix() {
                let found = stmt
                    .query_map(params![prefix, PREFIX_COMPLETIONS as i64], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                term.set_completions(found);
            }
        }
        Ok(())
    }

    /// True when every term matches at most BM25_TERM_LIMIT rows in the whole
    /// index, so that bm25's IDF counts are cheap (see the ranking rule).
    fn terms_are_rare(&self, conn: &Connection) -> Result<bool> {
        let mut stmt = conn.prepare_cached(
            "SELECT count(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ?1 LIMIT ?2)",
        )?;
        for term in self.include.iter().chain(&self.exclude) {
            let count: i64 = stmt.query_row(
                params![term.expression(), BM25_TERM_LIMIT as i64 + 1],
                |r| r.get(0),
            )?;
            if count > BM25_TERM_LIMIT as i64 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The FTS5 MATCH expression: every included term AND-ed, excluded ones NOT-ed.
    fn expression(&self) -> Option<String> {
        if self.include.is_empty() {
            return None;
        }
        let include = self
            .include
            .iter()
            .map(Term::expression)
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut expression = format!("({include})");
        for term in &self.exclude {
            expression = format!("({expression} NOT {})", term.expression());
        }
        Some(expression)
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』'
    )
}

// ---- Highlighting and snippets ---------------------------------------------------

/// Finds where the included terms occur in a text, the way the index matched them.
struct Marker {
    /// Folded words; `true` where a word may be a prefix.
    words: Vec<(String, bool)>,
    runs: Vec<Vec<char>>,
}

impl Marker {
    fn new(query: &ParsedQuery) -> Marker {
        let mut marker = Marker {
            words: Vec::new(),
            runs: Vec::new(),
        };
        for term in &query.include {
            match term {
                Term::Words { words, prefix, .. } => {
                    for (i, word) in words.iter().enumerate() {
                        // A word may also hold several unicode61 tokens; its pieces are marked.
                        let last = i + 1 == words.len();
                        marker.words.push((fold_word(word), *prefix && last));
                    }
                }
                Term::Cjk { run, .. } => marker.runs.push(run.clone()),
            }
        }
        marker
    }

    fn matches(&self, text: &str) -> bool {
        !self.ranges(text).is_empty()
    }

    /// Byte ranges of matches in `text`, sorted, not overlapping.
    fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text
            .char_indices()
            .map(|(i, c)| (i, fold_width(c)))
            .collect();
        let end_of = |index: usize| chars.get(index).map_or(text.len(), |(i, _)| *i);
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if is_word_char(c) {
                let start = i;
                while i < chars.len() && is_word_char(chars[i].1) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().map(|(_, c)| *c).collect();
                let folded = fold_word(&word);
                let hit = self
                    .words
                    .iter()
                    .any(|(w, prefix)| folded == *w || (*prefix && folded.starts_with(w.as_str())));
                if hit {
                    ranges.push((chars[start].0, end_of(i)));
                }
                continue;
            }
            if is_cjk(c) {
                for run in &self.runs {
                    let n = run.len();
                    if i + n <= chars.len()
                        && chars[i..i + n]
                            .iter()
                            .map(|(_, c)| *c)
                            .eq(run.iter().copied())
                    {
                        ranges.push((chars[i].0, end_of(i + n)));
                    }
                }
            }
            i += 1;
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }
}

/// `text` cut into parts at the byte `ranges`.
fn parts(text: &str, ranges: &[(usize, usize)]) -> Vec<SnippetPart> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in ranges {
        if start > at {
            out.push(SnippetPart {
                text: text[at..start].to_owned(),
                hit: false,
            });
        }
        out.push(SnippetPart {
            text: text[start..end].to_owned(),
            hit: true,
        });
        at = end;
    }
    if at < text.len() {
        out.push(SnippetPart {
            text: text[at..].to_owned(),
            hit: false,
        });
    }
    out
}

/// The snippet: around the first match in the first field that has one, else
/// the start of the first non-empty field. One line, whitespace collapsed.
fn snippet(fields: &[&str], marker: &Marker) -> Vec<SnippetPart> {
    let mut fallback = None;
    for field in fields {
        let scanned = match field.char_indices().nth(SNIPPET_SCAN_CHARS) {
            Some((end, _)) => &field[..end],
            None => field,
        };
        let text = one_line(scanned);
        if text.is_empty() {
            continue;
        }
        let ranges = marker.ranges(&text);
        if let Some(&(first, _)) = ranges.first() {
            return window(&text, &ranges, first);
        }
        if fallback.is_none() {
            fallback = Some(text);
        }
    }
    fallback.map_or_else(Vec::new, |text| window(&text, &[], 0))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to SNIPPET_CHARS characters of `text` starting a little before byte
/// `first`, cut at spaces where that is near, with "…" where text is left out.
fn window(text: &str, ranges: &[(usize, usize)], first: usize) -> Vec<SnippetPart> {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let first_char = starts.partition_point(|&b| b < first);
    let mut start_char = first_char.saturating_sub(SNIPPET_LEAD_CHARS);
    if start_char > 0 {
        // Begin after a space when one is near, so the first word is whole.
        if let Some(space) = (start_char..first_char).find(|&i| text[starts[i]..].starts_with(' '))
        {
            start_char = space + 1;
        }
    }
    let mut end_char = (start_char + SNIPPET_CHARS).min(starts.len());
    if end_char < starts.len() {
        let floor = end_char.saturating_sub(20).max(first_char + 1);
        if let Some(space) = (floor..end_char)
            .rev()
            .find(|&i| text[starts[i]..].starts_with(' '))
        {
            end_char = space;
        }
    }
    let byte = |i: usize| starts.get(i).copied().unwrap_or(text.len());
    let (start, end) = (byte(start_char), byte(end_char));
    let clipped: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|(s, e)| *e > start && *s < end)
        .map(|(s, e)| ((*s).max(start) - start, (*e).min(end) - start))
        .collect();
    let mut out = Vec::new();
    if start > 0 {
        out.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    out.extend(parts(&text[start..end], &clipped));
    if end < text.len() {
        out.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    // Neighbouring plain parts read as one.
    let mut merged: Vec<SnippetPart> = Vec::new();
    for part in out {
        match merged.last_mut() {
            Some(last) if !last.hit && !part.hit => last.text.push_str(&part.text),
            _ => merged.push(part),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn match_expression(text: &str) -> Option<String> {
        ParsedQuery::parse(text).expression()
    }

    #[test]
    fn hostile_text_becomes_quoted_terms_only() {
        assert_eq!(match_expression(""), None);
        assert_eq!(match_expression("  \"\" *** --- 🚀 "), None);
        assert_eq!(
            match_expression("huawei AND \"export controls\" -smic"),
            Some("((\"huawei\" AND \"AND\" AND \"export controls\") NOT \"smic\")".into())
        );
        assert_eq!(match_expression("asc"), Some("(\"asc\"*)".into()));
        assert_eq!(match_expression("asc "), Some("(\"asc\")".into()));
        assert_eq!(match_expression("华为"), Some("(\"华为\")".into()));
        assert_eq!(match_expression("光刻机"), Some("(\"光刻 刻机\")".into()));
        assert_eq!(match_expression("芯"), Some("(\"芯\"*)".into()));
        assert_eq!(
            match_expression("U.S. H20芯片"),
            Some("(\"U S\" AND \"芯片\" AND \"H20\")".into())
        );
    }

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

    #[test]
    fn index_text_splits_words_from_cjk_bigrams() {
        let (mut words, mut cjk) = (String::new(), String::new());
        split_for_index("Huawei 华为技术 Ascend，芯", &mut words, &mut cjk);
        assert_eq!(cjk, "华为 为技 技术 芯");
        assert!(words.contains("Huawei") && words.contains("Ascend"));
        assert!(!words.chars().any(is_cjk));
    }

    #[test]
    fn snippets_mark_words_prefixes_and_cjk_runs() {
        let marker = Marker::new(&ParsedQuery::parse("export 芯片 asc"));
        let text = "Exports of 国产芯片 and Ascend: export controls";
        let marked: Vec<&str> = marker
            .ranges(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(marked, ["芯片", "Ascend", "export"]);
    }
}
