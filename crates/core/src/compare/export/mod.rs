//! Comparison sheets: XLSX, CSV (wide and long) and Markdown, shared by the app
//! and the CLI, with "what changed since the last export" for saved comparisons.
//!
//! A file is built whole in memory, written to a temporary file in the
//! destination folder, synced, and renamed over the destination: a reader
//! never sees half a sheet, and a failure (a folder that cannot be written, a
//! full disk) leaves nothing behind. For a saved comparison the snapshot of
//! what was exported is stored in the same transaction as the rename, so it is
//! stored exactly when the file is in place.

pub mod csv;
mod markdown;
mod xlsx;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{compute, saved, ComparisonMatrix, ComparisonSelection};
use crate::error::{Error, Result};
use crate::model::{FirmRef, Id, Source};
use crate::store::Store;

pub use self::csv::neutralise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// Sheets Comparison, Evidence, Sources, About (and Changes).
    Xlsx,
    /// One row per firm, a column per dimension (numbers alone, the chip they
    /// rest on and the sources in columns beside them).
    Csv,
    /// One row per cell: firm, dimension, value, number, based_on, as_of, sources.
    CsvLong,
    /// A table and numbered source notes (and a Changes section).
    Markdown,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
            ExportFormat::CsvLong => "csv-long",
            ExportFormat::Markdown => "md",
        }
    }

    /// Whether the format has room for the changes since the last export.
    pub fn shows_changes(self) -> bool {
        matches!(self, ExportFormat::Xlsx | ExportFormat::Markdown)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub selection: ComparisonSelection,
    /// The saved comparison being exported: its last export is what "Changes"
    /// compares with, and this export becomes its last when it succeeds.
    pub saved_id: Option<Id>,
    pub format: ExportFormat,
    /// The file to write; replaced whole if it exists.
    pub path: String,
    /// Add a Changes sheet (XLSX) or section (Markdown); needs `savedId`.
    pub include_changes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

/// One cell that differs from the last export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CellChange {
    pub firm_id: Id,
    pub firm: String,
    pub dimension_id: String,
    pub dimension: String,
    pub kind: ChangeKind,
    /// As last exported; null for an added cell.
    pub old_value: Option<String>,
    /// As now; null for a removed cell.
    pub new_value: Option<String>,
}

/// What changed since a saved comparison's last export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangesReport {
    /// When the last export was made (UTC RFC 3339).
    pub since: String,
    pub changes: Vec<CellChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub path: String,
    pub format: ExportFormat,
    /// UTC RFC 3339.
    pub exported_at: String,
    pub firms: usize,
    pub dimensions: usize,
    /// Distinct sources cited by the cells.
    pub sources: usize,
    /// The changes since the last export of the saved comparison; null when it
    /// is not saved or was never exported.
    pub changes: Option<ChangesReport>,
}

/// The matrix as exported, kept to compare the next export with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Snapshot {
    firms: Vec<FirmRef>,
    dimensions: Vec<(String, String)>,
    /// `values[i][j]`: firm i on dimension j, as displayed.
    values: Vec<Vec<String>>,
}

impl Snapshot {
    fn of(matrix: &ComparisonMatrix) -> Snapshot {
        Snapshot {
            firms: matrix.firms.clone(),
            dimensions: matrix
                .dimensions
                .iter()
                .map(|d| (d.id.clone(), d.label.clone()))
                .collect(),
            values: matrix
                .rows
                .iter()
                .map(|row| row.iter().map(super::ComparisonCell::display).collect())
                .collect(),
        }
    }

    /// Exports made before vocabulary.rs wrote "unknown" and "none recorded"
    /// for what is now `NOT_RECORDED`: read as the new word, so the first
    /// export after the change does not report every such cell as changed.
    fn reword_legacy(&mut self) {
        for value in self.values.iter_mut().flatten() {
            if value == "unknown" || value == "none recorded" {
                *value = crate::vocabulary::NOT_RECORDED.to_owned();
            }
        }
    }

    /// Every cell, keyed by (firm id, dimension id).
    fn cells(&self) -> Vec<(CellKey, CellText)> {
        let mut cells = Vec::new();
        for (firm, row) in self.firms.iter().zip(&self.values) {
            for ((id, label), value) in self.dimensions.iter().zip(row) {
                cells.push((
                    (firm.id, id.clone()),
                    CellText {
                        firm: firm_label(firm),
                        dimension: label.clone(),
                        value: value.clone(),
                    },
                ));
            }
        }
        cells
    }
}

/// A cell's place: (firm id, dimension id).
type CellKey = (Id, String);

/// A cell as people read it.
struct CellText {
    firm: String,
    dimension: String,
    value: String,
}

/// Cells added, changed and removed between two snapshots: in the new one's
/// order, then the removed ones in the old one's order.
pub(crate) fn diff(old: &Snapshot, new: &Snapshot) -> Vec<CellChange> {
    let old_cells = old.cells();
    let new_cells = new.cells();
    let before: HashMap<&CellKey, &CellText> = old_cells.iter().map(|(k, v)| (k, v)).collect();
    let after: HashMap<&CellKey, &CellText> = new_cells.iter().map(|(k, v)| (k, v)).collect();
    let change = |key: &CellKey, text: &CellText, kind, old_value, new_value| CellChange {
        firm_id: key.0,
        firm: text.firm.clone(),
        dimension_id: key.1.clone(),
        dimension: text.dimension.clone(),
        kind,
        old_value,
        new_value,
    };
    let mut changes = Vec::new();
    for (key, now) in &new_cells {
        match before.get(key) {
            None => changes.push(change(
                key,
                now,
                ChangeKind::Added,
                None,
                Some(now.value.clone()),
            )),
            Some(was) if was.value != now.value => changes.push(change(
                key,
                now,
                ChangeKind::Changed,
                Some(was.value.clone()),
                Some(now.value.clone()),
            )),
            Some(_) => {}
        }
    }
    for (key, was) in &old_cells {
        if !after.contains_key(key) {
            changes.push(change(
                key,
                was,
                ChangeKind::Removed,
                Some(was.value.clone()),
                None,
            ));
        }
    }
    changes
}

/// "Huawei (华为)" or "Huawei".
pub(crate) fn firm_label(firm: &FirmRef) -> String {
    match &firm.native_name {
        Some(native) if !native.trim().is_empty() => format!("{} ({native})", firm.name),
        _ => firm.name.clone(),
    }
}

/// Everything a writer needs: the matrix, its sources numbered in order of
/// first citation (row by row), and the facts for the About sheet.
pub(crate) struct Document {
    pub matrix: ComparisonMatrix,
    pub sources: Vec<Source>,
    /// Source id → its note number (1-based).
    pub numbers: HashMap<Id, usize>,
    pub title: String,
    pub workspace: String,
    pub exported_at: String,
    /// Some when changes were asked for: None inside when there was no earlier export.
    pub changes: Option<Option<ChangesReport>>,
}

impl Document {
    /// "[1] [3]" for a cell's sources (their reference numbers into the
    /// sheet's or document's numbered Sources, `vocabulary::reference_marks`),
    /// "" when it has none.
    pub fn markers(&self, sources: &[Id]) -> String {
        let mut numbers: Vec<usize> = sources
            .iter()
            .filter_map(|id| self.numbers.get(id).copied())
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        const SHOWN: usize = 8;
        crate::vocabulary::reference_marks(&numbers, SHOWN)
    }

    /// The window and stale rule in words, for About and the Markdown header.
    pub fn filters_text(&self) -> (String, String) {
        let f = &self.matrix.filters;
        let window = match (&f.from, &f.to) {
            (None, None) => "all dates".to_owned(),
            (Some(from), None) => format!("from {from}"),
            (None, Some(to)) => format!("up to {to}"),
            (Some(from), Some(to)) => format!("{from} to {to}"),
        };
        let mut stale = Vec::new();
        if let Some(days) = f.stale_after_days {
            stale.push(format!("newest evidence older than {days} days"));
        }
        if let Some(before) = &f.stale_before {
            stale.push(format!("newest evidence before {before}"));
        }
        let stale = if stale.is_empty() {
            "none".to_owned()
        } else {
            stale.join(" or ")
        };
        (window, stale)
    }
}

/// What changed since the saved comparison's last export, for `selection` as
/// it would be exported now; None when it was never exported.
pub fn changes(
    store: &Store,
    saved_id: Id,
    selection: &ComparisonSelection,
) -> Result<Option<ChangesReport>> {
    let today = chrono::Local::now().date_naive();
    store.read(|conn| {
        saved::load_in(conn, saved_id)?;
        let matrix = compute::matrix(conn, selection, today)?;
        changes_in(conn, saved_id, &Snapshot::of(&matrix))
    })
}

fn changes_in(conn: &Connection, saved_id: Id, now: &Snapshot) -> Result<Option<ChangesReport>> {
    let Some((since, json)) = saved::last_snapshot(conn, saved_id)? else {
        return Ok(None);
    };
    // A snapshot this version cannot read compares as if there were none.
    let Ok(mut old) = serde_json::from_str::<Snapshot>(&json) else {
        return Ok(None);
    };
    old.reword_legacy();
    Ok(Some(ChangesReport {
        since,
        changes: diff(&old, now),
    }))
}

/// Writes the comparison sheet. An empty selection (no firms, or none that
/// still exist) is refused and writes nothing. For a saved comparison the
/// snapshot of this export is stored when the file is in place.
pub fn export(store: &mut Store, request: &ExportRequest) -> Result<ExportSummary> {
    let path = PathBuf::from(&request.path);
    if request.path.trim().is_empty() {
        return Err(Error::invalid("path", "choose a file to export to"));
    }
    // Before any work: never the workspace's own files; symlinks and modes kept.
    let destination = crate::files::Destination::check(&path, store.path())?;
    let today = chrono::Local::now().date_naive();
    let exported_at = crate::text::now_utc();
    let workspace = store
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| ":memory:".into());
    let (document, snapshot) = store.read(|conn| {
        let name = match request.saved_id {
            Some(id) => Some(saved::load_in(conn, id)?.name),
            None => None,
        };
        let matrix = compute::matrix(conn, &request.selection, today)?;
        if matrix.firms.is_empty() {
            let why = if request.selection.firm_ids.is_empty() {
                "no firms are chosen".to_owned()
            } else {
                "none of the chosen firms exists any more".to_owned()
            };
            return Err(Error::invalid(
                "selection.firmIds",
                format!("Nothing to export: {why}. Choose at least one firm."),
            ));
        }
        if matrix.dimensions.is_empty() {
            return Err(Error::invalid(
                "selection.dimensions",
                "Nothing to export: none of the chosen dimensions exists any more. Choose at least one.",
            ));
        }
        let snapshot = Snapshot::of(&matrix);
        let changes = match (request.saved_id, request.include_changes) {
            (Some(id), true) => Some(changes_in(conn, id, &snapshot)?),
            _ => None,
        };
        let (sources, numbers) = cited_sources(conn, &matrix)?;
        Ok((
            Document {
                title: name.unwrap_or_else(|| "Comparison".into()),
                matrix,
                sources,
                numbers,
                workspace: workspace.clone(),
                exported_at: exported_at.clone(),
                changes,
            },
            snapshot,
        ))
    })?;

    let bytes = match request.format {
        ExportFormat::Xlsx => xlsx::workbook(&document).map_err(|e| Error::ExportUnwritable {
            path: path.clone(),
            reason: format!("the spreadsheet could not be built ({e})"),
        })?,
        ExportFormat::Csv => csv::wide(&document),
        ExportFormat::CsvLong => csv::long(&document),
        ExportFormat::Markdown => markdown::report(&document).into_bytes(),
    };
    let temp = destination.write_temp(|file| file.write_all(&bytes))?;
    let shown_path = std::path::absolute(&path)
        .unwrap_or_else(|_| path.clone())
        .display()
        .to_string();
    match request.saved_id {
        Some(id) => {
            let snapshot_json = serde_json::to_string(&snapshot)
                .map_err(|e| Error::invalid("snapshot", e.to_string()))?;
            // The file lands inside the transaction that stores its snapshot:
            // if the rename fails, the snapshot is rolled back with it.
            store.write(|tx| {
                saved::store_snapshot(
                    tx,
                    id,
                    &exported_at,
                    request.format.as_str(),
                    &shown_path,
                    &snapshot_json,
                )?;
                destination.persist(temp)
            })?;
        }
        None => destination.persist(temp)?,
    }
    Ok(ExportSummary {
        path: shown_path,
        format: request.format,
        exported_at,
        firms: document.matrix.firms.len(),
        dimensions: document.matrix.dimensions.len(),
        sources: document.sources.len(),
        changes: document.changes.flatten(),
    })
}

/// The sources the cells cite, numbered in order of first citation, row by row.
fn cited_sources(
    conn: &Connection,
    matrix: &ComparisonMatrix,
) -> Result<(Vec<Source>, HashMap<Id, usize>)> {
    let mut numbers: HashMap<Id, usize> = HashMap::new();
    let mut sources = Vec::new();
    for row in &matrix.rows {
        for cell in row {
            for id in &cell.sources {
                if numbers.contains_key(id) {
                    continue;
                }
                match crate::sources::load(conn, *id) {
                    Ok(source) => {
                        sources.push(source);
                        numbers.insert(*id, sources.len());
                    }
                    // Deleted between the two reads cannot happen in one
                    // transaction; a missing row is simply not cited.
                    Err(Error::NotFound { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok((sources, numbers))
}
