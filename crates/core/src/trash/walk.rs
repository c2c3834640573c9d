//! The walk: a record and everything that goes with it.

use std::collections::{HashSet, VecDeque};

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

use super::schema::{equals_params, quote, Schema};
use crate::error::{Error, Result};

/// One captured row: its table, rowid and every stored column.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub table: String,
    pub rowid: i64,
    pub values: Vec<(String, Value)>,
    /// The captured row it was reached from (None for the record itself).
    pub parent: Option<usize>,
}

impl Row {
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, v)| v)
    }

    /// The values of `columns`, or None when one is NULL (a NULL key points nowhere).
    pub fn key(&self, columns: &[String]) -> Option<Vec<Value>> {
        columns
            .iter()
            .map(|c| match self.get(c) {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.clone()),
            })
            .collect()
    }
}

/// A row outside the deletion whose column pointed at a deleted row.
#[derive(Debug, Clone)]
pub(super) struct Pointer {
    pub table: String,
    pub rowid: i64,
    pub columns: Vec<String>,
    pub values: Vec<Value>,
}

pub(super) struct Walk {
    pub rows: Vec<Row>,
    pub pointers: Vec<Pointer>,
}

/// The record `rowid` of `table` and, breadth first, every row that goes with
/// it; parents always come before the rows reached from them.
pub(super) fn walk(conn: &Connection, schema: &Schema, table: &str, rowid: i64) -> Result<Walk> {
    let mut rows: Vec<Row> = Vec::new();
    let mut pointers = Vec::new();
    let mut seen: HashSet<(String, i64)> = HashSet::from([(table.to_owned(), rowid)]);
    let mut queue = VecDeque::from([(table.to_owned(), rowid, None)]);
    while let Some((table, rowid, parent)) = queue.pop_front() {
        let Some(values) = read_row(conn, schema, &table, rowid)? else {
            continue;
        };
        let index = rows.len();
        let row = Row {
            table,
            rowid,
            values,
            parent,
        };
        for fk in schema
            .foreign_keys
            .iter()
            .filter(|fk| fk.parent == row.table)
        {
            let Some(key) = row.key(&fk.to) else {
                continue;
            };
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT rowid FROM {} WHERE {} ORDER BY rowid",
                quote(&fk.child),
                equals_params(&fk.from, 1)
            ))?;
            let referrers = stmt
                .query_map(params_from_iter(key.iter()), |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for referrer in referrers {
                if fk.goes_with_parent {
                    if seen.insert((fk.child.clone(), referrer)) {
                        queue.push_back((fk.child.clone(), referrer, Some(index)));
                    }
                } else {
                    pointers.push(Pointer {
                        table: fk.child.clone(),
                        rowid: referrer,
                        columns: fk.from.clone(),
                        values: key.clone(),
                    });
                }
            }
        }
        rows.push(row);
    }
    // A row that goes anyway comes back whole; it needs no pointer restored.
    pointers.retain(|p| !seen.contains(&(p.table.clone(), p.rowid)));
    let mut unique = HashSet::new();
    pointers.retain(|p| unique.insert((p.table.clone(), p.rowid, p.columns.clone())));
    Ok(Walk { rows, pointers })
}

/// Every stored column of one row, typed as SQLite holds it.
pub(super) fn read_row(
    conn: &Connection,
    schema: &Schema,
    table: &str,
    rowid: i64,
) -> Result<Option<Vec<(String, Value)>>> {
    let info = schema.table(table)?;
    if info.without_rowid {
        // No such table in the schema; the Trash identifies rows by rowid.
        return Err(Error::invalid(
            "table",
            format!("the table {table} has no rowid, so the Trash cannot keep its rows"),
        ));
    }
    let columns = info
        .columns
        .iter()
        .map(|c| quote(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {columns} FROM {} WHERE rowid = ?1", quote(table));
    let values = conn
        .query_row(&sql, [rowid], |row| {
            info.columns
                .iter()
                .enumerate()
                .map(|(i, c)| Ok((c.name.clone(), row.get::<_, Value>(i)?)))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .optional()?;
    Ok(values)
}
