//! Backups and restore (src/backups.rs) on real files, including bad input:
//! garbage, cut-short and newer files, a read-only file system and a full disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chipwatch_core::backups::{self, BackupReason, KEEP};
use chipwatch_core::lock::WorkspaceLock;
use chipwatch_core::model::{NoteDraft, TrashKind};
use chipwatch_core::store::SCHEMA_VERSION;
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{notes, trash, AppError, Error, ErrorKind, Store};
use common::*;

fn seeded() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    (dir, path)
}

fn counts(path: &Path) -> chipwatch_core::model::Stats {
    workspace::stats(&Store::open_read_only(path).unwrap()).unwrap()
}

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

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn backup_now_writes_one_self_contained_file_into_the_backups_folder() {
    let (dir, path) = seeded();
    let store = Store::open(&path).unwrap();
    let info = backups::backup_now(&store, None).unwrap();
    assert_eq!(
        backups::folder(&path),
        dir.path().join("workspace.db.backups")
    );
    let file = PathBuf::from(&info.path);
    assert_eq!(file.parent().unwrap(), backups::folder(&path));
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.ends_with(&format!("-manual-v{SCHEMA_VERSION}.db"))
            && name[..19].chars().filter(char::is_ascii_digit).count() == 17,
        "{name}"
    );
    assert_eq!(info.reason, BackupReason::Manual);
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert!(info.bytes > 0 && info.created_at.ends_with('Z'), "{info:?}");
    assert_eq!(
        names_in(&backups::folder(&path)),
        vec![name.clone()],
        "one file: no -wal, no temporary file"
    );
    assert_eq!(backups::list_backups(&path).unwrap(), vec![info.clone()]);

    // The copy is a whole, valid workspace in rollback-journal mode.
    assert_eq!(backups::validate(&file).unwrap(), SCHEMA_VERSION);
    let mode: String = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    assert_eq!(counts(&file), counts(&path));
}

#[test]
fn backup_now_to_a_path_or_a_folder_never_overwrites() {
    let (dir, path) = seeded();
    let store = Store::open(&path).unwrap();
    let out = dir.path().join("备份 \"copy\".db");
    let info = backups::backup_now(&store, Some(&out)).unwrap();
    assert_eq!(PathBuf::from(&info.path), out);
    assert_eq!(counts(&out), counts(&path));

    let before = file_bytes(&out);
    let again = backups::backup_now(&store, Some(&out));
    assert!(
        matches!(&again, Err(Error::BackupFailed { reason, .. }) if reason.contains("exists")),
        "{again:?}"
    );
    assert_eq!(file_bytes(&out), before);

    let folder = dir.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    let info = backups::backup_now(&store, Some(&folder)).unwrap();
    let name = PathBuf::from(&info.path);
    assert_eq!(name.parent().unwrap(), folder);
    assert!(
        name.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("workspace-"),
        "{name:?}"
    );
    assert!(
        !backups::folder(&path).exists(),
        "a backup to a chosen path does not touch the backups folder"
    );
}

#[test]
fn only_the_newest_backups_are_kept_and_other_files_are_left_alone() {
    let (_dir, path) = seeded();
    let store = Store::open(&path).unwrap();
    let folder = backups::folder(&path);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("my notes.txt"), "keep me").unwrap();
    let mut made = Vec::new();
    for _ in 0..KEEP + 3 {
        made.push(backups::before_import(&store, 0).unwrap());
    }
    let listed = backups::list_backups(&path).unwrap();
    assert_eq!(listed.len(), KEEP);
    assert!(listed
        .iter()
        .all(|b| b.reason == BackupReason::BeforeImport));
    let newest: Vec<_> = made.iter().rev().take(KEEP).cloned().collect();
    assert_eq!(listed, newest, "newest first, the oldest three deleted");
    assert!(folder.join("my notes.txt").exists());
    assert_eq!(names_in(&folder).len(), KEEP + 1);
}

/// Manual and before-restore backups stay out of the rotation.
#[test]
fn backups_made_on_purpose_are_never_rotated_out() {
    let (_dir, path) = seeded();
    let mut store = Store::open(&path).unwrap();
    let manual = backups::backup_now(&store, None).unwrap();
    let spare = path.with_file_name("spare.db");
    backups::backup_now(&store, Some(&spare)).unwrap();
    let restored = backups::restore_into(&mut store, &spare).unwrap();
    for _ in 0..KEEP + 2 {
        backups::before_import(&store, 0).unwrap();
    }
    let listed = backups::list_backups(&path).unwrap();
    let paths: Vec<&str> = listed.iter().map(|b| b.path.as_str()).collect();
    assert!(paths.contains(&manual.path.as_str()), "{paths:?}");
    assert!(
        paths.contains(&restored.previous_state.as_deref().unwrap()),
        "{paths:?}"
    );
    assert_eq!(listed.iter().filter(|b| b.automatic).count(), KEEP);
    assert!(!manual.automatic);
}

/// Ten copies of a 1 GB workspace would take 10 GB: the automatic backups
/// stay within three copies of the workspace and within what the disk has free.
#[test]
fn automatic_backups_stay_within_a_budget_of_the_workspace_and_the_free_space() {
    const GB: u64 = 1_000_000_000;
    const MB: u64 = 1_000_000;
    let ten = [GB; 10];
    let roomy = backups::automatic_budget(GB, 500 * GB, 10 * GB);
    assert_eq!(backups::automatic_to_keep(&ten, roomy), 3);
    // A nearly full disk: 1 GB free beside the backups' 3 GB keeps two, so
    // the backups never take more than the disk keeps free.
    let tight = backups::automatic_budget(GB, GB, 3 * GB);
    assert_eq!(tight, 2 * GB);
    assert_eq!(backups::automatic_to_keep(&ten, tight), 2);
    // No room at all: the newest (the one just taken) is still kept.
    assert_eq!(backups::automatic_to_keep(&ten, 0), 1);
    // A small workspace keeps its ten.
    let small = [5 * MB; 12];
    let budget = backups::automatic_budget(5 * MB, 50 * GB, 60 * MB);
    assert_eq!(backups::automatic_to_keep(&small, budget), KEEP);
    assert_eq!(backups::automatic_to_keep(&[], budget), 0);
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent() {
    let (_dir, path) = seeded();
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open(&writer_path).unwrap();
        for i in 0..60 {
            notes::save(
                &mut store,
                None,
                &NoteDraft {
                    title: format!("concurrent {i} {TRICKY}"),
                    body: "[[Huawei]]".into(),
                    tags: vec!["并发".into()],
                },
                None,
            )
            .unwrap();
        }
    });
    let store = Store::open_read_only(&path).unwrap();
    let mut taken = Vec::new();
    for _ in 0..5 {
        taken.push(backups::backup_now(&store, None).unwrap());
    }
    writer.join().unwrap();
    for info in &taken {
        let file = Path::new(&info.path);
        assert_eq!(backups::validate(file).unwrap(), SCHEMA_VERSION);
        let report = workspace::check(file).unwrap();
        assert!(
            report.is_healthy(),
            "{:?}",
            report.problems().collect::<Vec<_>>()
        );
    }
}

#[test]
fn restore_puts_the_backup_back_and_keeps_the_state_it_replaced() {
    let (dir, path) = seeded();
    let backup = dir.path().join("saved.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&backup)).unwrap();
    let saved = counts(&path);
    change(&path);
    let changed = counts(&path);
    assert_ne!(changed, saved);

    // A reader that stays open across the restore keeps reading its snapshot safely.
    let reader = Store::open_read_only(&path).unwrap();
    let report = backups::restore(&path, &backup).unwrap();
    assert_eq!(report.counts, saved);
    assert_eq!(report.from_version, SCHEMA_VERSION);
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(counts(&path), saved);
    assert_eq!(
        workspace::stats(&reader).unwrap(),
        saved,
        "a fresh read sees the restore"
    );
    drop(reader);
    assert!(workspace::check(&path).unwrap().is_healthy());

    let previous = PathBuf::from(report.previous_state.unwrap());
    assert_eq!(counts(&previous), changed, "the replaced state is kept");
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
    let (dir, path) = seeded();
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
        backups::restore(&path, &backup),
        Err(Error::WorkspaceOpenElsewhere { .. })
    ));
    let report = backups::restore_into(&mut store, &backup).unwrap();
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
    let (_dir, path) = seeded();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace-v1.sqlite");
    let copy = path.with_file_name("v1.sqlite");
    std::fs::copy(&fixture, &copy).unwrap();
    let report = backups::restore(&path, &copy).unwrap();
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
        (dir.join("missing.db"), "does not exist"),
        (dir.to_path_buf(), "folder"),
    ]
}

#[test]
fn restore_refuses_bad_files_and_leaves_the_workspace_untouched() {
    let (dir, path) = seeded();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    let bad_dir = dir.path().join("bad");
    std::fs::create_dir(&bad_dir).unwrap();
    let before = file_bytes(&path);
    for (bad, expect) in bad_backups(&bad_dir, &good) {
        let bad_before = std::fs::metadata(&bad)
            .is_ok_and(|m| m.is_file())
            .then(|| file_bytes(&bad));
        let result = backups::restore(&path, &bad);
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
    let itself = backups::restore(&path, &path);
    assert!(
        matches!(&itself, Err(Error::BackupInvalid { reason, .. }) if reason.contains("workspace itself")),
        "{itself:?}"
    );
}

#[test]
fn restore_is_refused_while_a_window_has_the_workspace_open() {
    let (dir, path) = seeded();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    change(&path);
    let before = file_bytes(&path);
    let lock = WorkspaceLock::acquire(&path).unwrap();
    let refused = backups::restore(&path, &good);
    assert!(
        matches!(&refused, Err(Error::WorkspaceOpenElsewhere { pid: Some(pid), .. }) if *pid == std::process::id()),
        "{refused:?}"
    );
    assert_eq!(file_bytes(&path), before);
    drop(lock);
    backups::restore(&path, &good).unwrap();
}

#[test]
fn restore_replaces_a_damaged_or_missing_workspace_keeping_a_raw_copy() {
    let (dir, path) = seeded();
    let good = dir.path().join("good.db");
    backups::backup_now(&Store::open(&path).unwrap(), Some(&good)).unwrap();
    corrupt(&path);
    let damaged = file_bytes(&path);
    assert!(matches!(
        Store::open(&path),
        Err(Error::WorkspaceCorrupt { .. })
    ));
    let report = backups::restore(&path, &good).unwrap();
    assert_eq!(report.counts.firms, 10);
    assert!(workspace::check(&path).unwrap().is_healthy());
    let kept = PathBuf::from(report.previous_state.unwrap());
    assert_eq!(
        file_bytes(&kept),
        damaged,
        "the damaged file is kept byte for byte"
    );

    let elsewhere = dir.path().join("new place.db");
    let report = backups::restore(&elsewhere, &good).unwrap();
    assert_eq!(report.previous_state, None);
    assert_eq!(counts(&elsewhere).firms, 10);
    assert!(
        names_in(dir.path())
            .iter()
            .all(|n| !n.contains(".restoring-")),
        "no temporary file left: {:?}",
        names_in(dir.path())
    );
}

// ---- a read-only file system and a full disk (tmpfs; needs root, as in CI) ----

/// A small tmpfs mounted for one test and unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `None` (with the reason printed) when this process may not mount.
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            println!("skipped: cannot mount a tmpfs here (needs root, as in CI)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Before a backup the free space is checked: a nearly full disk gets a
/// plain message naming what is needed and what is free, and nothing is written.
#[test]
fn a_full_disk_fails_the_backup_cleanly_and_leaves_nothing_behind() {
    let Some(disk) = Tmpfs::mount("64k") else {
        return;
    };
    let (_dir, path) = seeded();
    let store = Store::open(&path).unwrap();
    let out = disk.path().join("backup.db");
    let result = backups::backup_now(&store, Some(&out));
    let Err(error @ Error::DiskSpace { .. }) = result else {
        panic!("{result:?}");
    };
    let message = error.to_string();
    assert!(
        message.starts_with("Not enough free disk space for a backup of the workspace")
            && message.contains(&disk.path().display().to_string()),
        "{message}"
    );
    assert_eq!(AppError::from(&error).kind, ErrorKind::Workspace);
    assert!(
        names_in(disk.path()).is_empty(),
        "{:?}",
        names_in(disk.path())
    );
    drop(store);

    // A workspace on a disk with room for itself but not its backup: the
    // import is told not to start, and the workspace is as it was.
    let workspace_size = std::fs::metadata(&path).unwrap().len();
    let Some(small) = Tmpfs::mount(&format!("{}k", workspace_size / 1024 + 48)) else {
        return;
    };
    let on_disk = small.path().join("workspace.db");
    std::fs::copy(&path, &on_disk).unwrap();
    let store = Store::open(&on_disk).unwrap();
    let before = workspace::stats(&store).unwrap();
    let result = backups::before_import(&store, 0);
    assert!(
        matches!(&result, Err(Error::DiskSpace { what, .. }) if what.contains("this import")),
        "{result:?}"
    );
    assert!(names_in(&backups::folder(&on_disk)).is_empty());
    assert_eq!(workspace::stats(&store).unwrap(), before);
    drop(store);
    assert!(workspace::check(&on_disk).unwrap().is_healthy());
}

#[test]
fn on_a_read_only_file_system_reads_and_backups_elsewhere_work() {
    let Some(disk) = Tmpfs::mount("4m") else {
        return;
    };
    let path = disk.path().join("workspace.db");
    seeded_file(&path);
    disk.remount_read_only();
    let outside = tempfile::tempdir().unwrap();

    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(workspace::stats(&store).unwrap().firms, 10);
    let result = backups::backup_now(&store, None);
    assert!(
        matches!(&result, Err(Error::BackupFailed { reason, .. }) if reason.contains("backups folder cannot be made")),
        "{result:?}"
    );
    let out = outside.path().join("rescued.db");
    backups::backup_now(&store, Some(&out)).unwrap();
    assert_eq!(counts(&out).firms, 10);

    // Writing is refused for what it is: the lock file cannot be made, nothing is replaced.
    let lock = WorkspaceLock::acquire(&path);
    assert!(
        matches!(&lock, Err(Error::WorkspaceUnwritable { .. })),
        "{lock:?}"
    );
    let restore = backups::restore(&path, &out);
    assert!(
        matches!(&restore, Err(Error::WorkspaceUnwritable { .. })),
        "{restore:?}"
    );
    assert!(matches!(
        workspace::open_or_init(&path, Seed::DefaultDataset),
        Err(Error::WorkspaceUnwritable { .. })
    ));
}
