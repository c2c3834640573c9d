//! The workspaces this user opened lately, newest first, for the app's
//! workspace menu. Kept in a small JSON file in the user's config folder
//! (`~/.config/org.chipwatch.desktop/recent-workspaces.json` on Linux), never
//! in a workspace, because it is about the person, not the data.
//!
//! The list is a convenience: a missing or unreadable file is an empty list,
//! and a failure to save it never stops the workspace from opening.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::workspace::APP_IDENTIFIER;

/// How many workspaces the menu remembers.
pub const RECENT_LIMIT: usize = 8;

const FILE_NAME: &str = "recent-workspaces.json";

/// A workspace in the recent list; `exists` is false when the file has gone
/// (moved, deleted, an unplugged drive), so the menu can grey it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentWorkspace {
    pub path: String,
    pub exists: bool,
}

/// Where the list is kept: `<config dir>/org.chipwatch.desktop/recent-workspaces.json`.
pub fn default_list_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join(APP_IDENTIFIER).join(FILE_NAME))
}

/// The remembered workspaces, newest first.
pub fn list(list_path: &Path) -> Vec<RecentWorkspace> {
    read(list_path)
        .into_iter()
        .map(|path| RecentWorkspace {
            exists: Path::new(&path).is_file(),
            path,
        })
        .collect()
}

/// Puts `workspace` first in the list, once, keeping at most `RECENT_LIMIT`.
/// The file is replaced whole (written beside it, then renamed), so a crash
/// leaves the old list or the new one.
pub fn remember(list_path: &Path, workspace: &Path) -> Result<()> {
    let workspace = std::path::absolute(workspace)
        .unwrap_or_else(|_| workspace.to_path_buf())
        .to_string_lossy()
        .into_owned();
    let mut paths = read(list_path);
    paths.retain(|p| *p != workspace);
    paths.insert(0, workspace);
    paths.truncate(RECENT_LIMIT);

    let io = |source| Error::Io {
        path: list_path.to_path_buf(),
        source,
    };
    let folder = list_path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(io)?;
    let json = serde_json::to_vec_pretty(&paths).map_err(|e| io(std::io::Error::other(e)))?;
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    std::io::Write::write_all(&mut temp, &json).map_err(io)?;
    temp.persist(list_path).map_err(|e| io(e.error))?;
    Ok(())
}

fn read(list_path: &Path) -> Vec<String> {
    std::fs::read(list_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<String>>(&bytes).ok())
        .unwrap_or_default()
}
