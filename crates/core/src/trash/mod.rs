//! The Trash: `delete` moves a record, with every row that goes with it, into
//! the `trash` table; `restore` puts all of it back with the same ids.
//!
//! Nothing here lists the tables one by one: what goes with a record is found
//! from the schema's foreign keys (`PRAGMA foreign_key_list`), so a table added
//! by a later migration is covered without touching this file. For each row
//! that references a row being deleted:
//! - ON DELETE CASCADE, or a NOT NULL column (a link row such as evidence, which
//!   RESTRICT would otherwise keep from going): the row goes too, captured whole
//!   (every column, typed exactly, with its rowid), and the walk goes on from it;
//! - otherwise (SET NULL, or RESTRICT on a nullable column such as a listing's
//!   source): the column is set NULL and remembered, and a restore points it
//!   back if that row is still there and still NULL.
//!
//! Deletes and restores are ordinary SQL statements, so the triggers of other
//! modules (the search index) see them. Only `summarise` knows what an analyst
//! calls the rows it counts.
//!
//! Files: `schema` (the tables and foreign keys), `walk` (a record and the
//! rows that go with it), `summary` (the impact as an analyst reads it),
//! `payload` (what the `trash` row keeps), `restoring` (the checks and
//! inserts of a restore).

mod payload;
mod restoring;
mod schema;
mod summary;
mod walk;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{
    DeleteImpact, Id, RestoredRef, TrashEntry, TrashKind, TrashKindCount, TrashPage,
};
use crate::store::Store;
use crate::text::{enum_text, now_utc, parse_enum};

use payload::{Payload, StoredPointer, StoredRow};
use restoring::Restore;
use schema::{quote, Schema};
use summary::summarise;
use walk::{walk, Row};

/// Version of the payload layout, so a later release can read older entries.
const PAYLOAD_FORMAT: i64 = 1;

// TrashKind is declared with the other IPC types in model.rs.
impl TrashKind {
    pub const ALL: [TrashKind; 7] = [
        TrashKind::Firm,
        TrashKind::Strategy,
        TrashKind::Assessment,
        TrashKind::Chip,
        TrashKind::Source,
        TrashKind::Event,
        TrashKind::Note,
    ];

    /// The table its records live in.
    pub fn table(self) -> &'static str {
        match self {
            TrashKind::Firm => "firms",
            TrashKind::Strategy => "strategies",
            TrashKind::Assessment => "assessments",
            TrashKind::Chip => "chips",
            TrashKind::Source => "sources",
            TrashKind::Event => "events",
            TrashKind::Note => "notes",
        }
    }

    /// What a user calls one record: "firm", "source".
    pub fn noun(self) -> &'static str {
        match self {
            TrashKind::Firm => "firm",
            TrashKind::Strategy => "strategy",
            TrashKind::Assessment => "assessment",
            TrashKind::Chip => "chip",
            TrashKind::Source => "source",
            TrashKind::Event => "event",
            TrashKind::Note => "note",
        }
    }

    fn of_table(table: &str) -> Option<TrashKind> {
        TrashKind::ALL.into_iter().find(|k| k.table() == table)
    }
}

/// What deleting the record would take along or unlink, without deleting it.
pub fn impact(store: &Store, kind: TrashKind, id: Id) -> Result<DeleteImpact> {
    store.read(|conn| {
        let title = title(conn, kind, id)?;
        let schema = Schema::load(conn)?;
        let walk = walk(conn, &schema, kind.table(), id)?;
        Ok(DeleteImpact {
            kind,
            id,
            title,
            items: summarise(kind, &walk),
        })
    })
}

/// Moves the record and everything that goes with it to the Trash, in one transaction.
pub fn delete(store: &mut Store, kind: TrashKind, id: Id) -> Result<TrashEntry> {
    let schema_version = store.schema_version()?;
    store.write(|tx| delete_in(tx, schema_version, kind, id))
}

/// [`delete`] inside a transaction the caller holds (a deletion pulled from
/// the team server).
pub(crate) fn delete_in(
    tx: &Connection,
    schema_version: i64,
    kind: TrashKind,
    id: Id,
) -> Result<TrashEntry> {
    {
        let title = title(tx, kind, id)?;
        let schema = Schema::load(tx)?;
        let walk = walk(tx, &schema, kind.table(), id)?;
        let summary = summarise(kind, &walk);
        let payload = Payload {
            format: PAYLOAD_FORMAT,
            schema_version,
            kind,
            entity_id: id,
            rows: walk.rows.iter().map(StoredRow::from).collect(),
            pointers: walk.pointers.iter().map(StoredPointer::from).collect(),
            summary: summary.clone(),
        };
        let payload_text = serde_json::to_string(&payload)
            .map_err(|e| Error::invalid("payload", e.to_string()))?;

        for pointer in &walk.pointers {
            let set = pointer
                .columns
                .iter()
                .map(|c| format!("{} = NULL", quote(c)))
                .collect::<Vec<_>>()
                .join(", ");
            tx.execute(
                &format!(
                    "UPDATE {} SET {set} WHERE rowid = ?1",
                    quote(&pointer.table)
                ),
                [pointer.rowid],
            )?;
        }
        // Children first, so that RESTRICT never sees a referrer left behind.
        for row in walk.rows.iter().rev() {
            tx.execute(
                &format!("DELETE FROM {} WHERE rowid = ?1", quote(&row.table)),
                [row.rowid],
            )?;
        }

        let deleted_at = now_utc();
        tx.execute(
            "INSERT INTO trash (kind, entity_id, title, payload, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![enum_text(&kind), id, title, payload_text, deleted_at],
        )?;
        Ok(TrashEntry {
            id: tx.last_insert_rowid(),
            kind,
            entity_id: id,
            title,
            deleted_at,
            summary,
        })
    }
}

/// Everything in the Trash, newest first.
pub fn list(store: &Store) -> Result<Vec<TrashEntry>> {
    store.read(|conn| entries(conn, -1, 0))
}

/// The most entries one page of the Trash holds.
pub const MAX_PAGE_ENTRIES: u32 = 500;

/// The entries from `offset` (at most `limit`), newest first, with the counts
/// of all of them. An offset past the end gives the last page (the one an
/// entry just restored or purged left behind).
pub fn page(store: &Store, offset: u32, limit: u32) -> Result<TrashPage> {
    let limit = limit.clamp(1, MAX_PAGE_ENTRIES);
    store.read(|conn| {
        let mut stmt =
            conn.prepare("SELECT kind, count(*) FROM trash GROUP BY kind ORDER BY kind")?;
        let counted = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut by_kind = Vec::new();
        for (kind, count) in counted {
            by_kind.push(TrashKindCount {
                kind: parse_kind(&kind, 0)?,
                count,
            });
        }
        let total: u32 = by_kind.iter().map(|k| k.count).sum();
        let offset = if total == 0 {
            0
        } else {
            offset.min((total - 1) / limit * limit)
        };
        Ok(TrashPage {
            entries: entries(conn, i64::from(limit), i64::from(offset))?,
            offset,
            total,
            by_kind,
        })
    })
}

/// Entries newest first; a negative `limit` means all.
fn entries(conn: &Connection, limit: i64, offset: i64) -> Result<Vec<TrashEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, entity_id, title, deleted_at, json_extract(payload, '$.summary')
         FROM trash ORDER BY deleted_at DESC, id DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = stmt.query_map([limit, offset], |row| {
        Ok((
            row.get::<_, Id>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Id>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, kind, entity_id, title, deleted_at, summary) = row?;
        entries.push(TrashEntry {
            id,
            kind: parse_kind(&kind, id)?,
            entity_id,
            title,
            deleted_at,
            // The summary is only for showing; an entry whose summary cannot
            // be read is still listed, and can still be restored.
            summary: summary
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
        });
    }
    Ok(entries)
}

/// Puts a Trash entry back with the same ids, in one transaction, or refuses
/// with what to do first and changes nothing.
pub fn restore(store: &mut Store, trash_id: Id) -> Result<RestoredRef> {
    store.write(|tx| restore_in(tx, trash_id))
}

/// [`restore`] inside a transaction the caller holds.
pub(crate) fn restore_in(tx: &Connection, trash_id: Id) -> Result<RestoredRef> {
    {
        let (kind, title, payload) = load_entry(tx, trash_id)?;
        let schema = Schema::load(tx)?;
        let mut rows = payload
            .rows
            .iter()
            .map(|r| r.decode(trash_id))
            .collect::<Result<Vec<Row>>>()?;
        if rows.is_empty() {
            return Err(unreadable(trash_id, "it holds no rows"));
        }
        let plan = Restore {
            conn: tx,
            schema: &schema,
            trash_id,
            what: format!("the {} '{title}'", kind.noun()),
        };
        let (kept, left_out) = plan.check_parents(&mut rows)?;
        let fresh = plan.check_ids(&rows, &kept)?;
        plan.check_unique(&rows, &kept)?;

        // The rows' parents were checked above; deferring the check to the commit
        // lets rows go in whatever order they were captured.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        for (index, row) in rows.iter().enumerate() {
            if kept.contains(&index) {
                plan.insert(row, fresh.contains(&index), index == 0)?;
            }
        }
        for pointer in &payload.pointers {
            plan.point_back(&pointer.decode(trash_id)?)?;
        }
        tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])?;
        Ok(RestoredRef {
            kind,
            id: payload.entity_id,
            left_out,
        })
    }
}

/// The Trash entry holding the record `uid` of the table `kind` lives in.
pub(crate) fn entry_of(conn: &Connection, kind: TrashKind, uid: &str) -> Result<Option<Id>> {
    Ok(conn
        .query_row(
            "SELECT id FROM trash WHERE kind = ?1 AND json_extract(payload, '$.rows[0].values.uid') = ?2
             ORDER BY id DESC LIMIT 1",
            params![enum_text(&kind), uid],
            |r| r.get(0),
        )
        .optional()?)
}

/// Deletes one Trash entry for good.
pub fn purge(store: &mut Store, trash_id: Id) -> Result<()> {
    store.write(
        |tx| match tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])? {
            0 => Err(Error::NotFound {
                entity: "Trash entry",
                id: trash_id,
            }),
            _ => Ok(()),
        },
    )
}

/// Deletes everything in the Trash for good; returns how many entries went.
pub fn empty(store: &mut Store) -> Result<usize> {
    store.write(|tx| Ok(tx.execute("DELETE FROM trash", [])?))
}

/// The record's title as the Trash shows it, or NotFound.
fn title(conn: &Connection, kind: TrashKind, id: Id) -> Result<String> {
    let sql = match kind {
        TrashKind::Firm => "SELECT name FROM firms WHERE id = ?1",
        TrashKind::Strategy => "SELECT name FROM strategies WHERE id = ?1",
        TrashKind::Assessment => {
            "SELECT f.name || ' × ' || s.name FROM assessments a
             JOIN firms f ON f.id = a.firm_id JOIN strategies s ON s.id = a.strategy_id WHERE a.id = ?1"
        }
        TrashKind::Chip => "SELECT name FROM chips WHERE id = ?1",
        TrashKind::Source => "SELECT title FROM sources WHERE id = ?1",
        TrashKind::Event => "SELECT title FROM events WHERE id = ?1",
        TrashKind::Note => "SELECT title FROM notes WHERE id = ?1",
    };
    conn.query_row(sql, [id], |row| row.get(0))
        .optional()?
        .ok_or(Error::NotFound {
            entity: kind.noun(),
            id,
        })
}

fn parse_kind(text: &str, trash_id: Id) -> Result<TrashKind> {
    parse_enum(text).ok_or_else(|| unreadable(trash_id, &format!("unknown kind '{text}'")))
}

fn unreadable(trash_id: Id, why: &str) -> Error {
    Error::invalid(
        "trashId",
        format!("Trash entry {trash_id} cannot be read ({why}); it was left as it is"),
    )
}

fn load_entry(conn: &Connection, trash_id: Id) -> Result<(TrashKind, String, Payload)> {
    let found = conn
        .query_row(
            "SELECT kind, title, payload FROM trash WHERE id = ?1",
            [trash_id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    let (kind, title, payload) = found.ok_or(Error::NotFound {
        entity: "Trash entry",
        id: trash_id,
    })?;
    let payload: Payload =
        serde_json::from_str(&payload).map_err(|e| unreadable(trash_id, &e.to_string()))?;
    Ok((parse_kind(&kind, trash_id)?, title, payload))
}
