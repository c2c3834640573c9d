//! Backups (src/backups.rs) on real files, including a read-only file system
//! and a full disk. Restore's own tests are in restore.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chipwatch_core::backups::{self, BackupReason, KEEP};
use chipwatch_core::lock::WorkspaceLock;
use chipwatch_core::model::NoteDraft;
use chipwatch_core::store::SCHEMA_VERSION;
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{notes, restore, AppError, Error, ErrorKind, Store};
use common::*;

#[test]
fn backup_now_writes_one_self_contained_file_into_the_backups_folder() {
    let (dir, path) = seeded_workspace();
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
    assert_eq!(stats_of(&file), stats_of(&path));
}

#[test]
fn backup_now_to_a_path_or_a_folder_never_overwrites() {
    let (dir, path) = seeded_workspace();
    let store = Store::open(&path).unwrap();
    let out = dir.path().join("备份 \"copy\".db");
    let info = backups::backup_now(&store, Some(&out)).unwrap();
    assert_eq!(PathBuf::from(&info.path), out);
    assert_eq!(stats_of(&out), stats_of(&path));

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
    let (_dir, path) = seeded_workspace();
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
    let (_dir, path) = seeded_workspace();
    let mut store = Store::open(&path).unwrap();
    let manual = backups::backup_now(&store, None).unwrap();
    let spare = path.with_file_name("spare.db");
    backups::backup_now(&store, Some(&spare)).unwrap();
    let restored = restore::restore_into(&mut store, &spare).unwrap();
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
    let (_dir, path) = seeded_workspace();
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
    let (_dir, path) = seeded_workspace();
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
    assert_eq!(workspace::stats(&store).unwrap().firms, 15);
    let result = backups::backup_now(&store, None);
    assert!(
        matches!(&result, Err(Error::BackupFailed { reason, .. }) if reason.contains("backups folder cannot be made")),
        "{result:?}"
    );
    let out = outside.path().join("rescued.db");
    backups::backup_now(&store, Some(&out)).unwrap();
    assert_eq!(stats_of(&out).firms, 15);

    // Writing is refused for what it is: the lock file cannot be made, nothing is replaced.
    let lock = WorkspaceLock::acquire(&path);
    assert!(
        matches!(&lock, Err(Error::WorkspaceUnwritable { .. })),
        "{lock:?}"
    );
    let restore = restore::restore(&path, &out);
    assert!(
        matches!(&restore, Err(Error::WorkspaceUnwritable { .. })),
        "{restore:?}"
    );
    assert!(matches!(
        workspace::open_or_init(&path, Seed::DefaultDataset),
        Err(Error::WorkspaceUnwritable { .. })
    ));
}
