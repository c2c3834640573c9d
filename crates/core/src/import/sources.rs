//! Importing sources: each row normalised and checked as the source form would
//! (title required, web address, DOI, dates as analysts write them), checked
//! for duplicates, written with its tags, its original row and its firm mentions.
//!
//! This file is the entry: one transaction with the settings of a bulk load and
//! the insert triggers whose work the import does itself suspended. Reading a
//! row into a source is `source_rows.rs` (a CSV row) or `citation_rows.rs` (a
//! record of an RIS, BibTeX or CSL-JSON file), the reading and writing threads
//! `source_pipeline.rs`, the statements that write `source_writes.rs`.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::autolink::FirmMatcher;
use super::citation_input::CitationInput;
use super::input::CsvInput;
use super::mapping;
use super::source_pipeline::{SourceRows, WriteRows};
use super::source_rows::CsvRows;
use super::{batches, Control, ImportOptions, ImportReport, ImportTarget};
use crate::error::Result;
use crate::store::Store;

// A row as the preview shows it is read here too.
pub(super) use super::source_rows::normalise;

/// FTS5 settings while an import runs, and their defaults. FTS5 merges its
/// segments eagerly (automerge 4), which in a bulk load rewrites the same
/// postings again and again; and it writes a segment for every 1 MiB of new
/// postings it holds (hashsize): bigger first segments need fewer merges.
/// (1M rows in `make bench`: a 4 MiB hash took the import from 44 s to 40 s.)
const IMPORT_FTS5_SETTINGS: [(&str, i64, i64); 2] =
    [("automerge", 16, 4), ("hashsize", 4 << 20, 1 << 20)];

pub(crate) fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let mut input = CsvInput::open(path, options, control.cancel)?;
    let mut report = input.report(ImportTarget::Sources, options);
    bulk_write(store, options, |tx| {
        import_rows(
            tx,
            File::Csv(&mut input),
            path,
            options,
            control,
            &mut report,
        )
    })?;
    control.done(&mut report, &input);
    Ok(report)
}

/// Imports the records of a citation file, read and checked already.
pub(crate) fn import_citations(
    store: &mut Store,
    mut input: CitationInput,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let mut report = input.report(options);
    bulk_write(store, options, |tx| {
        import_rows(
            tx,
            File::Citations(&mut input),
            path,
            options,
            control,
            &mut report,
        )
    })?;
    control.done(&mut report, &input);
    Ok(report)
}

/// `write` in one transaction with the settings of a bulk load.
fn bulk_write(
    store: &mut Store,
    options: &ImportOptions,
    write: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<()> {
    // Foreign keys are not looked up row by row either: every reference the
    // import writes is to a row it wrote or read in its own transaction (the
    // new source, its batch, a tag, a firm the matcher loaded), and the
    // lookups, two or three for each tag and firm link, took ~1 s of a
    // million narrow rows. The setting cannot change inside a transaction,
    // so it is set around it; debug builds, which every test runs, check
    // every foreign key before the commit. (A panic would leave it off, but
    // also poisons the app's store: nothing writes through it again.)
    //
    // SQLite's sorter spills to temporary files (in SQLite's temporary
    // folder) while the import builds its indexes again (`build_indexes`),
    // not to memory as this connection's other temporary data does
    // (store.rs): in memory it sorts all the keys of an index in one list on
    // one core, in files it sorts runs of a few MB on two cores and merges
    // them (the seven builds after a million narrow rows: 6.1 s, then 3.5 s).
    // The setting can change only outside a transaction.
    store.conn().pragma_update(None, "foreign_keys", false)?;
    store.conn().pragma_update(None, "temp_store", "FILE")?;
    let written = bulk_transaction(store, options, write);
    store.conn().pragma_update(None, "temp_store", "MEMORY")?;
    store.conn().pragma_update(None, "foreign_keys", true)?;
    written
}

fn bulk_transaction(
    store: &mut Store,
    options: &ImportOptions,
    write: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<()> {
    let bulk = |tx: &rusqlite::Transaction<'_>| {
        // A big page cache for the import: with SQLite's default 2 MB, pages of
        // the indexes are evicted and written to the WAL again and again.
        let cache: i64 = tx.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        tx.pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        // FTS5 settings for a bulk load, and their defaults put back before the
        // commit (a dry run, which writes nothing, leaves them alone).
        let configure = |settings: &[(&str, i64)]| -> rusqlite::Result<()> {
            for (name, value) in settings {
                tx.execute(
                    "INSERT INTO search_index(search_index, rank) VALUES (?1, ?2)",
                    params![name, value],
                )?;
            }
            Ok(())
        };
        if !options.dry_run {
            configure(&IMPORT_FTS5_SETTINGS.map(|(name, value, _)| (name, value)))?;
        }
        // Every row is checked in Rust as the source form checks it before it
        // is written, so SQLite's CHECK constraints are not evaluated a second
        // time per row: json_valid over the original row and the date()
        // checks took 16% of the writing thread (callgrind, 20,000 narrow
        // rows). The flag is read when a statement is prepared; SQLite
        // re-prepares the statements when it changes. Debug builds, which
        // every test runs, check afterwards that the rows hold every CHECK.
        tx.pragma_update(None, "ignore_check_constraints", true)?;
        let result = write(tx);
        tx.pragma_update(None, "ignore_check_constraints", false)?;
        #[cfg(debug_assertions)]
        if result.is_ok() {
            // quick_check checks every row's CHECK constraints.
            let broken = crate::store::integrity_problems(tx, "quick_check")?;
            assert!(
                broken.is_empty(),
                "the import wrote rows SQLite refuses: {:?}",
                &broken[..broken.len().min(3)]
            );
            let dangling = dangling_references(tx)?;
            assert!(
                dangling.is_empty(),
                "the import wrote references to rows that do not exist: {:?}",
                &dangling[..dangling.len().min(3)]
            );
        }
        if !options.dry_run {
            configure(&IMPORT_FTS5_SETTINGS.map(|(name, _, default)| (name, default)))?;
        }
        tx.pragma_update(None, "cache_size", cache)?;
        result
    };
    // A dry run commits nothing: it need not keep readers out.
    if options.dry_run {
        store.write(bulk)
    } else {
        store.write_in_bulk(bulk)
    }
}

/// Rows whose foreign keys name a row that does not exist: (table, rowid, parent table).
#[cfg(any(debug_assertions, test))]
fn dangling_references(conn: &Connection) -> Result<Vec<(String, Option<i64>, String)>> {
    let mut stmt = conn.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The file a sources import reads.
enum File<'i, 'a> {
    Csv(&'i mut CsvInput<'a>),
    Citations(&'i mut CitationInput),
}

/// SQLite's page cache during an import, in KiB (negative: a size, not pages).
/// 96 MB, not more: under mimalloc (the CLI's allocator) each ~4.3 KB page
/// buffer takes 5 KB, and a 112 MB cache put the peak RSS of an import of a
/// million narrow rows at 311 MB, over its 300 MB budget (`make bench`).
const IMPORT_CACHE_KIB: i64 = -96 * 1024;

fn import_rows(
    tx: &rusqlite::Transaction<'_>,
    file: File<'_, '_>,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
    report: &mut ImportReport,
) -> Result<()> {
    // A CSV is read through its mapping; a citation file's fields are its own.
    let mut csv_rows;
    let (rows, how_read): (&mut dyn SourceRows, String) = match file {
        File::Csv(input) => {
            let mapping = mapping::resolve(tx, ImportTarget::Sources, options, &input.headers)?;
            let how_read = serde_json::to_string(&mapping).unwrap_or_else(|_| "{}".into());
            csv_rows = CsvRows::new(input, &mapping);
            (&mut csv_rows, how_read)
        }
        File::Citations(input) => {
            let how_read = serde_json::json!({ "format": input.format.label() }).to_string();
            (input, how_read)
        }
    };
    let matcher = FirmMatcher::load(tx)?;
    if options.dry_run {
        tx.execute_batch("SAVEPOINT import_dry_run")?;
    }
    // Rows changed before the import are indexed first: the search queue then
    // holds only what the import itself changes.
    crate::search::refresh(tx)?;
    let batch = batches::start(tx, ImportTarget::Sources, rows.file(), &how_read)?;
    let suspended = suspend_insert_triggers(tx)?;
    let rebuilt = if grows_the_workspace(tx, rows.file().total_bytes())? {
        suspend_schema(tx, SchemaKind::Index, &BUILT_AFTER_A_BIG_IMPORT)?
    } else {
        Vec::new()
    };
    // Rows are read and prepared on a second thread, written on this one.
    let omitted = WriteRows::new(tx, options, batch, rows.file().total_bytes())?
        .run(rows, path, &matcher, control, report)?;
    build_indexes(tx, &rebuilt)?;
    record_new_sources(tx, batch)?;
    // (On an error the transaction rolls back, and the triggers with it.)
    for sql in &suspended {
        tx.execute_batch(sql)?;
    }
    batches::settle(tx, batch, options, report, omitted, rows.file(), control)
}

/// Insert triggers whose work the import does itself: it drops them inside
/// its transaction and creates them again before committing (a rollback
/// brings them back too). A trigger makes SQLite keep a statement journal, a
/// copy of every page the statement changes, for each row and tag inserted,
/// and the search triggers queue each row for the index to read back, where
/// the import indexes the values it holds (200k rows in `make bench`: 9.8 s
/// with the triggers, 7.1 s without). Any other trigger stays and fires.
const IMPORT_DOES_ITSELF: [&str; 7] = [
    // Imported dates are PartialDate values, valid by the same rule (date.rs).
    "sources_published_on_valid_on_insert",
    "sources_accessed_on_valid_on_insert",
    // The import writes the index entries of its new rows (search::EntryWriter).
    "search_sources_insert",
    "search_source_tags_insert",
    // The import gives each new source its uid and queues its new rows for
    // history and team sync in one statement (record_new_sources).
    "record_sources_insert",
    "record_source_tags_insert",
    "record_source_firms_insert",
];

/// Indexes that only order and filter the Sources list, and those that find
/// a tag's or a firm's sources: an import that may more than double the
/// workspace drops them inside its transaction and builds them again at its
/// end, which sorts every row once instead of placing each new row into seven
/// more B-trees as it comes (100,000 narrow rows into an empty workspace: 8.2 s
/// with the five on `sources` kept, 6.9 s built after; the two link indexes
/// save another 2.5% of the writing thread's instructions). `uid` (unique),
/// `import_batch_id` (read below) and the link tables' keys stay.
const BUILT_AFTER_A_BIG_IMPORT: [&str; 7] = [
    "sources_title",
    "sources_published",
    "sources_publisher",
    "sources_kind",
    "sources_grade",
    "source_tags_tag",
    "source_firms_firm",
];

/// Builds the indexes `sql` creates, letting SQLite's sorter use the second
/// core (the reading thread has ended): with a helper thread allowed, sort
/// runs of a few MB (the page cache's size) and temporary files to hold them
/// (`bulk_write` allows those), keys that fill several runs (a file of a few
/// hundred thousand rows) are sorted in parallel and merged. Smaller imports
/// fit one run and sort on this thread.
fn build_indexes(tx: &Connection, sql: &[String]) -> Result<()> {
    if sql.is_empty() {
        return Ok(());
    }
    let cache: i64 = tx.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    tx.pragma_update(None, "threads", 1)?;
    tx.pragma_update(None, "cache_size", SORT_RUN_KIB)?;
    let built = sql.iter().try_for_each(|sql| tx.execute_batch(sql));
    tx.pragma_update(None, "threads", 0)?;
    tx.pragma_update(None, "cache_size", cache)?;
    Ok(built?)
}

/// The page cache while the indexes are built, in KiB (negative: a size):
/// SQLite's sorter writes runs of about this size.
const SORT_RUN_KIB: i64 = -8 * 1024;

/// Bytes a row of a sources file holds at least, about (a narrow spreadsheet
/// row is ~300, Zotero's ~700): the file's size over this is at most its rows.
const FEWEST_BYTES_PER_ROW: u64 = 256;

/// Whether a file of `bytes` may hold as many rows as the workspace has
/// sources, so that building the order indexes again costs less than keeping
/// them up to date row by row.
fn grows_the_workspace(tx: &Connection, bytes: u64) -> Result<bool> {
    let sources: i64 = tx.query_row("SELECT max(id) FROM sources", [], |r| {
        r.get::<_, Option<i64>>(0).map(Option::unwrap_or_default)
    })?;
    Ok(bytes / FEWEST_BYTES_PER_ROW >= sources.unsigned_abs())
}

/// What the suspended `record_*_insert` triggers would have recorded: every
/// source of the batch, created (its tags and firm links are part of it).
/// A source the batch added and a later row filled was queued as changed by
/// the fill; its creation covers that. Outside a team workspace the history
/// rows are written here in one statement, not queued for `records::seal`
/// (which would sort and look up every row again); a team workspace queues
/// them, as each one also goes to the server.
fn record_new_sources(tx: &Connection, batch: crate::model::Id) -> Result<()> {
    tx.execute(
        "DELETE FROM record_changes WHERE kind = 'source' AND EXISTS
           (SELECT 1 FROM sources s WHERE s.id = record_changes.id AND s.import_batch_id = ?1)",
        [batch],
    )?;
    if crate::records::is_team(tx)? {
        tx.execute(
            "INSERT INTO record_changes (kind, id, uid, op)
             SELECT 'source', id, uid, 'create' FROM sources WHERE import_batch_id = ?1",
            [batch],
        )?;
    } else {
        tx.execute(
            "INSERT INTO history (kind, record_id, uid, op, fields, author, at)
             SELECT 'source', id, uid, 'created', '{}', ?2, ?3 FROM sources WHERE import_batch_id = ?1",
            params![batch, crate::records::local_author(tx)?, crate::text::now_utc()],
        )?;
    }
    Ok(())
}

/// Drops the [`IMPORT_DOES_ITSELF`] triggers; returns the SQL that creates them.
fn suspend_insert_triggers(tx: &Connection) -> Result<Vec<String>> {
    suspend_triggers(tx, &IMPORT_DOES_ITSELF)
}

/// Drops the triggers named, inside the import's transaction (a rollback
/// brings them back); returns the SQL that creates them again.
pub(super) fn suspend_triggers(tx: &Connection, names: &[&str]) -> Result<Vec<String>> {
    suspend_schema(tx, SchemaKind::Trigger, names)
}

/// What [`suspend_schema`] drops: the two kinds of schema object an import
/// may take away for its duration.
#[derive(Clone, Copy)]
enum SchemaKind {
    Trigger,
    Index,
}

impl SchemaKind {
    /// Its `type` in `sqlite_schema`.
    fn schema_type(self) -> &'static str {
        match self {
            SchemaKind::Trigger => "trigger",
            SchemaKind::Index => "index",
        }
    }

    fn drop_statement(self) -> &'static str {
        match self {
            SchemaKind::Trigger => "DROP TRIGGER",
            SchemaKind::Index => "DROP INDEX",
        }
    }
}

/// Drops the schema objects of `kind` named, inside the import's transaction
/// (a rollback brings them back); returns the SQL that creates them again.
fn suspend_schema(tx: &Connection, kind: SchemaKind, names: &[&str]) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for &name in names {
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2",
                [kind.schema_type(), name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            tx.execute_batch(&format!("{} \"{name}\"", kind.drop_statement()))?;
            created.push(sql);
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new insert trigger on a table the import writes must be looked at:
    /// either the import does its work itself (and suspends it) or it fires.
    #[test]
    fn the_suspended_triggers_are_the_insert_triggers_of_sources_and_their_tags() {
        let store = Store::open_in_memory().unwrap();
        let mut insert_triggers: Vec<String> = store
            .conn()
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger'
                 AND tbl_name IN ('sources', 'source_tags', 'source_firms', 'tags', 'import_batches')
                 AND sql LIKE '% INSERT ON %'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        insert_triggers.sort();
        let mut suspended = IMPORT_DOES_ITSELF.map(str::to_owned).to_vec();
        suspended.sort();
        assert_eq!(insert_triggers, suspended);
    }

    /// The debug check after an import sees a row written while CHECK
    /// constraints were ignored that breaks one.
    #[test]
    fn a_row_breaking_a_check_is_found_after_the_import() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        assert_eq!(
            crate::store::integrity_problems(conn, "quick_check").unwrap(),
            Vec::<String>::new()
        );
        conn.pragma_update(None, "ignore_check_constraints", true)
            .unwrap();
        conn.execute(
            "INSERT INTO sources (kind, title, original_row, created_at, updated_at, uid)
             VALUES ('article', 'Kunlun P800', '{not json', '2026-01-01', '2026-01-01', 'u1')",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "ignore_check_constraints", false)
            .unwrap();
        assert_eq!(
            crate::store::integrity_problems(conn, "quick_check").unwrap(),
            vec!["CHECK constraint failed in sources".to_string()]
        );
    }

    /// The debug check after an import sees a link written while foreign
    /// keys were off that names a source that does not exist.
    #[test]
    fn a_link_to_a_missing_source_is_found_after_the_import() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("workspace.db");
        let (store, _) =
            crate::workspace::open_or_init(&path, crate::workspace::Seed::DefaultDataset).unwrap();
        let conn = store.conn();
        assert_eq!(dangling_references(conn).unwrap(), Vec::new());
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn.execute(
            "INSERT INTO source_firms (source_id, firm_id) VALUES (999999, (SELECT min(id) FROM firms))",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        let dangling = dangling_references(conn).unwrap();
        assert_eq!(dangling.len(), 1, "{dangling:?}");
        assert_eq!(
            (dangling[0].0.as_str(), dangling[0].2.as_str()),
            ("source_firms", "sources")
        );
    }

    /// Foreign keys are checked again once an import ends, whether it stopped
    /// at a bad row or wrote its rows: a later delete cascades as before. The
    /// workspace is back in WAL, and temporary data back in memory.
    #[test]
    fn foreign_keys_are_on_again_after_an_import_that_wrote_or_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sources.csv");
        std::fs::write(
            &file,
            "Title,Url\n\"Huawei Ascend 910B, \"\"yields\"\"\",https://example.org/a\n,https://example.org/no-title\n",
        )
        .unwrap();
        let path = dir.path().join("workspace.db");
        let (mut store, _) =
            crate::workspace::open_or_init(&path, crate::workspace::Seed::DefaultDataset).unwrap();
        let strict = ImportOptions {
            strict: true,
            ..ImportOptions::default()
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        for options in [strict, ImportOptions::default()] {
            let outcome =
                crate::import::import_sources(&mut store, &file, &options, &mut |_| {}, &cancel);
            assert_eq!(outcome.is_err(), options.strict, "{outcome:?}");
            let on: bool = store
                .conn()
                .pragma_query_value(None, "foreign_keys", |r| r.get(0))
                .unwrap();
            assert!(
                on,
                "foreign keys off after an import (strict: {})",
                options.strict
            );
            // And the rest of the connection's settings are as before.
            let journal: String = store
                .conn()
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            let temp_store: i64 = store
                .conn()
                .pragma_query_value(None, "temp_store", |r| r.get(0))
                .unwrap();
            assert_eq!((journal.as_str(), temp_store), ("wal", 2));
        }
        let links: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM source_firms WHERE source_id = (SELECT max(id) FROM sources)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(links > 0, "the imported source names Huawei");
    }

    /// `build_indexes` counts on SQLite's sorter being allowed a helper
    /// thread; a build of SQLite without worker threads would sort on one core.
    #[test]
    fn the_index_build_gets_a_helper_thread() {
        let store = Store::open_in_memory().unwrap();
        store.conn().pragma_update(None, "threads", 1).unwrap();
        let threads: i64 = store
            .conn()
            .pragma_query_value(None, "threads", |r| r.get(0))
            .unwrap();
        assert_eq!(threads, 1);
    }
}
