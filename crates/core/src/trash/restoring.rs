//! Restoring: the checks that refuse a restore with what to do first, the
//! inserts, and pointing rows back at what came back.

use std::collections::{BTreeSet, HashSet};

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

use super::parse_kind;
use super::payload::Payload;
use super::schema::{equals_params, quote, ForeignKey, Schema};
use super::walk::{read_row, Pointer, Row};
use crate::error::{Error, Result};
use crate::model::{Id, TrashKind};

pub(super) struct Restore<'a> {
    pub conn: &'a Connection,
    pub schema: &'a Schema,
    pub trash_id: Id,
    /// "the firm 'Huawei'", for messages.
    pub what: String,
}

impl Restore<'_> {
    fn refuse(&self, reason: String) -> Error {
        Error::RestoreRefused {
            what: self.what.clone(),
            reason,
        }
    }

    /// Which rows can come back, and what is left out. A row whose parent is
    /// gone: a nullable pointer is set NULL (as deleting the parent would have
    /// done); a row that needs its parent is refused while that parent is in the
    /// Trash (restore it first), and left out when it was deleted for good.
    pub fn check_parents(&self, rows: &mut [Row]) -> Result<(BTreeSet<usize>, Vec<String>)> {
        let mut kept: BTreeSet<usize> = (0..rows.len()).collect();
        let mut left_out = Vec::new();
        loop {
            let restored = self.keys_of(rows, &kept);
            let mut dropped = None;
            'rows: for index in kept.iter().copied() {
                let table = rows[index].table.clone();
                for fk in self
                    .schema
                    .foreign_keys
                    .iter()
                    .filter(|fk| fk.child == table)
                {
                    let Some(key) = rows[index].key(&fk.from) else {
                        continue;
                    };
                    if restored.contains(&key_text(fk, &key))
                        || self.exists(&fk.parent, &fk.to, &key)?
                    {
                        continue;
                    }
                    if !fk.goes_with_parent {
                        for column in &fk.from {
                            set_value(&mut rows[index], column, Value::Null);
                        }
                        continue;
                    }
                    let subject = if index == 0 {
                        "it".to_owned()
                    } else {
                        format!("{}, which goes with it,", self.describe(&rows[index]))
                    };
                    if let Some((entry, parent)) = self.find_in_trash(fk, &key)? {
                        let first = if entry == parent {
                            "it".to_owned()
                        } else {
                            entry
                        };
                        return Err(self.refuse(format!(
                            "{subject} needs {parent}, which is in the Trash; restore {first} first"
                        )));
                    }
                    let missing = format!(
                        "the {} with {} {}",
                        noun_of(&fk.parent),
                        fk.to.join(", "),
                        show_key(&key)
                    );
                    if index == 0 {
                        return Err(self.refuse(format!(
                            "it needs {missing}, which was deleted for good; it cannot come back, so remove it from the Trash"
                        )));
                    }
                    left_out.push(format!(
                        "{} ({missing} was deleted for good)",
                        self.describe(&rows[index])
                    ));
                    dropped = Some(index);
                    break 'rows;
                }
            }
            match dropped {
                // Rows that needed the dropped row are looked at again.
                Some(index) => {
                    kept.remove(&index);
                }
                None => return Ok((kept, left_out)),
            }
        }
    }

    /// Rows whose rowid is taken now. The record itself, and rows whose ids other
    /// tables point at, must keep their ids: refused. A row nothing points at (a
    /// link, an alias, a listing) simply gets a new rowid.
    pub fn check_ids(&self, rows: &[Row], kept: &BTreeSet<usize>) -> Result<BTreeSet<usize>> {
        let mut fresh = BTreeSet::new();
        for &index in kept {
            let row = &rows[index];
            let taken: Option<i64> = self
                .conn
                .query_row(
                    &format!("SELECT 1 FROM {} WHERE rowid = ?1", quote(&row.table)),
                    [row.rowid],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_none() {
                continue;
            }
            if index != 0 && !self.schema.is_referenced(&row.table) {
                fresh.insert(index);
                continue;
            }
            let holder = self.describe_stored(&row.table, row.rowid)?;
            let subject = if index == 0 {
                format!("its id {} is", row.rowid)
            } else {
                format!(
                    "the id {} of {}, which goes with it, is",
                    row.rowid,
                    self.describe(row)
                )
            };
            return Err(self.refuse(format!(
                "{subject} now used by {holder}; delete that first (to the Trash), then restore"
            )));
        }
        Ok(fresh)
    }

    /// Values that must be unique (a firm's name, a chip's firm and name, a
    /// firm's assessment on a strategy) and are taken now.
    pub fn check_unique(&self, rows: &[Row], kept: &BTreeSet<usize>) -> Result<()> {
        for &index in kept {
            let row = &rows[index];
            for unique in unique_keys(self.conn, &row.table)? {
                let columns: Vec<String> = unique.iter().map(|(c, _)| c.clone()).collect();
                let Some(key) = row.key(&columns) else {
                    continue;
                };
                let condition = unique
                    .iter()
                    .enumerate()
                    .map(|(i, (c, collation))| {
                        format!("{} = ?{} COLLATE {}", quote(c), i + 1, quote(collation))
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let holder: Option<i64> = self
                    .conn
                    .query_row(
                        &format!(
                            "SELECT rowid FROM {} WHERE {condition} LIMIT 1",
                            quote(&row.table)
                        ),
                        params_from_iter(key.iter()),
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(holder) = holder else {
                    continue;
                };
                let noun = noun_of(&row.table);
                let conflict = match (columns.as_slice(), key.as_slice()) {
                    ([column], [Value::Text(value)]) if column == "name" || column == "title" => {
                        format!(
                            "a {noun} named '{value}' exists now; rename it first, then restore"
                        )
                    }
                    _ => format!(
                        "{} exists now; rename or delete it first, then restore",
                        self.describe_stored(&row.table, holder)?
                    ),
                };
                let reason = if index == 0 {
                    conflict
                } else {
                    format!("{} goes with it, and {conflict}", self.describe(row))
                };
                return Err(self.refuse(reason));
            }
        }
        Ok(())
    }

    pub fn insert(&self, row: &Row, fresh_rowid: bool, is_record: bool) -> Result<()> {
        let table = self.schema.table(&row.table)?;
        let mut columns = Vec::new();
        let mut values = Vec::new();
        if table.rowid_alias.is_none() && !fresh_rowid {
            columns.push("rowid".to_owned());
            values.push(Value::Integer(row.rowid));
        }
        for (column, value) in &row.values {
            if fresh_rowid && table.rowid_alias.as_deref() == Some(column) {
                continue;
            }
            columns.push(quote(column));
            values.push(value.clone());
        }
        let marks = (1..=values.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            quote(&row.table),
            columns.join(", ")
        );
        match self.conn.execute(&sql, params_from_iter(values.iter())) {
            Ok(_) => Ok(()),
            // What the checks above do not foresee (a CHECK added by a later
            // migration, an expression index) still refuses clearly.
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                let subject = if is_record {
                    "it".to_owned()
                } else {
                    format!("{}, which goes with it,", self.describe(row))
                };
                Err(self.refuse(format!(
                    "{subject} no longer fits the workspace ({e}); fix that first, then restore"
                )))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Points a row back at a restored row, if it is still there and still NULL.
    pub fn point_back(&self, pointer: &Pointer) -> Result<()> {
        let Some(fk) = self
            .schema
            .foreign_keys
            .iter()
            .find(|fk| fk.child == pointer.table && fk.from == pointer.columns)
        else {
            return Ok(());
        };
        if !self.exists(&fk.parent, &fk.to, &pointer.values)? {
            return Ok(());
        }
        let set = equals_params(&pointer.columns, 2).replace(" AND ", ", ");
        let still_null = pointer
            .columns
            .iter()
            .map(|c| format!("{} IS NULL", quote(c)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut values = vec![Value::Integer(pointer.rowid)];
        values.extend(pointer.values.iter().cloned());
        self.conn.execute(
            &format!(
                "UPDATE {} SET {set} WHERE rowid = ?1 AND {still_null}",
                quote(&pointer.table)
            ),
            params_from_iter(values.iter()),
        )?;
        Ok(())
    }

    fn exists(&self, table: &str, columns: &[String], key: &[Value]) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT 1 FROM {} WHERE {} LIMIT 1",
            quote(table),
            equals_params(columns, 1)
        ))?;
        let found: Option<i64> = stmt
            .query_row(params_from_iter(key.iter()), |r| r.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// The keys other rows may point at, of every row in `kept`, as [`key_text`]
    /// writes them: a lookup per foreign key instead of a scan of all rows.
    fn keys_of(&self, rows: &[Row], kept: &BTreeSet<usize>) -> HashSet<String> {
        let mut keys = HashSet::new();
        for &index in kept {
            let row = &rows[index];
            for fk in self
                .schema
                .foreign_keys
                .iter()
                .filter(|fk| fk.parent == row.table)
            {
                if let Some(key) = row.key(&fk.to) {
                    keys.insert(key_text(fk, &key));
                }
            }
        }
        keys
    }

    /// The other Trash entry that holds the row `fk` needs: (that entry as
    /// "the firm 'Huawei'", the row itself described the same way).
    fn find_in_trash(&self, fk: &ForeignKey, key: &[Value]) -> Result<Option<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, title, payload FROM trash WHERE id <> ?1 ORDER BY id DESC",
        )?;
        let entries = stmt
            .query_map([self.trash_id], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, kind, title, payload) in entries {
            // An unreadable entry cannot be restored first anyway.
            let Ok(payload) = serde_json::from_str::<Payload>(&payload) else {
                continue;
            };
            for stored in payload.rows.iter().filter(|r| r.table == fk.parent) {
                let Ok(row) = stored.decode(id) else {
                    continue;
                };
                if row.key(&fk.to).as_deref() == Some(key) {
                    let noun = parse_kind(&kind, id)
                        .map(TrashKind::noun)
                        .unwrap_or("record");
                    return Ok(Some((format!("the {noun} '{title}'"), self.describe(&row))));
                }
            }
        }
        Ok(None)
    }

    /// A captured row as a user would name it: "the firm 'Huawei'".
    fn describe(&self, row: &Row) -> String {
        describe(self.conn, row)
    }

    /// A row in the workspace now, named like [`describe`].
    fn describe_stored(&self, table: &str, rowid: i64) -> Result<String> {
        let values = read_row(self.conn, self.schema, table, rowid)?.unwrap_or_default();
        Ok(describe(
            self.conn,
            &Row {
                table: table.to_owned(),
                rowid,
                values,
                parent: None,
            },
        ))
    }
}

/// A parent key as text that tells tables, columns and SQLite types apart.
fn key_text(fk: &ForeignKey, key: &[Value]) -> String {
    format!("{}({}) = {key:?}", fk.parent, fk.to.join(", "))
}

fn set_value(row: &mut Row, column: &str, value: Value) {
    if let Some(slot) = row.values.iter_mut().find(|(c, _)| c == column) {
        slot.1 = value;
    }
}

/// "firm" for `firms`, the table's name in words otherwise.
fn noun_of(table: &str) -> String {
    TrashKind::of_table(table)
        .map(|k| k.noun().to_owned())
        .unwrap_or_else(|| table.replace('_', " "))
}

fn show_key(key: &[Value]) -> String {
    key.iter()
        .map(|v| match v {
            Value::Integer(n) => n.to_string(),
            Value::Real(x) => x.to_string(),
            Value::Text(t) => format!("'{t}'"),
            Value::Null => "NULL".into(),
            Value::Blob(_) => "(bytes)".into(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A row as a user would name it: "the firm 'Huawei'", "Huawei's chip 'Ascend
/// 910'", "the assessment 'Huawei × In-house chips'", "a note's link".
fn describe(conn: &Connection, row: &Row) -> String {
    let text = |column: &str| match row.get(column) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let name_of = |table: &str, column: &str| -> Option<String> {
        let Some(Value::Integer(id)) = row.get(column) else {
            return None;
        };
        conn.query_row(
            &format!("SELECT name FROM {} WHERE id = ?1", quote(table)),
            [id],
            |r| r.get::<_, String>(0),
        )
        .ok()
    };
    match row.table.as_str() {
        "firms" | "strategies" => match text("name") {
            Some(name) => format!("the {} '{name}'", noun_of(&row.table)),
            None => format!("the {} {}", noun_of(&row.table), row.rowid),
        },
        "sources" | "events" | "notes" => match text("title") {
            Some(title) => format!("the {} '{title}'", noun_of(&row.table)),
            None => format!("the {} {}", noun_of(&row.table), row.rowid),
        },
        "chips" => match (name_of("firms", "firm_id"), text("name")) {
            (Some(firm), Some(name)) => format!("{firm}'s chip '{name}'"),
            (None, Some(name)) => format!("the chip '{name}'"),
            _ => format!("the chip {}", row.rowid),
        },
        "assessments" => match (
            name_of("firms", "firm_id"),
            name_of("strategies", "strategy_id"),
        ) {
            (Some(firm), Some(strategy)) => format!("the assessment '{firm} × {strategy}'"),
            _ => format!("the assessment {}", row.rowid),
        },
        "assessment_evidence" => "evidence cited by an assessment".into(),
        "chip_sources" => "a source cited by a chip".into(),
        "event_sources" => "a source cited by an event".into(),
        "event_firms" => "a firm's link to an event".into(),
        "note_links" => "a note's link".into(),
        "firm_aliases" => "an alias".into(),
        "export_control_listings" => "an export-control listing".into(),
        "source_tags" | "note_tags" => "a tag".into(),
        "comparison_firms" => "a firm in a comparison".into(),
        table => format!("a row of {table}"),
    }
}

/// The plain-column unique constraints of `table` with their collations.
/// Expression and partial indexes are left to the insert, which still refuses.
fn unique_keys(conn: &Connection, table: &str) -> Result<Vec<Vec<(String, String)>>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM pragma_index_list(?1) WHERE \"unique\" = 1 AND partial = 0 ORDER BY seq DESC",
    )?;
    let indexes = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut keys = Vec::new();
    for index in indexes {
        let mut stmt = conn.prepare(
            "SELECT cid, name, coll FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
        )?;
        let columns = stmt
            .query_map([&index], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let plain: Option<Vec<(String, String)>> = columns
            .into_iter()
            .map(|(cid, name, collation)| {
                (cid >= 0).then_some(())?;
                Some((name?, collation.unwrap_or_else(|| "BINARY".into())))
            })
            .collect();
        if let Some(plain) = plain {
            keys.push(plain);
        }
    }
    Ok(keys)
}
