//! One error enum for the core, and the one shape it takes across IPC.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} does not exist. Create it with `chipwatch --workspace {path} init` (or open Chipwatch with it), or check the path.")]
    WorkspaceMissing { path: PathBuf },

    #[error("{path} is an empty file, not a workspace yet. `chipwatch --workspace {path} init`, or opening it in Chipwatch, makes it a workspace with the default dataset.")]
    WorkspaceBlank { path: PathBuf },

    #[error(
        "{path} is a folder, not a workspace file. Choose a file path such as {path}/workspace.db."
    )]
    WorkspaceIsDirectory { path: PathBuf },

    #[error("{path} is not a Chipwatch workspace (not an SQLite database). It was left untouched; choose another path.")]
    WorkspaceNotSqlite { path: PathBuf },

    #[error("{path} is an SQLite database of another program, not a Chipwatch workspace. It was left untouched; choose another path.")]
    WorkspaceForeign { path: PathBuf },

    #[error("{path} was written by a newer Chipwatch (schema version {found}; this version knows up to {supported}). It was left untouched; update Chipwatch to open it.")]
    WorkspaceTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("{path} was written by an older Chipwatch (schema version {found}; this version uses {current}). Reading it needs an upgrade, which writes: run `chipwatch --workspace {path} upgrade` (a backup is kept beside it) or open it in the app, then try again.")]
    WorkspaceNeedsUpgrade {
        path: PathBuf,
        found: i64,
        current: i64,
    },

    #[error("{path} is in use: another program or Chipwatch window is writing to it. Wait for it to finish or close it, then try again.")]
    WorkspaceBusy { path: PathBuf },

    #[error("{path} cannot be opened for writing ({reason}). Check that the folder exists and that you may write to it.")]
    WorkspaceUnwritable { path: PathBuf, reason: String },

    #[error("{path} is damaged ({detail}). It was left untouched; restore it from a backup (`chipwatch backups` lists them, `chipwatch restore FILE` puts one back) or run `chipwatch check` for details.")]
    WorkspaceCorrupt { path: PathBuf, detail: String },

    /// A workspace whose tables, indexes, triggers or views are not what its
    /// schema version holds (another tool added or changed them; see `schema.rs`).
    #[error("{path} holds database objects Chipwatch did not make ({differences}), which could change or delete data when they run. It was left untouched. If you added them yourself, remove them (e.g. DROP TRIGGER name in the sqlite3 shell); otherwise restore a backup. `chipwatch check` lists them all.")]
    WorkspaceSchemaAltered { path: PathBuf, differences: String },

    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: i64 },

    /// An edit made on a copy that changed (or was deleted) after the form loaded it.
    #[error("This {entity} was {what} since you opened it (in another window or by an import), so your changes were not saved. {advice}")]
    StaleEdit {
        entity: &'static str,
        id: i64,
        what: &'static str,
        advice: &'static str,
    },

    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    /// The team server could not be reached, refused the login or the change,
    /// or answered in a way this build does not know (chipwatch-sync's
    /// errors, which say what to do, as text).
    #[error("{message}")]
    TeamServer { message: String },

    /// A Trash entry that cannot come back as the workspace is now (an id or a
    /// unique name taken, a parent gone); `reason` says what to do first.
    #[error("Cannot restore {what}: {reason}. Nothing was changed.")]
    RestoreRefused { what: String, reason: String },

    /// A file that cannot be imported as CSV at all (binary, unterminated quote,
    /// NUL bytes, not the encoding, changed while read); nothing was written.
    #[error("{file}{}: {message} Nothing was imported.", .line.map(|l| format!(", line {l}")).unwrap_or_default())]
    ImportFile {
        file: String,
        line: Option<u64>,
        message: String,
    },

    /// A row problem under `strict`: the whole import was rolled back.
    #[error("Row {row}{}: {message} Nothing was imported: strict mode stops at the first row problem. Fix the row, or import without strict to leave out only the rows with problems.", .column.as_ref().map(|c| format!(", column '{c}'")).unwrap_or_default())]
    ImportRowRejected {
        row: u64,
        column: Option<String>,
        message: String,
    },

    #[error("The import was cancelled; nothing was imported.")]
    ImportCancelled,

    /// An import batch that cannot be undone as things are now; nothing was changed.
    #[error("Cannot undo import {batch}: {reason}. Nothing was changed.")]
    UndoRefused { batch: i64, reason: String },

    #[error("the default dataset is invalid: {0}")]
    Dataset(String),

    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// Another Chipwatch window (or `chipwatch restore`) holds the workspace lock (see `lock.rs`).
    #[error("This workspace ({path}) is open in another Chipwatch window{}. Switch to that window, or close it and try again.", .pid.map(|pid| format!(" (pid {pid})")).unwrap_or_default())]
    WorkspaceOpenElsewhere { path: PathBuf, pid: Option<u32> },

    /// A file offered for restore that is not a usable workspace backup; nothing was changed.
    #[error("{path} cannot be restored: {reason}. The workspace was left untouched; choose another backup (`chipwatch backups` lists the automatic ones).")]
    BackupInvalid { path: PathBuf, reason: String },

    /// A backup that could not be written; no partial file is left at `path` and the workspace is unchanged.
    #[error("Could not write the backup {path}: {reason}. The workspace was not changed.")]
    BackupFailed { path: PathBuf, reason: String },

    /// An export that could not be written; nothing was left at `path`.
    #[error("Cannot write {path}: {reason}. Nothing was written there.")]
    ExportUnwritable { path: PathBuf, reason: String },

    /// A file the user chose to write is one of the open workspace's own files
    /// (see `paths::refuse_workspace_files`); nothing was written.
    #[error("{path} is {what}; Chipwatch never writes over it, so nothing was written. Choose another file name or folder.")]
    WouldOverwriteWorkspace { path: PathBuf, what: String },

    /// A path the app was asked to read or write that the person did not
    /// choose in a file dialog or drop on the window (see `files::ChosenPaths`).
    #[error("{path} was not chosen in a file dialog or dropped on the window, so Chipwatch will not read or write it. Choose the file again.")]
    PathNotChosen { path: PathBuf },

    /// Too little free disk space for a backup or an import; nothing was written.
    #[error("Not enough free disk space for {what}: it needs about {needed}, and {free} are free in {folder}. {advice}")]
    DiskSpace {
        what: String,
        needed: String,
        free: String,
        folder: PathBuf,
        advice: String,
    },
}

impl Error {
    /// The record was edited elsewhere after the form loaded revision it holds.
    pub fn changed_meanwhile(entity: &'static str, id: i64) -> Self {
        Error::StaleEdit {
            entity,
            id,
            what: "changed",
            advice: "Copy what you typed, reload the record, and apply your edit again.",
        }
    }

    /// The record was deleted elsewhere after the form loaded it.
    pub fn deleted_meanwhile(entity: &'static str, id: i64) -> Self {
        Error::StaleEdit {
            entity,
            id,
            what: "deleted",
            advice: "Restore it from the Trash to edit it, or save your text as a new record.",
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A CHECK or trigger message of the form "column: what is wrong" (migration
/// 0003's date triggers) becomes invalid input for that field; anything else
/// stays a database error.
impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(failure, Some(message)) = &error {
            if failure.code == rusqlite::ErrorCode::ConstraintViolation {
                if let Some((field, text)) = message.split_once(": ") {
                    let is_column = !field.is_empty()
                        && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                    if is_column {
                        return Error::invalid(field, text);
                    }
                }
            }
        }
        Error::Sqlite(error)
    }
}

/// What the UI switches on; stable across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The workspace file cannot be used; the message names the path and what to do.
    Workspace,
    NotFound,
    InvalidInput,
    /// The record changed or vanished since the form loaded it; reload before editing.
    /// Also a restore that collides with what the workspace holds now.
    Conflict,
    /// The user cancelled a long operation (an import); nothing was changed.
    Cancelled,
    /// The team server is unreachable, refused the login, or the role may only read.
    Team,
    Internal,
}

/// The error shape every command returns: a machine `kind`, a human `message`,
/// and the form `field` at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl From<&Error> for AppError {
    fn from(error: &Error) -> Self {
        let kind = match error {
            Error::WorkspaceMissing { .. }
            | Error::WorkspaceBlank { .. }
            | Error::WorkspaceNeedsUpgrade { .. }
            | Error::WorkspaceBusy { .. }
            | Error::WorkspaceIsDirectory { .. }
            | Error::WorkspaceNotSqlite { .. }
            | Error::WorkspaceForeign { .. }
            | Error::WorkspaceTooNew { .. }
            | Error::WorkspaceUnwritable { .. }
            | Error::WorkspaceCorrupt { .. }
            | Error::WorkspaceSchemaAltered { .. }
            | Error::WorkspaceOpenElsewhere { .. }
            | Error::BackupFailed { .. } => ErrorKind::Workspace,
            // The file the user picked to restore from, not the workspace.
            Error::BackupInvalid { .. } => ErrorKind::InvalidInput,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::StaleEdit { .. } | Error::RestoreRefused { .. } => ErrorKind::Conflict,
            Error::ImportFile { .. } | Error::ImportRowRejected { .. } => ErrorKind::InvalidInput,
            Error::UndoRefused { .. } => ErrorKind::Conflict,
            Error::ImportCancelled => ErrorKind::Cancelled,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::TeamServer { .. } => ErrorKind::Team,
            // The destination the user chose: the export dialog shows it by its path field.
            Error::ExportUnwritable { .. }
            | Error::WouldOverwriteWorkspace { .. }
            | Error::PathNotChosen { .. } => ErrorKind::InvalidInput,
            Error::DiskSpace { .. } => ErrorKind::Workspace,
            Error::Dataset(_) | Error::Sqlite(_) | Error::Io { .. } => ErrorKind::Internal,
        };
        let field = match error {
            Error::InvalidInput { field, .. } => Some(field.clone()),
            Error::ImportFile { .. } => Some("file".into()),
            Error::ImportRowRejected { column, .. } => column.clone(),
            Error::ExportUnwritable { .. }
            | Error::WouldOverwriteWorkspace { .. }
            | Error::PathNotChosen { .. } => Some("path".into()),
            _ => None,
        };
        AppError {
            kind,
            message: error.to_string(),
            field,
        }
    }
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        AppError::from(&error)
    }
}
