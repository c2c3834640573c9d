//! A firm's profile page: its record, subsidiaries, chips, assessments,
//! events, notes and every source they cite. It composes the entity modules
//! (firms, chips, events, sources, notes) from above, so none of them needs
//! another.

use rusqlite::Connection;

use crate::error::Result;
use crate::firm_refs::query_firm_refs;
use crate::links::{EntityRef, LinkKind};
use crate::model::{Assessment, Firm, FirmProfile, Id, Source};
use crate::notes::NoteMention;
use crate::store::Store;
use crate::text::{column_enum, id_list};

/// The profile of one firm: its record, subsidiaries, chips (its own and its
/// subsidiaries'), assessments, events, notes, and every source those cite.
/// One read transaction, so the parts agree even while another window writes.
pub fn load_profile(store: &Store, firm_id: Id) -> Result<FirmProfile> {
    store.read(|conn| load_profile_in(conn, firm_id))
}

fn load_profile_in(conn: &Connection, firm_id: Id) -> Result<FirmProfile> {
    let firm = crate::firms::load(conn, firm_id)?;
    let subsidiaries = query_firm_refs(
        conn,
        "SELECT id, name, native_name FROM firms WHERE parent_firm_id = ?1 ORDER BY name",
        firm_id,
    )?;
    let chips = crate::chips::for_firm(conn, firm_id)?;
    let assessments = load_assessments(conn, firm_id)?;
    let events = crate::events::for_firm(conn, firm_id)?;
    let notes = load_notes(conn, &firm)?;

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

/// The notes linking to the firm, most recently changed first, each as the
/// text around its mention.
fn load_notes(conn: &Connection, firm: &Firm) -> Result<Vec<NoteMention>> {
    let mut stmt = conn.prepare(
        "SELECT n.id FROM notes n JOIN note_links l ON l.note_id = n.id WHERE l.firm_id = ?1 ORDER BY n.updated_at DESC, n.id",
    )?;
    let ids = stmt
        .query_map([firm.id], |row| row.get::<_, Id>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let target = EntityRef {
        kind: LinkKind::Firm,
        id: firm.id,
    };
    let names: Vec<&str> = std::iter::once(firm.name.as_str())
        .chain(firm.native_name.as_deref())
        .chain(firm.aliases.iter().map(String::as_str))
        .collect();
    ids.into_iter()
        .map(|id| crate::notes::mention_in(conn, id, target, &names))
        .collect()
}
