#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::Stats;
use chipwatch_core::workspace::{check, info, open_or_init, stats, Opened, Seed};
use chipwatch_core::Error;
use common::*;

#[test]
fn a_new_workspace_is_seeded_once() {
    let (_dir, path) = temp_workspace();
    let (store, opened) = open_or_init(&path, Seed::DefaultDataset).unwrap();
    assert_eq!(opened, Opened::Created);
    assert_eq!(stats(&store).unwrap().firms, 10);
    drop(store);
    let (store, opened) = open_or_init(&path, Seed::DefaultDataset).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(
        stats(&store).unwrap().firms,
        10,
        "opening again must not seed twice"
    );
}

#[test]
fn an_empty_workspace_has_the_schema_and_no_rows() {
    let (_dir, path) = temp_workspace();
    let (store, _) = open_or_init(&path, Seed::Empty).unwrap();
    assert_eq!(stats(&store).unwrap(), Stats::default());
    let shown = info(&store).unwrap();
    assert_eq!(shown.path, path.display().to_string());
    assert_eq!(shown.schema_version, chipwatch_core::store::SCHEMA_VERSION);
}

#[test]
fn check_finds_a_healthy_file_healthy() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let report = check(&path).unwrap();
    assert!(report.is_healthy(), "{report:?}");
}

#[test]
fn check_reports_damage_without_writing() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    corrupt(&path);
    let before = file_bytes(&path);
    let report = check(&path).unwrap();
    assert!(!report.is_healthy());
    assert!(!report.integrity.is_empty());
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn check_reports_links_to_missing_rows() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap(); // as another tool might leave them
    conn.execute(
        "INSERT INTO chip_sources (chip_id, source_id) VALUES (1, 9999)",
        [],
    )
    .unwrap();
    drop(conn);
    let report = check(&path).unwrap();
    assert_eq!(
        report.foreign_keys,
        ["chip_sources row 9 points at a missing row of sources"]
    );
}

#[test]
fn check_refuses_what_is_not_a_workspace() {
    let (dir, path) = temp_workspace();
    assert!(matches!(
        check(dir.path()),
        Err(Error::WorkspaceIsDirectory { .. })
    ));
    std::fs::write(&path, "not a database, 不是数据库").unwrap();
    assert!(matches!(
        check(&path),
        Err(Error::WorkspaceNotSqlite { .. })
    ));
}
