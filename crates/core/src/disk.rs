//! Free disk space: checked before a backup or an import writes, so that a
//! nearly full disk gets a plain message up front instead of a failure halfway.

use std::path::Path;

use crate::error::{Error, Result};

/// Room kept free beyond what an operation itself needs: SQLite's journals,
/// the temporary files of a sort, the rest of the system.
pub const RESERVE_BYTES: u64 = 32 * 1024 * 1024;

/// Bytes an unprivileged user may still write on the file system holding
/// `folder` (the nearest existing folder above it); `None` where that cannot
/// be read, which counts as enough (the write itself still reports a full disk).
pub fn free_bytes(folder: &Path) -> Option<u64> {
    let mut at = folder;
    while !at.exists() {
        at = at.parent()?;
    }
    #[cfg(unix)]
    {
        let stats = rustix::fs::statvfs(at).ok()?;
        Some(stats.f_bavail.saturating_mul(stats.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = at;
        None
    }
}

/// Refuses `what` when the file system of `folder` has less than `needed`
/// bytes free (plus [`RESERVE_BYTES`]); `advice` says how to make room.
pub fn ensure_free(folder: &Path, needed: u64, what: &str, advice: &str) -> Result<()> {
    let Some(free) = free_bytes(folder) else {
        return Ok(());
    };
    let wanted = needed.saturating_add(RESERVE_BYTES);
    if free >= wanted {
        return Ok(());
    }
    Err(Error::DiskSpace {
        what: what.to_owned(),
        needed: human_bytes(wanted),
        free: human_bytes(free),
        folder: folder.to_path_buf(),
        advice: advice.to_owned(),
    })
}

/// `1.4 GB`, `820 MB`, `12 KB`, `512 bytes` (powers of 1000, as file managers show them).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1_000_000_000_000, "TB"),
        (1_000_000_000, "GB"),
        (1_000_000, "MB"),
        (1_000, "KB"),
    ];
    for (size, unit) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if value < 10.0 {
                format!("{value:.1} {unit}")
            } else {
                format!("{value:.0} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_file_manager_shows_them() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(12_345), "12 KB");
        assert_eq!(human_bytes(1_400_000_000), "1.4 GB");
        assert_eq!(human_bytes(820_000_000), "820 MB");
    }

    #[test]
    fn a_folder_not_made_yet_is_measured_on_the_disk_above_it() {
        let here = std::env::temp_dir();
        let later = here.join("not made yet").join("backups");
        assert_eq!(free_bytes(&later).is_some(), free_bytes(&here).is_some());
    }
}
