//! A source as the analyst reads it: its fields, one plain-text citation, the
//! addresses the system browser may open, and everything that cites it (chip
//! claims, assessments' evidence, export-control listings, events, notes and
//! the cells of saved comparisons). A use case over several entities, so it
//! reads their tables itself, as `profile` does.
//!
//! Each list holds at most [`CITING_LIMIT`] items with the whole count beside
//! it, so a source cited a million times ships a page, not a million rows.

use std::collections::BTreeSet;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::{FirmRef, Id, Source, SourceDraft, Stance};
use crate::store::Store;
use crate::text::column_enum;
use crate::validate;

/// The most items one list of citing records holds.
pub const CITING_LIMIT: usize = 200;
/// The longest stretch of an assessment's summary shown beside its evidence.
const SUMMARY_CHARS: usize = 400;

/// Some of the records of one kind that cite the source, and how many there are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Citing<T> {
    /// At most [`CITING_LIMIT`], in the order the screen lists them.
    pub items: Vec<T>,
    /// All of them, shown or not.
    pub total: u32,
}

/// A chip whose figures cite the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitingChip {
    pub chip_id: Id,
    pub name: String,
    pub firm: FirmRef,
    pub announced_on: Option<String>,
}

/// An assessment that gives the source as evidence, with where in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitingAssessment {
    pub assessment_id: Id,
    pub firm: FirmRef,
    pub strategy_id: Id,
    pub strategy: String,
    pub stance: Stance,
    pub as_of: Option<String>,
    /// The start of the assessment's summary: the claim the source backs.
    pub summary: String,
    /// Where in the source: a page, a section.
    pub locator: Option<String>,
    /// The passage the assessment quotes from the source.
    pub excerpt: Option<String>,
}

/// An export-control listing that cites the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitingListing {
    pub listing_id: Id,
    pub firm: FirmRef,
    pub list_name: String,
    pub listed_on: Option<String>,
    /// The listing's own citation text (a Federal Register entry, a page).
    pub citation: Option<String>,
}

/// An event on the timeline that cites the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitingEvent {
    pub event_id: Id,
    pub title: String,
    pub occurred_on: String,
}

/// A note that links to the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitingNote {
    pub note_id: Id,
    pub title: String,
    pub updated_at: String,
}

/// A cell of a saved comparison whose value rests on the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CitingCell {
    pub comparison_id: Id,
    pub comparison: String,
    pub firm: FirmRef,
    pub dimension_id: String,
    pub dimension: String,
}

/// A source for reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceReading {
    pub source: Source,
    pub r#abstract: Option<String>,
    pub tags: Vec<String>,
    /// The reference as one line of plain text, close to Chicago author-date.
    pub citation: String,
    /// The source's web address when the browser may open it.
    pub web_address: Option<String>,
    /// https://doi.org/<doi> when the source has a DOI.
    pub doi_address: Option<String>,
    pub chips: Citing<CitingChip>,
    pub assessments: Citing<CitingAssessment>,
    pub listings: Citing<CitingListing>,
    pub events: Citing<CitingEvent>,
    pub notes: Citing<CitingNote>,
    pub comparison_cells: Citing<CitingCell>,
}

impl SourceReading {
    /// Nothing in the workspace cites the source.
    pub fn cited_by_nothing(&self) -> bool {
        [
            self.chips.total,
            self.assessments.total,
            self.listings.total,
            self.events.total,
            self.notes.total,
            self.comparison_cells.total,
        ]
        .iter()
        .all(|total| *total == 0)
    }
}

/// The source `source_id` with its citation and what cites it, in one snapshot.
pub fn load(store: &Store, source_id: Id) -> Result<SourceReading> {
    store.read(|conn| {
        let source = crate::sources::load(conn, source_id)?;
        let (r#abstract, tags) = abstract_and_tags(conn, source_id)?;
        let draft = SourceDraft {
            kind: source.kind,
            title: source.title.clone(),
            authors: source.authors.clone(),
            publisher: source.publisher.clone(),
            url: source.url.clone(),
            doi: source.doi.clone(),
            published_on: source.published_on.clone(),
            accessed_on: source.accessed_on.clone(),
            language: source.language.clone(),
            r#abstract: None,
            reliability: None,
            credibility: None,
            tags: Vec::new(),
        };
        let web_address = source
            .url
            .as_deref()
            .and_then(|url| validate::openable_web_address(url).ok());
        let doi_address = source
            .doi
            .as_deref()
            .and_then(|doi| validate::doi_web_address(doi).ok());
        Ok(SourceReading {
            citation: citation(&draft),
            web_address,
            doi_address,
            chips: citing_chips(conn, source_id)?,
            assessments: citing_assessments(conn, source_id)?,
            listings: citing_listings(conn, source_id)?,
            events: citing_events(conn, source_id)?,
            notes: citing_notes(conn, source_id)?,
            comparison_cells: citing_cells(conn, source_id)?,
            source,
            r#abstract,
            tags,
        })
    })
}

fn abstract_and_tags(conn: &Connection, source_id: Id) -> Result<(Option<String>, Vec<String>)> {
    let r#abstract: Option<String> = conn.query_row(
        "SELECT abstract FROM sources WHERE id = ?1",
        [source_id],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT t.name FROM source_tags st JOIN tags t ON t.id = st.tag_id
         WHERE st.source_id = ?1 ORDER BY t.name",
    )?;
    let tags = stmt
        .query_map([source_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((r#abstract.filter(|a| !a.trim().is_empty()), tags))
}

const LIMIT: i64 = CITING_LIMIT as i64;

/// The first `chars` characters of `text`, with "…" when there was more.
fn clip(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_owned(),
    }
}

fn count(conn: &Connection, sql: &str, source_id: Id) -> Result<u32> {
    let total: i64 = conn.query_row(sql, [source_id], |r| r.get(0))?;
    Ok(u32::try_from(total).unwrap_or(u32::MAX))
}

fn firm_ref(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<FirmRef> {
    Ok(FirmRef {
        id: row.get(at)?,
        name: row.get(at + 1)?,
        native_name: row.get(at + 2)?,
    })
}

fn citing_chips(conn: &Connection, source_id: Id) -> Result<Citing<CitingChip>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.announced_on, f.id, f.name, f.native_name
         FROM chip_sources cs JOIN chips c ON c.id = cs.chip_id JOIN firms f ON f.id = c.firm_id
         WHERE cs.source_id = ?1
         ORDER BY f.name COLLATE NOCASE, c.name COLLATE NOCASE, c.id LIMIT ?2",
    )?;
    let items = stmt
        .query_map(params![source_id, LIMIT], |r| {
            Ok(CitingChip {
                chip_id: r.get(0)?,
                name: r.get(1)?,
                announced_on: r.get(2)?,
                firm: firm_ref(r, 3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = count(
        conn,
        "SELECT count(*) FROM chip_sources WHERE source_id = ?1",
        source_id,
    )?;
    Ok(Citing { items, total })
}

fn citing_assessments(conn: &Connection, source_id: Id) -> Result<Citing<CitingAssessment>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, s.id, s.name, a.stance, a.as_of, a.summary, e.locator, f.id, f.name, f.native_name, e.excerpt
         FROM assessment_evidence e JOIN assessments a ON a.id = e.assessment_id
         JOIN strategies s ON s.id = a.strategy_id JOIN firms f ON f.id = a.firm_id
         WHERE e.source_id = ?1
         ORDER BY f.name COLLATE NOCASE, s.name COLLATE NOCASE, a.id LIMIT ?2",
    )?;
    let items = stmt
        .query_map(params![source_id, LIMIT], |r| {
            let summary: String = r.get(5)?;
            Ok(CitingAssessment {
                assessment_id: r.get(0)?,
                strategy_id: r.get(1)?,
                strategy: r.get(2)?,
                stance: column_enum(r, 3)?,
                as_of: r.get(4)?,
                summary: clip(&summary, SUMMARY_CHARS),
                locator: r.get(6)?,
                firm: firm_ref(r, 7)?,
                excerpt: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = count(
        conn,
        "SELECT count(*) FROM assessment_evidence WHERE source_id = ?1",
        source_id,
    )?;
    Ok(Citing { items, total })
}

fn citing_listings(conn: &Connection, source_id: Id) -> Result<Citing<CitingListing>> {
    let mut stmt = conn.prepare(
        "SELECT l.id, l.list_name, l.listed_on, l.citation, f.id, f.name, f.native_name
         FROM export_control_listings l JOIN firms f ON f.id = l.firm_id
         WHERE l.source_id = ?1
         ORDER BY f.name COLLATE NOCASE, l.listed_on, l.id LIMIT ?2",
    )?;
    let items = stmt
        .query_map(params![source_id, LIMIT], |r| {
            Ok(CitingListing {
                listing_id: r.get(0)?,
                list_name: r.get(1)?,
                listed_on: r.get(2)?,
                citation: r.get(3)?,
                firm: firm_ref(r, 4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = count(
        conn,
        "SELECT count(*) FROM export_control_listings WHERE source_id = ?1",
        source_id,
    )?;
    Ok(Citing { items, total })
}

fn citing_events(conn: &Connection, source_id: Id) -> Result<Citing<CitingEvent>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.title, e.occurred_on
         FROM event_sources es JOIN events e ON e.id = es.event_id
         WHERE es.source_id = ?1 ORDER BY e.occurred_on DESC, e.id LIMIT ?2",
    )?;
    let items = stmt
        .query_map(params![source_id, LIMIT], |r| {
            Ok(CitingEvent {
                event_id: r.get(0)?,
                title: r.get(1)?,
                occurred_on: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = count(
        conn,
        "SELECT count(*) FROM event_sources WHERE source_id = ?1",
        source_id,
    )?;
    Ok(Citing { items, total })
}

fn citing_notes(conn: &Connection, source_id: Id) -> Result<Citing<CitingNote>> {
    let mut stmt = conn.prepare(
        "SELECT n.id, n.title, n.updated_at
         FROM note_links l JOIN notes n ON n.id = l.note_id
         WHERE l.source_id = ?1 ORDER BY n.updated_at DESC, n.id LIMIT ?2",
    )?;
    let items = stmt
        .query_map(params![source_id, LIMIT], |r| {
            Ok(CitingNote {
                note_id: r.get(0)?,
                title: r.get(1)?,
                updated_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = count(
        conn,
        "SELECT count(*) FROM note_links WHERE source_id = ?1",
        source_id,
    )?;
    Ok(Citing { items, total })
}

/// The cells of saved comparisons whose value rests on the source. Only the
/// comparisons holding a firm whose claims cite the source are computed, and
/// only for those firms; the cells are counted in full, listed up to the limit.
fn citing_cells(conn: &Connection, source_id: Id) -> Result<Citing<CitingCell>> {
    let mut stmt = conn.prepare(
        "WITH cited_firms(firm_id) AS (
             SELECT fc.firm_id FROM chip_sources cs JOIN firm_chips fc ON fc.chip_id = cs.chip_id
             WHERE cs.source_id = ?1
             UNION SELECT a.firm_id FROM assessment_evidence e JOIN assessments a ON a.id = e.assessment_id
             WHERE e.source_id = ?1
             UNION SELECT firm_id FROM export_control_listings WHERE source_id = ?1)
         SELECT c.id, c.name, json_group_array(cf.firm_id)
         FROM comparisons c JOIN comparison_firms cf ON cf.comparison_id = c.id
         WHERE cf.firm_id IN (SELECT firm_id FROM cited_firms)
         GROUP BY c.id ORDER BY c.name COLLATE NOCASE, c.id",
    )?;
    let candidates = stmt
        .query_map([source_id], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let today = chrono::Local::now().date_naive();
    let mut items = Vec::new();
    let mut total: u32 = 0;
    for (comparison_id, name, firm_ids) in candidates {
        let cited: BTreeSet<Id> = serde_json::from_str::<Vec<Id>>(&firm_ids)
            .unwrap_or_default()
            .into_iter()
            .collect();
        let saved = crate::compare::saved::load_in(conn, comparison_id)?;
        let mut selection = saved.selection;
        // In the comparison's order, only the firms whose claims cite the source.
        selection.firm_ids.retain(|id| cited.contains(id));
        let matrix = crate::compare::matrix_in(conn, &selection, today)?;
        for (firm, row) in matrix.firms.iter().zip(&matrix.rows) {
            for (dimension, cell) in matrix.dimensions.iter().zip(row) {
                if !cell.sources.contains(&source_id) {
                    continue;
                }
                total = total.saturating_add(1);
                if items.len() < CITING_LIMIT {
                    items.push(CitingCell {
                        comparison_id,
                        comparison: name.clone(),
                        firm: firm.clone(),
                        dimension_id: dimension.id.clone(),
                        dimension: dimension.label.clone(),
                    });
                }
            }
        }
    }
    Ok(Citing { items, total })
}

// ---- The citation --------------------------------------------------------------

/// "October 17" or "October" from a stored date's month and day, when it has them.
fn month_day(date: &str) -> Option<String> {
    let month: usize = date.get(5..7)?.parse().ok()?;
    let name = crate::date::MONTH_NAMES.get(month.checked_sub(1)?)?;
    match date.get(8..10).and_then(|d| d.parse::<u32>().ok()) {
        Some(day) => Some(format!("{name} {day}")),
        None => Some((*name).to_owned()),
    }
}

/// "October 17, 2023" from a full stored date.
fn long_date(date: &str) -> Option<String> {
    Some(format!("{}, {}", month_day(date)?, date.get(0..4)?))
}

/// Ends `text` with a full stop unless it already ends with one (or ? ! or Chinese 。？！).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '?', '!', '。', '？', '！']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// One line, close to Chicago author-date:
/// `Authors. 2023. “Title.” Publisher, October 17. https://doi.org/10.…`
/// Without authors the publisher stands first as the author, as Chicago does
/// for an organisation; without either the title leads. A source with no date
/// is "n.d." and gives the day it was accessed. The DOI's address is preferred
/// to the web address. Text is kept as typed (Chinese titles, quotes) on one line.
pub fn citation(source: &SourceDraft) -> String {
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let present = |value: &Option<String>| {
        value
            .as_deref()
            .map(one_line)
            .filter(|text| !text.is_empty())
    };
    let authors = present(&source.authors);
    let publisher = present(&source.publisher);
    let title = one_line(&source.title);
    let year = source
        .published_on
        .as_deref()
        .and_then(|d| d.get(0..4))
        .unwrap_or("n.d.")
        .to_owned();
    let quoted_title = {
        let title = sentence(&title);
        format!("“{title}”")
    };

    let mut parts: Vec<String> = Vec::new();
    let author = authors.clone().or_else(|| publisher.clone());
    match author {
        Some(author) => {
            parts.push(sentence(&author));
            parts.push(sentence(&year));
            parts.push(quoted_title);
        }
        None => {
            parts.push(quoted_title);
            parts.push(sentence(&year));
        }
    }
    // The publisher after the title, unless it already stands as the author.
    let publisher_shown = publisher.filter(|_| authors.is_some());
    let day = source.published_on.as_deref().and_then(month_day);
    match (publisher_shown, day) {
        (Some(publisher), Some(day)) => parts.push(format!("{publisher}, {day}.")),
        (Some(publisher), None) => parts.push(sentence(&publisher)),
        (None, Some(day)) => parts.push(format!("{day}.")),
        (None, None) => {}
    }
    if source.published_on.is_none() {
        if let Some(accessed) = source.accessed_on.as_deref().and_then(long_date) {
            parts.push(format!("Accessed {accessed}."));
        }
    }
    let address = source
        .doi
        .as_deref()
        .and_then(|doi| validate::doi_web_address(doi).ok())
        .or_else(|| present(&source.url));
    if let Some(address) = address {
        parts.push(sentence(&address));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::SourceKind;

    fn draft(title: &str) -> SourceDraft {
        SourceDraft {
            kind: SourceKind::Article,
            title: title.into(),
            authors: None,
            publisher: None,
            url: None,
            doi: None,
            published_on: None,
            accessed_on: None,
            language: None,
            r#abstract: None,
            reliability: None,
            credibility: None,
            tags: Vec::new(),
        }
    }

    #[test]
    fn a_full_reference_reads_author_year_title_publisher_day_doi() {
        let source = SourceDraft {
            authors: Some("Allen, Gregory C.".into()),
            publisher: Some("CSIS".into()),
            published_on: Some("2023-10-17".into()),
            doi: Some("10.1000/xyz(1)".into()),
            url: Some("https://www.csis.org/analysis".into()),
            ..draft("Choking Off China's Access")
        };
        assert_eq!(
            citation(&source),
            "Allen, Gregory C. 2023. “Choking Off China's Access.” CSIS, October 17. https://doi.org/10.1000/xyz(1)."
        );
    }

    #[test]
    fn chinese_titles_stay_intact_and_the_publisher_leads_without_authors() {
        let source = SourceDraft {
            publisher: Some("新华社".into()),
            published_on: Some("2023-10".into()),
            url: Some("https://www.news.cn/a?b=1".into()),
            ..draft("华为发布 \"昇腾\" 芯片，性能提升？")
        };
        assert_eq!(
            citation(&source),
            "新华社. 2023. “华为发布 \"昇腾\" 芯片，性能提升？” October. https://www.news.cn/a?b=1."
        );
    }

    #[test]
    fn an_undated_source_is_nd_with_its_access_day_and_newlines_become_spaces() {
        let source = SourceDraft {
            accessed_on: Some("2024-02-09".into()),
            ..draft("A title\nover two lines 🚀")
        };
        assert_eq!(
            citation(&source),
            "“A title over two lines 🚀.” n.d. Accessed February 9, 2024."
        );
    }
}
