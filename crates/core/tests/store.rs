#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::date::{Precision, DATE_COLUMNS};
use chipwatch_core::store::{Opened, MIGRATIONS, SCHEMA_VERSION};
use chipwatch_core::workspace::{open_or_init, stats, Seed};
use chipwatch_core::{AppError, Error, ErrorKind, Store};
use common::*;

fn create_empty(path: &std::path::Path) -> (Store, Opened) {
    Store::open_or_create(path, |_| Ok(())).unwrap()
}

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
    let (store, opened) = create_empty(&path);
    assert_eq!(opened, Opened::Created);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    let conn = raw_connection(&path);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let (_, reopened) = create_empty(&path);
    assert_eq!(
        reopened,
        Opened::Existing,
        "an existing workspace is not new"
    );
}

fn tag_count(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM tags", [], |r| r.get(0))
        .unwrap()
}

/// A big write with no other connection on the file goes through a rollback
/// journal (nothing is written twice), and the workspace is WAL again after
/// it; beside another open connection it stays WAL, so that connection keeps
/// reading while the write runs. Either way the rows land.
#[test]
fn a_bulk_write_alone_skips_the_wal_and_beside_a_reader_keeps_it() {
    let (_dir, path) = temp_workspace();
    let (mut store, _) = create_empty(&path);
    let journal = |conn: &rusqlite::Connection| -> String {
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    };
    let insert = |tx: &rusqlite::Connection, title: &str| {
        tx.execute("INSERT INTO tags (name) VALUES (?1)", [title])
            .unwrap();
    };

    let during = store
        .write_in_bulk(|tx| {
            insert(tx, "出口管制, \"alone\" 🚀");
            Ok(journal(tx))
        })
        .unwrap();
    assert_eq!(during, "delete", "alone on the file: a rollback journal");
    assert!(!path.with_extension("db-journal").exists());

    let reader = raw_connection(&path);
    assert_eq!(journal(&reader), "wal", "WAL again after the bulk write");
    let before = tag_count(&reader);
    let (during, read_meanwhile) = store
        .write_in_bulk(|tx| {
            insert(tx, "beside a reader");
            Ok((journal(tx), tag_count(&reader)))
        })
        .unwrap();
    assert_eq!(during, "wal", "another connection is open: the WAL");
    assert_eq!(
        read_meanwhile, before,
        "the reader read the last commit meanwhile"
    );
    assert_eq!(tag_count(&reader), before + 1);
    drop(reader);
    drop(store);
    let names: Vec<String> = raw_connection(&path)
        .prepare(
            "SELECT name FROM tags WHERE name IN ('出口管制, \"alone\" 🚀', 'beside a reader')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// Beside another connection, a bulk write's commit leaves its pages in the
/// WAL, where readers see them, and `checkpoint` copies them into the file;
/// the writes after it copy their pages at their commit again.
#[test]
fn a_bulk_write_beside_a_reader_leaves_the_copy_into_the_file_to_checkpoint() {
    let (_dir, path) = temp_workspace();
    let (mut store, _) = create_empty(&path);
    // The workspace file as it is, without its WAL.
    let in_the_file = || {
        let file_only = rusqlite::Connection::open_with_flags(
            format!("file:{}?immutable=1", path.display()),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        tag_count(&file_only)
    };
    let reader = raw_connection(&path);
    let before = tag_count(&reader);
    // Each batch is more than the 1,000 pages after which a commit copies the WAL.
    let add = |tx: &rusqlite::Connection, batch: &str| -> chipwatch_core::Result<()> {
        let mut insert = tx.prepare("INSERT INTO tags (name) VALUES (?1)")?;
        for i in 0..6_000 {
            insert.execute([format!(
                "{batch} {i:05} 出口管制, \"quoted\" {}",
                "x".repeat(1_000)
            )])?;
        }
        Ok(())
    };

    store.write_in_bulk(|tx| add(tx, "bulk")).unwrap();
    assert_eq!(tag_count(&reader), before + 6_000, "readers see the rows");
    assert_eq!(in_the_file(), before, "the commit left them in the WAL");
    store.checkpoint().unwrap();
    assert_eq!(in_the_file(), before + 6_000, "the checkpoint copied them");

    store.write(|tx| add(tx, "plain")).unwrap();
    assert_eq!(
        in_the_file(),
        before + 12_000,
        "a later write's commit copies the WAL again"
    );
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
    let (store, opened) = create_empty(&path);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(
        opened,
        Opened::Created,
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

/// Damage that reaches the schema (every page after the first) shows in what
/// opening reads anyway, and is refused there.
#[test]
fn a_corrupt_database_is_refused_with_advice_and_left_unchanged() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    corrupt(&path);
    let before = file_bytes(&path);
    let error = Store::open(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceCorrupt { .. }), "{error}");
    assert!(error.to_string().contains("backup"));
    let error = Store::open_read_only(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceCorrupt { .. }), "{error}");
    assert_eq!(file_bytes(&path), before);
}

/// Opening reads the header and the schema, never every page: a damaged page
/// of an index nothing reads on the way in does not stop it (quick_check on
/// open cost 0.2 s at 100,000 sources and grew with the file). `check`,
/// backup validation and the app's background check find it instead
/// (tests/workspace.rs, tests/restore.rs, tests/damage_check.rs).
#[test]
fn opening_never_reads_the_whole_file() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let page = damage_a_page_opening_never_reads(&path);
    let counts = stats(&Store::open_read_only(&path).unwrap()).unwrap();
    assert_eq!(counts.firms, 15);
    let store = Store::open(&path).unwrap();
    assert_eq!(stats(&store).unwrap().sources, 10);
    drop(store);
    let (store, opened) = open_or_init(&path, Seed::DefaultDataset).unwrap();
    assert_eq!(opened, Opened::Existing);
    drop(store);
    // The damage is still there, for `check` to report.
    let report = chipwatch_core::workspace::check(&path).unwrap();
    assert!(
        report
            .integrity
            .iter()
            .any(|line| line.to_lowercase().contains(&format!("page {page}"))),
        "{:?}",
        report.integrity
    );
}

#[test]
fn an_unwritable_location_is_refused_with_its_path() {
    for path in [
        std::path::PathBuf::from("/nonexistent-folder/chipwatch/workspace.db"),
        "/proc/chipwatch.db".into(),
    ] {
        let error = Store::open_or_create(&path, |_| Ok(())).err().unwrap();
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
    for (sql, what) in [
        (
            "UPDATE events SET occurred_on = '2023-13-45'",
            "month 13, day 45",
        ),
        ("UPDATE events SET occurred_on = '9999-99-99'", "9999-99-99"),
        (
            "UPDATE sources SET published_on = '2023-02-30'",
            "30 February",
        ),
        (
            "UPDATE sources SET accessed_on = 'yesterday'",
            "accessed 'yesterday'",
        ),
        (
            "UPDATE sources SET accessed_on = '2023-10'",
            "a partial access date",
        ),
        ("UPDATE chips SET announced_on = '2023-04-31'", "31 April"),
        ("UPDATE assessments SET as_of = '2023-00'", "month 0"),
        (
            "UPDATE export_control_listings SET listed_on = '2019-05-16 '",
            "a trailing space",
        ),
    ] {
        assert!(refused(sql), "{what} must be refused");
    }
    assert!(
        !refused("UPDATE events SET occurred_on = '2023-10' WHERE id = 1"),
        "a partial date is fine"
    );
}

#[test]
fn the_timeline_lists_events_in_calendar_order() {
    let (_dir, path) = temp_workspace();
    drop(create_empty(&path));
    let conn = raw_connection(&path);
    for date in ["2024", "2023-10-17", "2023", "2023-10", "2023-09-30"] {
        conn.execute(
            "INSERT INTO events (occurred_on, kind, title) VALUES (?1, 'regulation', ?1)",
            [date],
        )
        .unwrap();
    }
    let store = Store::open_read_only(&path).unwrap();
    let order: Vec<String> = chipwatch_core::events::list(&store, None)
        .unwrap()
        .into_iter()
        .map(|e| e.occurred_on)
        .collect();
    assert_eq!(
        order,
        ["2023", "2023-09-30", "2023-10", "2023-10-17", "2024"]
    );
}

#[test]
fn user_text_round_trips_unchanged() {
    let (_dir, path) = temp_workspace();
    drop(create_empty(&path));
    let conn = raw_connection(&path);
    conn.execute("INSERT INTO firms (name, kind, summary, created_at, updated_at) VALUES (?1, 'company', ?1, 'x', 'x')", [TRICKY])
        .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let firms = chipwatch_core::firms::list(&store, None).unwrap();
    assert_eq!(firms[0].name, TRICKY);
    let profile = chipwatch_core::profile::load_profile(&store, firms[0].id).unwrap();
    assert_eq!(profile.firm.summary, TRICKY);
}

/// The rule for stored dates lives twice, in Rust (date::Precision) and in the
/// SQL triggers of migration 0003; they must agree on every kind of input.
#[test]
fn rust_and_sql_agree_on_every_date() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = raw_connection(&path);
    let candidates = chipwatch_core::date::RULE_SAMPLES;
    for (table, column, precision) in DATE_COLUMNS {
        for text in candidates {
            let rust = precision.accepts_stored(text);
            conn.execute_batch("SAVEPOINT probe").unwrap();
            let sql = conn
                .execute(
                    &format!("UPDATE {table} SET {column} = ?1 WHERE rowid = (SELECT min(rowid) FROM {table})"),
                    [text],
                )
                .is_ok();
            conn.execute_batch("ROLLBACK TO probe; RELEASE probe")
                .unwrap();
            assert_eq!(
                rust, sql,
                "{table}.{column} = {text:?}: Rust says {rust}, SQL says {sql}"
            );
        }
    }
}

/// Every date-like column of the schema is in DATE_COLUMNS, so a new one cannot escape the rule.
#[test]
fn every_date_column_is_covered_by_the_date_rule() {
    let (_dir, path) = temp_workspace();
    drop(create_empty(&path));
    let conn = raw_connection(&path);
    let mut found = Vec::new();
    let mut tables = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .unwrap();
    let names: Vec<String> = tables
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for table in names {
        let mut columns = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap();
        for column in columns
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap)
        {
            if column.ends_with("_on") || column == "as_of" {
                found.push((table.clone(), column));
            }
        }
    }
    found.sort();
    let mut covered: Vec<(String, String)> = DATE_COLUMNS
        .iter()
        .map(|(t, c, _)| (t.to_string(), c.to_string()))
        .collect();
    covered.sort();
    assert_eq!(found, covered);
    assert!(DATE_COLUMNS
        .iter()
        .any(|(_, c, p)| *c == "accessed_on" && *p == Precision::Day));
}

/// A database error from a date trigger names the field, like the core's own validation.
#[test]
fn a_refused_date_names_its_field() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let conn = raw_connection(&path);
    let error = Error::from(
        conn.execute("UPDATE sources SET accessed_on = '2023-10'", [])
            .unwrap_err(),
    );
    let shown = AppError::from(&error);
    assert_eq!(shown.kind, ErrorKind::InvalidInput, "{error}");
    assert_eq!(shown.field.as_deref(), Some("accessed_on"));
    assert!(shown.message.contains("YYYY-MM-DD"), "{}", shown.message);
}

#[test]
fn a_seed_that_fails_leaves_no_workspace_behind() {
    let (dir, path) = temp_workspace();
    let error = Store::open_or_create(&path, |conn| {
        conn.execute("INSERT INTO strategies (name) VALUES ('half-seeded')", [])?;
        Err(Error::Dataset("the seed broke halfway".into()))
    })
    .err()
    .unwrap();
    assert!(matches!(error, Error::Dataset(_)), "{error}");
    assert!(!path.exists(), "no workspace without its seed");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no temporary files left: {left:?}");
}

#[test]
fn two_inits_at_once_both_succeed_and_seed_once() {
    let (_dir, path) = temp_workspace();
    let start = std::sync::Arc::new(std::sync::Barrier::new(6));
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                open_or_init(&path, Seed::DefaultDataset)
                    .map(|(store, opened)| (stats(&store).unwrap().firms, opened))
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let mut created = 0;
    for result in results {
        let (firms, opened) = result.unwrap_or_else(|e| panic!("a concurrent init failed: {e}"));
        assert_eq!(firms, 15);
        created += usize::from(opened == Opened::Created);
    }
    assert_eq!(created, 1, "exactly one of them created the workspace");
}

#[test]
fn an_upgrade_that_cannot_get_the_write_lock_says_the_workspace_is_busy() {
    let (_dir, path) = temp_workspace();
    workspace_at_version(&path, 2);
    let writer = raw_connection(&path);
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let error = Store::open(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceBusy { .. }), "{error}");
    assert!(error.to_string().contains("in use"), "{error}");
    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);
    assert_eq!(
        Store::open(&path).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn opening_read_only_never_writes() {
    let (_dir, path) = temp_workspace();
    // An older workspace is refused with the command that upgrades it, byte for byte untouched.
    workspace_at_version(&path, 2);
    let before = file_bytes(&path);
    let error = Store::open_read_only(&path).err().unwrap();
    assert!(
        matches!(error, Error::WorkspaceNeedsUpgrade { found: 2, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("upgrade"), "{error}");
    assert_eq!(file_bytes(&path), before);

    // A zero-byte file stays zero bytes.
    std::fs::write(&path, b"").unwrap();
    let error = Store::open_read_only(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceBlank { .. }), "{error}");
    assert_eq!(file_bytes(&path).len(), 0);

    // A missing file is not created.
    std::fs::remove_file(&path).unwrap();
    let error = Store::open_read_only(&path).err().unwrap();
    assert!(matches!(error, Error::WorkspaceMissing { .. }), "{error}");
    assert!(error.to_string().contains("init"), "{error}");
    assert!(!path.exists());

    // And a read-only store refuses to write.
    seeded_file(&path);
    let mut store = Store::open_read_only(&path).unwrap();
    let error = store.write(|_| Ok(())).err().unwrap();
    assert!(
        matches!(error, Error::WorkspaceUnwritable { .. }),
        "{error}"
    );
}

#[test]
fn a_read_sees_one_snapshot_while_another_connection_writes() {
    let (_dir, path) = temp_workspace();
    seeded_file(&path);
    let store = Store::open(&path).unwrap();
    let other = raw_connection(&path);
    let count = |conn: &rusqlite::Connection| -> chipwatch_core::Result<i64> {
        Ok(conn.query_row("SELECT count(*) FROM firms", [], |r| r.get(0))?)
    };
    let (before, during) = store
        .read(|conn| {
            let before = count(conn)?;
            other
                .execute(
                    "INSERT INTO firms (name, kind, created_at, updated_at) VALUES (?1, 'lab', 'x', 'x')",
                    [TRICKY],
                )
                .unwrap();
            Ok((before, count(conn)?))
        })
        .unwrap();
    assert_eq!(before, during, "one read, one snapshot");
    assert_eq!(
        store.read(count).unwrap(),
        before + 1,
        "the next read sees the write"
    );
}
