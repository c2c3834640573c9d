//! The schema, as the foreign keys describe it.

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub(super) struct Column {
    pub name: String,
    pub not_null: bool,
}

pub(super) struct Table {
    /// Stored columns (generated and hidden ones are left out: they cannot be inserted).
    pub columns: Vec<Column>,
    /// The INTEGER PRIMARY KEY column, which is the rowid under another name.
    pub rowid_alias: Option<String>,
    pub primary_key: Vec<String>,
    pub without_rowid: bool,
}

pub(super) struct ForeignKey {
    pub child: String,
    pub from: Vec<String>,
    pub parent: String,
    pub to: Vec<String>,
    /// The referencing row cannot live without its parent: it goes with it.
    pub goes_with_parent: bool,
}

pub(super) struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl Schema {
    /// Real tables only: views, virtual tables (FTS) and their shadow tables have
    /// no foreign keys to walk and are kept up to date by their own triggers.
    pub fn load(conn: &Connection) -> Result<Schema> {
        let mut stmt = conn.prepare(
            "SELECT name, wr FROM pragma_table_list() WHERE schema = 'main' AND type = 'table'
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )?;
        let names = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut tables = BTreeMap::new();
        let mut raw_keys = Vec::new();
        for (name, without_rowid) in names {
            let mut stmt = conn.prepare(
                "SELECT name, type, \"notnull\", pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid",
            )?;
            let columns = stmt
                .query_map([&name], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, bool>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut keyed: Vec<(i64, String, String)> = columns
                .iter()
                .filter(|c| c.3 > 0)
                .map(|c| (c.3, c.0.clone(), c.1.clone()))
                .collect();
            keyed.sort();
            let rowid_alias = match keyed.as_slice() {
                [(_, column, ty)] if !without_rowid && ty.eq_ignore_ascii_case("INTEGER") => {
                    Some(column.clone())
                }
                _ => None,
            };
            let mut stmt = conn.prepare(
                "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
            )?;
            let keys = stmt
                .query_map([&name], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            raw_keys.push((name.clone(), keys));
            tables.insert(
                name,
                Table {
                    columns: columns
                        .iter()
                        .filter(|c| c.4 == 0)
                        .map(|c| Column {
                            name: c.0.clone(),
                            not_null: c.2,
                        })
                        .collect(),
                    rowid_alias,
                    primary_key: keyed.into_iter().map(|k| k.1).collect(),
                    without_rowid,
                },
            );
        }

        let mut foreign_keys: Vec<ForeignKey> = Vec::new();
        for (child, keys) in raw_keys {
            let mut last_id = None;
            for (id, parent, from, to, on_delete) in keys {
                if last_id != Some(id) {
                    last_id = Some(id);
                    foreign_keys.push(ForeignKey {
                        child: child.clone(),
                        from: Vec::new(),
                        parent,
                        to: Vec::new(),
                        goes_with_parent: on_delete.eq_ignore_ascii_case("CASCADE"),
                    });
                }
                if let Some(fk) = foreign_keys.last_mut() {
                    fk.from.push(from);
                    // A key without parent columns means the parent's primary key.
                    if let Some(to) = to {
                        fk.to.push(to);
                    }
                }
            }
        }
        for fk in &mut foreign_keys {
            if fk.to.is_empty() {
                if let Some(parent) = tables.get(&fk.parent) {
                    fk.to = parent.primary_key.clone();
                }
            }
            if let Some(child) = tables.get(&fk.child) {
                let not_null = fk
                    .from
                    .iter()
                    .any(|from| child.columns.iter().any(|c| &c.name == from && c.not_null));
                fk.goes_with_parent |= not_null;
            }
        }
        // Keys into a view or a missing table are not real foreign keys.
        foreign_keys.retain(|fk| tables.contains_key(&fk.parent) && fk.to.len() == fk.from.len());
        Ok(Schema {
            tables,
            foreign_keys,
        })
    }

    pub fn table(&self, name: &str) -> Result<&Table> {
        self.tables.get(name).ok_or_else(|| {
            Error::invalid(
                "table",
                format!("the table {name} is not in this workspace"),
            )
        })
    }

    /// True when a foreign key points at `table`: its ids mean something elsewhere.
    pub fn is_referenced(&self, table: &str) -> bool {
        self.foreign_keys.iter().any(|fk| fk.parent == table)
    }
}

/// `"name"`, safe for any identifier.
pub(super) fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// `"a" = ?1 AND "b" = ?2`, numbering parameters from `first`.
pub(super) fn equals_params(columns: &[String], first: usize) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", quote(c), first + i))
        .collect::<Vec<_>>()
        .join(" AND ")
}
