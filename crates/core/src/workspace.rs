//! Use cases on a whole workspace: where it lives, opening it ready to use,
//! counting what it holds, and checking it for damage.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dataset::{self, Dataset};
use crate::error::{Error, Result};
use crate::model::{Stats, WorkspaceInfo};
use crate::store::{self, Store};

/// The app's identifier; the default workspace lives in the platform data folder under it.
pub const APP_IDENTIFIER: &str = "org.chipwatch.desktop";
/// Environment variable that picks the workspace file for the app and the CLI.
pub const WORKSPACE_ENV: &str = "CHIPWATCH_WORKSPACE";

/// `$CHIPWATCH_WORKSPACE`, else `<data dir>/org.chipwatch.desktop/workspace.db`
/// (on Linux `~/.local/share/...`), the same for the app and the CLI.
pub fn default_path() -> Result<PathBuf> {
    match std::env::var_os(WORKSPACE_ENV).filter(|p| !p.is_empty()) {
        Some(path) => Ok(PathBuf::from(path)),
        None => app_data_path(),
    }
}

/// The workspace in the platform's app data folder.
fn app_data_path() -> Result<PathBuf> {
    let data_dir = dirs::data_dir().ok_or_else(|| {
        Error::invalid(
            WORKSPACE_ENV,
            "no data folder is known for this user; set CHIPWATCH_WORKSPACE to a file path",
        )
    })?;
    Ok(data_dir.join(APP_IDENTIFIER).join("workspace.db"))
}

/// What `open_or_init` found or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A new workspace was made (and seeded unless asked not to).
    Created,
    Existing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    DefaultDataset,
    Empty,
}

/// Opens the workspace at `path`; a new one is created and, with
/// `Seed::DefaultDataset`, filled with the default dataset. The app data folder
/// is created on first use; a folder the user named must already exist.
pub fn open_or_init(path: &Path, seed: Seed) -> Result<(Store, Opened)> {
    if app_data_path().is_ok_and(|default| default == path) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
    }
    let mut store = Store::open(path)?;
    if !store.was_created() {
        return Ok((store, Opened::Existing));
    }
    if seed == Seed::DefaultDataset {
        dataset::load(&mut store, &Dataset::default_dataset()?)?;
    }
    Ok((store, Opened::Created))
}

pub fn stats(store: &Store) -> Result<Stats> {
    let count = |table: &str| -> Result<i64> {
        Ok(store
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })?)
    };
    Ok(Stats {
        firms: count("firms")?,
        strategies: count("strategies")?,
        assessments: count("assessments")?,
        chips: count("chips")?,
        sources: count("sources")?,
        notes: count("notes")?,
        events: count("events")?,
        tags: count("tags")?,
        import_batches: count("import_batches")?,
        comparisons: count("comparisons")?,
    })
}

pub fn info(store: &Store) -> Result<WorkspaceInfo> {
    Ok(WorkspaceInfo {
        path: store
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ":memory:".into()),
        schema_version: store.schema_version()?,
        counts: stats(store)?,
    })
}

/// Problems found by [`check`]; empty lists mean a healthy file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub path: String,
    pub schema_version: Option<i64>,
    /// Rows of `PRAGMA integrity_check` other than "ok".
    pub integrity: Vec<String>,
    /// One line per row that points at a missing parent.
    pub foreign_keys: Vec<String>,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty()
    }
}

/// Checks the workspace at `path` read-only: it is never modified, even when damaged.
pub fn check(path: &Path) -> Result<CheckReport> {
    let metadata = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if metadata.is_dir() {
        return Err(Error::WorkspaceIsDirectory {
            path: path.to_path_buf(),
        });
    }
    let mut report = CheckReport {
        path: path.display().to_string(),
        ..CheckReport::default()
    };
    let conn = store::open_read_only(path)?;
    match conn.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0)) {
        Ok(v) => report.schema_version = Some(v),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(Error::WorkspaceNotSqlite {
                path: path.to_path_buf(),
            });
        }
        Err(e) => {
            report.integrity.push(e.to_string());
            return Ok(report);
        }
    }
    match store::integrity_problems(&conn, "integrity_check") {
        Ok(problems) => report.integrity = problems,
        Err(e) => report.integrity.push(e.to_string()),
    }
    match foreign_key_problems(&conn) {
        Ok(problems) => report.foreign_keys = problems,
        Err(e) => report.foreign_keys.push(e.to_string()),
    }
    Ok(report)
}

fn foreign_key_problems(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |row| {
        let table: String = row.get(0)?;
        let rowid: Option<i64> = row.get(1)?;
        let parent: String = row.get(2)?;
        Ok(format!(
            "{table} row {} points at a missing row of {parent}",
            rowid.map_or("?".into(), |r| r.to_string())
        ))
    })?;
    rows.collect()
}
