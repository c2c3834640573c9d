//! Dated events on the timeline.

use rusqlite::{params, Connection, OptionalExtension, ToSql};

use crate::date;
use crate::error::{Error, Result};
use crate::firm_refs::query_firm_refs;
use crate::model::{Editing, Event, EventDraft, Id};
use crate::relations;
use crate::store::Store;
use crate::text::{column_enum, enum_text, id_list, sql_limit};
use crate::validate::{self, next_revision, required_revision};

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

// ---- The event form ----------------------------------------------------------

/// An event as its form edits it.
pub fn load_draft(store: &Store, event_id: Id) -> Result<Editing<EventDraft>> {
    store.read(|conn| load_draft_in(conn, event_id))
}

fn load_draft_in(conn: &Connection, event_id: Id) -> Result<Editing<EventDraft>> {
    let mut editing = conn
        .query_row(
            "SELECT id, revision, occurred_on, kind, title, description FROM events WHERE id = ?1",
            [event_id],
            |row| {
                Ok(Editing {
                    id: row.get(0)?,
                    revision: row.get(1)?,
                    draft: EventDraft {
                        occurred_on: row.get(2)?,
                        kind: column_enum(row, 3)?,
                        title: row.get(4)?,
                        description: row.get(5)?,
                        firm_ids: Vec::new(),
                        source_ids: Vec::new(),
                    },
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "event",
            id: event_id,
        })?;
    editing.draft.firm_ids =
        relations::ids_of(conn, "event_firms", "event_id", event_id, "firm_id")?;
    editing.draft.source_ids =
        relations::ids_of(conn, "event_sources", "event_id", event_id, "source_id")?;
    Ok(editing)
}

/// Creates or updates an event with its firms and sources.
pub fn save(
    store: &mut Store,
    event_id: Option<Id>,
    revision: Option<i64>,
    draft: &EventDraft,
) -> Result<Editing<EventDraft>> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = event_id {
            next_revision(tx, "events", "event", id, required_revision(revision)?)?;
        }
        let occurred_on = date::OCCURRED_ON.read_required(&draft.occurred_on)?;
        let title = validate::required("title", &draft.title)?;
        let description = validate::text("description", &draft.description)?;
        let firm_ids = validate::existing_ids(tx, "firmIds", "firms", "firm", &draft.firm_ids)?;
        let source_ids = validate::existing_ids(tx, "sourceIds", "sources", "source", &draft.source_ids)?;
        let id = match event_id {
            Some(id) => {
                tx.execute(
                    "UPDATE events SET occurred_on = ?2, kind = ?3, title = ?4, description = ?5 WHERE id = ?1",
                    params![id, occurred_on, enum_text(&draft.kind), title, description],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO events (occurred_on, kind, title, description) VALUES (?1, ?2, ?3, ?4)",
                    params![occurred_on, enum_text(&draft.kind), title, description],
                )?;
                tx.last_insert_rowid()
            }
        };
        relations::replace(tx, "event_firms", "event_id", id, "firm_id", &firm_ids)?;
        relations::replace(tx, "event_sources", "event_id", id, "source_id", &source_ids)?;
        load_draft_in(tx, id)
    })
}
