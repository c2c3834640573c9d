//! Importing sources: each row normalised and checked as the source form would
//! (title required, web address, DOI, dates as analysts write them), checked
//! for duplicates, written with its tags, its original row and its firm mentions.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;

use rusqlite::{params, Connection, OptionalExtension, Statement};

use super::autolink::FirmMatcher;
use super::dedupe::{Keys, Origin, Seen};
use super::input::{CsvInput, Record};
use super::mapping::{self, ImportField, Mapping};
use super::{
    batches, dates, push_listed, reject_row, shown_value, Control, DuplicatePolicy, DuplicateRow,
    ImportOptions, ImportProblem, ImportReport, ImportTarget, MatchedRecord,
};
use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::model::{Id, SourceDraft, SourceKind};
use crate::search::{self, SearchKind};
use crate::sources::{SourceInserter, SourceRow};
use crate::store::Store;
use crate::text::{now_utc, parse_enum};
use crate::validate;

/// Every this many new rows, the sources filled from duplicate rows (queued
/// by their update triggers) are indexed again, so the queue stays small.
const INDEX_EVERY: u64 = 20_000;
/// FTS5 settings while an import runs, and their defaults. FTS5 merges its
/// segments eagerly (automerge 4), which in a bulk load rewrites the same
/// postings again and again; and it writes a segment for every 1 MiB of new
/// postings it holds (hashsize): bigger first segments need fewer merges.
/// (1M rows in `make bench`: a 4 MiB hash took the import from 44 s to 40 s.)
const IMPORT_FTS5_SETTINGS: [(&str, i64, i64); 2] =
    [("automerge", 16, 4), ("hashsize", 4 << 20, 1 << 20)];

/// A row as it will be stored.
pub(crate) struct CleanSource {
    pub draft: SourceDraft,
    pub keys: Keys,
}

/// Which columns fill which field, worked out once per file.
struct Plan {
    title: Vec<usize>,
    authors: Vec<usize>,
    publisher: Vec<usize>,
    url: Vec<usize>,
    doi: Vec<usize>,
    published: Vec<usize>,
    accessed: Vec<usize>,
    language: Vec<usize>,
    r#abstract: Vec<usize>,
    tags: Vec<usize>,
    kind: Vec<usize>,
    reliability: Vec<usize>,
    credibility: Vec<usize>,
    headers: Vec<String>,
    /// Per column, the text field it fills (title, abstract...): a cell stored
    /// there unchanged need not be kept again in `original_row`.
    verbatim: Vec<Option<ImportField>>,
}

impl Plan {
    fn new(mapping: &Mapping) -> Plan {
        Plan {
            title: mapping.columns_of(ImportField::Title),
            authors: mapping.columns_of(ImportField::Authors),
            publisher: mapping.columns_of(ImportField::Publisher),
            url: mapping.columns_of(ImportField::Url),
            doi: mapping.columns_of(ImportField::Doi),
            published: mapping.columns_of(ImportField::PublishedOn),
            accessed: mapping.columns_of(ImportField::AccessedOn),
            language: mapping.columns_of(ImportField::Language),
            r#abstract: mapping.columns_of(ImportField::Abstract),
            tags: mapping.columns_of(ImportField::Tags),
            kind: mapping.columns_of(ImportField::Kind),
            reliability: mapping.columns_of(ImportField::Reliability),
            credibility: mapping.columns_of(ImportField::Credibility),
            headers: mapping.columns.iter().map(|c| c.header.clone()).collect(),
            verbatim: mapping
                .columns
                .iter()
                .map(|c| {
                    c.field.filter(|f| {
                        matches!(
                            f,
                            ImportField::Title
                                | ImportField::Authors
                                | ImportField::Publisher
                                | ImportField::Url
                                | ImportField::Doi
                                | ImportField::Abstract
                                | ImportField::Language
                        )
                    })
                })
                .collect(),
        }
    }
}

/// One row being checked: collects its problems.
struct RowCheck<'a> {
    plan: &'a Plan,
    record: &'a Record,
    row: u64,
    problems: Vec<ImportProblem>,
}

impl<'a> RowCheck<'a> {
    fn cell(&self, column: usize) -> &'a str {
        self.record.get(column).unwrap_or_default().trim()
    }

    /// The first non-blank cell of `columns`, with its column.
    fn first(&self, columns: &[usize]) -> Option<(usize, &'a str)> {
        columns
            .iter()
            .map(|&c| (c, self.cell(c)))
            .find(|(_, v)| !v.is_empty())
    }

    fn problem(&mut self, column: Option<usize>, value: Option<&str>, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            row: self.row,
            column: column.and_then(|c| self.plan.headers.get(c).cloned()),
            value: value.map(shown_value),
            message: message.into(),
        });
    }

    /// A value through one of `validate`'s checks; a refusal becomes a problem.
    fn checked<T>(
        &mut self,
        columns: &[usize],
        check: impl Fn(&str) -> Result<Option<T>>,
    ) -> Option<T> {
        let (column, value) = self.first(columns)?;
        match check(value) {
            Ok(v) => v,
            Err(error) => {
                self.problem(Some(column), Some(value), what_to_do(&error));
                None
            }
        }
    }

    fn text(&mut self, columns: &[usize], field: &str) -> Option<String> {
        self.checked(columns, |v| validate::optional(field, Some(v)))
    }
}

/// The message of a refused value, as a sentence.
fn what_to_do(error: &Error) -> String {
    match error {
        Error::InvalidInput { message, .. } if message.starts_with("is ") => {
            format!("The value {message}; shorten it or leave it out.")
        }
        Error::InvalidInput { message, .. } => {
            let mut text = message.clone();
            if let Some(first) = text.get(..1) {
                let upper = first.to_uppercase();
                text.replace_range(..1, &upper);
            }
            if !text.ends_with('.') {
                text.push('.');
            }
            text
        }
        other => other.to_string(),
    }
}

/// Zotero item types and common words for a kind of source.
fn source_kind(text: &str) -> SourceKind {
    if let Some(kind) = parse_enum::<SourceKind>(&text.trim().to_lowercase()) {
        return kind;
    }
    let key: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "journalarticle" | "conferencepaper" | "preprint" | "thesis" | "manuscript" | "论文"
        | "期刊论文" => SourceKind::Paper,
        "newspaperarticle" | "magazinearticle" | "blogpost" | "news" | "新闻" | "文章" | "报道" => {
            SourceKind::Article
        }
        "报告" | "研究报告" => SourceKind::Report,
        "webpage" | "forumpost" | "website" | "网页" => SourceKind::Web,
        "booksection" | "书" | "图书" | "书籍" => SourceKind::Book,
        "statute" | "bill" | "case" | "hearing" | "law" | "rule" | "法规" | "政策" | "法律" => {
            SourceKind::Regulation
        }
        "数据集" => SourceKind::Dataset,
        "patent" | "专利" => SourceKind::Filing,
        _ => SourceKind::Other,
    }
}

/// Tags of one cell: Zotero joins them with "; "; a spreadsheet may use commas.
fn split_tags(cell: &str, into: &mut Vec<String>) {
    let separators: &[char] = if cell.contains([';', '；']) {
        &[';', '；']
    } else {
        &[',', '，', '、']
    };
    into.extend(
        cell.split(separators)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned),
    );
}

/// Reads one row into a source, or says every problem it has.
fn normalise_row(
    plan: &Plan,
    record: &Record,
    row: u64,
) -> std::result::Result<CleanSource, Vec<ImportProblem>> {
    let mut check = RowCheck {
        plan,
        record,
        row,
        problems: Vec::new(),
    };
    let columns = plan.headers.len();
    if record.len() < columns {
        check.problem(
            None,
            None,
            format!(
                "This row has {} cells but the header has {columns} columns. A line break or delimiter inside a value must be in quotes; fix the row or fill the missing cells.",
                record.len()
            ),
        );
        return Err(check.problems);
    }
    if record.iter().skip(columns).any(|c| !c.trim().is_empty()) {
        check.problem(
            None,
            None,
            format!(
                "This row has {} cells but the header has {columns} columns, so some values have no column. Quote values that contain the delimiter, or add the missing headers.",
                record.len()
            ),
        );
        return Err(check.problems);
    }

    let title = match check.first(&plan.title) {
        Some((column, value)) => match validate::required("title", value) {
            Ok(title) => Some(title),
            Err(error) => {
                check.problem(Some(column), Some(value), what_to_do(&error));
                None
            }
        },
        None => {
            let column = plan.title.first().copied();
            check.problem(
                column,
                None,
                "The title is empty, and every source needs one. Fill it in, or remove the row.",
            );
            None
        }
    };
    let authors = check.text(&plan.authors, "authors");
    let publisher = check.text(&plan.publisher, "publisher");
    let url = check.checked(&plan.url, |v| validate::url("url", Some(v)));
    let doi = check.checked(&plan.doi, |v| validate::doi("doi", Some(v)));
    // Several date columns (Zotero's Date and Publication Year): the most precise valid one.
    let mut published: Option<PartialDate> = None;
    let mut bad_date: Option<(usize, &str, String)> = None;
    for &column in &plan.published {
        let value = check.cell(column);
        match dates::parse(value) {
            Ok(Some(date)) => {
                let better = match published {
                    None => true,
                    Some(PartialDate::Year(_)) => !matches!(date, PartialDate::Year(_)),
                    Some(PartialDate::Month(..)) => matches!(date, PartialDate::Day(_)),
                    Some(PartialDate::Day(_)) => false,
                };
                if better {
                    published = Some(date);
                }
            }
            Ok(None) => {}
            Err(message) => {
                if bad_date.is_none() {
                    bad_date = Some((column, value, message));
                }
            }
        }
    }
    if let Some((column, value, message)) = bad_date {
        check.problem(Some(column), Some(value), message);
    }
    let accessed = match check.first(&plan.accessed) {
        Some((column, value)) => {
            match dates::parse(value) {
                Ok(Some(PartialDate::Day(day))) => Some(day.format("%Y-%m-%d").to_string()),
                Ok(_) => {
                    check.problem(
                    Some(column),
                    Some(value),
                    format!("'{value}' is not a full date; an access date is a day, e.g. 2023-10-17."),
                );
                    None
                }
                Err(message) => {
                    check.problem(Some(column), Some(value), message);
                    None
                }
            }
        }
        None => None,
    };
    let language = check.text(&plan.language, "language");
    let r#abstract = check.text(&plan.r#abstract, "abstract");
    let kind = check
        .first(&plan.kind)
        .map_or(SourceKind::Other, |(_, v)| source_kind(v));
    let reliability = check.checked(&plan.reliability, |v| {
        let grade = v.trim().to_ascii_uppercase();
        if crate::sources::RELIABILITY_GRADES.iter().any(|(g, _)| *g == grade) {
            Ok(Some(grade))
        } else {
            Err(Error::invalid("reliability", format!("'{v}' is not a reliability grade; use A (completely reliable) to F (cannot be judged)")))
        }
    });
    let credibility = check.checked(&plan.credibility, |v| match v.trim().parse::<i64>() {
        Ok(n) if (1..=6).contains(&n) => Ok(Some(n)),
        _ => Err(Error::invalid(
            "credibility",
            format!("'{v}' is not a credibility grade; use 1 (confirmed) to 6 (cannot be judged)"),
        )),
    });
    let mut tag_names = Vec::new();
    for &column in &plan.tags {
        split_tags(check.cell(column), &mut tag_names);
    }
    let tags = match validate::name_list("tags", &tag_names) {
        Ok(tags) => tags,
        Err(error) => {
            let column = plan.tags.first().copied();
            check.problem(column, None, what_to_do(&error));
            Vec::new()
        }
    };
    let Some(title) = title else {
        return Err(check.problems);
    };
    if !check.problems.is_empty() {
        return Err(check.problems);
    }
    let published_on = published.map(|d| d.to_string());
    let keys = Keys::of(
        &title,
        doi.as_deref(),
        url.as_deref(),
        published_on.as_deref(),
        authors.as_deref(),
    );
    Ok(CleanSource {
        draft: SourceDraft {
            kind,
            title,
            authors,
            publisher,
            url,
            doi,
            published_on,
            accessed_on: accessed,
            language,
            r#abstract,
            reliability,
            credibility,
            tags,
        },
        keys,
    })
}

/// One row as the preview shows it.
pub(crate) fn normalise(
    mapping: &Mapping,
    record: &Record,
    row: u64,
) -> std::result::Result<CleanSource, Vec<ImportProblem>> {
    normalise_row(&Plan::new(mapping), record, row)
}

/// Appends `text` to `out` as a JSON string.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The row's non-blank cells as a JSON object, header → value.
/// The row's cells as a JSON object, header → value, leaving out blank cells
/// and cells stored unchanged in a column of the source (its title, address,
/// abstract...): together with the source's columns it is the original row,
/// at about half the bytes of repeating every cell.
fn original_row(plan: &Plan, draft: &SourceDraft, record: &Record, out: &mut String) {
    out.clear();
    out.push('{');
    let mut first = true;
    for ((header, value), field) in plan.headers.iter().zip(record.iter()).zip(&plan.verbatim) {
        if value.trim().is_empty() {
            continue;
        }
        let stored = match field {
            Some(ImportField::Title) => Some(draft.title.as_str()),
            Some(ImportField::Authors) => draft.authors.as_deref(),
            Some(ImportField::Publisher) => draft.publisher.as_deref(),
            Some(ImportField::Url) => draft.url.as_deref(),
            Some(ImportField::Doi) => draft.doi.as_deref(),
            Some(ImportField::Abstract) => draft.r#abstract.as_deref(),
            Some(ImportField::Language) => draft.language.as_deref(),
            _ => None,
        };
        if stored == Some(value) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        push_json_string(out, header);
        out.push(':');
        push_json_string(out, value);
    }
    out.push('}');
}

/// The prepared statements of one import, reused for every row.
struct Writer<'c> {
    conn: &'c Connection,
    batch: Id,
    now: String,
    insert: SourceInserter<'c>,
    tag_find: Statement<'c>,
    tag_insert: Statement<'c>,
    tag_link: Statement<'c>,
    mention: Statement<'c>,
    tags: HashMap<String, Id>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection, batch: Id) -> Result<Writer<'c>> {
        Ok(Writer {
            conn,
            batch,
            now: now_utc(),
            insert: SourceInserter::new(conn)?,
            // Not an upsert: DO UPDATE would fire the tag-rename trigger and
            // re-index every source carrying the tag.
            tag_find: conn.prepare("SELECT id FROM tags WHERE name = ?1")?,
            tag_insert: conn.prepare("INSERT INTO tags (name) VALUES (?1)")?,
            tag_link: conn.prepare("INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?1, ?2)")?,
            mention: conn.prepare(
                "INSERT OR IGNORE INTO source_firms (source_id, firm_id, import_batch_id) VALUES (?1, ?2, ?3)",
            )?,
            tags: HashMap::new(),
        })
    }

    fn insert(&mut self, ready: &ReadySource) -> Result<Id> {
        let d = &ready.clean.draft;
        let id = self.insert.insert(&SourceRow {
            import_batch_id: Some(self.batch),
            original_row: Some(&ready.original_row),
            ..SourceRow::of_draft(d, &self.now)
        })?;
        for tag in &d.tags {
            // NOCASE folds ASCII only; so does the cache key.
            let key = tag.to_ascii_lowercase();
            let tag_id = match self.tags.get(&key) {
                Some(id) => *id,
                None => {
                    let found: Option<Id> =
                        self.tag_find.query_row([tag], |r| r.get(0)).optional()?;
                    let tag_id = match found {
                        Some(tag_id) => tag_id,
                        None => {
                            self.tag_insert.execute([tag])?;
                            self.conn.last_insert_rowid()
                        }
                    };
                    self.tags.insert(key, tag_id);
                    tag_id
                }
            };
            self.tag_link.execute([id, tag_id])?;
        }
        Ok(id)
    }

    /// Links source `id` to the firms its title, abstract or tags name; how many.
    fn link_mentions(&mut self, id: Id, firms: &[Id]) -> Result<u64> {
        for firm in firms {
            self.mention.execute(params![id, firm, self.batch])?;
        }
        Ok(firms.len() as u64)
    }
}

/// Fills the empty fields of source `id` from `draft`. A source of an earlier
/// import or typed by hand gets a new revision (an open form on it is then
/// stale) and its fills are recorded for undo; one this batch added does not.
/// Returns whether anything was filled.
fn fill(conn: &Connection, id: Id, draft: &SourceDraft, batch: Id, tracked: bool) -> Result<bool> {
    type Current = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let current: Option<Current> = conn
        .prepare_cached(
            "SELECT authors, publisher, url, doi, published_on, accessed_on, language, abstract, reliability, credibility
             FROM sources WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .optional()?;
    let Some(c) = current else {
        return Ok(false);
    };
    let mut sets: Vec<(&str, rusqlite::types::Value)> = Vec::new();
    let mut take = |column: &'static str, old: &Option<String>, new: &Option<String>| {
        if let (None, Some(value)) = (old, new) {
            sets.push((column, value.clone().into()));
        }
    };
    take("authors", &c.0, &draft.authors);
    take("publisher", &c.1, &draft.publisher);
    take("url", &c.2, &draft.url);
    take("doi", &c.3, &draft.doi);
    take("published_on", &c.4, &draft.published_on);
    take("accessed_on", &c.5, &draft.accessed_on);
    take("language", &c.6, &draft.language);
    take("abstract", &c.7, &draft.r#abstract);
    take("reliability", &c.8, &draft.reliability);
    if let (None, Some(value)) = (c.9, draft.credibility) {
        sets.push(("credibility", value.into()));
    }
    if sets.is_empty() {
        return Ok(false);
    }
    batches::fill_fields(conn, batch, "source", "sources", id, tracked, &sets)?;
    Ok(true)
}

pub(crate) fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let mut input = CsvInput::open(path, options, control.cancel)?;
    let mut report = input.report(ImportTarget::Sources, options);
    store.write(|tx| {
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
        let result = import_rows(tx, &mut input, options, control, &mut report);
        if !options.dry_run {
            configure(&IMPORT_FTS5_SETTINGS.map(|(name, _, default)| (name, default)))?;
        }
        tx.pragma_update(None, "cache_size", cache)?;
        result
    })?;
    control.done(&mut report, &input);
    Ok(report)
}

/// SQLite's page cache during an import, in KiB (negative: a size, not pages).
const IMPORT_CACHE_KIB: i64 = -112 * 1024;

fn import_rows(
    tx: &rusqlite::Transaction<'_>,
    input: &mut CsvInput,
    options: &ImportOptions,
    control: &mut Control<'_>,
    report: &mut ImportReport,
) -> Result<()> {
    let mapping = mapping::resolve(tx, ImportTarget::Sources, options, &input.headers)?;
    let plan = Plan::new(&mapping);
    let matcher = FirmMatcher::load(tx)?;
    if options.dry_run {
        tx.execute_batch("SAVEPOINT import_dry_run")?;
    }
    // Rows changed before the import are indexed first: the search queue then
    // holds only what the import itself changes.
    crate::search::refresh(tx)?;
    let batch = batches::start(tx, ImportTarget::Sources, input, &mapping)?;
    let suspended = suspend_insert_triggers(tx)?;
    let mut write = WriteRows {
        tx,
        options,
        batch,
        total_bytes: input.total_bytes,
        seen: Seen::load(tx)?,
        omitted: 0,
        unindexed: Vec::with_capacity(INDEX_BURST),
        unindexed_terms: Vec::new(),
    };
    let input_path = input.path.clone();
    // Reading, checking and preparing rows (parsing, dates, duplicate keys,
    // firm mentions, search tokens) runs on a second thread, writing on this one.
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = mpsc::sync_channel(BATCHES_IN_FLIGHT);
        let reader = std::thread::Builder::new()
            .name("import-reader".into())
            .spawn_scoped(scope, || prepare_rows(input, &plan, &matcher, send))
            .map_err(|source| Error::Io {
                path: input_path.clone(),
                source,
            })?;
        // Returning drops `receive`, which stops the reader at its next batch.
        let written = write.all(receive, control, report);
        if let Err(panic) = reader.join() {
            std::panic::resume_unwind(panic);
        }
        written
    })?;
    // (On an error the transaction rolls back, and the triggers with it.)
    for sql in &suspended {
        tx.execute_batch(sql)?;
    }
    let omitted = write.omitted;
    batches::settle(tx, batch, options, report, omitted, input, control)
}

/// Insert triggers whose work the import does itself: it drops them inside
/// its transaction and creates them again before committing (a rollback
/// brings them back too). A trigger makes SQLite keep a statement journal, a
/// copy of every page the statement changes, for each row and tag inserted,
/// and the search triggers queue each row for the index to read back, where
/// the import indexes the values it holds (200k rows in `make bench`: 9.8 s
/// with the triggers, 7.1 s without). Any other trigger stays and fires.
const IMPORT_DOES_ITSELF: [&str; 4] = [
    // Imported dates are PartialDate values, valid by the same rule (date.rs).
    "sources_published_on_valid_on_insert",
    "sources_accessed_on_valid_on_insert",
    // The import writes the index entries of its new rows (search::EntryWriter).
    "search_sources_insert",
    "search_source_tags_insert",
];

/// Drops the [`IMPORT_DOES_ITSELF`] triggers; returns the SQL that creates them.
fn suspend_insert_triggers(tx: &Connection) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for name in IMPORT_DOES_ITSELF {
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            created.push(sql);
        }
    }
    Ok(created)
}

/// Rows sent from the reading thread at a time (fewer when they hold
/// [`BATCH_BYTES`]), and batches on their way at most: both threads stay busy,
/// and what waits between them is a few MB, however long the rows.
const ROWS_PER_BATCH: usize = 256;
const BATCH_BYTES: usize = 8 << 20;
const BATCHES_IN_FLIGHT: usize = 8;

/// Rows read, checked and prepared, and how far into the file they reach.
struct RowBatch {
    rows: Vec<PreparedRow>,
    bytes_read: u64,
}

/// One row of the file, as the reading thread leaves it.
struct PreparedRow {
    row: u64,
    outcome: std::result::Result<ReadySource, Vec<ImportProblem>>,
}

/// A valid row with everything writing it needs worked out.
struct ReadySource {
    clean: CleanSource,
    original_row: String,
    firms: Vec<Id>,
    index_entry: search::PreparedEntry,
}

/// The reading thread: sends the file's rows in batches until the end, a
/// structural error (sent last) or the writer hanging up.
fn prepare_rows(
    input: &mut CsvInput,
    plan: &Plan,
    matcher: &FirmMatcher,
    send: mpsc::SyncSender<Result<RowBatch>>,
) {
    let mut record = Record::default();
    let mut preparer = search::EntryPreparer::default();
    let mut rows = Vec::with_capacity(ROWS_PER_BATCH);
    let mut batch_bytes = 0;
    loop {
        let (end, error) = match input.next_record(&mut record) {
            Ok(Some(row)) => {
                batch_bytes += record.kept_bytes();
                rows.push(prepare_row(plan, matcher, &record, row, &mut preparer));
                (false, None)
            }
            Ok(None) => (true, None),
            Err(error) => (true, Some(error)),
        };
        if rows.len() == ROWS_PER_BATCH || batch_bytes >= BATCH_BYTES || (end && !rows.is_empty()) {
            batch_bytes = 0;
            let batch = RowBatch {
                rows: std::mem::replace(&mut rows, Vec::with_capacity(ROWS_PER_BATCH)),
                bytes_read: input.bytes_read(),
            };
            if send.send(Ok(batch)).is_err() {
                return;
            }
        }
        if end {
            if let Some(error) = error {
                let _gone = send.send(Err(error));
            }
            return;
        }
    }
}

fn prepare_row(
    plan: &Plan,
    matcher: &FirmMatcher,
    record: &Record,
    row: u64,
    preparer: &mut search::EntryPreparer,
) -> PreparedRow {
    if let Some(problem) = record.too_big(row, &plan.headers) {
        return PreparedRow {
            row,
            outcome: Err(vec![problem]),
        };
    }
    let outcome = normalise_row(plan, record, row).map(|clean| {
        let draft = &clean.draft;
        let mut original = String::new();
        original_row(plan, draft, record, &mut original);
        let mut texts: Vec<&str> = vec![draft.title.as_str()];
        texts.extend(draft.r#abstract.as_deref());
        texts.extend(draft.tags.iter().map(String::as_str));
        let mut firms = Vec::new();
        matcher.find(&texts, &mut firms);
        let index_entry = preparer.source(draft);
        ReadySource {
            clean,
            original_row: original,
            firms,
            index_entry,
        }
    });
    PreparedRow { row, outcome }
}

/// The writing side of an import: duplicates, rows, tags, mentions, index.
struct WriteRows<'t, 'c> {
    tx: &'t rusqlite::Transaction<'c>,
    options: &'t ImportOptions,
    batch: Id,
    total_bytes: u64,
    seen: Seen,
    /// Problems and duplicates past the report's list limit.
    omitted: u64,
    /// Index entries of added sources, written in bursts (see [`INDEX_BURST`]).
    unindexed: Vec<(Id, search::PreparedEntry)>,
    /// Search terms first seen in rows that were not added (duplicates).
    unindexed_terms: Vec<String>,
}

/// Index entries written together. FTS5 writes what it holds in memory to
/// disk whenever a statement with a statement journal starts (a fill's
/// update, whose triggers need one): entries written between such statements
/// one by one would each become a tiny segment to merge.
const INDEX_BURST: usize = 4096;

impl WriteRows<'_, '_> {
    fn all(
        &mut self,
        receive: mpsc::Receiver<Result<RowBatch>>,
        control: &mut Control<'_>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let tx = self.tx;
        let mut writer = Writer::new(tx, self.batch)?;
        let mut title_of = tx.prepare("SELECT title FROM sources WHERE id = ?1")?;
        for message in receive {
            let RowBatch { rows, bytes_read } = message?;
            for PreparedRow { row, outcome } in rows {
                report.read += 1;
                control.tick(report.read, bytes_read, self.total_bytes)?;
                let ready = match outcome {
                    Ok(ready) => ready,
                    Err(problems) => {
                        reject_row(self.options.strict, report, &mut self.omitted, problems)?;
                        continue;
                    }
                };
                if let Some((key, value, origin)) = self.seen.find(&ready.clean.keys) {
                    report.duplicates += 1;
                    let existing = match origin.source_id {
                        0 => None,
                        id => title_of
                            .query_row([id], |r| r.get::<_, String>(0))
                            .optional()?
                            .map(|title| MatchedRecord { id, title }),
                    };
                    push_listed(
                        &mut report.duplicate_rows,
                        &mut self.omitted,
                        DuplicateRow {
                            row,
                            key,
                            value,
                            existing,
                            earlier_row: (origin.row > 0).then_some(origin.row),
                            action: self.options.on_duplicate,
                        },
                    );
                    match self.options.on_duplicate {
                        DuplicatePolicy::Skip => {
                            self.unindexed_terms
                                .extend(ready.index_entry.into_new_terms());
                            continue;
                        }
                        DuplicatePolicy::Fill => {
                            self.unindexed_terms
                                .extend(ready.index_entry.into_new_terms());
                            // A row of this batch (origin.row > 0) is undone with the batch.
                            let tracked = origin.row == 0;
                            if origin.source_id != 0
                                && fill(
                                    tx,
                                    origin.source_id,
                                    &ready.clean.draft,
                                    self.batch,
                                    tracked,
                                )?
                                && tracked
                            {
                                report.updated += 1;
                            }
                            continue;
                        }
                        DuplicatePolicy::Keep => {}
                    }
                }
                let id = writer.insert(&ready)?;
                self.seen
                    .insert(&ready.clean.keys, Origin { source_id: id, row });
                report.linked += writer.link_mentions(id, &ready.firms)?;
                report.added += 1;
                self.unindexed.push((id, ready.index_entry));
                if self.unindexed.len() == INDEX_BURST {
                    self.write_index_burst()?;
                }
                if report.added.is_multiple_of(INDEX_EVERY) {
                    self.catch_up_index()?;
                }
            }
        }
        self.catch_up_index()
    }

    /// Writes the waiting index entries, and indexes the rows filled since the
    /// last time (their update triggers queued them).
    fn catch_up_index(&mut self) -> Result<()> {
        self.write_index_burst()?;
        search::refresh(self.tx)?;
        Ok(())
    }

    fn write_index_burst(&mut self) -> Result<()> {
        let mut index = search::EntryWriter::new(self.tx)?;
        for (id, entry) in self.unindexed.drain(..) {
            index.add(SearchKind::Source, id, &entry)?;
        }
        index.add_terms(&self.unindexed_terms)?;
        self.unindexed_terms.clear();
        Ok(())
    }
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
}
