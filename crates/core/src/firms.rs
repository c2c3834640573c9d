//! Firms: the list and the profile page with everything linked to a firm.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{
    Assessment, Firm, FirmProfile, FirmRef, FirmSummary, Id, Listing, Note, Source,
};
use crate::store::Store;
use crate::text::{column_enum, id_list, sql_limit};

/// All firms by name (case-insensitive), with counts for the list view.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<FirmSummary>> {
    let sql = "SELECT f.id, f.name, f.native_name, f.kind, f.country, p.id, p.name, p.native_name,
                      (SELECT count(*) FROM firm_chips fc WHERE fc.firm_id = f.id),
                      (SELECT count(*) FROM assessments a WHERE a.firm_id = f.id),
                      (SELECT count(*) FROM export_control_listings l WHERE l.firm_id = f.id)
               FROM firms f LEFT JOIN firms p ON p.id = f.parent_firm_id
               ORDER BY f.name COLLATE NOCASE, f.id LIMIT ?1";
    let mut stmt = store.conn().prepare(sql)?;
    let rows = stmt.query_map([sql_limit(limit)], |row| {
        Ok(FirmSummary {
            id: row.get(0)?,
            name: row.get(1)?,
            native_name: row.get(2)?,
            kind: column_enum(row, 3)?,
            country: row.get(4)?,
            parent: firm_ref_at(row, 5)?,
            chip_count: row.get(8)?,
            assessment_count: row.get(9)?,
            listing_count: row.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The profile of one firm: its record, subsidiaries, chips (its own and its
/// subsidiaries'), assessments, events, notes, and every source those cite.
/// One read transaction, so the parts agree even while another window writes.
pub fn load_profile(store: &Store, firm_id: Id) -> Result<FirmProfile> {
    store.read(|conn| load_profile_in(conn, firm_id))
}

fn load_profile_in(conn: &Connection, firm_id: Id) -> Result<FirmProfile> {
    let firm = load(conn, firm_id)?;
    let subsidiaries = query_firm_refs(
        conn,
        "SELECT id, name, native_name FROM firms WHERE parent_firm_id = ?1 ORDER BY name",
        firm_id,
    )?;
    let chips = crate::chips::for_firm(conn, firm_id)?;
    let assessments = load_assessments(conn, firm_id)?;
    let events = crate::events::for_firm(conn, firm_id)?;
    let notes = load_notes(conn, firm_id)?;

    let mut cited: Vec<Id> = firm
        .listings
        .iter()
        .flat_map(|l| l.source_ids.iter())
        .copied()
        .collect();
    cited.extend(chips.iter().flat_map(|c| c.source_ids.iter()));
    cited.extend(assessments.iter().flat_map(|a| a.source_ids.iter()));
    cited.extend(events.iter().flat_map(|e| e.source_ids.iter()));
    cited.sort_unstable();
    cited.dedup();
    let sources = cited
        .into_iter()
        .map(|id| crate::sources::load(conn, id))
        .collect::<Result<Vec<Source>>>()?;

    Ok(FirmProfile {
        firm,
        subsidiaries,
        chips,
        assessments,
        events,
        sources,
        notes,
    })
}

fn load(conn: &Connection, firm_id: Id) -> Result<Firm> {
    let firm = conn
        .query_row(
            "SELECT f.id, f.name, f.native_name, f.kind, f.country, p.id, p.name, p.native_name, f.website, f.summary
             FROM firms f LEFT JOIN firms p ON p.id = f.parent_firm_id WHERE f.id = ?1",
            [firm_id],
            |row| {
                Ok(Firm {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    native_name: row.get(2)?,
                    aliases: Vec::new(),
                    kind: column_enum(row, 3)?,
                    country: row.get(4)?,
                    parent: firm_ref_at(row, 5)?,
                    website: row.get(8)?,
                    summary: row.get(9)?,
                    listings: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut firm = firm.ok_or(Error::NotFound {
        entity: "firm",
        id: firm_id,
    })?;

    let mut stmt =
        conn.prepare("SELECT alias FROM firm_aliases WHERE firm_id = ?1 ORDER BY alias")?;
    firm.aliases = stmt
        .query_map([firm_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;

    let mut stmt = conn.prepare(
        "SELECT id, list_name, listed_on, citation, source_id FROM export_control_listings
         WHERE firm_id = ?1 ORDER BY listed_on, id",
    )?;
    firm.listings = stmt
        .query_map([firm_id], |row| {
            Ok(Listing {
                id: row.get(0)?,
                list_name: row.get(1)?,
                listed_on: row.get(2)?,
                citation: row.get(3)?,
                source_ids: row.get::<_, Option<Id>>(4)?.into_iter().collect(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(firm)
}

fn load_assessments(conn: &Connection, firm_id: Id) -> Result<Vec<Assessment>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, s.id, s.name, a.stance, a.summary, a.as_of,
                (SELECT group_concat(source_id, ',') FROM (SELECT source_id FROM assessment_evidence WHERE assessment_id = a.id ORDER BY source_id))
         FROM assessments a JOIN strategies s ON s.id = a.strategy_id
         WHERE a.firm_id = ?1 ORDER BY s.id",
    )?;
    let rows = stmt.query_map([firm_id], |row| {
        Ok(Assessment {
            id: row.get(0)?,
            strategy_id: row.get(1)?,
            strategy_name: row.get(2)?,
            stance: column_enum(row, 3)?,
            summary: row.get(4)?,
            as_of: row.get(5)?,
            source_ids: id_list(row.get(6)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_notes(conn: &Connection, firm_id: Id) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare(
        "SELECT n.id FROM notes n JOIN note_links l ON l.note_id = n.id WHERE l.firm_id = ?1 ORDER BY n.updated_at DESC, n.id",
    )?;
    let ids = stmt
        .query_map([firm_id], |row| row.get::<_, Id>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.into_iter()
        .map(|id| crate::notes::load(conn, id))
        .collect()
}

pub(crate) fn query_firm_refs(conn: &Connection, sql: &str, id: Id) -> Result<Vec<FirmRef>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params![id], |row| {
        Ok(FirmRef {
            id: row.get(0)?,
            name: row.get(1)?,
            native_name: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A nullable firm reference from three columns starting at `start` (id, name, native name).
pub(crate) fn firm_ref_at(
    row: &rusqlite::Row<'_>,
    start: usize,
) -> rusqlite::Result<Option<FirmRef>> {
    let id: Option<Id> = row.get(start)?;
    match id {
        Some(id) => Ok(Some(FirmRef {
            id,
            name: row.get(start + 1)?,
            native_name: row.get(start + 2)?,
        })),
        None => Ok(None),
    }
}
