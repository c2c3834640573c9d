//! The workspace: one SQLite file.
//!
//! How to add a table or a field: add `migrations/NNNN_what.sql` (next number,
//! one concern per file), append it to [`MIGRATIONS`], and extend the tests in
//! `tests/store.rs`. Never edit a migration that has shipped: databases in the
//! field have already run it. `user_version` holds the number of migrations run.
//!
//! Three ways in, so that nothing writes by accident:
//! - [`Store::open_or_create`] (the app, `init`): a new workspace is built whole in
//!   a temporary file beside the target and renamed into place, so a crash leaves
//!   either no workspace or a complete one; an older one is backed up (into
//!   `<file>.backups/`, see `backups.rs`) and upgraded.
//! - [`Store::open`]: an existing workspace, read-write (upgraded if older).
//! - [`Store::open_read_only`]: an existing workspace, never written.
//!
//! The read-write ways in (and `open_in_memory`) are defined in `open.rs`: they
//! add a backup before an upgrade and the search index before each commit
//! through `Hooks`, so that this storage layer calls neither backups nor search.
//!
//! Every existing file is inspected read-only first; a folder, a non-SQLite file,
//! another program's database, a schema that is not what its version holds, a
//! file too damaged to read its header and schema, or a newer schema is refused
//! before anything is written. Inspecting reads the header and `sqlite_schema`
//! only, so opening costs the same at 1 MB and at 2 GB: damage elsewhere in the
//! file is found by `workspace::check`, by `backups::validate` before a backup
//! is trusted, and by the app's background check after an unclean shutdown
//! (`damage_check.rs`); SQLite reports a damaged page when a query reads it.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// Numbered migrations, applied in order; the position + 1 is the schema version.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_firm_chips",
        include_str!("../migrations/0002_firm_chips.sql"),
    ),
    (
        "0003_date_triggers",
        include_str!("../migrations/0003_date_triggers.sql"),
    ),
    (
        "0004_revisions_and_trash",
        include_str!("../migrations/0004_revisions_and_trash.sql"),
    ),
    ("0005_search", include_str!("../migrations/0005_search.sql")),
    (
        "0006_source_list_indexes",
        include_str!("../migrations/0006_source_list_indexes.sql"),
    ),
    ("0007_import", include_str!("../migrations/0007_import.sql")),
    (
        "0008_comparisons",
        include_str!("../migrations/0008_comparisons.sql"),
    ),
    (
        "0009_note_list_index",
        include_str!("../migrations/0009_note_list_index.sql"),
    ),
    (
        "0010_records",
        include_str!("../migrations/0010_records.sql"),
    ),
    (
        "0011_source_sort_indexes",
        include_str!("../migrations/0011_source_sort_indexes.sql"),
    ),
    (
        "0012_citation_indexes",
        include_str!("../migrations/0012_citation_indexes.sql"),
    ),
    (
        "0013_evidence_excerpt",
        include_str!("../migrations/0013_evidence_excerpt.sql"),
    ),
    (
        "0014_screening_list",
        include_str!("../migrations/0014_screening_list.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How long a connection waits for another one's lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    read_only: bool,
    upgrade: Option<Upgrade>,
    hooks: Hooks,
}

/// What a layer above adds to a read-write store (`open.rs` fills it in).
#[derive(Clone, Copy, Default)]
pub(crate) struct Hooks {
    /// Keeps a copy of an existing workspace before a migration upgrades it; returns where.
    pub(crate) before_upgrade: Option<fn(&Store) -> Result<PathBuf>>,
    /// Runs inside every `write` transaction, and the one that builds a new
    /// workspace, just before it commits.
    pub(crate) before_commit: Option<fn(&Connection) -> Result<()>>,
}

/// What `open_or_create` found or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A new workspace was made.
    Created,
    Existing,
}

/// A schema upgrade done while opening: from which version, and where the backup is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    pub from_version: i64,
    pub backup: PathBuf,
}

/// What is at a workspace path before Chipwatch touches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Nothing,
    /// A zero-byte file, or an SQLite file with no tables: nothing to lose.
    Blank,
    Workspace {
        version: i64,
    },
}

impl Store {
    /// Opens the workspace at `path`, or creates it with `fill` (run in the same
    /// transaction as the schema) when nothing or a blank file is there. When
    /// another process creates it first, that workspace is opened instead.
    pub(crate) fn open_or_create_with(
        path: &Path,
        fill: impl FnOnce(&Connection) -> Result<()>,
        hooks: Hooks,
    ) -> Result<(Store, Opened)> {
        let found = inspect(path, MIGRATIONS, Verify::Schema)?;
        if let Found::Workspace { version } = found {
            return Ok((
                open_inspected(path, version, MIGRATIONS, hooks)?,
                Opened::Existing,
            ));
        }
        let opened = if create(path, found, MIGRATIONS, fill, hooks)? {
            Opened::Created
        } else {
            Opened::Existing
        };
        Ok((Store::open_existing(path, MIGRATIONS, hooks)?, opened))
    }

    /// Opens an existing workspace for reading and writing, upgraded to
    /// `migrations` (a given list, so tests can play a newer release).
    pub(crate) fn open_existing(
        path: &Path,
        migrations: &[(&str, &str)],
        hooks: Hooks,
    ) -> Result<Store> {
        let version = existing_version(path, migrations, Verify::Schema)?;
        open_inspected(path, version, migrations, hooks)
    }

    /// Opens the private copy of a backup being restored (validated already, so
    /// not inspected again), upgraded to this build's schema.
    pub(crate) fn open_restore_copy(path: &Path, hooks: Hooks) -> Result<Store> {
        let version = existing_version(path, MIGRATIONS, Verify::Skip)?;
        open_inspected(path, version, MIGRATIONS, hooks)
    }

    /// Opens an existing workspace without writing to it. An older schema is
    /// refused (upgrading it would be a write) with the command that upgrades it.
    /// The one thing SQLite may do is replay the journal of a crashed writer, as
    /// any SQLite program does on open, so that the last committed state is read.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        // The connection that inspected the file reads it too: one schema parse, not two.
        let (version, conn) = existing_workspace(path, MIGRATIONS, Verify::Schema)?;
        if version < SCHEMA_VERSION {
            return Err(Error::WorkspaceNeedsUpgrade {
                path: path.to_path_buf(),
                found: version,
                current: SCHEMA_VERSION,
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            read_only: true,
            upgrade: None,
            hooks: Hooks::default(),
        })
    }

    /// A private database for tests and benchmarks.
    pub(crate) fn open_in_memory_with(hooks: Hooks) -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        distrust_schema(&conn)?;
        crate::id_bits::register(&conn)?;
        configure(&conn)?;
        let mut store = Store {
            conn,
            path: None,
            read_only: false,
            upgrade: None,
            hooks,
        };
        store.migrate(MIGRATIONS)?;
        Ok(store)
    }

    /// The file behind the store; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The upgrade `open` made, if the workspace had an older schema.
    pub fn upgrade(&self) -> Option<&Upgrade> {
        self.upgrade.as_ref()
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(user_version(&self.conn)?)
    }

    /// Runs `read` in one read transaction, so that all its statements see the
    /// same snapshot even while another connection writes. Inside an open
    /// transaction it simply joins it.
    pub fn read<T>(&self, read: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return read(&self.conn);
        }
        let tx = self.conn.unchecked_transaction()?;
        let value = read(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `write` in one transaction that lands whole or not at all. It takes
    /// the write lock first (BEGIN IMMEDIATE), so it never fails halfway because
    /// another connection started writing.
    pub fn write<T>(&mut self, write: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(Error::WorkspaceUnwritable {
                path: self.path.clone().unwrap_or_default(),
                reason: "it was opened read-only".into(),
            });
        }
        let path = self.path.clone();
        let cause = |e| cause_at(path.as_deref(), e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(cause)?;
        let value = write(&tx)?;
        // What the layer above derives from the tables (the search index)
        // catches up with this transaction, inside it.
        if let Some(before_commit) = self.hooks.before_commit {
            before_commit(&tx)?;
        }
        tx.commit().map_err(cause)?;
        Ok(value)
    }

    /// Runs `write` as [`Store::write`] does, for a transaction of hundreds of
    /// megabytes (a big import). When no other connection has the file open
    /// (the CLI, with no window on the workspace), it goes through a rollback
    /// journal instead of the WAL: new pages are then written once, into the
    /// file, where the WAL writes them twice (into the -wal, then copied into
    /// the file by the checkpoint after the commit: 5 of the 21 s of a million
    /// narrow rows). SQLite's documentation says the same of transactions over
    /// ~100 MB. Its atomicity and crash safety are the rollback journal's; a
    /// connection opened meanwhile waits for the commit (busy timeout), then
    /// fails as [`Error::WorkspaceBusy`]. Beside any other open connection (the
    /// app always has its own), or in memory, it is the WAL as before, except
    /// that the commit does not copy the WAL into the file (SQLite's automatic
    /// checkpoint, ~5 s after a million rows): [`Store::checkpoint`] does, once
    /// the caller has said the write is done; failing that, the next commit
    /// or the last close on the file.
    pub fn write_in_bulk<T>(&mut self, write: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let alone = self.path.is_some() && !self.read_only && self.journal_alone()?;
        if alone {
            let written = self.write(write);
            self.journal_shared();
            return written;
        }
        let pages: i64 = self
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let written = self.write(write);
        // The write's outcome is what counts; a setting that did not come
        // back only leaves this connection's later commits to its close.
        let _restored = self.conn.pragma_update(None, "wal_autocheckpoint", pages);
        written
    }

    /// Copies what the WAL holds into the workspace file, as far as no reader
    /// still needs it there, waiting for no one (a passive checkpoint). What
    /// it cannot copy stays in the WAL, where every reader finds it, for the
    /// next checkpoint.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Switches this connection to a rollback journal if it is the only one
    /// on the file; says whether it did. Leaving WAL needs every other
    /// connection closed, so the answer is immediate (no busy wait).
    fn journal_alone(&self) -> Result<bool> {
        self.conn.busy_timeout(Duration::ZERO)?;
        let mode: rusqlite::Result<String> =
            self.conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let alone = match mode {
            Ok(mode) => mode.eq_ignore_ascii_case("delete"),
            Err(e) if is_busy(&e) => false,
            Err(e) => return Err(cause_at(self.path.as_deref(), e)),
        };
        if alone {
            // A full sync, as WAL's NORMAL is safe against a power cut and a
            // rollback journal's NORMAL is not quite (SQLite's documentation).
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(alone)
    }

    /// Back to WAL after [`Store::journal_alone`]. Its errors are not the
    /// write's: should a connection opened meanwhile hold the file past the
    /// busy timeout, this connection keeps the rollback journal, and every
    /// open sets WAL again.
    fn journal_shared(&self) {
        let _mode: rusqlite::Result<String> =
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0));
        let _synchronous = self.conn.pragma_update(None, "synchronous", "NORMAL");
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

    /// For writing a whole backup into the open workspace (`restore::restore_into`).
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Closes the connection, saying why when SQLite cannot finish.
    pub(crate) fn close(self) -> Result<()> {
        let path = self.path.unwrap_or_default();
        self.conn.close().map_err(|(_, e)| cause(&path, e))
    }

    /// Runs the missing migrations under the write lock. The version is read
    /// inside the transaction: another process may have upgraded it meanwhile.
    fn migrate(&mut self, migrations: &[(&str, &str)]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = user_version(&tx)?;
        apply_migrations(&tx, current, migrations)?;
        tx.commit()?;
        Ok(())
    }
}

/// Opens a workspace that `inspect` found at `version`, read-write, and
/// upgrades it (after `hooks.before_upgrade`) when it is older than `migrations`.
fn open_inspected(
    path: &Path,
    version: i64,
    migrations: &[(&str, &str)],
    hooks: Hooks,
) -> Result<Store> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = connect(path, flags).map_err(|e| cause(path, e))?;
    // SQLite silently falls back to read-only on a write-protected file.
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(Error::WorkspaceUnwritable {
            path: path.to_path_buf(),
            reason: why_unwritable(path, None),
        });
    }
    configure(&conn).map_err(|e| cause(path, e))?;
    let mut store = Store {
        conn,
        path: Some(path.to_path_buf()),
        read_only: false,
        upgrade: None,
        hooks,
    };
    if version < migrations.len() as i64 {
        // A copy first (open.rs: into `<file>.backups/`, see backups.rs).
        let backup = match hooks.before_upgrade {
            Some(back_up) => Some(back_up(&store)?),
            None => None,
        };
        store.migrate(migrations).map_err(|e| match e {
            Error::Sqlite(e) => cause(path, e),
            other => other,
        })?;
        store.upgrade = backup.map(|backup| Upgrade {
            from_version: version,
            backup,
        });
    }
    Ok(store)
}

/// Opens a connection to `path`. Every connection Chipwatch makes goes
/// through here, so none of them runs functions or virtual tables a file's
/// triggers or views name unless SQLite marks them harmless (`trusted_schema`).
pub(crate) fn connect(path: impl AsRef<Path>, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    distrust_schema(&conn)?;
    crate::id_bits::register(&conn)?;
    Ok(conn)
}

fn distrust_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "trusted_schema", "OFF")
}

/// The size of the main database (pages × page size), without its WAL.
pub(crate) fn database_bytes(conn: &Connection) -> Result<u64> {
    let pages: i64 = conn.pragma_query_value(None, "page_count", |row| row.get(0))?;
    let page_size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
    Ok(u64::try_from(pages.saturating_mul(page_size)).unwrap_or(0))
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn apply_migrations(
    conn: &Connection,
    current: i64,
    migrations: &[(&str, &str)],
) -> rusqlite::Result<()> {
    for (index, (_, sql)) in migrations.iter().enumerate().skip(current.max(0) as usize) {
        conn.execute_batch(sql)?;
        conn.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // journal_mode answers with a row, so it is queried rather than updated.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Statement journals (and temporary sorts) in memory, not temporary files
    // (a big import's index builds are the exception: import/sources.rs):
    // with a trigger on every insert, the file cost a fifth of a bulk insert's time.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Builds a new workspace in a temporary file beside `path` (schema and `fill`
/// in one transaction, fully synced) and renames it into place. Returns false
/// when a workspace appeared at `path` meanwhile; the temporary file is removed.
fn create(
    path: &Path,
    found: Found,
    migrations: &[(&str, &str)],
    fill: impl FnOnce(&Connection) -> Result<()>,
    hooks: Hooks,
) -> Result<bool> {
    let unwritable = |reason: String| Error::WorkspaceUnwritable {
        path: path.to_path_buf(),
        reason,
    };
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let prefix = format!(".{name}.creating-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // The mode SQLite itself would give a new file (less the umask), not tempfile's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let temp = builder
        .tempfile_in(dir)
        .map_err(|e| unwritable(e.to_string()))?;
    {
        // A rollback journal and full sync while building: when the connection
        // closes, the file is complete on its own, with no -wal beside it.
        let mut conn = connect(
            temp.path(),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| unwritable(e.to_string()))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let tx = conn.transaction()?;
        apply_migrations(&tx, 0, migrations).map_err(|e| cause(temp.path(), e))?;
        fill(&tx)?;
        if let Some(before_commit) = hooks.before_commit {
            before_commit(&tx)?;
        }
        tx.commit().map_err(|e| cause(temp.path(), e))?;
        conn.close().map_err(|(_, e)| cause(temp.path(), e))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(|e| unwritable(e.to_string()))?;
    let placed = match found {
        // Nothing worth keeping is there: replace the blank file.
        Found::Blank => temp.persist(path).map(|_| true),
        _ => match temp.persist_noclobber(path) {
            Ok(_) => Ok(true),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        },
    }
    .map_err(|e| unwritable(e.error.to_string()))?;
    // The rename itself must survive a power cut too.
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(placed)
}

/// Whether inspecting compares the file's schema with what its version holds
/// (`check` and backup validation list the differences themselves). Neither
/// reads more than the header and `sqlite_schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    Schema,
    Skip,
}

/// The schema version of the existing workspace at `path`; a missing or blank
/// file is an error that says how to make a workspace.
fn existing_version(path: &Path, migrations: &[(&str, &str)], verify: Verify) -> Result<i64> {
    existing_workspace(path, migrations, verify).map(|(version, _)| version)
}

/// [`existing_version`] with the read-only connection that inspected the file.
fn existing_workspace(
    path: &Path,
    migrations: &[(&str, &str)],
    verify: Verify,
) -> Result<(i64, Connection)> {
    match inspect_keeping(path, migrations, verify)? {
        (Found::Workspace { version }, Some(conn)) => Ok((version, conn)),
        (Found::Workspace { version }, None) => Ok((version, read_only_connection(path)?)),
        (Found::Nothing, _) => Err(Error::WorkspaceMissing {
            path: path.to_path_buf(),
        }),
        (Found::Blank, _) => Err(Error::WorkspaceBlank {
            path: path.to_path_buf(),
        }),
    }
}

/// The schema version of what `chipwatch check` is pointed at, or why it is not
/// a workspace at all. Damage and foreign schema objects are left for the
/// check itself to list.
pub(crate) fn inspect_for_check(path: &Path) -> Result<i64> {
    existing_version(path, MIGRATIONS, Verify::Skip)
}

/// Tables, indexes, triggers and views of `conn`'s database that its schema
/// version does not hold (or holds differently, or lacks).
pub(crate) fn schema_differences(
    conn: &Connection,
    version: i64,
) -> rusqlite::Result<Vec<crate::schema::SchemaDifference>> {
    crate::schema::differences(conn, MIGRATIONS, version)
}

/// Looks at `path` read-only before anything may write to it; refuses what is
/// not a usable workspace of at most the version of `migrations`, or whose
/// schema holds what its version does not (when verifying).
fn inspect(path: &Path, migrations: &[(&str, &str)], verify: Verify) -> Result<Found> {
    inspect_keeping(path, migrations, verify).map(|(found, _)| found)
}

/// [`inspect`], keeping the read-only connection it read a workspace with.
fn inspect_keeping(
    path: &Path,
    migrations: &[(&str, &str)],
    verify: Verify,
) -> Result<(Found, Option<Connection>)> {
    let latest = migrations.len() as i64;
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Found::Nothing, None)),
        Err(e) => return Err(io_error(e)),
    };
    if metadata.is_dir() {
        return Err(Error::WorkspaceIsDirectory {
            path: path.to_path_buf(),
        });
    }
    if metadata.len() == 0 {
        return Ok((Found::Blank, None));
    }
    let mut header = [0u8; 16];
    let mut file = File::open(path).map_err(io_error)?;
    let read = file.read(&mut header).map_err(io_error)?;
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(Error::WorkspaceNotSqlite {
            path: path.to_path_buf(),
        });
    }
    let conn = read_only_connection(path)?;
    let version = user_version(&conn).map_err(|e| cause(path, e))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(|e| cause(path, e))?;
    // Version 0 with tables is another program's database: never add our schema to it.
    match (version, tables) {
        (0, 0) => return Ok((Found::Blank, None)),
        (0, _) => {
            return Err(Error::WorkspaceForeign {
                path: path.to_path_buf(),
            })
        }
        _ => {}
    }
    if version > latest {
        return Err(Error::WorkspaceTooNew {
            path: path.to_path_buf(),
            found: version,
            supported: latest,
        });
    }
    // Nothing here reads past `sqlite_schema`: a whole-file check (quick_check
    // reads every page, 3.4 s at a million sources) is `check`'s, backup
    // validation's and the app's background check's, never opening's.
    if verify == Verify::Schema {
        let differences =
            crate::schema::differences(&conn, migrations, version).map_err(|e| cause(path, e))?;
        if !differences.is_empty() {
            return Err(Error::WorkspaceSchemaAltered {
                path: path.to_path_buf(),
                differences: crate::schema::describe(&differences),
            });
        }
    }
    Ok((Found::Workspace { version }, Some(conn)))
}

/// A read-only connection that has read the header, so a file it cannot read fails here.
/// Two situations need more than a plain read-only open:
/// - a crashed writer left a hot journal (or a WAL without its index) that only
///   a writer may replay: when the file is writable, a read-write open replays
///   it, as any SQLite program does, and the file is then read read-only;
/// - the folder is read-only, so SQLite cannot make the WAL index beside the
///   file: nobody can be writing it then, so it is read as an immutable file.
pub(crate) fn read_only_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = || -> rusqlite::Result<Connection> {
        let conn = connect(path, flags)?;
        user_version(&conn)?;
        Ok(conn)
    };
    let first = match open() {
        Ok(conn) => return Ok(conn),
        Err(e) if needs_writer(&e) => e,
        Err(e) => return Err(cause(path, e)),
    };
    let writable = OpenOptions::new().write(true).open(path).is_ok();
    if writable {
        let replayed = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|writer| user_version(&writer));
        if replayed.is_ok() {
            return open().map_err(|e| cause(path, e));
        }
    }
    if folder_is_writable(path) {
        return Err(cause(path, first));
    }
    let immutable = format!("file:{}?immutable=1", uri_path(path));
    connect(immutable, flags | OpenFlags::SQLITE_OPEN_URI)
        .and_then(|conn| user_version(&conn).map(|_| conn))
        .map_err(|e| cause(path, e))
}

/// SQLite's answers when a read-only connection would have to write to go on.
fn needs_writer(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)
    )
}

/// A path as an SQLite URI path: every byte outside a safe set is %-escaped,
/// so spaces, '?', '#' and Chinese names survive.
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::new();
    for byte in absolute.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(byte) {
            uri.push(char::from(*byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// True when a file can be made in `path`'s folder. The probe is an unnamed
/// temporary file, so nothing appears in the folder.
fn folder_is_writable(path: &Path) -> bool {
    tempfile::tempfile_in(folder_of(path)).is_ok()
}

/// Rows of `PRAGMA integrity_check` / `quick_check` other than the single "ok".
pub(crate) fn integrity_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// Another connection holds the lock this one needs.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// [`cause`] for a store's file; an in-memory store's failure stays as it is.
fn cause_at(path: Option<&Path>, error: rusqlite::Error) -> Error {
    match path {
        Some(path) => cause(path, error),
        None => Error::Sqlite(error),
    }
}

/// Turns an SQLite failure on the workspace at `path` into what it means for
/// the user, by SQLite's own result code.
pub(crate) fn cause(path: &Path, error: rusqlite::Error) -> Error {
    let path_buf = path.to_path_buf();
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::WorkspaceNotSqlite { path: path_buf },
        Some(ErrorCode::DatabaseCorrupt) => Error::WorkspaceCorrupt {
            path: path_buf,
            detail: error.to_string(),
        },
        _ if is_busy(&error) => Error::WorkspaceBusy { path: path_buf },
        Some(
            ErrorCode::ReadOnly
            | ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::DiskFull
            | ErrorCode::SystemIoFailure,
        ) => Error::WorkspaceUnwritable {
            reason: why_unwritable(path, Some(&error)),
            path: path_buf,
        },
        _ => Error::from(error),
    }
}

/// The most useful reason a workspace cannot be written: the file, the folder,
/// a full disk, or what SQLite said.
fn why_unwritable(path: &Path, error: Option<&rusqlite::Error>) -> String {
    if error.and_then(rusqlite::Error::sqlite_error_code) == Some(ErrorCode::DiskFull) {
        return "the disk is full; free some space and try again".into();
    }
    if path.exists() && OpenOptions::new().write(true).open(path).is_err() {
        return "the file is read-only".into();
    }
    if !folder_is_writable(path) {
        return format!(
            "the folder {} is read-only or missing, and Chipwatch keeps its journal beside the workspace; \
             copy the workspace to a folder you can write to",
            folder_of(path).display()
        );
    }
    error.map_or_else(|| "SQLite refused to write".into(), ToString::to_string)
}
