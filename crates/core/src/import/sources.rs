//! Importing sources: each row normalised and checked as the source form would
//! (title required, web address, DOI, dates as analysts write them), checked
//! for duplicates, written with its tags, its original row and its firm mentions.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Statement};

use super::autolink::FirmMatcher;
use super::dedupe::{Keys, Origin, Seen};
use super::input::CsvInput;
use super::mapping::{self, ImportField, Mapping};
use super::{
    batches, dates, push_listed, reject_row, shown_value, Control, DuplicatePolicy, DuplicateRow,
    ImportOptions, ImportPhase, ImportProblem, ImportReport, ImportTarget, MatchedRecord,
};
use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::model::{Id, SourceDraft, SourceKind};
use crate::store::Store;
use crate::text::{enum_text, now_utc, parse_enum};
use crate::validate;

/// The search index catches up every this many new rows, so its queue (and the
/// final commit) stay small however long the file is.
const INDEX_EVERY: u64 = 20_000;
/// FTS5's automerge while an import runs, and its default.
const IMPORT_AUTOMERGE: i64 = 16;
const FTS5_DEFAULT_AUTOMERGE: i64 = 4;

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
    record: &'a csv::StringRecord,
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
    record: &csv::StringRecord,
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
    _headers: &[String],
    record: &csv::StringRecord,
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
fn original_row(plan: &Plan, draft: &SourceDraft, record: &csv::StringRecord, out: &mut String) {
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
    insert: Statement<'c>,
    tag_find: Statement<'c>,
    tag_insert: Statement<'c>,
    tag_link: Statement<'c>,
    mention: Statement<'c>,
    tags: HashMap<String, Id>,
    json: String,
    found: Vec<Id>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection, batch: Id) -> Result<Writer<'c>> {
        Ok(Writer {
            conn,
            batch,
            now: now_utc(),
            insert: conn.prepare(
                "INSERT INTO sources (kind, title, authors, publisher, url, doi, published_on, accessed_on,
                    language, abstract, reliability, credibility, import_batch_id, original_row, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
            )?,
            // Not an upsert: DO UPDATE would fire the tag-rename trigger and
            // re-index every source carrying the tag.
            tag_find: conn.prepare("SELECT id FROM tags WHERE name = ?1")?,
            tag_insert: conn.prepare("INSERT INTO tags (name) VALUES (?1)")?,
            tag_link: conn.prepare("INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?1, ?2)")?,
            mention: conn.prepare(
                "INSERT OR IGNORE INTO source_firms (source_id, firm_id, import_batch_id) VALUES (?1, ?2, ?3)",
            )?,
            tags: HashMap::new(),
            json: String::new(),
            found: Vec::new(),
        })
    }

    fn insert(
        &mut self,
        clean: &CleanSource,
        plan: &Plan,
        record: &csv::StringRecord,
    ) -> Result<Id> {
        let d = &clean.draft;
        original_row(plan, d, record, &mut self.json);
        self.insert.execute(params![
            enum_text(&d.kind),
            d.title,
            d.authors,
            d.publisher,
            d.url,
            d.doi,
            d.published_on,
            d.accessed_on,
            d.language,
            d.r#abstract,
            d.reliability,
            d.credibility,
            self.batch,
            self.json,
            self.now,
        ])?;
        let id = self.conn.last_insert_rowid();
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

    /// Links the source to the firms its title, abstract or tags name; how many.
    fn link_mentions(&mut self, matcher: &FirmMatcher, id: Id, draft: &SourceDraft) -> Result<u64> {
        let mut texts: Vec<&str> = vec![draft.title.as_str()];
        if let Some(text) = &draft.r#abstract {
            texts.push(text);
        }
        texts.extend(draft.tags.iter().map(String::as_str));
        matcher.find(&texts, &mut self.found);
        for firm in &self.found {
            self.mention.execute(params![id, firm, self.batch])?;
        }
        Ok(self.found.len() as u64)
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
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (column, _))| format!("{column} = ?{}", i + 3))
        .collect();
    let bump = if tracked {
        ", revision = revision + 1"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE sources SET updated_at = ?2{bump}, {} WHERE id = ?1",
        assignments.join(", ")
    );
    let mut values: Vec<rusqlite::types::Value> = vec![id.into(), now_utc().into()];
    values.extend(sets.iter().map(|(_, v)| v.clone()));
    conn.execute(&sql, rusqlite::params_from_iter(values))?;
    if tracked {
        batches::record_fills(conn, batch, "source", "sources", id, &sets)?;
    }
    Ok(true)
}

pub(crate) fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    control: &mut Control<'_>,
) -> Result<ImportReport> {
    let mut input = CsvInput::open(path, options)?;
    let mut report = ImportReport {
        target: Some(ImportTarget::Sources),
        file_name: input.file_name.clone(),
        encoding: input.encoding.name().to_owned(),
        delimiter: Some(input.delimiter),
        dry_run: options.dry_run,
        warnings: input.warnings.clone(),
        ..ImportReport::default()
    };
    store.write(|tx| {
        // A big page cache for the import: with SQLite's default 2 MB, pages of
        // the indexes are evicted and written to the WAL again and again.
        let cache: i64 = tx.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        tx.pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        // FTS5 merges its segments eagerly (automerge 4); during a bulk load
        // that rewrites the same postings again and again. Merge less while
        // importing, and put the default back before the commit (a dry run,
        // which writes nothing, leaves the setting alone).
        let set_automerge = |level: i64| {
            tx.execute(
                "INSERT INTO search_index(search_index, rank) VALUES ('automerge', ?1)",
                [level],
            )
        };
        if !options.dry_run {
            set_automerge(IMPORT_AUTOMERGE)?;
        }
        let result = import_rows(tx, &mut input, options, control, &mut report);
        if !options.dry_run {
            set_automerge(FTS5_DEFAULT_AUTOMERGE)?;
        }
        tx.pragma_update(None, "cache_size", cache)?;
        result
    })?;
    report.elapsed_ms = control.elapsed_ms();
    control.report(
        ImportPhase::Done,
        report.read,
        input.bytes_read(),
        input.total_bytes,
    );
    Ok(report)
}

/// SQLite's page cache during an import, in KiB (negative: a size, not pages).
const IMPORT_CACHE_KIB: i64 = -128 * 1024;

fn import_rows(
    tx: &rusqlite::Transaction<'_>,
    input: &mut CsvInput,
    options: &ImportOptions,
    control: &mut Control<'_>,
    report: &mut ImportReport,
) -> Result<()> {
    {
        let mapping = mapping::resolve(tx, ImportTarget::Sources, options, &input.headers)?;
        let plan = Plan::new(&mapping);
        let mut seen = Seen::load(tx)?;
        let matcher = FirmMatcher::load(tx)?;
        if options.dry_run {
            tx.execute_batch("SAVEPOINT import_dry_run")?;
        }
        let batch = batches::start(tx, ImportTarget::Sources, input, &mapping)?;
        let mut writer = Writer::new(tx, batch)?;
        let mut title_of = tx.prepare("SELECT title FROM sources WHERE id = ?1")?;
        let mut record = csv::StringRecord::new();
        let mut omitted = 0;
        while let Some(row) = input.next_record(&mut record)? {
            report.read += 1;
            control.tick(report.read, input.bytes_read(), input.total_bytes)?;
            let clean = match normalise_row(&plan, &record, row) {
                Ok(clean) => clean,
                Err(problems) => {
                    reject_row(options.strict, report, &mut omitted, problems)?;
                    continue;
                }
            };
            if let Some((key, value, origin)) = seen.find(&clean.keys) {
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
                    &mut omitted,
                    DuplicateRow {
                        row,
                        key,
                        value,
                        existing,
                        earlier_row: (origin.row > 0).then_some(origin.row),
                        action: options.on_duplicate,
                    },
                );
                match options.on_duplicate {
                    DuplicatePolicy::Skip => continue,
                    DuplicatePolicy::Fill => {
                        // A row of this batch (origin.row > 0) is undone with the batch.
                        let tracked = origin.row == 0;
                        if origin.source_id != 0
                            && fill(tx, origin.source_id, &clean.draft, batch, tracked)?
                            && tracked
                        {
                            report.updated += 1;
                        }
                        continue;
                    }
                    DuplicatePolicy::Keep => {}
                }
            }
            let id = writer.insert(&clean, &plan, &record)?;
            seen.insert(&clean.keys, Origin { source_id: id, row });
            report.linked += writer.link_mentions(&matcher, id, &clean.draft)?;
            report.added += 1;
            if report.added.is_multiple_of(INDEX_EVERY) {
                crate::search::refresh(tx)?;
            }
        }
        batches::settle(tx, batch, options, report, omitted, input, control)
    }
}
