//! Putting a backup back as the workspace: a use case above backups.rs (the
//! backups it validates and takes), opening (`Store::open`, which upgrades and
//! indexes) and the workspace's counts for the report.
//!
//! The file is validated first (SQLite, Chipwatch's tables, a schema
//! no newer than this build whose every table, index, trigger and view is what
//! that version must hold, SQLite's full `integrity_check`) and copied into a
//! private temporary file before anything else happens (and upgraded there if
//! it is older), so nothing done to the backups folder afterwards can touch
//! it; the workspace's current state is backed up, then the copy's pages are written into the
//! live workspace by the same backup API as ONE write transaction of the
//! workspace: atomic and crash-safe like any commit (a crash leaves the old or
//! the restored state, never a mix), and safe beside other SQLite connections
//! (a `chipwatch` reader keeps its snapshot). Renaming a file over a WAL-mode
//! database is not: another connection's `-wal`/`-shm` files would then be
//! applied to the new file. Only a workspace SQLite cannot open (missing,
//! damaged, newer) is replaced by a temporary file + fsync + rename, after a
//! byte-for-byte copy of it is kept.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::backups::{
    backup_into_folder, copy_pages, fill_file, folder, folder_of, free_space_advice, io_reason,
    make_folder, new_backup_path, sqlite_reason, sync_folder, validate, BackupReason, CopyError,
    RestoreReport,
};
use crate::error::{Error, Result};
use crate::lock::WorkspaceLock;
use crate::paths;
use crate::store::{self, Store};

/// Puts the backup `from` back as the workspace at `workspace` (the CLI's
/// `restore`). Takes the workspace lock, so it is refused while a Chipwatch
/// window has the workspace open. See the module notes for how.
pub fn restore(workspace: &Path, from: &Path) -> Result<RestoreReport> {
    let from_version = validate(from)?;
    refuse_same_file(workspace, from)?;
    let lock = WorkspaceLock::acquire(workspace)?;
    let copy = RestoreCopy::take(workspace, from, from_version)?;
    let report = match Store::open(workspace) {
        Ok(mut store) => restore_locked(&mut store, &copy),
        // What SQLite cannot open as a workspace is replaced whole, after a raw copy.
        Err(
            Error::WorkspaceMissing { .. }
            | Error::WorkspaceBlank { .. }
            | Error::WorkspaceCorrupt { .. }
            | Error::WorkspaceTooNew { .. },
        ) => replace_file(workspace, copy),
        // A folder, another program's file, an unwritable or busy workspace: left alone.
        Err(other) => Err(other),
    }?;
    // The workspace is a checked backup now: an unclean shutdown before it
    // no longer calls for a check for damage (see lock.rs).
    if let Some(owed) = lock.owed_check() {
        owed.settle();
    }
    Ok(report)
}

/// Puts the backup `from` back into the workspace `store` has open (the app,
/// which holds the workspace lock already, see `session::open`); `store` is
/// reopened afterwards.
pub fn restore_into(store: &mut Store, from: &Path) -> Result<RestoreReport> {
    let from_version = validate(from)?;
    let Some(workspace) = store.path().map(Path::to_path_buf) else {
        return Err(Error::invalid(
            "workspace",
            "an in-memory workspace has no backups",
        ));
    };
    refuse_same_file(&workspace, from)?;
    let copy = RestoreCopy::take(&workspace, from, from_version)?;
    restore_locked(store, &copy)
}

fn refuse_same_file(workspace: &Path, from: &Path) -> Result<()> {
    if paths::same_file(workspace, from) {
        return Err(Error::BackupInvalid {
            path: from.to_path_buf(),
            reason: "it is the workspace itself".into(),
        });
    }
    Ok(())
}

/// A private copy of the backup being restored, taken before anything else
/// is written, and upgraded to this build's schema; deleted when dropped.
struct RestoreCopy {
    file: tempfile::NamedTempFile,
    from: PathBuf,
    from_version: i64,
}

impl RestoreCopy {
    fn take(workspace: &Path, from: &Path, from_version: i64) -> Result<RestoreCopy> {
        let dir = folder(workspace);
        make_folder(&dir)?;
        let from_bytes = std::fs::metadata(from).map(|m| m.len()).unwrap_or(0);
        let workspace_bytes = std::fs::metadata(workspace).map(|m| m.len()).unwrap_or(0);
        // The copy, then the backup of the state it replaces.
        crate::disk::ensure_free(
            &dir,
            from_bytes.saturating_add(workspace_bytes),
            "this restore (a copy of the backup and a backup of the current state)",
            &free_space_advice(workspace),
        )?;
        let unwritable = |reason: String| Error::BackupFailed {
            path: dir.clone(),
            reason,
        };
        let file = tempfile::Builder::new()
            .prefix(".restoring-")
            .suffix(".db")
            .tempfile_in(&dir)
            .map_err(|e| unwritable(io_reason(&e)))?;
        {
            let source = store::read_only_connection(from).map_err(|e| Error::BackupInvalid {
                path: from.to_path_buf(),
                reason: e.to_string(),
            })?;
            fill_file(&source, file.path()).map_err(|e| match e {
                CopyError::Busy => Error::WorkspaceBusy {
                    path: from.to_path_buf(),
                },
                CopyError::Sqlite(e) => unwritable(sqlite_reason(&e)),
            })?;
        }
        if from_version < store::SCHEMA_VERSION {
            crate::open::upgrade_copy(file.path())?;
        }
        file.as_file()
            .sync_all()
            .map_err(|e| unwritable(io_reason(&e)))?;
        Ok(RestoreCopy {
            file,
            from: from.to_path_buf(),
            from_version,
        })
    }
}

fn restore_locked(store: &mut Store, copy: &RestoreCopy) -> Result<RestoreReport> {
    let workspace = store.path().map(Path::to_path_buf).unwrap_or_default();
    let previous = backup_into_folder(store, BackupReason::BeforeRestore)?;
    let source = store::read_only_connection(copy.file.path())?;
    copy_pages(&source, store.conn_mut()).map_err(|e| match e {
        CopyError::Busy => Error::WorkspaceBusy {
            path: workspace.clone(),
        },
        CopyError::Sqlite(e) => store::cause(&workspace, e),
    })?;
    drop(source);
    *store = Store::open(&workspace)?;
    report(store, copy, Some(previous.path))
}

/// Replaces a workspace SQLite cannot open (missing, empty, damaged, newer)
/// with the restore copy: a raw copy of what was there is kept first, then
/// the copy is renamed over it.
fn replace_file(workspace: &Path, copy: RestoreCopy) -> Result<RestoreReport> {
    let previous = keep_raw_copy(workspace)?;
    let unwritable = |reason: String| Error::WorkspaceUnwritable {
        path: workspace.to_path_buf(),
        reason,
    };
    // The old file's journals would be replayed into the new one: they went
    // into the raw copy above.
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(paths::with_suffix(workspace, suffix));
    }
    let RestoreCopy {
        file,
        from,
        from_version,
    } = copy;
    file.persist(workspace)
        .map_err(|e| unwritable(e.error.to_string()))?;
    sync_folder(folder_of(workspace));
    let store = Store::open(workspace)?;
    let mut report = report_of(&store, &from, from_version)?;
    report.previous_state = previous;
    Ok(report)
}

fn report(store: &Store, copy: &RestoreCopy, previous: Option<String>) -> Result<RestoreReport> {
    let mut report = report_of(store, &copy.from, copy.from_version)?;
    report.previous_state = previous;
    Ok(report)
}

fn report_of(store: &Store, from: &Path, from_version: i64) -> Result<RestoreReport> {
    Ok(RestoreReport {
        workspace: store
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        restored_from: from.display().to_string(),
        from_version,
        schema_version: store.schema_version()?,
        previous_state: None,
        counts: crate::workspace::stats(store)?,
    })
}

/// A byte-for-byte copy of a workspace SQLite cannot open (and of its journals),
/// into the backups folder; `None` when there is nothing there worth keeping.
fn keep_raw_copy(workspace: &Path) -> Result<Option<String>> {
    if !std::fs::metadata(workspace).is_ok_and(|m| m.is_file() && m.len() > 0) {
        return Ok(None);
    }
    let version = raw_user_version(workspace).unwrap_or(0);
    let dest = new_backup_path(workspace, BackupReason::BeforeRestore, version)?;
    let failed = |path: &Path, e: std::io::Error| Error::BackupFailed {
        path: path.to_path_buf(),
        reason: io_reason(&e),
    };
    copy_file_synced(workspace, &dest).map_err(|e| failed(&dest, e))?;
    for suffix in ["-wal", "-journal"] {
        let journal = paths::with_suffix(workspace, suffix);
        if journal.exists() {
            let copy = paths::with_suffix(&dest, suffix);
            copy_file_synced(&journal, &copy).map_err(|e| failed(&copy, e))?;
        }
    }
    Ok(Some(dest.display().to_string()))
}

/// `user_version` from the header bytes (60..64), for naming a raw copy.
fn raw_user_version(path: &Path) -> Option<i64> {
    let mut header = [0u8; 64];
    std::io::Read::read_exact(&mut File::open(path).ok()?, &mut header).ok()?;
    Some(i64::from(i32::from_be_bytes([
        header[60], header[61], header[62], header[63],
    ])))
}

fn copy_file_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    let result = std::fs::copy(from, to).and_then(|_| File::open(to)?.sync_all());
    if result.is_err() {
        let _ = std::fs::remove_file(to);
    }
    result
}
