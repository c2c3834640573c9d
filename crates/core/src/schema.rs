//! What a workspace's schema must hold at each version, and how a file's
//! schema differs from it.
//!
//! A workspace file can come from anywhere (a backup a colleague sent, a file
//! another tool edited), and SQLite runs whatever triggers and views a file
//! holds: `CREATE TRIGGER … AFTER INSERT ON notes BEGIN DELETE FROM
//! assessments; END` would fire on the next note. So every table, index,
//! trigger and view of a file (type, name, table and SQL text) is compared with
//! what the migrations up to its version create, and anything extra, changed
//! or missing is named. Opening and restoring refuse such a file; `check`
//! lists the differences. The expected schema is built by running the same
//! migrations on an empty in-memory database, so it cannot drift from them.
//! That takes ~35 ms (their ALTER TABLEs make SQLite re-read the whole
//! schema), which every open would pay, so this build's migrations come with
//! a snapshot of what they make (`schema-snapshot.json`, written by the test
//! `the_snapshot_is_what_the_migrations_make`); it is used only when its
//! digest matches the migrations asked for, so a stale one costs time, never
//! correctness.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Tables SQLite itself may add to any database (ANALYZE, `PRAGMA optimize`):
/// statistics for the query planner, never run as code.
const SQLITE_STATISTICS: [&str; 4] = [
    "sqlite_stat1",
    "sqlite_stat2",
    "sqlite_stat3",
    "sqlite_stat4",
];

/// One entry of `sqlite_schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SchemaObject {
    table: String,
    sql: Option<String>,
}

type Schema = BTreeMap<(String, String), SchemaObject>;

/// How a file's schema differs from what its version must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDifference {
    pub change: SchemaChange,
    /// `table`, `index`, `trigger` or `view`.
    pub object_type: String,
    pub name: String,
    /// The table it belongs to (for an index or trigger).
    pub table: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaChange {
    /// Chipwatch never made it.
    Extra,
    /// Its SQL is not what Chipwatch wrote.
    Changed,
    /// Chipwatch made it, and it is gone.
    Missing,
}

impl std::fmt::Display for SchemaDifference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let change = match self.change {
            SchemaChange::Extra => "extra",
            SchemaChange::Changed => "changed",
            SchemaChange::Missing => "missing",
        };
        write!(f, "{change} {} '{}'", self.object_type, self.name)?;
        if self.table != self.name && !self.table.is_empty() {
            write!(f, " on '{}'", self.table)?;
        }
        Ok(())
    }
}

/// The differences between the schema of `conn`'s main database and what
/// `migrations[..version]` create; empty when they agree.
pub fn differences(
    conn: &Connection,
    migrations: &[(&str, &str)],
    version: i64,
) -> rusqlite::Result<Vec<SchemaDifference>> {
    let expected = expected(migrations, version)?;
    let found = read_schema(conn)?;
    let mut differences = Vec::new();
    for ((object_type, name), object) in &found {
        let difference = match expected.get(&(object_type.clone(), name.clone())) {
            None if object_type == "table" && SQLITE_STATISTICS.contains(&name.as_str()) => None,
            None => Some(SchemaChange::Extra),
            Some(wanted) if wanted != object => Some(SchemaChange::Changed),
            Some(_) => None,
        };
        if let Some(change) = difference {
            differences.push(SchemaDifference {
                change,
                object_type: object_type.clone(),
                name: name.clone(),
                table: object.table.clone(),
            });
        }
    }
    for ((object_type, name), object) in expected.iter() {
        if !found.contains_key(&(object_type.clone(), name.clone())) {
            differences.push(SchemaDifference {
                change: SchemaChange::Missing,
                object_type: object_type.clone(),
                name: name.clone(),
                table: object.table.clone(),
            });
        }
    }
    Ok(differences)
}

/// The differences as one line for a message: the first few, and how many more.
pub fn describe(differences: &[SchemaDifference]) -> String {
    const SHOWN: usize = 5;
    let mut text = differences
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if differences.len() > SHOWN {
        text.push_str(&format!(" and {} more", differences.len() - SHOWN));
    }
    text
}

fn read_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            (row.get::<_, String>(0)?, row.get::<_, String>(1)?),
            SchemaObject {
                table: row.get(2)?,
                sql: row.get(3)?,
            },
        ))
    })?;
    rows.collect()
}

/// The schema `migrations[..version]` make, built once per distinct list.
fn expected(migrations: &[(&str, &str)], version: i64) -> rusqlite::Result<Arc<Schema>> {
    static BUILT: LazyLock<Mutex<HashMap<u64, Arc<Schema>>>> = LazyLock::new(Default::default);
    let applied = &migrations[..usize::try_from(version.max(0))
        .unwrap_or(0)
        .min(migrations.len())];
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    applied.hash(&mut hasher);
    let key = hasher.finish();
    if let Some(schema) = BUILT.lock().ok().and_then(|b| b.get(&key).cloned()) {
        return Ok(schema);
    }
    let schema = match from_snapshot(applied) {
        Some(schema) => schema,
        None => build(applied)?,
    };
    let schema = Arc::new(schema);
    if let Ok(mut built) = BUILT.lock() {
        built.insert(key, Arc::clone(&schema));
    }
    Ok(schema)
}

/// Runs `applied` on an empty in-memory database and reads what they made.
fn build(applied: &[(&str, &str)]) -> rusqlite::Result<Schema> {
    let conn = Connection::open_in_memory()?;
    for (_, sql) in applied {
        conn.execute_batch(sql)?;
    }
    read_schema(&conn)
}

/// What this build's migrations make (see the module notes).
const SNAPSHOT: &str = include_str!("../schema-snapshot.json");

#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    /// SHA-256 of the migrations it was made from (names and SQL, see `digest`).
    digest: String,
    objects: Vec<SnapshotObject>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SnapshotObject {
    #[serde(rename = "type")]
    object_type: String,
    name: String,
    table: String,
    sql: Option<String>,
}

fn digest(applied: &[(&str, &str)]) -> String {
    let mut hasher = Sha256::new();
    for (name, sql) in applied {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(sql.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The snapshot's schema, when it was made from exactly `applied`.
fn from_snapshot(applied: &[(&str, &str)]) -> Option<Schema> {
    let snapshot: Snapshot = serde_json::from_str(SNAPSHOT).ok()?;
    if snapshot.digest != digest(applied) {
        return None;
    }
    Some(
        snapshot
            .objects
            .into_iter()
            .map(|o| {
                (
                    (o.object_type, o.name),
                    SchemaObject {
                        table: o.table,
                        sql: o.sql,
                    },
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATIONS: &[(&str, &str)] = &[
        (
            "0001",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
        ),
        (
            "0002",
            "CREATE TABLE assessments (id INTEGER PRIMARY KEY);\
             CREATE INDEX notes_body ON notes(body);\
             CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN SELECT 1; END;",
        ),
    ];

    fn workspace() -> rusqlite::Result<Connection> {
        let conn = Connection::open_in_memory()?;
        for (_, sql) in MIGRATIONS {
            conn.execute_batch(sql)?;
        }
        Ok(conn)
    }

    #[test]
    fn extra_changed_and_missing_objects_are_named() -> rusqlite::Result<()> {
        let conn = workspace()?;
        assert_eq!(differences(&conn, MIGRATIONS, 2)?, vec![]);
        conn.execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON notes BEGIN DELETE FROM assessments; END;\
             DROP TRIGGER notes_touch;\
             CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN DELETE FROM notes; END;\
             DROP INDEX notes_body;",
        )?;
        let found: Vec<String> = differences(&conn, MIGRATIONS, 2)?
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "changed trigger 'notes_touch' on 'notes'",
                "extra trigger 'wipe' on 'notes'",
                "missing index 'notes_body' on 'notes'"
            ]
        );
        // At version 1 the table of version 2 is extra too.
        let at_one = differences(&workspace()?, MIGRATIONS, 1)?;
        assert!(at_one
            .iter()
            .any(|d| d.name == "assessments" && d.change == SchemaChange::Extra));
        Ok(())
    }

    /// `schema-snapshot.json` holds what this build's migrations make, so
    /// opening need not run them; UPDATE_SCHEMA_SNAPSHOT=1 rewrites it (`make bindings` does).
    #[test]
    fn the_snapshot_is_what_the_migrations_make() -> rusqlite::Result<()> {
        let migrations = crate::store::MIGRATIONS;
        let snapshot = Snapshot {
            digest: digest(migrations),
            objects: build(migrations)?
                .into_iter()
                .map(|((object_type, name), object)| SnapshotObject {
                    object_type,
                    name,
                    table: object.table,
                    sql: object.sql,
                })
                .collect(),
        };
        let Ok(json) = serde_json::to_string_pretty(&snapshot) else {
            panic!("the snapshot does not serialise");
        };
        let json = json + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema-snapshot.json");
        if std::env::var_os("UPDATE_SCHEMA_SNAPSHOT").is_some() {
            if let Err(e) = std::fs::write(&path, &json) {
                panic!("cannot write {}: {e}", path.display());
            }
            // This build holds the old one (include_str!); the next holds this.
            return Ok(());
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == json,
            "{} is not what the migrations make: run `UPDATE_SCHEMA_SNAPSHOT=1 cargo test -p chipwatch-core --lib schema` (or `make bindings`)",
            path.display()
        );
        assert!(from_snapshot(migrations).is_some());
        assert!(
            from_snapshot(&migrations[..migrations.len() - 1]).is_none(),
            "an older version is built, not taken from the snapshot"
        );
        Ok(())
    }

    #[test]
    fn the_query_planners_statistics_are_not_a_difference() -> rusqlite::Result<()> {
        let conn = workspace()?;
        conn.execute_batch("INSERT INTO notes (body) VALUES ('x'); ANALYZE;")?;
        assert_eq!(differences(&conn, MIGRATIONS, 2)?, vec![]);
        Ok(())
    }
}
