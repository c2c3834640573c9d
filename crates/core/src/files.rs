//! Files the user asks the app to write (an export, a chart, a problems list):
//! never one of the workspace's own files, written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tempfile::NamedTempFile;
use ts_rs::TS;

use crate::{Error, Result};

/// What a native file dialog is for: its title, the files it offers, and
/// whether it opens or saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PathPurpose {
    OpenWorkspace,
    NewWorkspace,
    /// A file to import: CSV, or a citation file (RIS, BibTeX, CSL-JSON).
    ImportFile,
    SaveXlsx,
    SaveCsv,
    SaveMarkdown,
    SaveBackup,
    RestoreBackup,
    SavePng,
    SaveSvg,
    SaveBibtex,
    SaveRis,
    SaveCslJson,
}

/// A file dialog as the shell shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogSpec {
    pub title: &'static str,
    /// The name of the file types offered, and their extensions.
    pub filter: &'static str,
    pub extensions: &'static [&'static str],
    pub saves: bool,
}

impl PathPurpose {
    pub fn dialog(self) -> DialogSpec {
        let (title, filter, extensions, saves): (&str, &str, &[&str], bool) = match self {
            PathPurpose::OpenWorkspace => (
                "Open workspace",
                "Chipwatch workspace",
                &["db", "sqlite"],
                false,
            ),
            PathPurpose::NewWorkspace => ("New workspace", "Chipwatch workspace", &["db"], true),
            PathPurpose::ImportFile => (
                "Import a file",
                "CSV, RIS, BibTeX or CSL-JSON",
                &["csv", "tsv", "txt", "ris", "bib", "json"],
                false,
            ),
            PathPurpose::SaveXlsx => ("Export comparison", "Excel workbook", &["xlsx"], true),
            PathPurpose::SaveCsv => ("Export comparison", "CSV", &["csv"], true),
            PathPurpose::SaveMarkdown => ("Export comparison", "Markdown", &["md"], true),
            PathPurpose::SaveBackup => ("Back up workspace", "Chipwatch workspace", &["db"], true),
            PathPurpose::SavePng => ("Save chart as PNG", "PNG image", &["png"], true),
            PathPurpose::SaveSvg => ("Save chart as SVG", "SVG image", &["svg"], true),
            PathPurpose::SaveBibtex => ("Export citations", "BibTeX", &["bib"], true),
            PathPurpose::SaveRis => ("Export citations", "RIS", &["ris"], true),
            PathPurpose::SaveCslJson => ("Export citations", "CSL-JSON", &["json"], true),
            PathPurpose::RestoreBackup => (
                "Restore from a backup",
                "Chipwatch workspace",
                &["db", "sqlite"],
                false,
            ),
        };
        DialogSpec {
            title,
            filter,
            extensions,
            saves,
        }
    }
}

/// The files the person chose in a native file dialog or dropped on the
/// window: the only paths the app's commands read or write. The web page can
/// ask for any path; only a path the shell saw come back from a dialog (or a
/// drop, or the recent list the app itself keeps) is accepted, so a page that
/// misbehaves cannot read /etc/passwd or write over a file the person never
/// named.
#[derive(Debug, Default)]
pub struct ChosenPaths {
    paths: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl ChosenPaths {
    /// Remembers a path the person chose.
    pub fn remember(&self, path: &Path) {
        if let Ok(mut paths) = self.paths.lock() {
            paths.insert(path.to_path_buf());
        }
    }

    /// `path` if the person chose it, else an error saying to choose it.
    pub fn require(&self, path: &str) -> Result<PathBuf> {
        let path = PathBuf::from(path);
        let chosen = self.paths.lock().is_ok_and(|paths| paths.contains(&path));
        if chosen {
            Ok(path)
        } else {
            Err(Error::PathNotChosen { path })
        }
    }
}

/// A file the user chose to write (an export, a chart, a problems list),
/// checked before anything is written: never one of the open workspace's own
/// files (see [`crate::paths::refuse_workspace_files`]); a symlink is followed
/// and its target replaced, the link kept; an existing file keeps its mode
/// (and, where allowed, its owner).
#[derive(Debug)]
pub struct Destination {
    /// The path as the user chose it, for messages.
    chosen: PathBuf,
    /// The file that is replaced or created: `chosen` with symlinks followed.
    target: PathBuf,
    existing: Option<std::fs::Metadata>,
}

impl Destination {
    /// Checks `path` against the open `workspace` (when there is one) and
    /// looks at what is there now.
    pub fn check(path: &Path, workspace: Option<&Path>) -> Result<Destination> {
        let unwritable = |reason: String| Error::ExportUnwritable {
            path: path.to_path_buf(),
            reason,
        };
        if path.file_name().is_none() {
            return Err(unwritable(
                "it names no file; give a file name such as comparison.xlsx".into(),
            ));
        }
        if let Some(workspace) = workspace {
            crate::paths::refuse_workspace_files(path, workspace)?;
        }
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let target = if is_link {
            std::fs::canonicalize(path).map_err(|_| {
                unwritable(
                    "it is a link to a file or folder that does not exist; choose another name"
                        .into(),
                )
            })?
        } else {
            path.to_path_buf()
        };
        let existing = match std::fs::metadata(&target) {
            Ok(m) if m.is_dir() => {
                return Err(unwritable(
                    "it is a folder; give a file name such as comparison.xlsx".into(),
                ))
            }
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(unwritable(io_reason(&e, &folder_of(&target)))),
        };
        Ok(Destination {
            chosen: path.to_path_buf(),
            target,
            existing,
        })
    }

    /// The path as the user chose it.
    pub fn path(&self) -> &Path {
        &self.chosen
    }

    /// Writes a hidden temporary file beside the target with `write`, synced;
    /// [`Destination::persist`] puts it in place. Dropped, it is deleted, so a
    /// failure (a full disk) leaves nothing behind.
    pub fn write_temp(
        &self,
        write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    ) -> Result<NamedTempFile> {
        let folder = folder_of(&self.target);
        let failed = |e: std::io::Error| Error::ExportUnwritable {
            path: self.chosen.clone(),
            reason: io_reason(&e, &folder),
        };
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        // The mode a new file gets anyway (less the umask), not tempfile's 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut temp = builder.tempfile_in(&folder).map_err(failed)?;
        if let Some(existing) = &self.existing {
            keep_mode_and_owner(temp.as_file(), existing).map_err(failed)?;
        }
        write(temp.as_file_mut())
            .and_then(|()| temp.as_file_mut().flush())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(failed)?;
        Ok(temp)
    }

    /// Renames the finished temporary file over the target and syncs the
    /// folder, so the rename survives a power cut.
    pub fn persist(&self, temp: NamedTempFile) -> Result<()> {
        let folder = folder_of(&self.target);
        temp.persist(&self.target)
            .map_err(|e| Error::ExportUnwritable {
                path: self.chosen.clone(),
                reason: io_reason(&e.error, &folder),
            })?;
        if let Ok(dir) = std::fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// The replaced file's permissions exactly (no umask), and its owner when
/// this process may set it (root replacing a user's file).
fn keep_mode_and_owner(file: &std::fs::File, existing: &std::fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(existing.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let owner = rustix::fs::Uid::from_raw(existing.uid());
        let group = rustix::fs::Gid::from_raw(existing.gid());
        // Only root may give a file away; anyone else keeps it as theirs.
        let _ = rustix::fs::fchown(file, Some(owner), Some(group));
    }
    Ok(())
}

/// Writes `bytes` to the file the user chose at `path`, so that it holds
/// either its old contents or all of `bytes`, never a part (see
/// [`Destination`]). `workspace` is the open workspace, whose files are refused.
pub fn write_atomically(path: &Path, bytes: &[u8], workspace: Option<&Path>) -> Result<()> {
    let destination = Destination::check(path, workspace)?;
    let temp = destination.write_temp(|file| file.write_all(bytes))?;
    destination.persist(temp)
}

/// What an analyst can do about an I/O failure while writing into `folder`.
pub(crate) fn io_reason(error: &std::io::Error, folder: &Path) -> String {
    const NO_SPACE: i32 = 28; // ENOSPC
    const READ_ONLY_FS: i32 = 30; // EROFS
    const NOT_A_FOLDER: i32 = 20; // ENOTDIR
    let shown = folder.display();
    match (error.kind(), error.raw_os_error()) {
        (std::io::ErrorKind::StorageFull, _) | (_, Some(NO_SPACE)) => {
            "the disk is full; free some space or choose another disk".into()
        }
        (_, Some(READ_ONLY_FS)) => format!("the folder {shown} is on a read-only disk"),
        (std::io::ErrorKind::PermissionDenied, _) => {
            format!("you may not write to the folder {shown}; choose another folder")
        }
        (std::io::ErrorKind::NotFound, _) => {
            format!("the folder {shown} does not exist; choose an existing folder")
        }
        (std::io::ErrorKind::NotADirectory, _) | (_, Some(NOT_A_FOLDER)) => {
            format!("{shown} is a file, not a folder; choose a folder")
        }
        _ => format!("{error} (in the folder {shown})"),
    }
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk that fills up halfway through the file: a clear error naming
    /// the file, and neither the file nor the temporary file is left behind.
    #[test]
    fn a_full_disk_leaves_no_partial_file() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            path: "tmp".into(),
            source,
        })?;
        let path = dir.path().join("比较 comparison.xlsx");
        let destination = Destination::check(&path, None)?;
        let result = destination.write_temp(|file| {
            file.write_all(b"half a sheet")?;
            Err(std::io::Error::from_raw_os_error(28))
        });
        let Err(error) = result else {
            panic!("a full disk must fail the export");
        };
        let message = error.to_string();
        assert!(message.contains("disk is full"), "{message}");
        assert!(message.contains("比较 comparison.xlsx"), "{message}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .map_err(|source| Error::Io {
                path: dir.path().into(),
                source,
            })?
            .collect();
        assert!(left.is_empty(), "nothing may be left behind: {left:?}");
        Ok(())
    }
}
