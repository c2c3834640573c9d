//! Use cases on a whole workspace: where it lives, opening it ready to use,
//! counting what it holds, and checking it for damage (never on opening: a
//! check reads every page).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dataset::{self, Dataset};
use crate::date::DATE_COLUMNS;
use crate::error::{Error, Result};
use crate::model::{Stats, WorkspaceInfo};
use crate::store::{self, Store};
use crate::validate;

pub use crate::store::Opened;

/// The app's identifier; the default workspace lives in the platform data folder under it.
pub const APP_IDENTIFIER: &str = "org.chipwatch.desktop";
/// Environment variable that picks the workspace file for the app and the CLI.
pub const WORKSPACE_ENV: &str = "CHIPWATCH_WORKSPACE";

/// `$CHIPWATCH_WORKSPACE`, else `<data dir>/org.chipwatch.desktop/workspace.db`
/// (on Linux `~/.local/share/...`), the same for the app and the CLI.
pub fn default_path() -> Result<PathBuf> {
    match std::env::var_os(WORKSPACE_ENV).filter(|p| !p.is_empty()) {
        Some(path) => Ok(PathBuf::from(path)),
        None => app_data_path(),
    }
}

/// The workspace in the platform's app data folder.
fn app_data_path() -> Result<PathBuf> {
    let data_dir = dirs::data_dir().ok_or_else(|| {
        Error::invalid(
            WORKSPACE_ENV,
            "no data folder is known for this user; set CHIPWATCH_WORKSPACE to a file path",
        )
    })?;
    Ok(data_dir.join(APP_IDENTIFIER).join("workspace.db"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    DefaultDataset,
    Empty,
}

/// Opens the workspace at `path`; a new one is created and, with
/// `Seed::DefaultDataset`, filled with the default dataset in the same
/// transaction, so a crash never leaves an unseeded workspace behind. A
/// zero-byte file counts as new. The app data folder is created on first use;
/// a folder the user named must already exist.
pub fn open_or_init(path: &Path, seed: Seed) -> Result<(Store, Opened)> {
    prepare_folder(path)?;
    let dataset = match seed {
        Seed::DefaultDataset => Some(Dataset::default_dataset()?),
        Seed::Empty => None,
    };
    Store::open_or_create(path, |conn| match &dataset {
        Some(dataset) => dataset::insert(conn, dataset),
        None => Ok(()),
    })
}

/// Creates the app data folder when `path` is the default workspace in it
/// (before its lock or the workspace itself is made there); any other folder
/// is the user's to make.
pub fn prepare_folder(path: &Path) -> Result<()> {
    if app_data_path().is_ok_and(|default| default == path) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
    }
    Ok(())
}

pub fn stats(store: &Store) -> Result<Stats> {
    store.read(|conn| {
        let count = |table: &str| -> Result<i64> {
            Ok(
                conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get(0)
                })?,
            )
        };
        Ok(Stats {
            firms: count("firms")?,
            strategies: count("strategies")?,
            assessments: count("assessments")?,
            chips: count("chips")?,
            sources: count("sources")?,
            notes: count("notes")?,
            events: count("events")?,
            tags: count("tags")?,
            import_batches: count("import_batches")?,
            comparisons: count("comparisons")?,
        })
    })
}

pub fn info(store: &Store) -> Result<WorkspaceInfo> {
    store.read(|_| {
        Ok(WorkspaceInfo {
            path: store
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| ":memory:".into()),
            schema_version: store.schema_version()?,
            counts: stats(store)?,
        })
    })
}

/// Problems found by [`check`]; empty lists mean a healthy file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub path: String,
    /// `None` when the file is too damaged to say.
    pub schema_version: Option<i64>,
    /// Rows of `PRAGMA integrity_check` other than "ok".
    pub integrity: Vec<String>,
    /// One line per row that points at a missing parent.
    pub foreign_keys: Vec<String>,
    /// One line per stored date that is not a date (written before the rule was enforced, or by another tool).
    pub dates: Vec<String>,
    /// One line per table, index, trigger or view that the schema version
    /// does not hold as Chipwatch made it (see `schema.rs`).
    pub schema: Vec<String>,
    /// One line per stored web address or DOI that the forms would refuse
    /// (written by another tool or a tampered file), naming the record.
    pub addresses: Vec<String>,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.dates.is_empty()
            && self.schema.is_empty()
            && self.addresses.is_empty()
    }

    /// Every problem, one line each.
    pub fn problems(&self) -> impl Iterator<Item = &String> {
        self.integrity
            .iter()
            .chain(&self.schema)
            .chain(&self.foreign_keys)
            .chain(&self.dates)
            .chain(&self.addresses)
    }
}

/// Checks the workspace at `path` read-only: it is never modified, even when
/// damaged. What is not a workspace at all (a missing, empty, foreign or newer
/// file) is an error that names the cause; damage inside a workspace is reported.
pub fn check(path: &Path) -> Result<CheckReport> {
    let mut report = CheckReport {
        path: path.display().to_string(),
        ..CheckReport::default()
    };
    match store::inspect_for_check(path) {
        Ok(version) => report.schema_version = Some(version),
        Err(Error::WorkspaceCorrupt { detail, .. }) => {
            report.integrity.push(detail);
            return Ok(report);
        }
        Err(other) => return Err(other),
    }
    let conn = store::read_only_connection(path)?;
    match store::integrity_problems(&conn, "integrity_check") {
        Ok(problems) => report.integrity = problems,
        Err(e) => report.integrity.push(e.to_string()),
    }
    // A damaged file cannot be trusted to answer the questions below.
    if !report.integrity.is_empty() {
        return Ok(report);
    }
    let version = report.schema_version.unwrap_or(0);
    match store::schema_differences(&conn, version) {
        Ok(differences) => {
            report.schema = differences
                .iter()
                .map(|d| format!("schema: {d} is not what Chipwatch made (version {version})"))
                .collect();
        }
        Err(e) => report.schema.push(e.to_string()),
    }
    match foreign_key_problems(&conn) {
        Ok(problems) => report.foreign_keys = problems,
        Err(e) => report.foreign_keys.push(e.to_string()),
    }
    match date_problems(&conn) {
        Ok(problems) => report.dates = problems,
        Err(e) => report.dates.push(e.to_string()),
    }
    match address_problems(&conn) {
        Ok(problems) => report.addresses = problems,
        Err(e) => report.addresses.push(e.to_string()),
    }
    Ok(report)
}

/// How many lines of damage [`find_damage`] keeps: enough to say what and where.
const DAMAGE_LINES: usize = 20;

/// SQLite's quick_check of the workspace at `path`, read-only: the damaged
/// pages and records it finds (at most 20 lines, SQLite's own wording), none
/// when the file is healthy. It reads every page (3.4 s at a million
/// sources), so opening never runs it: `check` runs the fuller
/// integrity_check, and the app runs this in the background after an unclean
/// shutdown (`damage_check.rs`).
pub fn find_damage(path: &Path) -> Result<Vec<String>> {
    let conn = store::read_only_connection(path)?;
    let rows = match store::integrity_problems(&conn, "quick_check") {
        Ok(rows) => rows,
        // Damage that stops the check itself is damage too.
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            vec![e.to_string()]
        }
        Err(e) => return Err(store::cause(path, e)),
    };
    Ok(rows
        .iter()
        .flat_map(|row| row.lines())
        .map(str::trim)
        // SQLite heads its list with the database's name; there is only one here.
        .filter(|line| !line.is_empty() && *line != "*** in database main ***")
        .take(DAMAGE_LINES)
        .map(str::to_owned)
        .collect())
}

/// The stored columns that hold an address, with the label of their record
/// and the rule the forms apply to them (`validate::url`, `validate::doi`).
type AddressRule = fn(&str, Option<&str>) -> Result<Option<String>>;
const ADDRESS_COLUMNS: [(&str, &str, &str, AddressRule); 3] = [
    ("sources", "url", "title", validate::url),
    ("sources", "doi", "title", validate::doi),
    ("firms", "website", "name", validate::url),
];

/// Stored addresses the forms would refuse, each naming its record.
fn address_problems(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    for (table, column, label, rule) in ADDRESS_COLUMNS {
        // CAST: another tool may have stored a number as a title.
        let mut stmt = conn.prepare(&format!(
            "SELECT id, CAST({label} AS TEXT), {column} FROM {table}
             WHERE {column} IS NOT NULL ORDER BY id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let why = match row.get::<_, rusqlite::types::Value>(2)? {
                rusqlite::types::Value::Text(text) => match rule(column, Some(&text)) {
                    Ok(_) => continue,
                    Err(Error::InvalidInput { message, .. }) => message,
                    Err(other) => other.to_string(),
                },
                _ => "is not text".to_owned(),
            };
            let id: i64 = row.get(0)?;
            let name: String = row.get::<_, Option<String>>(1)?.unwrap_or_default();
            problems.push(format!("{table} row {id} ('{name}'): {column} {why}"));
        }
    }
    Ok(problems)
}

/// Stored dates that break the rule of their column (see `date::DATE_COLUMNS`).
fn date_problems(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    for (table, column, precision) in DATE_COLUMNS {
        let mut stmt = conn.prepare(&format!(
            "SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY rowid"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let shown = match row.get::<_, rusqlite::types::Value>(1)? {
                rusqlite::types::Value::Text(text) if precision.accepts_stored(&text) => continue,
                rusqlite::types::Value::Text(text) => format!("'{text}'"),
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Real(x) => x.to_string(),
                rusqlite::types::Value::Blob(_) | rusqlite::types::Value::Null => {
                    "a non-text value".into()
                }
            };
            let id: i64 = row.get(0)?;
            problems.push(format!(
                "{table} row {id}: {column} {shown} is not a date; the column holds {}",
                precision.form()
            ));
        }
    }
    Ok(problems)
}

fn foreign_key_problems(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |row| {
        let table: String = row.get(0)?;
        let rowid: Option<i64> = row.get(1)?;
        let parent: String = row.get(2)?;
        Ok(format!(
            "{table} row {} points at a missing row of {parent}",
            rowid.map_or("?".into(), |r| r.to_string())
        ))
    })?;
    rows.collect()
}
