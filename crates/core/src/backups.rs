//! Backups of a workspace, and putting one back.
//!
//! Where: the automatic backups live in a folder beside the workspace named
//! after its file, `<file name>.backups/` (for `~/.local/share/org.chipwatch.desktop/workspace.db`
//! that is `.../workspace.db.backups/`), one SQLite file each, named
//! `<UTC time>-<reason>-v<schema version>.db`, e.g.
//! `20261128-101502-481-before-import-v9.db`, so that names sort by time. The
//! newest [`KEEP`] are kept; older ones are deleted after each new one. Files
//! of other names in the folder are never touched.
//!
//! When: before every schema upgrade (`Store::open`), before every import (the
//! import calls [`before_import`] before its transaction), before a restore
//! replaces the workspace, and when the user asks ([`backup_now`]).
//!
//! How: SQLite's online backup API copies every page of the open workspace in
//! one read transaction (a consistent snapshot even while the app writes) into
//! a hidden temporary file in the destination folder, which is switched to a
//! rollback journal (so the copy is one self-contained file), synced, and
//! renamed into place. A failure (a full disk, a read-only folder) leaves no
//! partial file and the workspace unchanged.
//!
//! Restore: the file is validated first (SQLite, Chipwatch's tables, a schema
//! no newer than this build, SQLite's full `integrity_check`), the workspace's
//! current state is backed up, then the backup's pages are written into the
//! live workspace by the same backup API as ONE write transaction of the
//! workspace: atomic and crash-safe like any commit (a crash leaves the old or
//! the restored state, never a mix), and safe beside other SQLite connections
//! (a `chipwatch` reader keeps its snapshot). Renaming a file over a WAL-mode
//! database is not: another connection's `-wal`/`-shm` files would then be
//! applied to the new file. Only a workspace SQLite cannot open (missing,
//! damaged, newer) is replaced by a temporary file + fsync + rename, after a
//! byte-for-byte copy of it is kept. An older backup is upgraded after it is
//! put back.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::lock::WorkspaceLock;
use crate::model::Stats;
use crate::store::{self, Store};

/// How many automatic backups are kept per workspace.
pub const KEEP: usize = 10;

/// Why a backup was taken; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackupReason {
    /// Asked for (`chipwatch backup`, the app's "Back up now").
    Manual,
    BeforeImport,
    BeforeUpgrade,
    /// The state a restore replaced.
    BeforeRestore,
}

impl BackupReason {
    const ALL: [BackupReason; 4] = [
        BackupReason::Manual,
        BackupReason::BeforeImport,
        BackupReason::BeforeUpgrade,
        BackupReason::BeforeRestore,
    ];

    /// The word in the file name.
    pub fn slug(self) -> &'static str {
        match self {
            BackupReason::Manual => "manual",
            BackupReason::BeforeImport => "before-import",
            BackupReason::BeforeUpgrade => "before-upgrade",
            BackupReason::BeforeRestore => "before-restore",
        }
    }

    fn from_slug(slug: &str) -> Option<BackupReason> {
        BackupReason::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: String,
    /// When it was taken, UTC, e.g. `2026-11-28T10:15:02.481Z`.
    pub created_at: String,
    pub reason: BackupReason,
    /// The schema version of the workspace it copies (0: unknown, a raw copy of a damaged file).
    pub schema_version: i64,
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub workspace: String,
    pub restored_from: String,
    /// The schema version of the backup; older ones are upgraded after the restore.
    pub from_version: i64,
    pub schema_version: i64,
    /// The workspace as it was before the restore, kept in the backups folder
    /// (`None` when there was no workspace to keep).
    pub previous_state: Option<String>,
    pub counts: Stats,
}

/// The folder of a workspace's automatic backups: `<file name>.backups` beside it.
pub fn folder(workspace: &Path) -> PathBuf {
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".into());
    workspace.with_file_name(format!("{name}.backups"))
}

/// Backs the open workspace up now: into `out` when given (a new file, or a
/// folder to put it in), else into the backups folder (pruned to [`KEEP`]).
pub fn backup_now(store: &Store, out: Option<&Path>) -> Result<BackupInfo> {
    match out {
        None => backup_into_folder(store, BackupReason::Manual),
        Some(out) => {
            let dest = if out.is_dir() {
                out.join(format!(
                    "{}-{}.db",
                    workspace_stem(store),
                    file_stamp(SystemTime::now())
                ))
            } else {
                out.to_path_buf()
            };
            if dest.exists() {
                return Err(Error::BackupFailed {
                    path: dest,
                    reason: "a file of that name exists already; choose a new name".into(),
                });
            }
            write_copy(store.conn(), &dest)?;
            info_of(&dest, BackupReason::Manual, store.schema_version()?)
        }
    }
}

/// [`backup_now`] of the workspace at `workspace`, through its own read-only
/// connection: for callers that should not hold the app's store while a large
/// workspace is copied (seconds at a million sources).
pub fn backup_workspace(workspace: &Path, out: Option<&Path>) -> Result<BackupInfo> {
    backup_now(&Store::open_read_only(workspace)?, out)
}

/// The backup an import takes before it writes. Call it before the import's
/// transaction starts (not inside `Store::write`); if it fails, do not import.
pub fn before_import(store: &Store) -> Result<BackupInfo> {
    backup_into_folder(store, BackupReason::BeforeImport)
}

/// The backup `Store::open` takes before it upgrades the schema.
pub(crate) fn before_upgrade(store: &Store) -> Result<PathBuf> {
    backup_into_folder(store, BackupReason::BeforeUpgrade).map(|info| PathBuf::from(info.path))
}

/// The automatic backups of the workspace at `workspace`, newest first. A
/// workspace that has none (or no backups folder) has an empty list.
pub fn list_backups(workspace: &Path) -> Result<Vec<BackupInfo>> {
    let dir = folder(workspace);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path: dir, source }),
    };
    let mut backups: Vec<(String, BackupInfo)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((created_at, reason, schema_version)) = parse_name(&name) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        let info = BackupInfo {
            path: entry.path().display().to_string(),
            created_at,
            reason,
            schema_version,
            bytes: metadata.len(),
        };
        backups.push((name, info));
    }
    backups.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(backups.into_iter().map(|(_, info)| info).collect())
}

/// Checks that `file` can be restored: an SQLite file with Chipwatch's tables,
/// a schema no newer than this build, and no damage (full `integrity_check`).
/// Returns its schema version; never writes to it (except that SQLite replays
/// a crashed writer's journal, as on any open).
pub fn validate(file: &Path) -> Result<i64> {
    let invalid = |reason: String| Error::BackupInvalid {
        path: file.to_path_buf(),
        reason,
    };
    let version = store::inspect_for_check(file).map_err(|e| match e {
        Error::WorkspaceMissing { .. } => invalid("it does not exist".into()),
        Error::WorkspaceIsDirectory { .. } => invalid("it is a folder, not a backup file".into()),
        Error::WorkspaceBlank { .. } => invalid("it is empty".into()),
        Error::WorkspaceNotSqlite { .. } => invalid(
            "it is not an SQLite database (or it is cut short or damaged at the start)".into(),
        ),
        Error::WorkspaceForeign { .. } => {
            invalid("it is another program's SQLite database, not a Chipwatch workspace".into())
        }
        Error::WorkspaceTooNew {
            found, supported, ..
        } => invalid(format!(
            "it was written by a newer Chipwatch (schema version {found}; this version knows up to \
             {supported}); update Chipwatch to restore it"
        )),
        Error::WorkspaceCorrupt { detail, .. } => invalid(damaged(&detail)),
        other => invalid(other.to_string()),
    })?;
    let conn = store::read_only_connection(file).map_err(|e| invalid(e.to_string()))?;
    let problems = store::integrity_problems(&conn, "integrity_check")
        .map_err(|e| invalid(damaged(&e.to_string())))?;
    if let Some(first) = problems.first() {
        return Err(invalid(damaged(first)));
    }
    let ours: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' \
             AND name IN ('firms', 'strategies', 'chips', 'sources', 'notes', 'events')",
            [],
            |row| row.get(0),
        )
        .map_err(|e| invalid(e.to_string()))?;
    if ours < 6 {
        return Err(invalid(
            "it is not a Chipwatch workspace (it lacks Chipwatch's tables)".into(),
        ));
    }
    Ok(version)
}

fn damaged(detail: &str) -> String {
    format!("it is damaged or incomplete, perhaps cut short while copying ({detail})")
}

/// Puts the backup `from` back as the workspace at `workspace` (the CLI's
/// `restore`). Takes the workspace lock, so it is refused while a Chipwatch
/// window has the workspace open. See the module notes for how.
pub fn restore(workspace: &Path, from: &Path) -> Result<RestoreReport> {
    let from_version = validate(from)?;
    refuse_same_file(workspace, from)?;
    let _lock = WorkspaceLock::acquire(workspace)?;
    match Store::open(workspace) {
        Ok(mut store) => restore_locked(&mut store, from, from_version),
        // What SQLite cannot open as a workspace is replaced whole, after a raw copy.
        Err(
            Error::WorkspaceMissing { .. }
            | Error::WorkspaceBlank { .. }
            | Error::WorkspaceCorrupt { .. }
            | Error::WorkspaceTooNew { .. },
        ) => replace_file(workspace, from, from_version),
        // A folder, another program's file, an unwritable or busy workspace: left alone.
        Err(other) => Err(other),
    }
}

/// Puts the backup `from` back into the workspace `store` has open (the app,
/// which holds the workspace lock already, see `session::open`); `store` is
/// reopened afterwards, so an older backup is upgraded.
pub fn restore_into(store: &mut Store, from: &Path) -> Result<RestoreReport> {
    let from_version = validate(from)?;
    let Some(workspace) = store.path().map(Path::to_path_buf) else {
        return Err(Error::invalid(
            "workspace",
            "an in-memory workspace has no backups",
        ));
    };
    refuse_same_file(&workspace, from)?;
    restore_locked(store, from, from_version)
}

fn refuse_same_file(workspace: &Path, from: &Path) -> Result<()> {
    let same = match (
        std::fs::canonicalize(workspace),
        std::fs::canonicalize(from),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Error::BackupInvalid {
            path: from.to_path_buf(),
            reason: "it is the workspace itself".into(),
        });
    }
    Ok(())
}

fn restore_locked(store: &mut Store, from: &Path, from_version: i64) -> Result<RestoreReport> {
    let workspace = store.path().map(Path::to_path_buf).unwrap_or_default();
    let previous = backup_into_folder(store, BackupReason::BeforeRestore)?;
    let source = store::read_only_connection(from).map_err(|e| Error::BackupInvalid {
        path: from.to_path_buf(),
        reason: e.to_string(),
    })?;
    copy_pages(&source, store.conn_mut()).map_err(|e| match e {
        CopyError::Busy => Error::WorkspaceBusy {
            path: workspace.clone(),
        },
        CopyError::Sqlite(e) => store::cause(&workspace, e),
    })?;
    drop(source);
    // Reopen, so that an older backup is upgraded.
    *store = Store::open(&workspace)?;
    report(store, from, from_version, Some(previous.path))
}

/// Replaces a workspace SQLite cannot open (missing, empty, damaged, newer)
/// with a copy of `from`: a raw copy of what was there is kept first, then a
/// temporary file beside it is filled, synced and renamed over it.
fn replace_file(workspace: &Path, from: &Path, from_version: i64) -> Result<RestoreReport> {
    let previous = keep_raw_copy(workspace)?;
    let dir = folder_of(workspace);
    let name = workspace
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unwritable = |reason: String| Error::WorkspaceUnwritable {
        path: workspace.to_path_buf(),
        reason,
    };
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}.restoring-"))
        .tempfile_in(dir)
        .map_err(|e| unwritable(e.to_string()))?;
    {
        let source = store::read_only_connection(from).map_err(|e| Error::BackupInvalid {
            path: from.to_path_buf(),
            reason: e.to_string(),
        })?;
        fill_file(&source, temp.path()).map_err(|e| match e {
            CopyError::Busy => Error::WorkspaceBusy {
                path: from.to_path_buf(),
            },
            CopyError::Sqlite(e) => store::cause(workspace, e),
        })?;
    }
    temp.as_file()
        .sync_all()
        .map_err(|e| unwritable(e.to_string()))?;
    // The old file's journals would be replayed into the new one: they went
    // into the raw copy above.
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(workspace, suffix));
    }
    temp.persist(workspace)
        .map_err(|e| unwritable(e.error.to_string()))?;
    sync_folder(dir);
    let store = Store::open(workspace)?;
    report(&store, from, from_version, previous)
}

fn report(
    store: &Store,
    from: &Path,
    from_version: i64,
    previous: Option<String>,
) -> Result<RestoreReport> {
    Ok(RestoreReport {
        workspace: store
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        restored_from: from.display().to_string(),
        from_version,
        schema_version: store.schema_version()?,
        previous_state: previous,
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
        let journal = with_suffix(workspace, suffix);
        if journal.exists() {
            let copy = with_suffix(&dest, suffix);
            copy_file_synced(&journal, &copy).map_err(|e| failed(&copy, e))?;
        }
    }
    prune(workspace);
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

fn backup_into_folder(store: &Store, reason: BackupReason) -> Result<BackupInfo> {
    let Some(workspace) = store.path() else {
        return Err(Error::invalid(
            "workspace",
            "an in-memory workspace has no backups folder",
        ));
    };
    let version = store.schema_version()?;
    let dest = new_backup_path(workspace, reason, version)?;
    write_copy(store.conn(), &dest)?;
    prune(workspace);
    info_of(&dest, reason, version)
}

/// A free name in the backups folder (made if missing) for a backup taken now.
fn new_backup_path(workspace: &Path, reason: BackupReason, version: i64) -> Result<PathBuf> {
    let dir = folder(workspace);
    std::fs::create_dir_all(&dir).map_err(|e| Error::BackupFailed {
        path: dir.clone(),
        reason: format!(
            "the backups folder cannot be made ({}); a workspace needs a folder it may write to \
             for its backups",
            io_reason(&e)
        ),
    })?;
    let stamp = file_stamp(SystemTime::now());
    let base = format!("{stamp}-{}-v{version}", reason.slug());
    let mut dest = dir.join(format!("{base}.db"));
    let mut n = 2;
    while dest.exists() {
        dest = dir.join(format!("{base}-{n}.db"));
        n += 1;
    }
    Ok(dest)
}

fn info_of(path: &Path, reason: BackupReason, version: i64) -> Result<BackupInfo> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let created_at = parse_name(&name).map(|(at, _, _)| at).unwrap_or_else(|| {
        chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    });
    Ok(BackupInfo {
        path: path.display().to_string(),
        created_at,
        reason,
        schema_version: version,
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    })
}

/// Deletes the automatic backups beyond the newest [`KEEP`], and temporary
/// files a killed backup left (older than an hour). Best effort: a backup
/// that cannot be deleted stays.
fn prune(workspace: &Path) {
    if let Ok(backups) = list_backups(workspace) {
        for old in backups.iter().skip(KEEP) {
            let _ = std::fs::remove_file(&old.path);
            for suffix in ["-wal", "-journal"] {
                let _ = std::fs::remove_file(with_suffix(Path::new(&old.path), suffix));
            }
        }
    }
    let Ok(entries) = std::fs::read_dir(folder(workspace)) else {
        return;
    };
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(".partial-")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Copies the database of `conn` to the new file `dest` through a synced
/// temporary file in the same folder; on failure nothing is left at `dest`.
fn write_copy(conn: &Connection, dest: &Path) -> Result<()> {
    let failed = |reason: String| Error::BackupFailed {
        path: dest.to_path_buf(),
        reason,
    };
    let temp = tempfile::Builder::new()
        .prefix(".partial-")
        .suffix(".db")
        .tempfile_in(folder_of(dest))
        .map_err(|e| failed(io_reason(&e)))?;
    fill_file(conn, temp.path()).map_err(|e| match e {
        CopyError::Busy => failed("the workspace stayed busy; try again".into()),
        CopyError::Sqlite(e) => failed(sqlite_reason(&e)),
    })?;
    temp.as_file()
        .sync_all()
        .map_err(|e| failed(io_reason(&e)))?;
    temp.persist_noclobber(dest)
        .map_err(|e| failed(io_reason(&e.error)))?;
    sync_folder(folder_of(dest));
    Ok(())
}

/// Fills the new, empty database file `dest` with every page of `source`,
/// and makes it one self-contained file (rollback journal, no `-wal`).
fn fill_file(source: &Connection, dest: &Path) -> std::result::Result<(), CopyError> {
    let mut conn = Connection::open_with_flags(
        dest,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    copy_pages(source, &mut conn)?;
    // The pages carry the workspace's WAL flag; the copy is one file.
    let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

#[derive(Debug)]
enum CopyError {
    Busy,
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for CopyError {
    fn from(e: rusqlite::Error) -> Self {
        CopyError::Sqlite(e)
    }
}

/// Every page of `source` into `dest` in one step: one read transaction on the
/// source (a consistent snapshot) and one write transaction on the destination.
/// Retries for about ten seconds while either side is locked by another connection.
fn copy_pages(source: &Connection, dest: &mut Connection) -> std::result::Result<(), CopyError> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let backup = Backup::new(source, dest)?;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // Busy or locked by another connection (with -1, never More): wait.
            _ if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => return Err(CopyError::Busy),
        }
    }
}

fn sqlite_reason(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full; free some space and try again".into(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            format!("the folder cannot be written ({e})")
        }
        _ => e.to_string(),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(28) => "the disk is full; free some space and try again".into(),
        Some(13 | 30) => format!("the folder cannot be written ({e})"),
        _ => e.to_string(),
    }
}

/// `20261128-101502-481`: UTC, sortable, safe in any file system.
fn file_stamp(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%Y%m%d-%H%M%S-%3f")
        .to_string()
}

/// `<stamp>-<reason>-v<N>[-k].db` → (ISO time, reason, N).
fn parse_name(name: &str) -> Option<(String, BackupReason, i64)> {
    let stem = name.strip_suffix(".db")?;
    let (stamp, rest) = (stem.get(..19)?, stem.get(19..)?.strip_prefix('-')?);
    let at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S-%3f").ok()?;
    let (slug, tail) = rest.rsplit_once("-v")?;
    let version = tail.split('-').next()?.parse().ok()?;
    let reason = BackupReason::from_slug(slug)?;
    Some((
        at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        reason,
        version,
    ))
}

fn workspace_stem(store: &Store) -> String {
    store
        .path()
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".into())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A rename survives a power cut only once its folder is synced.
fn sync_folder(dir: &Path) {
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
}
