//! The `chipwatch` binary end to end, on real files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn chipwatch(workspace: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chipwatch"))
        .arg("--workspace")
        .arg(workspace)
        .args(args)
        .env_remove("CHIPWATCH_WORKSPACE")
        .output()
        .unwrap()
}

/// Runs `chipwatch` without `--workspace`, so the environment picks the workspace.
fn chipwatch_env(args: &[&str], vars: &[(&str, &Path)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chipwatch"))
        .args(args)
        .env_remove("CHIPWATCH_WORKSPACE")
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn initialised() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let out = chipwatch(&path, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, path)
}

#[test]
fn init_then_stats_prints_the_seeded_counts() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["stats", "--json"]);
    assert!(out.status.success());
    let stats = json(&out);
    assert_eq!(stats["firms"], 10);
    assert_eq!(stats["strategies"], 4);
    assert_eq!(stats["chips"], 8);
    assert_eq!(stats["sources"], 6);
    assert_eq!(stats["import_batches"], 0);
}

#[test]
fn init_twice_leaves_the_workspace_as_it_is() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["init"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("already exists"));
    assert_eq!(json(&chipwatch(&path, &["stats", "--json"]))["firms"], 10);
}

#[test]
fn init_empty_creates_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    assert!(chipwatch(&path, &["init", "--empty"]).status.success());
    let stats = json(&chipwatch(&path, &["stats", "--json"]));
    assert!(
        stats.as_object().unwrap().values().all(|v| v == 0),
        "{stats}"
    );
}

#[test]
fn list_prints_json_rows_with_ids_and_names() {
    let (_dir, path) = initialised();
    for (entity, label) in [
        ("firms", "name"),
        ("chips", "name"),
        ("sources", "title"),
        ("notes", "title"),
        ("events", "title"),
        ("strategies", "name"),
    ] {
        let out = chipwatch(&path, &["list", entity, "--json"]);
        assert!(out.status.success(), "{entity}: {}", stderr(&out));
        let rows = json(&out);
        let rows = rows.as_array().unwrap();
        assert!(!rows.is_empty(), "{entity}");
        assert!(
            rows.iter()
                .all(|r| r["id"].is_i64() && r[label].is_string()),
            "{entity}: {rows:?}"
        );
    }
    let limited = json(&chipwatch(
        &path,
        &["list", "chips", "--json", "--limit", "2"],
    ));
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let text = stdout(&chipwatch(&path, &["list", "firms"]));
    assert!(text.contains("Huawei") && text.contains("华为"), "{text}");
}

#[test]
fn check_passes_on_a_healthy_workspace() {
    let (_dir, path) = initialised();
    let out = chipwatch(&path, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok"));
}

#[test]
fn a_corrupt_workspace_fails_check_and_is_refused_untouched() {
    let (_dir, path) = initialised();
    let mut bytes = std::fs::read(&path).unwrap();
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let out = chipwatch(&path, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("backup"), "{}", stderr(&out));
    let out = chipwatch(&path, &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("damaged") && stderr(&out).contains(&path.display().to_string()),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn bad_workspaces_exit_1_naming_the_path_and_stay_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text_file = dir.path().join("notes.csv");
    std::fs::write(&text_file, "title,作者\n\"Quoted, with comma\",🚀\n").unwrap();
    let newer = dir.path().join("newer.db");
    assert!(chipwatch(&newer, &["init"]).status.success());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();

    for (path, expect) in [
        (dir.path(), "is a folder"),
        (text_file.as_path(), "not a Chipwatch workspace"),
        (newer.as_path(), "newer Chipwatch"),
    ] {
        let before = std::fs::metadata(path)
            .unwrap()
            .is_file()
            .then(|| std::fs::read(path).unwrap());
        for args in [&["init"][..], &["stats"], &["list", "firms"]] {
            let out = chipwatch(path, args);
            assert_eq!(out.status.code(), Some(1), "{path:?} {args:?}");
            let err = stderr(&out);
            assert!(
                err.contains(expect) && err.contains(&path.display().to_string()),
                "{path:?} {args:?}: {err}"
            );
        }
        if let Some(before) = before {
            assert_eq!(
                std::fs::read(path).unwrap(),
                before,
                "{path:?} was modified"
            );
        }
    }
}

#[test]
fn a_missing_workspace_is_not_created_by_stats() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");
    let out = chipwatch(&path, &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("init"), "{}", stderr(&out));
    assert!(!path.exists());
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = chipwatch(&dir.path().join("x.db"), &["list", "widgets"]);
    assert_eq!(out.status.code(), Some(2));
    let out = chipwatch(
        &dir.path().join("x.db"),
        &["list", "firms", "--limit", "many"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_environment_variable_picks_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("从环境.db");
    let out = chipwatch_env(&["init"], &[("CHIPWATCH_WORKSPACE", &path)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(path.exists());
}

#[test]
fn without_a_path_the_app_data_folder_is_used_and_created() {
    let data_home = tempfile::tempdir().unwrap();
    let out = chipwatch_env(&["init"], &[("XDG_DATA_HOME", data_home.path())]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data_home
        .path()
        .join("org.chipwatch.desktop/workspace.db")
        .is_file());
}

#[test]
fn a_folder_the_user_named_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder/x.db");
    let out = chipwatch_env(&["init"], &[("CHIPWATCH_WORKSPACE", &path)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&path.display().to_string())
            && stderr(&out).contains("folder exists"),
        "{}",
        stderr(&out)
    );
    assert!(!path.parent().unwrap().exists());
}
