//! `chipwatch`: the Chipwatch core from a terminal, for scripts, CI and checks.
//! Exit codes: 0 success, 1 bad input or a failed check, 2 usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chipwatch_core::workspace::{self, Opened, Seed};
use chipwatch_core::{chips, events, firms, notes, sources, strategies, Error, Store};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "chipwatch",
    version,
    about = "Chipwatch workspaces from the command line"
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
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("chipwatch: {error}");
            ExitCode::from(1)
        }
    }
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
                        println!("{entity:<16} {count}");
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
    }
}

fn init(path: &Path, seed: Seed) -> Result<ExitCode, Error> {
    let (store, opened) = workspace::open_or_init(path, seed)?;
    let stats = workspace::stats(&store)?;
    match opened {
        Opened::Created => println!(
            "Created {} ({} firms, {} chips, {} sources, {} notes, {} events).",
            path.display(),
            stats.firms,
            stats.chips,
            stats.sources,
            stats.notes,
            stats.events
        ),
        Opened::Existing => match store.upgrade() {
            Some(done) => println!(
                "{} already exists; upgraded it from schema version {} to {} ({} firms); the old file is kept as {}.",
                path.display(),
                done.from_version,
                store.schema_version()?,
                stats.firms,
                done.backup.display()
            ),
            None => println!(
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
        Some(done) => println!(
            "Upgraded {} from schema version {} to {}; the old file is kept as {}.",
            path.display(),
            done.from_version,
            store.schema_version()?,
            done.backup.display()
        ),
        None => println!(
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
        println!(
            "{}: ok (schema version {})",
            report.path,
            report.schema_version.unwrap_or_default()
        );
    } else {
        for problem in report.problems() {
            println!("{}: {problem}", report.path);
        }
    }
    if report.is_healthy() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "chipwatch: {} has problems; restore a backup ({}.backup-*) if the app refuses it.",
            report.path, report.path
        );
        Ok(ExitCode::from(1))
    }
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
        Entity::Chips => print_rows(chips::list(store, limit)?, json, |c| {
            (c.id, &c.name, c.firm.name.clone())
        }),
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
        println!("{id:>5}  {name}  {detail}");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_json<T: Serialize>(value: &T) -> Result<ExitCode, Error> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::invalid("json", e.to_string()))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}
