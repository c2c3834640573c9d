//! Files the user asks the app to write (an exported chart): written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// What a native file dialog is for: its title, the files it offers, and
/// whether it opens or saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PathPurpose {
    OpenWorkspace,
    NewWorkspace,
    ImportCsv,
    SaveXlsx,
    SaveCsv,
    SaveMarkdown,
    SaveBackup,
    RestoreBackup,
    SavePng,
    SaveSvg,
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
            PathPurpose::ImportCsv => (
                "Import a CSV file",
                "CSV or tab-separated text",
                &["csv", "tsv", "txt"],
                false,
            ),
            PathPurpose::SaveXlsx => ("Export comparison", "Excel workbook", &["xlsx"], true),
            PathPurpose::SaveCsv => ("Export comparison", "CSV", &["csv"], true),
            PathPurpose::SaveMarkdown => ("Export comparison", "Markdown", &["md"], true),
            PathPurpose::SaveBackup => ("Back up workspace", "Chipwatch workspace", &["db"], true),
            PathPurpose::SavePng => ("Save chart as PNG", "PNG image", &["png"], true),
            PathPurpose::SaveSvg => ("Save chart as SVG", "SVG image", &["svg"], true),
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

/// Writes `bytes` to `path` so that `path` holds either its old contents or all
/// of `bytes`, never a part: the bytes go to a hidden temporary file in the
/// destination folder, which is synced and then renamed over `path` (replacing
/// a file already there). Any failure is an [`Error::Io`] naming `path`, and no
/// temporary file is left behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let failed = |source: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().ok_or_else(|| {
        failed(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path names a folder, not a file",
        ))
    })?;
    if path.is_dir() {
        return Err(failed(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "a folder has this name; choose a file name",
        )));
    }
    let folder = folder_of(path);
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    // The mode a new file gets anyway (less the umask), not tempfile's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    // Dropping `temp` on any early return deletes the temporary file.
    let mut temp = builder.tempfile_in(&folder).map_err(failed)?;
    temp.write_all(bytes).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(path).map_err(|e| failed(e.error))?;
    // Sync the folder too, so the rename itself survives a power cut.
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
