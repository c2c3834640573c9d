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
    /// The values as shown (references by name).
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub theirs_by: Option<String>,
    pub seen_at: String,
    /// None: waiting for a choice. "notice": nothing to choose.
    pub resolution: Option<String>,
    /// Whether an edited merge can be typed ([`resolve_typed`]): both sides
    /// are text or numbers (lists and references are chosen, not typed).
    pub typeable: bool,
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
                    typeable: row.resolution.is_none() && typeable(&row),
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

fn stored_value(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// Both sides plain text, numbers or empty, in a field that is the record's own.
fn typeable(row: &Stored) -> bool {
    let plain = |text: Option<&str>| {
        matches!(
            stored_value(text),
            Value::Null | Value::String(_) | Value::Number(_)
        )
    };
    let kind = RecordKind::parse(&row.kind);
    kind.is_some_and(|k| !super::apply::is_reference(k, &row.field))
        && !row.field.starts_with('(')
        && row.field != "deleted"
        && plain(row.mine.as_deref())
        && plain(row.theirs.as_deref())
}

/// Settles conflict `id` with what the person typed, an edited merge of the
/// two values: text for a text field, a number for a numeric one (empty
/// clears the field). Like keeping mine, it goes out with the next push.
pub fn resolve_typed(store: &mut Store, id: i64, typed: &str) -> Result<()> {
    let row = store
        .read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT id, kind, uid, field, base, mine, theirs, theirs_by, seen_at, resolution
                     FROM sync_conflicts WHERE id = ?1",
                    [id],
                    Stored::read,
                )
                .optional()?)
        })?
        .ok_or(Error::NotFound {
            entity: "conflict",
            id,
        })?;
    if !typeable(&row) {
        return Err(Error::invalid(
            &row.field,
            format!(
                "a merge of {} cannot be typed: keep mine or theirs, then edit the record",
                row.field
            ),
        ));
    }
    let numeric = [row.mine.as_deref(), row.theirs.as_deref()]
        .into_iter()
        .any(|side| stored_value(side).is_number());
    let value = typed_value(&row.field, numeric, typed)?;
    resolve(store, id, Keep::Merged(value))
}

/// `typed` as the field's JSON value.
fn typed_value(field: &str, numeric: bool, typed: &str) -> Result<Value> {
    let trimmed = typed.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    if !numeric {
        return Ok(Value::String(typed.to_string()));
    }
    // As the app shows numbers: with thousands separators.
    let digits = trimmed.replace([',', ' '], "");
    if let Ok(whole) = digits.parse::<i64>() {
        return Ok(Value::from(whole));
    }
    match digits.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(Value::from(number)),
        _ => Err(Error::invalid(
            field,
            format!("'{trimmed}' is not a number: {field} takes a number (like 4,800 or 4.5)"),
        )),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A store with a firm and its chip, and one open conflict on `field`
    /// of the `kind` record; returns the conflict's id.
    fn conflict_on(
        store: &mut Store,
        kind: RecordKind,
        field: &str,
        mine: Value,
        theirs: Value,
    ) -> i64 {
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO firms (name, kind, created_at, updated_at) VALUES ('华为 Huawei', 'company', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                     INSERT INTO chips (firm_id, name) VALUES (1, 'Ascend 910B');",
                )?;
                let uid: String = tx.query_row(
                    &format!("SELECT uid FROM {} WHERE id = 1", kind.table()),
                    [],
                    |r| r.get(0),
                )?;
                record_conflict(
                    tx,
                    kind,
                    &uid,
                    field,
                    &Value::Null,
                    &mine,
                    &theirs,
                    Some("analyst2"),
                )?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap()
    }

    fn field_of(store: &Store, sql: &str) -> Value {
        let value: rusqlite::types::Value = store
            .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
            .unwrap();
        match value {
            rusqlite::types::Value::Integer(i) => json!(i),
            rusqlite::types::Value::Real(f) => json!(f),
            rusqlite::types::Value::Text(t) => json!(t),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_typed_merge_of_two_texts_becomes_the_field_and_settles_the_conflict() {
        let mut store = Store::open_in_memory().unwrap();
        let id = conflict_on(
            &mut store,
            RecordKind::Firm,
            "summary",
            json!("Ascend 910B, \"7nm\" at SMIC"),
            json!("昇腾 910B 🚀, N+2"),
        );
        assert!(list(&store).unwrap()[0].typeable);
        let merged = "Ascend 910B (昇腾), \"7nm\" N+2 at SMIC,\nsecond line 🚀";
        resolve_typed(&mut store, id, merged).unwrap();
        assert_eq!(
            field_of(&store, "SELECT summary FROM firms WHERE id = 1"),
            json!(merged)
        );
        let settled = &list(&store).unwrap()[0];
        assert_eq!(settled.resolution.as_deref(), Some("merged"));
        assert!(!settled.typeable, "a settled conflict offers nothing more");
        let again = resolve_typed(&mut store, id, "other").unwrap_err();
        assert!(again.to_string().contains("settled already"), "{again}");
    }

    #[test]
    fn a_typed_merge_of_numbers_reads_separators_and_names_the_field_when_it_is_not_a_number() {
        let mut store = Store::open_in_memory().unwrap();
        let id = conflict_on(
            &mut store,
            RecordKind::Chip,
            "tdp_w",
            json!(350),
            json!(400),
        );
        let wrong = resolve_typed(&mut store, id, "about 380").unwrap_err();
        assert!(
            wrong.to_string().contains("tdp_w") && wrong.to_string().contains("not a number"),
            "{wrong}"
        );
        assert!(list(&store).unwrap()[0].resolution.is_none(), "still open");
        resolve_typed(&mut store, id, " 1,380 ").unwrap();
        assert_eq!(
            field_of(&store, "SELECT tdp_w FROM chips WHERE id = 1"),
            json!(1380.0)
        );
    }

    #[test]
    fn lists_are_chosen_not_typed() {
        let mut store = Store::open_in_memory().unwrap();
        let id = conflict_on(
            &mut store,
            RecordKind::Firm,
            "aliases",
            json!(["HW"]),
            json!(["华为"]),
        );
        assert!(!list(&store).unwrap()[0].typeable);
        let refused = resolve_typed(&mut store, id, "HW, 华为").unwrap_err();
        assert!(
            refused.to_string().contains("keep mine or theirs"),
            "{refused}"
        );
    }
}
