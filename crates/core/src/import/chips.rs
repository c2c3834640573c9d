//! Importing chips from Epoch AI's "Data on Machine Learning Hardware" CSV as
//! published (assets/data/README.md lists its quirks): multi-line quoted cells,
//! `inf`, exponent numbers, empty performance columns, several foundries in
//! one cell ("SMIC,TSMC"), rows without dates, manufacturers written as
//! "Kunlunxin Baidu" or "Moore Threads (Tencent)".
//!
//! - Performance in FLOP/s (or OP/s) becomes TFLOPS (TOPS); the peak kept is
//!   the precision with the highest TPP (TOPS × bit length, `metrics.rs`).
//! - The manufacturer is matched to a firm by name, native name or alias, then
//!   without its parenthesis, then word by word; a hardware name that starts
//!   with a subsidiary of it (T-Head for Alibaba) goes to that subsidiary.
//!   When nothing matches, the firm is created (and the report says so).
//! - The hardware name loses its maker's prefix ("Huawei Ascend 910" → "Ascend
//!   910"), as chips are named in the workspace; a chip the firm already has
//!   by that name is a duplicate.
//! - Every chip cites Epoch's dataset as its source (the workspace's, or one
//!   this import adds).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::dedupe::url_key;
use super::firms::FirmIndex;
use super::input::{CsvInput, Record};
use super::{
    batches, push_listed, reject_row, shown_value, Control, DuplicateKey, DuplicatePolicy,
    DuplicateRow, ImportOptions, ImportProblem, ImportReport, ImportTarget, Mapping, MatchedRecord,
};
use crate::chips::{self, ChipRow};
use crate::date::{PartialDate, Precision};
use crate::error::{Error, Result};
use crate::metrics::chip_metrics;
use crate::model::{FirmKind, Id, SourceKind};
use crate::sources::{self, SourceRow};
use crate::store::Store;
use crate::text::now_utc;

/// Epoch's performance columns and the bit length of their operations.
pub const PRECISION_COLUMNS: [(&str, i64); 10] = [
    ("FP64 (double precision) performance (FLOP/s)", 64),
    ("FP32 (single precision) performance (FLOP/s)", 32),
    ("TF32 (TensorFloat-32) performance (FLOP/s)", 32),
    ("FP16 (half precision) performance (FLOP/s)", 16),
    ("Tensor-FP16/BF16 performance (FLOP/s)", 16),
    ("INT16 performance (OP/s)", 16),
    ("FP8 performance (FLOP/s)", 8),
    ("INT8 performance (OP/s)", 8),
    ("FP4 performance (FLOP/s)", 4),
    ("INT4/FP4 performance (OP/s)", 4),
];

const EPOCH_URL: &str = "https://epoch.ai/data/machine-learning-hardware";

/// The peak (TOPS, bit length) with the highest TPP among `figures` (OP/s per
/// bit length); ties keep the first (the wider operation).
pub fn peak_from_precisions(figures: &[(f64, i64)]) -> Option<(f64, i64)> {
    let mut best: Option<(f64, i64, f64)> = None;
    for &(ops, bits) in figures {
        if !ops.is_finite() || ops <= 0.0 {
            continue;
        }
        let tops = ops / 1e12;
        let tpp = chip_metrics(Some(tops), Some(bits), None)
            .tpp
            .unwrap_or(0.0);
        if best.is_none_or(|(_, _, b)| tpp > b) {
            best = Some((tops, bits, tpp));
        }
    }
    best.map(|(tops, bits, _)| (tops, bits))
}

struct Columns {
    name: usize,
    manufacturer: usize,
    kind: Option<usize>,
    notes: Option<usize>,
    released: Option<usize>,
    memory: Option<usize>,
    die: Option<usize>,
    tdp: Option<usize>,
    node: Option<usize>,
    foundry: Option<usize>,
    datasheet: Option<usize>,
    precisions: Vec<(usize, i64)>,
}

impl Columns {
    fn find(headers: &[String], file: &str) -> Result<Columns> {
        let at = |name: &str| headers.iter().position(|h| h == name);
        let (Some(name), Some(manufacturer)) = (at("Hardware name"), at("Manufacturer")) else {
            return Err(Error::ImportFile {
                file: file.to_owned(),
                line: Some(1),
                message: "is not Epoch's ML hardware CSV: it has no 'Hardware name' and 'Manufacturer' columns. Download it from epoch.ai/data/machine-learning-hardware, or import it as sources or firms.".into(),
            });
        };
        Ok(Columns {
            name,
            manufacturer,
            kind: at("Type"),
            notes: at("Notes"),
            released: at("Release date"),
            memory: at("Memory size per board (Byte)"),
            die: at("Die Size (mm^2)"),
            tdp: at("TDP (W)"),
            node: at("Process size (nm)"),
            foundry: at("Foundry"),
            datasheet: at("Link to datasheet"),
            precisions: PRECISION_COLUMNS
                .iter()
                .filter_map(|(name, bits)| at(name).map(|c| (c, *bits)))
                .collect(),
        })
    }
}

/// The chip a row of Epoch's file describes.
struct EpochChip {
    firm_id: Id,
    name: String,
    foundry_firm_id: Option<Id>,
    process_node_nm: Option<f64>,
    announced_on: Option<String>,
    peak: Option<(f64, i64)>,
    die_area_mm2: Option<f64>,
    memory_gb: Option<f64>,
    tdp_w: Option<f64>,
    notes: String,
}

/// Resolves Epoch's manufacturer and hardware names to a designer and a chip name.
fn designer(
    conn: &Connection,
    firms: &mut FirmIndex,
    manufacturer: &str,
    hardware: &str,
    batch: Id,
    created: &mut Vec<String>,
) -> Result<(Id, String)> {
    let manufacturer = manufacturer.trim();
    // No manufacturer (Groq's row): the first word of the hardware name.
    let manufacturer = if manufacturer.is_empty() {
        hardware.split_whitespace().next().unwrap_or(hardware)
    } else {
        manufacturer
    };
    let without_parenthesis = manufacturer
        .split('(')
        .next()
        .unwrap_or(manufacturer)
        .trim();
    let words: Vec<&str> = without_parenthesis.split_whitespace().collect();
    let found = firms
        .find(manufacturer)
        .or_else(|| firms.find(without_parenthesis))
        .or_else(|| words.iter().rev().find_map(|w| firms.find(w)));
    let firm = match found {
        Some(id) => id,
        None => {
            let kind = if manufacturer.to_lowercase().contains("university") {
                FirmKind::Lab
            } else {
                FirmKind::Company
            };
            created.push(without_parenthesis.to_owned());
            firms.create(conn, without_parenthesis, kind, batch)?
        }
    };
    // "T-Head Hanguang 800" by Alibaba: T-Head, a subsidiary, designed it.
    let mut name = hardware.trim().to_owned();
    if let Some((prefix, rest)) = name.split_once(' ') {
        if let Some(sub) = firms.find(prefix) {
            if sub == firm || firms.parent_of(sub) == Some(firm) {
                return Ok((sub, rest.trim().to_owned()));
            }
        }
        let firm_name = firms.name_of(firm);
        if prefix.eq_ignore_ascii_case(&firm_name)
            || words.iter().any(|w| w.eq_ignore_ascii_case(prefix))
        {
            name = rest.trim().to_owned();
        }
    }
    Ok((firm, name))
}

/// The Epoch dataset source in the workspace, or one this batch adds.
fn epoch_source(conn: &Connection, batch: Id) -> Result<Id> {
    let mut stmt =
        conn.prepare("SELECT id, url FROM sources WHERE url IS NOT NULL AND url LIKE '%epoch%'")?;
    let wanted = url_key(EPOCH_URL);
    let found = stmt
        .query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?
        .filter_map(|r| r.ok())
        .find(|(_, url)| url_key(url) == wanted)
        .map(|(id, _)| id);
    if let Some(id) = found {
        return Ok(id);
    }
    sources::insert(
        conn,
        &SourceRow {
            kind: SourceKind::Dataset,
            title: "Data on Machine Learning Hardware",
            authors: Some("Epoch AI"),
            publisher: Some("Epoch AI"),
            url: Some(EPOCH_URL),
            doi: None,
            published_on: None,
            accessed_on: None,
            language: Some("en"),
            r#abstract: None,
            reliability: None,
            credibility: None,
            import_batch_id: Some(batch),
            original_row: None,
            created_at: &now_utc(),
            uid: None,
        },
    )
}

pub(crate) fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let mut input = CsvInput::open(path, options, control.cancel)?;
    let columns = Columns::find(&input.headers, &input.file_name)?;
    let mut report = input.report(ImportTarget::Chips, options);
    store.write(|tx| {
        let mut firms = FirmIndex::load(tx)?;
        let mut existing: HashMap<(Id, String), Id> = HashMap::new();
        {
            let mut stmt = tx.prepare("SELECT id, firm_id, name FROM chips")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                existing.insert((row.get(1)?, row.get::<_, String>(2)?.to_lowercase()), row.get(0)?);
            }
        }
        if options.dry_run {
            tx.execute_batch("SAVEPOINT import_dry_run")?;
        }
        let batch = batches::start(tx, ImportTarget::Chips, &input, &super::mapping_json(&Mapping::default()))?;
        let source = epoch_source(tx, batch)?;
        let mut cite = tx.prepare("INSERT OR IGNORE INTO chip_sources (chip_id, source_id) VALUES (?1, ?2)")?;
        let mut record = Record::default();
        let mut omitted = 0;
        let mut created = Vec::new();
        let mut rows_of: HashMap<Id, u64> = HashMap::new();
        while let Some(row) = input.next_row(&mut record)? {
            report.read += 1;
            control.tick(report.read, input.bytes_read(), input.total_bytes)?;
            if let Some(problem) = record.too_big(row, &input.headers) {
                reject_row(options.strict, &mut report, &mut omitted, vec![problem])?;
                continue;
            }
            let text = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).unwrap_or_default();
            let mut problems: Vec<ImportProblem> = Vec::new();
            // A number cell: blank is unknown; `inf` and other non-numbers are noted and left out.
            let mut number = |c: Option<usize>| -> Option<f64> {
                let value = text(c);
                if value.is_empty() {
                    return None;
                }
                match value.parse::<f64>() {
                    Ok(v) if v.is_finite() && v > 0.0 => Some(v),
                    _ => {
                        report.warnings.push(format!(
                            "Row {row}: '{}' in column '{}' is not a positive number; it was left empty.",
                            shown_value(value),
                            c.and_then(|c| input.headers.get(c)).map_or("", String::as_str)
                        ));
                        None
                    }
                }
            };
            let hardware = text(Some(columns.name));
            if hardware.is_empty() {
                problems.push(ImportProblem {
                    row,
                    column: Some("Hardware name".into()),
                    value: None,
                    message: "The hardware name is empty. Fill it in, or remove the row.".into(),
                });
            }
            let announced_on = match Precision::Partial.read(text(columns.released)) {
                Ok(date) => date.map(|d: PartialDate| d.to_string()),
                Err(message) => {
                    problems.push(ImportProblem {
                        row,
                        column: Some("Release date".into()),
                        value: Some(shown_value(text(columns.released))),
                        message,
                    });
                    None
                }
            };
            if !problems.is_empty() {
                reject_row(options.strict, &mut report, &mut omitted, problems)?;
                continue;
            }
            let figures: Vec<(f64, i64)> = columns
                .precisions
                .iter()
                .filter_map(|&(c, bits)| number(Some(c)).map(|v| (v, bits)))
                .collect();
            let memory_gb = number(columns.memory).map(|bytes| bytes / 1e9);
            let die_area_mm2 = number(columns.die);
            let tdp_w = number(columns.tdp);
            let process_node_nm = number(columns.node);
            let manufacturer = text(Some(columns.manufacturer)).to_owned();
            if manufacturer.is_empty() {
                report.warnings.push(format!(
                    "Row {row}: '{hardware}' has no manufacturer; it was filed under '{}', the first word of its name.",
                    hardware.split_whitespace().next().unwrap_or(hardware)
                ));
            }
            let (firm_id, name) = designer(tx, &mut firms, &manufacturer, hardware, batch, &mut created)?;
            let foundries: Vec<&str> = text(columns.foundry)
                .split([',', ';', '/'])
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            let mut foundry_firm_id = None;
            for foundry in &foundries {
                let id = match firms.find(foundry) {
                    Some(id) => id,
                    None => {
                        created.push((*foundry).to_owned());
                        firms.create(tx, foundry, FirmKind::Foundry, batch)?
                    }
                };
                foundry_firm_id.get_or_insert(id);
            }
            let mut notes = Vec::new();
            let kind = text(columns.kind);
            if !kind.is_empty() {
                notes.push(format!("Type: {kind}."));
            }
            if foundries.len() > 1 {
                notes.push(format!("Foundries: {}.", foundries.join(", ")));
            }
            let epoch_notes = text(columns.notes);
            if !epoch_notes.is_empty() {
                notes.push(epoch_notes.to_owned());
            }
            let datasheet = text(columns.datasheet);
            if !datasheet.is_empty() {
                notes.push(format!("Datasheet: {datasheet}"));
            }
            notes.push(format!("Imported from Epoch AI's ML hardware data ('{hardware}')."));
            let chip = EpochChip {
                firm_id,
                name,
                foundry_firm_id,
                process_node_nm,
                announced_on,
                peak: peak_from_precisions(&figures),
                die_area_mm2,
                memory_gb,
                tdp_w,
                notes: notes.join("\n"),
            };
            report.linked += 1;
            let key = (chip.firm_id, chip.name.to_lowercase());
            if let Some(&existing_id) = existing.get(&key) {
                report.duplicates += 1;
                let earlier = rows_of.get(&existing_id).copied();
                push_listed(
                    &mut report.duplicate_rows,
                    &mut omitted,
                    DuplicateRow {
                        row,
                        key: DuplicateKey::Name,
                        value: format!("{} {}", firms.name_of(chip.firm_id), chip.name),
                        existing: Some(MatchedRecord {
                            id: existing_id,
                            title: chip.name.clone(),
                        }),
                        earlier_row: earlier,
                        action: options.on_duplicate,
                    },
                );
                if options.on_duplicate == DuplicatePolicy::Fill
                    && fill_chip(tx, existing_id, &chip, batch, earlier.is_none())?
                    && earlier.is_none()
                {
                    report.updated += 1;
                }
                // A firm's chip names are unique: "keep" cannot add a second one.
                continue;
            }
            let id = chips::insert(
                tx,
                &ChipRow {
                    firm_id: chip.firm_id,
                    name: &chip.name,
                    purpose: None,
                    process_node_nm: chip.process_node_nm,
                    foundry_firm_id: chip.foundry_firm_id,
                    announced_on: chip.announced_on.as_deref(),
                    peak_dense_tops: chip.peak.map(|p| p.0),
                    peak_bit_width: chip.peak.map(|p| p.1),
                    die_area_mm2: chip.die_area_mm2,
                    memory_gb: chip.memory_gb,
                    tdp_w: chip.tdp_w,
                    notes: &chip.notes,
                    import_batch_id: Some(batch),
                },
            )?;
            cite.execute([id, source])?;
            existing.insert(key, id);
            rows_of.insert(id, row);
            report.added += 1;
        }
        created.dedup();
        report.created_firms = created;
        batches::settle(tx, batch, options, &mut report, omitted, &input, control)
    })?;
    control.done(&mut report, &input);
    Ok(report)
}

/// Fills an existing chip's empty figures.
fn fill_chip(
    conn: &Connection,
    id: Id,
    chip: &EpochChip,
    batch: Id,
    tracked: bool,
) -> Result<bool> {
    type Current = (
        Option<f64>,
        Option<Id>,
        Option<String>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
    );
    let current: Option<Current> = conn
        .query_row(
            "SELECT process_node_nm, foundry_firm_id, announced_on, peak_dense_tops, die_area_mm2, memory_gb, tdp_w
             FROM chips WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some(c) = current else {
        return Ok(false);
    };
    let mut sets: Vec<(&str, rusqlite::types::Value)> = Vec::new();
    if let (None, Some(v)) = (c.0, chip.process_node_nm) {
        sets.push(("process_node_nm", v.into()));
    }
    if let (None, Some(v)) = (c.1, chip.foundry_firm_id) {
        sets.push(("foundry_firm_id", v.into()));
    }
    if let (None, Some(v)) = (&c.2, &chip.announced_on) {
        sets.push(("announced_on", v.clone().into()));
    }
    if let (None, Some((tops, bits))) = (c.3, chip.peak) {
        sets.push(("peak_dense_tops", tops.into()));
        sets.push(("peak_bit_width", bits.into()));
    }
    if let (None, Some(v)) = (c.4, chip.die_area_mm2) {
        sets.push(("die_area_mm2", v.into()));
    }
    if let (None, Some(v)) = (c.5, chip.memory_gb) {
        sets.push(("memory_gb", v.into()));
    }
    if let (None, Some(v)) = (c.6, chip.tdp_w) {
        sets.push(("tdp_w", v.into()));
    }
    if sets.is_empty() {
        return Ok(false);
    }
    batches::fill_fields(conn, batch, "chip", "chips", id, tracked, &sets)?;
    Ok(true)
}
