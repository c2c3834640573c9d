//! Importing a list of firms (`Name`, `Native name`, `Country`, `Aliases`,
//! `Kind`, `Website`, `Summary`, `Parent`), and the firm names every import
//! matches against (chips' manufacturers and foundries, firm duplicates).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::input::{CsvInput, Record};
use super::mapping::{self, ImportField};
use super::{
    batches, push_listed, reject_row, shown_value, warn_row, Control, DuplicateKey,
    DuplicatePolicy, DuplicateRow, ImportOptions, ImportProblem, ImportReport, ImportTarget,
    MatchedRecord,
};
use crate::error::Result;
use crate::firms::FirmRow;
use crate::model::{FirmKind, Id};
use crate::store::Store;
use crate::text::now_utc;
use crate::validate;

/// The kind a firm is saved as when its kind cell is empty or not a kind.
const DEFAULT_KIND: FirmKind = FirmKind::Company;

/// Every firm's name, native name and alias (lower-cased) → the firm.
pub(crate) struct FirmIndex {
    names: HashMap<String, Id>,
    display: HashMap<Id, String>,
    parents: HashMap<Id, Id>,
}

impl FirmIndex {
    pub fn load(conn: &Connection) -> Result<FirmIndex> {
        let mut index = FirmIndex {
            names: HashMap::new(),
            display: HashMap::new(),
            parents: HashMap::new(),
        };
        let mut stmt = conn.prepare("SELECT id, name, native_name, parent_firm_id FROM firms")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: Id = row.get(0)?;
            let name: String = row.get(1)?;
            index.add(id, &name);
            index.display.insert(id, name);
            if let Some(native) = row.get::<_, Option<String>>(2)? {
                index.add(id, &native);
            }
            if let Some(parent) = row.get::<_, Option<Id>>(3)? {
                index.parents.insert(id, parent);
            }
        }
        let mut stmt = conn.prepare("SELECT firm_id, alias FROM firm_aliases")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let alias: String = row.get(1)?;
            index.add(row.get(0)?, &alias);
        }
        Ok(index)
    }

    pub fn add(&mut self, id: Id, name: &str) {
        let key = name.trim().to_lowercase();
        if !key.is_empty() {
            self.names.entry(key).or_insert(id);
        }
    }

    pub fn find(&self, name: &str) -> Option<Id> {
        self.names.get(&name.trim().to_lowercase()).copied()
    }

    pub fn name_of(&self, id: Id) -> String {
        self.display.get(&id).cloned().unwrap_or_default()
    }

    pub fn parent_of(&self, id: Id) -> Option<Id> {
        self.parents.get(&id).copied()
    }

    /// Creates a firm this batch needs (a manufacturer or foundry nobody has yet).
    pub fn create(
        &mut self,
        conn: &Connection,
        name: &str,
        kind: FirmKind,
        batch: Id,
    ) -> Result<Id> {
        let id = crate::firms::insert(
            conn,
            &FirmRow {
                name,
                native_name: None,
                kind,
                country: None,
                parent_firm_id: None,
                website: None,
                summary: "",
                import_batch_id: Some(batch),
                created_at: &now_utc(),
            },
        )?;
        self.add(id, name);
        self.display.insert(id, name.to_owned());
        Ok(id)
    }
}

fn firm_kind(text: &str) -> Option<FirmKind> {
    let key = text.trim().to_lowercase();
    Some(match key.as_str() {
        "" => return None,
        "company" | "firm" | "corporation" | "公司" | "企业" => FirmKind::Company,
        "foundry" | "fab" | "代工厂" | "晶圆厂" | "代工" => FirmKind::Foundry,
        "lab" | "laboratory" | "university" | "institute" | "research" | "实验室" | "大学"
        | "研究所" | "研究院" => FirmKind::Lab,
        "agency" | "government" | "regulator" | "ministry" | "机构" | "政府" | "部门" => {
            FirmKind::Agency
        }
        _ => return None,
    })
}

/// A firm as a row of the file gives it.
struct ImportedFirm {
    name: String,
    native_name: Option<String>,
    aliases: Vec<String>,
    kind: FirmKind,
    country: Option<String>,
    website: Option<String>,
    summary: String,
    parent: Option<String>,
}

pub(crate) fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let mut input = CsvInput::open(path, options, control.cancel)?;
    let mut report = input.report(ImportTarget::Firms, options);
    store.write(|tx| {
        let mapping = mapping::resolve(tx, ImportTarget::Firms, options, &input.headers)?;
        let column = |field| mapping.columns_of(field);
        let (name_cols, native_cols, country_cols, alias_cols) = (
            column(ImportField::Name),
            column(ImportField::NativeName),
            column(ImportField::Country),
            column(ImportField::Aliases),
        );
        let (kind_cols, website_cols, summary_cols, parent_cols) = (
            column(ImportField::FirmKind),
            column(ImportField::Website),
            column(ImportField::Summary),
            column(ImportField::ParentFirm),
        );
        let mut firms = FirmIndex::load(tx)?;
        if options.dry_run {
            tx.execute_batch("SAVEPOINT import_dry_run")?;
        }
        let batch = batches::start(tx, ImportTarget::Firms, &input, &super::mapping_json(&mapping))?;
        let mut record = Record::default();
        let mut omitted = 0;
        let mut parents: Vec<(u64, Id, String)> = Vec::new();
        // Rows of this file by the firm they became, for "matches row N".
        let mut row_of: HashMap<Id, u64> = HashMap::new();
        let now = now_utc();
        while let Some(row) = input.next_row(&mut record)? {
            report.read += 1;
            control.tick(report.read, input.bytes_read(), input.total_bytes)?;
            if let Some(problem) = record.too_big(row, &input.headers) {
                reject_row(options.strict, &mut report, &mut omitted, vec![problem])?;
                continue;
            }
            let cell = |cols: &[usize]| -> Option<(usize, String)> {
                cols.iter()
                    .map(|&c| (c, record.get(c).unwrap_or_default().trim().to_owned()))
                    .find(|(_, v)| !v.is_empty())
            };
            let at = |col: Option<usize>, value: Option<&str>, message: String| ImportProblem {
                row,
                column: col.and_then(|c| input.headers.get(c).cloned()),
                value: value.map(shown_value),
                message,
            };
            let mut problems: Vec<ImportProblem> = Vec::new();
            let mut problem = |col: Option<usize>, value: Option<&str>, message: String| {
                problems.push(at(col, value, message));
            };
            // A value Chipwatch has no word for leaves its field empty, not the row out.
            let mut warnings: Vec<ImportProblem> = Vec::new();
            let name = cell(&name_cols);
            if name.is_none() {
                problem(
                    name_cols.first().copied(),
                    None,
                    "The firm's name is empty. Fill it in, or remove the row.".into(),
                );
            }
            let country = cell(&country_cols).and_then(|(c, v)| {
                let code = crate::country::alpha2(&v);
                if code.is_none() {
                    warnings.push(at(
                        Some(c),
                        Some(&v),
                        format!("'{v}' is not a country Chipwatch knows. Kept the firm; its country was left empty. Write the country's code (CN, CHN) or its name in English or Chinese (China, 中国)."),
                    ));
                }
                code.map(str::to_owned)
            });
            let kind = match cell(&kind_cols) {
                None => DEFAULT_KIND,
                Some((c, v)) => firm_kind(&v).unwrap_or_else(|| {
                    warnings.push(at(
                        Some(c),
                        Some(&v),
                        format!("'{v}' is not a kind of firm Chipwatch knows. Kept the firm with its kind left empty: it was saved as a {}, the kind a firm gets when none is given. Write company, foundry, lab or agency.", crate::text::enum_text(&DEFAULT_KIND)),
                    ));
                    DEFAULT_KIND
                }),
            };
            let website = cell(&website_cols).and_then(|(c, v)| {
                // A bare domain (example.com) is a web address too.
                let address = if v.contains("://") { v.clone() } else { format!("https://{v}") };
                validate::url("website", Some(&address))
                    .map_err(|_| {
                        problem(
                            Some(c),
                            Some(&v),
                            format!("'{v}' is not a web address; write it as https://example.com."),
                        )
                    })
                    .ok()
                    .flatten()
            });
            let mut aliases = Vec::new();
            for &c in &alias_cols {
                let text = record.get(c).unwrap_or_default();
                let separators: &[char] = if text.contains([';', '；']) { &[';', '；'] } else { &[',', '，', '、'] };
                aliases.extend(text.split(separators).map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned));
            }
            if !problems.is_empty() || name.is_none() {
                reject_row(options.strict, &mut report, &mut omitted, problems)?;
                continue;
            }
            let Some((_, name)) = name else { continue };
            let firm = ImportedFirm {
                native_name: cell(&native_cols).map(|(_, v)| v),
                aliases,
                kind,
                country,
                website,
                summary: cell(&summary_cols).map(|(_, v)| v).unwrap_or_default(),
                parent: cell(&parent_cols).map(|(_, v)| v),
                name,
            };
            let matched = std::iter::once(&firm.name)
                .chain(firm.native_name.iter())
                .chain(firm.aliases.iter())
                .find_map(|n| firms.find(n).map(|id| (n.clone(), id)));
            if let Some((value, existing)) = matched {
                report.duplicates += 1;
                let earlier = row_of.get(&existing).copied();
                push_listed(
                    &mut report.duplicate_rows,
                    &mut omitted,
                    DuplicateRow {
                        row,
                        key: DuplicateKey::Name,
                        value,
                        existing: Some(MatchedRecord {
                            id: existing,
                            title: firms.name_of(existing),
                        }),
                        earlier_row: earlier,
                        action: options.on_duplicate,
                    },
                );
                match options.on_duplicate {
                    DuplicatePolicy::Fill => {
                        for warning in warnings {
                            warn_row(&mut report, &mut omitted, warning);
                        }
                        if fill_firm(tx, existing, &firm, batch, earlier.is_none())? && earlier.is_none() {
                            report.updated += 1;
                        }
                        continue;
                    }
                    // Names are unique, so "keep" cannot add a second firm of the same name.
                    DuplicatePolicy::Keep if firms.find(&firm.name).is_none() => {}
                    _ => continue,
                }
            }
            let id = crate::firms::insert(
                tx,
                &FirmRow {
                    name: &firm.name,
                    native_name: firm.native_name.as_deref(),
                    kind: firm.kind,
                    country: firm.country.as_deref(),
                    parent_firm_id: None,
                    website: firm.website.as_deref(),
                    summary: &firm.summary,
                    import_batch_id: Some(batch),
                    created_at: &now,
                },
            )?;
            for warning in warnings {
                warn_row(&mut report, &mut omitted, warning);
            }
            firms.add(id, &firm.name);
            if let Some(native) = &firm.native_name {
                firms.add(id, native);
            }
            for alias in &firm.aliases {
                match firms.find(alias) {
                    Some(other) if other != id => report.warnings.push(format!(
                        "Row {row}: the alias '{alias}' is already {}; it was left out.",
                        firms.name_of(other)
                    )),
                    _ => {
                        tx.execute(
                            "INSERT OR IGNORE INTO firm_aliases (firm_id, alias) VALUES (?1, ?2)",
                            params![id, alias],
                        )?;
                        firms.add(id, alias);
                    }
                }
            }
            firms.display.insert(id, firm.name.clone());
            row_of.insert(id, row);
            if let Some(parent) = firm.parent {
                parents.push((row, id, parent));
            }
            report.added += 1;
        }
        // Parents last: a parent may come later in the file than its subsidiary.
        for (row, id, parent) in parents {
            match firms.find(&parent) {
                Some(parent_id) if parent_id != id => {
                    crate::firms::set_parent(tx, id, parent_id)?;
                }
                _ => report.warnings.push(format!(
                    "Row {row}: the parent firm '{parent}' matches no firm; the parent was left empty."
                )),
            }
        }
        batches::settle(tx, batch, options, &mut report, omitted, &input, control)
    })?;
    control.done(&mut report, &input);
    Ok(report)
}

/// Fills an existing firm's empty native name, country, website and summary.
fn fill_firm(
    conn: &Connection,
    id: Id,
    firm: &ImportedFirm,
    batch: Id,
    tracked: bool,
) -> Result<bool> {
    type Current = (Option<String>, Option<String>, Option<String>, String);
    let current: Option<Current> = conn
        .query_row(
            "SELECT native_name, country, website, summary FROM firms WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((native, country, website, summary)) = current else {
        return Ok(false);
    };
    let mut sets: Vec<(&str, rusqlite::types::Value)> = Vec::new();
    if let (None, Some(v)) = (native, &firm.native_name) {
        sets.push(("native_name", v.clone().into()));
    }
    if let (None, Some(v)) = (country, &firm.country) {
        sets.push(("country", v.clone().into()));
    }
    if let (None, Some(v)) = (website, &firm.website) {
        sets.push(("website", v.clone().into()));
    }
    if summary.is_empty() && !firm.summary.is_empty() {
        sets.push(("summary", firm.summary.clone().into()));
    }
    if sets.is_empty() {
        return Ok(false);
    }
    batches::fill_fields(conn, batch, "firm", "firms", id, tracked, &sets)?;
    Ok(true)
}
