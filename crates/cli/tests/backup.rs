//! `chipwatch backup`, `backups` and `restore` end to end, with bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chipwatch_core::lock::WorkspaceLock;
use common::*;

fn notes(path: &Path) -> i64 {
    json(&chipwatch(path, &["stats", "--json"]))["notes"]
        .as_i64()
        .unwrap()
}

fn add_note(path: &Path, title: &str) {
    let out = chipwatch(path, &["note", "add", "--title", title]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn backup_then_restore_brings_the_workspace_back() {
    let (dir, path) = initialised();
    let out_file = dir.path().join("备份 2026.db");
    let out = chipwatch(&path, &["backup", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!(
            "Backed up {} to {}",
            path.display(),
            out_file.display()
        )),
        "{}",
        stdout(&out)
    );
    let saved = notes(&path);
    add_note(&path, "华为 \"Ascend\", 'quoted' 🚀");
    assert_eq!(notes(&path), saved + 1);

    let out = chipwatch(&path, &["restore", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Restored") && text.contains("15 firms"),
        "{text}"
    );
    assert!(text.contains("kept as"), "{text}");
    assert_eq!(notes(&path), saved);
    assert!(chipwatch(&path, &["check"]).status.success());

    let listed = json(&chipwatch(&path, &["backups", "--json"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["reason"], "beforeRestore");
    let previous = listed[0]["path"].as_str().unwrap();
    assert_eq!(notes(Path::new(previous)), saved + 1, "the replaced state");
}

#[test]
fn backup_without_a_path_goes_to_the_backups_folder_and_is_listed() {
    let (dir, path) = initialised();
    let none = chipwatch(&path, &["backups"]);
    assert!(none.status.success());
    assert!(stdout(&none).contains("No backups"), "{}", stdout(&none));
    for _ in 0..2 {
        let out = chipwatch(&path, &["backup", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let info = json(&out);
        assert_eq!(info["reason"], "manual");
        assert!(info["path"]
            .as_str()
            .unwrap()
            .starts_with(&dir.path().join("x.db.backups/").display().to_string()));
    }
    let text = stdout(&chipwatch(&path, &["backups"]));
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().all(|l| l.contains("manual")), "{text}");
    // A named file is never overwritten.
    let out_file = dir.path().join("once.db");
    assert!(chipwatch(&path, &["backup", out_file.to_str().unwrap()])
        .status
        .success());
    let again = chipwatch(&path, &["backup", out_file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));
}

#[test]
fn restore_refuses_garbage_cut_short_and_newer_files_untouched() {
    let (dir, path) = initialised();
    let good = dir.path().join("good.db");
    assert!(chipwatch(&path, &["backup", good.to_str().unwrap()])
        .status
        .success());
    let bytes = std::fs::read(&good).unwrap();
    let garbage = dir.path().join("notes.csv");
    std::fs::write(&garbage, "title,作者\n\"Quoted, with comma\",🚀\n").unwrap();
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let newer = dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();

    add_note(&path, "kept");
    let before = std::fs::read(&path).unwrap();
    for (file, expect) in [
        (&garbage, "not an SQLite database"),
        (&cut, "damaged or incomplete"),
        (&newer, "newer Chipwatch"),
        (&dir.path().join("missing.db"), "does not exist"),
    ] {
        let out = chipwatch(&path, &["restore", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{file:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&file.display().to_string())
                && err.contains(expect)
                && err.contains("left untouched")
                && err.contains("chipwatch backups"),
            "{file:?}: {err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "{file:?}");
    }
    assert!(!dir.path().join("x.db.backups").exists());
}

#[test]
fn restore_waits_for_the_window_to_close_while_reads_and_writes_go_on() {
    let (dir, path) = initialised();
    let good = dir.path().join("good.db");
    assert!(chipwatch(&path, &["backup", good.to_str().unwrap()])
        .status
        .success());
    // This test process plays the app window: it holds the workspace lock.
    let window = WorkspaceLock::acquire(&path).unwrap();
    let out = chipwatch(&path, &["restore", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "is open in another Chipwatch window (pid {})",
            std::process::id()
        )),
        "{err}"
    );
    // Reads and short writes do not need the lock.
    assert!(chipwatch(&path, &["stats"]).status.success());
    add_note(&path, "written while the window is open");
    assert!(chipwatch(&path, &["backup"]).status.success());
    drop(window);
    let out = chipwatch(&path, &["restore", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_workspace_in_a_read_only_folder_can_be_backed_up_elsewhere_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let folder = dir.path().join("archive 档案");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("workspace.db");
    assert!(chipwatch(&path, &["init"]).status.success());
    let outside = dir.path().join("out");
    std::fs::create_dir(&outside).unwrap();
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(&path).unwrap();

    let out = chipwatch_unprivileged(dir.path(), &path, &["backup"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("backups folder cannot be made") && err.contains("workspace was not changed"),
        "{err}"
    );
    let target = outside.join("rescued.db");
    let out = chipwatch_unprivileged(dir.path(), &path, &["backup", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&chipwatch(&target, &["stats", "--json"]))["firms"], 15);
    let out = chipwatch_unprivileged(dir.path(), &path, &["restore", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("read-only") || stderr(&out).contains("cannot be"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn backup_files(path: &Path) -> Vec<String> {
    let folder = path.with_file_name(format!(
        "{}.backups",
        path.file_name().unwrap().to_string_lossy()
    ));
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".db"))
        .collect();
    names.sort();
    names
}

/// Ten `chipwatch backup`s, then restoring the oldest: it is put back, and
/// neither it nor any other backup a person made is deleted.
#[test]
fn restoring_the_oldest_of_ten_backups_keeps_it_and_puts_it_back() {
    let (_dir, path) = initialised();
    let first_notes = notes(&path);
    for i in 0..10 {
        if i > 0 {
            add_note(&path, &format!("note {i}: 芯片, \"quoted\" 🚀"));
        }
        let out = chipwatch(&path, &["backup"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let made = backup_files(&path);
    assert_eq!(made.len(), 10, "{made:?}");
    let oldest = path.with_file_name("x.db.backups").join(&made[0]);

    let out = chipwatch(&path, &["restore", oldest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(oldest.exists(), "the restored backup is still there");
    assert_eq!(notes(&path), first_notes);
    let after = backup_files(&path);
    assert_eq!(
        after.len(),
        11,
        "ten manual backups and the before-restore one: {after:?}"
    );
    assert!(made.iter().all(|m| after.contains(m)), "{after:?}");
    assert!(chipwatch(&path, &["check"]).status.success());
}

/// Imports rotate their own backups, never the ones a person made.
#[test]
fn a_dozen_imports_do_not_push_out_a_backup_made_on_purpose() {
    let (dir, path) = initialised();
    assert!(chipwatch(&path, &["backup"]).status.success());
    let manual = backup_files(&path);
    let csv = dir.path().join("sources.csv");
    std::fs::write(&csv, "Title,Url\n\"华为, Ascend\",https://example.com/a\n").unwrap();
    for _ in 0..12 {
        let out = chipwatch(&path, &["import", "sources", csv.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let after = backup_files(&path);
    assert!(after.contains(&manual[0]), "{after:?}");
    let automatic = after.iter().filter(|n| n.contains("before-import")).count();
    assert_eq!(automatic, 10, "{after:?}");
}

/// Adds a trigger that deletes every assessment when a note is added.
fn plant_trigger(file: &Path) {
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER wipe_assessments AFTER INSERT ON notes \
         BEGIN DELETE FROM assessments; END;",
    )
    .unwrap();
}

fn assessments(path: &Path) -> i64 {
    json(&chipwatch(path, &["stats", "--json"]))["assessments"]
        .as_i64()
        .unwrap()
}

/// A backup holding a trigger Chipwatch never made is refused by restore;
/// a workspace holding one is refused by every command and named by `check`.
#[test]
fn a_file_with_a_foreign_trigger_is_refused_and_named_by_check() {
    let (dir, path) = initialised();
    let kept = assessments(&path);
    assert!(kept > 0);
    let hostile = dir.path().join("hostile backup.db");
    let out = chipwatch(&path, &["backup", hostile.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    plant_trigger(&hostile);

    let out = chipwatch(&path, &["restore", hostile.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("trigger 'wipe_assessments'"),
        "{}",
        stderr(&out)
    );
    add_note(&path, "after the refused restore");
    assert_eq!(assessments(&path), kept, "nothing was restored");

    plant_trigger(&path);
    let out = chipwatch(&path, &["note", "add", "--title", "fires the trigger"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("wipe_assessments"),
        "{}",
        stderr(&out)
    );
    let out = chipwatch(&path, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        text.contains("extra trigger 'wipe_assessments' on 'notes'"),
        "{text}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM assessments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, kept, "the trigger never ran");
}

/// The lock and the backups folder belong to the real file: through a
/// symlink, a restore sees the open window, and backups land beside the file.
#[test]
fn a_symlink_to_a_workspace_shares_its_lock_and_its_backups() {
    let (dir, path) = initialised();
    let alias = dir.path().join("alias.db");
    std::os::unix::fs::symlink(&path, &alias).unwrap();
    let spare = dir.path().join("spare.db");
    assert!(chipwatch(&path, &["backup", spare.to_str().unwrap()])
        .status
        .success());

    let out = chipwatch(&alias, &["backup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(backup_files(&path).len(), 1);
    assert!(!dir.path().join("alias.db.backups").exists());

    let window = WorkspaceLock::acquire(&path).unwrap();
    let out = chipwatch(&alias, &["restore", spare.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("open in another Chipwatch window"),
        "{}",
        stderr(&out)
    );
    drop(window);
}
