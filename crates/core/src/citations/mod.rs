//! Citations out: sources written as BibTeX, RIS or CSL-JSON for a reference
//! manager, Word or pandoc. Which sources: all of them, those the Sources
//! list's filter lets through (or the ticked ones), one firm's (as its profile
//! counts them: its mentions and what its claims cite), or those a
//! comparison's cells cite. One writer per format ([`bibtex`], [`ris`],
//! [`csl_json`]); the kinds and author names come from `citation_kinds`, the
//! keys (BibTeX's and CSL-JSON's ids) from [`keys`].
//!
//! The file is streamed, in id order: a workspace with a million sources is
//! walked by one statement and each exported source loaded on its own, so
//! memory holds one source at a time, the ids chosen (8 bytes each) and the
//! key counts (see [`keys::KeyCounter`]), never the sources. It is written
//! into a temporary file beside the chosen one and renamed over it when
//! complete (`files::Destination`, which also refuses the workspace's own
//! files); all of it is read in one transaction, so it is one state of the
//! workspace even while another window writes.

pub mod bibtex;
pub mod csl_json;
pub mod keys;
pub mod ris;

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::citation_kinds::{split_authors, PersonName};
use crate::compare::ComparisonSelection;
use crate::error::{Error, Result};
use crate::model::{Id, SourceFilter, SourceKind, SourceSelection};
use crate::store::Store;
use crate::text::column_enum;

/// The file formats reference managers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CitationFormat {
    /// BibTeX/BibLaTeX (.bib): LaTeX, pandoc, JabRef, Zotero.
    Bibtex,
    /// RIS (.ris): EndNote, Zotero, Mendeley, Word's citation tools.
    Ris,
    /// CSL-JSON (.json): pandoc, Zotero, citeproc.
    CslJson,
}

impl CitationFormat {
    /// As people call it: "BibTeX", "RIS", "CSL-JSON".
    pub fn label(self) -> &'static str {
        match self {
            CitationFormat::Bibtex => "BibTeX",
            CitationFormat::Ris => "RIS",
            CitationFormat::CslJson => "CSL-JSON",
        }
    }

    /// The file name extension the format's files have.
    pub fn extension(self) -> &'static str {
        match self {
            CitationFormat::Bibtex => "bib",
            CitationFormat::Ris => "ris",
            CitationFormat::CslJson => "json",
        }
    }
}

/// Which sources to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "of")]
pub enum CitationScope {
    /// Every source in the workspace.
    All,
    /// The Sources list's selection: the ticked sources, or every source its
    /// filter lets through (but the unticked ones).
    Sources { selection: SourceSelection },
    /// One firm's sources, as its profile counts them: those that mention it
    /// and those its assessments, chips (its subsidiaries' too), listings and
    /// events cite.
    Firm {
        #[serde(rename = "firmId")]
        firm_id: Id,
    },
    /// The sources a comparison's cells cite (the Compare page's current
    /// selection, or a saved comparison's).
    Comparison { selection: ComparisonSelection },
}

/// What to export, in which format, to which file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitationExportRequest {
    pub scope: CitationScope,
    pub format: CitationFormat,
    /// The file to write; replaced whole if it exists.
    pub path: String,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitationExportSummary {
    /// The file written, as an absolute path.
    pub path: String,
    pub format: CitationFormat,
    /// How many sources it holds.
    pub sources: u64,
}

/// A date as Chipwatch keeps it (2023, 2023-10, 2023-10-17), in parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl DateParts {
    /// The parts of a stored date; None for anything else (a damaged row).
    pub fn parse(stored: &str) -> Option<DateParts> {
        let mut parts = stored.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month = parts.next().map(str::parse::<u32>).transpose().ok()?;
        let day = parts.next().map(str::parse::<u32>).transpose().ok()?;
        let valid = parts.next().is_none()
            && month.is_none_or(|m| (1..=12).contains(&m))
            && day.is_none_or(|d| (1..=31).contains(&d));
        valid.then_some(DateParts { year, month, day })
    }

    /// The stored form again: 2023, 2023-10, 2023-10-17.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// A source as the writers write it.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// BibTeX's entry key and CSL-JSON's id (see [`keys`]).
    pub key: String,
    pub kind: SourceKind,
    pub title: String,
    pub authors: Vec<PersonName>,
    /// The publisher, or for articles, papers and web pages where it appeared
    /// (the journal, the proceedings, the site).
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub doi: Option<String>,
    pub published: Option<DateParts>,
    pub accessed: Option<DateParts>,
    pub language: Option<String>,
    pub abstract_text: Option<String>,
    pub tags: Vec<String>,
}

impl Citation {
    /// Whether the publisher field names where the source appeared (a
    /// journal, proceedings, a web site) rather than who published it.
    pub fn publisher_is_container(&self) -> bool {
        matches!(
            self.kind,
            SourceKind::Article | SourceKind::Paper | SourceKind::Web
        )
    }
}

/// Writes the sources `request.scope` names to `request.path` in its format.
/// Refused before anything is written: a path that is one of the workspace's
/// own files, and a scope with no sources in it.
pub fn export(store: &Store, request: &CitationExportRequest) -> Result<CitationExportSummary> {
    if request.path.trim().is_empty() {
        return Err(Error::invalid("path", "choose a file to export to"));
    }
    let path = PathBuf::from(&request.path);
    let destination = crate::files::Destination::check(&path, store.path())?;
    let (temp, written) = store.read(|conn| {
        let chosen = chosen_ids(conn, &request.scope)?;
        let mut failure = None;
        let mut written = 0;
        let temp = destination.write_temp(|file| {
            let mut out = BufWriter::with_capacity(1 << 16, file);
            match write_citations(conn, chosen.as_deref(), request.format, &mut out) {
                Ok(count) => {
                    written = count;
                    out.flush()
                }
                Err(Stop::Io(error)) => Err(error),
                Err(Stop::Failed(error)) => {
                    failure = Some(error);
                    Err(std::io::Error::other("the export stopped"))
                }
            }
        });
        // A failed read, not the file, is what went wrong: say so (the
        // temporary file is gone with `temp`).
        if let Some(error) = failure {
            return Err(error);
        }
        Ok((temp?, written))
    })?;
    destination.persist(temp)?;
    Ok(CitationExportSummary {
        path: std::path::absolute(&path)
            .unwrap_or(path)
            .display()
            .to_string(),
        format: request.format,
        sources: written,
    })
}

/// The ids the scope names, ascending, each once; None for every source.
/// A scope with none is refused, saying why.
fn chosen_ids(conn: &Connection, scope: &CitationScope) -> Result<Option<Vec<Id>>> {
    let nothing = |why: &str| {
        Error::invalid(
            "scope",
            format!("Nothing to export: {why}. Nothing was written."),
        )
    };
    let ids = match scope {
        CitationScope::All => {
            let any: Option<Id> = conn
                .query_row("SELECT id FROM sources LIMIT 1", [], |r| r.get(0))
                .optional()?;
            return match any {
                Some(_) => Ok(None),
                None => Err(nothing("the workspace has no sources")),
            };
        }
        CitationScope::Sources { selection } => {
            if let SourceSelection::Matching { filter, except } = selection {
                if *filter == SourceFilter::default() && except.is_empty() {
                    return chosen_ids(conn, &CitationScope::All);
                }
            }
            let ids = crate::sources_bulk::selected_ids(conn, selection)?;
            if ids.is_empty() {
                return Err(nothing(match selection {
                    SourceSelection::Ids { .. } => "no sources are ticked",
                    SourceSelection::Matching { .. } => "the filter lets no source through",
                }));
            }
            ids
        }
        CitationScope::Firm { firm_id } => {
            let name = crate::firms::load(conn, *firm_id)?.name;
            // The Sources list's firm filter is the profile's rule (firm_chips).
            let filter = SourceFilter {
                firm: Some(*firm_id),
                ..SourceFilter::default()
            };
            let ids = crate::sources::matching_ids(conn, &filter)?.unwrap_or_default();
            if ids.is_empty() {
                return Err(nothing(&format!(
                    "no source mentions {name} and none of its claims cites one"
                )));
            }
            ids
        }
        CitationScope::Comparison { selection } => {
            let today = chrono::Local::now().date_naive();
            let matrix = crate::compare::matrix_in(conn, selection, today)?;
            if matrix.firms.is_empty() {
                return Err(nothing(if selection.firm_ids.is_empty() {
                    "no firms are chosen"
                } else {
                    "none of the chosen firms exists any more"
                }));
            }
            let mut ids: Vec<Id> = matrix
                .rows
                .iter()
                .flatten()
                .flat_map(|cell| cell.sources.iter().copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Err(nothing("the comparison's cells cite no sources"));
            }
            ids
        }
    };
    Ok(Some(ids))
}

/// Why writing stopped: the file (reported as the file's problem) or the
/// workspace.
enum Stop {
    Io(std::io::Error),
    Failed(Error),
}

impl From<std::io::Error> for Stop {
    fn from(error: std::io::Error) -> Self {
        Stop::Io(error)
    }
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Failed(error)
    }
}

impl From<rusqlite::Error> for Stop {
    fn from(error: rusqlite::Error) -> Self {
        Stop::Failed(error.into())
    }
}

/// Walks the sources in id order up to the last chosen one, handing out keys
/// to all of them (so a key does not depend on what else is exported) and
/// writing the chosen ones (`None`: all). How many were written.
fn write_citations(
    conn: &Connection,
    chosen: Option<&[Id]>,
    format: CitationFormat,
    out: &mut dyn Write,
) -> std::result::Result<u64, Stop> {
    let mut counter = KeyCounterFor::new(conn, chosen)?;
    let last: Id = match chosen {
        Some(ids) => ids.last().copied().unwrap_or(0),
        None => Id::MAX,
    };
    let mut walk = conn.prepare(
        "SELECT id, title, authors, published_on FROM sources WHERE id <= ?1 ORDER BY id",
    )?;
    let mut rows = walk.query([last])?;
    let mut next = 0;
    let mut written = 0;
    format.begin(out)?;
    while let Some(row) = rows.next()? {
        let id: Id = row.get(0)?;
        let plain = keys::plain_key(
            id,
            &row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?.as_deref(),
            row.get::<_, Option<String>>(3)?.as_deref(),
        );
        let key = counter.0.next_key(plain);
        let is_chosen = match chosen {
            None => true,
            Some(ids) => {
                while ids.get(next).is_some_and(|&chosen| chosen < id) {
                    next += 1;
                }
                ids.get(next) == Some(&id)
            }
        };
        if is_chosen {
            let citation = load(conn, id, key)?;
            format.entry(out, &citation, written == 0)?;
            written += 1;
        }
    }
    format.end(out)?;
    Ok(written)
}

/// The key counter for an export: for a chosen few, only their keys are
/// counted (memory by what is exported, not by the workspace).
struct KeyCounterFor(keys::KeyCounter);

impl KeyCounterFor {
    fn new(conn: &Connection, chosen: Option<&[Id]>) -> Result<KeyCounterFor> {
        let Some(ids) = chosen else {
            return Ok(KeyCounterFor(keys::KeyCounter::new(None)));
        };
        let mut stmt =
            conn.prepare_cached("SELECT title, authors, published_on FROM sources WHERE id = ?1")?;
        let mut only = HashSet::with_capacity(ids.len());
        for &id in ids {
            let plain = stmt.query_row([id], |r| {
                Ok(keys::plain_key(
                    id,
                    &r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?.as_deref(),
                    r.get::<_, Option<String>>(2)?.as_deref(),
                ))
            })?;
            only.insert(keys::KeyCounter::hash(&plain));
        }
        Ok(KeyCounterFor(keys::KeyCounter::new(Some(only))))
    }
}

/// One source with its tags, as the writers take it.
fn load(conn: &Connection, id: Id, key: String) -> Result<Citation> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, title, authors, publisher, url, doi, published_on, accessed_on, language, abstract
         FROM sources WHERE id = ?1",
    )?;
    let mut citation = stmt
        .query_row([id], |r| {
            let text = |i: usize| -> rusqlite::Result<Option<String>> {
                Ok(r.get::<_, Option<String>>(i)?
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty()))
            };
            Ok(Citation {
                key: key.clone(),
                kind: column_enum(r, 0)?,
                title: r.get::<_, String>(1)?.trim().to_owned(),
                authors: text(2)?.map(|a| split_authors(&a)).unwrap_or_default(),
                publisher: text(3)?,
                url: text(4)?,
                doi: text(5)?,
                published: text(6)?.as_deref().and_then(DateParts::parse),
                accessed: text(7)?.as_deref().and_then(DateParts::parse),
                language: text(8)?,
                abstract_text: text(9)?,
                tags: Vec::new(),
            })
        })
        .optional()?
        .ok_or(Error::NotFound {
            entity: "source",
            id,
        })?;
    let mut tags = conn.prepare_cached(
        "SELECT t.name FROM source_tags st JOIN tags t ON t.id = st.tag_id
         WHERE st.source_id = ?1 ORDER BY t.name",
    )?;
    citation.tags = tags
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(citation)
}

impl CitationFormat {
    fn begin(self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            CitationFormat::CslJson => csl_json::begin(out),
            CitationFormat::Bibtex | CitationFormat::Ris => Ok(()),
        }
    }

    fn entry(self, out: &mut dyn Write, citation: &Citation, first: bool) -> std::io::Result<()> {
        match self {
            CitationFormat::Bibtex => bibtex::write_entry(out, citation),
            CitationFormat::Ris => ris::write_entry(out, citation),
            CitationFormat::CslJson => csl_json::write_entry(out, citation, first),
        }
    }

    fn end(self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            CitationFormat::CslJson => csl_json::end(out),
            CitationFormat::Bibtex | CitationFormat::Ris => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_dates_come_in_parts() {
        let parts = |s| DateParts::parse(s).map(|d| (d.year, d.month, d.day));
        assert_eq!(parts("2023"), Some((2023, None, None)));
        assert_eq!(parts("2023-10"), Some((2023, Some(10), None)));
        assert_eq!(parts("2023-10-17"), Some((2023, Some(10), Some(17))));
        assert_eq!(parts("2023-13"), None);
        assert_eq!(parts("Oct 2023"), None);
        for stored in ["2023", "2023-10", "2023-10-17"] {
            assert_eq!(
                DateParts::parse(stored).map(|d| d.iso()).as_deref(),
                Some(stored)
            );
        }
    }
}
