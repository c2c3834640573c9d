//! `[[Wiki links]]` in notes: what a link's text names, and suggestions while
//! the analyst types one.
//!
//! A link names a record by its name or title, matched exactly but ignoring
//! case (SQLite's NOCASE: ASCII letters; Chinese has no case) and runs of
//! spaces. Without a prefix the first match wins, in this order: firm name,
//! firm alias, firm native name, chip name, source title, event title,
//! strategy name. A prefix picks the kind when a name is ambiguous
//! (`[[chip:Ascend 910]]`), and `kind:#id` names one record exactly
//! (`[[source:#42]]`, for sources that share a title). Within one kind the
//! oldest record (lowest id) wins. A prefixed text that names nothing of its
//! kind is tried once more as a whole, so a source titled "Event: …" still links.
//!
//! Source titles are looked up with `title = ? COLLATE NOCASE` and suggested by
//! a range on `title COLLATE NOCASE`, so both become index lookups once
//! `sources` has an index on `title COLLATE NOCASE`; sources are never scanned
//! for a substring.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::Id;
use crate::store::Store;

/// The kinds of record a note can link to (the columns of `note_links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Firm,
    Chip,
    Source,
    Event,
    Strategy,
}

impl LinkKind {
    /// Resolution order, and the order suggestions of equal rank are shown in.
    pub const ALL: [LinkKind; 5] = [
        LinkKind::Firm,
        LinkKind::Chip,
        LinkKind::Source,
        LinkKind::Event,
        LinkKind::Strategy,
    ];

    /// The name used in prefixes (`chip:`), `data-kind` and `#kind/id` anchors.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Firm => "firm",
            LinkKind::Chip => "chip",
            LinkKind::Source => "source",
            LinkKind::Event => "event",
            LinkKind::Strategy => "strategy",
        }
    }

    fn from_prefix(prefix: &str) -> Option<LinkKind> {
        LinkKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(prefix.trim()))
    }

    /// The column of `note_links` that holds a link to this kind.
    pub(crate) fn note_links_column(self) -> &'static str {
        match self {
            LinkKind::Firm => "firm_id",
            LinkKind::Chip => "chip_id",
            LinkKind::Source => "source_id",
            LinkKind::Event => "event_id",
            LinkKind::Strategy => "strategy_id",
        }
    }

    fn table(self) -> &'static str {
        match self {
            LinkKind::Firm => "firms",
            LinkKind::Chip => "chips",
            LinkKind::Source => "sources",
            LinkKind::Event => "events",
            LinkKind::Strategy => "strategies",
        }
    }
}

/// One record of any kind a note can link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntityRef {
    pub kind: LinkKind,
    pub id: Id,
}

/// A record a link points at (or could point at, in suggestions), named for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkTarget {
    pub kind: LinkKind,
    pub id: Id,
    /// The firm's or chip's name, the source's or event's title.
    pub label: String,
    /// What tells two similar labels apart: a firm's native name (and the alias
    /// typed), a chip's designer, a source's publisher and date, an event's date.
    pub detail: Option<String>,
    /// What to write between `[[` and `]]` to link here: the label itself, or
    /// with a prefix (`chip:…`, `source:#42|…`) when the label alone names another record.
    pub link_text: String,
}

impl LinkTarget {
    pub fn entity(&self) -> EntityRef {
        EntityRef {
            kind: self.kind,
            id: self.id,
        }
    }
}

/// A link's text as it is matched: outer spaces trimmed, inner runs of
/// whitespace (a line break inside `[[…]]`) made one space.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link's text split into the kind its prefix asks for (if any) and the name.
fn split_prefix(text: &str) -> (Option<LinkKind>, &str) {
    match text.split_once(':') {
        Some((prefix, name)) => match LinkKind::from_prefix(prefix) {
            Some(kind) => (Some(kind), name.trim()),
            None => (None, text),
        },
        None => (None, text),
    }
}

/// The name without its kind prefix, as a link without a label shows it.
pub fn display_name(text: &str) -> String {
    let normalized = normalize(text);
    match split_prefix(&normalized) {
        (Some(_), name) if !name.is_empty() => name.to_owned(),
        _ => normalized,
    }
}

/// The kind a link's text asks for with a prefix, if any.
pub fn prefix_kind(text: &str) -> Option<LinkKind> {
    split_prefix(&normalize(text)).0
}

/// The record a link's text names, if any (see the module notes for the rules).
pub fn resolve(conn: &Connection, text: &str) -> Result<Option<EntityRef>> {
    let text = normalize(text);
    if text.is_empty() {
        return Ok(None);
    }
    if let (Some(kind), name) = split_prefix(&text) {
        if let Some(id) = name.strip_prefix('#').and_then(|n| n.parse::<Id>().ok()) {
            if exists(conn, kind, id)? {
                return Ok(Some(EntityRef { kind, id }));
            }
        } else if !name.is_empty() {
            if let Some(found) = resolve_in(conn, kind, name)? {
                return Ok(Some(found));
            }
        }
    }
    for kind in LinkKind::ALL {
        if let Some(found) = resolve_in(conn, kind, &text)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// `name` matched against one kind only; a firm by name, then alias, then native name.
fn resolve_in(conn: &Connection, kind: LinkKind, name: &str) -> Result<Option<EntityRef>> {
    let queries: &[&str] = match kind {
        LinkKind::Firm => &[
            "SELECT id FROM firms WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            "SELECT firm_id FROM firm_aliases WHERE alias = ?1 COLLATE NOCASE ORDER BY firm_id LIMIT 1",
            "SELECT id FROM firms WHERE native_name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
        ],
        LinkKind::Chip => &["SELECT id FROM chips WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1"],
        LinkKind::Source => &[SOURCE_TITLE_SQL],
        LinkKind::Event => {
            &["SELECT id FROM events WHERE title = ?1 COLLATE NOCASE ORDER BY id LIMIT 1"]
        }
        LinkKind::Strategy => {
            &["SELECT id FROM strategies WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1"]
        }
    };
    for sql in queries {
        let id: Option<Id> = conn
            .prepare_cached(sql)?
            .query_row([name], |row| row.get(0))
            .optional()?;
        if let Some(id) = id {
            return Ok(Some(EntityRef { kind, id }));
        }
    }
    Ok(None)
}

fn exists(conn: &Connection, kind: LinkKind, id: Id) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} WHERE id = ?1", kind.table());
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The record behind `entity`, named for people; `None` when it no longer exists.
pub fn describe(conn: &Connection, entity: EntityRef) -> Result<Option<LinkTarget>> {
    describe_with(conn, entity, None)
}

/// `describe`, with the firm alias that a suggestion matched added to the detail.
fn describe_with(
    conn: &Connection,
    entity: EntityRef,
    matched_alias: Option<&str>,
) -> Result<Option<LinkTarget>> {
    let sql = match entity.kind {
        LinkKind::Firm => "SELECT name, native_name, NULL FROM firms WHERE id = ?1",
        LinkKind::Chip => {
            "SELECT c.name, f.name, NULL FROM chips c JOIN firms f ON f.id = c.firm_id WHERE c.id = ?1"
        }
        LinkKind::Source => "SELECT title, publisher, published_on FROM sources WHERE id = ?1",
        LinkKind::Event => "SELECT title, occurred_on, NULL FROM events WHERE id = ?1",
        LinkKind::Strategy => "SELECT name, NULL, NULL FROM strategies WHERE id = ?1",
    };
    let row = conn
        .prepare_cached(sql)?
        .query_row([entity.id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })
        .optional()?;
    let Some((label, first, second)) = row else {
        return Ok(None);
    };
    let alias = matched_alias.map(|a| format!("also called {a}"));
    let parts: Vec<String> = [first, second, alias]
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    let detail = (!parts.is_empty()).then(|| parts.join(" · "));
    let link_text = link_text(conn, entity, &label)?;
    Ok(Some(LinkTarget {
        kind: entity.kind,
        id: entity.id,
        label,
        detail,
        link_text,
    }))
}

/// The shortest text that links to `entity`: its label, else `kind:label`, else `kind:#id|label`.
fn link_text(conn: &Connection, entity: EntityRef, label: &str) -> Result<String> {
    let plain = normalize(label);
    // A label with `|` or brackets cannot be written inside a link.
    let writable = !plain.contains(['|', '[', ']']);
    if writable && resolve(conn, &plain)? == Some(entity) {
        return Ok(plain);
    }
    let prefixed = format!("{}:{plain}", entity.kind.as_str());
    if writable && resolve(conn, &prefixed)? == Some(entity) {
        return Ok(prefixed);
    }
    let shown = plain.replace('|', "/").replace(['[', ']'], "");
    Ok(format!("{}:#{}|{shown}", entity.kind.as_str(), entity.id))
}

/// How many suggestions the [[link]] autocomplete shows.
pub const SUGGESTIONS: usize = 12;

/// Records whose names start with or contain `text`, for autocomplete after `[[`.
/// Prefix matches come first (an exact match before the rest), then substring
/// matches; within each, firms, chips, sources, events, strategies, by label.
/// `text` may start with a kind prefix (`chip:Asc`) to suggest one kind only.
/// Sources are matched by title prefix only, so a million of them stay fast.
pub fn suggest(store: &Store, text: &str, limit: usize) -> Result<Vec<LinkTarget>> {
    store.read(|conn| suggest_in(conn, text, limit))
}

/// At most this many suggestions, whatever the caller asks for.
const MAX_SUGGESTIONS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    Exact,
    Prefix,
    Substring,
}

fn suggest_in(conn: &Connection, text: &str, limit: usize) -> Result<Vec<LinkTarget>> {
    let limit = limit.min(MAX_SUGGESTIONS);
    if limit == 0 {
        return Ok(Vec::new());
    }
    // Keep one trailing space: "Ascend " should not suggest "Ascender".
    let trailing = text.ends_with(char::is_whitespace) && !text.trim().is_empty();
    let normalized = normalize(text);
    let (kinds, name) = match split_prefix(&normalized) {
        (Some(kind), name) => (vec![kind], name),
        (None, _) => (LinkKind::ALL.to_vec(), normalized.as_str()),
    };
    let query = if trailing {
        format!("{name} ")
    } else {
        name.to_owned()
    };

    let mut found: Vec<(Match, usize, EntityRef, Option<String>)> = Vec::new();
    for (order, kind) in kinds.iter().enumerate() {
        for (id, alias) in candidates(conn, *kind, &query, Match::Prefix, limit)? {
            found.push((Match::Prefix, order, EntityRef { kind: *kind, id }, alias));
        }
    }
    for (order, kind) in kinds.iter().enumerate() {
        // Prefix matches come back too: ask for that many more.
        let known = found.iter().filter(|f| f.2.kind == *kind).count();
        for (id, alias) in candidates(conn, *kind, &query, Match::Substring, limit + known)? {
            let entity = EntityRef { kind: *kind, id };
            if !found.iter().any(|f| f.2 == entity) {
                found.push((Match::Substring, order, entity, alias));
            }
        }
    }

    let wanted = query.trim().to_lowercase();
    let mut targets = Vec::with_capacity(found.len());
    for (rank, order, entity, alias) in found {
        if let Some(target) = describe_with(conn, entity, alias.as_deref())? {
            let rank = if rank == Match::Prefix && target.label.to_lowercase() == wanted {
                Match::Exact
            } else {
                rank
            };
            targets.push((rank, order, target.label.to_lowercase(), target));
        }
    }
    targets.sort_by(|a, b| (a.0, a.1, &a.2, a.3.id).cmp(&(b.0, b.1, &b.2, b.3.id)));
    Ok(targets
        .into_iter()
        .take(limit)
        .map(|(_, _, _, target)| target)
        .collect())
}

/// Ids of one kind matching `query` by prefix or substring, with the firm alias
/// that matched when neither the name nor the native name did.
fn candidates(
    conn: &Connection,
    kind: LinkKind,
    query: &str,
    how: Match,
    limit: usize,
) -> Result<Vec<(Id, Option<String>)>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let escaped = query
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = match how {
        Match::Substring => format!("%{escaped}%"),
        Match::Exact | Match::Prefix => format!("{escaped}%"),
    };
    let rows = match (kind, how) {
        (LinkKind::Firm, _) => {
            let mut stmt = conn.prepare_cached(
                "SELECT f.id,
                        f.name LIKE ?1 ESCAPE '\\' OR coalesce(f.native_name LIKE ?1 ESCAPE '\\', 0),
                        (SELECT a.alias FROM firm_aliases a
                          WHERE a.firm_id = f.id AND a.alias LIKE ?1 ESCAPE '\\' ORDER BY a.alias LIMIT 1)
                   FROM firms f
                  WHERE f.name LIKE ?1 ESCAPE '\\' OR f.native_name LIKE ?1 ESCAPE '\\'
                     OR EXISTS (SELECT 1 FROM firm_aliases a WHERE a.firm_id = f.id AND a.alias LIKE ?1 ESCAPE '\\')
                  ORDER BY f.name LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![pattern, limit], |row| {
                let named: bool = row.get(1)?;
                let alias: Option<String> = row.get(2)?;
                Ok((row.get(0)?, if named { None } else { alias }))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        }
        (LinkKind::Source, Match::Substring) => Vec::new(),
        (LinkKind::Source, _) => {
            // A range on the NOCASE title instead of LIKE, so an index on
            // `title COLLATE NOCASE` serves it. U+10FFFF sorts after any
            // character that can follow the prefix.
            let upper = format!("{query}\u{10FFFF}");
            let mut stmt = conn.prepare_cached(SOURCE_PREFIX_SQL)?;
            let rows =
                stmt.query_map(params![query, upper, limit], |row| Ok((row.get(0)?, None)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        }
        (LinkKind::Chip | LinkKind::Event | LinkKind::Strategy, _) => {
            let (column, table) = match kind {
                LinkKind::Chip => ("name", "chips"),
                LinkKind::Event => ("title", "events"),
                _ => ("name", "strategies"),
            };
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id FROM {table} WHERE {column} LIKE ?1 ESCAPE '\\' ORDER BY {column} COLLATE NOCASE, id LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![pattern, limit], |row| Ok((row.get(0)?, None)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        }
    };
    Ok(rows)
}

/// The oldest source titled ?1 (ignoring ASCII case).
pub(crate) const SOURCE_TITLE_SQL: &str =
    "SELECT id FROM sources WHERE title = ?1 COLLATE NOCASE ORDER BY id LIMIT 1";

/// Sources whose title starts with ?1 (ignoring ASCII case), walked in title order.
pub(crate) const SOURCE_PREFIX_SQL: &str =
    "SELECT id FROM sources WHERE title COLLATE NOCASE >= ?1 AND title COLLATE NOCASE < ?2
      ORDER BY title COLLATE NOCASE, id LIMIT ?3";

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str, values: impl rusqlite::Params) -> String {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let rows = stmt
            .query_map(values, |row| row.get::<_, String>(3))
            .unwrap_or_else(|e| panic!("{e}"));
        rows.map(|r| r.unwrap_or_default())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The source queries must be able to use an index on the NOCASE title, so
    /// that a million sources cost a lookup, not a scan, once the index exists.
    #[test]
    fn source_lookups_use_a_nocase_title_index() -> Result<()> {
        let store = Store::open_in_memory()?;
        let conn = store.conn();
        conn.execute_batch("CREATE INDEX test_sources_title ON sources(title COLLATE NOCASE)")?;
        let prefix = plan(conn, SOURCE_PREFIX_SQL, params!["hua", "hua\u{10FFFF}", 10]);
        assert!(
            prefix.contains("INDEX test_sources_title (title>? AND title<?)")
                && !prefix.contains("TEMP B-TREE"),
            "{prefix}"
        );
        let exact = plan(conn, SOURCE_TITLE_SQL, ["Huawei"]);
        assert!(exact.contains("test_sources_title"), "{exact}");
        Ok(())
    }

    #[test]
    fn prefixes_are_read_only_when_they_name_a_kind() {
        assert_eq!(
            split_prefix("chip:Ascend 910"),
            (Some(LinkKind::Chip), "Ascend 910")
        );
        assert_eq!(split_prefix("Source: x"), (Some(LinkKind::Source), "x"));
        assert_eq!(
            split_prefix("Chip wars: a history"),
            (None, "Chip wars: a history")
        );
        assert_eq!(display_name("event:  BIS \n rule"), "BIS rule");
    }
}
