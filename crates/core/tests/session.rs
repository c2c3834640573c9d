#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Opening workspaces as the app does, on real files: the lock, new and existing.
use chipwatch_core::session::{open, Open};
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::Error;

#[test]
fn a_workspace_open_in_one_window_is_refused_to_a_second_until_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let recent = dir.path().join("recent.json");
    let first = open(&path, Open::Default, Some(&recent)).unwrap();

    let second = open(&path, Open::Existing, Some(&recent));
    match second {
        Err(Error::WorkspaceOpenElsewhere { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
        other => panic!("expected WorkspaceOpenElsewhere, got {:?}", other.err()),
    }
    assert_eq!(
        workspace::stats(&first.store).unwrap().firms,
        15,
        "the first window's workspace is intact"
    );

    drop(first);
    let again = open(&path, Open::Existing, Some(&recent)).unwrap();
    assert_eq!(workspace::stats(&again.store).unwrap().firms, 15);
    assert_eq!(
        chipwatch_core::recent::list(&recent).len(),
        1,
        "remembered once"
    );
}

#[test]
fn new_never_replaces_a_file_and_existing_never_creates_one() {
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, b"my notes, not a workspace").unwrap();
    let refused = open(&taken, Open::New(Seed::Empty), None).err().unwrap();
    assert!(refused.to_string().contains("already exists"), "{refused}");
    assert_eq!(std::fs::read(&taken).unwrap(), b"my notes, not a workspace");

    let missing = dir.path().join("missing.db");
    assert!(open(&missing, Open::Existing, None).is_err());
    assert!(
        !missing.exists(),
        "opening an existing workspace never creates one"
    );

    let fresh = dir.path().join("新的 workspace.db");
    let opened = open(&fresh, Open::New(Seed::Empty), None).unwrap();
    assert_eq!(workspace::stats(&opened.store).unwrap().firms, 0);
}

/// Open workspace… on the file this window has open (by any spelling) is no
/// error: there is nothing to switch to. New workspace… never lands on the
/// open workspace's own files.
#[test]
fn switching_to_the_workspace_already_open_changes_nothing() {
    use chipwatch_core::session::switch;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("华为 notes.db");
    let recent = dir.path().join("recent.json");
    let open_now = open(&path, Open::Default, Some(&recent)).unwrap();
    let alias = dir.path().join("alias.db");
    std::os::unix::fs::symlink(&path, &alias).unwrap();

    for same in [
        path.clone(),
        alias.clone(),
        dir.path().join(".").join("华为 notes.db"),
    ] {
        let result = switch(Some(&path), &same, Open::Existing, Some(&recent));
        assert!(
            matches!(result, Ok(None)),
            "{}: {:?}",
            same.display(),
            result.err()
        );
    }
    let wal = dir.path().join("华为 notes.db-wal");
    let refused = switch(Some(&path), &wal, Open::New(Seed::Empty), None)
        .err()
        .unwrap();
    assert!(
        matches!(refused, Error::WouldOverwriteWorkspace { .. }),
        "{refused:?}"
    );
    assert_eq!(workspace::stats(&open_now.store).unwrap().firms, 15);

    let other = dir.path().join("other.db");
    let switched = switch(Some(&path), &other, Open::New(Seed::Empty), None).unwrap();
    assert!(switched.is_some());
}
