//! Backups of a workspace (putting one back is `restore.rs`).
//!
//! Where: the automatic backups live in a folder beside the workspace named
//! after its file, `<file name>.backups/` (for `~/.local/share/org.chipwatch.desktop/workspace.db`
//! that is `.../workspace.db.backups/`), one SQLite file each, named
//! `<UTC time>-<reason>-v<schema version>.db`, e.g.
//! `20261128-101502-481-before-import-v9.db`, so that names sort by time. The
//! folder is named after the real file, so a symlink to a workspace shares its
//! backups. Files of other names in the folder are never touched.
//!
//! What is kept: the backups a person asked for (`manual`) and the states a
//! restore replaced (`before-restore`) are kept until a person deletes them.
//! The automatic ones (`before-import`, `before-upgrade`) rotate: after each
//! new one, the newest is always kept, and older ones while there are fewer
//! than [`KEEP`] and they fit the budget of [`automatic_budget`] (three times
//! the workspace, at least 256 MB, and never more than the disk has left
//! free), so ten imports cannot push out a copy a person made on purpose, and
//! ten copies of a 1 GB workspace do not fill the disk. Before any backup the
//! free space is checked ([`crate::disk::ensure_free`]).
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

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::Stats;
use crate::paths;
use crate::store::{self, Store};

/// How many automatic backups are kept per workspace at most.
pub const KEEP: usize = 10;

/// The smallest budget for automatic backups, so that a small workspace keeps
/// its [`KEEP`] copies.
pub const MIN_AUTOMATIC_BUDGET: u64 = 256 * 1024 * 1024;

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

    /// Taken by Chipwatch itself and rotated; the others are kept until deleted.
    pub fn is_automatic(self) -> bool {
        matches!(
            self,
            BackupReason::BeforeImport | BackupReason::BeforeUpgrade
        )
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
    #[ts(type = "number")]
    pub bytes: u64,
    /// Rotated by Chipwatch (see the module notes); false: kept until deleted.
    pub automatic: bool,
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

/// The folder of a workspace's backups: `<file name>.backups` beside the real file.
pub fn folder(workspace: &Path) -> PathBuf {
    paths::backups_folder(workspace)
}

/// Backs the open workspace up now: into `out` when given (a new file, or a
/// folder to put it in), else into the backups folder. Either way it is a
/// manual backup, kept until a person deletes it.
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
            if let Some(workspace) = store.path() {
                paths::refuse_workspace_files(&dest, workspace)?;
            }
            if dest.exists() || std::fs::symlink_metadata(&dest).is_ok() {
                return Err(Error::BackupFailed {
                    path: dest,
                    reason: "a file of that name exists already; choose a new name".into(),
                });
            }
            ensure_room_for_copy(store, folder_of(&dest), "a backup of the workspace", 0)?;
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
/// `import_bytes` is the size of the file to import: the disk must also have
/// room for the rows it adds.
pub fn before_import(store: &Store, import_bytes: u64) -> Result<BackupInfo> {
    let dir = folder(store.path().unwrap_or(Path::new("workspace")));
    // Rows, index entries and the WAL take about twice the CSV's size.
    ensure_room_for_copy(
        store,
        &dir,
        "this import (a backup of the workspace first, then the imported rows)",
        import_bytes.saturating_mul(2),
    )?;
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
            automatic: reason.is_automatic(),
        };
        backups.push((name, info));
    }
    backups.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(backups.into_iter().map(|(_, info)| info).collect())
}

/// The backups of the workspace `store` has open, newest first; an in-memory
/// workspace has none.
pub fn list_backups_of(store: &Store) -> Result<Vec<BackupInfo>> {
    match store.path() {
        Some(path) => list_backups(path),
        None => Ok(Vec::new()),
    }
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
    let differences =
        store::schema_differences(&conn, version).map_err(|e| invalid(e.to_string()))?;
    if !differences.is_empty() {
        return Err(invalid(format!(
            "it holds database objects Chipwatch did not make ({}), which could change or \
             delete data when they run",
            crate::schema::describe(&differences)
        )));
    }
    Ok(version)
}

fn damaged(detail: &str) -> String {
    format!("it is damaged or incomplete, perhaps cut short while copying ({detail})")
}

pub(crate) fn backup_into_folder(store: &Store, reason: BackupReason) -> Result<BackupInfo> {
    let Some(workspace) = store.path() else {
        return Err(Error::invalid(
            "workspace",
            "an in-memory workspace has no backups folder",
        ));
    };
    let version = store.schema_version()?;
    let dir = folder(workspace);
    make_folder(&dir)?;
    ensure_room_for_copy(store, &dir, "a backup of the workspace", 0)?;
    let dest = new_backup_path(workspace, reason, version)?;
    write_copy(store.conn(), &dest)?;
    if reason.is_automatic() {
        prune(workspace, store::database_bytes(store.conn()).unwrap_or(0));
    }
    info_of(&dest, reason, version)
}

/// Refuses a copy of the workspace (plus `extra` bytes) into `dir` when the
/// disk has too little room for it.
fn ensure_room_for_copy(store: &Store, dir: &Path, what: &str, extra: u64) -> Result<()> {
    let workspace_bytes = store::database_bytes(store.conn())?;
    let advice = store
        .path()
        .map(free_space_advice)
        .unwrap_or_else(|| "Free some space, then try again.".into());
    crate::disk::ensure_free(dir, workspace_bytes.saturating_add(extra), what, &advice)
}

/// What to do about a full disk, with what this workspace's backups take.
pub(crate) fn free_space_advice(workspace: &Path) -> String {
    let backups = list_backups(workspace).unwrap_or_default();
    let taken: u64 = backups.iter().map(|b| b.bytes).sum();
    if backups.is_empty() {
        return "Free some space on that disk, then try again.".into();
    }
    format!(
        "Free some space on that disk, then try again. The workspace's {} backups in {} take {}; \
         deleting old ones you no longer need makes room.",
        backups.len(),
        folder(workspace).display(),
        crate::disk::human_bytes(taken)
    )
}

/// Makes the backups folder if missing.
pub(crate) fn make_folder(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::BackupFailed {
        path: dir.to_path_buf(),
        reason: format!(
            "the backups folder cannot be made ({}); a workspace needs a folder it may write to \
             for its backups",
            io_reason(&e)
        ),
    })
}

/// A free name in the backups folder for a backup taken now.
pub(crate) fn new_backup_path(
    workspace: &Path,
    reason: BackupReason,
    version: i64,
) -> Result<PathBuf> {
    let dir = folder(workspace);
    make_folder(&dir)?;
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
        automatic: reason.is_automatic(),
    })
}

/// The most the automatic backups of a workspace of `workspace_bytes` may
/// take together: three copies of it (at least [`MIN_AUTOMATIC_BUDGET`]),
/// and never more than the disk keeps free beside them (`free_bytes` free
/// now, `automatic_bytes` taken by them now).
pub fn automatic_budget(workspace_bytes: u64, free_bytes: u64, automatic_bytes: u64) -> u64 {
    let by_workspace = workspace_bytes.saturating_mul(3).max(MIN_AUTOMATIC_BUDGET);
    let by_disk = free_bytes.saturating_add(automatic_bytes) / 2;
    by_workspace.min(by_disk)
}

/// How many of the automatic backups (sizes newest first) to keep within
/// `budget`: the newest always, then each older one while fewer than
/// [`KEEP`] are kept and the total stays within the budget.
pub fn automatic_to_keep(sizes_newest_first: &[u64], budget: u64) -> usize {
    let mut total = 0u64;
    let mut kept = 0;
    for &size in sizes_newest_first {
        total = total.saturating_add(size);
        if kept > 0 && (kept >= KEEP || total > budget) {
            break;
        }
        kept += 1;
    }
    kept
}

/// Deletes the automatic backups beyond [`automatic_to_keep`], and temporary
/// files a killed backup or restore left (older than an hour). Manual and
/// before-restore backups are never deleted here. Best effort: a backup that
/// cannot be deleted stays.
fn prune(workspace: &Path, workspace_bytes: u64) {
    if let Ok(backups) = list_backups(workspace) {
        let automatic: Vec<&BackupInfo> = backups.iter().filter(|b| b.automatic).collect();
        let sizes: Vec<u64> = automatic.iter().map(|b| b.bytes).collect();
        let free = crate::disk::free_bytes(&folder(workspace)).unwrap_or(u64::MAX / 4);
        let budget = automatic_budget(workspace_bytes, free, sizes.iter().sum());
        for old in automatic.iter().skip(automatic_to_keep(&sizes, budget)) {
            let _ = std::fs::remove_file(&old.path);
            for suffix in ["-wal", "-journal"] {
                let _ = std::fs::remove_file(paths::with_suffix(Path::new(&old.path), suffix));
            }
        }
    }
    let Ok(entries) = std::fs::read_dir(folder(workspace)) else {
        return;
    };
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = (name.starts_with(".partial-") || name.starts_with(".restoring-"))
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
pub(crate) fn fill_file(source: &Connection, dest: &Path) -> std::result::Result<(), CopyError> {
    let mut conn = store::connect(
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
pub(crate) enum CopyError {
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
pub(crate) fn copy_pages(
    source: &Connection,
    dest: &mut Connection,
) -> std::result::Result<(), CopyError> {
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

pub(crate) fn sqlite_reason(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full; free some space and try again".into(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            format!("the folder cannot be written ({e})")
        }
        _ => e.to_string(),
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
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

pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A rename survives a power cut only once its folder is synced.
pub(crate) fn sync_folder(dir: &Path) {
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
}
