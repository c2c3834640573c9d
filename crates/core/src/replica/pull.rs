//! Pull, the local half: applying a page of the server's log ([`apply`]) or
//! a set of whole records (a join, a record this replica lacks:
//! [`apply_records`]) in one transaction with the cursor, so a crash leaves
//! the replica either before the page or after it.
//!
//! Nothing written here feeds the outbox (the queue is discarded: see
//! `records::end_muted`), except a value merged from both sides,
//! which is this replica's edit to send.

use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value};

use super::apply::{is_reference, names_a_missing_record, write_fields};
use super::conflicts::{record_conflict, record_notice};
use super::merge::merge;
use super::push::{bring_back, kind_of, pending, save_pending};
use super::wire::{ServerChange, ServerRecord};
use crate::error::Result;
use crate::records::{
    begin_muted, changes_json, end_muted, fields_of, id_of, set_meta, RecordKind,
};
use crate::store::Store;

/// What a pull did, for the sync report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PullReport {
    /// Others' changes applied here.
    pub pulled: usize,
    /// Fields both sides changed that merged by themselves.
    pub merged: usize,
    pub conflicts: usize,
    pub notices: usize,
    /// Changes that could not be applied, each with why (kept in the
    /// conflicts list too).
    pub problems: Vec<String>,
    /// Records this replica lacks whole (to fetch from the server).
    #[serde(skip)]
    pub missing: Vec<(String, String)>,
    /// Records written with a reference to one not here yet.
    #[serde(skip)]
    unresolved: Vec<(RecordKind, String)>,
}

/// Applies `changes` (one page of the log, in order) and moves the cursor past them.
pub fn apply(store: &mut Store, changes: &[ServerChange]) -> Result<PullReport> {
    // A savepoint per change costs a copy of every page it touches, so the
    // page is first applied without them; a change that fails (a reference to
    // a record later in the page, one this replica refuses) undoes the
    // attempt, and the page is applied again change by change.
    match store.write(|tx| apply_page(tx, changes, false)) {
        Ok(report) => Ok(report),
        Err(_) => store.write(|tx| apply_page(tx, changes, true)),
    }
}

/// One page in the caller's transaction. `careful`: each change in a
/// savepoint, those that fail retried at the end and then set aside.
fn apply_page(tx: &Connection, changes: &[ServerChange], careful: bool) -> Result<PullReport> {
    begin_muted(tx)?;
    let mut report = PullReport::default();
    let mut merged_edits = Vec::new();
    let mut retry = Vec::new();
    for change in changes {
        if !careful {
            apply_change(tx, change, &mut report, &mut merged_edits)?;
            continue;
        }
        match apply_one(tx, change, &mut report, &mut merged_edits) {
            Ok(()) => {}
            // A reference to a record later in the page: once more at the end.
            Err(_) => retry.push(change),
        }
    }
    for change in retry {
        if let Err(error) = apply_one(tx, change, &mut report, &mut merged_edits) {
            // Only what this replica refuses is set aside; anything else
            // (a full disk, a damaged file) stops the page, cursor unmoved.
            if !is_refusal(&error) {
                return Err(error);
            }
            let problem = format!(
                "{} {} (change {} by {}): {error}",
                change.kind, change.uid, change.seq, change.author
            );
            if let Ok(kind) = kind_of(&change.kind) {
                record_conflict(
                    tx,
                    kind,
                    &change.uid.to_string(),
                    "(not applied)",
                    &Value::Null,
                    &Value::Null,
                    &Value::Object(change.fields.clone()),
                    Some(&change.author),
                )?;
            }
            report.problems.push(problem);
        }
    }
    // References to records later in the page (a listing's source, a
    // source's firms) are filled in now that the page is applied: each
    // such field as the page's last change of it set it.
    for (kind, uid) in std::mem::take(&mut report.unresolved) {
        let mut latest = Map::new();
        for change in changes.iter().filter(|c| c.uid.to_string() == uid) {
            for (field, value) in &change.fields {
                if is_reference(kind, field) {
                    latest.insert(field.clone(), value.clone());
                }
            }
        }
        if id_of(tx, kind, &uid)?.is_some() {
            write_fields(tx, kind, &uid, &latest, None)?;
        }
    }
    if let Some(last) = changes.last() {
        set_meta(tx, "team.cursor", &last.seq.to_string())?;
    }
    end_muted(tx)?;
    for (kind, uid, fields) in merged_edits {
        write_fields(tx, kind, &uid, &fields, None)?;
    }
    Ok(report)
}

/// Whether the replica refused the change itself (a constraint it breaks, a
/// reference it lacks), as opposed to failing to write at all.
fn is_refusal(error: &crate::error::Error) -> bool {
    use crate::error::Error;
    match error {
        Error::InvalidInput { .. } => true,
        Error::Sqlite(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation),
        _ => false,
    }
}

/// One change, inside a savepoint: it applies whole or not at all.
fn apply_one(
    tx: &Connection,
    change: &ServerChange,
    report: &mut PullReport,
    merged_edits: &mut Vec<(RecordKind, String, Map<String, Value>)>,
) -> Result<()> {
    tx.prepare_cached("SAVEPOINT pulled_change")?.execute([])?;
    let mut local = PullReport::default();
    let mut edits = Vec::new();
    match apply_change(tx, change, &mut local, &mut edits) {
        Ok(()) => {
            tx.prepare_cached("RELEASE pulled_change")?.execute([])?;
            report.pulled += local.pulled;
            report.merged += local.merged;
            report.conflicts += local.conflicts;
            report.notices += local.notices;
            report.missing.extend(local.missing);
            report.unresolved.extend(local.unresolved);
            merged_edits.extend(edits);
            Ok(())
        }
        Err(error) => {
            tx.execute_batch("ROLLBACK TO pulled_change; RELEASE pulled_change")?;
            Err(error)
        }
    }
}

fn apply_change(
    tx: &Connection,
    change: &ServerChange,
    report: &mut PullReport,
    merged_edits: &mut Vec<(RecordKind, String, Map<String, Value>)>,
) -> Result<()> {
    let change_id = change.change_id.to_string();
    let uid = change.uid.to_string();
    let kind = kind_of(&change.kind)?;
    // This replica's own change, coming back: it is here already.
    let own = tx
        .prepare_cached("UPDATE history SET server_seq = ?2 WHERE change_id = ?1")?
        .execute(rusqlite::params![change_id, change.seq])?;
    if own > 0 {
        tx.prepare_cached(&format!(
            "UPDATE {} SET sync_version = max(sync_version, ?2) WHERE uid = ?1",
            kind.table()
        ))?
        .execute(rusqlite::params![uid, change.version])?;
        return Ok(());
    }
    if change.known {
        // Sent without its fields as this replica's own, yet not in its
        // history: the record is fetched whole instead.
        report.missing.push((change.kind.clone(), uid));
        return Ok(());
    }
    report.pulled += 1;
    let deleted = change.fields.get("deleted").and_then(Value::as_bool);
    let mut fields: Map<String, Value> = change
        .fields
        .iter()
        .filter(|(f, _)| *f != "deleted")
        .map(|(f, v)| (f.clone(), v.clone()))
        .collect();
    let mut mine = pending(tx, &uid)?;
    let local_id = id_of(tx, kind, &uid)?;
    if let Some(id) = local_id {
        // A change older than what this replica has from the server already
        // (its own push of a later version answered first): history only.
        let known: i64 = tx
            .prepare_cached(&format!(
                "SELECT sync_version FROM {} WHERE id = ?1",
                kind.table()
            ))?
            .query_row([id], |r| r.get(0))?;
        if change.version <= known {
            // A conflict the push met names whose value it kept, now known.
            for field in change.fields.keys() {
                tx.prepare_cached(
                    "UPDATE sync_conflicts SET theirs_by = ?3
                     WHERE uid = ?1 AND field = ?2 AND theirs_by IS NULL AND resolution IS NULL",
                )?
                .execute(rusqlite::params![uid, field, change.author])?;
            }
            record_history(tx, kind, &uid, "changed", change)?;
            return Ok(());
        }
    }
    let op;

    if deleted == Some(true) {
        op = "deleted";
        match (local_id, mine.as_mut()) {
            (Some(_), Some(edit)) if !edit.deleted => {
                // An edit beats a delete: the record stays, and goes back whole.
                edit.fields = None;
                save_pending(tx, edit)?;
                set_version(tx, kind, &uid, change.version)?;
                record_notice(
                    tx,
                    kind,
                    &uid,
                    "deleted",
                    &format!(
                        "{} deleted this while you edited it; your edit keeps it",
                        change.author
                    ),
                )?;
                report.notices += 1;
            }
            (Some(id), _) => remove(tx, kind, id)?,
            (None, Some(edit)) if edit.deleted => {
                // Deleted on both sides: nothing left to send.
                tx.prepare_cached("DELETE FROM sync_outbox WHERE change_id = ?1")?
                    .execute([&edit.change_id])?;
            }
            (None, _) => {}
        }
    } else {
        let mut exists = local_id.is_some();
        if !exists && deleted == Some(false) {
            // Brought back: from the Trash here when it is there.
            bring_back(tx, kind, &uid, &Map::new(), change.version).ok();
            exists = id_of(tx, kind, &uid)?.is_some();
        }
        if !exists && change.base_version > 0 {
            // Not a creation, and not here whole: fetch the record itself.
            report.missing.push((change.kind.clone(), uid.clone()));
            return Ok(());
        }
        op = if !exists {
            "created"
        } else if deleted == Some(false) {
            "restored"
        } else {
            "changed"
        };
        if let (Some(edit), Some(id)) = (mine.as_mut(), id_of(tx, kind, &uid)?) {
            let current = fields_of(tx, kind, id)?.unwrap_or_default();
            let mut edits = Map::new();
            for (field, theirs) in fields.iter_mut() {
                if !edit.covers(field) {
                    continue;
                }
                let my_value = current.get(field).cloned().unwrap_or(Value::Null);
                if my_value == *theirs {
                    drop_field(edit, field, &current);
                    continue;
                }
                let base = edit
                    .previous
                    .get(field)
                    .or_else(|| change.previous.get(field))
                    .cloned()
                    .unwrap_or(Value::Null);
                match merge(kind, field, &base, &my_value, theirs) {
                    Some(merged) => {
                        report.merged += 1;
                        edit.previous.insert(field.clone(), theirs.clone());
                        edits.insert(field.clone(), merged);
                    }
                    None => {
                        record_conflict(
                            tx,
                            kind,
                            &uid,
                            field,
                            &base,
                            &my_value,
                            theirs,
                            Some(&change.author),
                        )?;
                        report.conflicts += 1;
                        drop_field(edit, field, &current);
                    }
                }
            }
            save_pending(tx, edit)?;
            if !edits.is_empty() {
                merged_edits.push((kind, uid.clone(), edits));
            }
        }
        if names_a_missing_record(tx, kind, &fields)? {
            report.unresolved.push((kind, uid.clone()));
        }
        write_fields(tx, kind, &uid, &fields, Some(change.version))?;
    }
    record_history(tx, kind, &uid, op, change)
}

/// The history row of a change from the server, with its author and time.
fn record_history(
    tx: &Connection,
    kind: RecordKind,
    uid: &str,
    op: &str,
    change: &ServerChange,
) -> Result<()> {
    let pairs: Vec<(String, Value, Value)> = change
        .fields
        .iter()
        .filter(|_| op == "changed")
        .map(|(f, new)| {
            let old = change.previous.get(f).cloned().unwrap_or(Value::Null);
            (f.clone(), old, new.clone())
        })
        .collect();
    // A record created here and now has no earlier history to re-point.
    let created = if op == "created" {
        id_of(tx, kind, uid)?
    } else {
        None
    };
    tx.prepare_cached(
        "INSERT INTO history (kind, record_id, uid, op, fields, author, at, change_id, server_seq)
         VALUES (?1, coalesce(?9, (SELECT id FROM history WHERE uid = ?2 LIMIT 1), 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(rusqlite::params![
        kind.as_str(),
        uid,
        op,
        changes_json(&pairs),
        change.author,
        change.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        change.change_id.to_string(),
        change.seq,
        created,
    ])?;
    if created.is_some() {
        return Ok(());
    }
    fix_record_id(tx, kind, uid)
}

/// A field this replica no longer sends: theirs stands (equal, or a conflict
/// that keeps mine aside). A whole-record change becomes one of the rest.
fn drop_field(edit: &mut super::push::Pending, field: &str, current: &Map<String, Value>) {
    let names = edit
        .fields
        .get_or_insert_with(|| current.keys().cloned().collect());
    names.retain(|n| n != field);
    edit.previous.remove(field);
}

fn set_version(tx: &Connection, kind: RecordKind, uid: &str, version: i64) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE {} SET sync_version = ?2 WHERE uid = ?1",
        kind.table()
    ))?
    .execute(rusqlite::params![uid, version])?;
    Ok(())
}

/// History rows are keyed by the local id, which a pulled record only gets here.
fn fix_record_id(tx: &Connection, kind: RecordKind, uid: &str) -> Result<()> {
    if let Some(id) = id_of(tx, kind, uid)? {
        tx.prepare_cached("UPDATE history SET record_id = ?2 WHERE uid = ?1 AND record_id <> ?2")?
            .execute(rusqlite::params![uid, id])?;
    }
    Ok(())
}

/// A record deleted on the server goes to this replica's Trash.
fn remove(tx: &Connection, kind: RecordKind, id: i64) -> Result<()> {
    match kind.trash_kind() {
        Some(trash_kind) => {
            let version = crate::store::SCHEMA_VERSION;
            crate::trash::delete_in(tx, version, trash_kind, id)?;
        }
        None => {
            tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", kind.table()))?
                .execute([id])?;
        }
    }
    Ok(())
}

/// Writes whole records as the server holds them (a join's copy, or records
/// this replica lacked), in one transaction, in the order given (referenced
/// kinds first: [`super::KIND_ORDER`]); `cursor`, when given, is stored with
/// them. Deleted records are skipped. Returns the records that name a record
/// not here yet, to write again once it is.
pub fn apply_records(
    store: &mut Store,
    records: &[ServerRecord],
    cursor: Option<i64>,
) -> Result<Vec<ServerRecord>> {
    store.write(|tx| {
        begin_muted(tx)?;
        let mut unresolved = Vec::new();
        for record in records.iter().filter(|r| !r.deleted) {
            let kind = kind_of(&record.kind)?;
            write_fields(
                tx,
                kind,
                &record.uid.to_string(),
                &record.fields,
                Some(record.version),
            )?;
            if names_a_missing_record(tx, kind, &record.fields)? {
                unresolved.push(record.clone());
            }
        }
        if let Some(cursor) = cursor {
            set_meta(tx, "team.cursor", &cursor.to_string())?;
        }
        end_muted(tx)?;
        Ok(unresolved)
    })
}
