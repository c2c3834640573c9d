//! The from/to/tag filter and the ranking rule (see the module's doc): which
//! ids of one kind come back, and in what order.

use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension};

use super::documents::load_doc;
use super::snippets::Marker;
use super::{rowid_range, SearchKind, TITLE_WINDOW};
use crate::error::Result;
use crate::model::Id;

/// Column weights for bm25: title, body, tags, title_cjk, body_cjk.
const BM25: &str = "bm25(search_index, 8.0, 1.0, 3.0, 8.0, 1.0)";

/// The from/to/tag filter, as SQL over the entity row `e` with its parameters.
pub(super) struct Filter {
    pub tag_id: Option<Id>,
    pub from: Option<String>,
    pub to: Option<String>,
}

pub(super) struct FilterSql {
    sql: String,
    params: Vec<(&'static str, Box<dyn ToSql>)>,
}

impl Filter {
    /// `None` when the kind cannot pass the filter at all (a tag filter on
    /// firms, a date filter on firms).
    pub fn sql(&self, kind: SearchKind) -> Option<FilterSql> {
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
pub(super) fn best_ids(
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
