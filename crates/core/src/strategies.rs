//! Strategies: the ways a firm can respond to the curbs.

use crate::error::Result;
use crate::model::Strategy;
use crate::store::Store;
use crate::text::sql_limit;

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
