//! A record's history as an analyst reads it: who changed what, when, with
//! the values before and after, references shown by name.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::{parse_fields, RecordKind};
use crate::error::{Error, Result};
use crate::replica::wire::ServerChange;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// created, changed, deleted or restored.
    pub op: String,
    pub author: String,
    /// UTC, RFC 3339.
    pub at: String,
    pub fields: Vec<FieldChange>,
    /// False for a change a team replica has not pushed yet.
    pub on_server: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    /// The value as shown: references by name, lists joined; empty when blank.
    pub old: String,
    pub new: String,
}

/// The record's history, oldest first, from this workspace's own log.
pub fn history(store: &Store, kind: RecordKind, id: i64) -> Result<Vec<HistoryEntry>> {
    store.read(|conn| {
        let uid = uid_in(conn, kind, id)?;
        entries(conn, &uid)
    })
}

/// The global id of record `id`, also for a record in the Trash (it keeps
/// its history under its uid).
pub fn uid_of(store: &Store, kind: RecordKind, id: i64) -> Result<String> {
    store.read(|conn| uid_in(conn, kind, id))
}

fn uid_in(conn: &Connection, kind: RecordKind, id: i64) -> Result<String> {
    let uid: Option<String> = conn
        .query_row(
            &format!("SELECT uid FROM {} WHERE id = ?1", kind.table()),
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match uid {
        Some(uid) => Ok(uid),
        None => conn
            .query_row(
                "SELECT uid FROM history WHERE kind = ?1 AND record_id = ?2 ORDER BY id DESC LIMIT 1",
                rusqlite::params![kind.as_str(), id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound {
                entity: kind.noun(),
                id,
            }),
    }
}

/// The record a person names: its id (`12` or `#12`), or its name or title
/// (ignoring case; firms also by alias or native name).
pub fn resolve(store: &Store, kind: RecordKind, text: &str) -> Result<i64> {
    let trimmed = text.trim();
    if let Ok(id) = trimmed.trim_start_matches('#').parse::<i64>() {
        return Ok(id);
    }
    if kind == RecordKind::Firm {
        return crate::firms::resolve(store, "firm", trimmed);
    }
    store.read(|conn| {
        let column = title_column(kind);
        let ids: Vec<i64> = conn
            .prepare(&format!(
                "SELECT id FROM {} WHERE {column} = ?1 COLLATE NOCASE ORDER BY id LIMIT 5",
                kind.table()
            ))?
            .query_map([trimmed], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::invalid(
                kind.as_str(),
                format!(
                    "no {} is called '{trimmed}': give its {column} exactly, or its id",
                    kind.noun()
                ),
            )),
            several => Err(Error::invalid(
                kind.as_str(),
                format!(
                    "several {}s are called '{trimmed}' (ids {}): give the id",
                    kind.noun(),
                    several
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    })
}

fn title_column(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Source | RecordKind::Note | RecordKind::Event => "title",
        _ => "name",
    }
}

/// A team workspace's history of one record, from the server's log, with
/// this replica's changes not pushed yet after it.
pub fn from_server(
    store: &Store,
    uid: &str,
    changes: &[ServerChange],
) -> Result<Vec<HistoryEntry>> {
    store.read(|conn| {
        let mut out = Vec::new();
        for change in changes {
            let deleted = change.fields.get("deleted").and_then(Value::as_bool);
            let op = match deleted {
                Some(true) => "deleted",
                Some(false) => "restored",
                None if change.base_version == 0 => "created",
                None => "changed",
            };
            let mut fields = Vec::new();
            if op == "changed" {
                for (field, new) in &change.fields {
                    let old = change.previous.get(field).cloned().unwrap_or(Value::Null);
                    fields.push(FieldChange {
                        field: field.clone(),
                        old: shown(conn, field, &old)?,
                        new: shown(conn, field, new)?,
                    });
                }
            }
            out.push(HistoryEntry {
                op: op.to_string(),
                author: change.author.clone(),
                at: change.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                fields,
                on_server: true,
            });
        }
        out.extend(entries(conn, uid)?.into_iter().filter(|e| !e.on_server));
        Ok(out)
    })
}

fn entries(conn: &Connection, uid: &str) -> Result<Vec<HistoryEntry>> {
    // Waiting: a change still in the team outbox (not accepted by the server yet).
    let mut stmt = conn.prepare(
        "SELECT op, author, at, fields,
                EXISTS (SELECT 1 FROM sync_outbox o WHERE o.change_id = h.change_id)
         FROM history h WHERE uid = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([uid], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, bool>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (op, author, at, fields, waiting) = row?;
        let mut changes = Vec::new();
        for (field, pair) in parse_fields(&fields)? {
            let (old, new) = match pair {
                Value::Array(mut both) if both.len() == 2 => {
                    let new = both.pop().unwrap_or(Value::Null);
                    (both.pop().unwrap_or(Value::Null), new)
                }
                other => (Value::Null, other),
            };
            changes.push(FieldChange {
                old: shown(conn, &field, &old)?,
                new: shown(conn, &field, &new)?,
                field,
            });
        }
        out.push(HistoryEntry {
            op,
            author,
            at,
            fields: changes,
            on_server: !waiting,
        });
    }
    Ok(out)
}

/// What a reference field points at.
fn target(field: &str) -> Option<RecordKind> {
    match field {
        "parent" | "firm" | "foundry" | "firms" => Some(RecordKind::Firm),
        "strategy" => Some(RecordKind::Strategy),
        "source" | "sources" => Some(RecordKind::Source),
        _ => None,
    }
}

fn name_of(conn: &Connection, kind: RecordKind, uid: &str) -> Result<String> {
    let column = title_column(kind);
    let name: Option<String> = conn
        .prepare_cached(&format!(
            "SELECT {column} FROM {} WHERE uid = ?1",
            kind.table()
        ))?
        .query_row([uid], |r| r.get(0))
        .optional()?;
    Ok(name.unwrap_or_else(|| format!("(a {} no longer here)", kind.as_str())))
}

/// A field's value as History shows it.
pub(crate) fn shown(conn: &Connection, field: &str, value: &Value) -> Result<String> {
    Ok(match value {
        Value::Null => String::new(),
        Value::String(text) => match target(field) {
            Some(kind) => name_of(conn, kind, text)?,
            None => text.clone(),
        },
        Value::Array(items) => items
            .iter()
            .map(|item| shown(conn, field, item))
            .collect::<Result<Vec<_>>>()?
            .join("; "),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| Ok(format!("{k}: {}", shown(conn, k, v)?)))
            .collect::<Result<Vec<_>>>()?
            .join(", "),
        other => other.to_string(),
    })
}
