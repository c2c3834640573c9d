//! What crosses the wire: changes pushed, results, changes pulled, members.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// One local change of one record, as `push` sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Unique per change; a retried push sends the same id and is applied once.
    pub change_id: Uuid,
    /// The record kind: firm, strategy, assessment, chip, source, note, event, comparison.
    pub kind: String,
    /// The record's global id.
    pub uid: Uuid,
    /// The server version the change was made on (0: a record the server has never had).
    pub base_version: i64,
    /// Only the fields that changed, with their new values.
    pub fields: Map<String, Value>,
    /// `Some(true)` deletes the record (to the Trash), `Some(false)` restores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<bool>,
}

impl Change {
    /// An edit (or the creation, with `base_version` 0) of a record, with a new change id.
    pub fn edit(kind: &str, uid: Uuid, base_version: i64, fields: Map<String, Value>) -> Change {
        Change {
            change_id: Uuid::now_v7(),
            kind: kind.to_string(),
            uid,
            base_version,
            fields,
            delete: None,
        }
    }

    /// The deletion of a record, with a new change id.
    pub fn delete(kind: &str, uid: Uuid, base_version: i64) -> Change {
        Change {
            delete: Some(true),
            ..Change::edit(kind, uid, base_version, Map::new())
        }
    }
}

/// What the server did with a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PushStatus {
    /// Based on the current version: applied whole.
    Accepted,
    /// Based on an older version, and no field was changed on both sides: applied.
    Merged,
    /// Some fields were changed on the server too, to other values: those were not
    /// applied (see `conflicts`); the rest was.
    Conflict,
    /// The server had this change id already (a retried push): nothing was applied
    /// now, and the result is the first one's.
    Duplicate,
}

/// A field both sides changed to different values; the server kept its value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    /// The server's value (what the record now holds).
    pub theirs: Value,
}

/// The server's answer for one change, in the order the changes were sent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PushResult {
    pub change_id: Uuid,
    pub status: PushStatus,
    /// The record's version after the change: the client's new base version.
    pub version: i64,
    #[serde(default)]
    pub conflicts: Vec<FieldConflict>,
    /// The record was deleted on the server and this edit restored it.
    #[serde(default)]
    pub undeleted: bool,
    /// Whether the record is deleted on the server now.
    #[serde(default)]
    pub deleted: bool,
    /// The record's current fields (merged, conflict and duplicate results).
    #[serde(default)]
    pub server_fields: Option<Map<String, Value>>,
    /// For a duplicate: what the first push of this change got.
    #[serde(default)]
    pub first_status: Option<PushStatus>,
    /// The change's place in the server's log, when it is logged there.
    #[serde(default)]
    pub seq: Option<i64>,
}

/// One change of the server's log, as `pull` returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerChange {
    /// The server's order; the pull cursor.
    pub seq: i64,
    pub change_id: Uuid,
    pub kind: String,
    pub uid: Uuid,
    pub base_version: i64,
    /// The record's version after this change.
    pub version: i64,
    /// What the change set, as applied; a deletion or restore is `"deleted": true/false`.
    /// Empty when `known`.
    pub fields: Map<String, Value>,
    /// Those fields' values before the change.
    pub previous: Map<String, Value>,
    /// The login that pushed it (the server's `session_user`).
    pub author: String,
    /// When the server applied it (the server's clock).
    pub at: DateTime<Utc>,
    /// The pull left its fields and previous out: this replica said it has
    /// the change (it pushed it in the same sync).
    pub known: bool,
}

/// A member's role in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Reader,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "reader" => Some(Role::Reader),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A login and its role in a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub role: Role,
}

/// A record as the server holds it now (`chipwatch.records`): what a join
/// copies, and what a replica fetches for a record it lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRecord {
    pub kind: String,
    pub uid: Uuid,
    pub version: i64,
    pub deleted: bool,
    pub fields: Map<String, Value>,
}
