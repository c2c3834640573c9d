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
    assert_eq!(stats(&store).unwrap().firms, 15);
    drop(store);
    let (store, opened) = open_or_init(&path, Seed::DefaultDataset).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(
        stats(&store).unwrap().firms,
        15,
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

/// Damage only a full read finds: opening does not look for it (store.rs),
/// so `check` and `find_damage` must, read-only.
#[test]
fn check_and_find_damage_report_a_damaged_page_that_opening_never_reads() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let page = damage_a_page_opening_never_reads(&path);
    let before = file_bytes(&path);
    let report = check(&path).unwrap();
    assert!(!report.is_healthy());
    assert!(
        report
            .integrity
            .iter()
            .any(|line| line.to_lowercase().contains(&format!("page {page}"))),
        "{:?}",
        report.integrity
    );
    let found = chipwatch_core::workspace::find_damage(&path).unwrap();
    assert!(
        found
            .iter()
            .any(|line| line.to_lowercase().contains(&format!("page {page}"))),
        "{found:?}"
    );
    assert!(
        found.iter().all(|line| !line.contains("*** in database")),
        "{found:?}"
    );
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn find_damage_finds_nothing_in_a_healthy_file() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    assert_eq!(
        chipwatch_core::workspace::find_damage(&path).unwrap(),
        Vec::<String>::new()
    );
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
        ["chip_sources row 18 points at a missing row of sources"]
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

#[test]
fn check_names_what_is_not_a_workspace_at_all() {
    let (_dir, path) = temp_workspace();
    let refusal =
        |path: &std::path::Path| check(path).err().map(|e| e.to_string()).unwrap_or_default();

    assert!(
        refusal(&path).contains("does not exist"),
        "missing: {}",
        refusal(&path)
    );

    std::fs::write(&path, b"").unwrap();
    assert!(
        refusal(&path).contains("empty file"),
        "zero bytes: {}",
        refusal(&path)
    );
    assert_eq!(file_bytes(&path).len(), 0);

    std::fs::remove_file(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE items (title TEXT)")
        .unwrap();
    drop(conn);
    assert!(
        refusal(&path).contains("another program"),
        "foreign: {}",
        refusal(&path)
    );

    std::fs::remove_file(&path).unwrap();
    seeded_file(&path);
    raw_connection(&path)
        .pragma_update(
            None,
            "user_version",
            chipwatch_core::store::SCHEMA_VERSION + 1,
        )
        .unwrap();
    assert!(
        refusal(&path).contains("newer Chipwatch"),
        "newer: {}",
        refusal(&path)
    );
}

/// Rows an older Chipwatch let through the date CHECKs' NULL hole survive the
/// upgrade (SQLite cannot re-check them), so `check` must name them.
#[test]
fn check_reports_impossible_dates_written_before_the_rule() {
    let (_dir, path) = temp_workspace();
    workspace_at_version(&path, 2);
    let conn = raw_connection(&path);
    conn.execute(
        "INSERT INTO events (occurred_on, kind, title) VALUES ('2023-13-45', 'regulation', 'bad day')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO sources (kind, title, accessed_on, created_at, updated_at) VALUES ('web', 'x', 'yesterday', 'x', 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    drop(chipwatch_core::Store::open(&path).unwrap()); // upgraded to the current schema
    let report = check(&path).unwrap();
    assert!(!report.is_healthy());
    assert_eq!(
        report.dates,
        [
            "sources row 1: accessed_on 'yesterday' is not a date; the column holds YYYY-MM-DD",
            "events row 1: occurred_on '2023-13-45' is not a date; the column holds YYYY, YYYY-MM or YYYY-MM-DD",
        ]
    );
}

/// Addresses only a tampered file (or another tool) can hold: the forms and
/// imports refuse them, and exports must not turn them into links.
#[test]
fn check_names_stored_addresses_the_forms_would_refuse() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = raw_connection(&path);
    let update = |sql: &str, value: &str| {
        assert_eq!(conn.execute(sql, [value]).unwrap(), 1, "{sql}");
    };
    update("UPDATE sources SET title = ?1 WHERE id = 1", TRICKY);
    update(
        "UPDATE sources SET url = ?1 WHERE id = 1",
        "javascript:alert(1)",
    );
    update("UPDATE sources SET doi = ?1 WHERE id = 2", "10.1/没有");
    update(
        "UPDATE sources SET url = ?1 WHERE id = 3",
        "HTTPS://Example.ORG/大写",
    );
    update(
        "UPDATE firms SET website = ?1 WHERE name = 'Huawei'",
        "file:///etc/passwd",
    );
    let huawei: i64 = conn
        .query_row("SELECT id FROM firms WHERE name = 'Huawei'", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(conn);

    let report = check(&path).unwrap();
    assert!(!report.is_healthy());
    let problems: Vec<&String> = report.problems().collect();
    assert_eq!(
        problems,
        [
            format!(
                "sources row 1 ('{TRICKY}'): url 'javascript:alert(1)' is not a web address; \
                 write it as https://example.org/page"
            ),
            "sources row 2 ('Data on Machine Learning Hardware'): doi '10.1/没有' is not a DOI; \
             a DOI looks like 10.1038/s41586-023-06004-9"
                .to_owned(),
            format!(
                "firms row {huawei} ('Huawei'): website 'file:///etc/passwd' is not a web address; \
                 write it as https://example.org/page"
            ),
        ]
        .iter()
        .collect::<Vec<_>>()
    );
}
