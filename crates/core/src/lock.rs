//! One Chipwatch window per workspace: an advisory lock on a small file beside
//! the workspace (`.<file name>.lock`, e.g. `.workspace.db.lock`), taken with
//! `flock` (std's `File::try_lock`). The app takes it when it opens a workspace
//! and holds it until it closes it; a second window on the same file gets
//! [`Error::WorkspaceOpenElsewhere`] with the holder's pid. `chipwatch restore`
//! takes it too, so it never replaces a workspace a window has open.
//!
//! The lock is advisory and only between Chipwatch processes that ask for it:
//! the CLI's read commands and short writes do not, and SQLite's own locking
//! (WAL, busy timeout) keeps them safe beside an open window. The kernel drops
//! the lock when the holder exits, even by a crash or `kill -9`, so a stale lock
//! never blocks anyone. The lock file itself stays (deleting it would let two
//! processes lock two different files); it holds the pid of the last holder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held while alive; dropping it releases the lock.
#[derive(Debug)]
pub struct WorkspaceLock {
    _file: File,
    path: PathBuf,
}

impl WorkspaceLock {
    /// Takes the lock of the workspace at `workspace` without waiting. The
    /// workspace file itself need not exist yet; its folder must (see
    /// [`crate::workspace::prepare_folder`]). `session::open` takes it for the app.
    pub fn acquire(workspace: &Path) -> Result<WorkspaceLock> {
        let path = lock_path(workspace);
        let mut file = open_lock_file(workspace, &path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Error::WorkspaceOpenElsewhere {
                    path: workspace.to_path_buf(),
                    pid: read_pid(&mut file),
                })
            }
            Err(TryLockError::Error(source)) => return Err(Error::Io { path, source }),
        }
        // Best effort: the pid only makes the message more useful.
        let pid = std::process::id().to_string();
        let _ = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(pid.as_bytes()));
        Ok(WorkspaceLock { _file: file, path })
    }

    /// The pid of the process holding the lock of `workspace`, if any holds it.
    /// Never takes the lock for longer than the probe.
    pub fn holder(workspace: &Path) -> Option<u32> {
        match WorkspaceLock::acquire(workspace) {
            Err(Error::WorkspaceOpenElsewhere { pid, .. }) => pid.or(Some(0)),
            _ => None,
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `.<file name>.lock` beside the real workspace file (symlinks resolved, so
/// every spelling of one workspace shares one lock).
pub fn lock_path(workspace: &Path) -> PathBuf {
    crate::paths::lock_file(workspace)
}

fn open_lock_file(workspace: &Path, path: &Path) -> Result<File> {
    let created = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path);
    match created {
        Ok(file) => Ok(file),
        // A lock file another user made, or a read-only folder: a read-only
        // handle locks just as well.
        Err(first) => {
            OpenOptions::new()
                .read(true)
                .open(path)
                .map_err(|_| Error::WorkspaceUnwritable {
                    path: workspace.to_path_buf(),
                    reason: format!(
                        "its lock file {} cannot be created: {first}",
                        path.display()
                    ),
                })
        }
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
