//! Sources: anything a claim cites.

use rusqlite::{params, Connection, OptionalExtension};

use crate::date;
use crate::error::{Error, Result};
use crate::id_bits;
use crate::model::{
    Editing, Id, Source, SourceCursor, SourceDraft, SourceFilter, SourceKind, SourcePage,
    SourcePageQuery, SourceSort,
};
use crate::relations;
use crate::rows_inserter::RowsInserter;
use crate::search::{self, SearchKind};
use crate::store::Store;
use crate::text::column_enum;
use crate::text::{enum_text, now_utc, sql_limit};
use crate::validate::{self, next_revision, required_revision};

const SELECT_SOURCES: &str =
    "SELECT id, kind, title, authors, publisher, url, doi, published_on, accessed_on,
        language, reliability, credibility FROM sources";

/// All sources, newest publication first (the latest added first within a
/// date); undated last. Reads only `limit` rows, through an index.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Source>> {
    store.read(|conn| {
        let (ids, _) = page_ids(
            conn,
            SourceSort::Published,
            true,
            None,
            None,
            0,
            sql_limit(limit),
        )?;
        ids.into_iter().map(|id| load(conn, id)).collect()
    })
}

/// How many sources a picker offers for what was typed.
pub const PICKER_MATCHES: usize = 20;

/// Sources matching `text` for pickers, best match first: words and prefixes
/// in English, two or more characters in Chinese, over title, authors,
/// publisher, abstract and tags (see `search.rs`).
pub fn find(store: &Store, text: &str, limit: usize) -> Result<Vec<Source>> {
    // The search index, not a LIKE scan: the picker stays quick at a million sources.
    let hits = crate::search::search(
        store,
        &crate::search::SearchQuery {
            text: text.to_owned(),
            kinds: vec![crate::search::SearchKind::Source],
            tag: None,
            from: None,
            to: None,
            limit: Some(u32::try_from(limit).unwrap_or(u32::MAX)),
        },
    )?;
    by_ids(store, &hits.iter().map(|hit| hit.id).collect::<Vec<_>>())
}

/// The sources with these ids, in the order asked; ids that no longer exist are skipped
/// (a picker shows what is still there).
pub fn by_ids(store: &Store, ids: &[Id]) -> Result<Vec<Source>> {
    store.read(|conn| {
        let mut found = Vec::new();
        for id in ids {
            match load(conn, *id) {
                Ok(source) => found.push(source),
                Err(Error::NotFound { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(found)
    })
}

pub(crate) fn load(conn: &Connection, source_id: Id) -> Result<Source> {
    // Cached: a firm profile loads a thousand sources this way.
    let mut stmt = conn.prepare_cached(&format!("{SELECT_SOURCES} WHERE id = ?1"))?;
    stmt.query_row([source_id], map_row)
        .optional()?
        .ok_or(Error::NotFound {
            entity: "source",
            id: source_id,
        })
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

// ---- The paged list ----------------------------------------------------------

/// The most rows one page may hold.
pub const MAX_PAGE_ROWS: u32 = 500;
/// A filter matching at most this many sources is sorted directly by SQLite;
/// a broader one is applied while walking the sort index.
const FILTER_SORT_LIMIT: usize = 5_000;

/// One page of the sources list, sorted through an index, so a page costs the
/// same at a million sources as at ten: it never reads or sorts the table.
/// A filter (the search box's words; blank or nothing searchable means all)
/// reads its matches from the search index once: ~25 ms when a third of a
/// million sources match.
pub fn page(store: &Store, query: &SourcePageQuery) -> Result<SourcePage> {
    let limit = i64::from(query.limit.clamp(1, MAX_PAGE_ROWS));
    store.read(|conn| {
        let matched = matching_ids(conn, &query.filter)?;
        let offset = match query.after {
            Some(_) => 0,
            None => i64::from(query.offset.unwrap_or(0)),
        };
        let (ids, total) = page_ids(
            conn,
            query.sort,
            query.descending,
            matched.as_deref(),
            query.after.as_ref(),
            offset,
            limit,
        )?;
        let rows = ids
            .into_iter()
            .map(|id| load(conn, id))
            .collect::<Result<Vec<_>>>()?;
        let total = match total {
            Some(total) => total,
            None => conn.query_row("SELECT count(*) FROM sources", [], |r| r.get(0))?,
        };
        let next = match rows.last() {
            Some(last) if rows.len() as i64 == limit => Some(SourceCursor {
                key: match query.sort {
                    SourceSort::Title => Some(last.title.clone()),
                    SourceSort::Published => last.published_on.clone(),
                    SourceSort::Publisher => last.publisher.clone(),
                    SourceSort::Kind => Some(enum_text(&last.kind)),
                    SourceSort::Grade => grade_key(last),
                    SourceSort::Added => None,
                },
                id: last.id,
            }),
            _ => None,
        };
        Ok(SourcePage { rows, total, next })
    })
}

/// The grade as the `sources_grade` index holds it (migration 0011).
const GRADE_KEY: &str = "(s.reliability || coalesce(s.credibility, 7))";

/// A source's value of `GRADE_KEY`, for the cursor: "B2", "B7" for "B" (an
/// unknown credibility after 6), or none without a reliability grade.
fn grade_key(source: &Source) -> Option<String> {
    let credibility = source.credibility.unwrap_or(7);
    source
        .reliability
        .as_ref()
        .map(|r| format!("{r}{credibility}"))
}

/// The sources `filter` lets through, ascending by id; `None` when it sets
/// no condition (every source). Each condition reads its own index (the
/// search index for words; batch, kind, grade, date; the firm's links) into
/// a bitmap (`id_bits`), and the bitmaps are intersected here.
pub(crate) fn matching_ids(conn: &Connection, filter: &SourceFilter) -> Result<Option<Vec<Id>>> {
    let mut conditions = Vec::new();
    // Blank, or nothing searchable in the words, sets no condition.
    if let Some(text) = filter.words.as_deref() {
        if let Some(expression) = search::match_expression_in(conn, text)? {
            conditions.push(Condition::new(
                search::kind_ids_sql(SearchKind::Source),
                vec![rusqlite::types::Value::Text(expression)],
            ));
        }
    }
    // One query per condition, each answered by its own index alone (no
    // table rows read): a second condition in the same query is checked
    // against table rows.
    for Condition { sql, values } in column_conditions(filter)? {
        conditions.push(Condition::new(
            format!("SELECT s.id FROM sources s WHERE {sql}"),
            values,
        ));
    }
    if conditions.is_empty() {
        return Ok(None);
    }
    match common_ids_as_bits(conn, &conditions)? {
        Some(ids) => Ok(Some(ids)),
        None => common_ids_as_rows(conn, &conditions).map(Some),
    }
}

/// The ids every query yields, intersected as bitmaps; None when an id is
/// out of the bitmaps' range.
fn common_ids_as_bits(conn: &Connection, queries: &[Condition]) -> Result<Option<Vec<Id>>> {
    let mut common: Option<id_bits::Bits> = None;
    for query in queries {
        let params = rusqlite::params_from_iter(&query.values);
        let Some(bits) = id_bits::gather(conn, &query.sql, params)? else {
            return Ok(None);
        };
        match &mut common {
            None => common = Some(bits),
            Some(common) => common.keep_common(&bits),
        }
        if common.as_ref().is_some_and(id_bits::Bits::is_empty) {
            break;
        }
    }
    Ok(Some(common.map(|bits| bits.ids()).unwrap_or_default()))
}

/// The ids every query yields, read as rows, sorted and intersected: for a
/// workspace whose ids are beyond the bitmaps' range.
fn common_ids_as_rows(conn: &Connection, queries: &[Condition]) -> Result<Vec<Id>> {
    let mut sets = Vec::with_capacity(queries.len());
    for query in queries {
        let mut stmt = conn.prepare_cached(&query.sql)?;
        let mut ids = stmt
            .query_map(rusqlite::params_from_iter(&query.values), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        ids.sort_unstable();
        sets.push(ids);
    }
    // The smallest set, kept where every other set has the id too.
    sets.sort_by_key(Vec::len);
    let mut sets = sets.into_iter();
    let smallest = sets.next().unwrap_or_default();
    let others: Vec<Vec<Id>> = sets.collect();
    Ok(smallest
        .into_iter()
        .filter(|id| others.iter().all(|set| set.binary_search(id).is_ok()))
        .collect())
}

/// SQL and its values: a condition over `sources s`, or a query of source
/// ids (one column, `id`) that `matching_ids` makes of one.
struct Condition {
    sql: String,
    values: Vec<rusqlite::types::Value>,
}

impl Condition {
    fn new(sql: impl Into<String>, values: Vec<rusqlite::types::Value>) -> Condition {
        Condition {
            sql: sql.into(),
            values,
        }
    }
}

/// The filter's conditions on a source's own columns (and the firm's links);
/// each is written so that an index answers it (migrations 0001, 0006, 0011,
/// 0012). The two dates are one condition: one range of one index.
fn column_conditions(filter: &SourceFilter) -> Result<Vec<Condition>> {
    use rusqlite::types::Value;
    let mut conditions = Vec::new();
    if let Some(batch) = filter.import_batch {
        conditions.push(Condition::new(
            "s.import_batch_id = ?",
            vec![Value::Integer(batch)],
        ));
    }
    if let Some(kind) = &filter.kind {
        conditions.push(Condition::new(
            "s.kind = ?",
            vec![Value::Text(enum_text(kind))],
        ));
    }
    match filter.reliability.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("none") => conditions.push(Condition::new(format!("{GRADE_KEY} IS NULL"), Vec::new())),
        Some(letter @ ("A" | "B" | "C" | "D" | "E" | "F")) => {
            // The grade key starts with the letter: "B1" … "B7".
            conditions.push(Condition::new(
                format!("{GRADE_KEY} >= ? AND {GRADE_KEY} < ?"),
                vec![
                    Value::Text(letter.to_owned()),
                    Value::Text(format!("{letter}~")),
                ],
            ));
        }
        Some(other) => {
            return Err(Error::invalid(
                "filter.reliability",
                format!("“{other}” is not a reliability grade — choose A to F, or none"),
            ))
        }
    }
    let mut dates = Condition::new("", Vec::new());
    let mut and_date = |sql: &str, value: String| {
        if !dates.sql.is_empty() {
            dates.sql.push_str(" AND ");
        }
        dates.sql.push_str(sql);
        dates.values.push(Value::Text(value));
    };
    if let Some(from) =
        date::PUBLISHED_FROM.read_at("filter.publishedFrom", filter.published_from.as_deref())?
    {
        and_date("s.published_on >= ?", from);
    }
    if let Some(to) =
        date::PUBLISHED_TO.read_at("filter.publishedTo", filter.published_to.as_deref())?
    {
        // "~" sorts after every digit and "-": up to 2023-10 takes 2023-10-31 too.
        and_date("s.published_on <= ?", format!("{to}~"));
    }
    if !dates.sql.is_empty() {
        conditions.push(dates);
    }
    if let Some(firm) = filter.firm {
        // As the firm's profile counts its sources: its chips are its own and
        // its subsidiaries' (the firm_chips view, migration 0002).
        conditions.push(Condition::new(
            "s.id IN (SELECT source_id FROM source_firms WHERE firm_id = ?
               UNION SELECT e.source_id FROM assessment_evidence e
                 JOIN assessments a ON a.id = e.assessment_id WHERE a.firm_id = ?
               UNION SELECT cs.source_id FROM chip_sources cs
                 JOIN firm_chips fc ON fc.chip_id = cs.chip_id WHERE fc.firm_id = ?
               UNION SELECT source_id FROM export_control_listings
                 WHERE firm_id = ? AND source_id IS NOT NULL
               UNION SELECT es.source_id FROM event_sources es
                 JOIN event_firms ef ON ef.event_id = es.event_id WHERE ef.firm_id = ?)",
            vec![Value::Integer(firm); 5],
        ));
    }
    Ok(conditions)
}

/// Ids of one page, and with a filter, how many sources match (`matched`,
/// ascending). Each order is (sort value, id) through its index; rows without
/// the value follow, by id. A negative `limit` means all rows.
fn page_ids(
    conn: &Connection,
    sort: SourceSort,
    descending: bool,
    matched: Option<&[Id]>,
    after: Option<&SourceCursor>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Id>, Option<i64>)> {
    let total = matched.map(|m| m.len() as i64);
    if matched.is_some_and(<[Id]>::is_empty) {
        return Ok((Vec::new(), total));
    }
    // A narrow filter: SQLite sorts its few matches, handed over as a JSON
    // array. A broad one: walk the sort index here and keep the rows that match.
    let narrow = matched.filter(|m| m.len() <= FILTER_SORT_LIMIT);
    let walk = matched.filter(|m| m.len() > FILTER_SORT_LIMIT);
    let (from, narrow_ids) = match narrow {
        Some(ids) => (
            "json_each(?1) m CROSS JOIN sources s ON s.id = m.value",
            Some(serde_json::to_string(ids).map_err(|e| Error::invalid("filter", e.to_string()))?),
        ),
        None => ("sources s", None),
    };
    // The value (NULL for rows without it) and the sort key, written as the
    // indexes of migrations 0006 and 0011 are, so SQLite walks them.
    let (value, key) = match sort {
        SourceSort::Title => ("s.title", "s.title COLLATE NOCASE"),
        SourceSort::Published => ("s.published_on", "s.published_on"),
        SourceSort::Publisher => ("s.publisher", "s.publisher COLLATE NOCASE"),
        SourceSort::Kind => ("s.kind", "s.kind"),
        SourceSort::Grade => (GRADE_KEY, GRADE_KEY),
        SourceSort::Added => ("s.id", "s.id"),
    };
    let (dir, cmp) = if descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let after_id = after.map(|c| c.id);
    let after_key = after.and_then(|c| c.key.clone());
    let sql = if sort == SourceSort::Added {
        let after_sql = if after_id.is_some() {
            format!(" AND s.id {cmp} ?3")
        } else {
            String::new()
        };
        format!("SELECT s.id FROM {from} WHERE 1{after_sql} ORDER BY s.id {dir} LIMIT ?5 OFFSET ?6")
    } else {
        // Rows with the value, then rows without it. A cursor without a key is
        // already among the rows without it.
        let in_valued = after_id.is_none() || after_key.is_some();
        let valued_after = if after_key.is_some() {
            format!(" AND ({key}, s.id) {cmp} (?2, ?3)")
        } else {
            String::new()
        };
        let empty_after = if after_id.is_some() && after_key.is_none() {
            format!(" AND s.id {cmp} ?3")
        } else {
            String::new()
        };
        let valued = format!(
            "SELECT * FROM (SELECT s.id FROM {from} WHERE {value} IS NOT NULL{valued_after}
             ORDER BY {key} {dir}, s.id {dir} LIMIT ?4)"
        );
        let empty = format!(
            "SELECT * FROM (SELECT s.id FROM {from} WHERE {value} IS NULL{empty_after}
             ORDER BY s.id {dir} LIMIT ?4)"
        );
        if in_valued {
            format!("{valued} UNION ALL {empty} LIMIT ?5 OFFSET ?6")
        } else {
            format!("{empty} LIMIT ?5 OFFSET ?6")
        }
    };
    let end = if limit < 0 { -1 } else { offset + limit };
    // The walk reads the whole order lazily and counts in Rust instead.
    let (end, sql_limit, sql_offset) = match walk {
        Some(_) => (-1, -1, 0),
        None => (end, limit, offset),
    };
    // Every statement ends in ?6, so all six numbered parameters can be bound
    // even where a statement leaves some out.
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        narrow_ids, after_key, after_id, end, sql_limit, sql_offset
    ])?;
    let mut ids = Vec::new();
    let mut skipped = 0;
    while let Some(row) = rows.next()? {
        let id: Id = row.get(0)?;
        if let Some(matched) = walk {
            if matched.binary_search(&id).is_err() {
                continue;
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
        }
        ids.push(id);
        if limit >= 0 && ids.len() as i64 >= limit {
            break;
        }
    }
    Ok((ids, total))
}

// ---- The source form ---------------------------------------------------------

/// What the reliability grades (the source) and credibility grades (the
/// information) mean, as the form shows them (the Admiralty code).
pub const RELIABILITY_GRADES: [(&str, &str); 6] = [
    ("A", "Completely reliable"),
    ("B", "Usually reliable"),
    ("C", "Fairly reliable"),
    ("D", "Not usually reliable"),
    ("E", "Unreliable"),
    ("F", "Reliability cannot be judged"),
];
pub const CREDIBILITY_GRADES: [(i64, &str); 6] = [
    (1, "Confirmed by other sources"),
    (2, "Probably true"),
    (3, "Possibly true"),
    (4, "Doubtful"),
    (5, "Improbable"),
    (6, "Truth cannot be judged"),
];

/// A source as its form edits it.
pub fn load_draft(store: &Store, source_id: Id) -> Result<Editing<SourceDraft>> {
    store.read(|conn| load_draft_in(conn, source_id))
}

fn load_draft_in(conn: &Connection, source_id: Id) -> Result<Editing<SourceDraft>> {
    let mut editing = conn
        .query_row(
            "SELECT id, revision, kind, title, authors, publisher, url, doi, published_on, accessed_on,
                    language, abstract, reliability, credibility FROM sources WHERE id = ?1",
            [source_id],
            |row| {
                Ok(Editing {
                    id: row.get(0)?,
                    revision: row.get(1)?,
                    draft: SourceDraft {
                        kind: column_enum(row, 2)?,
                        title: row.get(3)?,
                        authors: row.get(4)?,
                        publisher: row.get(5)?,
                        url: row.get(6)?,
                        doi: row.get(7)?,
                        published_on: row.get(8)?,
                        accessed_on: row.get(9)?,
                        language: row.get(10)?,
                        r#abstract: row.get(11)?,
                        reliability: row.get(12)?,
                        credibility: row.get(13)?,
                        tags: Vec::new(),
                    },
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "source",
            id: source_id,
        })?;
    let mut stmt = conn.prepare(
        "SELECT t.name FROM source_tags st JOIN tags t ON t.id = st.tag_id WHERE st.source_id = ?1 ORDER BY t.name",
    )?;
    editing.draft.tags = stmt
        .query_map([source_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(editing)
}

/// Creates or updates a source with its tags.
pub fn save(
    store: &mut Store,
    source_id: Option<Id>,
    revision: Option<i64>,
    draft: &SourceDraft,
) -> Result<Editing<SourceDraft>> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = source_id {
            next_revision(tx, "sources", "source", id, required_revision(revision)?)?;
        }
        let clean = validate_draft(draft)?;
        let now = now_utc();
        let id = match source_id {
            Some(id) => {
                tx.execute(
                    "UPDATE sources SET kind = ?1, title = ?2, authors = ?3, publisher = ?4, url = ?5, doi = ?6,
                        published_on = ?7, accessed_on = ?8, language = ?9, abstract = ?10, reliability = ?11,
                        credibility = ?12, updated_at = ?13 WHERE id = ?14",
                    params![
                        enum_text(&clean.kind),
                        clean.title,
                        clean.authors,
                        clean.publisher,
                        clean.url,
                        clean.doi,
                        clean.published_on,
                        clean.accessed_on,
                        clean.language,
                        clean.r#abstract,
                        clean.reliability,
                        clean.credibility,
                        now,
                        id,
                    ],
                )?;
                id
            }
            None => insert(tx, &SourceRow::of_draft(&clean, &now))?,
        };
        let tag_ids = clean
            .tags
            .iter()
            .map(|t| relations::tag_id(tx, t))
            .collect::<Result<Vec<_>>>()?;
        relations::replace(tx, "source_tags", "source_id", id, "tag_id", &tag_ids)?;
        load_draft_in(tx, id)
    })
}

// ---- Writing a new source -----------------------------------------------------

/// The columns every new source is written with: the form, imports (CSV and
/// the Epoch source of a chips import), the default dataset and the sample
/// generator all write through [`SourceInserter`]. `revision` and
/// `sync_version` a new row takes from the table; `id` too when it is given
/// as NULL. A test compares the list with the table.
const INSERT_NEW_SOURCES: &str =
    "INSERT INTO sources (id, kind, title, authors, publisher, url, doi, \
    published_on, accessed_on, language, abstract, reliability, credibility, import_batch_id, \
    original_row, created_at, updated_at, uid)";

/// The values of one row of [`INSERT_NEW_SOURCES`].
const NEW_SOURCE_VALUES: usize = 18;

/// A new source as it is stored, borrowed from whatever its writer holds.
/// Adding a column to `sources` means a field here, its place in
/// [`INSERT_NEW_SOURCES`] and [`SourceInserter::write`]; the compiler then
/// names every writer that must fill it.
pub(crate) struct SourceRow<'a> {
    pub kind: SourceKind,
    pub title: &'a str,
    pub authors: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub url: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub published_on: Option<&'a str>,
    pub accessed_on: Option<&'a str>,
    pub language: Option<&'a str>,
    pub r#abstract: Option<&'a str>,
    pub reliability: Option<&'a str>,
    pub credibility: Option<i64>,
    pub import_batch_id: Option<Id>,
    pub original_row: Option<&'a str>,
    /// When it was added: its `created_at`, and its `updated_at` too.
    pub created_at: &'a str,
    /// Its uid, when its writer made one already (an import makes them on
    /// its reading thread); otherwise a new one.
    pub uid: Option<&'a str>,
}

impl<'a> SourceRow<'a> {
    /// A checked draft's fields (its tags are written apart), typed rather than
    /// imported.
    pub fn of_draft(draft: &'a SourceDraft, created_at: &'a str) -> SourceRow<'a> {
        SourceRow {
            kind: draft.kind,
            title: &draft.title,
            authors: draft.authors.as_deref(),
            publisher: draft.publisher.as_deref(),
            url: draft.url.as_deref(),
            doi: draft.doi.as_deref(),
            published_on: draft.published_on.as_deref(),
            accessed_on: draft.accessed_on.as_deref(),
            language: draft.language.as_deref(),
            r#abstract: draft.r#abstract.as_deref(),
            reliability: draft.reliability.as_deref(),
            credibility: draft.credibility,
            import_batch_id: None,
            original_row: None,
            created_at,
            uid: None,
        }
    }
}

/// Adds new sources, one at a time or many per statement (an import, the
/// sample generator).
pub(crate) struct SourceInserter<'c> {
    conn: &'c Connection,
    rows: RowsInserter<'c>,
}

impl<'c> SourceInserter<'c> {
    /// Statements are prepared when first used.
    pub fn new(conn: &'c Connection) -> SourceInserter<'c> {
        SourceInserter {
            conn,
            rows: RowsInserter::new(conn, INSERT_NEW_SOURCES, NEW_SOURCE_VALUES),
        }
    }

    /// Adds `row`; its id.
    pub fn insert(&mut self, row: &SourceRow<'_>) -> Result<Id> {
        self.write(&[(None, row)])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Adds `rows` with the ids given, which no source may hold: a writer
    /// that batches rows needs each id before the row is written (an import
    /// links later rows to earlier ones).
    pub fn insert_with_ids(&mut self, rows: &[(Id, SourceRow<'_>)]) -> Result<()> {
        let rows: Vec<(Option<Id>, &SourceRow<'_>)> =
            rows.iter().map(|(id, row)| (Some(*id), row)).collect();
        self.write(&rows)
    }

    fn write(&mut self, rows: &[(Option<Id>, &SourceRow<'_>)]) -> Result<()> {
        // Owned per row: the kind's text, and the uid unless the writer made one.
        let kinds: Vec<String> = rows.iter().map(|(_, row)| enum_text(&row.kind)).collect();
        let uids: Vec<String> = rows
            .iter()
            .map(|(_, row)| row.uid.map_or_else(new_uid, str::to_owned))
            .collect();
        let mut values: Vec<&dyn rusqlite::ToSql> =
            Vec::with_capacity(rows.len() * NEW_SOURCE_VALUES);
        for (((id, row), kind), uid) in rows.iter().zip(&kinds).zip(&uids) {
            values.extend([
                id as &dyn rusqlite::ToSql,
                kind,
                &row.title,
                &row.authors,
                &row.publisher,
                &row.url,
                &row.doi,
                &row.published_on,
                &row.accessed_on,
                &row.language,
                &row.r#abstract,
                &row.reliability,
                &row.credibility,
                &row.import_batch_id,
                &row.original_row,
                &row.created_at,
                // A new row's updated_at is its created_at.
                &row.created_at,
                // Given here, not by the insert trigger, which an import suspends.
                uid,
            ]);
        }
        self.rows.insert(&values)
    }
}

/// A new source's uid: a UUID v7, so uids sort by when they were made.
pub(crate) fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Adds one source (no tags); its id.
pub(crate) fn insert(conn: &Connection, row: &SourceRow<'_>) -> Result<Id> {
    SourceInserter::new(conn).insert(row)
}

fn validate_draft(draft: &SourceDraft) -> Result<SourceDraft> {
    let reliability = validate::optional("reliability", draft.reliability.as_deref())?
        .map(|r| r.to_ascii_uppercase());
    if let Some(grade) = &reliability {
        if !RELIABILITY_GRADES.iter().any(|(g, _)| g == grade) {
            return Err(Error::invalid(
                "reliability",
                format!("'{grade}' is not a grade; choose A (completely reliable) to F (cannot be judged)"),
            ));
        }
    }
    if let Some(grade) = draft.credibility {
        if !CREDIBILITY_GRADES.iter().any(|(g, _)| *g == grade) {
            return Err(Error::invalid(
                "credibility",
                format!("{grade} is not a grade; choose 1 (confirmed) to 6 (cannot be judged)"),
            ));
        }
    }
    Ok(SourceDraft {
        kind: draft.kind,
        title: validate::required("title", &draft.title)?,
        authors: validate::optional("authors", draft.authors.as_deref())?,
        publisher: validate::optional("publisher", draft.publisher.as_deref())?,
        url: validate::url("url", draft.url.as_deref())?,
        doi: validate::doi("doi", draft.doi.as_deref())?,
        published_on: date::PUBLISHED_ON.read(draft.published_on.as_deref())?,
        accessed_on: date::ACCESSED_ON.read(draft.accessed_on.as_deref())?,
        language: validate::optional("language", draft.language.as_deref())?,
        r#abstract: validate::optional("abstract", draft.r#abstract.as_deref())?,
        reliability,
        credibility: draft.credibility,
        tags: validate::name_list("tags", &draft.tags)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{insert_columns, table_columns_but};

    /// Columns a new row takes from the table: its first revision and sync version.
    const LEFT_TO_DEFAULT: [&str; 2] = ["revision", "sync_version"];

    /// A column added to `sources` must be written by the one insert (or be
    /// named as left to its default), or every writer would leave it out.
    #[test]
    fn the_insert_names_every_column_of_sources() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            insert_columns(INSERT_NEW_SOURCES),
            table_columns_but(store.conn(), "sources", &LEFT_TO_DEFAULT)
        );
    }

    /// The kind and grade orders must walk their indexes (migration 0011), not
    /// sort a million rows: the key written here must be the indexed expression.
    #[test]
    fn kind_and_grade_are_read_through_their_indexes() {
        let store = Store::open_in_memory().unwrap();
        for (key, index) in [("s.kind", "sources_kind"), (GRADE_KEY, "sources_grade")] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT s.id FROM sources s WHERE {key} IS NOT NULL
                 ORDER BY {key} DESC, s.id DESC LIMIT 5"
            );
            let plan: Vec<String> = store
                .conn()
                .prepare(&sql)
                .unwrap()
                .query_map([], |row| row.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join(" | ");
            assert!(plan.contains(index), "{key}: {plan}");
            assert!(
                !plan.contains("TEMP B-TREE"),
                "{key} sorts the table: {plan}"
            );
        }
    }
}
