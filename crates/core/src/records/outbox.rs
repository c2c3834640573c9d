//! The outbox of a team replica: local changes not yet accepted by the server.
//!
//! [`fold`] runs in the sealing of every writing transaction: all the edits of
//! one record before a push become one change (one change id), naming the
//! fields that changed and keeping their values from before the first edit
//! (the base of a three-way merge). Once a change has been sent it is frozen
//! (`sent`), and a later edit starts a new one: a retried push must send
//! exactly what the server may already have applied.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::{parse_fields, Outcome, Sealed};
use crate::error::Result;
use crate::text::now_utc;

/// The unsent change of one record, if there is one.
struct Unsent {
    change_id: String,
    /// None: the whole record.
    fields: Option<Vec<String>>,
    previous: Map<String, Value>,
}

fn unsent(conn: &Connection, uid: &str) -> Result<Option<Unsent>> {
    let row: Option<(String, Option<String>, String)> = conn
        .prepare_cached(
            "SELECT change_id, fields, previous FROM sync_outbox WHERE uid = ?1 AND sent IS NULL",
        )?
        .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(change_id, fields, previous)| {
        Ok(Unsent {
            change_id,
            fields: fields.map(|f| serde_json::from_str::<Vec<String>>(&f).unwrap_or_default()),
            previous: parse_fields(&previous)?,
        })
    })
    .transpose()
}

fn has_sent(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sync_outbox WHERE uid = ?1 AND sent IS NOT NULL")?
        .query_row([uid], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(crate) fn new_change_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Folds what a transaction did to `record` into its unsent change; returns
/// that change's id (None when nothing is left to send).
pub(crate) fn fold(conn: &Connection, record: &Sealed) -> Result<Option<String>> {
    let pending = unsent(conn, &record.uid)?;
    let write = |change_id: &str,
                 deleted: bool,
                 base: Option<i64>,
                 fields: Option<&[String]>,
                 previous: &Map<String, Value>|
     -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO sync_outbox (change_id, kind, uid, deleted, base_version, fields, previous, made_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (change_id) DO UPDATE SET deleted = excluded.deleted,
                 base_version = excluded.base_version, fields = excluded.fields,
                 previous = excluded.previous",
        )?
        .execute(params![
            change_id,
            record.kind.as_str(),
            record.uid,
            deleted,
            base,
            fields.map(|f| serde_json::to_string(f).unwrap_or_default()),
            Value::Object(previous.clone()).to_string(),
            now_utc(),
        ])?;
        Ok(())
    };
    let change_id = pending
        .as_ref()
        .map(|p| p.change_id.clone())
        .unwrap_or_else(new_change_id);
    match &record.outcome {
        Outcome::Created | Outcome::Restored => {
            let previous = pending.map(|p| p.previous).unwrap_or_default();
            write(&change_id, false, None, None, &previous)?;
        }
        Outcome::Changed(changes) => {
            let (mut fields, mut previous) = match pending {
                Some(p) => (p.fields, p.previous),
                None => (Some(Vec::new()), Map::new()),
            };
            // A whole record (never pushed, or restored) has no base to keep.
            if let Some(names) = fields.as_mut() {
                for (field, old, _) in changes {
                    if !names.contains(field) {
                        names.push(field.clone());
                    }
                    previous.entry(field.clone()).or_insert_with(|| old.clone());
                }
            }
            write(&change_id, false, None, fields.as_deref(), &previous)?;
        }
        Outcome::Deleted { synced } => {
            // A record the server never had, nor was sent: nothing to tell it.
            if *synced == 0 && !has_sent(conn, &record.uid)? {
                conn.prepare_cached("DELETE FROM sync_outbox WHERE uid = ?1 AND sent IS NULL")?
                    .execute([&record.uid])?;
                return Ok(None);
            }
            let previous = pending.map(|p| p.previous).unwrap_or_default();
            write(&change_id, true, Some(*synced), Some(&[]), &previous)?;
        }
    }
    Ok(Some(change_id))
}
