//! Saved comparisons: a name, firms in order (`comparison_firms`, so a firm
//! deleted to the Trash leaves its comparisons and comes back with a restore),
//! dimensions and filters as JSON, and the last export (migration 0008).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ComparisonFilters, ComparisonSelection, DimensionKey};
use crate::date;
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::Store;
use crate::text::now_utc;
use crate::validate::{self, next_revision, required_revision};

/// A saved comparison as the Compare page loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedComparison {
    pub id: Id,
    pub name: String,
    /// The revision a save must name.
    pub revision: i64,
    pub selection: ComparisonSelection,
    pub created_at: String,
    pub updated_at: String,
    /// When it was last exported: what the next export's "Changes" compare with.
    pub last_exported_at: Option<String>,
}

/// What the save form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonDraft {
    pub name: String,
    pub selection: ComparisonSelection,
}

/// All saved comparisons by name (ignoring case).
pub fn list(store: &Store) -> Result<Vec<SavedComparison>> {
    store.read(|conn| {
        let mut stmt =
            conn.prepare("SELECT id FROM comparisons ORDER BY name COLLATE NOCASE, id")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, Id>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().map(|id| load_in(conn, id)).collect()
    })
}

pub fn load(store: &Store, id: Id) -> Result<SavedComparison> {
    store.read(|conn| load_in(conn, id))
}

/// The saved comparison called `name` (ignoring case), if any.
pub fn find_by_name(store: &Store, name: &str) -> Result<Option<SavedComparison>> {
    store.read(|conn| {
        let id: Option<Id> = conn
            .query_row(
                "SELECT id FROM comparisons WHERE name = ?1 COLLATE NOCASE",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| load_in(conn, id)).transpose()
    })
}

pub(crate) fn load_in(conn: &Connection, id: Id) -> Result<SavedComparison> {
    let row = conn
        .query_row(
            "SELECT c.name, c.revision, c.dimensions_json, c.filters_json, c.created_at, c.updated_at,
                    s.exported_at
             FROM comparisons c LEFT JOIN comparison_snapshots s ON s.comparison_id = c.id
             WHERE c.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    let (name, revision, dimensions, filters, created_at, updated_at, last_exported_at) = row
        .ok_or(Error::NotFound {
            entity: "comparison",
            id,
        })?;
    let mut stmt = conn.prepare(
        "SELECT firm_id FROM comparison_firms WHERE comparison_id = ?1 ORDER BY position, firm_id",
    )?;
    let firm_ids = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<Id>>>()?;
    // Stored by this module; another tool's unreadable JSON reads as "nothing chosen".
    let dimensions: Vec<String> = serde_json::from_str(&dimensions).unwrap_or_default();
    let filters: ComparisonFilters = serde_json::from_str(&filters).unwrap_or_default();
    Ok(SavedComparison {
        id,
        name,
        revision,
        selection: ComparisonSelection {
            firm_ids,
            dimensions,
            filters,
        },
        created_at,
        updated_at,
        last_exported_at,
    })
}

/// Creates (`id` None) or updates a saved comparison. An update names the
/// revision it loaded; names are unique ignoring case.
pub fn save(
    store: &mut Store,
    id: Option<Id>,
    revision: Option<i64>,
    draft: &ComparisonDraft,
) -> Result<SavedComparison> {
    store.write(|tx| {
        if let Some(id) = id {
            next_revision(tx, "comparisons", "comparison", id, required_revision(revision)?)?;
        }
        let name = checked_name(tx, &draft.name, id)?;
        let firm_ids = validate::existing_ids(
            tx,
            "selection.firmIds",
            "firms",
            "firm",
            &draft.selection.firm_ids,
        )?;
        let mut dimensions: Vec<String> = Vec::new();
        for text in &draft.selection.dimensions {
            let dimension = DimensionKey::parse(text)
                .map_err(|_| {
                    Error::invalid(
                        "selection.dimensions",
                        format!("'{text}' is not a dimension"),
                    )
                })?
                .id();
            if !dimensions.contains(&dimension) {
                dimensions.push(dimension);
            }
        }
        let filters = checked_filters(&draft.selection.filters)?;
        let dimensions_json = to_json(&dimensions)?;
        let filters_json = to_json(&filters)?;
        let now = now_utc();
        let id = match id {
            Some(id) => {
                tx.execute(
                    "UPDATE comparisons SET name = ?2, dimensions_json = ?3, filters_json = ?4, updated_at = ?5
                     WHERE id = ?1",
                    params![id, name, dimensions_json, filters_json, now],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO comparisons (name, dimensions_json, filters_json, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![name, dimensions_json, filters_json, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.execute("DELETE FROM comparison_firms WHERE comparison_id = ?1", [id])?;
        for (position, firm_id) in firm_ids.iter().enumerate() {
            tx.execute(
                "INSERT INTO comparison_firms (comparison_id, firm_id, position) VALUES (?1, ?2, ?3)",
                params![id, firm_id, position as i64],
            )?;
        }
        load_in(tx, id)
    })
}

/// Gives a saved comparison another name.
pub fn rename(store: &mut Store, id: Id, name: &str) -> Result<SavedComparison> {
    store.write(|tx| {
        exists(tx, id)?;
        let name = checked_name(tx, name, Some(id))?;
        tx.execute(
            "UPDATE comparisons SET name = ?2, updated_at = ?3, revision = revision + 1 WHERE id = ?1",
            params![id, name, now_utc()],
        )?;
        load_in(tx, id)
    })
}

/// A copy with the same firms, dimensions and filters, called `name` or
/// `<name> (copy)`, `<name> (copy 2)`… It has not been exported yet.
pub fn duplicate(store: &mut Store, id: Id, name: Option<&str>) -> Result<SavedComparison> {
    store.write(|tx| {
        let original = load_in(tx, id)?;
        let name = match name {
            Some(name) => checked_name(tx, name, None)?,
            None => free_copy_name(tx, &original.name)?,
        };
        let now = now_utc();
        tx.execute(
            "INSERT INTO comparisons (name, dimensions_json, filters_json, created_at, updated_at)
             SELECT ?2, dimensions_json, filters_json, ?3, ?3 FROM comparisons WHERE id = ?1",
            params![id, name, now],
        )?;
        let copy = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO comparison_firms (comparison_id, firm_id, position)
             SELECT ?2, firm_id, position FROM comparison_firms WHERE comparison_id = ?1",
            params![id, copy],
        )?;
        load_in(tx, copy)
    })
}

/// Deletes a saved comparison for good (firms and sources are untouched).
pub fn delete(store: &mut Store, id: Id) -> Result<()> {
    store.write(
        |tx| match tx.execute("DELETE FROM comparisons WHERE id = ?1", [id])? {
            0 => Err(Error::NotFound {
                entity: "comparison",
                id,
            }),
            _ => Ok(()),
        },
    )
}

fn exists(conn: &Connection, id: Id) -> Result<()> {
    let found: Option<i64> = conn
        .query_row("SELECT 1 FROM comparisons WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    found.map(drop).ok_or(Error::NotFound {
        entity: "comparison",
        id,
    })
}

fn checked_name(conn: &Connection, name: &str, except: Option<Id>) -> Result<String> {
    let name = validate::required("name", name)?;
    let taken: Option<String> = conn
        .query_row(
            "SELECT name FROM comparisons WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
            params![name, except],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(existing) => Err(Error::invalid(
            "name",
            format!("a comparison called '{existing}' exists already; choose another name"),
        )),
        None => Ok(name),
    }
}

fn free_copy_name(conn: &Connection, name: &str) -> Result<String> {
    for n in 1..10_000 {
        let candidate = if n == 1 {
            format!("{name} (copy)")
        } else {
            format!("{name} (copy {n})")
        };
        if checked_name(conn, &candidate, None).is_ok() {
            return Ok(candidate);
        }
    }
    Err(Error::invalid(
        "name",
        "too many copies of this comparison; give the copy a name",
    ))
}

/// Filters as stored: dates checked and canonical, blanks dropped.
fn checked_filters(filters: &ComparisonFilters) -> Result<ComparisonFilters> {
    Ok(ComparisonFilters {
        from: date::FROM.read_at("selection.filters.from", filters.from.as_deref())?,
        to: date::TO.read_at("selection.filters.to", filters.to.as_deref())?,
        stale_after_days: filters.stale_after_days,
        stale_before: date::STALE_BEFORE.read_at(
            "selection.filters.staleBefore",
            filters.stale_before.as_deref(),
        )?,
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::invalid("comparison", e.to_string()))
}

// ---- The last export -----------------------------------------------------------

/// The snapshot of the last successful export, as stored.
pub(crate) fn last_snapshot(conn: &Connection, id: Id) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT exported_at, snapshot_json FROM comparison_snapshots WHERE comparison_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub(crate) fn store_snapshot(
    conn: &Connection,
    id: Id,
    exported_at: &str,
    format: &str,
    path: &str,
    snapshot_json: &str,
) -> Result<()> {
    exists(conn, id)?;
    conn.execute(
        "INSERT INTO comparison_snapshots (comparison_id, exported_at, format, path, snapshot_json)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (comparison_id) DO UPDATE SET exported_at = excluded.exported_at,
            format = excluded.format, path = excluded.path, snapshot_json = excluded.snapshot_json",
        params![id, exported_at, format, path, snapshot_json],
    )?;
    Ok(())
}
