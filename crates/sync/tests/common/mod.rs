//! Shared by the tests: a throwaway cluster and small builders.
#![allow(dead_code)]

pub mod cluster;

use chipwatch_sync::Change;
use serde_json::{Map, Value};
use uuid::Uuid;

/// A JSON object from `json!({...})`.
pub fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// An edit of a firm record.
pub fn firm_edit(uid: Uuid, base: i64, fields: Value) -> Change {
    Change::edit("firm", uid, base, obj(fields))
}
