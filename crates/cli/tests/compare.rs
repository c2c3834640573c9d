//! `chipwatch export comparison` and `chipwatch compare` end to end, on real files.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_comparison_writes_every_format() {
    let (dir, path) = initialised();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for (format, name) in [
        ("xlsx", "c.xlsx"),
        ("csv", "c.csv"),
        ("csv-long", "c-long.csv"),
        ("md", "c.md"),
    ] {
        let file = out.join(name);
        let o = chipwatch(
            &path,
            &[
                "export",
                "comparison",
                "--firms",
                "Huawei,百度,  nvidia ",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(stdout(&o).contains("3 firms"), "{}", stdout(&o));
    }
    assert_eq!(files_in(&out), ["c-long.csv", "c.csv", "c.md", "c.xlsx"]);
    let csv = std::fs::read_to_string(out.join("c.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}\"Firm\""), "{csv}");
    assert!(csv.contains("\"Baidu (百度)\""), "{csv}");
    // A number alone in its column, the chip it rests on beside it, so a
    // spreadsheet sorts and sums it.
    assert!(csv.contains("\"Best TPP\",\"Best TPP: based on\""), "{csv}");
    assert!(csv.contains("\"6016\",\"Ascend 910B\""), "{csv}");
}

#[test]
fn dimensions_by_id_or_label_and_a_date_window() {
    let (dir, path) = initialised();
    let file = dir.path().join("w.csv");
    let o = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--all-firms",
            "--dimensions",
            "country,chips:bestTpp,In-house chips: stance",
            "--from",
            "2023",
            "--to",
            "2024-06",
            "--format",
            "csv",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "\u{feff}\"Firm\",\"Country\",\"Best TPP\",\"Best TPP: based on\",\"Best TPP: sources\",\
         \"In-house chips: stance\",\"In-house chips: stance: sources\""
    );
    assert_eq!(text.lines().count(), 16, "fifteen seeded firms");

    let bad = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--all-firms",
            "--dimensions",
            "colour",
            "--format",
            "csv",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("'colour' is not a dimension"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn an_unknown_firm_is_named_with_near_matches_and_nothing_is_written() {
    let (dir, path) = initialised();
    let file = dir.path().join("never.xlsx");
    let o = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--firms",
            "Huawei,Huawai",
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("'Huawai'") && err.contains("did you mean Huawei"),
        "{err}"
    );
    assert!(!file.exists());
}

#[test]
fn an_empty_selection_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    assert!(chipwatch(&path, &["init", "--empty"]).status.success());
    let file = dir.path().join("none.csv");
    let o = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--all-firms",
            "--format",
            "csv",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the workspace has no firms"),
        "{}",
        stderr(&o)
    );
    assert!(!file.exists());
    assert_eq!(
        files_in(dir.path())
            .iter()
            .filter(|f| f.contains("none"))
            .count(),
        0
    );
}

#[test]
fn a_saved_comparison_exports_with_the_changes_since_its_last_export() {
    let (dir, path) = initialised();
    let o = chipwatch(
        &path,
        &[
            "compare",
            "save",
            "Chip makers 芯片",
            "--stance-on",
            "In-house chips",
            "--stale-before",
            "2023-10-17",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = chipwatch(&path, &["compare", "list", "--json"]);
    let saved: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(saved[0]["name"], "Chip makers 芯片");
    assert_eq!(saved[0]["lastExportedAt"], serde_json::Value::Null);

    let first = dir.path().join("first.xlsx");
    let o = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--saved",
            "chip makers 芯片",
            "--format",
            "xlsx",
            "--out",
            first.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("First export"), "{}", stdout(&o));
    let second = dir.path().join("second.md");
    let o = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--saved",
            "Chip makers 芯片",
            "--format",
            "md",
            "--out",
            second.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["changes"]["changes"], serde_json::json!([]));
    assert!(std::fs::read_to_string(&second)
        .unwrap()
        .contains("Nothing changed since the last export"));

    let o = chipwatch(
        &path,
        &[
            "export",
            "comparison",
            "--saved",
            "Nope",
            "--format",
            "md",
            "--out",
            "x.md",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the saved ones are: Chip makers 芯片"),
        "{}",
        stderr(&o)
    );

    assert!(chipwatch(&path, &["compare", "delete", "CHIP MAKERS 芯片"])
        .status
        .success());
    assert!(stdout(&chipwatch(&path, &["compare", "list"])).contains("No saved comparisons"));
    assert!(chipwatch(&path, &["check"]).status.success());
}

#[test]
fn a_read_only_folder_is_refused_with_its_path_and_left_empty() {
    let (dir, path) = initialised();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let locked = dir.path().join("read-only 只读");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let file = locked.join("c.xlsx");
    let o = chipwatch_unprivileged(
        dir.path(),
        &path,
        &[
            "export",
            "comparison",
            "--firms",
            "Huawei",
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains(file.to_str().unwrap()), "{err}");
    assert!(err.contains("you may not write to the folder"), "{err}");
    assert!(files_in(&locked).is_empty());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn dimensions_are_listed_with_their_ids() {
    let (_dir, path) = initialised();
    let o = chipwatch(&path, &["compare", "dimensions", "--json"]);
    assert!(o.status.success());
    let all: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(all[0]["id"], "profile:country");
    assert_eq!(all.as_array().unwrap().len(), 22);
    let text = stdout(&chipwatch(&path, &["compare", "dimensions"]));
    assert!(text.contains("strategy:1:stance"), "{text}");
}

fn export_csv_to(workspace: &Path, out: &Path) -> std::process::Output {
    chipwatch(
        workspace,
        &[
            "export",
            "comparison",
            "--firms",
            "Huawei",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

/// `export --out` naming the open workspace, however spelled, or one of its
/// own files, is refused with the reason, and the workspace stays whole.
#[test]
fn an_export_never_replaces_the_workspace_or_its_files() {
    let (dir, path) = initialised();
    assert!(chipwatch(&path, &["backup"]).status.success());
    let firms_before = json(&chipwatch(&path, &["stats", "--json"]))["firms"].clone();
    let backup = std::fs::read_dir(dir.path().join("x.db.backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let link = dir.path().join("link to workspace.db");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let spelled = dir.path().join("sub").join("..").join("x.db");
    let targets = [
        (path.clone(), "the open workspace itself"),
        (spelled, "the open workspace itself"),
        (link, "the open workspace itself"),
        (dir.path().join("x.db-wal"), "write-ahead log"),
        (dir.path().join("x.db-shm"), "shared-memory"),
        (dir.path().join(".x.db.lock"), "lock file"),
        (backup.clone(), "backups folder"),
        (
            dir.path().join("x.db.backups").join("new.csv"),
            "backups folder",
        ),
    ];
    let workspace_bytes = std::fs::read(&path).unwrap();
    let backup_bytes = std::fs::read(&backup).unwrap();
    for (out, why) in targets {
        let o = export_csv_to(&path, &out);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}: {}",
            out.display(),
            stdout(&o)
        );
        let message = stderr(&o);
        assert!(
            message.contains(why) && message.contains("never writes over it"),
            "{}: {message}",
            out.display()
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), workspace_bytes);
    assert_eq!(std::fs::read(&backup).unwrap(), backup_bytes);
    assert!(chipwatch(&path, &["check"]).status.success());
    assert_eq!(
        json(&chipwatch(&path, &["stats", "--json"]))["firms"],
        firms_before
    );
}

/// Replacing a file keeps what the person set on it: its mode, and a
/// symlink stays a link whose target gets the new contents.
#[test]
fn an_export_over_a_file_keeps_its_mode_and_a_link_stays_a_link() {
    let (dir, path) = initialised();
    let private = dir.path().join("private, 私人.csv");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = export_csv_to(&path, &private);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the mode is kept: {mode:o}");
    assert!(std::fs::read_to_string(&private)
        .unwrap()
        .contains("Huawei"));

    let target = dir.path().join("shared").join("sheet.csv");
    std::fs::create_dir(target.parent().unwrap()).unwrap();
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("sheet-link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = export_csv_to(&path, &link);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert!(std::fs::read_to_string(&target).unwrap().contains("Huawei"));
    assert_eq!(files_in(target.parent().unwrap()), ["sheet.csv"]);
}
