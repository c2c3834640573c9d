//! Assessments: a firm's stance on a strategy, with the sources that back it.

use rusqlite::{params, Connection, OptionalExtension};

use crate::date;
use crate::error::{Error, Result};
use crate::model::{AssessmentDraft, Editing, EvidenceDraft, Id};
use crate::store::Store;
use crate::text::{column_enum, enum_text};
use crate::validate::{self, next_revision, required_revision};

/// An assessment as its form edits it.
pub fn load_draft(store: &Store, assessment_id: Id) -> Result<Editing<AssessmentDraft>> {
    store.read(|conn| load_draft_in(conn, assessment_id))
}

fn load_draft_in(conn: &Connection, assessment_id: Id) -> Result<Editing<AssessmentDraft>> {
    let mut editing = conn
        .query_row(
            "SELECT id, revision, firm_id, strategy_id, stance, summary, as_of FROM assessments WHERE id = ?1",
            [assessment_id],
            |row| {
                Ok(Editing {
                    id: row.get(0)?,
                    revision: row.get(1)?,
                    draft: AssessmentDraft {
                        firm_id: row.get(2)?,
                        strategy_id: row.get(3)?,
                        stance: column_enum(row, 4)?,
                        summary: row.get(5)?,
                        as_of: row.get(6)?,
                        evidence: Vec::new(),
                    },
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            entity: "assessment",
            id: assessment_id,
        })?;
    let mut stmt = conn.prepare(
        "SELECT source_id, locator, excerpt FROM assessment_evidence WHERE assessment_id = ?1 ORDER BY rowid",
    )?;
    editing.draft.evidence = stmt
        .query_map([assessment_id], |row| {
            Ok(EvidenceDraft {
                source_id: row.get(0)?,
                locator: row.get(1)?,
                excerpt: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(editing)
}

/// Creates or updates a firm's assessment on a strategy with its evidence.
/// A firm has one assessment per strategy.
pub fn save(
    store: &mut Store,
    assessment_id: Option<Id>,
    revision: Option<i64>,
    draft: &AssessmentDraft,
) -> Result<Editing<AssessmentDraft>> {
    store.write(|tx| {
        // A stale copy is refused before anything else: its fields may be outdated too.
        if let Some(id) = assessment_id {
            next_revision(tx, "assessments", "assessment", id, required_revision(revision)?)?;
        }
        let firm_id = validate::existing_id(tx, "firmId", "firms", "firm", draft.firm_id)?;
        let strategy_id =
            validate::existing_id(tx, "strategyId", "strategies", "strategy", draft.strategy_id)?;
        let summary = validate::text("summary", &draft.summary)?;
        let as_of = date::AS_OF.read(draft.as_of.as_deref())?;
        let mut evidence: Vec<EvidenceDraft> = Vec::new();
        for (i, e) in draft.evidence.iter().enumerate() {
            let source_id = validate::existing_id(
                tx,
                &format!("evidence[{i}].sourceId"),
                "sources",
                "source",
                e.source_id,
            )?;
            let locator = validate::optional(&format!("evidence[{i}].locator"), e.locator.as_deref())?;
            let excerpt = validate::optional(&format!("evidence[{i}].excerpt"), e.excerpt.as_deref())?;
            if !evidence.iter().any(|kept| kept.source_id == source_id) {
                evidence.push(EvidenceDraft {
                    source_id,
                    locator,
                    excerpt,
                });
            }
        }
        let taken: Option<Id> = tx
            .query_row(
                "SELECT id FROM assessments WHERE firm_id = ?1 AND strategy_id = ?2 AND id IS NOT ?3",
                params![firm_id, strategy_id, assessment_id],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(Error::invalid(
                "strategyId",
                "this firm already has an assessment on this strategy; edit that one instead",
            ));
        }
        let id = match assessment_id {
            Some(id) => {
                tx.execute(
                    "UPDATE assessments SET firm_id = ?2, strategy_id = ?3, stance = ?4, summary = ?5, as_of = ?6 WHERE id = ?1",
                    params![id, firm_id, strategy_id, enum_text(&draft.stance), summary, as_of],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO assessments (firm_id, strategy_id, stance, summary, as_of) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![firm_id, strategy_id, enum_text(&draft.stance), summary, as_of],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.execute("DELETE FROM assessment_evidence WHERE assessment_id = ?1", [id])?;
        for e in &evidence {
            tx.execute(
                "INSERT INTO assessment_evidence (assessment_id, source_id, locator, excerpt) VALUES (?1, ?2, ?3, ?4)",
                params![id, e.source_id, e.locator, e.excerpt],
            )?;
        }
        load_draft_in(tx, id)
    })
}

/// The firm's assessment on the strategy, if it has one (a firm has at most
/// one per strategy).
pub fn find(store: &Store, firm_id: Id, strategy_id: Id) -> Result<Option<Id>> {
    store.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT id FROM assessments WHERE firm_id = ?1 AND strategy_id = ?2",
                params![firm_id, strategy_id],
                |r| r.get(0),
            )
            .optional()?)
    })
}
