//! A row of a sources file read into a source: each cell normalised and
//! checked as the source form would (title required, web address, DOI, dates
//! as analysts write them, Zotero's item types and tags), with the keys that
//! find its duplicates and the original row kept beside it. No database here:
//! the reading thread of an import runs it, and so does the preview.

use super::dedupe::Keys;
use super::input::{CsvInput, Record};
use super::mapping::{ImportField, Mapping};
use super::source_pipeline::{ReadRow, SourceRows};
use super::{shown_value, ImportProblem, ImportedFile};
use crate::date::{PartialDate, Precision};
use crate::error::{Error, Result};
use crate::model::{SourceDraft, SourceKind};
use crate::text::parse_enum;
use crate::validate;

/// A row as it will be stored.
#[derive(Debug)]
pub(super) struct CleanSource {
    pub draft: SourceDraft,
    pub keys: Keys,
}

impl CleanSource {
    /// A checked draft, with the keys that find its duplicates.
    pub(super) fn of(draft: SourceDraft) -> CleanSource {
        let keys = Keys::of(
            &draft.title,
            draft.doi.as_deref(),
            draft.url.as_deref(),
            draft.published_on.as_deref(),
            draft.authors.as_deref(),
        );
        CleanSource { draft, keys }
    }
}

/// Which columns fill which field, worked out once per file.
pub(super) struct Plan {
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
    pub(super) headers: Vec<String>,
    /// Per column, the text field it fills (title, abstract...): a cell stored
    /// there unchanged need not be kept again in `original_row`.
    verbatim: Vec<Option<ImportField>>,
}

impl Plan {
    pub(super) fn new(mapping: &Mapping) -> Plan {
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
pub(super) fn what_to_do(error: &Error) -> String {
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
pub(super) fn split_tags(cell: &str, into: &mut Vec<String>) {
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
pub(super) fn normalise_row(
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
        match Precision::Partial.read(value) {
            Ok(Some(date)) => {
                if published.is_none_or(|kept| date.more_precise_than(&kept)) {
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
            // An access date is a day: a year or month alone is refused.
            match Precision::Day.read(value) {
                Ok(date) => date.map(|d| d.to_string()),
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
    Ok(CleanSource::of(SourceDraft {
        kind,
        title,
        authors,
        publisher,
        url,
        doi,
        published_on: published.map(|d| d.to_string()),
        accessed_on: accessed,
        language,
        r#abstract,
        reliability,
        credibility,
        tags,
    }))
}

/// The rows of a CSV file read through its mapping, for the import's threads.
pub(super) struct CsvRows<'i, 'a> {
    input: &'i mut CsvInput<'a>,
    plan: Plan,
    record: Record,
}

impl<'i, 'a> CsvRows<'i, 'a> {
    pub(super) fn new(input: &'i mut CsvInput<'a>, mapping: &Mapping) -> CsvRows<'i, 'a> {
        CsvRows {
            input,
            plan: Plan::new(mapping),
            record: Record::default(),
        }
    }
}

impl SourceRows for CsvRows<'_, '_> {
    fn next_row(&mut self) -> Result<Option<ReadRow>> {
        let Some(row) = self.input.next_row(&mut self.record)? else {
            return Ok(None);
        };
        let record = &self.record;
        let outcome = match record.too_big(row, &self.plan.headers) {
            Some(problem) => Err(vec![problem]),
            None => normalise_row(&self.plan, record, row).map(|clean| {
                let mut original = String::new();
                original_row(&self.plan, &clean.draft, record, &mut original);
                (clean, original)
            }),
        };
        Ok(Some(ReadRow {
            row,
            outcome,
            bytes: record.kept_bytes(),
        }))
    }

    fn file(&self) -> &dyn ImportedFile {
        &*self.input
    }
}

/// One row as the preview shows it.
pub(super) fn normalise(
    mapping: &Mapping,
    record: &Record,
    row: u64,
) -> std::result::Result<CleanSource, Vec<ImportProblem>> {
    normalise_row(&Plan::new(mapping), record, row)
}

/// Appends `text` to `out` as a JSON string.
pub(super) fn push_json_string(out: &mut String, text: &str) {
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

/// The row's cells as a JSON object, header → value, leaving out blank cells
/// and cells stored unchanged in a column of the source (its title, address,
/// abstract...): together with the source's columns it is the original row,
/// at about half the bytes of repeating every cell.
pub(super) fn original_row(plan: &Plan, draft: &SourceDraft, record: &Record, out: &mut String) {
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
