//! `chipwatch`: the Chipwatch core from a terminal, for scripts, CI and checks.
//! Exit codes: 0 success, 1 bad input or a failed check, 2 usage.

use std::path::PathBuf;
use std::process::ExitCode;

use chipwatch_core::model::TrashKind;
use chipwatch_core::records::RecordKind;
use chipwatch_core::sample::{self, SampleSpec};
use chipwatch_core::search::SearchKind;
use chipwatch_core::workspace::{self, Seed};
use chipwatch_core::{Error, Store};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

/// mimalloc, which also takes over `malloc` and `free` ("override"), so that
/// SQLite's allocations go through it too. A big import moves rows from its
/// reading thread to its writing one while SQLite allocates and frees
/// page-sized buffers: with glibc's allocator, malloc, free and chunk
/// consolidation took about a fifth of the writing thread (perf, 1,000,000
/// narrow rows), and the import of those rows ran 10-12% longer (`make
/// bench`, import). The desktop app keeps glibc's: there mimalloc made the
/// app's own process ~15 MB bigger on every screen, which took the Timeline,
/// Compare and Trash over the 300 MB budget of `make bench` (footprint).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// First: its print macros are used by the modules below.
#[macro_use]
mod terminal;
mod backup_cmd;
mod browse_cmd;
mod chip_cmd;
mod citations_cmd;
mod compare;
mod event_cmd;
mod firm_cmd;
mod import_cmd;
mod map_arg;
mod note_cmd;
mod records;
mod source_cmd;
mod strategy_cmd;
mod team_cmd;
mod trash_cmd;
mod workspace_cmd;

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
        /// wide: Zotero's 87 columns; narrow: the 20 a trimmed spreadsheet keeps, an abstract on one row in six
        #[arg(long, value_enum, default_value = "wide")]
        columns: import_cmd::ZoteroColumns,
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
    /// Export a comparison sheet (XLSX, CSV, Markdown) or citations (BibTeX, RIS, CSL-JSON)
    Export {
        #[command(subcommand)]
        what: compare::ExportWhat,
    },
    /// Saved comparisons and the dimensions a comparison can show
    Compare {
        #[command(subcommand)]
        action: compare::CompareAction,
    },
    /// Share the workspace through a PostgreSQL server, or join one shared there
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Push this replica's changes to the team server and pull the others'
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// Fields a teammate and you changed differently, waiting for a choice
    Conflicts {
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<ConflictAction>,
    },
    /// Who changed a record, when, and what (old → new)
    History {
        #[arg(value_enum)]
        kind: HistoryKind,
        /// The record's name or title, or its id
        name_or_id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum TeamAction {
    /// Publish this workspace as a new team workspace (you become its admin)
    Create {
        /// PostgreSQL connection string, e.g. postgresql://alice@db.example.org/chipwatch
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long)]
        name: String,
    },
    /// Make a new local replica (the file --workspace names) of a team workspace
    Join {
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long)]
        name: String,
    },
    /// Which team workspace this is, what waits to be pushed, the last sync
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The members of the team workspace and their roles
    Members {
        #[arg(long)]
        json: bool,
    },
    /// Give a PostgreSQL login a role: reader, editor or admin (admins only)
    Grant { login: String, role: String },
    /// Take a login out of the team workspace (admins only)
    Revoke { login: String },
    /// Install or upgrade the team schema on a server (a PostgreSQL superuser)
    Upgrade {
        #[arg(long, value_name = "URL")]
        server: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ConflictAction {
    /// Keep your value or theirs for conflict ID, or settle it with an edited merge
    Resolve {
        id: i64,
        #[arg(
            long,
            value_enum,
            required_unless_present = "merged",
            conflicts_with = "merged"
        )]
        keep: Option<KeepArg>,
        /// The value to keep instead of either side (text, or a number for a numeric
        /// field; "" clears the field)
        #[arg(long, value_name = "VALUE")]
        merged: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum KeepArg {
    Mine,
    Theirs,
}

#[derive(Clone, Copy, ValueEnum)]
enum HistoryKind {
    Firm,
    Strategy,
    Assessment,
    Chip,
    Source,
    Note,
    Event,
    Comparison,
}

impl From<HistoryKind> for RecordKind {
    fn from(kind: HistoryKind) -> Self {
        match kind {
            HistoryKind::Firm => RecordKind::Firm,
            HistoryKind::Strategy => RecordKind::Strategy,
            HistoryKind::Assessment => RecordKind::Assessment,
            HistoryKind::Chip => RecordKind::Chip,
            HistoryKind::Source => RecordKind::Source,
            HistoryKind::Note => RecordKind::Note,
            HistoryKind::Event => RecordKind::Event,
            HistoryKind::Comparison => RecordKind::Comparison,
        }
    }
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
    // `check` is what the hint asks for, `restore` replaces the file with a
    // checked backup, and a Zotero CSV needs no workspace.
    let checks_or_replaces = matches!(
        cli.command,
        Command::Check { .. } | Command::Restore { .. } | Command::GenerateZoteroCsv { .. }
    );
    if !checks_or_replaces {
        workspace_cmd::hint_after_unclean_shutdown(&path);
    }
    match cli.command {
        Command::Init { empty } => workspace_cmd::init(
            &path,
            if empty {
                Seed::Empty
            } else {
                Seed::DefaultDataset
            },
        ),
        Command::Upgrade => workspace_cmd::upgrade(&path),
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
        Command::Check { json } => workspace_cmd::check(&path, json),
        Command::List {
            entity,
            json,
            limit,
        } => browse_cmd::list(&Store::open_read_only(&path)?, entity, json, limit),
        Command::Search {
            query,
            more_words,
            kinds,
            limit,
            json,
        } => browse_cmd::search_command(&path, query, &more_words, kinds, limit, json),
        Command::GenerateSample {
            sources,
            notes,
            seed,
            append,
        } => workspace_cmd::generate_sample(
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
        } => trash_cmd::delete(&path, kind.into(), id, yes, json),
        Command::Trash { action } => trash_cmd::trash_command(&path, action),
        Command::Import { action } => import_cmd::import_command(&path, action),
        Command::GenerateZoteroCsv {
            file,
            rows,
            seed,
            columns,
        } => import_cmd::generate_zotero_csv(&file, rows, seed, columns),
        Command::Backup { out, json } => backup_cmd::backup_command(&path, out.as_deref(), json),
        Command::Restore { from, json } => backup_cmd::restore_command(&path, &from, json),
        Command::Backups { json } => backup_cmd::backups_command(&path, json),
        Command::Export { what } => compare::export_command(&path, what),
        Command::Compare { action } => compare::compare_command(&path, action),
        Command::Team { action } => team_cmd::team_command(&path, action),
        Command::Sync { json } => team_cmd::sync(&path, json),
        Command::Conflicts { json, action } => team_cmd::conflicts_command(&path, json, action),
        Command::History {
            kind,
            name_or_id,
            json,
        } => team_cmd::history_command(&path, kind.into(), &name_or_id, json),
    }
}

pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<ExitCode, Error> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("json", e.to_string()))?;
    terminal::print_exact(&text);
    Ok(ExitCode::SUCCESS)
}
