//! Shared helpers for the core's integration tests: real files in temporary folders.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use chipwatch_core::dataset::{self, Dataset};
use chipwatch_core::Store;

/// A string with everything a user may type: Chinese, quotes, commas, newlines, emoji.
pub const TRICKY: &str = "华为 \"Ascend\", 'quoted'; line\nbreak 🚀";

pub fn temp_workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.db");
    (dir, path)
}

pub fn seeded_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    dataset::load(&mut store, &Dataset::default_dataset().unwrap()).unwrap();
    store
}

/// A seeded workspace file, closed so that everything is in the main file.
pub fn seeded_file(path: &Path) {
    let (store, _) = chipwatch_core::workspace::open_or_init(
        path,
        chipwatch_core::workspace::Seed::DefaultDataset,
    )
    .unwrap();
    drop(store);
}

/// A workspace as an older Chipwatch left it: the first `version` migrations
/// only, with one firm in it.
pub fn workspace_at_version(path: &Path, version: usize) {
    let conn = rusqlite::Connection::open(path).unwrap();
    for (_, sql) in &chipwatch_core::store::MIGRATIONS[..version] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version as i64)
        .unwrap();
    conn.execute(
        "INSERT INTO firms (name, kind, created_at, updated_at) VALUES ('Huawei', 'company', 'x', 'x')",
        [],
    )
    .unwrap();
}

/// A raw connection, for asserting what the database itself refuses.
pub fn raw_connection(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn
}

/// Overwrites every page after the first with garbage, keeping the header so
/// the file still looks like SQLite.
pub fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.len() > 8192,
        "need a database of several pages to damage"
    );
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i % 251) as u8;
    }
    std::fs::write(path, bytes).unwrap();
}

/// The index whose page [`damage_a_page_opening_never_reads`] damages: the
/// Trash's order, which opening, counting and searching never read.
pub const UNREAD_INDEX: &str = "trash_deleted_at";

/// Overwrites the root page of [`UNREAD_INDEX`] with garbage: damage that only
/// a read of the whole file (quick_check, integrity_check) finds, as a bad
/// disk sector would leave it. Returns the page's number.
pub fn damage_a_page_opening_never_reads(path: &Path) -> u64 {
    let page: i64 = {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [UNREAD_INDEX],
            |row| row.get(0),
        )
        .unwrap()
    };
    // Closed above, so every page is in the file itself (no -wal).
    let mut bytes = std::fs::read(path).unwrap();
    let page_size = 4096;
    let start = ((page as u64 - 1) * page_size) as usize;
    for (i, b) in bytes[start..start + page_size as usize]
        .iter_mut()
        .enumerate()
    {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(path, bytes).unwrap();
    page as u64
}

pub fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

pub fn firm_id(store: &Store, name: &str) -> i64 {
    chipwatch_core::firms::list(store, None)
        .unwrap()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap()
        .id
}

/// A seeded workspace file in a temporary folder.
pub fn seeded_workspace() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = temp_workspace();
    seeded_file(&path);
    (dir, path)
}

/// What the workspace at `path` holds, counted through a read-only open.
pub fn stats_of(path: &Path) -> chipwatch_core::model::Stats {
    chipwatch_core::workspace::stats(&Store::open_read_only(path).unwrap()).unwrap()
}

/// The names in `dir`, sorted; none when it does not exist.
pub fn names_in(dir: &Path) -> Vec<String> {
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
