//! CSL-JSON (the Citation Style Language's data schema, 1.0.2): what pandoc's
//! `--citeproc`, Zotero and every citeproc read. A JSON array with one item a
//! line, written by serde_json (so every string is escaped as JSON wants).
//! Dates as `{"date-parts": [[2023, 10, 17]]}` with as many parts as known;
//! authors as family/given, or `literal` for an organisation or a name
//! written whole; `id` is the same key as BibTeX's.

use std::io::Write;

use serde::Serialize;

use super::{Citation, DateParts};
use crate::citation_kinds::{csl_type, PersonName};

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<DateVariable>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<DateVariable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    /// Tags, comma-separated as CSL's `keyword` holds them (semicolons when a tag has a comma).
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_text: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Name<'a> {
    Parts {
        family: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        given: &'a str,
    },
    Literal {
        literal: &'a str,
    },
}

#[derive(Serialize)]
struct DateVariable {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i64>; 1],
}

impl DateVariable {
    fn of(date: &DateParts) -> DateVariable {
        let mut parts = vec![i64::from(date.year)];
        parts.extend(date.month.map(i64::from));
        if date.month.is_some() {
            parts.extend(date.day.map(i64::from));
        }
        DateVariable {
            date_parts: [parts],
        }
    }
}

pub fn begin(out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"[\n")
}

/// One item on a line of its own; `first` says whether a comma goes before it.
pub fn write_entry(out: &mut dyn Write, citation: &Citation, first: bool) -> std::io::Result<()> {
    if !first {
        out.write_all(b",\n")?;
    }
    let container = citation.publisher_is_container();
    let item = Item {
        id: &citation.key,
        kind: csl_type(citation.kind),
        title: &citation.title,
        author: citation
            .authors
            .iter()
            .map(|name| match name {
                PersonName::Parts { family, given } => Name::Parts { family, given },
                PersonName::Literal(literal) => Name::Literal { literal },
            })
            .collect(),
        issued: citation.published.as_ref().map(DateVariable::of),
        container_title: citation.publisher.as_deref().filter(|_| container),
        publisher: citation.publisher.as_deref().filter(|_| !container),
        url: citation.url.as_deref(),
        doi: citation.doi.as_deref(),
        accessed: citation.accessed.as_ref().map(DateVariable::of),
        language: citation.language.as_deref(),
        keyword: (!citation.tags.is_empty())
            .then(|| crate::citation_kinds::join_tags(&citation.tags)),
        abstract_text: citation.abstract_text.as_deref(),
    };
    serde_json::to_writer(&mut *out, &item).map_err(std::io::Error::from)
}

pub fn end(out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"\n]\n")
}
