//! Safe upgrades: a workspace the first release wrote (tests/fixtures/workspace-v1.sqlite,
//! see its README) is upgraded by today's migrations with every row kept; a
//! workspace from a newer release is refused without a byte changed.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};

use chipwatch_core::backups::{self, BackupReason};
use chipwatch_core::search::{self, SearchKind, SearchQuery};
use chipwatch_core::store::SCHEMA_VERSION;
use chipwatch_core::{workspace, Error, Store};
use rusqlite::types::Value;
use rusqlite::Connection;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace-v1.sqlite")
}

/// A copy of the fixture in a temporary folder (the committed file is never opened).
fn v1_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.db");
    std::fs::copy(fixture(), &path).unwrap();
    (dir, path)
}

/// Every row of every table, by the columns the table had in version 1, in rowid order.
type Snapshot = Vec<(String, Vec<String>, Vec<Vec<Value>>)>;

fn snapshot_v1_tables(v1: &Connection, now: &Connection) -> Snapshot {
    let tables: Vec<String> = v1
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let columns: Vec<String> = v1
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let list = columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let mut stmt = now
                .prepare(&format!("SELECT {list} FROM \"{table}\" ORDER BY rowid"))
                .unwrap_or_else(|e| panic!("{table} lost a column of version 1: {e}"));
            let rows = stmt
                .query_map([], |row| {
                    (0..columns.len())
                        .map(|i| row.get::<_, Value>(i))
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            (table, columns, rows)
        })
        .collect()
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

#[test]
fn the_fixture_is_a_first_release_workspace() {
    let (_dir, path) = v1_copy();
    let conn = read_only(&path);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the fixture must stay at schema version 1");
}

#[test]
fn a_first_release_workspace_upgrades_with_every_row_kept() {
    let (dir, path) = v1_copy();
    let v1_copy_path = dir.path().join("before.db");
    std::fs::copy(&path, &v1_copy_path).unwrap();
    let before = {
        let v1 = read_only(&v1_copy_path);
        snapshot_v1_tables(&v1, &v1)
    };

    let store = Store::open(&path).unwrap();
    let upgrade = store.upgrade().cloned().expect("an upgrade");
    assert_eq!(upgrade.from_version, 1);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);

    // Every row of every version-1 table, column by column.
    let after = snapshot_v1_tables(&read_only(&v1_copy_path), &read_only(&path));
    assert_eq!(before.len(), after.len());
    for ((table, columns, old), (_, _, new)) in before.iter().zip(&after) {
        assert_eq!(old.len(), new.len(), "{table}: row count changed");
        for (i, (a, b)) in old.iter().zip(new).enumerate() {
            assert_eq!(a, b, "{table} row {i} ({columns:?}) changed");
        }
    }

    // The counts the first release seeded, by table.
    let count = |table: &str| -> i64 {
        read_only(&path)
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    for (table, expected) in [
        ("firms", 10),
        ("firm_aliases", 9),
        ("export_control_listings", 1),
        ("strategies", 4),
        ("assessments", 5),
        ("assessment_evidence", 10),
        ("chips", 8),
        ("chip_sources", 8),
        ("sources", 6),
        ("source_tags", 10),
        ("tags", 7),
        ("notes", 3),
        ("note_tags", 5),
        ("note_links", 14),
        ("events", 8),
        ("event_firms", 7),
        ("event_sources", 8),
        ("import_batches", 0),
        ("comparisons", 0),
        ("workspace_meta", 1),
    ] {
        assert_eq!(count(table), expected, "{table}");
    }
    let stats = workspace::stats(&store).unwrap();
    assert_eq!(
        (
            stats.firms,
            stats.chips,
            stats.sources,
            stats.notes,
            stats.events
        ),
        (10, 8, 6, 3, 8)
    );

    // Key rows, through today's code.
    let conn = read_only(&path);
    let huawei: (String, Option<String>, String, String) = conn
        .query_row(
            "SELECT name, native_name, kind, country FROM firms WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        huawei,
        (
            "Huawei".into(),
            Some("华为".into()),
            "company".into(),
            "CN".into()
        )
    );
    let chip: (String, f64, i64, Option<f64>, Option<f64>) = conn
        .query_row(
            "SELECT name, peak_dense_tops, peak_bit_width, memory_gb, tdp_w FROM chips WHERE id = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        chip,
        ("Ascend 910B".into(), 376.0, 16, Some(32.0), Some(400.0))
    );
    let profile = chipwatch_core::profile::load_profile(&store, 1).unwrap();
    assert_eq!(profile.firm.name, "Huawei");
    assert!(!profile.chips.is_empty());

    // Today's features work on the upgraded rows: search (built by the upgrade) and the check.
    let hits = search::search(
        &store,
        &SearchQuery {
            text: "华为".into(),
            kinds: vec![SearchKind::Firm],
            ..SearchQuery::default()
        },
    )
    .unwrap();
    assert!(hits.iter().any(|h| h.title == "Huawei"), "{hits:?}");
    drop(store);
    let report = workspace::check(&path).unwrap();
    assert!(
        report.is_healthy(),
        "{:?}",
        report.problems().collect::<Vec<_>>()
    );

    // The backup taken before the upgrade is the version-1 workspace, whole.
    let listed = backups::list_backups(&path).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].reason, BackupReason::BeforeUpgrade);
    assert_eq!(listed[0].schema_version, 1);
    assert_eq!(PathBuf::from(&listed[0].path), upgrade.backup);
    let kept = snapshot_v1_tables(&read_only(&v1_copy_path), &read_only(&upgrade.backup));
    assert_eq!(kept, before, "the backup holds the version-1 rows");
}

#[test]
fn a_workspace_from_a_newer_release_is_refused_untouched() {
    let (dir, path) = v1_copy();
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let _: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for result in [
        Store::open(&path).map(drop),
        Store::open_read_only(&path).map(drop),
        workspace::open_or_init(&path, workspace::Seed::DefaultDataset).map(drop),
    ] {
        assert!(
            matches!(result, Err(Error::WorkspaceTooNew { found, .. }) if found == SCHEMA_VERSION + 1),
            "{result:?}"
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(
        !backups::folder(&path).exists(),
        "no backup is made of a file that is refused"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "nothing appears beside it: {names:?}");
}
