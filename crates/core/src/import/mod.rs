//! Import: sources (Zotero and spreadsheets as CSV; RIS, BibTeX/BibLaTeX and
//! CSL-JSON from reference managers and library catalogues), firm lists, and
//! chips from Epoch's ML hardware dataset. CSV goes through one streaming
//! pipeline:
//!
//! ```text
//! file ─ sniff (binary? BOM? UTF-8? chardetng) ─ decode (encoding_rs, streaming,
//!   quote and NUL checks) ─ delimiter ─ csv ─ mapping ─ normalise + validate
//!   each row ─ dedupe ─ write (one transaction) ─ batch record
//! ```
//!
//! - Nothing is held whole in memory: rows stream from the file into prepared
//!   statements; dedupe keys are 64-bit hashes in hash maps.
//! - One import is one `Store::write` transaction: it lands whole or not at all.
//!   A structural problem (binary file, unterminated quote, NUL byte, bytes that
//!   are not the encoding, the file changing meanwhile), cancelling, or a row
//!   problem under `strict` rolls everything back. A dry run does all the work
//!   and rolls back at the end, so its report is exactly what an import would do.
//! - Row problems reject that row only; the report names row (the line where the
//!   row starts, header = 1), column, value and what to do.
//! - The import holds the workspace's write lock while it runs: the app runs it
//!   on its own `Store` in a worker thread, with `progress` and `cancel`.
//!
//! A citation file (`format.rs` tells it by its first bytes) is read whole and
//! checked before anything is written (`citation_input.rs`); its records are
//! read into sources (`citation_rows.rs`: `ris.rs`, `bibtex.rs`,
//! `csl_json.rs`) and written by the same threads, dedupe, firm links, batch
//! and undo as a CSV's rows. It has no column mapping: its fields are named.
//!
//! Entry points: [`preview`], [`import_sources`], [`import_firms`],
//! [`import_chips`], [`undo`], [`list_batches`], and the presets in [`presets`].

mod autolink;
mod batches;
mod bibtex;
mod chips;
mod citation_input;
mod citation_rows;
mod csl_json;
mod decode;
pub mod dedupe;
mod firms;
mod format;
mod input;
pub mod mapping;
pub mod presets;
mod ris;
mod row_filter;
mod run;
pub mod sample;
pub mod screening_list;
pub mod screening_sample;
mod sniff;
mod source_pipeline;
mod source_rows;
mod source_writes;
mod sources;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Id, SourceDraft};
use crate::store::Store;
use crate::text::grouped;

pub use autolink::{mentions_of_firm, remove_mention, FirmMentions};
pub use batches::{list_batches, undo};
pub use citation_input::{MAX_BIBTEX_FILE_BYTES, MAX_CITATION_FILE_BYTES};
pub use format::{detect as file_format, FileFormat};
pub use input::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_HEADER_CHARS, MAX_ROW_BYTES};
pub use mapping::{fields_for, ColumnMapping, ImportField, Mapping};
pub use row_filter::{RowCondition, RowTest};
pub use run::{ImportRun, ImportSlot};

/// What a file is imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportTarget {
    Sources,
    Firms,
    /// Epoch AI's "Data on Machine Learning Hardware" CSV, as published.
    Chips,
    /// The US Consolidated Screening List (CSL) CSV, as published: firms with
    /// their export-control listings.
    Listings,
}

impl ImportTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportTarget::Sources => "sources",
            ImportTarget::Firms => "firms",
            ImportTarget::Chips => "chips",
            ImportTarget::Listings => "listings",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<ImportTarget> {
        [
            ImportTarget::Sources,
            ImportTarget::Firms,
            ImportTarget::Chips,
            ImportTarget::Listings,
        ]
        .into_iter()
        .find(|t| t.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub const ALL: [Delimiter; 3] = [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab];

    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Tab => "tab",
        }
    }
}

/// What to do with a row that matches an existing source (or an earlier row).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Leave it out (the default).
    #[default]
    Skip,
    /// Fill the empty fields of the record it matches; undo empties them again.
    Fill,
    /// Import it anyway, as a record of its own.
    Keep,
}

/// How to read and import a file. Everything defaults to automatic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    /// An encoding label ("utf-8", "gb18030", "big5", "shift_jis",
    /// "windows-1252", "utf-16le", ...); none means detect.
    pub encoding: Option<String>,
    /// None means detect (comma, semicolon or tab).
    pub delimiter: Option<Delimiter>,
    /// The mapping to use (as the UI edited it); wins over `preset`.
    pub mapping: Option<Mapping>,
    /// A saved preset's name, or "zotero"; none (and no mapping) means automatic.
    pub preset: Option<String>,
    pub on_duplicate: DuplicatePolicy,
    /// Any row problem aborts the whole file; nothing is written.
    pub strict: bool,
    /// Do everything except commit: the report says what an import would do.
    pub dry_run: bool,
    /// Only rows meeting all of these are imported (`--where`); the rest are
    /// counted in the report's `left_out`. A column the file lacks is an error.
    #[serde(default)]
    pub only_rows_where: Vec<RowCondition>,
    /// Screening list: the lists to import (short names or abbreviations:
    /// "Entity List", "MEU"); empty means every list.
    #[serde(default)]
    pub lists: Vec<String>,
    /// Screening list: only parties with an address in these countries (ISO
    /// codes or names); empty means every country.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Screening list: the date of the copy (YYYY-MM-DD); none means the
    /// day the file was last modified.
    #[serde(default)]
    pub copy_date: Option<String>,
}

/// One row problem: the row is left out, the rest imports. As a report's
/// row warning: the row was imported, and the value was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    /// The line where the row starts, as an editor shows it (the header is 1).
    #[ts(type = "number")]
    pub row: u64,
    /// The header of the column at fault; none when the whole row is.
    pub column: Option<String>,
    /// The value at fault, cut to 200 characters.
    pub value: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Why a row counts as a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKey {
    /// Same DOI, ignoring case.
    Doi,
    /// Same web address once normalised (case of scheme and host, trailing
    /// slash, fragment and tracking parameters such as utm_* ignored).
    Url,
    /// Same title (ignoring case, spaces and punctuation), year and first
    /// author's surname. For firms: the same name, native name or alias.
    Title,
    /// Firms and chips: the same name.
    Name,
}

/// A record that a duplicate row matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatchedRecord {
    pub id: Id,
    pub title: String,
}

/// One duplicate row and what it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateRow {
    #[ts(type = "number")]
    pub row: u64,
    pub key: DuplicateKey,
    /// The matching value as normalised (the DOI, the address, the title key).
    pub value: String,
    /// The record in the workspace it matches (for a match with an earlier row
    /// of the file, the record that row became, when it was written).
    pub existing: Option<MatchedRecord>,
    /// The earlier row of the same file it matches.
    #[ts(type = "number | null")]
    pub earlier_row: Option<u64>,
    pub action: DuplicatePolicy,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The import batch; none for a dry run or a file without data rows.
    pub batch: Option<Id>,
    pub target: Option<ImportTarget>,
    pub file_name: String,
    pub sha256: String,
    /// CSV, or the citation format the file was read as.
    pub format: FileFormat,
    /// The encoding read, e.g. "UTF-8", "GB18030", "UTF-16LE".
    pub encoding: String,
    pub delimiter: Option<Delimiter>,
    pub dry_run: bool,
    /// Data rows read (not counting the header); a citation file's records.
    #[ts(type = "number")]
    pub read: u64,
    #[ts(type = "number")]
    pub added: u64,
    /// Existing records whose empty fields were filled (policy fill).
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub duplicates: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    /// Source-to-firm mention links made (sources) or firms matched (chips).
    #[ts(type = "number")]
    pub linked: u64,
    /// Row problems, first [`MAX_LISTED`] of them.
    pub problems: Vec<ImportProblem>,
    /// Rows imported with a value left out (a kind or a country Chipwatch has
    /// no word for), first [`MAX_LISTED`] of them: what was kept and what to write.
    pub row_warnings: Vec<ImportProblem>,
    /// Rows left out by the options' `only_rows_where` (counted in `read`).
    #[ts(type = "number")]
    pub left_out: u64,
    /// Duplicate rows, first [`MAX_LISTED`] of them.
    pub duplicate_rows: Vec<DuplicateRow>,
    /// Problems, row warnings and duplicates left out of the lists above (the counts hold them all).
    #[ts(type = "number")]
    pub omitted: u64,
    /// Firms created because nothing in the workspace matched (chips, firm parents).
    pub created_firms: Vec<String>,
    /// Things worth knowing that rejected no row (a repeated header, a guessed encoding).
    pub warnings: Vec<String>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// A screening-list import: the copy, each party's match, what changed.
    pub listings: Option<screening_list::ListingsReport>,
}

/// The most problems and duplicate rows a report lists (the counts are complete).
pub const MAX_LISTED: usize = 10_000;

/// Where a running import is, for a progress bar: rows/s and time left follow
/// from `bytes_read` of `total_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub phase: ImportPhase,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub bytes_read: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Reading, checking and writing rows.
    Rows,
    /// Updating the search index and committing.
    Finishing,
    Done,
}

/// What the import wizard shows before importing: how the file will be read.
/// Its size is bounded whatever the file holds: at most [`MAX_COLUMNS`]
/// headers of [`MAX_HEADER_CHARS`], and cells cut to [`PREVIEW_CELL_CHARS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub file_name: String,
    #[ts(type = "number")]
    pub total_bytes: u64,
    /// CSV, or the citation format the file is read as (which has no column
    /// mapping, delimiter or encoding to choose: its fields are named).
    pub format: FileFormat,
    /// A citation file's records, those with problems too; none for a CSV,
    /// whose rows are counted only by reading it all.
    #[ts(type = "number | null")]
    pub records: Option<u64>,
    pub encoding: String,
    /// True when the encoding was guessed (no BOM, not UTF-8): worth a look.
    pub encoding_guessed: bool,
    /// A CSV's delimiter; none for a citation file.
    pub delimiter: Option<Delimiter>,
    /// Column headers as read (a repeated header gets " (2)"); none for a citation file.
    pub headers: Vec<String>,
    /// The mapping the import would use with these options (empty for a citation file).
    pub mapping: Mapping,
    /// The fields a column may map to for this target.
    pub fields: Vec<ImportField>,
    pub rows: Vec<PreviewRow>,
    /// Cells of `rows` cut to [`PREVIEW_CELL_CHARS`] (a warning says so too).
    pub cut_cells: u32,
    /// Rows the options' `only_rows_where` left out before the last row shown.
    #[ts(type = "number")]
    pub left_out: u64,
    /// Per column, its different values in the rows the preview looked at
    /// (up to [`VALUE_SCAN_ROWS`]), for "Only rows where": at most
    /// [`MAX_OFFERED_VALUES`], sorted; empty for a column with more (or with
    /// values longer than [`MAX_OFFERED_VALUE_CHARS`]).
    pub column_values: Vec<Vec<String>>,
    pub warnings: Vec<String>,
    /// What the file is by its header row, when it is a published file
    /// Chipwatch knows, or sources for a citation file chosen as something
    /// else (the wizard switches to it).
    pub recognized: Option<ImportTarget>,
}

/// One data row of the preview: the cells and, for sources, the source as it
/// would be stored (or the problems that would reject it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    /// The line the row (or record) starts on.
    #[ts(type = "number")]
    pub row: u64,
    /// How a citation file names the record ("The entry @article{smic2023}");
    /// none for a CSV row.
    pub record: Option<String>,
    /// The cells, each cut to [`PREVIEW_CELL_CHARS`] characters.
    pub cells: Vec<String>,
    /// Positions (from 0) of the cells that were cut; shown with an ellipsis.
    pub cut: Vec<u32>,
    /// Its text fields cut to [`PREVIEW_CELL_CHARS`] characters, ending in
    /// "…", and its tags to as many as fit in as many characters.
    pub source: Option<SourceDraft>,
    pub problems: Vec<ImportProblem>,
}

/// The most characters of a cell (and of a source field) a preview shows:
/// a screenful, where a whole cell may be megabytes. The import reads it whole.
pub const PREVIEW_CELL_CHARS: usize = 500;

/// One import batch in the import history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportBatch {
    pub id: Id,
    pub target: ImportTarget,
    pub file_name: String,
    pub sha256: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub imported_at: String,
    pub undone_at: Option<String>,
    pub read: i64,
    pub added: i64,
    pub updated: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub linked: i64,
}

/// What an undo removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoReport {
    pub batch: Id,
    pub removed_sources: i64,
    pub removed_firms: i64,
    pub removed_chips: i64,
    /// Filled fields emptied again.
    pub reverted_fills: i64,
    /// Records edited since the import that were removed anyway (`force`).
    pub edited_removed: i64,
    /// Listings a screening-list import added (removed) or changed (put back).
    pub listings: i64,
}

/// Rows an import preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// Data rows a preview reads at most: for the values of each column it offers,
/// and to find rows that meet `only_rows_where` (the rest of the file is the
/// import's to read).
pub const VALUE_SCAN_ROWS: u64 = 2_000;
/// Bytes of the file a preview reads at most for the values it offers.
pub const VALUE_SCAN_BYTES: u64 = 4 << 20;
/// A column with more different values than this offers none (a name, a title).
pub const MAX_OFFERED_VALUES: usize = 40;
/// A value longer than this is not offered (a column of such is free text).
pub const MAX_OFFERED_VALUE_CHARS: usize = 80;

/// How the file will be read and the first `rows` data rows as they will be
/// stored. Reads only the start of the file; writes nothing; setting `cancel`
/// stops it at the next chunk of the file (Error::ImportCancelled). The
/// workspace is read only for the mapping: see [`preview_file`].
pub fn preview(
    store: &Store,
    path: &Path,
    target: ImportTarget,
    options: &ImportOptions,
    rows: usize,
    cancel: &AtomicBool,
) -> Result<ImportPreview> {
    preview_file(path, target, options, rows, cancel, |headers| {
        resolve_mapping(store, target, options, headers)
    })
}

/// [`preview`] without holding the workspace while the file is read: the
/// header row is read, `mapping_for(headers)` is called once for the mapping
/// (the app locks the workspace only inside it, for [`resolve_mapping`]),
/// then the rows are read. A file that is one endless cell may take long to
/// read; only `cancel` waits for it.
pub fn preview_file<E: From<Error>>(
    path: &Path,
    target: ImportTarget,
    options: &ImportOptions,
    rows: usize,
    cancel: &AtomicBool,
    mapping_for: impl FnOnce(&[String]) -> std::result::Result<Mapping, E>,
) -> std::result::Result<ImportPreview, E> {
    let format = format::detect(path)?;
    if format.is_citations() {
        // Previewed as sources whatever the target chosen: `recognized` says
        // so and the wizard switches (an import as firms is refused).
        refuse_csv_options(path, format, ImportTarget::Sources, options)?;
        let mut preview = preview_citations(path, format, rows, cancel)?;
        preview.recognized = (target != ImportTarget::Sources).then_some(ImportTarget::Sources);
        return Ok(preview);
    }
    let mut input = input::CsvInput::open(path, options, cancel)?;
    let mapping = mapping_for(&input.headers)?;
    let mut preview_rows = Vec::new();
    let mut cut_cells: u32 = 0;
    let mut record = input::Record::default();
    let mut values = ColumnValues::new(input.headers.len());
    let mut scanned: u64 = 0;
    let mut left_out: u64 = 0;
    while scanned < VALUE_SCAN_ROWS
        && (preview_rows.len() < rows || (values.wanted() && input.bytes_read() < VALUE_SCAN_BYTES))
    {
        let Some(row) = input.next_record(&mut record)? else {
            break;
        };
        scanned += 1;
        values.add(&record);
        if preview_rows.len() >= rows {
            continue;
        }
        if !input.keeps(&record) {
            left_out += 1;
            continue;
        }
        let (source, problems) = match record.too_big(row, &input.headers) {
            Some(problem) => (None, vec![problem]),
            None if target == ImportTarget::Sources => {
                match sources::normalise(&mapping, &record, row) {
                    Ok(clean) => (Some(preview_draft(clean.draft)), Vec::new()),
                    Err(problems) => (None, problems),
                }
            }
            None => (None, Vec::new()),
        };
        let mut cut = Vec::new();
        let cells = record
            .iter()
            .enumerate()
            .map(
                |(index, cell)| match cell.char_indices().nth(PREVIEW_CELL_CHARS) {
                    Some((end, _)) => {
                        cut.push(index as u32);
                        cell[..end].to_owned()
                    }
                    None => cell.to_owned(),
                },
            )
            .collect();
        cut_cells += cut.len() as u32;
        preview_rows.push(PreviewRow {
            row,
            record: None,
            cells,
            cut,
            source,
            problems: problems.into_iter().map(shown_problem).collect(),
        });
    }
    let mut warnings = input.warnings.clone();
    match cut_cells {
        0 => {}
        1 => warnings.push(format!("1 cell longer than {PREVIEW_CELL_CHARS} characters is shortened in this preview; the import reads it whole.")),
        n => warnings.push(format!("{} cells longer than {PREVIEW_CELL_CHARS} characters are shortened in this preview; the import reads them whole.", grouped(u64::from(n)))),
    }
    if preview_rows.is_empty() && left_out > 0 {
        warnings.push(format!(
            "None of the first {} rows meets “only rows where”; the import would add nothing from them. Check the column and the value.",
            grouped(left_out)
        ));
    }
    Ok(ImportPreview {
        file_name: input.file_name.clone(),
        total_bytes: input.total_bytes,
        format: FileFormat::Csv,
        records: None,
        encoding: input.encoding.name().to_owned(),
        encoding_guessed: input.encoding_guessed,
        delimiter: Some(input.delimiter),
        headers: input.headers.clone(),
        fields: fields_for(target),
        mapping,
        rows: preview_rows,
        cut_cells,
        left_out,
        column_values: values.offered(),
        warnings,
        recognized: recognized_target(&input.headers),
    })
}

/// The different values of each column in the rows a preview reads; values
/// that differ only in case or surrounding spaces are one (as "Only rows
/// where" compares them), written as first seen.
struct ColumnValues {
    /// Per column, its values so far by their lower case; None once it has too many.
    columns: Vec<Option<std::collections::BTreeMap<String, String>>>,
}

impl ColumnValues {
    fn new(columns: usize) -> ColumnValues {
        ColumnValues {
            columns: vec![Some(std::collections::BTreeMap::new()); columns],
        }
    }

    /// Some column may still offer its values.
    fn wanted(&self) -> bool {
        self.columns.iter().any(Option::is_some)
    }

    fn add(&mut self, record: &input::Record) {
        for (index, column) in self.columns.iter_mut().enumerate() {
            let Some(values) = column else { continue };
            let cell = record.get(index).unwrap_or_default().trim();
            if cell.is_empty() {
                continue;
            }
            let key = cell.to_lowercase();
            if values.contains_key(&key) {
                continue;
            }
            if values.len() >= MAX_OFFERED_VALUES
                || cell.chars().nth(MAX_OFFERED_VALUE_CHARS).is_some()
            {
                *column = None;
            } else {
                values.insert(key, cell.to_owned());
            }
        }
    }

    fn offered(self) -> Vec<Vec<String>> {
        self.columns
            .into_iter()
            .map(|values| {
                values
                    .map(|v| v.into_values().collect())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// The first `rows` records of a citation file as they will be stored, and
/// how many it holds (it is read whole: see `citation_input.rs`).
fn preview_citations(
    path: &Path,
    format: FileFormat,
    rows: usize,
    cancel: &AtomicBool,
) -> Result<ImportPreview> {
    let mut input = citation_input::CitationInput::open(path, format, cancel)?;
    let mut preview_rows = Vec::new();
    while preview_rows.len() < rows {
        let Some(record) = input.next_record() else {
            break;
        };
        let row = record.line;
        let name = record.name.clone();
        let (source, problems) = match citation_rows::normalise_record(record) {
            Ok((clean, _)) => (Some(preview_draft(clean.draft)), Vec::new()),
            Err(problems) => (None, problems),
        };
        preview_rows.push(PreviewRow {
            row,
            record: Some(name),
            cells: Vec::new(),
            cut: Vec::new(),
            source,
            problems: problems.into_iter().map(shown_problem).collect(),
        });
    }
    Ok(ImportPreview {
        file_name: input.file_name.clone(),
        total_bytes: input.total_bytes,
        format,
        records: Some(input.records),
        encoding: encoding_rs::UTF_8.name().to_owned(),
        encoding_guessed: false,
        delimiter: None,
        headers: Vec::new(),
        mapping: Mapping::default(),
        fields: fields_for(ImportTarget::Sources),
        rows: preview_rows,
        cut_cells: 0,
        left_out: 0,
        column_values: Vec::new(),
        warnings: input.warnings.clone(),
        recognized: None,
    })
}

/// A citation file holds sources and names its fields itself: importing it
/// as firms or chips, or with a CSV's delimiter, encoding or column mapping,
/// is refused with what to do instead.
fn refuse_csv_options(
    path: &Path,
    format: FileFormat,
    target: ImportTarget,
    options: &ImportOptions,
) -> Result<()> {
    let label = format.label();
    let refused = |message: String| Error::ImportFile {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        line: None,
        message,
    };
    if target != ImportTarget::Sources {
        return Err(refused(format!(
            "is a {label} file: its records are sources, not {}. Import it as sources.",
            target.as_str()
        )));
    }
    if let Some(option) = csv_only_option(options) {
        return Err(refused(format!(
            "is a {label} file, read as UTF-8 with its fields named in it, so it takes no {option} (that is for CSV files). Leave the {option} on automatic."
        )));
    }
    Ok(())
}

/// The first option set that only a CSV file takes, by name.
pub fn csv_only_option(options: &ImportOptions) -> Option<&'static str> {
    let automatic = |text: &str| {
        let text = text.trim().to_ascii_lowercase();
        matches!(text.as_str(), "" | "auto")
    };
    if options.delimiter.is_some() {
        return Some("delimiter");
    }
    if options.encoding.as_deref().is_some_and(|label| {
        !automatic(label) && !matches!(label.trim().to_ascii_lowercase().as_str(), "utf-8" | "utf8")
    }) {
        return Some("encoding");
    }
    if options
        .mapping
        .as_ref()
        .is_some_and(|m| !m.columns.is_empty())
    {
        return Some("column mapping");
    }
    if options
        .preset
        .as_deref()
        .is_some_and(|name| !automatic(name))
    {
        return Some("saved mapping");
    }
    None
}

/// The published files Chipwatch knows by their header row: the Consolidated
/// Screening List and Epoch's hardware CSV. None for any other file.
pub fn recognized_target(headers: &[String]) -> Option<ImportTarget> {
    let has = |name: &str| headers.iter().any(|h| h.trim() == name);
    if screening_list::is_screening_list(headers) {
        Some(ImportTarget::Listings)
    } else if has("Hardware name") && has("Manufacturer") {
        Some(ImportTarget::Chips)
    } else {
        None
    }
}

/// [`preview_file`] with the mapping resolved on one of the workspace's read
/// connections, taken only for that moment: reading a large or slow file never
/// holds the app's store. Setting `cancel` stops it.
pub fn preview_in(
    readers: &crate::readers::Readers,
    path: &Path,
    target: ImportTarget,
    options: &ImportOptions,
    rows: usize,
    cancel: &AtomicBool,
) -> Result<ImportPreview> {
    preview_file(path, target, options, rows, cancel, |headers| {
        readers.read(|store| resolve_mapping(store, target, options, headers))
    })
}

/// A mapping as an import batch keeps it.
pub(crate) fn mapping_json(mapping: &Mapping) -> String {
    serde_json::to_string(mapping).unwrap_or_else(|_| "{}".into())
}

/// The mapping an import of a file with these `headers` would use (a saved
/// preset is read from the workspace).
pub fn resolve_mapping(
    store: &Store,
    target: ImportTarget,
    options: &ImportOptions,
    headers: &[String],
) -> Result<Mapping> {
    store.read(|conn| mapping::resolve(conn, target, options, headers))
}

/// A source as a preview shows it: see [`PreviewRow::source`].
fn preview_draft(draft: SourceDraft) -> SourceDraft {
    let cut = |text: String| match text.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    };
    let mut tags = Vec::new();
    let mut chars = 0;
    for (index, tag) in draft.tags.iter().enumerate() {
        chars += tag.chars().count();
        if chars > PREVIEW_CELL_CHARS {
            tags.push(format!(
                "… {} more",
                grouped((draft.tags.len() - index) as u64)
            ));
            break;
        }
        tags.push(tag.clone());
    }
    SourceDraft {
        title: cut(draft.title),
        authors: draft.authors.map(cut),
        publisher: draft.publisher.map(cut),
        url: draft.url.map(cut),
        doi: draft.doi.map(cut),
        language: draft.language.map(cut),
        r#abstract: draft.r#abstract.map(cut),
        tags,
        ..draft
    }
}

/// The column headers of `path` as an import reads them (encoding and
/// delimiter from `options`, else detected; a repeated header gets " (2)").
/// Reads only the start of the file; needs no workspace.
pub fn headers(path: &Path, options: &ImportOptions) -> Result<Vec<String>> {
    let format = format::detect(path)?;
    if format.is_citations() {
        return Err(Error::ImportFile {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            line: None,
            message: format!(
                "is a {} file: its fields are named in it, so it has no columns to map. Import it as it is.",
                format.label()
            ),
        });
    }
    let never = AtomicBool::new(false);
    Ok(input::CsvInput::open(path, options, &never)?.headers)
}

/// Imports sources from a CSV file (Zotero's export, a spreadsheet, a list in
/// Chinese) or a citation file (RIS, BibTeX/BibLaTeX, CSL-JSON, told by its
/// first bytes): see the module notes. `progress` is called about every
/// 100 ms; setting `cancel` stops the import between rows and leaves no trace.
pub fn import_sources(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let format = format::detect(path)?;
    if format.is_citations() {
        refuse_csv_options(path, format, ImportTarget::Sources, options)?;
        // Read and checked before the backup: a broken file leaves no trace.
        let input = citation_input::CitationInput::open(path, format, cancel)?;
        back_up_first(store, path, options)?;
        return sources::import_citations(
            store,
            input,
            path,
            options,
            &mut Control::new(progress, cancel),
        );
    }
    back_up_first(store, path, options)?;
    sources::import(store, path, options, &mut Control::new(progress, cancel))
}

/// Firms and chips come from CSV only: a citation file is refused, saying so.
fn csv_only(path: &Path, target: ImportTarget, options: &ImportOptions) -> Result<()> {
    match format::detect(path)? {
        FileFormat::Csv => Ok(()),
        format => refuse_csv_options(path, format, target, options),
    }
}

/// Imports firms from a list (`Name`, `Native name`, `Country`, `Aliases`, ...).
pub fn import_firms(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    csv_only(path, ImportTarget::Firms, options)?;
    back_up_first(store, path, options)?;
    firms::import(store, path, options, &mut Control::new(progress, cancel))
}

/// Imports chips from Epoch AI's ML hardware CSV as published (see
/// `assets/data/README.md`): every row, FLOP/s as TFLOPS, manufacturers and
/// foundries matched to firms (created when none matches), TPP from our own rule.
pub fn import_chips(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    csv_only(path, ImportTarget::Chips, options)?;
    back_up_first(store, path, options)?;
    chips::import(store, path, options, &mut Control::new(progress, cancel))
}

/// Imports the US Consolidated Screening List as published: each organisation
/// a firm (matched by name, alias or native name), each of its lists a dated
/// listing with its Federal Register citation; individuals and vessels are
/// skipped. See [`screening_list`].
pub fn import_listings(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    csv_only(path, ImportTarget::Listings, options)?;
    back_up_first(store, path, options)?;
    screening_list::import(store, path, options, &mut Control::new(progress, cancel))
}

/// Imports `path` as `target` into the workspace file `workspace`, on a
/// connection of its own: the import holds the write lock for its whole run,
/// and the app's other screens keep reading through theirs (WAL). Returns
/// the report, and the connection with the checkpoint still to run
/// ([`ImportConnection::checkpoint`]) once the report has been shown.
pub fn import_into(
    workspace: &Path,
    target: ImportTarget,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<(ImportReport, ImportConnection)> {
    let mut store = Store::open(workspace)?;
    let import = match target {
        ImportTarget::Sources => import_sources,
        ImportTarget::Firms => import_firms,
        ImportTarget::Chips => import_chips,
        ImportTarget::Listings => import_listings,
    };
    let report = import(&mut store, path, options, progress, cancel)?;
    Ok((report, ImportConnection(store)))
}

/// The connection an import wrote through. A big import beside another
/// connection leaves its pages in the WAL (`Store::write_in_bulk`); copying
/// them into the file is the slow end of its commit (~5 s after a million
/// rows), which need not hold up the report.
pub struct ImportConnection(Store);

impl ImportConnection {
    /// Copies the import's pages from the WAL into the file, then closes the
    /// connection. A checkpoint that fails or is cut short loses nothing: the
    /// pages stay in the WAL, where readers find them, for the next one.
    pub fn checkpoint(self) {
        let _ = self.0.checkpoint();
    }
}

/// Saves a report's row problems and row warnings as a spreadsheet (row,
/// column, value, message, and whether the row was left out or imported),
/// written whole or not at all, so an analyst can fix the file row by row.
/// `workspace` is the open workspace, which is never written over.
pub fn save_problems(
    path: &Path,
    problems: &[ImportProblem],
    row_warnings: &[ImportProblem],
    workspace: Option<&Path>,
) -> Result<()> {
    let mut rows = vec![["row", "column", "value", "message", "row was"]
        .map(String::from)
        .to_vec()];
    let mut listed: Vec<(&ImportProblem, &str)> = problems
        .iter()
        .map(|p| (p, "left out"))
        .chain(row_warnings.iter().map(|p| (p, "imported")))
        .collect();
    listed.sort_by_key(|(p, _)| p.row);
    rows.extend(listed.into_iter().map(|(p, outcome)| {
        vec![
            p.row.to_string(),
            p.column.clone().unwrap_or_default(),
            p.value.clone().unwrap_or_default(),
            p.message.clone(),
            outcome.to_owned(),
        ]
    }));
    let csv = crate::compare::export::csv::table(&rows);
    crate::files::write_atomically(path, csv.as_bytes(), workspace)
}

/// Every real import is preceded by a backup of the workspace (kept in its
/// backups folder, rotated: see `backups.rs`), so even a wrong import that was then
/// edited over can be gone back on. A dry run writes nothing and needs none;
/// an in-memory workspace has nowhere to put one.
fn back_up_first(store: &Store, path: &Path, options: &ImportOptions) -> Result<()> {
    if !options.dry_run && store.path().is_some() {
        let file_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        crate::backups::before_import(store, file_bytes)?;
    }
    Ok(())
}

/// What an import batch records of the file read (`batches.rs`), and the
/// check at the end: a CSV's streaming input or a citation file.
pub(crate) trait ImportedFile {
    fn file_name(&self) -> &str;
    /// The encoding read, as encoding_rs names it ("UTF-8").
    fn encoding_name(&self) -> &str;
    fn delimiter(&self) -> Option<Delimiter>;
    fn total_bytes(&self) -> u64;
    /// Bytes of the file read (or, for a file read whole, imported) so far.
    fn bytes_read(&self) -> u64;
    /// After the last row: the SHA-256 of what was imported, or an error
    /// when the file changed while it was being read.
    fn finish(&self) -> Result<String>;
    /// Rows read that "only rows where" left out (a CSV's; none for a citation file).
    fn left_out(&self) -> u64 {
        0
    }
}

/// Progress reporting and the cancel flag, shared by the three imports.
pub(crate) struct Control<'a> {
    progress: &'a mut dyn FnMut(&ImportProgress),
    cancel: &'a AtomicBool,
    started: Instant,
    last: Instant,
}

/// How often progress is reported.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

impl<'a> Control<'a> {
    fn new(progress: &'a mut dyn FnMut(&ImportProgress), cancel: &'a AtomicBool) -> Self {
        let now = Instant::now();
        Control {
            progress,
            cancel,
            started: now,
            last: now,
        }
    }

    /// Between rows: stops a cancelled import, reports progress now and then.
    fn tick(&mut self, rows_read: u64, bytes_read: u64, total_bytes: u64) -> Result<()> {
        if self.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(crate::error::Error::ImportCancelled);
        }
        // The clock is read every 64 rows: cheap, and still ~100 ms apart.
        if rows_read.is_multiple_of(64) && self.last.elapsed() >= PROGRESS_EVERY {
            self.last = Instant::now();
            self.report(ImportPhase::Rows, rows_read, bytes_read, total_bytes);
        }
        Ok(())
    }

    /// The end of an import: its time in the report, and the last progress.
    fn done(&mut self, report: &mut ImportReport, input: &dyn ImportedFile) {
        report.elapsed_ms = self.elapsed_ms();
        self.report(
            ImportPhase::Done,
            report.read,
            input.bytes_read(),
            input.total_bytes(),
        );
    }

    fn report(&mut self, phase: ImportPhase, rows_read: u64, bytes_read: u64, total_bytes: u64) {
        let update = ImportProgress {
            phase,
            rows_read,
            bytes_read,
            total_bytes,
            elapsed_ms: self.elapsed_ms(),
        };
        (self.progress)(&update);
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// Keeps the report's lists bounded; the counts stay exact.
pub(crate) fn push_listed<T>(list: &mut Vec<T>, omitted: &mut u64, item: T) {
    if list.len() < MAX_LISTED {
        list.push(item);
    } else {
        *omitted += 1;
    }
}

/// Leaves a row with problems out; under `strict`, aborts the whole import.
pub(crate) fn reject_row(
    strict: bool,
    report: &mut ImportReport,
    omitted: &mut u64,
    problems: Vec<ImportProblem>,
) -> Result<()> {
    if strict {
        if let Some(first) = problems.first() {
            return Err(crate::error::Error::ImportRowRejected {
                row: first.row,
                column: first.column.clone(),
                message: first.message.clone(),
            });
        }
    }
    report.rejected += 1;
    for problem in problems {
        push_listed(&mut report.problems, omitted, shown_problem(problem));
    }
    Ok(())
}

/// Notes a row that imports with a value left out (see [`ImportReport::row_warnings`]).
pub(crate) fn warn_row(report: &mut ImportReport, omitted: &mut u64, warning: ImportProblem) {
    push_listed(&mut report.row_warnings, omitted, shown_problem(warning));
}

/// A problem as a report or preview lists it: a message that quotes a long
/// value keeps its start and its advice, not the whole value.
fn shown_problem(mut problem: ImportProblem) -> ImportProblem {
    const HEAD: usize = 300;
    const TAIL: usize = 200;
    let chars = problem.message.chars().count();
    if chars > HEAD + TAIL + 100 {
        let head: String = problem.message.chars().take(HEAD).collect();
        let tail: String = problem.message.chars().skip(chars - TAIL).collect();
        problem.message = format!("{head} … {tail}");
    }
    problem
}

/// A value as a problem shows it: at most 200 characters.
pub(crate) fn shown_value(value: &str) -> String {
    const MAX: usize = 200;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}… ({} characters)", &value[..cut], value.chars().count()),
        None => value.to_owned(),
    }
}
