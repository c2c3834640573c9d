//! Push, the local half: which outbox changes go out next ([`outgoing`]), and
//! what the server's answers do here ([`accept`]).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::apply::write_fields;
use super::conflicts::{record_conflict, record_notice};
use super::merge::merge;
use super::wire::{Change, PushResult, PushStatus};
use crate::error::{Error, Result};
use crate::records::{begin_muted, end_muted, fields_of, id_of, parse_fields, RecordKind};
use crate::store::Store;

/// What a push did, for the sync report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushReport {
    /// Changes the server accepted (merged ones included).
    pub pushed: usize,
    /// Changes the server merged with others' edits of the record, and
    /// fields both sides changed that merged here (a note's body, a list).
    pub merged: usize,
    /// Fields that wait for a person's choice.
    pub conflicts: usize,
    /// Things a person should know that need no choice (an edit that kept a
    /// record someone else deleted).
    pub notices: usize,
    /// The log seqs of the answered changes, which this replica has: a pull
    /// in the same sync asks for them without their fields.
    #[serde(skip)]
    pub logged: Vec<i64>,
}

/// An unsent outbox row.
struct Waiting {
    change_id: String,
    kind: String,
    uid: String,
    deleted: bool,
    base: Option<i64>,
    /// The names of the changed fields, as JSON (None: the whole record).
    fields: Option<String>,
}

/// The changes sent before and not answered (a sync killed or cut off while
/// the server worked), exactly as they went: they are sent again first, and
/// the server answers those it already has from its log.
pub fn unanswered(store: &Store) -> Result<Vec<Change>> {
    store.read(|conn| {
        let mut sent =
            conn.prepare("SELECT sent FROM sync_outbox WHERE sent IS NOT NULL ORDER BY rowid")?;
        let rows = sent.query_map([], |r| r.get::<_, String>(0))?;
        let mut changes = Vec::new();
        for text in rows {
            let change: Change = serde_json::from_str(&text?)
                .map_err(|e| Error::invalid("outbox", format!("unreadable change: {e}")))?;
            changes.push(change);
        }
        Ok(changes)
    })
}

/// The next new changes to send, at most `max`, frozen as sent: at most one
/// per record, and none of a record with a change still unanswered (the next
/// one's base is the version that one gets).
pub fn outgoing(store: &mut Store, max: usize) -> Result<Vec<Change>> {
    store.write(|tx| {
        let mut changes = Vec::new();
        let waiting: Vec<Waiting> = tx
            .prepare(
                "SELECT change_id, kind, uid, deleted, base_version, fields FROM sync_outbox o
                 WHERE sent IS NULL
                   AND NOT EXISTS (SELECT 1 FROM sync_outbox s WHERE s.uid = o.uid AND s.sent IS NOT NULL)
                 ORDER BY rowid LIMIT ?1",
            )?
            .query_map([(max - changes.len()) as i64], |r| {
                Ok(Waiting {
                    change_id: r.get(0)?,
                    kind: r.get(1)?,
                    uid: r.get(2)?,
                    deleted: r.get(3)?,
                    base: r.get(4)?,
                    fields: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for row in waiting {
            let change_id = row.change_id.clone();
            let Some(change) = freeze(tx, &row)? else {
                tx.prepare_cached("DELETE FROM sync_outbox WHERE change_id = ?1")?.execute([&change_id])?;
                continue;
            };
            tx.prepare_cached("UPDATE sync_outbox SET sent = ?2, base_version = ?3 WHERE change_id = ?1")?.execute(
                params![
                    change_id,
                    serde_json::to_string(&change).unwrap_or_default(),
                    change.base_version
                ],
            )?;
            changes.push(change);
        }
        Ok(changes)
    })
}

pub(crate) fn kind_of(text: &str) -> Result<RecordKind> {
    RecordKind::parse(text)
        .ok_or_else(|| Error::invalid("record kind", format!("unknown kind '{text}'")))
}

pub(crate) fn uuid_of(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|_| Error::invalid("uid", format!("'{text}' is not a UUID")))
}

/// The change as it goes out: the record's current values of the fields
/// that changed (all of them for a whole record). None: nothing to send.
fn freeze(conn: &Connection, row: &Waiting) -> Result<Option<Change>> {
    let kind = kind_of(&row.kind)?;
    let (uid, names) = (row.uid.as_str(), row.fields.clone());
    let mut change = Change {
        change_id: uuid_of(&row.change_id)?,
        kind: kind.as_str().to_string(),
        uid: uuid_of(uid)?,
        base_version: row.base.unwrap_or(0),
        fields: Map::new(),
        delete: None,
    };
    if row.deleted {
        change.delete = Some(true);
        return Ok(Some(change));
    }
    let Some(id) = id_of(conn, kind, uid)? else {
        return Ok(None);
    };
    let current = fields_of(conn, kind, id)?.unwrap_or_default();
    change.base_version = conn
        .prepare_cached(&format!(
            "SELECT sync_version FROM {} WHERE id = ?1",
            kind.table()
        ))?
        .query_row([id], |r| r.get(0))?;
    match names {
        None => {
            change.fields = current;
            // A whole record the server had before: it was deleted there.
            if change.base_version > 0 {
                change.delete = Some(false);
            }
        }
        Some(names) => {
            let names: Vec<String> = serde_json::from_str(&names).unwrap_or_default();
            for name in names {
                if let Some(value) = current.get(&name) {
                    change.fields.insert(name, value.clone());
                }
            }
            if change.fields.is_empty() {
                return Ok(None);
            }
        }
    }
    Ok(Some(change))
}

/// Applies the server's answers to the changes [`outgoing`] gave, in one
/// transaction: the changes leave the outbox, records take their new
/// versions and others' merged fields, conflicts are kept for a person, and
/// a field both sides changed that merges (a note's body, a list) becomes a
/// new local change.
pub fn accept(store: &mut Store, results: &[PushResult]) -> Result<PushReport> {
    store.write(|tx| {
        begin_muted(tx)?;
        let mut report = PushReport::default();
        let mut merged_edits: Vec<(RecordKind, String, Map<String, Value>)> = Vec::new();
        for result in results {
            let change_id = result.change_id.to_string();
            let row: Option<(String, String)> = tx
                .prepare_cached(
                    "SELECT kind, uid FROM sync_outbox WHERE change_id = ?1 AND sent IS NOT NULL",
                )?
                .query_row([&change_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((kind_text, uid)) = row else {
                continue;
            };
            let kind = kind_of(&kind_text)?;
            let status = match result.status {
                PushStatus::Duplicate => result.first_status.unwrap_or(PushStatus::Accepted),
                other => other,
            };
            report.pushed += 1;
            if status == PushStatus::Merged {
                report.merged += 1;
            }
            let plain = result.conflicts.is_empty()
                && !result.undeleted
                && result.server_fields.as_ref().is_none_or(Map::is_empty);
            if plain {
                // Taken as sent (nearly every answer): only the version moves.
                tx.prepare_cached(&format!(
                    "UPDATE {} SET sync_version = ?2 WHERE uid = ?1",
                    kind.table()
                ))?
                .execute(params![uid, result.version])?;
            } else {
                accept_with_others(
                    tx,
                    kind,
                    &uid,
                    &change_id,
                    result,
                    &mut report,
                    &mut merged_edits,
                )?;
            }
            tx.prepare_cached("DELETE FROM sync_outbox WHERE change_id = ?1")?
                .execute([&change_id])?;
            // The seq, when the server said it; 0 for "accepted, seq not known yet".
            let in_history = tx
                .prepare_cached(
                    "UPDATE history SET server_seq = coalesce(?2, server_seq, 0) WHERE change_id = ?1",
                )?
                .execute(params![change_id, result.seq])?;
            if let (true, Some(seq)) = (in_history > 0, result.seq) {
                report.logged.push(seq);
            }
        }
        // What was written above came from the server: not a local change.
        end_muted(tx)?;
        // Merged values are this replica's edits: they go out with the next push.
        for (kind, uid, fields) in merged_edits {
            write_fields(tx, kind, &uid, &fields, None)?;
        }
        Ok(report)
    })
}

/// An answer that brings others' work along: fields the server merged in,
/// conflicts, or a deletion undone by an edit.
fn accept_with_others(
    tx: &Connection,
    kind: RecordKind,
    uid: &str,
    change_id: &str,
    result: &PushResult,
    report: &mut PushReport,
    merged_edits: &mut Vec<(RecordKind, String, Map<String, Value>)>,
) -> Result<()> {
    let (sent, previous): (String, String) = tx.query_row(
        "SELECT sent, previous FROM sync_outbox WHERE change_id = ?1",
        [change_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let sent: Change = serde_json::from_str(&sent)
        .map_err(|e| Error::invalid("outbox", format!("unreadable change: {e}")))?;
    let previous = parse_fields(&previous)?;
    let theirs: Map<String, Value> = result.server_fields.clone().unwrap_or_default();
    let conflicted: Vec<&str> = result.conflicts.iter().map(|c| c.field.as_str()).collect();

    if sent.delete == Some(true) && conflicted.contains(&"deleted") {
        // An edit beat this delete: the record comes back.
        bring_back(tx, kind, uid, &theirs, result.version)?;
        record_notice(
            tx,
            kind,
            uid,
            "deleted",
            "your deletion was undone: someone edited it meanwhile",
        )?;
        report.notices += 1;
        return Ok(());
    }
    if id_of(tx, kind, uid)?.is_none() {
        return Ok(());
    }
    // Others' fields the server merged in, but for fields this replica
    // changed again since (a newer unsent change).
    let pending = pending(tx, uid)?;
    let others: Map<String, Value> = theirs
        .into_iter()
        .filter(|(f, _)| {
            f != "deleted"
                && !sent.fields.contains_key(f)
                && !pending.as_ref().is_some_and(|p| p.covers(f))
        })
        .collect();
    write_fields(tx, kind, uid, &others, Some(result.version))?;
    for conflict in result.conflicts.iter().filter(|c| c.field != "deleted") {
        let mine = sent
            .fields
            .get(&conflict.field)
            .cloned()
            .unwrap_or(Value::Null);
        let base = previous
            .get(&conflict.field)
            .cloned()
            .unwrap_or(Value::Null);
        // Theirs now, muted; a merge goes out as a new change.
        let mut one = Map::new();
        one.insert(conflict.field.clone(), conflict.theirs.clone());
        write_fields(tx, kind, uid, &one, None)?;
        match merge(kind, &conflict.field, &base, &mine, &conflict.theirs) {
            Some(merged) => {
                report.merged += 1;
                let mut edit = Map::new();
                edit.insert(conflict.field.clone(), merged);
                merged_edits.push((kind, uid.to_string(), edit));
            }
            None => {
                record_conflict(
                    tx,
                    kind,
                    uid,
                    &conflict.field,
                    &base,
                    &mine,
                    &conflict.theirs,
                    None,
                )?;
                report.conflicts += 1;
            }
        }
    }
    if result.undeleted {
        record_notice(
            tx,
            kind,
            uid,
            "deleted",
            "someone had deleted this; your edit brought it back",
        )?;
        report.notices += 1;
    }
    Ok(())
}

/// A record's unsent change, as a pull or an answer needs to know it.
pub(crate) struct Pending {
    pub change_id: String,
    /// None: the whole record.
    pub fields: Option<Vec<String>>,
    pub previous: Map<String, Value>,
    pub deleted: bool,
}

impl Pending {
    /// Whether this change sets `field`.
    pub fn covers(&self, field: &str) -> bool {
        self.fields
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n == field))
    }
}

pub(crate) fn pending(conn: &Connection, uid: &str) -> Result<Option<Pending>> {
    let row: Option<(String, Option<String>, String, bool)> = conn
        .prepare_cached(
            "SELECT change_id, fields, previous, deleted FROM sync_outbox WHERE uid = ?1 AND sent IS NULL",
        )?
        .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    row.map(|(change_id, fields, previous, deleted)| {
        Ok(Pending {
            change_id,
            fields: fields.map(|f| serde_json::from_str(&f).unwrap_or_default()),
            previous: parse_fields(&previous)?,
            deleted,
        })
    })
    .transpose()
}

/// Writes back a record's unsent change after a pull changed what it holds.
pub(crate) fn save_pending(conn: &Connection, pending: &Pending) -> Result<()> {
    if pending.fields.as_ref().is_some_and(Vec::is_empty) && !pending.deleted {
        conn.prepare_cached("DELETE FROM sync_outbox WHERE change_id = ?1")?
            .execute([&pending.change_id])?;
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE sync_outbox SET fields = ?2, previous = ?3, deleted = ?4 WHERE change_id = ?1",
    )?
    .execute(params![
        pending.change_id,
        pending
            .fields
            .as_ref()
            .map(|f| serde_json::to_string(f).unwrap_or_default()),
        Value::Object(pending.previous.clone()).to_string(),
        pending.deleted,
    ])?;
    Ok(())
}

/// Puts a record this replica deleted back (from the Trash when it is there),
/// with the server's fields and version. What the Trash restores with it
/// (its chips, assessments, links that pointed at it) is this replica's
/// change to send: the server saw those go with the deletion.
pub(crate) fn bring_back(
    conn: &Connection,
    kind: RecordKind,
    uid: &str,
    fields: &Map<String, Value>,
    version: i64,
) -> Result<()> {
    if id_of(conn, kind, uid)?.is_none() {
        if let Some(trash_kind) = kind.trash_kind() {
            if let Some(entry) = crate::trash::entry_of(conn, trash_kind, uid)? {
                end_muted(conn)?;
                crate::trash::restore_in(conn, entry)?;
                begin_muted(conn)?;
            }
        }
    }
    let fields: Map<String, Value> = fields
        .iter()
        .filter(|(f, _)| *f != "deleted")
        .map(|(f, v)| (f.clone(), v.clone()))
        .collect();
    write_fields(conn, kind, uid, &fields, Some(version))?;
    Ok(())
}
