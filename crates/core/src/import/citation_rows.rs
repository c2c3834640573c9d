//! A record of a citation file (RIS, BibTeX, CSL-JSON) read into a source,
//! checked as a row of a CSV file is (`source_rows.rs`): title required, web
//! address, DOI, dates as `crate::date` reads them, tags as names. The format
//! readers (`ris.rs`, `bibtex.rs`, `csl_json.rs`) fill a [`CitationRecord`]
//! with the values as the file holds them, each with the field it came from,
//! so a problem names the line, the field (`DO`, `doi`, `DOI`) and the value.

use super::source_rows::{push_json_string, what_to_do, CleanSource};
use super::{shown_value, ImportProblem};
use crate::citation_kinds::{join_authors, PersonName};
use crate::date::{PartialDate, Precision};
use crate::error::Error;
use crate::model::{SourceDraft, SourceKind};
use crate::validate;

/// A value and the field of the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FieldText {
    pub field: String,
    pub text: String,
}

impl FieldText {
    pub fn new(field: impl Into<String>, text: impl Into<String>) -> FieldText {
        FieldText {
            field: field.into(),
            text: text.into(),
        }
    }
}

/// One record as the file holds it, before the checks.
#[derive(Debug, Clone)]
pub(super) struct CitationRecord {
    /// The line the record starts on.
    pub line: u64,
    /// How a message names the record: "The entry @article{smic2023}".
    pub label: String,
    /// The record as a preview lists it: "@article{smic2023}", "TY  - JOUR".
    pub name: String,
    pub kind: SourceKind,
    pub title: Option<FieldText>,
    /// The fields a title is read from, for the message when none is there.
    pub title_fields: &'static str,
    /// The names and the field they came from.
    pub authors: Option<(String, Vec<PersonName>)>,
    pub publisher: Option<FieldText>,
    pub url: Option<FieldText>,
    pub doi: Option<FieldText>,
    /// Every date the record gives for its publication, best first: the most
    /// precise one that reads wins (a year, then a full date, is a full date).
    pub published: Vec<FieldText>,
    pub accessed: Option<FieldText>,
    pub language: Option<FieldText>,
    pub r#abstract: Option<FieldText>,
    /// The tags and the field they came from.
    pub tags: Option<(String, Vec<String>)>,
    /// Every field of the record as read (the type and key too), in file
    /// order: what is not stored unchanged in a column becomes `original_row`.
    pub original: Vec<(String, String)>,
    /// Problems found while reading the record (a value of the wrong shape).
    pub problems: Vec<ImportProblem>,
}

impl CitationRecord {
    pub fn new(
        line: u64,
        label: String,
        name: String,
        title_fields: &'static str,
    ) -> CitationRecord {
        CitationRecord {
            line,
            label,
            name,
            kind: SourceKind::Other,
            title: None,
            title_fields,
            authors: None,
            publisher: None,
            url: None,
            doi: None,
            published: Vec::new(),
            accessed: None,
            language: None,
            r#abstract: None,
            tags: None,
            original: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// A problem with field `field` (its value, when there is one) or with the whole record.
    pub fn problem(&mut self, field: Option<&str>, value: Option<&str>, message: String) {
        self.problems.push(ImportProblem {
            row: self.line,
            column: field.map(str::to_owned),
            value: value.map(shown_value),
            message,
        });
    }
}

/// A record read into a source with its original fields (JSON), or every
/// problem that leaves it out.
pub(super) fn normalise_record(
    mut record: CitationRecord,
) -> std::result::Result<(CleanSource, String), Vec<ImportProblem>> {
    let title = match record.title.take() {
        Some(field) if !field.text.trim().is_empty() => {
            match validate::required("title", &field.text) {
                Ok(title) => Some(title),
                Err(error) => {
                    record.problem(Some(&field.field), Some(&field.text), what_to_do(&error));
                    None
                }
            }
        }
        _ => {
            let message = format!(
                "{} has no title ({}), and every source needs one. Add one, or remove the record from the file.",
                record.label, record.title_fields
            );
            record.problem(None, None, message);
            None
        }
    };
    let authors = match record.authors.take() {
        Some((field, names)) => {
            let text = join_authors(&names);
            checked(&mut record, &field, text.as_deref(), |v| {
                validate::optional("authors", Some(v))
            })
        }
        None => None,
    };
    let text = |record: &mut CitationRecord, value: Option<FieldText>, name: &str| match value {
        Some(field) => checked(record, &field.field, Some(&field.text), |v| {
            validate::optional(name, Some(v))
        }),
        None => None,
    };
    let publisher = record.publisher.take();
    let publisher = text(&mut record, publisher, "publisher");
    let language = record.language.take();
    let language = text(&mut record, language, "language");
    let r#abstract = record.r#abstract.take();
    let r#abstract = text(&mut record, r#abstract, "abstract");
    let url = match record.url.take() {
        Some(field) => checked(&mut record, &field.field, Some(&field.text), |v| {
            validate::url("url", Some(v))
        }),
        None => None,
    };
    let doi = match record.doi.take() {
        Some(field) => checked(&mut record, &field.field, Some(&field.text), |v| {
            validate::doi("doi", Some(v))
        }),
        None => None,
    };
    let published = published_on(&mut record);
    let accessed_on = match record.accessed.take() {
        // An access date is a day: a year or month alone is refused, as in a CSV.
        Some(field) => match Precision::Day.read(&field.text) {
            Ok(date) => date.map(|d| d.to_string()),
            Err(message) => {
                record.problem(Some(&field.field), Some(&field.text), message);
                None
            }
        },
        None => None,
    };
    let tags = match record.tags.take() {
        Some((field, names)) => match validate::name_list("tags", &names) {
            Ok(tags) => tags,
            Err(error) => {
                record.problem(Some(&field), None, what_to_do(&error));
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let Some(title) = title else {
        return Err(record.problems);
    };
    if !record.problems.is_empty() {
        return Err(record.problems);
    }
    let draft = SourceDraft {
        kind: record.kind,
        title,
        authors,
        publisher,
        url,
        doi,
        published_on: published.map(|d| d.to_string()),
        accessed_on,
        language,
        r#abstract,
        reliability: None,
        credibility: None,
        tags,
    };
    let original = original_fields(&record.original, &draft);
    Ok((CleanSource::of(draft), original))
}

/// A value through one of `validate`'s checks; a refusal becomes a problem.
fn checked(
    record: &mut CitationRecord,
    field: &str,
    value: Option<&str>,
    check: impl Fn(&str) -> crate::error::Result<Option<String>>,
) -> Option<String> {
    let value = value?;
    match check(value) {
        Ok(v) => v,
        Err(error @ Error::InvalidInput { .. }) => {
            record.problem(Some(field), Some(value), what_to_do(&error));
            None
        }
        Err(other) => {
            record.problem(Some(field), Some(value), other.to_string());
            None
        }
    }
}

/// The most precise publication date that reads. One that does not read is
/// a problem only when no other does: its text stays in `original_row`.
fn published_on(record: &mut CitationRecord) -> Option<PartialDate> {
    let mut best: Option<PartialDate> = None;
    let mut first_bad: Option<(FieldText, String)> = None;
    for field in &record.published {
        match Precision::Partial.read(&field.text) {
            Ok(Some(date)) => {
                if best.is_none_or(|kept| date.more_precise_than(&kept)) {
                    best = Some(date);
                }
            }
            Ok(None) => {}
            Err(message) => {
                if first_bad.is_none() {
                    first_bad = Some((field.clone(), message));
                }
            }
        }
    }
    if best.is_none() {
        if let Some((field, message)) = first_bad {
            record.problem(Some(&field.field), Some(&field.text), message);
        }
    }
    best
}

/// The record's fields as a JSON object, field → value, leaving out those
/// stored unchanged in a column of the source (title, abstract...).
fn original_fields(fields: &[(String, String)], draft: &SourceDraft) -> String {
    let stored = [
        Some(draft.title.as_str()),
        draft.authors.as_deref(),
        draft.publisher.as_deref(),
        draft.url.as_deref(),
        draft.doi.as_deref(),
        draft.r#abstract.as_deref(),
        draft.language.as_deref(),
    ];
    let mut out = String::from("{");
    let mut first = true;
    for (name, value) in fields {
        let value = value.trim();
        if value.is_empty() || stored.contains(&Some(value)) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        push_json_string(&mut out, name);
        out.push(':');
        push_json_string(&mut out, value);
    }
    out.push('}');
    out
}

/// A name as RIS and CSV write it: "Family, Given" or one literal name.
pub(super) fn name_of_text(text: &str) -> Option<PersonName> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match text.split_once(',') {
        Some((family, given)) if !family.trim().is_empty() => PersonName::Parts {
            family: family.trim().to_owned(),
            given: given.trim().to_owned(),
        },
        _ => PersonName::Literal(text.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> CitationRecord {
        let mut record = CitationRecord::new(
            7,
            "The entry @article{a}".into(),
            "@article{a}".into(),
            "title",
        );
        record.title = Some(FieldText::new("title", "华为昇腾910B的性能分析"));
        record
    }

    #[test]
    fn the_most_precise_readable_date_wins_and_an_unreadable_one_alone_is_a_problem() {
        let mut dated = record();
        dated.published = vec![
            FieldText::new("date", "Spring 2023"),
            FieldText::new("year", "2023"),
            FieldText::new("PY", "2023-10-17"),
        ];
        let (clean, original) = normalise_record(dated).unwrap();
        assert_eq!(clean.draft.published_on.as_deref(), Some("2023-10-17"));
        assert_eq!(original, "{}");

        let mut undated = record();
        undated.published = vec![FieldText::new("date", "Spring 2023")];
        let problems = normalise_record(undated).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, 7);
        assert_eq!(problems[0].column.as_deref(), Some("date"));
    }

    #[test]
    fn a_record_without_a_title_is_named_by_its_label() {
        let mut untitled = record();
        untitled.title = None;
        let problems = normalise_record(untitled).unwrap_err();
        assert!(
            problems[0]
                .message
                .starts_with("The entry @article{a} has no title (title)"),
            "{problems:?}"
        );
    }

    #[test]
    fn fields_stored_unchanged_are_left_out_of_the_original_fields() {
        let mut full = record();
        full.authors = Some((
            "author".into(),
            vec![
                PersonName::Literal("张三".into()),
                name_of_text("Allen, Gregory C.").unwrap(),
            ],
        ));
        full.original = vec![
            ("citation key".into(), "a".into()),
            ("title".into(), "华为昇腾910B的性能分析".into()),
            ("volume".into(), "12, \"quoted\"".into()),
        ];
        let (clean, original) = normalise_record(full).unwrap();
        assert_eq!(
            clean.draft.authors.as_deref(),
            Some("张三; Allen, Gregory C.")
        );
        assert_eq!(
            original,
            r#"{"citation key":"a","volume":"12, \"quoted\""}"#
        );
    }
}
