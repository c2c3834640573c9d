//! `chipwatch`: the Chipwatch core from a terminal, for scripts, CI and checks.
//! Exit codes: 0 success, 1 bad input or a failed check, 2 usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chipwatch_core::model::{ImpactItem, TrashKind};
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::search::{self, SearchKind, SearchQuery};
use chipwatch_core::workspace::{self, Opened, Seed};
use chipwatch_core::{
    backups, chips, events, firms, notes, restore, sources, strategies, trash, Error, Store,
};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

// First: its print macros are used by the modules below.
#[macro_use]
mod terminal;
mod chip_cmd;
mod compare;
mod event_cmd;
mod firm_cmd;
mod import_cmd;
mod map_arg;
mod note_cmd;
mod records;
mod source_cmd;
mod strategy_cmd;

#[derive(Parser)]
#[command(
    name = "chipwatch",
    version,
    about = "Chipwatch workspaces from the command line",
    after_help = "Control characters in stored text (titles, names, notes, imported values) are \
                  shown escaped, as \\u{1b}, \\n and the like, so that a terminal never acts on \
                  them; --json prints the text exactly."
)]
struct Cli {
    /// Workspace file (default: $CHIPWATCH_WORKSPACE, else the app's data folder)
    #[arg(long, global = true, value_name = "PATH")]
    workspace: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the workspace, seeded with the default dataset unless --empty
    Init {
        /// Create the schema only, without the default dataset
        #[arg(long)]
        empty: bool,
    },
    /// Upgrade a workspace written by an older Chipwatch (a backup is kept beside it)
    Upgrade,
    /// Count the entities in the workspace (read-only)
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Check the file for damage and broken links (read-only); exit 1 on any problem
    Check {
        #[arg(long)]
        json: bool,
    },
    /// List one kind of entity (read-only)
    List {
        #[arg(value_enum)]
        entity: Entity,
        #[arg(long)]
        json: bool,
        /// Show at most N rows
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Search firms, chips, sources, notes and events, in English or Chinese
    /// (read-only). Words match as prefixes while typed; "quotes" keep a phrase
    /// together; -word leaves out what contains it. One line per hit, grouped by kind.
    /// Quote a query of several words ("芯片 -huawei"), or give options before it
    Search {
        /// A query starting with - is a query too: -huawei leaves out huawei
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// The rest of an unquoted query (`search 芯片 -huawei`)
        #[arg(hide = true, allow_hyphen_values = true)]
        more_words: Vec<String>,
        /// Only this kind (repeat for more)
        #[arg(long = "kind", value_enum, value_name = "KIND")]
        kinds: Vec<SearchKindArg>,
        /// At most N hits of each kind (default 20, at most 200)
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Developer and benchmark tool: fill a NEW workspace (seeded with the default
    /// dataset) with made-up sources and notes, in English and Chinese. The same
    /// numbers and seed always write the same rows
    GenerateSample {
        #[arg(long, value_name = "N", default_value_t = 1_000)]
        sources: usize,
        #[arg(long, value_name = "M", default_value_t = 100)]
        notes: usize,
        #[arg(long, default_value_t = sample::DEFAULT_SEED)]
        seed: u64,
        /// Also add to an existing workspace (refused without it, so that a real
        /// workspace never gets made-up rows by mistake)
        #[arg(long)]
        append: bool,
    },
    /// Show, add or edit notes
    Note {
        #[command(subcommand)]
        action: note_cmd::NoteAction,
    },
    /// Add, edit or show firms. On edit, flags left out keep their value, an
    /// empty one (--website "") clears it, and a repeated one (--alias) replaces the list
    Firm {
        #[command(subcommand)]
        action: firm_cmd::FirmAction,
    },
    /// Add or remove a firm's export-control listings (Entity List ...)
    Listing {
        #[command(subcommand)]
        action: firm_cmd::ListingAction,
    },
    /// The firms an import found mentioned in sources: list, or remove a wrong one
    Mention {
        #[command(subcommand)]
        action: firm_cmd::MentionAction,
    },
    /// Add, edit or show sources
    Source {
        #[command(subcommand)]
        action: source_cmd::SourceAction,
    },
    /// Add, edit or show chips, with their TPP and 3A090 figures
    Chip {
        #[command(subcommand)]
        action: chip_cmd::ChipAction,
    },
    /// Set or show a firm's stance on a strategy, with its evidence
    Assessment {
        #[command(subcommand)]
        action: strategy_cmd::AssessmentAction,
    },
    /// Add, edit or show strategies
    Strategy {
        #[command(subcommand)]
        action: strategy_cmd::StrategyAction,
    },
    /// Add, edit or show timeline events
    Event {
        #[command(subcommand)]
        action: event_cmd::EventAction,
    },
    /// Move a record, with what goes with it, to the Trash. Without --yes it only
    /// prints what would go and exits 1, deleting nothing (it never asks, so
    /// scripts cannot hang on a prompt)
    Delete {
        #[arg(value_enum)]
        kind: Kind,
        id: i64,
        /// Really delete; without it, only show what would go
        #[arg(long)]
        yes: bool,
        /// Print the impact (or, with --yes, the Trash entry) as JSON
        #[arg(long)]
        json: bool,
    },
    /// List, restore or empty the Trash
    Trash {
        #[command(subcommand)]
        action: TrashAction,
    },
    /// Import sources, firms or chips from a CSV file; preview, list or undo imports.
    /// Exit 1 when the file cannot be read as CSV or a --strict import meets a bad row
    /// (nothing is written then)
    Import {
        #[command(subcommand)]
        action: import_cmd::ImportAction,
    },
    /// Developer and benchmark tool: write N made-up rows in Zotero's CSV export
    /// format (English and Chinese titles, quotes, commas and line breaks in
    /// fields, ~2% duplicate addresses with tracking parameters)
    GenerateZoteroCsv {
        file: PathBuf,
        #[arg(long, value_name = "N", default_value_t = 1_000)]
        rows: usize,
        #[arg(long, default_value_t = sample::DEFAULT_SEED)]
        seed: u64,
    },
    /// Back the workspace up now (an online copy, safe while the app is open):
    /// to OUT (a new file, or a folder to put it in), else into the backups
    /// folder beside the workspace (<file>.backups/, newest 10 kept)
    Backup {
        #[arg(value_name = "OUT")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Put a backup back as the workspace. The file is checked first (SQLite,
    /// Chipwatch's tables, not newer than this version, no damage); the current
    /// state is backed up into the backups folder; an older backup is upgraded.
    /// Refused while a Chipwatch window has the workspace open
    Restore {
        #[arg(value_name = "BACKUP")]
        from: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List the automatic backups of the workspace, newest first (read-only)
    Backups {
        #[arg(long)]
        json: bool,
    },
    /// Export a comparison sheet (XLSX, CSV, Markdown)
    Export {
        #[command(subcommand)]
        what: compare::ExportWhat,
    },
    /// Saved comparisons and the dimensions a comparison can show
    Compare {
        #[command(subcommand)]
        action: compare::CompareAction,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Firm,
    Strategy,
    Assessment,
    Chip,
    Source,
    Event,
    Note,
}

impl From<Kind> for TrashKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Firm => TrashKind::Firm,
            Kind::Strategy => TrashKind::Strategy,
            Kind::Assessment => TrashKind::Assessment,
            Kind::Chip => TrashKind::Chip,
            Kind::Source => TrashKind::Source,
            Kind::Event => TrashKind::Event,
            Kind::Note => TrashKind::Note,
        }
    }
}

#[derive(Subcommand)]
enum TrashAction {
    /// What is in the Trash, newest first (read-only)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Put an entry back with the same ids; refused (exit 1, nothing changed) when
    /// something now stands in its way, with what to do first
    Restore {
        #[arg(value_name = "TRASH_ID")]
        trash_id: i64,
    },
    /// Delete one entry for good
    Purge {
        #[arg(value_name = "TRASH_ID")]
        trash_id: i64,
    },
    /// Delete everything in the Trash for good
    Empty,
}

#[derive(Clone, Copy, ValueEnum)]
enum SearchKindArg {
    Firm,
    Chip,
    Source,
    Note,
    Event,
}

impl From<SearchKindArg> for SearchKind {
    fn from(kind: SearchKindArg) -> Self {
        match kind {
            SearchKindArg::Firm => SearchKind::Firm,
            SearchKindArg::Chip => SearchKind::Chip,
            SearchKindArg::Source => SearchKind::Source,
            SearchKindArg::Note => SearchKind::Note,
            SearchKindArg::Event => SearchKind::Event,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Entity {
    Firms,
    Chips,
    Sources,
    Notes,
    Events,
    Strategies,
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            // A stale edit is the revision's fault: say so, as other errors name their field.
            let field = match error {
                Error::StaleEdit { .. } => "revision: ",
                _ => "",
            };
            eprintln_escaped!("chipwatch: {field}{error}");
            ExitCode::from(1)
        }
    }
}

/// `chipwatch list sources | head` closes the pipe early, and the next
/// `println!` panics with "Broken pipe". The reader wanted no more output, so
/// leave quietly with the shell's SIGPIPE status (141), as other tools do.
fn quiet_on_closed_pipe() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info);
    }));
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let path = match cli.workspace {
        Some(path) => path,
        None => workspace::default_path()?,
    };
    match cli.command {
        Command::Init { empty } => init(
            &path,
            if empty {
                Seed::Empty
            } else {
                Seed::DefaultDataset
            },
        ),
        Command::Upgrade => upgrade(&path),
        Command::Stats { json } => {
            let stats = workspace::stats(&Store::open_read_only(&path)?)?;
            if json {
                print_json(&stats)?;
            } else {
                let value = serde_json::to_value(&stats)
                    .map_err(|e| Error::invalid("stats", e.to_string()))?;
                if let serde_json::Value::Object(map) = value {
                    for (entity, count) in map {
                        println_escaped!("{entity:<16} {count}");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { json } => check(&path, json),
        Command::List {
            entity,
            json,
            limit,
        } => list(&Store::open_read_only(&path)?, entity, json, limit),
        Command::Search {
            query,
            more_words,
            kinds,
            limit,
            json,
        } => search_command(&path, query, &more_words, kinds, limit, json),
        Command::GenerateSample {
            sources,
            notes,
            seed,
            append,
        } => generate_sample(
            &path,
            SampleSpec {
                sources,
                notes,
                seed,
            },
            append,
        ),
        Command::Note { action } => note_cmd::note_command(&path, action),
        Command::Firm { action } => firm_cmd::firm_command(&path, action),
        Command::Listing { action } => firm_cmd::listing_command(&path, action),
        Command::Mention { action } => firm_cmd::mention_command(&path, action),
        Command::Source { action } => source_cmd::source_command(&path, action),
        Command::Chip { action } => chip_cmd::chip_command(&path, action),
        Command::Assessment { action } => strategy_cmd::assessment_command(&path, action),
        Command::Strategy { action } => strategy_cmd::strategy_command(&path, action),
        Command::Event { action } => event_cmd::event_command(&path, action),
        Command::Delete {
            kind,
            id,
            yes,
            json,
        } => delete(&path, kind.into(), id, yes, json),
        Command::Trash { action } => trash_command(&path, action),
        Command::Import { action } => import_cmd::import_command(&path, action),
        Command::GenerateZoteroCsv { file, rows, seed } => {
            import_cmd::generate_zotero_csv(&file, rows, seed)
        }
        Command::Backup { out, json } => backup_command(&path, out.as_deref(), json),
        Command::Restore { from, json } => restore_command(&path, &from, json),
        Command::Backups { json } => backups_command(&path, json),
        Command::Export { what } => compare::export_command(&path, what),
        Command::Compare { action } => compare::compare_command(&path, action),
    }
}

fn backup_command(path: &Path, out: Option<&Path>, json: bool) -> Result<ExitCode, Error> {
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

fn restore_command(path: &Path, from: &Path, json: bool) -> Result<ExitCode, Error> {
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

fn backups_command(path: &Path, json: bool) -> Result<ExitCode, Error> {
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

fn size_label(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

fn init(path: &Path, seed: Seed) -> Result<ExitCode, Error> {
    let (store, opened) = workspace::open_or_init(path, seed)?;
    let stats = workspace::stats(&store)?;
    match opened {
        Opened::Created => println_escaped!(
            "Created {} ({} firms, {} chips, {} sources, {} notes, {} events).",
            path.display(),
            stats.firms,
            stats.chips,
            stats.sources,
            stats.notes,
            stats.events
        ),
        Opened::Existing => match store.upgrade() {
            Some(done) => println_escaped!(
                "{} already exists; upgraded it from schema version {} to {} ({} firms); the old file is kept as {}.",
                path.display(),
                done.from_version,
                store.schema_version()?,
                stats.firms,
                done.backup.display()
            ),
            None => println_escaped!(
                "{} already exists; left as it is ({} firms).",
                path.display(),
                stats.firms
            ),
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn upgrade(path: &Path) -> Result<ExitCode, Error> {
    let store = Store::open(path)?;
    match store.upgrade() {
        Some(done) => println_escaped!(
            "Upgraded {} from schema version {} to {}; the old file is kept as {}.",
            path.display(),
            done.from_version,
            store.schema_version()?,
            done.backup.display()
        ),
        None => println_escaped!(
            "{} is up to date (schema version {}).",
            path.display(),
            store.schema_version()?
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn check(path: &Path, json: bool) -> Result<ExitCode, Error> {
    let report = workspace::check(path)?;
    if json {
        print_json(&report)?;
    } else if report.is_healthy() {
        println_escaped!(
            "{}: ok (schema version {})",
            report.path,
            report.schema_version.unwrap_or_default()
        );
    } else {
        for problem in report.problems() {
            println_escaped!("{}: {problem}", report.path);
        }
    }
    if report.is_healthy() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln_escaped!(
            "chipwatch: {} has problems; if the app refuses it, `chipwatch backups` lists its backups \
             and `chipwatch restore FILE` puts one back.",
            report.path
        );
        Ok(ExitCode::from(1))
    }
}

fn search_command(
    path: &Path,
    query: String,
    more_words: &[String],
    kinds: Vec<SearchKindArg>,
    limit: Option<u32>,
    json: bool,
) -> Result<ExitCode, Error> {
    // Once an unquoted query has begun, clap takes whatever follows as more of
    // it (so that `-huawei` is a word, not `-h`), options included.
    if let Some(option) = more_words.iter().find(|w| w.starts_with("--")) {
        eprintln_escaped!(
            "chipwatch: '{option}' came after the words of the query, so it would be searched for; \
             give options before the query, or quote the query: chipwatch search {option} … \"芯片 -huawei\""
        );
        return Ok(ExitCode::from(2));
    }
    let text = std::iter::once(query)
        .chain(more_words.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    if search::only_leaves_out(&text) {
        eprintln_escaped!(
            "chipwatch: '{text}' only leaves words out, so nothing is found; add a word to look for, \
             e.g. chipwatch search \"芯片 {text}\""
        );
    }
    let query = SearchQuery {
        text,
        kinds: kinds.into_iter().map(SearchKind::from).collect(),
        limit,
        ..SearchQuery::default()
    };
    let hits = search::search(&Store::open_read_only(path)?, &query)?;
    if json {
        return print_json(&hits);
    }
    for hit in &hits {
        println_escaped!(
            "{:<6} {:>7}  {}  {}",
            hit.kind.as_str(),
            hit.id,
            hit.title,
            hit.snippet
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn generate_sample(path: &Path, spec: SampleSpec, append: bool) -> Result<ExitCode, Error> {
    let exists = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    if exists && !append {
        return Err(Error::invalid(
            "append",
            format!(
                "{} already exists; generate-sample writes made-up rows, so it fills only a new \
                 workspace. Name a new file with --workspace, or add --append to add to this one",
                path.display()
            ),
        ));
    }
    let (mut store, _) = workspace::open_or_init(path, Seed::DefaultDataset)?;
    let started = std::time::Instant::now();
    let written = sample::generate(&mut store, &spec)?;
    println_escaped!(
        "Added {} sources, {} notes and {} events (linked to {} firms) to {} in {:.1} s.",
        written.sources,
        written.notes,
        written.events,
        written.firms,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn list(
    store: &Store,
    entity: Entity,
    json: bool,
    limit: Option<usize>,
) -> Result<ExitCode, Error> {
    match entity {
        Entity::Firms => print_rows(firms::list(store, limit)?, json, |f| {
            (f.id, &f.name, f.native_name.clone().unwrap_or_default())
        }),
        Entity::Chips => {
            let listed = chips::list(store, limit)?
                .into_iter()
                .map(import_cmd::ListedChip::from)
                .collect();
            print_rows(listed, json, |c: &import_cmd::ListedChip| {
                (c.chip.id, &c.chip.name, c.chip.firm.name.clone())
            })
        }
        Entity::Sources => print_rows(sources::list(store, limit)?, json, |s| {
            (s.id, &s.title, s.published_on.clone().unwrap_or_default())
        }),
        Entity::Notes => print_rows(notes::list(store, limit)?, json, |n| {
            (n.id, &n.title, n.tags.join(", "))
        }),
        Entity::Events => print_rows(events::list(store, limit)?, json, |e| {
            (e.id, &e.title, e.occurred_on.clone())
        }),
        Entity::Strategies => print_rows(strategies::list(store, limit)?, json, |s| {
            (s.id, &s.name, String::new())
        }),
    }
}

/// Prints `items` as JSON, or one line each: id, name or title, a short detail.
fn print_rows<T: Serialize>(
    items: Vec<T>,
    json: bool,
    line: impl Fn(&T) -> (i64, &String, String),
) -> Result<ExitCode, Error> {
    if json {
        return print_json(&items);
    }
    for item in &items {
        let (id, name, detail) = line(item);
        println_escaped!("{id:>5}  {name}  {detail}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<ExitCode, Error> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("json", e.to_string()))?;
    terminal::print_exact(&text);
    Ok(ExitCode::SUCCESS)
}

fn delete(path: &Path, kind: TrashKind, id: i64, yes: bool, json: bool) -> Result<ExitCode, Error> {
    if !yes {
        let impact = trash::impact(&Store::open_read_only(path)?, kind, id)?;
        if json {
            print_json(&impact)?;
        } else {
            println_escaped!(
                "Deleting the {} '{}' (id {id}) would move it to the Trash.",
                kind.noun(),
                impact.title
            );
            print_impact(&impact.items);
        }
        eprintln_escaped!("chipwatch: nothing was deleted; run again with --yes to delete it.");
        return Ok(ExitCode::from(1));
    }
    let entry = trash::delete(&mut Store::open(path)?, kind, id)?;
    if json {
        return print_json(&entry);
    }
    println_escaped!(
        "Moved the {} '{}' (id {id}) to the Trash as entry {}.",
        kind.noun(),
        entry.title,
        entry.id
    );
    print_impact(&entry.summary);
    println_escaped!("Undo with `chipwatch trash restore {}`.", entry.id);
    Ok(ExitCode::SUCCESS)
}

fn print_impact(items: &[ImpactItem]) {
    if items.is_empty() {
        println_escaped!("Nothing else goes with it.");
    }
    for item in items {
        println_escaped!("  - {}", item.text);
    }
}

fn trash_command(path: &Path, action: TrashAction) -> Result<ExitCode, Error> {
    match action {
        TrashAction::List { json } => {
            let entries = trash::list(&Store::open_read_only(path)?)?;
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                println_escaped!("The Trash is empty.");
            }
            for e in &entries {
                let summary: Vec<&str> = e.summary.iter().map(|i| i.text.as_str()).collect();
                let summary = if summary.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", summary.join("; "))
                };
                println_escaped!(
                    "{:>5}  {}  {:<10}  {}{summary}",
                    e.id,
                    e.deleted_at,
                    e.kind.noun(),
                    e.title
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        TrashAction::Restore { trash_id } => {
            let mut store = Store::open(path)?;
            let title = trash::list(&store)?
                .into_iter()
                .find(|e| e.id == trash_id)
                .map(|e| e.title);
            let restored = trash::restore(&mut store, trash_id)?;
            println_escaped!(
                "Restored the {} '{}' (id {}).",
                restored.kind.noun(),
                title.unwrap_or_default(),
                restored.id
            );
            for left_out in &restored.left_out {
                println_escaped!("  not restored: {left_out}");
            }
            Ok(ExitCode::SUCCESS)
        }
        TrashAction::Purge { trash_id } => {
            trash::purge(&mut Store::open(path)?, trash_id)?;
            println_escaped!("Deleted Trash entry {trash_id} for good.");
            Ok(ExitCode::SUCCESS)
        }
        TrashAction::Empty => {
            let count = trash::empty(&mut Store::open(path)?)?;
            let plural = if count == 1 { "entry" } else { "entries" };
            println_escaped!("Emptied the Trash: {count} {plural} deleted for good.");
            Ok(ExitCode::SUCCESS)
        }
    }
}
