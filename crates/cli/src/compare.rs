//! `chipwatch export comparison` and `chipwatch compare ...`: comparison sheets
//! and saved comparisons from a terminal, over `chipwatch_core::compare`.

use std::path::Path;
use std::process::ExitCode;

use chipwatch_core::compare::export::{self, ChangeKind, ExportFormat, ExportRequest};
use chipwatch_core::compare::saved::{self, ComparisonDraft};
use chipwatch_core::compare::{self, ComparisonFilters, ComparisonSelection};
use chipwatch_core::{Error, Store};
use clap::{Args, Subcommand, ValueEnum};

#[derive(Subcommand)]
pub enum ExportWhat {
    /// Write a comparison sheet: firms side by side on chosen dimensions, every
    /// cell with its sources. Firms by name, alias, native name or id. The file
    /// is written whole or not at all. For a saved comparison, the XLSX and
    /// Markdown get the changes since its last export
    Comparison(ExportArgs),
    /// Write sources as BibTeX, RIS or CSL-JSON for a reference manager, Word
    /// or pandoc: every source (--all), those the Sources list's filter flags
    /// let through (or --id), one firm's (--firm alone: as its profile counts
    /// them), or those a saved comparison cites (--comparison). The file is
    /// written whole or not at all
    Citations(crate::citations_cmd::CitationArgs),
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    chosen: Chosen,
    #[arg(long, value_enum)]
    format: FormatArg,
    /// The file to write (replaced whole if it exists)
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
    /// Leave out the changes since the saved comparison's last export
    #[arg(long)]
    no_changes: bool,
    #[arg(long)]
    json: bool,
}

/// Which firms and dimensions, shared by `export comparison` and `compare save`.
#[derive(Args)]
pub struct Chosen {
    /// A saved comparison by name (its firms, dimensions and filters; the
    /// options below override its dimensions and filters)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["firms", "firm", "all_firms", "stance_on"])]
    saved: Option<String>,
    /// Firms, comma-separated (a name with a comma: use --firm)
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    firms: Vec<String>,
    /// One firm (repeat for more)
    #[arg(long, value_name = "NAME")]
    firm: Vec<String>,
    /// Every firm in the workspace
    #[arg(long)]
    all_firms: bool,
    /// Every firm assessed on this strategy (name or id)
    #[arg(long, value_name = "STRATEGY")]
    stance_on: Option<String>,
    /// Dimension ids or labels, comma-separated (default: all);
    /// `chipwatch compare dimensions` lists them
    #[arg(long, value_delimiter = ',', value_name = "D1,D2,...")]
    dimensions: Vec<String>,
    /// Count sources, notes and events from this date (2023, Oct 2023, 17 Oct 2023, 2023-10-17 or 2023年10月17日)
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// ... up to this date
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Mark cells whose newest evidence may predate this date (e.g. 17 Oct 2023)
    #[arg(long, value_name = "DATE")]
    stale_before: Option<String>,
    /// Mark cells whose newest evidence may be older than N days
    #[arg(long, value_name = "N")]
    stale_after_days: Option<u32>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Xlsx,
    Csv,
    CsvLong,
    Md,
}

impl From<FormatArg> for ExportFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Xlsx => ExportFormat::Xlsx,
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::CsvLong => ExportFormat::CsvLong,
            FormatArg::Md => ExportFormat::Markdown,
        }
    }
}

#[derive(Subcommand)]
pub enum CompareAction {
    /// The saved comparisons (read-only)
    List {
        #[arg(long)]
        json: bool,
    },
    /// The dimensions a comparison can show: id, group, label (read-only)
    Dimensions {
        #[arg(long)]
        json: bool,
    },
    /// Save a comparison under NAME (replacing one of that name)
    Save {
        name: String,
        #[command(flatten)]
        chosen: Box<Chosen>,
    },
    /// Delete a saved comparison for good
    Delete { name: String },
    /// Give a saved comparison another name
    Rename { name: String, new_name: String },
    /// Copy a saved comparison (firms, dimensions, filters) as NEW_NAME, else "NAME (copy)"
    Duplicate {
        name: String,
        new_name: Option<String>,
    },
}

/// The saved comparison called `name`, or an error naming it.
fn saved_named(store: &Store, name: &str) -> Result<saved::SavedComparison, Error> {
    saved::find_by_name(store, name)?
        .ok_or_else(|| Error::invalid("name", format!("no saved comparison is called '{name}'")))
}

/// What `chosen` names: a selection, and the saved comparison it came from.
fn selection(store: &Store, chosen: &Chosen) -> Result<(ComparisonSelection, Option<i64>), Error> {
    let (mut selection, saved_id) = match &chosen.saved {
        Some(name) => {
            let found = saved::find_by_name(store, name)?.ok_or_else(|| {
                let names: Vec<String> = saved::list(store)
                    .map(|all| all.into_iter().map(|s| s.name).collect())
                    .unwrap_or_default();
                let known = if names.is_empty() {
                    "there are none yet; `chipwatch compare save` makes one".to_owned()
                } else {
                    format!("the saved ones are: {}", names.join(", "))
                };
                Error::invalid(
                    "saved",
                    format!("no saved comparison is called '{name}'; {known}"),
                )
            })?;
            (found.selection, Some(found.id))
        }
        None => {
            let mut names = chosen.firms.clone();
            names.extend(chosen.firm.iter().cloned());
            names.retain(|n| !n.trim().is_empty());
            let mut firm_ids = compare::resolve_firms(store, &names)?;
            if chosen.all_firms {
                firm_ids.extend(compare::all_firm_ids(store)?);
            }
            if let Some(strategy) = &chosen.stance_on {
                let strategy = compare::resolve_strategy(store, strategy)?;
                let assessed = compare::firms_with_stance_on(store, strategy)?;
                firm_ids.extend(assessed.into_iter().map(|f| f.id));
            }
            let mut unique = Vec::new();
            for id in firm_ids {
                if !unique.contains(&id) {
                    unique.push(id);
                }
            }
            if unique.is_empty() {
                let why = if chosen.all_firms {
                    "the workspace has no firms"
                } else if chosen.stance_on.is_some() {
                    "no firm is assessed on that strategy"
                } else {
                    "no firms chosen: name them with --firms, or use --all-firms, --stance-on or --saved"
                };
                return Err(Error::invalid(
                    "firms",
                    format!("no firms to compare: {why}; nothing was written"),
                ));
            }
            (
                ComparisonSelection {
                    firm_ids: unique,
                    ..ComparisonSelection::default()
                },
                None,
            )
        }
    };
    if !chosen.dimensions.is_empty() {
        selection.dimensions = compare::resolve_dimensions(store, &chosen.dimensions)?;
    }
    let filters: &mut ComparisonFilters = &mut selection.filters;
    if chosen.from.is_some() {
        filters.from.clone_from(&chosen.from);
    }
    if chosen.to.is_some() {
        filters.to.clone_from(&chosen.to);
    }
    if chosen.stale_before.is_some() {
        filters.stale_before.clone_from(&chosen.stale_before);
    }
    if chosen.stale_after_days.is_some() {
        filters.stale_after_days = chosen.stale_after_days;
    }
    Ok((selection, saved_id))
}

pub fn export_command(path: &Path, what: ExportWhat) -> Result<ExitCode, Error> {
    let args = match what {
        ExportWhat::Comparison(args) => args,
        ExportWhat::Citations(args) => return crate::citations_cmd::export_citations(path, &args),
    };
    // A saved comparison's export is recorded in the workspace (its snapshot);
    // anything else only reads it.
    let mut store = if args.chosen.saved.is_some() {
        Store::open(path)?
    } else {
        Store::open_read_only(path)?
    };
    let (selection, saved_id) = selection(&store, &args.chosen)?;
    let format = ExportFormat::from(args.format);
    let request = ExportRequest {
        selection,
        saved_id,
        format,
        path: args.out.display().to_string(),
        include_changes: saved_id.is_some() && !args.no_changes && format.shows_changes(),
    };
    let summary = export::export(&mut store, &request)?;
    if args.json {
        return crate::print_json(&summary);
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    println_escaped!(
        "Wrote {} ({}): {} × {}, {} cited.",
        summary.path,
        format.as_str(),
        plural(summary.firms, "firm", "firms"),
        plural(summary.dimensions, "dimension", "dimensions"),
        plural(summary.sources, "source", "sources"),
    );
    match (&summary.changes, request.include_changes) {
        (Some(report), _) => {
            let count = |kind| report.changes.iter().filter(|c| c.kind == kind).count();
            println_escaped!(
                "Since the last export ({}): {} changed, {} added, {} removed.",
                report.since,
                plural(count(ChangeKind::Changed), "cell", "cells"),
                count(ChangeKind::Added),
                count(ChangeKind::Removed),
            );
        }
        (None, true) => {
            println_escaped!("First export of this comparison: nothing to compare with yet.")
        }
        (None, false) => {}
    }
    Ok(ExitCode::SUCCESS)
}

pub fn compare_command(path: &Path, action: CompareAction) -> Result<ExitCode, Error> {
    match action {
        CompareAction::List { json } => {
            let all = saved::list(&Store::open_read_only(path)?)?;
            if json {
                return crate::print_json(&all);
            }
            if all.is_empty() {
                println_escaped!("No saved comparisons yet; `chipwatch compare save NAME --firms ...` makes one.");
            }
            for comparison in &all {
                let exported = comparison
                    .last_exported_at
                    .as_deref()
                    .map_or("never exported".to_owned(), |at| format!("exported {at}"));
                println_escaped!(
                    "{:>5}  {}  ({} firms, {} dimensions, {exported})",
                    comparison.id,
                    comparison.name,
                    comparison.selection.firm_ids.len(),
                    if comparison.selection.dimensions.is_empty() {
                        "all".to_owned()
                    } else {
                        comparison.selection.dimensions.len().to_string()
                    },
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CompareAction::Dimensions { json } => {
            let dimensions = compare::dimensions(&Store::open_read_only(path)?)?;
            if json {
                return crate::print_json(&dimensions);
            }
            for d in &dimensions {
                let group = serde_json::to_value(d.group)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                println_escaped!("{:<28} {group:<9} {}", d.id, d.label);
            }
            Ok(ExitCode::SUCCESS)
        }
        CompareAction::Save { name, chosen } => {
            let mut store = Store::open(path)?;
            let (selection, _) = selection(&store, &chosen)?;
            let existing = saved::find_by_name(&store, &name)?;
            let draft = ComparisonDraft { name, selection };
            let saved = match existing {
                Some(old) => saved::save(&mut store, Some(old.id), Some(old.revision), &draft)?,
                // New, or `--saved OLD` under a new name: a copy with the overrides.
                None => saved::save(&mut store, None, None, &draft)?,
            };
            println_escaped!(
                "Saved the comparison '{}' (id {}): {} firms.",
                saved.name,
                saved.id,
                saved.selection.firm_ids.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        CompareAction::Delete { name } => {
            let mut store = Store::open(path)?;
            let found = saved_named(&store, &name)?;
            saved::delete(&mut store, found.id)?;
            println_escaped!("Deleted the saved comparison '{}'.", found.name);
            Ok(ExitCode::SUCCESS)
        }
        CompareAction::Rename { name, new_name } => {
            let mut store = Store::open(path)?;
            let found = saved_named(&store, &name)?;
            let renamed = saved::rename(&mut store, found.id, &new_name)?;
            println_escaped!(
                "Renamed the saved comparison '{}' to '{}'.",
                found.name,
                renamed.name
            );
            Ok(ExitCode::SUCCESS)
        }
        CompareAction::Duplicate { name, new_name } => {
            let mut store = Store::open(path)?;
            let found = saved_named(&store, &name)?;
            let copy = saved::duplicate(&mut store, found.id, new_name.as_deref())?;
            println_escaped!(
                "Copied the saved comparison '{}' as '{}' (id {}).",
                found.name,
                copy.name,
                copy.id
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
