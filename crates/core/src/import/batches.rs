//! Import batches: the record of each import (file, hash, encoding, mapping,
//! counts, problems), the import history, and undo, which removes exactly what
//! a batch added and empties again the fields it filled.

use rusqlite::{params, Connection, OptionalExtension};

use super::{ImportBatch, ImportReport, ImportTarget, ImportedFile, UndoReport};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::store::Store;
use crate::text::now_utc;

/// Starts the batch row (its id is what imported rows point at); `finish`
/// writes the hash and counts when the file has been read. `how_read` is the
/// JSON kept with it: a CSV's mapping, a citation file's format.
pub(crate) fn start(
    conn: &Connection,
    target: ImportTarget,
    input: &dyn ImportedFile,
    how_read: &str,
) -> Result<Id> {
    conn.execute(
        "INSERT INTO import_batches (file_name, file_sha256, encoding, mapping_json, imported_at, target, delimiter)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            input.file_name(),
            "0".repeat(64),
            input.encoding_name(),
            how_read,
            now_utc(),
            target.as_str(),
            input.delimiter().map(super::Delimiter::as_str),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn finish(conn: &Connection, batch: Id, report: &ImportReport) -> Result<()> {
    let problems = serde_json::to_string(&report.problems).unwrap_or_else(|_| "[]".into());
    let details = serde_json::json!({
        "duplicateRows": report.duplicate_rows,
        "createdFirms": report.created_firms,
        "warnings": report.warnings,
        "rowWarnings": report.row_warnings,
        "leftOut": report.left_out,
        "omitted": report.omitted,
    })
    .to_string();
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    conn.execute(
        "UPDATE import_batches SET file_sha256 = ?2, rows_read = ?3, rows_added = ?4, rows_duplicate = ?5,
            rows_rejected = ?6, rows_updated = ?7, rows_linked = ?8, problems_json = ?9, details_json = ?10
         WHERE id = ?1",
        params![
            batch,
            report.sha256,
            count(report.read),
            count(report.added),
            count(report.duplicates),
            count(report.rejected),
            count(report.updated),
            count(report.linked),
            problems,
            details,
        ],
    )?;
    Ok(())
}

/// Every import, newest first.
pub fn list_batches(store: &Store) -> Result<Vec<ImportBatch>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id, CASE WHEN EXISTS (SELECT 1 FROM screening_list_copies c WHERE c.batch_id = b.id)
                             THEN 'listings' ELSE target END,
                    file_name, file_sha256, encoding, delimiter, imported_at, undone_at,
                    rows_read, rows_added, rows_updated, rows_duplicate, rows_rejected, rows_linked
             FROM import_batches b ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let target: String = r.get(1)?;
            Ok(ImportBatch {
                id: r.get(0)?,
                target: ImportTarget::parse(&target).unwrap_or(ImportTarget::Sources),
                file_name: r.get(2)?,
                sha256: r.get(3)?,
                encoding: r.get(4)?,
                delimiter: r.get(5)?,
                imported_at: r.get(6)?,
                undone_at: r.get(7)?,
                read: r.get(8)?,
                added: r.get(9)?,
                updated: r.get(10)?,
                duplicates: r.get(11)?,
                rejected: r.get(12)?,
                linked: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Fields a fill may have set, per table (undo writes only these names).
const FILLABLE: [(&str, &str, &[&str]); 3] = [
    (
        "source",
        "sources",
        &[
            "authors",
            "publisher",
            "url",
            "doi",
            "published_on",
            "accessed_on",
            "language",
            "abstract",
            "reliability",
            "credibility",
        ],
    ),
    (
        "firm",
        "firms",
        &["native_name", "country", "website", "summary"],
    ),
    (
        "chip",
        "chips",
        &[
            "purpose",
            "process_node_nm",
            "foundry_firm_id",
            "announced_on",
            "peak_dense_tops",
            "peak_bit_width",
            "die_area_mm2",
            "memory_gb",
            "tdp_w",
        ],
    ),
];

/// Removes what batch `batch` added (sources, firms, chips, and with them their
/// tags links and mentions) and empties again the fields it filled. Records
/// edited since the import (a newer revision) make it refuse, saying how many,
/// unless `force`; a filled field edited since is then left as it is.
pub fn undo(store: &mut Store, batch: Id, force: bool) -> Result<UndoReport> {
    store.write(|tx| {
        let undone: Option<Option<String>> = tx
            .query_row("SELECT undone_at FROM import_batches WHERE id = ?1", [batch], |r| r.get(0))
            .optional()?;
        match undone {
            None => {
                return Err(Error::NotFound {
                    entity: "import batch",
                    id: batch,
                })
            }
            Some(Some(when)) => {
                return Err(Error::UndoRefused {
                    batch,
                    reason: format!("it was already undone at {when}"),
                })
            }
            Some(None) => {}
        }
        let count = |sql: &str| -> Result<i64> { Ok(tx.query_row(sql, [batch], |r| r.get(0))?) };
        let edited = count("SELECT count(*) FROM sources WHERE import_batch_id = ?1 AND revision > 1")?
            + count("SELECT count(*) FROM firms WHERE import_batch_id = ?1 AND revision > 1")?
            + count("SELECT count(*) FROM chips WHERE import_batch_id = ?1 AND revision > 1")?;
        let edited_fills = count(
            "SELECT count(DISTINCT f.entity || f.entity_id) FROM import_fills f
             WHERE f.batch_id = ?1 AND f.revision_after <> coalesce(
                CASE f.entity WHEN 'source' THEN (SELECT revision FROM sources WHERE id = f.entity_id)
                              WHEN 'firm' THEN (SELECT revision FROM firms WHERE id = f.entity_id)
                              ELSE (SELECT revision FROM chips WHERE id = f.entity_id) END, -1)
               AND f.revision_after = (SELECT max(g.revision_after) FROM import_fills g
                    WHERE g.batch_id = f.batch_id AND g.entity = f.entity AND g.entity_id = f.entity_id)",
        )?;
        if edited + edited_fills > 0 && !force {
            return Err(Error::UndoRefused {
                batch,
                reason: format!(
                    "{} of the records it added or filled were edited since (their edits would be lost); \
                     undo with force to remove them anyway, or leave the import in place",
                    edited + edited_fills
                ),
            });
        }
        // A screening-list copy: its listings and events go, the listings it
        // changed or marked get their earlier rows back.
        let listing_rows = super::screening_list::undo_listing_changes(tx, batch)?;
        // Claims citing an imported source would lose their evidence: refuse.
        let cited = count(
            "SELECT count(*) FROM sources s WHERE s.import_batch_id = ?1 AND (
                EXISTS (SELECT 1 FROM assessment_evidence e WHERE e.source_id = s.id)
             OR EXISTS (SELECT 1 FROM export_control_listings l WHERE l.source_id = s.id)
             OR EXISTS (SELECT 1 FROM event_sources x WHERE x.source_id = s.id)
             OR EXISTS (SELECT 1 FROM chip_sources c WHERE c.source_id = s.id AND c.chip_id NOT IN
                    (SELECT id FROM chips WHERE import_batch_id = ?1)))",
        )?;
        if cited > 0 {
            return Err(Error::UndoRefused {
                batch,
                reason: format!(
                    "{cited} of the sources it added are cited by assessments, listings, events or chips; \
                     remove those citations first"
                ),
            });
        }
        let foreign_chips = count(
            "SELECT count(*) FROM chips c JOIN firms f ON f.id = c.firm_id
             WHERE f.import_batch_id = ?1 AND c.import_batch_id IS NOT ?1",
        )?;
        if foreign_chips > 0 {
            return Err(Error::UndoRefused {
                batch,
                reason: format!(
                    "{foreign_chips} chips added since belong to firms this import created; delete or move those chips first"
                ),
            });
        }

        let reverted_fills = revert_fills(tx, batch)?;
        let removed_chips = tx.execute("DELETE FROM chips WHERE import_batch_id = ?1", [batch])? as i64;
        let removed_sources = tx.execute("DELETE FROM sources WHERE import_batch_id = ?1", [batch])? as i64;
        // Firms this batch created that are now a parent of nothing it did not create.
        tx.execute(
            "UPDATE firms SET parent_firm_id = NULL WHERE parent_firm_id IN (SELECT id FROM firms WHERE import_batch_id = ?1)
               AND import_batch_id IS NOT ?1",
            [batch],
        )?;
        let removed_firms = tx.execute("DELETE FROM firms WHERE import_batch_id = ?1", [batch])? as i64;
        tx.execute(
            "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1",
            params![batch, now_utc()],
        )?;
        Ok(UndoReport {
            batch,
            removed_sources,
            removed_firms,
            removed_chips,
            reverted_fills,
            edited_removed: if force { edited } else { 0 },
            listings: listing_rows,
        })
    })
}

/// Empties the fields the batch filled on records nobody edited since.
fn revert_fills(conn: &Connection, batch: Id) -> Result<i64> {
    let mut reverted = 0;
    for (entity, table, fields) in FILLABLE {
        let mut stmt = conn.prepare(
            "SELECT entity_id, group_concat(field, ','), max(revision_after) FROM import_fills
             WHERE batch_id = ?1 AND entity = ?2 GROUP BY entity_id",
        )?;
        let fills = stmt
            .query_map(params![batch, entity], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, names, revision) in fills {
            let columns: Vec<&str> = names.split(',').filter(|n| fields.contains(n)).collect();
            if columns.is_empty() {
                continue;
            }
            // A firm's summary is never NULL: empty is its "unknown".
            let assignments: Vec<String> = columns
                .iter()
                .map(|c| match *c {
                    "summary" => format!("{c} = ''"),
                    _ => format!("{c} = NULL"),
                })
                .collect();
            let changed = conn.execute(
                &format!(
                    "UPDATE {table} SET {}, revision = revision + 1 WHERE id = ?1 AND revision = ?2",
                    assignments.join(", ")
                ),
                params![id, revision],
            )?;
            if changed == 1 {
                reverted += columns.len() as i64;
            }
        }
    }
    Ok(reverted)
}

/// The end of every import inside its transaction, once the rows are written:
/// the file's checksum (refusing a file that changed meanwhile), then the
/// batch kept (an import), dropped (a file without rows), or everything
/// rolled back to the savepoint (a dry run, whose report stays exact).
pub(crate) fn settle(
    tx: &rusqlite::Transaction<'_>,
    batch: Id,
    options: &super::ImportOptions,
    report: &mut super::ImportReport,
    omitted: u64,
    input: &dyn ImportedFile,
    control: &mut super::Control<'_>,
) -> Result<()> {
    report.sha256 = input.finish()?;
    report.omitted = omitted;
    // Rows left out by `only_rows_where` were read too; they are counted, not listed.
    report.left_out = input.left_out();
    report.read += input.left_out();
    control.report(
        super::ImportPhase::Finishing,
        report.read,
        input.bytes_read(),
        input.total_bytes(),
    );
    if options.dry_run {
        tx.execute_batch("ROLLBACK TO import_dry_run; RELEASE import_dry_run")?;
    } else if report.read > 0 {
        finish(tx, batch, report)?;
        report.batch = Some(batch);
    } else {
        // A header without rows leaves no batch behind.
        tx.execute("DELETE FROM import_batches WHERE id = ?1", [batch])?;
    }
    Ok(())
}

/// Writes `sets` (column, value) into the empty fields of record `id` of
/// `table` in one UPDATE (with `updated_at` when the table has one). A record
/// of an earlier import or typed by hand (`tracked`) gets a new revision, so
/// an open form on it is stale, and its filled fields are remembered with that
/// revision: undo empties only the fields nobody has edited since. A record
/// this batch added is undone with the batch and needs neither.
pub(crate) fn fill_fields(
    conn: &Connection,
    batch: Id,
    entity: &str,
    table: &str,
    id: Id,
    tracked: bool,
    sets: &[(&str, rusqlite::types::Value)],
) -> Result<()> {
    let stamped = matches!(table, "sources" | "firms");
    let mut assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (column, _))| format!("{column} = ?{}", i + 2))
        .collect();
    let mut values: Vec<rusqlite::types::Value> = vec![id.into()];
    values.extend(sets.iter().map(|(_, v)| v.clone()));
    if stamped {
        values.push(crate::text::now_utc().into());
        assignments.push(format!("updated_at = ?{}", values.len()));
    }
    if tracked {
        assignments.push("revision = revision + 1".into());
    }
    conn.execute(
        &format!(
            "UPDATE {table} SET {} WHERE id = ?1",
            assignments.join(", ")
        ),
        rusqlite::params_from_iter(values),
    )?;
    if !tracked {
        return Ok(());
    }
    let revision: i64 = conn.query_row(
        &format!("SELECT revision FROM {table} WHERE id = ?1"),
        [id],
        |r| r.get(0),
    )?;
    let mut record = conn.prepare_cached(
        "INSERT OR REPLACE INTO import_fills (batch_id, entity, entity_id, field, revision_after)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (column, _) in sets {
        record.execute(rusqlite::params![batch, entity, id, column, revision])?;
    }
    Ok(())
}
