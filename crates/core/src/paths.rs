//! The files that make up a workspace on disk, and the rule that no file
//! Chipwatch writes for the user may be one of them.
//!
//! A workspace `w.db` is more than one file: SQLite keeps `w.db-wal`,
//! `w.db-shm` (or `w.db-journal`) beside it, Chipwatch keeps its lock
//! `.w.db.lock` and its backups in `w.db.backups/`. All of them are named
//! after the REAL file (symlinks resolved), so that `k-alias.db -> k.db` shares
//! `k.db`'s lock and backups instead of getting its own.
//!
//! Files are compared as the operating system sees them (device and inode),
//! so a symlink, a hard link, `./w.db` or `../dir/w.db` is caught as well as
//! the path as typed.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// `path` with symlinks and `.`/`..` resolved. A file that does not exist yet
/// is resolved through its folder; a folder that does not exist either leaves
/// the path as given (absolute).
pub fn real(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(folder), Some(name)) => match std::fs::canonicalize(folder) {
            Ok(folder) => folder.join(name),
            Err(_) => absolute.clone(),
        },
        _ => absolute,
    }
}

/// The lock file of a workspace: `.<file name>.lock` beside the real file.
pub fn lock_file(workspace: &Path) -> PathBuf {
    beside(workspace, |name| format!(".{name}.lock"))
}

/// The folder of a workspace's backups: `<file name>.backups` beside the real file.
pub fn backups_folder(workspace: &Path) -> PathBuf {
    beside(workspace, |name| format!("{name}.backups"))
}

/// `path` with `suffix` added to its file name (`w.db` + `-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn beside(workspace: &Path, name_of: impl Fn(&str) -> String) -> PathBuf {
    let real = real(workspace);
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".into());
    real.with_file_name(name_of(&name))
}

/// True when `a` and `b` are the same existing file (device and inode).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (file_id(a), file_id(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Device and inode of the file at `path` (symlinks followed).
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Refuses `dest`, a file Chipwatch is about to write for the user (an
/// export, a problems list, a chart, a backup to a chosen file, a new
/// workspace), when it is the workspace at `workspace` or one of its files:
/// the -wal, -shm and -journal beside it, its lock, or anything in its backups
/// folder. Existing files are compared by device and inode; a file that does
/// not exist yet by its real folder and name (a -wal appears and vanishes).
pub fn refuse_workspace_files(dest: &Path, workspace: &Path) -> Result<()> {
    let refuse = |what: &str| {
        Err(Error::WouldOverwriteWorkspace {
            path: dest.to_path_buf(),
            what: what.to_owned(),
        })
    };
    let real_workspace = real(workspace);
    let mut own_files: Vec<(PathBuf, &str)> = Vec::new();
    for base in [workspace.to_path_buf(), real_workspace.clone()] {
        own_files.push((base.clone(), "the open workspace itself"));
        own_files.push((
            with_suffix(&base, "-wal"),
            "the open workspace's write-ahead log (its -wal file)",
        ));
        own_files.push((
            with_suffix(&base, "-shm"),
            "the open workspace's shared-memory file (its -shm file)",
        ));
        own_files.push((
            with_suffix(&base, "-journal"),
            "the open workspace's journal",
        ));
    }
    own_files.push((lock_file(workspace), "the open workspace's lock file"));

    let dest_real = real(dest);
    for (file, what) in &own_files {
        if same_file(dest, file) || dest_real == real(file) {
            return refuse(what);
        }
    }
    let backups = backups_folder(workspace);
    let in_backups = dest_real
        .parent()
        .is_some_and(|folder| same_file(folder, &backups) || folder == real(&backups).as_path());
    if in_backups || same_file(dest, &backups) {
        return refuse("in the open workspace's backups folder");
    }
    Ok(())
}
