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
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
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

    write_atomically(&path, &bytes).unwrap();

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

    write_atomically(&path, b"<svg/>").unwrap();

    assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg/>");
    assert_eq!(names_in(dir.path()), ["chart.svg"]);
}

#[test]
fn empty_contents_make_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.svg");
    write_atomically(&path, b"").unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn a_folder_that_does_not_exist_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder").join("chart.png");

    let error = write_atomically(&path, b"png").unwrap_err();

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

    let error = write_atomically(&path, b"png").unwrap_err();

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

    let error = write_atomically(&path, b"png").unwrap_err();

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

    let error = write_atomically(&path, b"new").unwrap_err();

    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_names_path(&error, &path);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    assert_eq!(names_in(&folder), ["chart.png"]);
}
