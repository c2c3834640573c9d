//! The matrix: a few grouped queries over all chosen firms, then cells in Rust.
//! Each query reads only what the chosen dimensions need, for every firm at
//! once (firm ids pass as one JSON array), so 200 firms cost the same handful
//! of statements as two.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rusqlite::Connection;

use super::dimensions::{available_keys, DimensionKey};
use super::{
    CellState, ComparisonCell, ComparisonFilters, ComparisonMatrix, ComparisonSelection, Dimension,
    ValuePart,
};
use crate::date::{self, PartialDate};
use crate::error::{Error, Result};
use crate::metrics::{chip_metrics, RULE_A1, RULE_A2, RULE_B1, RULE_B2};
use crate::model::{FirmRef, Id, Stance};
use crate::text::column_enum;
use crate::vocabulary::{stance_label, NOT_APPLICABLE, NOT_RECORDED, UNDETERMINED_WHY};

/// A cited source and its publication date.
#[derive(Debug, Clone)]
struct Cited {
    source_id: Id,
    published_on: Option<String>,
}

struct FirmFacts {
    firm: FirmRef,
    country: Option<String>,
    parent: Option<String>,
}

struct ListingFacts {
    list_name: String,
    listed_on: Option<String>,
    /// The copy of a screening list that no longer had it.
    removed_on: Option<String>,
    source: Option<Cited>,
}

struct AssessmentFacts {
    stance: Stance,
    as_of: Option<String>,
    evidence: Vec<Cited>,
}

struct ChipFacts {
    name: String,
    node_nm: Option<f64>,
    announced_on: Option<String>,
    tpp: Option<f64>,
    rules: Vec<String>,
    /// Paragraphs the chip's figures cannot decide (no die area).
    undetermined: Vec<String>,
    foundry: Option<String>,
    sources: Vec<Cited>,
}

/// Everything the chosen dimensions need, per firm.
#[derive(Default)]
struct Facts {
    listings: HashMap<Id, Vec<ListingFacts>>,
    assessments: HashMap<(Id, Id), AssessmentFacts>,
    chips: HashMap<Id, Vec<ChipFacts>>,
    source_counts: HashMap<Id, i64>,
    note_counts: HashMap<Id, i64>,
    event_counts: HashMap<Id, i64>,
}

/// Checked filters: the window as day bounds, the stale cutoff as a day.
struct Rules {
    window_start: Option<String>,
    window_end: Option<String>,
    stale_cutoff: Option<String>,
}

pub(super) fn matrix(
    conn: &Connection,
    selection: &ComparisonSelection,
    today: NaiveDate,
) -> Result<ComparisonMatrix> {
    let rules = check_filters(&selection.filters, today)?;

    // Columns: the chosen dimensions that still exist, in the order chosen.
    let available = available_keys(conn)?;
    let mut columns: Vec<(DimensionKey, Dimension)> = Vec::new();
    let mut missing_dimensions = Vec::new();
    if selection.dimensions.is_empty() {
        columns = available;
    } else {
        for id in &selection.dimensions {
            let key = DimensionKey::parse(id)?;
            if columns.iter().any(|(k, _)| *k == key) {
                continue;
            }
            match available.iter().find(|(k, _)| *k == key) {
                Some(found) => columns.push(found.clone()),
                None => missing_dimensions.push(key.id()),
            }
        }
    }

    // Rows: the chosen firms that still exist, in the order chosen.
    let mut wanted: Vec<Id> = Vec::new();
    for id in &selection.firm_ids {
        if !wanted.contains(id) {
            wanted.push(*id);
        }
    }
    let ids_json = ids_json(&wanted);
    let found = firms(conn, &ids_json)?;
    let mut firms_in_order = Vec::new();
    let mut missing_firm_ids = Vec::new();
    for id in &wanted {
        match found.iter().find(|f| f.firm.id == *id) {
            Some(facts) => firms_in_order.push(facts),
            None => missing_firm_ids.push(*id),
        }
    }

    let keys: Vec<DimensionKey> = columns.iter().map(|(k, _)| *k).collect();
    let facts = if firms_in_order.is_empty() {
        Facts::default()
    } else {
        load_facts(conn, &ids_json, &keys, &rules)?
    };

    let rows = firms_in_order
        .iter()
        .map(|firm| {
            keys.iter()
                .map(|key| {
                    let mut cell = cell(firm, *key, &facts);
                    cell.stale = is_stale(&cell, *key, &facts, firm.firm.id, &rules);
                    cell
                })
                .collect()
        })
        .collect();

    Ok(ComparisonMatrix {
        firms: firms_in_order.iter().map(|f| f.firm.clone()).collect(),
        dimensions: columns.into_iter().map(|(_, d)| d).collect(),
        rows,
        filters: selection.filters.clone(),
        missing_firm_ids,
        missing_dimensions,
    })
}

fn ids_json(ids: &[Id]) -> String {
    let list: Vec<String> = ids.iter().map(Id::to_string).collect();
    format!("[{}]", list.join(","))
}

/// The first day of a stored partial date: "2023" → "2023-01-01".
pub(crate) fn first_day(date: &str) -> String {
    let tail = "0000-01-01".get(date.len()..).unwrap_or_default();
    format!("{date}{tail}")
}

/// An upper bound for the last day of a partial date: "2023-10" → "2023-10-31"
/// (as text it sorts after every day of the month, which is all it is used for).
pub(crate) fn last_day(date: &str) -> String {
    let tail = "0000-12-31".get(date.len()..).unwrap_or_default();
    format!("{date}{tail}")
}

fn check_filters(filters: &ComparisonFilters, today: NaiveDate) -> Result<Rules> {
    let from = date::FROM.read_at("filters.from", filters.from.as_deref())?;
    let to = date::TO.read_at("filters.to", filters.to.as_deref())?;
    let before =
        date::STALE_BEFORE.read_at("filters.staleBefore", filters.stale_before.as_deref())?;
    let window_start = from.as_deref().map(first_day);
    let window_end = to.as_deref().map(last_day);
    if let (Some(start), Some(end)) = (&window_start, &window_end) {
        if start > end {
            let shown = |date: &Option<String>| {
                date.as_deref()
                    .and_then(|d| d.parse::<PartialDate>().ok())
                    .map(|d| d.shown())
                    .unwrap_or_default()
            };
            return Err(Error::invalid(
                "filters.to",
                format!(
                    "the window ends ({}) before it starts ({}); swap the dates",
                    shown(&to),
                    shown(&from)
                ),
            ));
        }
    }
    let by_age = filters.stale_after_days.map(|days| {
        let day = today - chrono::Duration::days(i64::from(days));
        day.format("%Y-%m-%d").to_string()
    });
    let by_date = before.as_deref().map(first_day);
    let stale_cutoff = match (by_age, by_date) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    Ok(Rules {
        window_start,
        window_end,
        stale_cutoff,
    })
}

fn firms(conn: &Connection, ids_json: &str) -> Result<Vec<FirmFacts>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.name, f.native_name, f.country, p.name
         FROM firms f LEFT JOIN firms p ON p.id = f.parent_firm_id
         WHERE f.id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([ids_json], |r| {
        Ok(FirmFacts {
            firm: FirmRef {
                id: r.get(0)?,
                name: r.get(1)?,
                native_name: r.get(2)?,
            },
            country: r.get(3)?,
            parent: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQL condition "partial date `column` overlaps the window ?2..?3"
/// (either bound may be NULL); an undated row is in only when there is no window.
fn in_window(column: &str) -> String {
    format!(
        "((?2 IS NULL AND ?3 IS NULL) OR ({column} IS NOT NULL
          AND (?2 IS NULL OR {column} || substr('0000-12-31', length({column}) + 1) >= ?2)
          AND (?3 IS NULL OR {column} || substr('0000-01-01', length({column}) + 1) <= ?3)))"
    )
}

fn load_facts(
    conn: &Connection,
    ids_json: &str,
    keys: &[DimensionKey],
    rules: &Rules,
) -> Result<Facts> {
    let needs = |wanted: fn(&DimensionKey) -> bool| keys.iter().any(wanted);
    let mut facts = Facts::default();

    if needs(|k| *k == DimensionKey::Listings) {
        let mut stmt = conn.prepare(
            "SELECT l.firm_id, l.list_name, l.listed_on, l.source_id, s.published_on, l.removed_on
             FROM export_control_listings l LEFT JOIN sources s ON s.id = l.source_id
             WHERE l.firm_id IN (SELECT value FROM json_each(?1))
             ORDER BY l.firm_id, l.listed_on, l.id",
        )?;
        let mut rows = stmt.query([ids_json])?;
        while let Some(r) = rows.next()? {
            let source_id: Option<Id> = r.get(3)?;
            let published_on: Option<String> = r.get(4)?;
            facts
                .listings
                .entry(r.get(0)?)
                .or_default()
                .push(ListingFacts {
                    list_name: r.get(1)?,
                    listed_on: r.get(2)?,
                    removed_on: r.get(5)?,
                    source: source_id.map(|source_id| Cited {
                        source_id,
                        published_on,
                    }),
                });
        }
    }

    let strategies: BTreeSet<Id> = keys.iter().filter_map(|k| k.strategy()).collect();
    if !strategies.is_empty() {
        let strategies_json = ids_json_of(strategies.iter().copied());
        let mut stmt = conn.prepare(
            "SELECT a.firm_id, a.strategy_id, a.stance, a.as_of, e.source_id, s.published_on
             FROM assessments a
             LEFT JOIN assessment_evidence e ON e.assessment_id = a.id
             LEFT JOIN sources s ON s.id = e.source_id
             WHERE a.firm_id IN (SELECT value FROM json_each(?1))
               AND a.strategy_id IN (SELECT value FROM json_each(?2))
             ORDER BY a.firm_id, a.strategy_id, e.source_id",
        )?;
        let mut rows = stmt.query([ids_json, strategies_json.as_str()])?;
        while let Some(r) = rows.next()? {
            let key: (Id, Id) = (r.get(0)?, r.get(1)?);
            let source_id: Option<Id> = r.get(4)?;
            let published_on: Option<String> = r.get(5)?;
            let entry = match facts.assessments.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(AssessmentFacts {
                    stance: column_enum(r, 2)?,
                    as_of: r.get(3)?,
                    evidence: Vec::new(),
                }),
            };
            if let Some(source_id) = source_id {
                entry.evidence.push(Cited {
                    source_id,
                    published_on,
                });
            }
        }
    }

    if needs(|k| {
        matches!(
            k,
            DimensionKey::BestTpp
                | DimensionKey::Rules
                | DimensionKey::ProcessNode
                | DimensionKey::Foundries
        )
    }) {
        load_chips(conn, ids_json, &mut facts)?;
    }

    let window = [rules.window_start.as_deref(), rules.window_end.as_deref()];
    if needs(|k| *k == DimensionKey::SourceCount) {
        // Every source the firm's claims cite (the firm profile's sources):
        // evidence, its chips' sources, its listings' and its events'.
        let sql = format!(
            "WITH chosen(id) AS (SELECT value FROM json_each(?1)),
             cited(firm_id, source_id) AS (
                SELECT a.firm_id, e.source_id FROM assessments a
                  JOIN assessment_evidence e ON e.assessment_id = a.id WHERE a.firm_id IN chosen
                UNION SELECT fc.firm_id, cs.source_id FROM firm_chips fc
                  JOIN chip_sources cs ON cs.chip_id = fc.chip_id WHERE fc.firm_id IN chosen
                UNION SELECT l.firm_id, l.source_id FROM export_control_listings l
                  WHERE l.source_id IS NOT NULL AND l.firm_id IN chosen
                UNION SELECT ef.firm_id, es.source_id FROM event_firms ef
                  JOIN event_sources es ON es.event_id = ef.event_id WHERE ef.firm_id IN chosen)
             SELECT c.firm_id, count(*) FROM cited c JOIN sources s ON s.id = c.source_id
             WHERE {} GROUP BY c.firm_id",
            in_window("s.published_on")
        );
        facts.source_counts = counts(conn, &sql, ids_json, window)?;
    }
    if needs(|k| *k == DimensionKey::NoteCount) {
        // Notes count by the day they were written.
        let sql = format!(
            "SELECT l.firm_id, count(DISTINCT l.note_id) FROM note_links l JOIN notes n ON n.id = l.note_id
             WHERE l.firm_id IN (SELECT value FROM json_each(?1)) AND {} GROUP BY l.firm_id",
            in_window("substr(n.created_at, 1, 10)")
        );
        facts.note_counts = counts(conn, &sql, ids_json, window)?;
    }
    if needs(|k| *k == DimensionKey::EventCount) {
        let sql = format!(
            "SELECT ef.firm_id, count(*) FROM event_firms ef JOIN events e ON e.id = ef.event_id
             WHERE ef.firm_id IN (SELECT value FROM json_each(?1)) AND {} GROUP BY ef.firm_id",
            in_window("e.occurred_on")
        );
        facts.event_counts = counts(conn, &sql, ids_json, window)?;
    }
    Ok(facts)
}

fn ids_json_of(ids: impl Iterator<Item = Id>) -> String {
    ids_json(&ids.collect::<Vec<_>>())
}

fn counts(
    conn: &Connection,
    sql: &str,
    ids_json: &str,
    window: [Option<&str>; 2],
) -> Result<HashMap<Id, i64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(rusqlite::params![ids_json, window[0], window[1]], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Chips of each firm and its subsidiaries (the `firm_chips` view), with sources.
fn load_chips(conn: &Connection, ids_json: &str, facts: &mut Facts) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT fc.firm_id, c.id, c.name, c.process_node_nm, c.announced_on, c.peak_dense_tops,
                c.peak_bit_width, c.die_area_mm2, fo.name
         FROM firm_chips fc JOIN chips c ON c.id = fc.chip_id
         LEFT JOIN firms fo ON fo.id = c.foundry_firm_id
         WHERE fc.firm_id IN (SELECT value FROM json_each(?1))
         ORDER BY fc.firm_id, c.announced_on IS NULL, c.announced_on DESC, c.name",
    )?;
    let mut chip_rows: Vec<(Id, Id, ChipFacts)> = Vec::new();
    let mut rows = stmt.query([ids_json])?;
    while let Some(r) = rows.next()? {
        let metrics = chip_metrics(r.get(5)?, r.get(6)?, r.get(7)?);
        chip_rows.push((
            r.get(0)?,
            r.get(1)?,
            ChipFacts {
                name: r.get(2)?,
                node_nm: r.get(3)?,
                announced_on: r.get(4)?,
                tpp: metrics.tpp,
                rules: metrics.rules_met,
                undetermined: metrics.rules_undetermined,
                foundry: r.get(8)?,
                sources: Vec::new(),
            },
        ));
    }
    let chip_ids: BTreeSet<Id> = chip_rows.iter().map(|(_, chip, _)| *chip).collect();
    let mut sources: HashMap<Id, Vec<Cited>> = HashMap::new();
    if !chip_ids.is_empty() {
        let mut stmt = conn.prepare(
            "SELECT cs.chip_id, cs.source_id, s.published_on FROM chip_sources cs
             JOIN sources s ON s.id = cs.source_id
             WHERE cs.chip_id IN (SELECT value FROM json_each(?1)) ORDER BY cs.chip_id, cs.source_id",
        )?;
        let mut rows = stmt.query([ids_json_of(chip_ids.into_iter())])?;
        while let Some(r) = rows.next()? {
            sources.entry(r.get(0)?).or_default().push(Cited {
                source_id: r.get(1)?,
                published_on: r.get(2)?,
            });
        }
    }
    for (firm_id, chip_id, mut chip) in chip_rows {
        chip.sources = sources.get(&chip_id).cloned().unwrap_or_default();
        facts.chips.entry(firm_id).or_default().push(chip);
    }
    Ok(())
}

// ---- Cells --------------------------------------------------------------------

fn known(value: String) -> ComparisonCell {
    ComparisonCell {
        value,
        value_parts: None,
        detail: None,
        number: None,
        state: CellState::Known,
        as_of: None,
        sources: Vec::new(),
        stale: false,
        stance: None,
    }
}

/// A known cell whose value holds dates.
fn known_parts(parts: Vec<ValuePart>) -> ComparisonCell {
    ComparisonCell {
        value_parts: Some(parts.clone()),
        ..known(ValuePart::join(&parts))
    }
}

fn text_part(text: impl Into<String>) -> ValuePart {
    ValuePart::Text { text: text.into() }
}

fn date_part(date: &str) -> ValuePart {
    ValuePart::Date {
        date: date.to_owned(),
    }
}

fn not_recorded() -> ComparisonCell {
    ComparisonCell {
        state: CellState::NotRecorded,
        ..known(NOT_RECORDED.into())
    }
}

fn not_applicable() -> ComparisonCell {
    ComparisonCell {
        state: CellState::NotApplicable,
        ..known(NOT_APPLICABLE.into())
    }
}

fn number_cell(number: f64) -> ComparisonCell {
    ComparisonCell {
        number: Some(number),
        ..known(format_number(number))
    }
}

/// 4992 → "4992", 2.5 → "2.5", 1.234 → "1.23".
pub(crate) fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        let text = format!("{number:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Source ids in order, once each.
fn source_ids<'a>(cited: impl Iterator<Item = &'a Cited>) -> Vec<Id> {
    let mut ids: Vec<Id> = Vec::new();
    for c in cited {
        if !ids.contains(&c.source_id) {
            ids.push(c.source_id);
        }
    }
    ids
}

fn newest<'a>(dates: impl Iterator<Item = Option<&'a String>>) -> Option<String> {
    dates.flatten().max().cloned()
}

fn cell(firm: &FirmFacts, key: DimensionKey, facts: &Facts) -> ComparisonCell {
    let id = firm.firm.id;
    let chips = facts.chips.get(&id).map(Vec::as_slice).unwrap_or_default();
    match key {
        DimensionKey::Country => match &firm.country {
            Some(country) => known(country.clone()),
            None => not_recorded(),
        },
        DimensionKey::Parent => match &firm.parent {
            Some(parent) => known(parent.clone()),
            None => not_applicable(),
        },
        DimensionKey::Listings => {
            let listings = facts
                .listings
                .get(&id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if listings.is_empty() {
                // No listing in the workspace says nothing of the lists themselves.
                return not_recorded();
            }
            // "Entity List (2019-05-16); UVL"
            let mut parts = Vec::new();
            for (i, l) in listings.iter().enumerate() {
                if i > 0 {
                    parts.push(text_part("; "));
                }
                // "Entity List (2019-10-09, removed 2026-11-15)"
                match (&l.listed_on, &l.removed_on) {
                    (Some(date), None) => parts.extend([
                        text_part(format!("{} (", l.list_name)),
                        date_part(date),
                        text_part(")"),
                    ]),
                    (Some(date), Some(removed)) => parts.extend([
                        text_part(format!("{} (", l.list_name)),
                        date_part(date),
                        text_part(", removed "),
                        date_part(removed),
                        text_part(")"),
                    ]),
                    (None, Some(removed)) => parts.extend([
                        text_part(format!("{} (removed ", l.list_name)),
                        date_part(removed),
                        text_part(")"),
                    ]),
                    (None, None) => parts.push(text_part(l.list_name.clone())),
                }
            }
            ComparisonCell {
                as_of: newest(listings.iter().map(|l| l.listed_on.as_ref())),
                sources: source_ids(listings.iter().filter_map(|l| l.source.as_ref())),
                ..known_parts(parts)
            }
        }
        DimensionKey::Stance(strategy) => match facts.assessments.get(&(id, strategy)) {
            Some(a) => ComparisonCell {
                as_of: a.as_of.clone(),
                sources: source_ids(a.evidence.iter()),
                stance: Some(a.stance),
                ..known(stance_label(a.stance).into())
            },
            None => not_recorded(),
        },
        DimensionKey::Evidence(strategy) => match facts.assessments.get(&(id, strategy)) {
            Some(a) => ComparisonCell {
                as_of: a.as_of.clone(),
                sources: source_ids(a.evidence.iter()),
                ..number_cell(a.evidence.len() as f64)
            },
            None => not_applicable(),
        },
        DimensionKey::NewestEvidence(strategy) => match facts.assessments.get(&(id, strategy)) {
            Some(a) => match newest(a.evidence.iter().map(|e| e.published_on.as_ref())) {
                Some(date) => ComparisonCell {
                    sources: source_ids(
                        a.evidence
                            .iter()
                            .filter(|e| e.published_on.as_ref() == Some(&date)),
                    ),
                    as_of: Some(date.clone()),
                    ..known_parts(vec![date_part(&date)])
                },
                None => ComparisonCell {
                    sources: source_ids(a.evidence.iter()),
                    ..not_recorded()
                },
            },
            None => not_applicable(),
        },
        DimensionKey::BestTpp => {
            if chips.is_empty() {
                return not_applicable();
            }
            let best = chips.iter().filter(|c| c.tpp.is_some()).max_by(|a, b| {
                a.tpp
                    .unwrap_or_default()
                    .total_cmp(&b.tpp.unwrap_or_default())
            });
            match best {
                Some(chip) => ComparisonCell {
                    detail: Some(chip.name.clone()),
                    as_of: chip.announced_on.clone(),
                    sources: source_ids(chip.sources.iter()),
                    ..number_cell(chip.tpp.unwrap_or_default())
                },
                None => not_recorded(),
            }
        }
        DimensionKey::Rules => {
            if chips.is_empty() {
                return not_applicable();
            }
            let rated: Vec<&ChipFacts> = chips.iter().filter(|c| c.tpp.is_some()).collect();
            if rated.is_empty() {
                return not_recorded();
            }
            let meeting: Vec<&ChipFacts> = rated
                .iter()
                .copied()
                .filter(|c| !c.rules.is_empty())
                .collect();
            let backing = if meeting.is_empty() { &rated } else { &meeting };
            let met: Vec<&str> = [RULE_A1, RULE_A2, RULE_B1, RULE_B2]
                .into_iter()
                .filter(|rule| meeting.iter().any(|c| c.rules.iter().any(|r| r == rule)))
                .collect();
            // Paragraphs some chip cannot decide, and none of the chips meets.
            let undecided: Vec<&ChipFacts> = rated
                .iter()
                .copied()
                .filter(|c| c.undetermined.iter().any(|r| !met.contains(&r.as_str())))
                .collect();
            let undetermined: Vec<String> = [RULE_A2, RULE_B1, RULE_B2]
                .into_iter()
                .filter(|rule| !met.contains(rule))
                .filter(|rule| {
                    undecided
                        .iter()
                        .any(|c| c.undetermined.iter().any(|r| r == rule))
                })
                .map(String::from)
                .collect();
            let met: Vec<String> = met.into_iter().map(String::from).collect();
            let value = crate::metrics::summary(true, &met, &undetermined);
            let detail = match (meeting.is_empty(), undecided.is_empty()) {
                (false, _) => Some(chip_names(&meeting)),
                (true, false) => Some(format!("{} ({UNDETERMINED_WHY})", chip_names(&undecided))),
                (true, true) => None,
            };
            ComparisonCell {
                detail,
                as_of: newest(backing.iter().map(|c| c.announced_on.as_ref())),
                sources: source_ids(backing.iter().flat_map(|c| c.sources.iter())),
                ..known(value)
            }
        }
        DimensionKey::ProcessNode => {
            if chips.is_empty() {
                return not_applicable();
            }
            let smallest = chips
                .iter()
                .filter_map(|c| c.node_nm)
                .min_by(f64::total_cmp);
            match smallest {
                Some(node) => {
                    let at_node: Vec<&ChipFacts> =
                        chips.iter().filter(|c| c.node_nm == Some(node)).collect();
                    ComparisonCell {
                        detail: Some(chip_names(&at_node)),
                        as_of: newest(at_node.iter().map(|c| c.announced_on.as_ref())),
                        sources: source_ids(at_node.iter().flat_map(|c| c.sources.iter())),
                        ..number_cell(node)
                    }
                }
                None => not_recorded(),
            }
        }
        DimensionKey::Foundries => {
            if chips.is_empty() {
                return not_applicable();
            }
            let made: Vec<&ChipFacts> = chips.iter().filter(|c| c.foundry.is_some()).collect();
            if made.is_empty() {
                return not_recorded();
            }
            let names: BTreeSet<&str> = made.iter().filter_map(|c| c.foundry.as_deref()).collect();
            ComparisonCell {
                as_of: newest(made.iter().map(|c| c.announced_on.as_ref())),
                sources: source_ids(made.iter().flat_map(|c| c.sources.iter())),
                ..known(names.into_iter().collect::<Vec<_>>().join(", "))
            }
        }
        DimensionKey::SourceCount => {
            number_cell(facts.source_counts.get(&id).copied().unwrap_or(0) as f64)
        }
        DimensionKey::NoteCount => {
            number_cell(facts.note_counts.get(&id).copied().unwrap_or(0) as f64)
        }
        DimensionKey::EventCount => {
            number_cell(facts.event_counts.get(&id).copied().unwrap_or(0) as f64)
        }
    }
}

/// "Ascend 910B" or "Ascend 910B, Ascend 910C" or "A, B, C +2".
fn chip_names(chips: &[&ChipFacts]) -> String {
    let mut names: Vec<&str> = chips.iter().map(|c| c.name.as_str()).collect();
    names.dedup();
    if names.len() > 3 {
        format!("{} +{}", names[..3].join(", "), names.len() - 3)
    } else {
        names.join(", ")
    }
}

/// A known cell whose newest evidence (the newest publication date among its
/// sources, else the claim's own date) may predate the cutoff: its first
/// possible day is before it. Cells without any date cannot be judged.
fn is_stale(
    cell: &ComparisonCell,
    key: DimensionKey,
    facts: &Facts,
    firm_id: Id,
    rules: &Rules,
) -> bool {
    let Some(cutoff) = &rules.stale_cutoff else {
        return false;
    };
    if cell.state != CellState::Known || cell.sources.is_empty() && cell.as_of.is_none() {
        return false;
    }
    if matches!(
        key,
        DimensionKey::Country
            | DimensionKey::Parent
            | DimensionKey::SourceCount
            | DimensionKey::NoteCount
            | DimensionKey::EventCount
    ) {
        return false;
    }
    let published = published_dates(key, facts, firm_id, &cell.sources);
    let evidence = published.or_else(|| cell.as_of.clone());
    match evidence {
        Some(date) => first_day(&date) < *cutoff,
        None => false,
    }
}

/// The newest publication date among `sources` as this cell's facts hold them.
fn published_dates(
    key: DimensionKey,
    facts: &Facts,
    firm_id: Id,
    sources: &[Id],
) -> Option<String> {
    let wanted = |c: &&Cited| sources.contains(&c.source_id);
    match key {
        DimensionKey::Stance(s) | DimensionKey::Evidence(s) | DimensionKey::NewestEvidence(s) => {
            facts.assessments.get(&(firm_id, s)).and_then(|a| {
                newest(
                    a.evidence
                        .iter()
                        .filter(wanted)
                        .map(|c| c.published_on.as_ref()),
                )
            })
        }
        DimensionKey::Listings => facts.listings.get(&firm_id).and_then(|ls| {
            newest(
                ls.iter()
                    .filter_map(|l| l.source.as_ref())
                    .filter(wanted)
                    .map(|c| c.published_on.as_ref()),
            )
        }),
        _ => facts.chips.get(&firm_id).and_then(|chips| {
            newest(
                chips
                    .iter()
                    .flat_map(|c| c.sources.iter())
                    .filter(wanted)
                    .map(|c| c.published_on.as_ref()),
            )
        }),
    }
}
