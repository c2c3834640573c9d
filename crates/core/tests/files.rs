#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Writing a user's file whole or not at all, on real folders.
use std::path::Path;

use chipwatch_core::files::write_atomically;
use chipwatch_core::Error;

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The error's message names the file the user chose.
fn assert_names_path(error: &Error, path: &Path) {
    assert!(matches!(error, Error::ExportUnwritable { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "the message names {}: {message}",
        path.display()
    );
}

#[test]
fn a_new_file_holds_exactly_the_bytes_and_nothing_else_is_left_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("芯片 chart, \"3A090\" 📈.png");
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();

    write_atomically(&path, &bytes, None).unwrap();

    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(names_in(dir.path()), ["芯片 chart, \"3A090\" 📈.png"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode & 0o600,
            0o600,
            "the owner can read and write it: {mode:o}"
        );
        assert_eq!(
            mode & 0o044,
            0o044 & !umask_guess(),
            "readable like any new file: {mode:o}"
        );
    }
}

/// The mode bits a new file loses here (the process umask), read from /proc.
#[cfg(unix)]
fn umask_guess() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Umask:"))
                .and_then(|value| u32::from_str_radix(value.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

#[test]
fn an_existing_file_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chart.svg");
    std::fs::write(&path, "an older, much longer chart ".repeat(1000)).unwrap();

    write_atomically(&path, b"<svg/>", None).unwrap();

    assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg/>");
    assert_eq!(names_in(dir.path()), ["chart.svg"]);
}

#[test]
fn empty_contents_make_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.svg");
    write_atomically(&path, b"", None).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn a_folder_that_does_not_exist_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder").join("chart.png");

    let error = write_atomically(&path, b"png", None).unwrap_err();

    assert_names_path(&error, &path);
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn a_destination_under_a_file_is_an_error_and_leaves_the_file_alone() {
    // Unwritable even for root: the "folder" is a regular file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "keep me").unwrap();
    let path = file.join("chart.png");

    let error = write_atomically(&path, b"png", None).unwrap_err();

    assert_names_path(&error, &path);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert_eq!(names_in(dir.path()), ["notes.txt"]);
}

#[test]
fn a_folder_as_destination_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("charts");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("inside.txt"), "x").unwrap();

    let error = write_atomically(&path, b"png", None).unwrap_err();

    assert_names_path(&error, &path);
    assert!(error.to_string().contains("folder"), "{error}");
    assert_eq!(names_in(&path), ["inside.txt"]);
    assert_eq!(names_in(dir.path()), ["charts"]);
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_an_error_and_gets_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("read-only");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("chart.png"), "old").unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into a read-only folder anyway; then there is nothing to check.
    let probe = folder.join(".probe");
    if std::fs::write(&probe, "").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        println!("skipped: this user may write to a read-only folder (root)");
        return;
    }
    let path = folder.join("chart.png");

    let error = write_atomically(&path, b"new", None).unwrap_err();

    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_names_path(&error, &path);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    assert_eq!(names_in(&folder), ["chart.png"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_mode_and_a_symlink_keeps_pointing_at_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("私人 chart.png");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomically(&private, b"new", None).unwrap();
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");

    let link = dir.path().join("link.png");
    std::os::unix::fs::symlink(&private, &link).unwrap();
    write_atomically(&link, b"newer", None).unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&private).unwrap(), b"newer");
    assert_eq!(names_in(dir.path()), ["link.png", "私人 chart.png"]);

    let dangling = dir.path().join("dangling.png");
    std::os::unix::fs::symlink(dir.path().join("gone.png"), &dangling).unwrap();
    let error = write_atomically(&dangling, b"x", None).unwrap_err();
    assert!(error.to_string().contains("does not exist"), "{error}");
}

/// Every file Chipwatch writes for the user refuses the open workspace's own
/// files, whatever the spelling: a chart, a problems list, a backup to a
/// chosen file, an export.
#[cfg(unix)]
#[test]
fn the_workspace_and_its_files_are_never_written_over() {
    use chipwatch_core::backups;
    use chipwatch_core::workspace::{self, Seed};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let (store, _) = workspace::open_or_init(&path, Seed::DefaultDataset).unwrap();
    backups::backup_now(&store, None).unwrap();
    let link = dir.path().join("alias.db");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let hard = dir.path().join("hard.db");
    std::fs::hard_link(&path, &hard).unwrap();
    let before = std::fs::read(&path).unwrap();
    let own = [
        path.clone(),
        link,
        hard,
        dir.path().join("x").join("..").join("w.db"),
        dir.path().join("w.db-wal"),
        dir.path().join("w.db-shm"),
        dir.path().join("w.db-journal"),
        dir.path().join(".w.db.lock"),
        backups::folder(&path).join("any.csv"),
    ];
    std::fs::create_dir(dir.path().join("x")).unwrap();
    for dest in &own {
        let refused = |e: Error| {
            assert!(
                matches!(&e, Error::WouldOverwriteWorkspace { path, .. } if path == dest),
                "{}: {e:?}",
                dest.display()
            );
        };
        refused(write_atomically(dest, b"chart", Some(&path)).unwrap_err());
        refused(chipwatch_core::import::save_problems(dest, &[], &[], Some(&path)).unwrap_err());
        if !dest.exists() {
            refused(backups::backup_now(&store, Some(dest)).unwrap_err());
        }
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    drop(store);
    assert!(workspace::check(&path).unwrap().is_healthy());
}

#[test]
fn only_paths_the_person_chose_are_accepted() {
    use chipwatch_core::files::ChosenPaths;
    let chosen = ChosenPaths::default();
    let error = chosen.require("/etc/passwd").unwrap_err();
    assert!(matches!(error, Error::PathNotChosen { .. }), "{error:?}");
    assert!(
        error.to_string().contains("Choose the file again"),
        "{error}"
    );
    chosen.remember(Path::new("/home/分析师/导出 \"export\".csv"));
    assert_eq!(
        chosen.require("/home/分析师/导出 \"export\".csv").unwrap(),
        Path::new("/home/分析师/导出 \"export\".csv")
    );
    assert!(chosen.require("/home/分析师/other.csv").is_err());
}
