//! Strategies: the ways a firm can respond to the curbs.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{Editing, Id, Strategy, StrategyDraft};
use crate::store::Store;
use crate::text::sql_limit;
use crate::validate::{self, next_revision, required_revision};

/// All strategies in the order they were added (the four seeded ones first).
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Strategy>> {
    let mut stmt = store
        .conn()
        .prepare("SELECT id, name, description FROM strategies ORDER BY id LIMIT ?1")?;
    let rows = stmt.query_map([sql_limit(limit)], |row| {
        Ok(Strategy {
            id: row.get(0)?,
            name: row.get(1)?,
            description: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A strategy as its form edits it.
pub fn load_draft(store: &Store, strategy_id: Id) -> Result<Editing<StrategyDraft>> {
    store.read(|conn| load_draft_in(conn, strategy_id))
}

fn load_draft_in(conn: &Connection, strategy_id: Id) -> Result<Editing<StrategyDraft>> {
    conn.query_row(
        "SELECT id, revision, name, description FROM strategies WHERE id = ?1",
        [strategy_id],
        |row| {
            Ok(Editing {
                id: row.get(0)?,
                revision: row.get(1)?,
                draft: StrategyDraft {
                    name: row.get(2)?,
                    description: row.get(3)?,
                },
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound {
        entity: "strategy",
        id: strategy_id,
    })
}

/// Creates or updates a strategy; names are unique ignoring case.
pub fn save(
    store: &mut Store,
    strategy_id: Option<Id>,
    revision: Option<i64>,
    draft: &StrategyDraft,
) -> Result<Editing<StrategyDraft>> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = strategy_id {
            next_revision(
                tx,
                "strategies",
                "strategy",
                id,
                required_revision(revision)?,
            )?;
        }
        let name = validate::required("name", &draft.name)?;
        let description = validate::text("description", &draft.description)?;
        let taken: Option<String> = tx
            .query_row(
                "SELECT name FROM strategies WHERE name = ?1 AND id IS NOT ?2",
                params![name, strategy_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(existing) = taken {
            return Err(Error::invalid(
                "name",
                format!("a strategy called '{existing}' exists already; choose another name"),
            ));
        }
        let id = match strategy_id {
            Some(id) => {
                tx.execute(
                    "UPDATE strategies SET name = ?2, description = ?3 WHERE id = ?1",
                    params![id, name, description],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO strategies (name, description) VALUES (?1, ?2)",
                    params![name, description],
                )?;
                tx.last_insert_rowid()
            }
        };
        load_draft_in(tx, id)
    })
}

/// The strategy `text` names: its name (ignoring case), else its id. A text
/// that names none is invalid input for `field`, listing the strategies.
pub fn resolve(store: &Store, field: &str, text: &str) -> Result<Id> {
    store.read(|conn| {
        let name = text.trim();
        let by_name: Option<Id> = conn
            .query_row(
                "SELECT id FROM strategies WHERE name = ?1 COLLATE NOCASE",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = by_name {
            return Ok(id);
        }
        if let Ok(id) = name.trim_start_matches('#').parse::<Id>() {
            let exists: Option<Id> = conn
                .query_row("SELECT id FROM strategies WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(id) = exists {
                return Ok(id);
            }
        }
        let mut stmt = conn.prepare("SELECT name FROM strategies ORDER BY id")?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Err(Error::invalid(
            field,
            format!(
                "no strategy is called '{name}'; the strategies are: {}",
                names.join(", ")
            ),
        ))
    })
}
