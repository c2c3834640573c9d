//! Opening a workspace ready to use. store.rs opens, creates and migrates the
//! file; the read-write ways in are defined here because they add what the
//! layers above keep in step with it: a backup before an upgrade (backups.rs)
//! and what is derived from the tables before every commit and when an open
//! finds rows queued for it: the search index (search/) and the records'
//! history and team outbox (records/). They stay `Store`'s own functions, so every
//! caller writes `Store::open(path)`.

use std::path::Path;

use rusqlite::Connection;

use crate::backups;
use crate::error::{Error, Result};
use crate::records;
use crate::search;
use crate::store::{Hooks, Opened, Store, MIGRATIONS};

/// A backup before an upgrade, the search index and history before each commit.
const HOOKS: Hooks = Hooks {
    before_upgrade: Some(backups::before_upgrade),
    before_commit: Some(derive_before_commit),
};

impl Store {
    /// Opens the workspace at `path`, or creates it with `fill` (run in the same
    /// transaction as the schema) when nothing or a blank file is there. When
    /// another process creates it first, that workspace is opened instead.
    pub fn open_or_create(
        path: &Path,
        fill: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<(Store, Opened)> {
        let (mut store, opened) = Store::open_or_create_with(path, fill, HOOKS)?;
        refresh_queued(&mut store)?;
        Ok((store, opened))
    }

    /// Opens an existing workspace for reading and writing. An older schema is
    /// backed up beside the file, then upgraded.
    pub fn open(path: &Path) -> Result<Store> {
        open_with(path, MIGRATIONS)
    }

    /// A private database for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::open_in_memory_with(HOOKS)
    }
}

/// `Store::open` with a given migration list, so tests can play a newer release.
fn open_with(path: &Path, migrations: &[(&str, &str)]) -> Result<Store> {
    let mut store = Store::open_existing(path, migrations, HOOKS)?;
    refresh_queued(&mut store)?;
    Ok(store)
}

/// Upgrades the private copy of a backup at `path` (see `restore::restore`)
/// to this build's schema, in place and without a backup of its own: the
/// backup it came from is the old state.
pub(crate) fn upgrade_copy(path: &Path) -> Result<()> {
    let no_backup = Hooks {
        before_upgrade: None,
        ..HOOKS
    };
    let mut store = Store::open_restore_copy(path, no_backup)?;
    refresh_queued(&mut store)?;
    store.close()
}

fn derive_before_commit(conn: &Connection) -> Result<()> {
    search::refresh(conn)?;
    records::seal(conn)
}

/// Rows a migration queued or another tool changed wait for the search
/// index and the history; a busy workspace leaves them for the next write.
fn refresh_queued(store: &mut Store) -> Result<()> {
    if search::has_pending(store.conn())? || records::has_queued(store.conn())? {
        match store.write(|_| Ok(())) {
            Ok(()) | Err(Error::WorkspaceBusy { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::store::{read_only_connection, SCHEMA_VERSION};

    /// Every way in distrusts the file's schema (SQLite's `trusted_schema`).
    #[test]
    fn every_connection_runs_with_an_untrusted_schema() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            path: "tmp".into(),
            source,
        })?;
        let path = dir.path().join("workspace.db");
        let trusted = |conn: &Connection| -> Result<i64> {
            Ok(conn.pragma_query_value(None, "trusted_schema", |row| row.get(0))?)
        };
        let (created, _) = Store::open_or_create(&path, |_| Ok(()))?;
        assert_eq!(trusted(created.conn())?, 0);
        drop(created);
        assert_eq!(trusted(Store::open(&path)?.conn())?, 0);
        assert_eq!(trusted(Store::open_read_only(&path)?.conn())?, 0);
        assert_eq!(trusted(&read_only_connection(&path)?)?, 0);
        assert_eq!(trusted(Store::open_in_memory()?.conn())?, 0);
        Ok(())
    }

    /// A release with one more migration must back the workspace up before upgrading it.
    #[test]
    fn an_upgrade_backs_up_the_workspace_first() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            path: "tmp".into(),
            source,
        })?;
        let path = dir.path().join("workspace.db");
        let (store, _) = Store::open_or_create(&path, |_| Ok(()))?;
        store.conn().execute(
            "INSERT INTO strategies (name, description) VALUES ('自研芯片', 'kept by the backup')",
            [],
        )?;
        drop(store);

        let mut next_release = MIGRATIONS.to_vec();
        next_release.push(("0099_test", "CREATE TABLE added_later (x TEXT);"));
        let upgraded = open_with(&path, &next_release)?;
        assert_eq!(upgraded.schema_version()?, SCHEMA_VERSION + 1);

        let backups: Vec<PathBuf> = crate::backups::list_backups(&path)?
            .into_iter()
            .filter(|b| {
                b.path
                    .ends_with(&format!("-before-upgrade-v{SCHEMA_VERSION}.db"))
            })
            .map(|b| PathBuf::from(b.path))
            .collect();
        assert_eq!(backups.len(), 1, "one backup in the backups folder");
        assert_eq!(
            upgraded.upgrade().map(|u| u.backup.clone()),
            Some(backups[0].clone())
        );
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
