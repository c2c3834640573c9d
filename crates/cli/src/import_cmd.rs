//! `chipwatch import ...` and `chipwatch generate-zotero-csv`: import of CSV
//! and citation files (RIS, BibTeX/BibLaTeX, CSL-JSON) from a terminal, over
//! `chipwatch_core::import`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chipwatch_core::import::{
    self, mapping, presets, Delimiter, DuplicatePolicy, FileFormat, ImportOptions, ImportProblem,
    ImportReport, ImportTarget, RowCondition,
};
use chipwatch_core::{Error, Store};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

#[derive(Subcommand)]
pub enum ImportAction {
    /// Import sources: a CSV file (Zotero's export, a spreadsheet, English or Chinese
    /// headers) or a citation file (RIS, BibTeX/BibLaTeX, CSL-JSON), told by its content
    Sources {
        file: PathBuf,
        #[command(flatten)]
        options: ImportArgs,
    },
    /// Import firms from a list (Name, Native name, Country, Aliases, Kind, Website, Summary, Parent)
    Firms {
        file: PathBuf,
        #[command(flatten)]
        options: ImportArgs,
    },
    /// Import chips from Epoch AI's ML hardware CSV, as published
    Chips {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "epoch")]
        format: ChipFormat,
        #[command(flatten)]
        options: ImportArgs,
    },
    /// Import the US Consolidated Screening List (CSL) CSV as published: each
    /// organisation a firm (matched by name, alias or native name), each list it
    /// is on a dated listing with its Federal Register citation. Individuals,
    /// vessels and aircraft are skipped. Try --dry-run first: it shows every match
    Listings {
        file: PathBuf,
        /// Only these lists, by name or abbreviation ("Entity List,MEU")
        #[arg(long, value_delimiter = ',', value_name = "LIST,...")]
        list: Vec<String>,
        /// Only parties with an address in these countries ("CN,HK" or names)
        #[arg(long, value_delimiter = ',', value_name = "COUNTRY,...")]
        country: Vec<String>,
        /// The date of this copy of the list (YYYY-MM-DD); default: the file's date
        #[arg(long, value_name = "DATE")]
        copy_date: Option<String>,
        #[command(flatten)]
        options: ImportArgs,
    },
    /// Show how a file will be read: encoding, delimiter, headers, mapping, first rows
    /// (a citation file: its format, record count, first records) (read-only)
    Preview {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "sources")]
        target: TargetArg,
        #[arg(long, value_name = "N", default_value_t = 5)]
        rows: usize,
        #[command(flatten)]
        options: ImportArgs,
    },
    /// Remove what an import added and empty the fields it filled; refused when
    /// some were edited since, unless --force
    Undo {
        batch: i64,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Every import, newest first (read-only)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Save the mapping a file would be imported with (--map, --mapping or the
    /// automatic one) under NAME, for `--mapping NAME` later; replaces one of that name
    SaveMapping {
        name: String,
        file: PathBuf,
        #[arg(long, value_enum, default_value = "sources")]
        target: TargetArg,
        #[command(flatten)]
        options: ImportArgs,
    },
    /// The saved mappings (read-only)
    Mappings {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ImportArgs {
    /// auto, zotero, or the name of a saved mapping
    #[arg(long, default_value = "auto")]
    mapping: String,
    /// The mapping written out: COLUMN=FIELD pairs separated by commas, e.g.
    /// "Title=title,Web page=url"; only the columns named are mapped. A column
    /// in double quotes, or with \ before a character, keeps commas, = and
    /// quotes ("Title, main"=title, Tags\, manual=tags); repeat --map for more
    #[arg(
        long = "map",
        value_name = "COLUMN=FIELD,...",
        conflicts_with = "mapping"
    )]
    map: Vec<String>,
    /// Only rows whose COLUMN is (=) or is not (!=) VALUE, after trimming and
    /// ignoring case; repeat for more (all must hold). Rows left out are
    /// counted, not reported as problems. E.g. --where provider_type=organization
    #[arg(long = "where", value_name = "COLUMN=VALUE")]
    only_rows_where: Vec<String>,
    /// Imports: also write the rows left out and the rows imported with a value
    /// left empty, with why, as CSV to FILE (row, column, value, message, row was)
    #[arg(long, value_name = "FILE")]
    problems: Option<PathBuf>,
    /// auto, or an encoding label (utf-8, gb18030, big5, shift_jis, windows-1252, utf-16le ...)
    #[arg(long, default_value = "auto")]
    encoding: String,
    #[arg(long, value_enum, default_value = "auto")]
    delimiter: DelimiterArg,
    /// What to do with a row matching an existing record or an earlier row
    #[arg(long = "on-duplicate", value_enum, default_value = "skip")]
    on_duplicate: DuplicateArg,
    /// Any row problem aborts the whole file (nothing is written)
    #[arg(long)]
    strict: bool,
    /// Do everything but write: report what the import would do
    #[arg(long)]
    dry_run: bool,
    #[arg(long)]
    json: bool,
}

impl ImportArgs {
    /// The import options, with the mapping of `--map` read against `file`'s
    /// headers. A citation file names its fields itself: the options that only
    /// a CSV takes are refused for it, by their flags.
    fn options_for(&self, file: &Path, target: ImportTarget) -> Result<ImportOptions, Error> {
        let format = import::file_format(file)?;
        if format.is_citations() {
            self.refuse_csv_flags(file, format)?;
        }
        let mut options = self.options();
        options.only_rows_where = self
            .only_rows_where
            .iter()
            .map(|text| RowCondition::parse(text))
            .collect::<Result<_, _>>()?;
        if !self.map.is_empty() {
            let pairs = crate::map_arg::parse_all(&self.map)?;
            let headers = import::headers(file, &options)?;
            options.mapping = Some(mapping::from_names(target, &headers, &pairs)?);
            options.preset = None;
        }
        Ok(options)
    }

    fn refuse_csv_flags(&self, file: &Path, format: FileFormat) -> Result<(), Error> {
        let automatic = |value: &str| value.trim().eq_ignore_ascii_case("auto");
        let flag = if !matches!(self.delimiter, DelimiterArg::Auto) {
            Some("--delimiter")
        } else if !automatic(&self.encoding)
            && !matches!(
                self.encoding.trim().to_ascii_lowercase().as_str(),
                "utf-8" | "utf8"
            )
        {
            Some("--encoding")
        } else if !self.map.is_empty() {
            Some("--map")
        } else if !automatic(&self.mapping) {
            Some("--mapping")
        } else {
            None
        };
        match flag {
            Some(flag) => Err(Error::ImportFile {
                file: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| file.display().to_string()),
                line: None,
                message: format!(
                    "is a {} file, read as UTF-8 with its fields named in it: {flag} is for CSV files only. Leave it out.",
                    format.label()
                ),
            }),
            None => Ok(()),
        }
    }

    fn options(&self) -> ImportOptions {
        ImportOptions {
            encoding: Some(self.encoding.clone()),
            delimiter: match self.delimiter {
                DelimiterArg::Auto => None,
                DelimiterArg::Comma => Some(Delimiter::Comma),
                DelimiterArg::Semicolon => Some(Delimiter::Semicolon),
                DelimiterArg::Tab => Some(Delimiter::Tab),
            },
            mapping: None,
            preset: Some(self.mapping.clone()),
            on_duplicate: match self.on_duplicate {
                DuplicateArg::Skip => DuplicatePolicy::Skip,
                DuplicateArg::Fill => DuplicatePolicy::Fill,
                DuplicateArg::Keep => DuplicatePolicy::Keep,
            },
            strict: self.strict,
            dry_run: self.dry_run,
            ..ImportOptions::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ChipFormat {
    /// Epoch AI's "Data on Machine Learning Hardware"
    Epoch,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TargetArg {
    Sources,
    Firms,
    Chips,
}

#[derive(Clone, Copy, ValueEnum)]
enum DelimiterArg {
    Auto,
    Comma,
    Semicolon,
    Tab,
}

#[derive(Clone, Copy, ValueEnum)]
enum DuplicateArg {
    Skip,
    Fill,
    Keep,
}

/// A chip as `list chips --json` prints it: its TPP at the top level too, for scripts.
#[derive(Serialize)]
pub struct ListedChip {
    #[serde(flatten)]
    pub chip: chipwatch_core::model::Chip,
    /// Dense TOPS x bit width, computed by the core (metrics.rs); null when unknown.
    pub tpp: Option<f64>,
}

impl From<chipwatch_core::model::Chip> for ListedChip {
    fn from(chip: chipwatch_core::model::Chip) -> Self {
        ListedChip {
            tpp: chip.metrics.tpp,
            chip,
        }
    }
}

pub fn import_command(path: &Path, action: ImportAction) -> Result<ExitCode, Error> {
    let (target, file, options) = match action {
        ImportAction::Sources { file, options } => (ImportTarget::Sources, file, options),
        ImportAction::Firms { file, options } => (ImportTarget::Firms, file, options),
        ImportAction::Chips {
            file,
            format: ChipFormat::Epoch,
            options,
        } => (ImportTarget::Chips, file, options),
        ImportAction::Listings {
            file,
            list,
            country,
            copy_date,
            options,
        } => {
            let mut import_options = options.options_for(&file, ImportTarget::Listings)?;
            import_options.lists = list;
            import_options.countries = country;
            import_options.copy_date = copy_date;
            return run_import(
                path,
                ImportTarget::Listings,
                &file,
                &import_options,
                &options,
            );
        }
        ImportAction::Preview {
            file,
            target,
            rows,
            options,
        } => return preview(path, &file, target, rows, &options),
        ImportAction::Undo { batch, force, json } => {
            let undone = import::undo(&mut Store::open(path)?, batch, force)?;
            if json {
                return crate::print_json(&undone);
            }
            println_escaped!(
                "Undid import {batch}: removed {} sources, {} firms and {} chips; emptied {} filled fields.",
                undone.removed_sources, undone.removed_firms, undone.removed_chips, undone.reverted_fills
            );
            return Ok(ExitCode::SUCCESS);
        }
        ImportAction::List { json } => return list(path, json),
        ImportAction::SaveMapping {
            name,
            file,
            target,
            options,
        } => return save_mapping(path, &name, &file, target.into(), &options),
        ImportAction::Mappings { json } => return list_mappings(path, json),
    };
    let import_options = options.options_for(&file, target)?;
    run_import(path, target, &file, &import_options, &options)
}

fn run_import(
    path: &Path,
    target: ImportTarget,
    file: &Path,
    import_options: &ImportOptions,
    options: &ImportArgs,
) -> Result<ExitCode, Error> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut progress = |_: &import::ImportProgress| {};
    let (report, connection) =
        import::import_into(path, target, file, import_options, &mut progress, &cancel)?;
    let shown = show_report(path, &report, options);
    // Before exiting, not left to a window that may have the workspace open.
    connection.checkpoint();
    shown
}

/// Prints an import's report (or its JSON) and saves its row problems when asked.
fn show_report(
    path: &Path,
    report: &import::ImportReport,
    options: &ImportArgs,
) -> Result<ExitCode, Error> {
    if let Some(out) = &options.problems {
        import::save_problems(out, &report.problems, &report.row_warnings, Some(path))?;
    }
    if options.json {
        return crate::print_json(report);
    }
    print_report(report);
    if let Some(out) = &options.problems {
        println_escaped!(
            "Wrote {} row problems and {} row warnings to {}.",
            report.problems.len(),
            report.row_warnings.len(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

impl From<TargetArg> for ImportTarget {
    fn from(target: TargetArg) -> Self {
        match target {
            TargetArg::Sources => ImportTarget::Sources,
            TargetArg::Firms => ImportTarget::Firms,
            TargetArg::Chips => ImportTarget::Chips,
        }
    }
}

fn save_mapping(
    path: &Path,
    name: &str,
    file: &Path,
    target: ImportTarget,
    options: &ImportArgs,
) -> Result<ExitCode, Error> {
    let mut store = Store::open(path)?;
    let import_options = options.options_for(file, target)?;
    let headers = import::headers(file, &import_options)?;
    let mapping = import::resolve_mapping(&store, target, &import_options, &headers)?;
    let saved = presets::save(&mut store, name, target, &mapping)?;
    if options.json {
        return crate::print_json(&saved);
    }
    println_escaped!(
        "Saved the mapping '{}' for {}: {}.",
        saved.name,
        target.as_str(),
        mapped_columns(&saved.mapping)
    );
    Ok(ExitCode::SUCCESS)
}

/// "Title → title, Web page → url".
fn mapped_columns(mapping: &import::Mapping) -> String {
    let mapped: Vec<String> = mapping
        .columns
        .iter()
        .filter_map(|c| c.field.map(|f| format!("{} → {}", c.header, f.name())))
        .collect();
    if mapped.is_empty() {
        "no column mapped".to_owned()
    } else {
        mapped.join(", ")
    }
}

fn list_mappings(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let saved = presets::list(&Store::open_read_only(path)?, None)?;
    if json {
        return crate::print_json(&saved);
    }
    if saved.is_empty() {
        println_escaped!("No saved mappings yet (auto and zotero are built in).");
    }
    for preset in &saved {
        println_escaped!(
            "{}  ({}): {}",
            preset.name,
            preset.target.as_str(),
            mapped_columns(&preset.mapping)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn preview(
    path: &Path,
    file: &Path,
    target: TargetArg,
    rows: usize,
    options: &ImportArgs,
) -> Result<ExitCode, Error> {
    let target = ImportTarget::from(target);
    let store = Store::open_read_only(path)?;
    // A terminal stops the process itself; nothing cancels from inside.
    let never = std::sync::atomic::AtomicBool::new(false);
    let preview = import::preview(
        &store,
        file,
        target,
        &options.options_for(file, target)?,
        rows,
        &never,
    )?;
    if options.json {
        return crate::print_json(&preview);
    }
    if let Some(records) = preview.records {
        println_escaped!(
            "{}: {} bytes, {}, {records} {} (its fields are named in it: no column mapping)",
            preview.file_name,
            preview.total_bytes,
            preview.format.label(),
            if records == 1 { "record" } else { "records" }
        );
    } else {
        println_escaped!(
            "{}: {} bytes, {}{}, {} delimiter, {} columns",
            preview.file_name,
            preview.total_bytes,
            preview.encoding,
            if preview.encoding_guessed {
                " (guessed)"
            } else {
                ""
            },
            preview.delimiter.map_or("no", Delimiter::as_str),
            preview.headers.len()
        );
    }
    for column in preview.mapping.columns.iter().filter(|c| c.field.is_some()) {
        let field = serde_json::to_value(column.field).unwrap_or_default();
        println_escaped!(
            "  {} -> {}",
            column.header,
            field.as_str().unwrap_or_default()
        );
    }
    let what = if preview.records.is_some() {
        "line"
    } else {
        "row"
    };
    for row in &preview.rows {
        let record = row
            .record
            .as_ref()
            .map(|name| format!(" {name}"))
            .unwrap_or_default();
        match &row.source {
            Some(source) => println_escaped!("{what} {}{record}: {}", row.row, source.title),
            None if row.problems.is_empty() => {
                println_escaped!("{what} {}{record}: {}", row.row, row.cells.join(" | "))
            }
            None => {
                for problem in &row.problems {
                    println_escaped!("{what} {}{record}: {}", row.row, problem.message);
                }
            }
        }
    }
    if preview.left_out > 0 {
        println_escaped!(
            "left out by --where: {} before the last row shown",
            rows_count(preview.left_out)
        );
    }
    for warning in &preview.warnings {
        println_escaped!("warning: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}

fn list(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let batches = import::list_batches(&Store::open_read_only(path)?)?;
    if json {
        return crate::print_json(&batches);
    }
    if batches.is_empty() {
        println_escaped!("No imports yet.");
    }
    for b in &batches {
        let undone = b
            .undone_at
            .as_ref()
            .map(|at| format!("  (undone {at})"))
            .unwrap_or_default();
        println_escaped!(
            "{:>5}  {}  {:<8} {}  read {}, added {}, updated {}, duplicates {}, rejected {}{undone}",
            b.id,
            b.imported_at,
            b.target.as_str(),
            b.file_name,
            b.read,
            b.added,
            b.updated,
            b.duplicates,
            b.rejected
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &ImportReport) {
    let what = report.target.map_or("rows", ImportTarget::as_str);
    let batch = match (report.batch, report.dry_run) {
        (_, true) => " (dry run: nothing was written)".to_owned(),
        (Some(batch), _) => format!(" as import {batch}"),
        (None, _) => String::new(),
    };
    let (read, read_as) = match report.delimiter {
        Some(delimiter) => (
            "rows",
            format!("{}, {}", report.encoding, delimiter.as_str()),
        ),
        None if report.format.is_citations() => ("records", report.format.label().to_owned()),
        None => ("rows", report.encoding.clone()),
    };
    println_escaped!(
        "{}: read {} {read} ({read_as}){batch}: added {} {what}, filled {}, {} duplicates, {} rejected, {} linked.",
        report.file_name,
        report.read,
        report.added,
        report.updated,
        report.duplicates,
        report.rejected,
        report.linked
    );
    if report.left_out > 0 {
        println_escaped!("  left out by --where: {}", rows_count(report.left_out));
    }
    // A citation file's records are named by the line they start on, its fields by name.
    let citations = report.format.is_citations();
    let row = if citations { "line" } else { "row" };
    for problem in &report.problems {
        println_escaped!("  {}", row_line(problem, citations));
    }
    for warning in &report.row_warnings {
        println_escaped!("  warning: {}", row_line(warning, citations));
    }
    for dup in &report.duplicate_rows {
        let matched = match (&dup.existing, dup.earlier_row) {
            (_, Some(earlier)) => format!("{row} {earlier}"),
            (Some(existing), None) => format!("record {} '{}'", existing.id, existing.title),
            (None, None) => "an earlier record".to_owned(),
        };
        let key = serde_json::to_value(dup.key).unwrap_or_default();
        println_escaped!(
            "  {row} {}: duplicate of {matched} (same {}: {})",
            dup.row,
            key.as_str().unwrap_or_default(),
            dup.value
        );
    }
    if report.omitted > 0 {
        println_escaped!("  ... and {} more (see --json)", report.omitted);
    }
    if let Some(listings) = &report.listings {
        print_listings(listings);
    }
    const CREATED_SHOWN: usize = 50;
    for firm in report.created_firms.iter().take(CREATED_SHOWN) {
        println_escaped!("  created firm: {firm}");
    }
    if report.created_firms.len() > CREATED_SHOWN {
        println_escaped!(
            "  ... and {} more firms created (see --json)",
            report.created_firms.len() - CREATED_SHOWN
        );
    }
    for warning in &report.warnings {
        println_escaped!("  warning: {warning}");
    }
}

/// "12, column 'Kind': what to do [value]".
fn row_line(problem: &ImportProblem, citations: bool) -> String {
    let (row, column) = match (&problem.column, citations) {
        (Some(c), true) => ("line", format!(", field {c}")),
        (Some(c), false) => ("row", format!(", column '{c}'")),
        (None, true) => ("line", String::new()),
        (None, false) => ("row", String::new()),
    };
    let value = problem
        .value
        .as_ref()
        .map(|v| format!(" [{v}]"))
        .unwrap_or_default();
    format!("{row} {}{column}: {}{value}", problem.row, problem.message)
}

/// "1 row", "12 rows".
fn rows_count(count: u64) -> String {
    if count == 1 {
        "1 row".to_owned()
    } else {
        format!("{count} rows")
    }
}

/// A screening-list import: the copy, what was skipped, the matches to firms
/// that were already there, and what changed since the last copy.
fn print_listings(listings: &import::screening_list::ListingsReport) {
    use import::screening_list::{ListingChangeKind, MatchedBy};
    let lists: Vec<String> = listings
        .lists
        .iter()
        .map(|l| format!("{} ({})", l.list_name, l.rows))
        .collect();
    println_escaped!(
        "  copy of {}; lists: {}",
        listings.copy_date,
        lists.join(", ")
    );
    println_escaped!(
        "  listings: {} appeared, {} changed, {} unchanged, {} marked removed; {} timeline events",
        listings.appeared,
        listings.changed,
        listings.unchanged,
        listings.removed,
        listings.events
    );
    println_escaped!(
        "  left out: people {}, vessels and aircraft {}, rows on other lists {}, rows in other countries {}",
        listings.skipped_individuals,
        listings.skipped_vessels,
        listings.left_out_by_list,
        listings.left_out_by_country
    );
    // A whole list is tens of thousands of rows: the first lines, then --json.
    const SHOWN: usize = 200;
    let existing = listings
        .matches
        .iter()
        .filter(|m| !matches!(m.matched_by, MatchedBy::NewFirm | MatchedBy::EarlierRow));
    for m in existing.clone().take(SHOWN) {
        let how = match m.matched_by {
            MatchedBy::Name => "its name",
            MatchedBy::Alias => "an alias",
            MatchedBy::NativeName => "its native name",
            MatchedBy::NewFirm | MatchedBy::EarlierRow => continue,
        };
        println_escaped!(
            "  row {}: '{}' ({}) is {} (by {how}: {})",
            m.row,
            m.party,
            m.list_name,
            m.firm.title,
            m.matched_name.as_deref().unwrap_or_default()
        );
    }
    if existing.count() > SHOWN {
        println_escaped!("  ... more matches to existing firms (see --json)");
    }
    if listings.changes.len() > SHOWN {
        println_escaped!(
            "  ({} changes; the first {SHOWN}, the rest with --json)",
            listings.changes.len()
        );
    }
    for change in listings.changes.iter().take(SHOWN) {
        let what = match change.change {
            ListingChangeKind::Appeared => "appeared",
            ListingChangeKind::Changed => "changed",
            ListingChangeKind::Removed => "removed",
        };
        println_escaped!(
            "  {what}: {} on the {} ({}){}",
            change.firm.title,
            change.list_name,
            change.listed_on.as_deref().unwrap_or("no date"),
            if change.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", change.detail)
            }
        );
    }
}

/// The columns `generate-zotero-csv` writes.
#[derive(Clone, Copy, ValueEnum)]
pub enum ZoteroColumns {
    Wide,
    Narrow,
}

impl From<ZoteroColumns> for import::sample::Shape {
    fn from(columns: ZoteroColumns) -> Self {
        match columns {
            ZoteroColumns::Wide => Self::Wide,
            ZoteroColumns::Narrow => Self::Narrow,
        }
    }
}

pub fn generate_zotero_csv(
    file: &Path,
    rows: usize,
    seed: u64,
    columns: ZoteroColumns,
) -> Result<ExitCode, Error> {
    let io = |source| Error::Io {
        path: file.to_path_buf(),
        source,
    };
    let out = std::fs::File::create(file).map_err(io)?;
    let started = std::time::Instant::now();
    let written = import::sample::write_zotero_csv_shaped(
        std::io::BufWriter::new(out),
        rows,
        seed,
        columns.into(),
    )
    .map_err(io)?;
    println_escaped!(
        "Wrote {rows} Zotero-format rows ({written} bytes) to {} in {:.1} s.",
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
