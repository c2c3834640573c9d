//! Bulk actions on a selection of sources: the ones ticked in the Sources list,
//! or every source a filter lets through, on all pages. Tag and untag, mark as
//! about a firm or not about it, move to the Trash. Each action is one
//! transaction: it happens to every selected source or to none.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{BulkOutcome, BulkTrashImpact, Id, SourceSelection, TrashKind};
use crate::relations;
use crate::sources::matching_ids;
use crate::store::Store;
use crate::text::grouped;
use crate::trash;
use crate::validate;

/// The most sources one "Move to Trash" takes: each becomes its own Trash
/// entry (restorable one by one), and the Trash lists them all.
pub const MAX_TRASH_AT_ONCE: usize = 5_000;

/// The ids of the selected sources, ascending, each once.
pub fn selected_ids(conn: &Connection, selection: &SourceSelection) -> Result<Vec<Id>> {
    match selection {
        SourceSelection::Ids { ids } => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            // Another window may have deleted one since it was ticked.
            let mut exists = conn.prepare_cached("SELECT 1 FROM sources WHERE id = ?1")?;
            for &id in &ids {
                if exists.query_row([id], |_| Ok(())).optional()?.is_none() {
                    return Err(Error::NotFound {
                        entity: "source",
                        id,
                    });
                }
            }
            Ok(ids)
        }
        SourceSelection::Matching { filter, except } => {
            let ids = match matching_ids(conn, filter)? {
                Some(ids) => ids,
                None => conn
                    .prepare_cached("SELECT id FROM sources ORDER BY id")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<Id>>>()?,
            };
            if except.is_empty() {
                return Ok(ids);
            }
            let mut except = except.clone();
            except.sort_unstable();
            Ok(ids
                .into_iter()
                .filter(|id| except.binary_search(id).is_err())
                .collect())
        }
    }
}

/// Tags every selected source with `tag` (created if new).
pub fn add_tag(store: &mut Store, selection: &SourceSelection, tag: &str) -> Result<BulkOutcome> {
    let tag = one_tag(tag)?;
    store.write(|tx| {
        let tag_id = relations::tag_id(tx, &tag)?;
        each_selected(
            tx,
            selection,
            "INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?1, ?2)",
            tag_id,
        )
    })
}

/// Takes `tag` off every selected source that has it; the tag itself stays.
pub fn remove_tag(
    store: &mut Store,
    selection: &SourceSelection,
    tag: &str,
) -> Result<BulkOutcome> {
    let tag = one_tag(tag)?;
    store.write(|tx| {
        let tag_id: Option<Id> = tx
            .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
            .query_row([&tag], |r| r.get(0))
            .optional()?;
        match tag_id {
            Some(tag_id) => each_selected(
                tx,
                selection,
                "DELETE FROM source_tags WHERE source_id = ?1 AND tag_id = ?2",
                tag_id,
            ),
            // No source has a tag nobody ever used.
            None => Ok(outcome(selected_ids(tx, selection)?.len(), 0)),
        }
    })
}

/// Marks every selected source as about the firm (a mention, as an import's
/// name matching finds them): it is then listed on the firm's profile.
pub fn link_firm(
    store: &mut Store,
    selection: &SourceSelection,
    firm_id: Id,
) -> Result<BulkOutcome> {
    store.write(|tx| {
        check_firm(tx, firm_id)?;
        each_selected(
            tx,
            selection,
            "INSERT OR IGNORE INTO source_firms (source_id, firm_id) VALUES (?1, ?2)",
            firm_id,
        )
    })
}

/// "Not about this firm": removes the firm's mention from every selected
/// source. What the firm's claims cite is not touched.
pub fn unlink_firm(
    store: &mut Store,
    selection: &SourceSelection,
    firm_id: Id,
) -> Result<BulkOutcome> {
    store.write(|tx| {
        check_firm(tx, firm_id)?;
        each_selected(
            tx,
            selection,
            "DELETE FROM source_firms WHERE source_id = ?1 AND firm_id = ?2",
            firm_id,
        )
    })
}

/// Runs `sql` once per selected source (?1 the source, ?2 `other`: a tag or
/// a firm); the sources it changed are the ones it inserted or deleted a row for.
fn each_selected(
    tx: &Connection,
    selection: &SourceSelection,
    sql: &str,
    other: Id,
) -> Result<BulkOutcome> {
    let ids = selected_ids(tx, selection)?;
    let mut statement = tx.prepare_cached(sql)?;
    let mut changed = 0;
    for &id in &ids {
        changed += statement.execute(params![id, other])?;
    }
    Ok(outcome(ids.len(), changed))
}

/// What moving the selection to the Trash would take along, without moving it.
pub fn trash_impact(store: &Store, selection: &SourceSelection) -> Result<BulkTrashImpact> {
    store.read(|conn| {
        let ids = selected_ids(conn, selection)?;
        let mut citations_of = conn.prepare_cached(
            "SELECT (SELECT count(*) FROM assessment_evidence WHERE source_id = ?1)
                  + (SELECT count(*) FROM chip_sources WHERE source_id = ?1)
                  + (SELECT count(*) FROM event_sources WHERE source_id = ?1)
                  + (SELECT count(*) FROM export_control_listings WHERE source_id = ?1)",
        )?;
        let mut noted_in =
            conn.prepare_cached("SELECT count(*) FROM note_links WHERE source_id = ?1")?;
        let (mut cited, mut citations, mut noted) = (0, 0, 0);
        for &id in &ids {
            let n: i64 = citations_of.query_row([id], |r| r.get(0))?;
            if n > 0 {
                cited += 1;
                citations += n;
            }
            let notes: i64 = noted_in.query_row([id], |r| r.get(0))?;
            noted += i64::from(notes > 0);
        }
        Ok(BulkTrashImpact {
            selected: ids.len() as i64,
            cited,
            citations,
            noted,
        })
    })
}

/// Moves every selected source to the Trash, each as its own entry, in one
/// transaction; at most [`MAX_TRASH_AT_ONCE`].
pub fn trash(store: &mut Store, selection: &SourceSelection) -> Result<BulkOutcome> {
    let schema_version = store.schema_version()?;
    store.write(|tx| {
        let ids = selected_ids(tx, selection)?;
        if ids.len() > MAX_TRASH_AT_ONCE {
            return Err(Error::invalid(
                "selection",
                format!(
                    "holds {} sources; at most {} go to the Trash at once. Narrow the filter, \
                     or take back a whole import with Undo on the Import page",
                    grouped(ids.len() as u64),
                    grouped(MAX_TRASH_AT_ONCE as u64)
                ),
            ));
        }
        for &id in &ids {
            trash::delete_in(tx, schema_version, TrashKind::Source, id)?;
        }
        Ok(outcome(ids.len(), ids.len()))
    })
}

/// A tag name as a bulk action takes it: trimmed, not blank.
fn one_tag(tag: &str) -> Result<String> {
    validate::name_list("tag", &[tag.to_owned()])?
        .pop()
        .ok_or_else(|| Error::invalid("tag", "Tag: write the tag's name"))
}

fn check_firm(conn: &Connection, firm_id: Id) -> Result<()> {
    conn.prepare_cached("SELECT 1 FROM firms WHERE id = ?1")?
        .query_row([firm_id], |_| Ok(()))
        .optional()?
        .ok_or(Error::NotFound {
            entity: "firm",
            id: firm_id,
        })
}

fn outcome(selected: usize, changed: usize) -> BulkOutcome {
    BulkOutcome {
        selected: selected as i64,
        changed: changed as i64,
    }
}
