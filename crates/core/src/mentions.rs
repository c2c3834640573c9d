//! A firm's mentions in sources (`source_firms`, found by name when the
//! sources were imported, see `import/autolink.rs`): one sorted page at a
//! time for the profile's table, and removing the ones the analyst finds
//! wrong, a few or all at once, in one transaction.
//!
//! A firm may be mentioned by tens of thousands of sources, so a page never
//! loads more than it shows. The "Added" order walks `source_firms_firm`
//! (firm, source); the others sort the firm's mentions by a column of
//! `sources`, which no index can hold across the two tables: SQLite sorts
//! (id, key) pairs only, ~10 ms at 10,000 mentions (tests/mentions.rs holds it
//! to a budget).

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Id, Source};
use crate::store::Store;

/// The orders of a firm's mentions table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MentionSort {
    /// Publication date; sources without one come last either way.
    Published,
    /// When the source was added to the workspace (its id).
    Added,
    /// Ignoring case.
    Title,
}

/// What the mentions table asks for: one page of a firm's mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MentionPageQuery {
    pub firm_id: Id,
    pub sort: MentionSort,
    pub descending: bool,
    pub offset: u32,
    /// Rows per page, at most `MAX_PAGE_ROWS`.
    pub limit: u32,
}

/// One row of the mentions table: the source, and when it was added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MentionRow {
    pub source: Source,
    /// The source's `created_at` (UTC timestamp).
    pub added_at: String,
}

/// One page of a firm's mentions, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MentionPage {
    pub rows: Vec<MentionRow>,
    pub total: u32,
}

/// Which mentions of a firm to remove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum MentionSelection {
    /// These sources' mentions; each must be a mention of the firm.
    Sources {
        #[serde(rename = "sourceIds")]
        source_ids: Vec<Id>,
    },
    /// Every mention of the firm: `expected` is the count the person was
    /// shown, so mentions an import added meanwhile are never removed unseen.
    All { expected: u32 },
}

/// The most rows one page may hold.
pub const MAX_PAGE_ROWS: u32 = 500;

/// One page of `query.firm_id`'s mentions in the order asked for; ties (and
/// sources without the value, which come last) go by id, in the same direction.
pub fn page(store: &Store, query: &MentionPageQuery) -> Result<MentionPage> {
    let limit = query.limit.clamp(1, MAX_PAGE_ROWS);
    store.read(|conn| {
        let total = count(conn, query.firm_id)?;
        let dir = if query.descending { "DESC" } else { "ASC" };
        let order = match query.sort {
            MentionSort::Added => format!("m.source_id {dir}"),
            MentionSort::Published => {
                format!("s.published_on IS NULL, s.published_on {dir}, m.source_id {dir}")
            }
            MentionSort::Title => format!("s.title COLLATE NOCASE {dir}, m.source_id {dir}"),
        };
        // Added walks the (firm, source) index and needs no join.
        let from = match query.sort {
            MentionSort::Added => "source_firms m",
            _ => "source_firms m JOIN sources s ON s.id = m.source_id",
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT m.source_id FROM {from} WHERE m.firm_id = ?1 ORDER BY {order} LIMIT ?2 OFFSET ?3"
        ))?;
        let ids = stmt
            .query_map(params![query.firm_id, limit, query.offset], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        let mut added = conn.prepare_cached("SELECT created_at FROM sources WHERE id = ?1")?;
        let rows = ids
            .into_iter()
            .map(|id| {
                Ok(MentionRow {
                    source: crate::sources::load(conn, id)?,
                    added_at: added.query_row([id], |r| r.get(0))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(MentionPage { rows, total })
    })
}

fn count(conn: &Connection, firm_id: Id) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM source_firms WHERE firm_id = ?1",
        [firm_id],
        |r| r.get(0),
    )?)
}

/// Removes the selected mentions of a firm (names that mean something else
/// there); the sources and the firm stay. One transaction: a source in the
/// selection that does not mention the firm (any more), or an "all" whose
/// count changed since it was shown, removes nothing. Returns how many went.
pub fn remove(store: &mut Store, firm_id: Id, selection: &MentionSelection) -> Result<u32> {
    store.write(|tx| {
        crate::firms::load(tx, firm_id)?;
        match selection {
            MentionSelection::All { expected } => {
                let removed = tx.execute("DELETE FROM source_firms WHERE firm_id = ?1", [firm_id])?;
                if removed != *expected as usize {
                    return Err(Error::InvalidInput {
                        field: "mentions".into(),
                        message: format!(
                            "the firm now has {removed} mentions, not the {expected} shown (an import or another window changed them). Nothing was removed; look at the list again."
                        ),
                    });
                }
                Ok(*expected)
            }
            MentionSelection::Sources { source_ids } => {
                let mut delete = tx.prepare_cached(
                    "DELETE FROM source_firms WHERE firm_id = ?1 AND source_id = ?2",
                )?;
                // A source picked twice is one mention.
                let mut unique = source_ids.clone();
                unique.sort_unstable();
                unique.dedup();
                let mut removed: u32 = 0;
                for source_id in unique {
                    if delete.execute([firm_id, source_id])? == 0 {
                        return Err(Error::InvalidInput {
                            field: "mentions".into(),
                            message: format!(
                                "source {source_id} does not mention this firm (any more). Nothing was removed; look at the list again."
                            ),
                        });
                    }
                    removed += 1;
                }
                Ok(removed)
            }
        }
    })
}
