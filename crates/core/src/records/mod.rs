//! Records: the unit of history and of team sync (docs/TEAM.md).
//!
//! A record is a row of a main table (firms, sources, notes, ...) with the link
//! rows that belong to it, seen as one JSON object of fields by its
//! `record_<kind>` view (migration 0010). Triggers queue every change to a
//! record in `record_changes`, whichever program writes; [`seal`] runs before
//! each commit and turns the queue into `history` rows (who, when, fields old
//! → new) and, in a team workspace, into the outbox (`outbox.rs`).
//!
//! Files: `history` (reading a record's history as an analyst sees it),
//! `outbox` (folding local changes into the changes a push sends).

pub mod history;
pub(crate) mod outbox;

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::text::now_utc;

/// The kinds of record that have a history and sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Firm,
    Strategy,
    Assessment,
    Chip,
    Source,
    Note,
    Event,
    Comparison,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Firm,
        RecordKind::Strategy,
        RecordKind::Assessment,
        RecordKind::Chip,
        RecordKind::Source,
        RecordKind::Note,
        RecordKind::Event,
        RecordKind::Comparison,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Firm => "firm",
            RecordKind::Strategy => "strategy",
            RecordKind::Assessment => "assessment",
            RecordKind::Chip => "chip",
            RecordKind::Source => "source",
            RecordKind::Note => "note",
            RecordKind::Event => "event",
            RecordKind::Comparison => "comparison",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// What an analyst calls one.
    pub fn noun(self) -> &'static str {
        self.as_str()
    }

    /// The main table its rows live in.
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Firm => "firms",
            RecordKind::Strategy => "strategies",
            RecordKind::Assessment => "assessments",
            RecordKind::Chip => "chips",
            RecordKind::Source => "sources",
            RecordKind::Note => "notes",
            RecordKind::Event => "events",
            RecordKind::Comparison => "comparisons",
        }
    }

    /// The Trash's name for it (comparisons are deleted outright).
    pub fn trash_kind(self) -> Option<crate::model::TrashKind> {
        use crate::model::TrashKind as T;
        Some(match self {
            RecordKind::Firm => T::Firm,
            RecordKind::Strategy => T::Strategy,
            RecordKind::Assessment => T::Assessment,
            RecordKind::Chip => T::Chip,
            RecordKind::Source => T::Source,
            RecordKind::Note => T::Note,
            RecordKind::Event => T::Event,
            RecordKind::Comparison => return None,
        })
    }

    /// The view that gives a record's fields as one JSON object.
    pub(crate) fn view(self) -> &'static str {
        match self {
            RecordKind::Firm => "record_firm",
            RecordKind::Strategy => "record_strategy",
            RecordKind::Assessment => "record_assessment",
            RecordKind::Chip => "record_chip",
            RecordKind::Source => "record_source",
            RecordKind::Note => "record_note",
            RecordKind::Event => "record_event",
            RecordKind::Comparison => "record_comparison",
        }
    }
}

/// A record's current fields, or None when there is no such record.
pub(crate) fn fields_of(
    conn: &Connection,
    kind: RecordKind,
    id: i64,
) -> Result<Option<Map<String, Value>>> {
    let text: Option<String> = conn
        .prepare_cached(&format!("SELECT fields FROM {} WHERE id = ?1", kind.view()))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    text.map(|t| parse_fields(&t)).transpose()
}

/// The local id of the record with global id `uid`.
pub(crate) fn id_of(conn: &Connection, kind: RecordKind, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {} WHERE uid = ?1", kind.table()))?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

pub(crate) fn parse_fields(text: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Error::invalid(
            "record",
            format!("unreadable fields: {text}"),
        )),
    }
}

/// What one transaction did to one record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Created,
    /// Put back from the Trash (or re-created with a uid it had before).
    Restored,
    /// The fields that changed: name → (old, new).
    Changed(Vec<(String, Value, Value)>),
    /// Gone; `synced` is the version the team server had given it.
    Deleted {
        synced: i64,
    },
}

/// One record the queue names, with what happened to it.
#[derive(Debug, Clone)]
pub(crate) struct Sealed {
    pub kind: RecordKind,
    pub id: i64,
    pub uid: String,
    pub outcome: Outcome,
}

/// Who a local change is attributed to: the team login in a team workspace,
/// else the person logged in to this computer.
pub(crate) fn local_author(conn: &Connection) -> Result<String> {
    if let Some(login) = meta(conn, "team.login")? {
        return Ok(login);
    }
    Ok(["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "local".to_string()))
}

pub(crate) fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM workspace_meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO workspace_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// Whether this workspace is a replica of a team workspace.
pub(crate) fn is_team(conn: &Connection) -> Result<bool> {
    Ok(meta(conn, "team.workspace")?.is_some())
}

/// Turns the queued record changes into history (and outbox changes in a team
/// workspace), and empties the queue. Runs inside the writing transaction,
/// just before it commits.
pub(crate) fn seal(conn: &Connection) -> Result<()> {
    if !has_queued(conn)? {
        return Ok(());
    }
    let author = local_author(conn)?;
    let at = now_utc();
    let team = is_team(conn)?;
    if !team {
        seal_new_records_in_bulk(conn, &author, &at)?;
    }
    let sealed = read_queue(conn)?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO history (kind, record_id, uid, op, fields, author, at, change_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for record in &sealed {
        let change_id = if team {
            outbox::fold(conn, record)?
        } else {
            None
        };
        let (op, fields) = match &record.outcome {
            Outcome::Created => ("created", "{}".to_string()),
            Outcome::Restored => ("restored", "{}".to_string()),
            Outcome::Deleted { .. } => ("deleted", "{}".to_string()),
            Outcome::Changed(changes) => ("changed", changes_json(changes)),
        };
        insert.execute(rusqlite::params![
            record.kind.as_str(),
            record.id,
            record.uid,
            op,
            fields,
            author,
            at,
            change_id,
        ])?;
    }
    conn.prepare_cached("DELETE FROM record_changes")?
        .execute([])?;
    Ok(())
}

/// Records this transaction created and nothing else touched (an import's
/// rows, a sample's): their "created" history rows in one statement rather
/// than one by one. A uid with history already is a restore: left to
/// [`read_queue`]. (A team replica also folds them into the outbox one by one.)
fn seal_new_records_in_bulk(conn: &Connection, author: &str, at: &str) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS sealed_in_bulk (seq INTEGER PRIMARY KEY);
         DELETE FROM temp.sealed_in_bulk;
         INSERT INTO temp.sealed_in_bulk (seq)
         SELECT q.seq FROM record_changes q
         JOIN (SELECT min(seq) AS seq FROM record_changes GROUP BY kind, id HAVING count(*) = 1) once
           ON once.seq = q.seq
         WHERE q.op = 'create' AND q.uid IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM history h WHERE h.uid = q.uid);",
    )?;
    conn.prepare_cached(
        "INSERT INTO history (kind, record_id, uid, op, fields, author, at)
         SELECT q.kind, q.id, q.uid, 'created', '{}', ?1, ?2 FROM record_changes q
         WHERE q.seq IN (SELECT seq FROM temp.sealed_in_bulk) ORDER BY q.seq",
    )?
    .execute([author, at])?;
    conn.execute_batch(
        "DELETE FROM record_changes WHERE seq IN (SELECT seq FROM temp.sealed_in_bulk);
         DELETE FROM temp.sealed_in_bulk;",
    )?;
    Ok(())
}

/// Whether changes wait in the queue (another program wrote, or a crash).
pub(crate) fn has_queued(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM record_changes LIMIT 1")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// `{field: [old, new]}`, fields in alphabetical order.
pub(crate) fn changes_json(changes: &[(String, Value, Value)]) -> String {
    let map: Map<String, Value> = changes
        .iter()
        .map(|(f, old, new)| (f.clone(), Value::Array(vec![old.clone(), new.clone()])))
        .collect();
    Value::Object(map).to_string()
}

/// The queue, one entry per record in the order first touched, with what
/// happened to each (records created and deleted again, and records saved
/// unchanged, are left out).
fn read_queue(conn: &Connection) -> Result<Vec<Sealed>> {
    struct First {
        kind: RecordKind,
        id: i64,
        uid: Option<String>,
        op: String,
        old: Option<String>,
        synced: Option<i64>,
    }
    let mut order: Vec<First> = Vec::new();
    let mut seen: HashMap<(RecordKind, i64), usize> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT kind, id, uid, op, old, synced FROM record_changes ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let kind_text: String = row.get(0)?;
            let kind = RecordKind::parse(&kind_text)
                .ok_or_else(|| Error::invalid("record kind", kind_text.clone()))?;
            let id: i64 = row.get(1)?;
            let uid: Option<String> = row.get(2)?;
            let op: String = row.get(3)?;
            let synced: Option<i64> = row.get(5)?;
            match seen.get(&(kind, id)) {
                Some(&at) => {
                    let first = &mut order[at];
                    if first.uid.is_none() {
                        first.uid = uid;
                    }
                    if op == "delete" && first.synced.is_none() {
                        first.synced = synced;
                    }
                }
                None => {
                    seen.insert((kind, id), order.len());
                    order.push(First {
                        kind,
                        id,
                        uid,
                        op,
                        old: row.get(4)?,
                        synced,
                    });
                }
            }
        }
    }
    let mut sealed = Vec::with_capacity(order.len());
    for first in order {
        let Some(uid) = first.uid else { continue };
        let exists = || -> Result<bool> {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT 1 FROM {} WHERE id = ?1",
                    first.kind.table()
                ))?
                .query_row([first.id], |_| Ok(()))
                .optional()?
                .is_some())
        };
        let outcome = match first.op.as_str() {
            "create" => {
                if !exists()? {
                    continue;
                }
                if had_history(conn, &uid)? {
                    Outcome::Restored
                } else {
                    Outcome::Created
                }
            }
            "delete" => {
                if exists()? {
                    Outcome::Restored
                } else {
                    Outcome::Deleted {
                        synced: first.synced.unwrap_or(0),
                    }
                }
            }
            _ => match fields_of(conn, first.kind, first.id)? {
                None => Outcome::Deleted {
                    synced: first.synced.unwrap_or(0),
                },
                Some(new) => {
                    let old = parse_fields(first.old.as_deref().unwrap_or("{}"))?;
                    let changes = diff(&old, &new);
                    if changes.is_empty() {
                        continue;
                    }
                    Outcome::Changed(changes)
                }
            },
        };
        sealed.push(Sealed {
            kind: first.kind,
            id: first.id,
            uid,
            outcome,
        });
    }
    Ok(sealed)
}

fn had_history(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM history WHERE uid = ?1 LIMIT 1")?
        .query_row([uid], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The fields whose values differ, alphabetically: (name, old, new).
pub(crate) fn diff(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<(String, Value, Value)> {
    new.iter()
        .filter_map(|(field, value)| {
            let before = old.get(field).cloned().unwrap_or(Value::Null);
            (before != *value).then(|| (field.clone(), before, value.clone()))
        })
        .collect()
}

/// Starts writing what came from the team server: what is queued so far
/// (edits another program made meanwhile) is sealed as local changes first;
/// then the triggers are silenced (`record_mute`) until [`end_muted`].
pub(crate) fn begin_muted(conn: &Connection) -> Result<()> {
    seal(conn)?;
    conn.prepare_cached("INSERT INTO record_mute (muted) VALUES (1)")?
        .execute([])?;
    Ok(())
}

/// Ends [`begin_muted`]: the triggers listen again. Changes applied from the
/// team server are recorded from the server's log and never go back out.
pub(crate) fn end_muted(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM record_mute")?
        .execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests;
