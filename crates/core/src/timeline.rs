//! The timeline: events, chip announcements and export-control listings on one
//! time axis, so a firm's moves read against the rule changes around them.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::firm_refs::query_firm_refs;
use crate::model::{EventKind, FirmRef, Id};
use crate::store::Store;
use crate::text::{column_enum, id_list};

/// What a timeline entry was made from, and so what opens when it is clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimelineOrigin {
    Event,
    /// A chip's announcement date.
    Chip,
    /// A firm's export-control listing date.
    Listing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    /// Partial date: "2019", "2019-05" or "2019-05-16".
    pub date: String,
    /// Chips count as launches and listings as listings, so one filter serves all.
    pub kind: EventKind,
    pub origin: TimelineOrigin,
    /// The event, chip or firm id, by `origin`.
    pub id: Id,
    pub title: String,
    pub firms: Vec<FirmRef>,
    pub source_ids: Vec<Id>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineQuery {
    /// Only this firm's entries (with its subsidiaries'), plus every regulation.
    pub firm_id: Option<Id>,
    /// Only these kinds; empty means all.
    pub kinds: Vec<EventKind>,
}

/// One page of the timeline: what the screen shows at a time, so a workspace
/// with thousands of events never puts them all in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePage {
    /// Entries `offset` to `offset + limit`, oldest first.
    pub entries: Vec<TimelineEntry>,
    /// Where this page starts among all the entries the query matches.
    pub offset: u32,
    /// Every entry the query matches, on all pages.
    pub total: u32,
    /// Of them: events, chip announcements, listings.
    pub events: u32,
    pub chips: u32,
    pub listings: u32,
    /// Each year with entries, and where its first entry is, to jump to it.
    pub years: Vec<TimelineYear>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineYear {
    pub year: String,
    /// The index of its first entry among all the entries.
    pub first: u32,
}

/// The most entries one page holds.
pub const MAX_PAGE_ENTRIES: u32 = 500;

/// The entries from `offset` (at most `limit`, up to [`MAX_PAGE_ENTRIES`]),
/// with the counts and years of all of them.
pub fn page(store: &Store, query: &TimelineQuery, offset: u32, limit: u32) -> Result<TimelinePage> {
    let all = entries(store, query)?;
    let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
    let count = |origin: TimelineOrigin| {
        u32::try_from(all.iter().filter(|e| e.origin == origin).count()).unwrap_or(u32::MAX)
    };
    let mut years: Vec<TimelineYear> = Vec::new();
    for (index, entry) in all.iter().enumerate() {
        let year = entry.date.get(..4).unwrap_or(&entry.date);
        if years.last().is_none_or(|last| last.year != year) {
            years.push(TimelineYear {
                year: year.to_owned(),
                first: u32::try_from(index).unwrap_or(u32::MAX),
            });
        }
    }
    let offset = offset.min(total);
    let limit = limit.clamp(1, MAX_PAGE_ENTRIES);
    Ok(TimelinePage {
        events: count(TimelineOrigin::Event),
        chips: count(TimelineOrigin::Chip),
        listings: count(TimelineOrigin::Listing),
        entries: all
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .collect(),
        offset,
        total,
        years,
    })
}

/// Every dated entry matching `query`, oldest first; a less precise date comes
/// first within its period (2023 before 2023-10 before 2023-10-17).
pub fn entries(store: &Store, query: &TimelineQuery) -> Result<Vec<TimelineEntry>> {
    store.read(|conn| {
        let mut all = events(conn)?;
        // A chip announcement or a listing that an event already records (same
        // kind, same date, a shared firm) would show twice: the event wins.
        let derived = chip_announcements(conn)?
            .into_iter()
            .chain(listings(conn)?)
            .filter(|d| !all.iter().any(|e| records_the_same(e, d)))
            .collect::<Vec<_>>();
        all.extend(derived);
        let family = match query.firm_id {
            Some(id) => Some(firm_family(conn, id)?),
            None => None,
        };
        all.retain(|entry| {
            let kind_ok = query.kinds.is_empty() || query.kinds.contains(&entry.kind);
            let firm_ok = family.as_ref().is_none_or(|ids| {
                entry.kind == EventKind::Regulation
                    || entry.firms.iter().any(|f| ids.contains(&f.id))
            });
            kind_ok && firm_ok
        });
        all.sort_by(|a, b| a.date.cmp(&b.date).then(a.title.cmp(&b.title)));
        Ok(all)
    })
}

fn records_the_same(event: &TimelineEntry, derived: &TimelineEntry) -> bool {
    event.kind == derived.kind
        && event.date == derived.date
        && event
            .firms
            .iter()
            .any(|f| derived.firms.iter().any(|d| d.id == f.id))
}

/// The firm and its subsidiaries: a parent's timeline includes its subsidiaries' moves.
fn firm_family(conn: &Connection, firm_id: Id) -> Result<Vec<Id>> {
    let mut ids = vec![firm_id];
    ids.extend(
        query_firm_refs(
            conn,
            "SELECT id, name, native_name FROM firms WHERE parent_firm_id = ?1",
            firm_id,
        )?
        .into_iter()
        .map(|f| f.id),
    );
    Ok(ids)
}

fn events(conn: &Connection) -> Result<Vec<TimelineEntry>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.occurred_on, e.kind, e.title,
                (SELECT group_concat(source_id, ',') FROM event_sources WHERE event_id = e.id)
         FROM events e",
    )?;
    let rows = stmt
        .query_map([], |row| {
            Ok(TimelineEntry {
                id: row.get(0)?,
                date: row.get(1)?,
                kind: column_enum(row, 2)?,
                origin: TimelineOrigin::Event,
                title: row.get(3)?,
                firms: Vec::new(),
                source_ids: id_list(row.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|mut entry| {
            entry.firms = query_firm_refs(
                conn,
                "SELECT f.id, f.name, f.native_name FROM event_firms ef JOIN firms f ON f.id = ef.firm_id
                 WHERE ef.event_id = ?1 ORDER BY f.name",
                entry.id,
            )?;
            Ok(entry)
        })
        .collect()
}

fn chip_announcements(conn: &Connection) -> Result<Vec<TimelineEntry>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.announced_on, c.name, f.id, f.name, f.native_name,
                (SELECT group_concat(source_id, ',') FROM chip_sources WHERE chip_id = c.id)
         FROM chips c JOIN firms f ON f.id = c.firm_id WHERE c.announced_on IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(TimelineEntry {
            id: row.get(0)?,
            date: row.get(1)?,
            kind: EventKind::Launch,
            origin: TimelineOrigin::Chip,
            title: format!("{} announced", row.get::<_, String>(2)?),
            firms: vec![FirmRef {
                id: row.get(3)?,
                name: row.get(4)?,
                native_name: row.get(5)?,
            }],
            source_ids: id_list(row.get(6)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn listings(conn: &Connection) -> Result<Vec<TimelineEntry>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, l.listed_on, l.list_name, f.name, f.native_name, l.source_id
         FROM export_control_listings l JOIN firms f ON f.id = l.firm_id WHERE l.listed_on IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |row| {
        let name: String = row.get(3)?;
        Ok(TimelineEntry {
            id: row.get(0)?,
            date: row.get(1)?,
            kind: EventKind::Listing,
            origin: TimelineOrigin::Listing,
            title: format!("{name} added to the {}", row.get::<_, String>(2)?),
            firms: vec![FirmRef {
                id: row.get(0)?,
                name,
                native_name: row.get(4)?,
            }],
            source_ids: row.get::<_, Option<Id>>(5)?.into_iter().collect(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
