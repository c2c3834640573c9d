//! The payload: what the `trash` row keeps, every value typed exactly.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::unreadable;
use super::walk::{Pointer, Row};
use crate::error::Result;
use crate::model::{Id, ImpactItem, TrashKind};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Payload {
    pub format: i64,
    /// The schema the rows were captured under.
    pub schema_version: i64,
    pub kind: TrashKind,
    pub entity_id: Id,
    /// The record first, then every row that went with it, parents before children.
    pub rows: Vec<StoredRow>,
    pub pointers: Vec<StoredPointer>,
    pub summary: Vec<ImpactItem>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredRow {
    pub table: String,
    pub rowid: i64,
    pub parent: Option<usize>,
    /// Column → value; see [`to_json`] for how each SQLite type is kept.
    pub values: serde_json::Map<String, Json>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredPointer {
    pub table: String,
    pub rowid: i64,
    pub columns: Vec<String>,
    pub values: Vec<Json>,
}

impl From<&Row> for StoredRow {
    fn from(row: &Row) -> Self {
        StoredRow {
            table: row.table.clone(),
            rowid: row.rowid,
            parent: row.parent,
            values: row
                .values
                .iter()
                .map(|(c, v)| (c.clone(), to_json(v)))
                .collect(),
        }
    }
}

impl StoredRow {
    pub fn decode(&self, trash_id: Id) -> Result<Row> {
        Ok(Row {
            table: self.table.clone(),
            rowid: self.rowid,
            parent: self.parent,
            values: self
                .values
                .iter()
                .map(|(c, v)| Ok((c.clone(), from_json(v, trash_id)?)))
                .collect::<Result<_>>()?,
        })
    }
}

impl From<&Pointer> for StoredPointer {
    fn from(pointer: &Pointer) -> Self {
        StoredPointer {
            table: pointer.table.clone(),
            rowid: pointer.rowid,
            columns: pointer.columns.clone(),
            values: pointer.values.iter().map(to_json).collect(),
        }
    }
}

impl StoredPointer {
    pub fn decode(&self, trash_id: Id) -> Result<Pointer> {
        Ok(Pointer {
            table: self.table.clone(),
            rowid: self.rowid,
            columns: self.columns.clone(),
            values: self
                .values
                .iter()
                .map(|v| from_json(v, trash_id))
                .collect::<Result<_>>()?,
        })
    }
}

/// A value as JSON that keeps its SQLite type exactly: NULL, integers and text
/// as themselves; a real as `{"real": "376.0"}` (Rust's shortest text that
/// reads back to the same bits, where a JSON number could lose the last bit);
/// a blob as `{"blob": "<hex>"}`.
fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Integer(n) => Json::from(*n),
        Value::Text(text) => Json::String(text.clone()),
        Value::Real(x) => serde_json::json!({ "real": format!("{x:?}") }),
        Value::Blob(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({ "blob": hex })
        }
    }
}

fn from_json(json: &Json, trash_id: Id) -> Result<Value> {
    let bad = || unreadable(trash_id, &format!("unexpected value {json}"));
    match json {
        Json::Null => Ok(Value::Null),
        Json::Number(n) => n.as_i64().map(Value::Integer).ok_or_else(bad),
        Json::String(text) => Ok(Value::Text(text.clone())),
        Json::Object(map) => {
            if let Some(Json::String(real)) = map.get("real") {
                return real.parse::<f64>().map(Value::Real).map_err(|_| bad());
            }
            if let Some(Json::String(hex)) = map.get("blob") {
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|i| {
                        hex.get(i..i + 2)
                            .and_then(|b| u8::from_str_radix(b, 16).ok())
                    })
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(bad)?;
                return Ok(Value::Blob(bytes));
            }
            Err(bad())
        }
        Json::Bool(_) | Json::Array(_) => Err(bad()),
    }
}
