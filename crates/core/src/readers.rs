//! Read connections beside the one writer. In WAL mode a reader sees the last
//! committed state and never waits for a writer, so the screens that only read
//! (lists, profiles, search, the workspace summary) get connections of their
//! own and keep answering while an export, a restore or the end of an import
//! holds the writer. Connections are opened on first need (read-only, after
//! the same checks as any open) and kept for the next read.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Result;
use crate::store::Store;

/// How many idle read connections are kept; more may be open at once.
const KEEP_IDLE: usize = 4;

/// A workspace's read connections.
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Readers {
    /// Read connections to the workspace file at `path` (none is opened yet).
    pub fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` on a read connection of its own.
    pub fn read<T>(&self, read: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let store = match self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(store) => store,
            None => Store::open_read_only(&self.path)?,
        };
        let result = read(&store);
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < KEEP_IDLE {
                idle.push(store);
            }
        }
        result
    }
}
