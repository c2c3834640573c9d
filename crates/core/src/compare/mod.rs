//! Comparisons: chosen firms side by side on chosen dimensions, every cell
//! traceable to the sources behind it. A use case over several entities
//! (firms, assessments, chips, sources, notes, events), so it lives in its own
//! module and reads their tables itself, as `profile::load_profile` does.
//!
//! - [`dimensions`] lists what can be compared (profile fields, each strategy's
//!   stance / evidence count / newest evidence, chip figures, activity counts);
//! - [`compute`] builds the matrix, firms × dimensions, in a handful of grouped
//!   queries for all firms at once (never one query per cell);
//! - [`cell_sources`] opens one cell's sources with where in them the claim is;
//! - [`saved`] keeps named comparisons; [`export`] writes XLSX, CSV and Markdown.
//!
//! A cell is `known`, `notRecorded` (a value could exist but the workspace
//! holds none: shown and exported as `vocabulary::NOT_RECORDED`) or
//! `notApplicable` (the question does not arise: the evidence count of an
//! assessment that does not exist, the chip figures of a firm with no chips,
//! the parent of a firm without one: `vocabulary::NOT_APPLICABLE`). A known cell is `stale` when its
//! newest evidence may predate the chosen cutoff (see [`ComparisonFilters`]).

mod compute;
mod dimensions;
pub mod export;
pub mod sample;
pub mod saved;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{FirmRef, Id, Source, Stance};
use crate::store::Store;

pub use dimensions::resolve_dimensions;
pub(crate) use dimensions::DimensionKey;

/// Where a dimension sits in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DimensionGroup {
    /// Country, parent firm, export-control listings.
    Profile,
    /// A strategy's assessment: its stance, evidence count and newest evidence
    /// (under the heading `vocabulary::ASSESSMENTS`).
    Strategy,
    /// Best TPP, 3A090 parameters met, most advanced node, foundries.
    Chips,
    /// Sources, notes and events in the date window.
    Activity,
}

/// One column a comparison can show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dimension {
    /// Stable across renames: "profile:country", "strategy:3:stance", "chips:bestTpp".
    pub id: String,
    /// As shown: "Country", "In-house chips: stance".
    pub label: String,
    pub group: DimensionGroup,
    /// The strategy of a strategy dimension.
    pub strategy_id: Option<Id>,
    /// Cells carry a `number` to sort by (counts, TPP, process node).
    pub numeric: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CellState {
    Known,
    /// The workspace holds no value for this (no assessment, no figure entered,
    /// no listing): `vocabulary::NOT_RECORDED`.
    NotRecorded,
    /// The question does not arise for this firm (no chips, no assessment to
    /// count evidence for, no parent): `vocabulary::NOT_APPLICABLE`.
    NotApplicable,
}

/// One firm's value on one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonCell {
    /// As exported: "Active", "4992", "SMIC, TSMC", "not recorded", "n/a", "Entity List (2019-05-16)".
    pub value: String,
    /// `value` in pieces when it holds dates ("Entity List (", 2019-05-16, ")"),
    /// so a screen shows each date as it shows every date (exports keep `value`,
    /// ISO); null when the value is plain text.
    #[serde(default)]
    pub value_parts: Option<Vec<ValuePart>>,
    /// What the value rests on, shown beside it: the chip behind a best TPP or node.
    pub detail: Option<String>,
    /// For sorting and for spreadsheets: counts, TPP, process node in nm.
    pub number: Option<f64>,
    pub state: CellState,
    /// The claim's date: an assessment's as-of, a chip's announcement, a listing's date.
    pub as_of: Option<String>,
    /// The sources behind the value, by id (details: [`cell_sources`]); a
    /// screen writes how many as `vocabulary::source_count`.
    pub sources: Vec<Id>,
    /// The newest evidence may predate the filters' cutoff.
    pub stale: bool,
    /// The stance of a stance cell, for its colour.
    pub stance: Option<Stance>,
}

/// A piece of a cell's value: text, or a date (stored form, "2019-05-16").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ValuePart {
    Text { text: String },
    Date { date: String },
}

impl ValuePart {
    /// The pieces as one text, dates in their stored form: a cell's `value`.
    pub fn join(parts: &[ValuePart]) -> String {
        parts
            .iter()
            .map(|part| match part {
                ValuePart::Text { text } => text.as_str(),
                ValuePart::Date { date } => date.as_str(),
            })
            .collect()
    }
}

impl ComparisonCell {
    /// The value with its detail: "4992 (Ascend 910B)".
    pub fn display(&self) -> String {
        match &self.detail {
            Some(detail) => format!("{} ({detail})", self.value),
            None => self.value.clone(),
        }
    }
}

/// The date window of the activity counts and the rule that marks cells stale.
/// Dates are partial ("2023", "2023-10", "2023-10-17"); a partial date counts
/// as in the window when any of its days is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ComparisonFilters {
    /// Count sources, notes and events from this date on.
    pub from: Option<String>,
    /// ... up to this date (inclusive).
    pub to: Option<String>,
    /// A cell is stale when its newest evidence may be older than this many days.
    pub stale_after_days: Option<u32>,
    /// ... or may predate this date (e.g. "2023-10-17", the October 2023 rule).
    pub stale_before: Option<String>,
}

/// What to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ComparisonSelection {
    /// Rows, in this order.
    pub firm_ids: Vec<Id>,
    /// Dimension ids, in column order; empty means every available dimension.
    pub dimensions: Vec<String>,
    pub filters: ComparisonFilters,
}

/// The matrix: `rows[i][j]` is firm `firms[i]` on dimension `dimensions[j]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonMatrix {
    pub firms: Vec<FirmRef>,
    pub dimensions: Vec<Dimension>,
    pub rows: Vec<Vec<ComparisonCell>>,
    pub filters: ComparisonFilters,
    /// Chosen firms that no longer exist (deleted since the selection was made).
    pub missing_firm_ids: Vec<Id>,
    /// Chosen dimensions whose strategy no longer exists.
    pub missing_dimensions: Vec<String>,
}

/// One source behind a cell, with what it backs and where in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CellSource {
    pub source: Source,
    /// What the source backs here: "assessment: In-house chips", "chip: Ascend 910B", "listing: Entity List".
    pub claim: String,
    /// The claim's date (assessment as-of, chip announcement, listing date).
    pub as_of: Option<String>,
    /// Where in the source: a page, a section, a listing's citation.
    pub locator: Option<String>,
    /// The passage of the source that backs this claim, as the analyst
    /// quoted it (an assessment's evidence excerpt).
    pub quote: Option<String>,
    /// What the source says in general: the start of its abstract (about
    /// `EXCERPT_CHARS` characters, "…" when cut), if it has one.
    pub excerpt: Option<String>,
}

/// About how long an evidence excerpt is.
pub const EXCERPT_CHARS: usize = 300;

/// Every dimension that can be compared now, grouped: profile, each strategy
/// (in the strategies' order), chips, activity.
pub fn dimensions(store: &Store) -> Result<Vec<Dimension>> {
    store.read(dimensions::available)
}

/// The matrix for `selection`, in one read transaction. Cells are computed
/// with a few grouped queries for all firms at once. An empty firm list gives
/// an empty matrix; an id of a firm or strategy deleted meanwhile is listed in
/// `missingFirmIds` / `missingDimensions`, not an error.
pub fn compute(store: &Store, selection: &ComparisonSelection) -> Result<ComparisonMatrix> {
    let today = chrono::Local::now().date_naive();
    store.read(|conn| compute::matrix(conn, selection, today))
}

/// The matrix for `selection` inside a read the caller holds (the source view
/// finds the saved comparisons' cells that cite a source).
pub(crate) fn matrix_in(
    conn: &Connection,
    selection: &ComparisonSelection,
    today: chrono::NaiveDate,
) -> Result<ComparisonMatrix> {
    compute::matrix(conn, selection, today)
}

/// The sources behind one cell, in the order the cell lists them, with what
/// each backs and where in it.
pub fn cell_sources(store: &Store, firm_id: Id, dimension_id: &str) -> Result<Vec<CellSource>> {
    store.read(|conn| {
        let key = DimensionKey::parse(dimension_id)?;
        let selection = ComparisonSelection {
            firm_ids: vec![firm_id],
            dimensions: vec![dimension_id.to_owned()],
            filters: ComparisonFilters::default(),
        };
        let today = chrono::Local::now().date_naive();
        let matrix = compute::matrix(conn, &selection, today)?;
        if !matrix.missing_firm_ids.is_empty() {
            return Err(Error::NotFound {
                entity: "firm",
                id: firm_id,
            });
        }
        let Some(cell) = matrix.rows.first().and_then(|row| row.first()) else {
            return Ok(Vec::new());
        };
        cell.sources
            .iter()
            .map(|&source_id| {
                let source = crate::sources::load(conn, source_id)?;
                let (claim, as_of, locator, quote) = claim_of(conn, key, firm_id, source_id)?;
                Ok(CellSource {
                    source,
                    claim,
                    as_of,
                    locator,
                    quote,
                    excerpt: excerpt_of(conn, source_id)?,
                })
            })
            .collect()
    })
}

/// The start of a source's abstract, white space collapsed, cut at a word
/// near `EXCERPT_CHARS` characters.
fn excerpt_of(conn: &Connection, source_id: Id) -> Result<Option<String>> {
    // Only the start is read: an abstract may be long.
    const READ_CHARS: i64 = EXCERPT_CHARS as i64 * 2;
    let start: Option<String> = conn.query_row(
        "SELECT substr(abstract, 1, ?2) FROM sources WHERE id = ?1",
        params![source_id, READ_CHARS],
        |r| r.get(0),
    )?;
    let Some(start) = start else {
        return Ok(None);
    };
    let words: Vec<&str> = start.split_whitespace().collect();
    if words.is_empty() {
        return Ok(None);
    }
    let mut shown = String::new();
    for word in words {
        if shown.chars().count() + word.chars().count() > EXCERPT_CHARS {
            // Chinese has no spaces: a long run is cut where the budget ends.
            if shown.is_empty() {
                shown = word.chars().take(EXCERPT_CHARS).collect();
            }
            return Ok(Some(format!("{}…", shown.trim_end())));
        }
        if !shown.is_empty() {
            shown.push(' ');
        }
        shown.push_str(word);
    }
    // Mostly spaces, and more beyond what was read.
    if start.chars().count() as i64 == READ_CHARS {
        shown.push('…');
    }
    Ok(Some(shown))
}

/// What `source_id` backs in a cell of `key` for `firm_id`: a label, its date, a locator.
fn claim_of(conn: &Connection, key: DimensionKey, firm_id: Id, source_id: Id) -> Result<Claim> {
    let found = match key {
        DimensionKey::Stance(strategy)
        | DimensionKey::Evidence(strategy)
        | DimensionKey::NewestEvidence(strategy) => conn
            .query_row(
                "SELECT 'assessment: ' || s.name, a.as_of, e.locator, e.excerpt
                 FROM assessment_evidence e JOIN assessments a ON a.id = e.assessment_id
                 JOIN strategies s ON s.id = a.strategy_id
                 WHERE a.firm_id = ?1 AND a.strategy_id = ?2 AND e.source_id = ?3",
                params![firm_id, strategy, source_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?,
        DimensionKey::Listings => conn
            .query_row(
                "SELECT 'listing: ' || group_concat(list_name, ', '), max(listed_on), group_concat(citation, '; ')
                 FROM export_control_listings WHERE firm_id = ?1 AND source_id = ?2 HAVING count(*) > 0",
                params![firm_id, source_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, None)),
            )
            .optional()?,
        _ => conn
            .query_row(
                "SELECT 'chip: ' || group_concat(c.name, ', '), max(c.announced_on), NULL
                 FROM firm_chips fc JOIN chips c ON c.id = fc.chip_id
                 JOIN chip_sources cs ON cs.chip_id = c.id
                 WHERE fc.firm_id = ?1 AND cs.source_id = ?2 HAVING count(*) > 0",
                params![firm_id, source_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, None)),
            )
            .optional()?,
    };
    Ok(found.unwrap_or_else(|| ("cited".to_owned(), None, None, None)))
}

/// What a source backs in a cell: the claim, its date, where in the source, the quoted passage.
type Claim = (String, Option<String>, Option<String>, Option<String>);

/// The firms assessed on a strategy (any stance, "none" included), by name:
/// "all firms with a stance on S" for the firm picker.
pub fn firms_with_stance_on(store: &Store, strategy_id: Id) -> Result<Vec<FirmRef>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT f.id, f.name, f.native_name FROM assessments a JOIN firms f ON f.id = a.firm_id
             WHERE a.strategy_id = ?1 ORDER BY f.name COLLATE NOCASE, f.id",
        )?;
        let rows = stmt.query_map([strategy_id], |r| {
            Ok(FirmRef {
                id: r.get(0)?,
                name: r.get(1)?,
                native_name: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Every firm, by name: `--all-firms`.
pub fn all_firm_ids(store: &Store) -> Result<Vec<Id>> {
    store.read(|conn| {
        let mut stmt = conn.prepare("SELECT id FROM firms ORDER BY name COLLATE NOCASE, id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    })
}

/// Firms named by name, alias or native name (ignoring case, as `[[links]]`
/// match them), or by id, in the order given. A text that names no firm is an
/// error that names it and lists near matches.
pub fn resolve_firms(store: &Store, texts: &[String]) -> Result<Vec<Id>> {
    store.read(|conn| {
        let mut ids = Vec::new();
        for text in texts {
            let id = crate::firms::resolve_in(conn, "firms", text)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    })
}

/// A strategy by name (ignoring case) or id (see `strategies::resolve`).
pub fn resolve_strategy(store: &Store, text: &str) -> Result<Id> {
    crate::strategies::resolve(store, "strategy", text)
}
