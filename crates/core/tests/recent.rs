#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The recent-workspaces list on a real config file.
use chipwatch_core::recent::{list, remember, RECENT_LIMIT};

#[test]
fn the_newest_workspace_comes_first_once_and_the_list_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let list_path = dir.path().join("config").join("recent.json");
    assert!(list(&list_path).is_empty(), "no file is an empty list");

    let workspaces: Vec<_> = (0..RECENT_LIMIT + 2)
        .map(|i| {
            let path = dir.path().join(format!("研究 {i}, \"quoted\".db"));
            std::fs::write(&path, b"").unwrap();
            path
        })
        .collect();
    for path in &workspaces {
        remember(&list_path, path).unwrap();
    }
    remember(&list_path, &workspaces[RECENT_LIMIT]).unwrap();

    let recent = list(&list_path);
    assert_eq!(recent.len(), RECENT_LIMIT);
    assert!(
        recent[0]
            .path
            .ends_with(&format!("研究 {RECENT_LIMIT}, \"quoted\".db")),
        "{recent:?}"
    );
    assert!(recent[1]
        .path
        .ends_with(&format!("研究 {}, \"quoted\".db", RECENT_LIMIT + 1)));
    assert_eq!(
        recent
            .iter()
            .filter(|r| r.path.contains(&format!("研究 {RECENT_LIMIT},")))
            .count(),
        1
    );
    assert!(
        !recent.iter().any(|r| r.path.contains("研究 0,")),
        "the oldest fall off"
    );

    std::fs::remove_file(&workspaces[RECENT_LIMIT]).unwrap();
    assert!(
        !list(&list_path)[0].exists,
        "a vanished workspace is kept but marked"
    );
}

#[test]
fn a_damaged_list_reads_as_empty_and_is_replaced_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let list_path = dir.path().join("recent.json");
    std::fs::write(&list_path, b"{not json").unwrap();
    assert!(list(&list_path).is_empty());
    remember(&list_path, &dir.path().join("w.db")).unwrap();
    assert_eq!(list(&list_path).len(), 1);
}
