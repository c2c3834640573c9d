//! Chips with their derived 3A090 figures.

use rusqlite::{Connection, ToSql};

use crate::error::Result;
use crate::firms::firm_ref_at;
use crate::metrics::chip_metrics;
use crate::model::{Chip, FirmRef, Id};
use crate::store::Store;
use crate::text::{id_list, parse_enum, sql_limit};

const SELECT_CHIPS: &str = "SELECT c.id, d.id, d.name, d.native_name, c.name, c.purpose, c.process_node_nm,
        fo.id, fo.name, fo.native_name, c.announced_on, c.peak_dense_tops, c.peak_bit_width, c.die_area_mm2,
        c.memory_gb, c.tdp_w, c.notes,
        (SELECT group_concat(source_id, ',') FROM (SELECT source_id FROM chip_sources WHERE chip_id = c.id ORDER BY source_id))
     FROM chips c
     JOIN firms d ON d.id = c.firm_id
     LEFT JOIN firms fo ON fo.id = c.foundry_firm_id";

/// Newest first; undated chips last.
const ORDER_CHIPS: &str = "ORDER BY c.announced_on IS NULL, c.announced_on DESC, c.name";

/// All chips, newest first.
pub fn list(store: &Store, limit: Option<usize>) -> Result<Vec<Chip>> {
    query(
        store.conn(),
        &format!("{SELECT_CHIPS} {ORDER_CHIPS} LIMIT ?1"),
        &[&sql_limit(limit)],
    )
}

/// Chips designed by the firm or by its subsidiaries (the `firm_chips` view).
pub(crate) fn for_firm(conn: &Connection, firm_id: Id) -> Result<Vec<Chip>> {
    query(
        conn,
        &format!("{SELECT_CHIPS} WHERE c.id IN (SELECT chip_id FROM firm_chips WHERE firm_id = ?1) {ORDER_CHIPS}"),
        &[&firm_id],
    )
}

fn query(conn: &Connection, sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Chip>> {
    let mut stmt = conn.prepare(sql)?;
    let chips = stmt.query_map(params, |row| {
        let peak_dense_tops = row.get(11)?;
        let peak_bit_width = row.get(12)?;
        let die_area_mm2 = row.get(13)?;
        Ok(Chip {
            id: row.get(0)?,
            firm: FirmRef {
                id: row.get(1)?,
                name: row.get(2)?,
                native_name: row.get(3)?,
            },
            name: row.get(4)?,
            purpose: row
                .get::<_, Option<String>>(5)?
                .and_then(|p| parse_enum(&p)),
            process_node_nm: row.get(6)?,
            foundry: firm_ref_at(row, 7)?,
            announced_on: row.get(10)?,
            peak_dense_tops,
            peak_bit_width,
            die_area_mm2,
            memory_gb: row.get(14)?,
            tdp_w: row.get(15)?,
            notes: row.get(16)?,
            metrics: chip_metrics(peak_dense_tops, peak_bit_width, die_area_mm2),
            source_ids: id_list(row.get(17)?),
        })
    })?;
    Ok(chips.collect::<rusqlite::Result<_>>()?)
}
