//! `chipwatch backup`, `backups` and `restore`: see README's Backups section.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::{backups, restore, Error};

use crate::print_json;

pub(crate) fn backup_command(
    path: &Path,
    out: Option<&Path>,
    json: bool,
) -> Result<ExitCode, Error> {
    let info = backups::backup_workspace(path, out)?;
    if json {
        return print_json(&info);
    }
    println_escaped!(
        "Backed up {} to {} ({}, schema version {}).",
        path.display(),
        info.path,
        size_label(info.bytes),
        info.schema_version
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn restore_command(path: &Path, from: &Path, json: bool) -> Result<ExitCode, Error> {
    let report = restore::restore(path, from)?;
    if json {
        return print_json(&report);
    }
    let upgraded = if report.from_version < report.schema_version {
        format!(
            ", upgraded from schema version {} to {}",
            report.from_version, report.schema_version
        )
    } else {
        String::new()
    };
    println_escaped!(
        "Restored {} from {}{upgraded} ({} firms, {} sources, {} notes).",
        report.workspace,
        report.restored_from,
        report.counts.firms,
        report.counts.sources,
        report.counts.notes
    );
    if let Some(previous) = &report.previous_state {
        println_escaped!("The workspace as it was before is kept as {previous}.");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn backups_command(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let listed = backups::list_backups(path)?;
    if json {
        return print_json(&listed);
    }
    if listed.is_empty() {
        println_escaped!(
            "No backups of {} yet (they go into {}).",
            path.display(),
            backups::folder(path).display()
        );
    }
    for b in &listed {
        println_escaped!(
            "{}  {:<14}  v{:<3} {:>9}  {}",
            b.created_at,
            b.reason.slug(),
            b.schema_version,
            size_label(b.bytes),
            b.path
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn size_label(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
