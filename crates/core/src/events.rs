//! Dated events on the timeline.

use rusqlite::{Connection, ToSql};

use crate::error::Result;
use crate::firms::query_firm_refs;
use crate::model::{Event, Id};
use crate::store::Store;
use crate::text::{column_enum, id_list, sql_limit};

const SELECT_EVENTS: &str = "SELECT e.id, e.occurred_on, e.kind, e.title, e.description,
        (SELECT group_concat(source_id, ',') FROM (SELECT source_id FROM event_sources WHERE event_id = e.id ORDER BY source_id))
     FROM events e";

/// All events, oldest first (partial dates sort before full ones in the same period).
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Event>> {
    query(
        store.conn(),
        &format!("{SELECT_EVENTS} ORDER BY e.occurred_on, e.id LIMIT ?1"),
        &[&sql_limit(limit)],
    )
}

pub(crate) fn for_firm(conn: &Connection, firm_id: Id) -> Result<Vec<Event>> {
    query(
        conn,
        &format!("{SELECT_EVENTS} WHERE e.id IN (SELECT event_id FROM event_firms WHERE firm_id = ?1) ORDER BY e.occurred_on, e.id"),
        &[&firm_id],
    )
}

fn query(conn: &Connection, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, |row| {
        Ok(Event {
            id: row.get(0)?,
            occurred_on: row.get(1)?,
            kind: column_enum(row, 2)?,
            title: row.get(3)?,
            description: row.get(4)?,
            firms: Vec::new(),
            source_ids: id_list(row.get(5)?),
        })
    })?;
    let mut events: Vec<Event> = rows.collect::<rusqlite::Result<_>>()?;
    for event in &mut events {
        event.firms = query_firm_refs(
            conn,
            "SELECT f.id, f.name, f.native_name FROM firms f JOIN event_firms ef ON ef.firm_id = f.id
             WHERE ef.event_id = ?1 ORDER BY f.name",
            event.id,
        )?;
    }
    Ok(events)
}
