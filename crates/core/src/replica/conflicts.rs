//! Conflicts: a field both replicas changed to different values that did not
//! merge. Both values are kept here; the record shows theirs until a person
//! chooses. Notices (a deletion undone by an edit) are listed with them,
//! already settled.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use super::apply::write_fields;
use super::push::kind_of;
use crate::error::{Error, Result};
use crate::records::history::shown;
use crate::records::RecordKind;
use crate::store::Store;
use crate::text::now_utc;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub id: i64,
    pub kind: RecordKind,
    /// The record's local id, when this replica still has it.
    pub record_id: Option<i64>,
    /// The record's title or name.
    pub record: String,
    pub field: String,
    /// The values as shown (references by name); `mine_value` and
    /// `theirs_value` are the stored JSON, for an edited merge.
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub theirs_by: Option<String>,
    pub seen_at: String,
    /// None: waiting for a choice. "notice": nothing to choose.
    pub resolution: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn record_conflict(
    conn: &Connection,
    kind: RecordKind,
    uid: &str,
    field: &str,
    base: &Value,
    mine: &Value,
    theirs: &Value,
    theirs_by: Option<&str>,
) -> Result<()> {
    // A newer conflict on the same field replaces an older one still open.
    conn.prepare_cached(
        "DELETE FROM sync_conflicts WHERE uid = ?1 AND field = ?2 AND resolution IS NULL",
    )?
    .execute(params![uid, field])?;
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (kind, uid, field, base, mine, theirs, theirs_by, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        kind.as_str(),
        uid,
        field,
        base.to_string(),
        mine.to_string(),
        theirs.to_string(),
        theirs_by,
        now_utc()
    ])?;
    Ok(())
}

pub(crate) fn record_notice(
    conn: &Connection,
    kind: RecordKind,
    uid: &str,
    field: &str,
    text: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (kind, uid, field, theirs, seen_at, resolution)
         VALUES (?1, ?2, ?3, ?4, ?5, 'notice')",
    )?
    .execute(params![
        kind.as_str(),
        uid,
        field,
        Value::from(text).to_string(),
        now_utc()
    ])?;
    Ok(())
}

/// A `sync_conflicts` row as stored (values as JSON text).
struct Stored {
    id: i64,
    kind: String,
    uid: String,
    field: String,
    base: Option<String>,
    mine: Option<String>,
    theirs: Option<String>,
    theirs_by: Option<String>,
    seen_at: String,
    resolution: Option<String>,
}

impl Stored {
    /// A row of `SELECT id, kind, uid, field, base, mine, theirs, theirs_by, seen_at, resolution`.
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
        Ok(Stored {
            id: r.get(0)?,
            kind: r.get(1)?,
            uid: r.get(2)?,
            field: r.get(3)?,
            base: r.get(4)?,
            mine: r.get(5)?,
            theirs: r.get(6)?,
            theirs_by: r.get(7)?,
            seen_at: r.get(8)?,
            resolution: r.get(9)?,
        })
    }
}

/// Open conflicts first, then the settled ones and notices, newest first.
pub fn list(store: &Store) -> Result<Vec<Conflict>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id, kind, uid, field, base, mine, theirs, theirs_by, seen_at, resolution
             FROM sync_conflicts ORDER BY resolution IS NOT NULL, id DESC LIMIT 1000",
        )?;
        let rows = stmt
            .query_map([], Stored::read)?
            .collect::<rusqlite::Result<Vec<Stored>>>()?;
        rows.into_iter()
            .map(|row| {
                let kind = kind_of(&row.kind)?;
                let value = |text: &Option<String>| -> Result<String> {
                    let json = text
                        .as_deref()
                        .and_then(|t| serde_json::from_str(t).ok())
                        .unwrap_or(Value::Null);
                    shown(conn, &row.field, &json)
                };
                Ok(Conflict {
                    id: row.id,
                    kind,
                    record_id: crate::records::id_of(conn, kind, &row.uid)?,
                    record: record_title(conn, kind, &row.uid)?,
                    base: value(&row.base)?,
                    mine: value(&row.mine)?,
                    theirs: value(&row.theirs)?,
                    field: row.field.clone(),
                    theirs_by: row.theirs_by.clone(),
                    seen_at: row.seen_at.clone(),
                    resolution: row.resolution.clone(),
                })
            })
            .collect()
    })
}

fn record_title(conn: &Connection, kind: RecordKind, uid: &str) -> Result<String> {
    let column = match kind {
        RecordKind::Source | RecordKind::Note | RecordKind::Event => "title",
        _ => "name",
    };
    let title: Option<String> = conn
        .query_row(
            &format!("SELECT {column} FROM {} WHERE uid = ?1", kind.table()),
            [uid],
            |r| r.get(0),
        )
        .optional()?;
    Ok(title.unwrap_or_else(|| format!("(a {} no longer here)", kind.as_str())))
}

/// The side a person keeps, as the app's Conflicts page sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KeepSide {
    Mine,
    Theirs,
}

impl From<KeepSide> for Keep {
    fn from(side: KeepSide) -> Self {
        match side {
            KeepSide::Mine => Keep::Mine,
            KeepSide::Theirs => Keep::Theirs,
        }
    }
}

/// What a person keeps for a conflicting field.
#[derive(Debug, Clone, PartialEq)]
pub enum Keep {
    Mine,
    Theirs,
    /// An edited merge of the two: the field's new value (as the field's JSON).
    Merged(Value),
}

/// Settles conflict `id`: the kept value becomes an ordinary local edit (it
/// goes out with the next push); keeping theirs changes nothing here.
pub fn resolve(store: &mut Store, id: i64, keep: Keep) -> Result<()> {
    store.write(|tx| {
        let row = tx
            .query_row(
                "SELECT id, kind, uid, field, base, mine, theirs, theirs_by, seen_at, resolution
                 FROM sync_conflicts WHERE id = ?1",
                [id],
                Stored::read,
            )
            .optional()?;
        let Some(Stored {
            kind,
            uid,
            field,
            mine,
            resolution,
            ..
        }) = row
        else {
            return Err(Error::NotFound {
                entity: "conflict",
                id,
            });
        };
        if let Some(done) = resolution {
            return Err(Error::invalid(
                "conflict",
                format!("conflict {id} is settled already ({done})"),
            ));
        }
        let kind = kind_of(&kind)?;
        let (value, word) = match keep {
            Keep::Theirs => (None, "theirs"),
            Keep::Mine => (
                Some(
                    mine.as_deref()
                        .and_then(|m| serde_json::from_str(m).ok())
                        .unwrap_or(Value::Null),
                ),
                "mine",
            ),
            Keep::Merged(value) => (Some(value), "merged"),
        };
        if let Some(value) = value {
            if crate::records::id_of(tx, kind, &uid)?.is_none() {
                return Err(Error::invalid(
                    "conflict",
                    format!(
                        "the {} is no longer here: restore it from the Trash first",
                        kind.as_str()
                    ),
                ));
            }
            let mut fields = Map::new();
            fields.insert(field, value);
            write_fields(tx, kind, &uid, &fields, None)?;
        }
        tx.prepare_cached("UPDATE sync_conflicts SET resolution = ?2 WHERE id = ?1")?
            .execute(params![id, word])?;
        Ok(())
    })
}
