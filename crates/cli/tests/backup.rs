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
        text.contains("Restored") && text.contains("10 firms"),
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
    assert_eq!(json(&chipwatch(&target, &["stats", "--json"]))["firms"], 10);
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
