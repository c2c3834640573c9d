//! The workspace: one SQLite file.
//!
//! How to add a table or a field: add `migrations/NNNN_what.sql` (next number,
//! one concern per file), append it to [`MIGRATIONS`], and extend the tests in
//! `tests/store.rs`. Never edit a migration that has shipped: databases in the
//! field have already run it. `user_version` holds the number of migrations run.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// Numbered migrations, applied in order; the position + 1 is the schema version.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_firm_chips",
        include_str!("../migrations/0002_firm_chips.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    created: bool,
}

impl Store {
    /// Opens the workspace at `path`, creating it if missing, and migrates it.
    /// Refuses, without writing a byte, a folder, a non-SQLite file, another
    /// program's database, a damaged database and one written by a newer Chipwatch. An existing workspace is
    /// backed up before a migration changes it.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, MIGRATIONS)
    }

    /// `open` with a given migration list, so tests can play a newer release.
    fn open_with(path: &Path, migrations: &[(&str, &str)]) -> Result<Store> {
        let latest = migrations.len() as i64;
        let existing = inspect_existing(path, latest)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| unwritable(path, &e))?;
        // SQLite silently falls back to read-only on a write-protected file.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            return Err(Error::WorkspaceUnwritable {
                path: path.to_path_buf(),
                reason: "the file is read-only".into(),
            });
        }
        configure(&conn).map_err(|e| unwritable(path, &e))?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            created: existing.unwrap_or(0) == 0,
        };
        if let Some(version) = existing.filter(|v| *v > 0 && *v < latest) {
            store.backup_to(&backup_path(path, version))?;
        }
        store.migrate(migrations).map_err(|e| match e {
            Error::Sqlite(e) => unwritable(path, &e),
            other => other,
        })?;
        Ok(store)
    }

    /// A private database for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        configure(&conn)?;
        let mut store = Store {
            conn,
            path: None,
            created: true,
        };
        store.migrate(MIGRATIONS)?;
        Ok(store)
    }

    /// The file behind the store; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when `open` made a new workspace (so the caller may seed it).
    pub fn was_created(&self) -> bool {
        self.created
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// An online copy of the whole database (SQLite's backup API), safe while open.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.conn
            .backup(
                rusqlite::MAIN_DB,
                dest,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|e| Error::WorkspaceUnwritable {
                path: dest.to_path_buf(),
                reason: e.to_string(),
            })
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn migrate(&mut self, migrations: &[(&str, &str)]) -> Result<()> {
        let current = self.schema_version()?;
        let tx = self.conn.transaction()?;
        for (index, (_, sql)) in migrations.iter().enumerate().skip(current.max(0) as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // journal_mode answers with a row, so it is queried rather than updated.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// Checks an existing file read-only before anything may write to it.
/// `None` when there is no file yet at `path` (or an empty one), else the schema
/// version (at most `latest`); 0 means an SQLite file with no tables.
fn inspect_existing(path: &Path, latest: i64) -> Result<Option<i64>> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(e)),
    };
    if metadata.is_dir() {
        return Err(Error::WorkspaceIsDirectory {
            path: path.to_path_buf(),
        });
    }
    if metadata.len() == 0 {
        return Ok(None);
    }
    let mut header = [0u8; 16];
    let mut file = File::open(path).map_err(io_error)?;
    let read = file.read(&mut header).map_err(io_error)?;
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(Error::WorkspaceNotSqlite {
            path: path.to_path_buf(),
        });
    }
    let conn = open_read_only(path)?;
    let read = |sql: &str| {
        conn.query_row(sql, [], |row| row.get::<_, i64>(0))
            .map_err(|e| corrupt(path, e.to_string()))
    };
    let version = read("PRAGMA user_version")?;
    // Version 0 with tables is another program's database: never add our schema to it.
    if version == 0 && read("SELECT count(*) FROM sqlite_schema")? > 0 {
        return Err(Error::WorkspaceForeign {
            path: path.to_path_buf(),
        });
    }
    if version > latest {
        return Err(Error::WorkspaceTooNew {
            path: path.to_path_buf(),
            found: version,
            supported: latest,
        });
    }
    let problems =
        integrity_problems(&conn, "quick_check").map_err(|e| corrupt(path, e.to_string()))?;
    if let Some(first) = problems.first() {
        return Err(corrupt(path, first.clone()));
    }
    Ok(Some(version))
}

pub(crate) fn open_read_only(path: &Path) -> Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| corrupt(path, e.to_string()))
}

/// Rows of `PRAGMA integrity_check` / `quick_check` other than the single "ok".
pub(crate) fn integrity_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

fn backup_path(path: &Path, version: i64) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".backup-v{version}-{stamp}"));
    PathBuf::from(name)
}

fn corrupt(path: &Path, detail: String) -> Error {
    Error::WorkspaceCorrupt {
        path: path.to_path_buf(),
        detail,
    }
}

fn unwritable(path: &Path, error: &rusqlite::Error) -> Error {
    Error::WorkspaceUnwritable {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A release with one more migration must back the workspace up before upgrading it.
    #[test]
    fn an_upgrade_backs_up_the_workspace_first() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            path: "tmp".into(),
            source,
        })?;
        let path = dir.path().join("workspace.db");
        let store = Store::open(&path)?;
        store.conn().execute(
            "INSERT INTO strategies (name, description) VALUES ('自研芯片', 'kept by the backup')",
            [],
        )?;
        drop(store);

        let mut next_release = MIGRATIONS.to_vec();
        next_release.push(("0099_test", "CREATE TABLE added_later (x TEXT);"));
        let upgraded = Store::open_with(&path, &next_release)?;
        assert_eq!(upgraded.schema_version()?, SCHEMA_VERSION + 1);

        let backups: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .map_err(|source| Error::Io {
                path: dir.path().into(),
                source,
            })?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.to_string_lossy()
                    .contains(&format!(".backup-v{SCHEMA_VERSION}-"))
            })
            .collect();
        assert_eq!(backups.len(), 1, "one backup beside the workspace");
        let backup = Store::open(&backups[0])?;
        assert_eq!(
            backup.schema_version()?,
            SCHEMA_VERSION,
            "the backup holds the old version"
        );
        let kept: String =
            backup
                .conn()
                .query_row("SELECT description FROM strategies", [], |row| row.get(0))?;
        assert_eq!(kept, "kept by the backup");
        Ok(())
    }
}
