//! Restore (src/restore.rs) on real files, including bad input: garbage,
//! cut-short and newer files, a damaged or missing workspace.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};

use chipwatch_core::backups::{self, BackupReason};
use chipwatch_core::lock::WorkspaceLock;
use chipwatch_core::model::{NoteDraft, TrashKind};
use chipwatch_core::store::SCHEMA_VERSION;
use chipwatch_core::workspace;
use chipwatch_core::{notes, restore, trash, AppError, Error, ErrorKind, Store};
use common::*;

/// Changes the workspace so that a restore has something to undo.
fn change(path: &Path) {
    let mut store = Store::open(path).unwrap();
    notes::save(
        &mut store,
        None,
        &NoteDraft {
            title: TRICKY.into(),
            body: "added after the backup".into(),
            tags: vec![],
        },
        None,
    )
    .unwrap();
    let chip = chipwatch_core::chips::list(&store, Some(1)).unwrap()[0].id;
    trash::delete(&mut store, TrashKind::Chip, chip).unwrap();
}

#[test]
fn restore_puts_the_backup_back_and_keeps_the_state_it_replaced() {
    let (dir, path) = seeded_workspace();
    let backup = dir.path().join("saved.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&backup)).unwrap();
    let saved = stats_of(&path);
    change(&path);
    let changed = stats_of(&path);
    assert_ne!(changed, saved);

    // A reader that stays open across the restore keeps reading its snapshot safely.
    let reader = Store::open_read_only(&path).unwrap();
    let report = restore::restore(&path, &backup).unwrap();
    assert_eq!(report.counts, saved);
    assert_eq!(report.from_version, SCHEMA_VERSION);
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(stats_of(&path), saved);
    assert_eq!(
        workspace::stats(&reader).unwrap(),
        saved,
        "a fresh read sees the restore"
    );
    drop(reader);
    assert!(workspace::check(&path).unwrap().is_healthy());

    let previous = PathBuf::from(report.previous_state.unwrap());
    assert_eq!(stats_of(&previous), changed, "the replaced state is kept");
    let listed = backups::list_backups(&path).unwrap();
    assert_eq!(listed[0].reason, BackupReason::BeforeRestore);
    assert_eq!(PathBuf::from(&listed[0].path), previous);

    // The search index came back with the rows.
    let store = Store::open(&path).unwrap();
    assert!(notes::list(&store, None)
        .unwrap()
        .iter()
        .all(|n| n.title != TRICKY));
}

#[test]
fn restore_into_an_open_store_replaces_it_in_place() {
    let (dir, path) = seeded_workspace();
    let backup = dir.path().join("saved.db");
    let store = Store::open(&path).unwrap();
    backups::backup_now(&store, Some(&backup)).unwrap();
    let saved = workspace::stats(&store).unwrap();
    drop(store);
    change(&path);
    // As the app opens it: locked, so `chipwatch restore` and a second window are refused.
    let window = WorkspaceLock::acquire(&path).unwrap();
    let mut store = Store::open(&path).unwrap();
    let pid = std::process::id();
    assert_eq!(WorkspaceLock::holder(&path), Some(pid));
    assert!(matches!(
        restore::restore(&path, &backup),
        Err(Error::WorkspaceOpenElsewhere { .. })
    ));
    let report = restore::restore_into(&mut store, &backup).unwrap();
    assert_eq!(report.counts, saved);
    assert_eq!(workspace::stats(&store).unwrap(), saved);
    assert_eq!(
        WorkspaceLock::holder(&path),
        Some(pid),
        "the window keeps its lock"
    );
    // The store keeps working after the restore.
    notes::save(
        &mut store,
        None,
        &NoteDraft {
            title: "after the restore".into(),
            body: String::new(),
            tags: vec![],
        },
        None,
    )
    .unwrap();
    drop(store);
    drop(window);
    assert_eq!(WorkspaceLock::holder(&path), None);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn restoring_a_first_release_backup_upgrades_it() {
    let (_dir, path) = seeded_workspace();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace-v1.sqlite");
    let copy = path.with_file_name("v1.sqlite");
    std::fs::copy(&fixture, &copy).unwrap();
    let report = restore::restore(&path, &copy).unwrap();
    assert_eq!(report.from_version, 1);
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(report.counts.firms, 10);
    assert!(workspace::check(&path).unwrap().is_healthy());
    let reasons: Vec<_> = backups::list_backups(&path)
        .unwrap()
        .into_iter()
        .map(|b| (b.reason, b.schema_version))
        .collect();
    // The old state is kept; the backup itself is the pre-upgrade state, so
    // the upgrade (made on a private copy) needs no backup of its own.
    assert_eq!(
        reasons,
        vec![(BackupReason::BeforeRestore, SCHEMA_VERSION)],
        "{reasons:?}"
    );
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the file restored from is left as it was");
}

/// Bad files to restore from, each with what the refusal must say.
fn bad_backups(dir: &Path, good: &Path) -> Vec<(PathBuf, &'static str)> {
    let garbage = dir.join("garbage.db");
    std::fs::write(
        &garbage,
        "title,作者\n\"Quoted, with comma\",🚀\n".repeat(500),
    )
    .unwrap();
    let bytes = file_bytes(good);
    let half = dir.join("cut in half.db");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
    let odd = dir.join("cut mid-page.db");
    std::fs::write(&odd, &bytes[..bytes.len() - 1000]).unwrap();
    let header_only = dir.join("header only.db");
    std::fs::write(&header_only, &bytes[..40]).unwrap();
    let newer = dir.join("newer.db");
    std::fs::copy(good, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let foreign = dir.join("zotero.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE items (title TEXT); INSERT INTO items VALUES ('条目');")
        .unwrap();
    let lookalike = dir.join("lookalike.db");
    let conn = rusqlite::Connection::open(&lookalike).unwrap();
    conn.execute_batch("CREATE TABLE firms (name TEXT);")
        .unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
    drop(conn);
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let damaged = dir.join("damaged.db");
    std::fs::copy(good, &damaged).unwrap();
    corrupt(&damaged);
    // Opening would take this one (it reads the header and schema only); a
    // backup is checked in full before it is trusted.
    let damaged_page = dir.join("a damaged page.db");
    std::fs::copy(good, &damaged_page).unwrap();
    damage_a_page_opening_never_reads(&damaged_page);
    vec![
        (garbage, "not an SQLite database"),
        (half, "damaged or incomplete"),
        (odd, "damaged or incomplete"),
        (header_only, "damaged or incomplete"),
        (newer, "newer Chipwatch"),
        (foreign, "another program"),
        (lookalike, "not a Chipwatch workspace"),
        (empty, "empty"),
        (damaged, "damaged"),
        (damaged_page, "damaged or incomplete"),
        (dir.join("missing.db"), "does not exist"),
        (dir.to_path_buf(), "folder"),
    ]
}

#[test]
fn restore_refuses_bad_files_and_leaves_the_workspace_untouched() {
    let (dir, path) = seeded_workspace();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    let bad_dir = dir.path().join("bad");
    std::fs::create_dir(&bad_dir).unwrap();
    let before = file_bytes(&path);
    for (bad, expect) in bad_backups(&bad_dir, &good) {
        let bad_before = std::fs::metadata(&bad)
            .is_ok_and(|m| m.is_file())
            .then(|| file_bytes(&bad));
        let result = restore::restore(&path, &bad);
        let Err(error) = result else {
            panic!("{bad:?} was restored");
        };
        let message = error.to_string();
        assert!(
            matches!(error, Error::BackupInvalid { .. })
                && message.contains(expect)
                && message.contains(&bad.display().to_string())
                && message.contains("left untouched"),
            "{bad:?}: {message}"
        );
        assert_eq!(AppError::from(&error).kind, ErrorKind::InvalidInput);
        assert_eq!(file_bytes(&path), before, "{bad:?}: the workspace changed");
        if let Some(bad_before) = bad_before {
            assert_eq!(file_bytes(&bad), bad_before, "{bad:?} was modified");
        }
    }
    assert!(
        !backups::folder(&path).exists(),
        "nothing is backed up before validation passes"
    );
    let itself = restore::restore(&path, &path);
    assert!(
        matches!(&itself, Err(Error::BackupInvalid { reason, .. }) if reason.contains("workspace itself")),
        "{itself:?}"
    );
}

#[test]
fn restore_is_refused_while_a_window_has_the_workspace_open() {
    let (dir, path) = seeded_workspace();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    change(&path);
    let before = file_bytes(&path);
    let lock = WorkspaceLock::acquire(&path).unwrap();
    let refused = restore::restore(&path, &good);
    assert!(
        matches!(&refused, Err(Error::WorkspaceOpenElsewhere { pid: Some(pid), .. }) if *pid == std::process::id()),
        "{refused:?}"
    );
    assert_eq!(file_bytes(&path), before);
    drop(lock);
    restore::restore(&path, &good).unwrap();
}

#[test]
fn restore_replaces_a_damaged_or_missing_workspace_keeping_a_raw_copy() {
    let (dir, path) = seeded_workspace();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    corrupt(&path);
    let damaged = file_bytes(&path);
    assert!(matches!(
        Store::open(&path),
        Err(Error::WorkspaceCorrupt { .. })
    ));
    let report = restore::restore(&path, &good).unwrap();
    assert_eq!(report.counts.firms, 15);
    assert!(workspace::check(&path).unwrap().is_healthy());
    let kept = PathBuf::from(report.previous_state.unwrap());
    assert_eq!(
        file_bytes(&kept),
        damaged,
        "the damaged file is kept byte for byte"
    );

    let elsewhere = dir.path().join("new place.db");
    let report = restore::restore(&elsewhere, &good).unwrap();
    assert_eq!(report.previous_state, None);
    assert_eq!(stats_of(&elsewhere).firms, 15);
    assert!(
        names_in(dir.path())
            .iter()
            .all(|n| !n.contains(".restoring-")),
        "no temporary file left: {:?}",
        names_in(dir.path())
    );
}
