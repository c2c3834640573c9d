#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::store::{MIGRATIONS, SCHEMA_VERSION};
use chipwatch_core::{AppError, Error, ErrorKind, Store};
use common::*;

#[test]
fn migrations_are_numbered_in_order_and_match_the_files() {
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        assert!(
            name.starts_with(&format!("{:04}_", index + 1)),
            "migration {name} is out of order"
        );
        assert!(!sql.trim().is_empty(), "migration {name} is empty");
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".sql")
                .to_string()
        })
        .collect();
    files.sort();
    let listed: Vec<String> = MIGRATIONS
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(
        files, listed,
        "every file in migrations/ must be listed in MIGRATIONS, in order"
    );
}

#[test]
fn new_workspace_gets_the_latest_schema_wal_and_foreign_keys() {
    let (_dir, path) = temp_workspace();
    let store = Store::open(&path).unwrap();
    assert!(store.was_created());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    let conn = raw_connection(&path);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let reopened = Store::open(&path).unwrap();
    assert!(!reopened.was_created(), "an existing workspace is not new");
}

#[test]
fn a_folder_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let error = Store::open(dir.path()).err().unwrap();
    assert!(matches!(error, Error::WorkspaceIsDirectory { .. }));
    assert!(error
        .to_string()
        .contains(&dir.path().display().to_string()));
    assert_eq!(AppError::from(&error).kind, ErrorKind::Workspace);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_unchanged() {
    let (_dir, path) = temp_workspace();
    let text = format!("name,native\nHuawei,{TRICKY}\n");
    std::fs::write(&path, &text).unwrap();
    let error = Store::open(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceNotSqlite { .. }), "{error}");
    assert!(error.to_string().contains(&path.display().to_string()));
    assert_eq!(file_bytes(&path), text.as_bytes());
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_unchanged() {
    let (_dir, path) = temp_workspace();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE items (title TEXT); INSERT INTO items VALUES ('Zotero 条目, \"quoted\"');",
    )
    .unwrap();
    drop(conn);
    let before = file_bytes(&path);
    let error = Store::open(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceForeign { .. }), "{error}");
    assert!(error.to_string().contains(&path.display().to_string()));
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn an_empty_sqlite_file_becomes_a_workspace() {
    let (_dir, path) = temp_workspace();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("VACUUM")
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(
        store.was_created(),
        "so that it gets seeded like a new file"
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_unchanged() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    raw_connection(&path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let before = file_bytes(&path);
    let error = Store::open(&path).err().unwrap();
    assert!(
        matches!(error, Error::WorkspaceTooNew { found, .. } if found == SCHEMA_VERSION + 1),
        "{error}"
    );
    assert!(error.to_string().contains("newer Chipwatch"));
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_corrupt_database_is_refused_with_advice_and_left_unchanged() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    corrupt(&path);
    let before = file_bytes(&path);
    let error = Store::open(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceCorrupt { .. }), "{error}");
    assert!(error.to_string().contains("backup"));
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn an_unwritable_location_is_refused_with_its_path() {
    for path in [
        std::path::PathBuf::from("/nonexistent-folder/chipwatch/workspace.db"),
        "/proc/chipwatch.db".into(),
    ] {
        let error = Store::open(&path).err().unwrap();
        assert!(
            matches!(error, Error::WorkspaceUnwritable { .. }),
            "{path:?}: {error}"
        );
        assert!(error.to_string().contains(&path.display().to_string()));
    }
}

#[test]
fn backup_copies_the_whole_workspace() {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    let store = Store::open(&path).unwrap();
    let copy = dir.path().join("copy.db");
    store.backup_to(&copy).unwrap();
    let copied = Store::open(&copy).unwrap();
    assert_eq!(
        chipwatch_core::workspace::stats(&copied).unwrap(),
        chipwatch_core::workspace::stats(&store).unwrap()
    );
}

#[test]
fn the_database_refuses_nonsense() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = raw_connection(&path);
    let refused = |sql: &str| conn.execute(sql, []).is_err();
    assert!(
        refused("UPDATE assessments SET stance = 'dominant'"),
        "stance outside the list"
    );
    assert!(
        refused("UPDATE sources SET reliability = 'Z'"),
        "reliability grade Z"
    );
    assert!(
        refused("UPDATE sources SET credibility = 7"),
        "credibility 7"
    );
    assert!(refused("INSERT INTO assessment_evidence (assessment_id, source_id) SELECT id, 9999 FROM assessments LIMIT 1"), "evidence to a missing source");
    assert!(
        refused("UPDATE events SET occurred_on = '2023-13'"),
        "month 13"
    );
    assert!(
        refused("UPDATE events SET occurred_on = '2023-02-30'"),
        "30 February"
    );
    assert!(
        refused("UPDATE events SET occurred_on = 'October 2023'"),
        "free-text date"
    );
    assert!(refused("UPDATE firms SET name = '  '"), "blank firm name");
    assert!(
        refused("INSERT INTO note_links (note_id) SELECT id FROM notes LIMIT 1"),
        "note link to nothing"
    );
    assert!(
        refused("UPDATE chips SET peak_bit_width = NULL WHERE peak_dense_tops IS NOT NULL"),
        "TOPS without bit width"
    );
    assert!(refused("DELETE FROM sources"), "deleting cited sources");
    assert!(
        !refused("UPDATE events SET occurred_on = '2023-10' WHERE id = 1"),
        "a partial date is fine"
    );
}

#[test]
fn partial_dates_sort_in_calendar_order() {
    let (_dir, path) = temp_workspace();
    drop(Store::open(&path).unwrap());
    let conn = raw_connection(&path);
    for date in ["2024", "2023-10-17", "2023", "2023-10", "2023-09-30"] {
        conn.execute(
            "INSERT INTO events (occurred_on, kind, title) VALUES (?1, 'regulation', ?2)",
            [date, TRICKY],
        )
        .unwrap();
    }
    let mut stmt = conn
        .prepare("SELECT occurred_on FROM events ORDER BY occurred_on")
        .unwrap();
    let order: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        order,
        ["2023", "2023-09-30", "2023-10", "2023-10-17", "2024"]
    );
}

#[test]
fn user_text_round_trips_unchanged() {
    let (_dir, path) = temp_workspace();
    drop(Store::open(&path).unwrap());
    let conn = raw_connection(&path);
    conn.execute("INSERT INTO firms (name, kind, summary, created_at, updated_at) VALUES (?1, 'company', ?1, 'x', 'x')", [TRICKY])
        .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let firms = chipwatch_core::firms::list(&store, None).unwrap();
    assert_eq!(firms[0].name, TRICKY);
    let profile = chipwatch_core::firms::load_profile(&store, firms[0].id).unwrap();
    assert_eq!(profile.firm.summary, TRICKY);
}
