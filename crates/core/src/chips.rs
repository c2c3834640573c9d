//! Chips with their derived 3A090 figures.

use rusqlite::{params, Connection, OptionalExtension, ToSql};

use crate::date;
use crate::error::{Error, Result};
use crate::firm_refs::firm_ref_at;
use crate::metrics::chip_metrics;
use crate::model::{Chip, ChipDraft, ChipMetrics, ChipPurpose, Editing, FirmRef, Id};
use crate::relations;
use crate::store::Store;
use crate::text::{enum_text, id_list, parse_enum, sql_limit};
use crate::validate::{self, next_revision, required_revision};

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

// ---- The chip form -----------------------------------------------------------

const BIT_WIDTHS: [i64; 5] = [4, 8, 16, 32, 64];

/// A chip as its form edits it.
pub fn load_draft(store: &Store, chip_id: Id) -> Result<Editing<ChipDraft>> {
    store.read(|conn| load_draft_in(conn, chip_id))
}

fn load_draft_in(conn: &Connection, chip_id: Id) -> Result<Editing<ChipDraft>> {
    let mut editing = conn
        .query_row(
            "SELECT id, revision, firm_id, name, purpose, process_node_nm, foundry_firm_id, announced_on,
                    peak_dense_tops, peak_bit_width, die_area_mm2, memory_gb, tdp_w, notes
             FROM chips WHERE id = ?1",
            [chip_id],
            |row| {
                Ok(Editing {
                    id: row.get(0)?,
                    revision: row.get(1)?,
                    draft: ChipDraft {
                        firm_id: row.get(2)?,
                        name: row.get(3)?,
                        purpose: row
                            .get::<_, Option<String>>(4)?
                            .and_then(|p| parse_enum(&p)),
                        process_node_nm: row.get(5)?,
                        foundry_firm_id: row.get(6)?,
                        announced_on: row.get(7)?,
                        peak_dense_tops: row.get(8)?,
                        peak_bit_width: row.get(9)?,
                        die_area_mm2: row.get(10)?,
                        memory_gb: row.get(11)?,
                        tdp_w: row.get(12)?,
                        notes: row.get(13)?,
                        source_ids: Vec::new(),
                    },
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "chip",
            id: chip_id,
        })?;
    editing.draft.source_ids =
        relations::ids_of(conn, "chip_sources", "chip_id", chip_id, "source_id")?;
    Ok(editing)
}

/// TPP, performance density and the 3A090 paragraphs met, from the figures
/// typed so far: the form shows them live beside the inputs.
pub fn estimate_metrics(draft: &ChipDraft) -> ChipMetrics {
    chip_metrics(
        draft.peak_dense_tops,
        draft.peak_bit_width,
        draft.die_area_mm2,
    )
}

/// Creates or updates a chip with the sources behind its figures.
pub fn save(
    store: &mut Store,
    chip_id: Option<Id>,
    revision: Option<i64>,
    draft: &ChipDraft,
) -> Result<Editing<ChipDraft>> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = chip_id {
            next_revision(tx, "chips", "chip", id, required_revision(revision)?)?;
        }
        let clean = validate_draft(tx, draft)?;
        let taken: Option<Id> = tx
            .query_row(
                "SELECT id FROM chips WHERE firm_id = ?1 AND name = ?2 AND id IS NOT ?3",
                params![clean.firm_id, clean.name, chip_id],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(Error::invalid(
                "name",
                format!("this firm already has a chip called '{}'; edit that one instead", clean.name),
            ));
        }
        let id = match chip_id {
            Some(id) => {
                tx.execute(
                    "UPDATE chips SET firm_id = ?1, name = ?2, purpose = ?3, process_node_nm = ?4, foundry_firm_id = ?5,
                        announced_on = ?6, peak_dense_tops = ?7, peak_bit_width = ?8, die_area_mm2 = ?9,
                        memory_gb = ?10, tdp_w = ?11, notes = ?12 WHERE id = ?13",
                    params![
                        clean.firm_id,
                        clean.name,
                        clean.purpose.as_ref().map(enum_text),
                        clean.process_node_nm,
                        clean.foundry_firm_id,
                        clean.announced_on,
                        clean.peak_dense_tops,
                        clean.peak_bit_width,
                        clean.die_area_mm2,
                        clean.memory_gb,
                        clean.tdp_w,
                        clean.notes,
                        id,
                    ],
                )?;
                id
            }
            None => insert(tx, &ChipRow::of_draft(&clean))?,
        };
        relations::replace(tx, "chip_sources", "chip_id", id, "source_id", &clean.source_ids)?;
        load_draft_in(tx, id)
    })
}

// ---- Writing a new chip -------------------------------------------------------

/// The one statement that adds a chip: the form, the Epoch import, the default
/// dataset and the comparison sample all write through [`insert`]. It names
/// every column but `id` and `revision`, which a new row takes from the table; a test
/// compares it with the table.
pub(crate) const INSERT_CHIP: &str =
    "INSERT INTO chips (firm_id, name, purpose, process_node_nm, foundry_firm_id, announced_on,
        peak_dense_tops, peak_bit_width, die_area_mm2, memory_gb, tdp_w, notes, import_batch_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// A new chip as it is stored, borrowed from whatever its writer holds.
/// Adding a column to `chips` means a field here, its place in
/// [`INSERT_CHIP`] and [`insert`]; the compiler then names every writer that
/// must fill it.
pub(crate) struct ChipRow<'a> {
    pub firm_id: Id,
    pub name: &'a str,
    pub purpose: Option<ChipPurpose>,
    pub process_node_nm: Option<f64>,
    pub foundry_firm_id: Option<Id>,
    pub announced_on: Option<&'a str>,
    pub peak_dense_tops: Option<f64>,
    pub peak_bit_width: Option<i64>,
    pub die_area_mm2: Option<f64>,
    pub memory_gb: Option<f64>,
    pub tdp_w: Option<f64>,
    pub notes: &'a str,
    pub import_batch_id: Option<Id>,
}

impl<'a> ChipRow<'a> {
    /// A checked draft's fields (its sources are written apart), typed rather
    /// than imported.
    pub fn of_draft(draft: &'a ChipDraft) -> ChipRow<'a> {
        ChipRow {
            firm_id: draft.firm_id,
            name: &draft.name,
            purpose: draft.purpose,
            process_node_nm: draft.process_node_nm,
            foundry_firm_id: draft.foundry_firm_id,
            announced_on: draft.announced_on.as_deref(),
            peak_dense_tops: draft.peak_dense_tops,
            peak_bit_width: draft.peak_bit_width,
            die_area_mm2: draft.die_area_mm2,
            memory_gb: draft.memory_gb,
            tdp_w: draft.tdp_w,
            notes: &draft.notes,
            import_batch_id: None,
        }
    }
}

/// Adds one chip (no sources); its id. The statement is cached on the
/// connection, so a writer adding many reuses it.
pub(crate) fn insert(conn: &Connection, row: &ChipRow<'_>) -> Result<Id> {
    Ok(conn.prepare_cached(INSERT_CHIP)?.insert(params![
        row.firm_id,
        row.name,
        row.purpose.as_ref().map(enum_text),
        row.process_node_nm,
        row.foundry_firm_id,
        row.announced_on,
        row.peak_dense_tops,
        row.peak_bit_width,
        row.die_area_mm2,
        row.memory_gb,
        row.tdp_w,
        row.notes,
        row.import_batch_id,
    ])?)
}

fn validate_draft(conn: &Connection, draft: &ChipDraft) -> Result<ChipDraft> {
    let peak_dense_tops = validate::positive("peakDenseTops", draft.peak_dense_tops)?;
    match (peak_dense_tops, draft.peak_bit_width) {
        (_, Some(bits)) if !BIT_WIDTHS.contains(&bits) => {
            return Err(Error::invalid(
                "peakBitWidth",
                format!("{bits} is not a bit width; choose 4, 8, 16, 32 or 64"),
            ))
        }
        (Some(_), None) => {
            return Err(Error::invalid(
                "peakBitWidth",
                "say at which bit width the peak figure is measured (e.g. 16 for FP16); TPP depends on it",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::invalid(
                "peakDenseTops",
                "enter the peak dense figure for this bit width, or clear the bit width",
            ))
        }
        _ => {}
    }
    Ok(ChipDraft {
        firm_id: validate::existing_id(conn, "firmId", "firms", "firm", draft.firm_id)?,
        name: validate::required("name", &draft.name)?,
        purpose: draft.purpose,
        process_node_nm: validate::positive("processNodeNm", draft.process_node_nm)?,
        foundry_firm_id: draft
            .foundry_firm_id
            .map(|id| validate::existing_id(conn, "foundryFirmId", "firms", "foundry", id))
            .transpose()?,
        announced_on: date::ANNOUNCED_ON.read(draft.announced_on.as_deref())?,
        peak_dense_tops,
        peak_bit_width: draft.peak_bit_width,
        die_area_mm2: validate::positive("dieAreaMm2", draft.die_area_mm2)?,
        memory_gb: validate::positive("memoryGb", draft.memory_gb)?,
        tdp_w: validate::positive("tdpW", draft.tdp_w)?,
        notes: validate::text("notes", &draft.notes)?,
        source_ids: validate::existing_ids(
            conn,
            "sourceIds",
            "sources",
            "source",
            &draft.source_ids,
        )?,
    })
}

// ---- Naming a chip -----------------------------------------------------------

/// The chip `text` names: its name (ignoring case; when several firms have a
/// chip of that name, the error lists them), else its id (`12` or `#12`). A
/// text that names no chip is invalid input for `field`.
pub fn resolve(store: &Store, field: &str, text: &str) -> Result<Id> {
    store.read(|conn| {
        let name = text.trim();
        let mut stmt = conn.prepare(
            "SELECT c.id, f.name FROM chips c JOIN firms f ON f.id = c.firm_id
             WHERE c.name = ?1 COLLATE NOCASE ORDER BY c.id",
        )?;
        let named = stmt
            .query_map([name], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        match named.as_slice() {
            [(id, _)] => return Ok(*id),
            [] => {}
            several => {
                let which: Vec<String> = several
                    .iter()
                    .map(|(id, firm)| format!("{id} ({firm})"))
                    .collect();
                return Err(Error::invalid(
                    field,
                    format!(
                        "several chips are called '{name}'; give the id of the one you mean: {}",
                        which.join(", ")
                    ),
                ));
            }
        }
        if let Ok(id) = name.trim_start_matches('#').parse::<Id>() {
            let exists: Option<i64> = conn
                .query_row("SELECT 1 FROM chips WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if exists.is_some() {
                return Ok(id);
            }
        }
        Err(Error::invalid(
            field,
            format!("no chip is called '{name}'; see `chipwatch list chips` for the names and ids"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{insert_columns, table_columns_but};

    /// Columns a new row takes from the table: its rowid and first revision.
    /// (`uid` is given by the insert trigger, `sync_version` by team sync.)
    const LEFT_TO_DEFAULT: [&str; 4] = ["id", "revision", "uid", "sync_version"];

    /// A column added to `chips` must be written by the one insert (or be
    /// named as left to its default), or every writer would leave it out.
    #[test]
    fn the_insert_names_every_column_of_chips() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            insert_columns(INSERT_CHIP),
            table_columns_but(store.conn(), "chips", &LEFT_TO_DEFAULT)
        );
    }
}
