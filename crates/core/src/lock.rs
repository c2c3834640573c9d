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
//! processes lock two different files).
//!
//! The lock file also tells whether the last holder closed the workspace
//! cleanly: it holds `<pid> open` while held and `<pid> closed` after a clean
//! release. A crash, a `kill -9` or a power cut leaves `open` with nobody
//! holding the lock: an unclean shutdown, after which the app checks the file
//! for damage in the background (`damage_check.rs`), since opening never reads
//! the whole file. Until that check finds no damage the marker stays `open`,
//! so a check cut short by another crash is owed again. Reading the marker
//! ([`unclean_shutdown`]) takes no lock and writes nothing, so the CLI's reads
//! never disturb it. A lone pid (what older releases wrote) counts as clean.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

/// Held while alive; dropping it releases the lock and, unless a check for
/// damage is still owed, marks the close clean.
#[derive(Debug)]
pub struct WorkspaceLock {
    file: File,
    path: PathBuf,
    /// The previous holder did not close the workspace cleanly.
    unclean_before: bool,
    /// True while the check that an unclean shutdown calls for has not found
    /// the file healthy; the lock file then keeps saying `open` after release.
    check_owed: Arc<AtomicBool>,
}

/// The check for damage an unclean shutdown calls for, handed to whoever runs
/// it; settling it lets the next clean release mark the close clean again.
#[derive(Debug, Clone)]
pub struct OwedCheck(Arc<AtomicBool>);

impl OwedCheck {
    /// The check found no damage (or a checked backup replaced the file).
    pub fn settle(&self) {
        self.0.store(false, Ordering::Release);
    }
}

/// What the lock file of a workspace says about its last holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UncleanShutdown {
    /// The process that had it open, if the file says.
    pub pid: Option<u32>,
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
                    pid: read_marker(&mut file).and_then(|marker| marker.pid),
                })
            }
            Err(TryLockError::Error(source)) => return Err(Error::Io { path, source }),
        }
        let unclean_before = read_marker(&mut file).is_some_and(|marker| marker.open);
        // Best effort: the marker is for the next opener's benefit, and a
        // read-only lock file (another user's) locks all the same.
        let _ = write_marker(&mut file, "open");
        Ok(WorkspaceLock {
            file,
            path,
            unclean_before,
            check_owed: Arc::new(AtomicBool::new(unclean_before)),
        })
    }

    /// The pid of the process holding the lock of `workspace`, if any holds it.
    /// Only probes (a shared lock for a moment): never writes the lock file.
    pub fn holder(workspace: &Path) -> Option<u32> {
        let mut file = File::open(lock_path(workspace)).ok()?;
        match file.try_lock_shared() {
            Err(TryLockError::WouldBlock) => read_marker(&mut file)
                .and_then(|marker| marker.pid)
                .or(Some(0)),
            _ => None,
        }
    }

    /// Whether the previous holder left without closing the workspace cleanly
    /// (or before a check for damage it owed found none).
    pub fn unclean_before(&self) -> bool {
        self.unclean_before
    }

    /// The check for damage this holder owes, after an unclean shutdown.
    pub fn owed_check(&self) -> Option<OwedCheck> {
        self.unclean_before
            .then(|| OwedCheck(Arc::clone(&self.check_owed)))
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

impl Drop for WorkspaceLock {
    fn drop(&mut self) {
        // A crash never gets here, so the file keeps saying `open`.
        if !self.check_owed.load(Ordering::Acquire) {
            let _ = write_marker(&mut self.file, "closed");
        }
    }
}

/// Whether the workspace at `workspace` was left by an unclean shutdown: its
/// lock file says `open` and nobody holds the lock. Takes no lock (a shared
/// one for a moment) and writes nothing, so a read-only command may ask;
/// `None` too when there is no lock file.
pub fn unclean_shutdown(workspace: &Path) -> Option<UncleanShutdown> {
    let mut file = File::open(lock_path(workspace)).ok()?;
    let marker = read_marker(&mut file).filter(|marker| marker.open)?;
    file.try_lock_shared().ok()?;
    Some(UncleanShutdown { pid: marker.pid })
}

/// After a full check found the workspace healthy (`chipwatch check`): its
/// lock file stops saying the last close was unclean. Does nothing when there
/// is no such marker or a window holds the lock; true when it cleared one.
pub fn settle_unclean_shutdown(workspace: &Path) -> bool {
    if unclean_shutdown(workspace).is_none() {
        return false;
    }
    match WorkspaceLock::acquire(workspace) {
        Ok(lock) => {
            if let Some(owed) = lock.owed_check() {
                owed.settle();
            }
            true
        }
        Err(_) => false,
    }
}

/// `<pid> open` or `<pid> closed`, as read back.
#[derive(Debug, Clone, Copy)]
struct Marker {
    pid: Option<u32>,
    open: bool,
}

fn read_marker(file: &mut File) -> Option<Marker> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(64).read_to_string(&mut text).ok()?;
    let mut words = text.split_whitespace();
    let pid = words.next().and_then(|word| word.parse().ok());
    Some(Marker {
        pid,
        open: words.next() == Some("open"),
    })
}

fn write_marker(file: &mut File, state: &str) -> std::io::Result<()> {
    let text = format!("{} {state}\n", std::process::id());
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())
}
