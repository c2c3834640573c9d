//! Opening workspaces the way the app does: the default one at start, another
//! existing one from the workspace menu, or a new one. The app holds the
//! workspace's lock while it has it open (one window per workspace, see
//! `lock.rs`); when the lock file says the last window did not close it
//! cleanly, a check for damage starts in the background (`damage_check.rs`).
//! Each success is put first in the recent list (see `recent.rs`).

use std::path::Path;

use crate::damage_check::DamageCheck;
use crate::error::{Error, Result};
use crate::lock::WorkspaceLock;
use crate::paths;
use crate::recent;
use crate::store::Store;
use crate::workspace::{self, Seed};

/// An open workspace and its lock; dropping it closes both.
pub struct OpenWorkspace {
    pub store: Store,
    pub lock: WorkspaceLock,
    /// Running after an unclean shutdown; `None` after a clean one.
    pub damage_check: Option<DamageCheck>,
}

/// What the workspace menu asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// The workspace at start: created and seeded when it does not exist yet.
    Default,
    /// An existing workspace the user chose; a missing file is an error, never created.
    Existing,
    /// A new workspace at a path where none exists yet.
    New(Seed),
}

/// Takes the workspace's lock, then opens (or creates) the workspace at
/// `path`, and remembers it in the recent list at `recent_list` (a failure to
/// remember is ignored: the list is a convenience). An older schema is
/// upgraded with a backup kept first. A workspace another window has open is
/// refused with `Error::WorkspaceOpenElsewhere`, untouched.
pub fn open(path: &Path, how: Open, recent_list: Option<&Path>) -> Result<OpenWorkspace> {
    if how == Open::Default {
        workspace::prepare_folder(path)?;
    }
    let lock = WorkspaceLock::acquire(path)?;
    let store = match how {
        Open::Default => workspace::open_or_init(path, Seed::DefaultDataset)?.0,
        Open::Existing => Store::open(path)?,
        Open::New(seed) => {
            // A file that holds anything is never replaced from "New workspace…".
            if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
                return Err(Error::invalid(
                    "path",
                    format!(
                        "{} already exists; choose another name, or open it with Open workspace…",
                        path.display()
                    ),
                ));
            }
            workspace::open_or_init(path, seed)?.0
        }
    };
    if let Some(list) = recent_list {
        let _ = recent::remember(list, path);
    }
    // On a thread of its own: the first screen never waits for it.
    let damage_check = lock.owed_check().map(|owed| DamageCheck::start(path, owed));
    Ok(OpenWorkspace {
        store,
        lock,
        damage_check,
    })
}

/// The workspace menu's Open and New: opens `path` in place of the workspace
/// open now (`current`, whose lock this process holds). Opening the very file
/// that is open (by device and inode, so a symlink or another spelling counts)
/// needs nothing: `None`. A new workspace is never one of the open
/// workspace's own files (its -wal, lock, backups).
pub fn switch(
    current: Option<&Path>,
    path: &Path,
    how: Open,
    recent_list: Option<&Path>,
) -> Result<Option<OpenWorkspace>> {
    if let Some(current) = current {
        if let Open::New(_) = how {
            paths::refuse_workspace_files(path, current)?;
        }
        if paths::same_file(current, path) {
            if let Some(list) = recent_list {
                let _ = recent::remember(list, current);
            }
            return Ok(None);
        }
    }
    open(path, how, recent_list).map(Some)
}
