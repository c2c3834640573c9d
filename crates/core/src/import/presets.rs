//! Named column mappings saved in the workspace (`import_presets`), so a file
//! exported the same way every month imports with the same mapping.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ImportTarget, Mapping};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::Store;
use crate::text::now_utc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreset {
    pub id: Id,
    pub name: String,
    pub target: ImportTarget,
    pub mapping: Mapping,
    pub updated_at: String,
}

/// Names the import understands without a saved preset.
pub const BUILT_IN: [&str; 2] = ["auto", "zotero"];

/// Saves `mapping` under `name` (replacing a preset of that name).
pub fn save(
    store: &mut Store,
    name: &str,
    target: ImportTarget,
    mapping: &Mapping,
) -> Result<ImportPreset> {
    let name = crate::validate::required("name", name)?;
    if BUILT_IN.iter().any(|b| b.eq_ignore_ascii_case(&name)) {
        return Err(Error::invalid(
            "name",
            format!("'{name}' is a built-in mapping; choose another name"),
        ));
    }
    let json =
        serde_json::to_string(mapping).map_err(|e| Error::invalid("mapping", e.to_string()))?;
    store.write(|tx| {
        let now = now_utc();
        tx.execute(
            "INSERT INTO import_presets (name, target, mapping_json, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (name) DO UPDATE SET target = excluded.target, mapping_json = excluded.mapping_json,
                updated_at = excluded.updated_at",
            params![name, target.as_str(), json, now],
        )?;
        load(tx, &name)
    })
}

/// Saved presets by name; only those of `target` when given.
pub fn list(store: &Store, target: Option<ImportTarget>) -> Result<Vec<ImportPreset>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id, name, target, mapping_json, updated_at FROM import_presets
             WHERE ?1 IS NULL OR target = ?1 ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([target.map(ImportTarget::as_str)], read_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

pub fn delete(store: &mut Store, name: &str) -> Result<()> {
    store.write(|tx| {
        let deleted = tx.execute("DELETE FROM import_presets WHERE name = ?1", [name.trim()])?;
        if deleted == 0 {
            return Err(Error::invalid(
                "preset",
                format!("there is no saved mapping called '{name}'"),
            ));
        }
        Ok(())
    })
}

pub(crate) fn load(conn: &Connection, name: &str) -> Result<ImportPreset> {
    conn.query_row(
        "SELECT id, name, target, mapping_json, updated_at FROM import_presets WHERE name = ?1",
        [name.trim()],
        read_row,
    )
    .optional()?
    .ok_or_else(|| {
        Error::invalid(
            "preset",
            format!("there is no saved mapping called '{name}'; use auto, zotero, or the name of a saved one"),
        )
    })
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ImportPreset> {
    let target: String = row.get(2)?;
    let json: String = row.get(3)?;
    let mapping = serde_json::from_str::<Mapping>(&json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(ImportPreset {
        id: row.get(0)?,
        name: row.get(1)?,
        target: ImportTarget::parse(&target).unwrap_or(ImportTarget::Sources),
        mapping,
        updated_at: row.get(4)?,
    })
}
