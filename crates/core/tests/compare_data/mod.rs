//! Records for the comparison and export tests, made through the core's own
//! forms, so they are what an analyst could have typed.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chipwatch_core::model::{
    AssessmentDraft, ChipDraft, ChipPurpose, EventDraft, EventKind, EvidenceDraft, FirmDraft,
    FirmKind, Id, ListingDraft, NoteDraft, SourceDraft, SourceKind, Stance, StrategyDraft,
};
use chipwatch_core::{assessments, chips, events, firms, notes, sources, strategies, Store};

pub fn source(store: &mut Store, title: &str, published: Option<&str>, url: Option<&str>) -> Id {
    sources::save(
        store,
        None,
        None,
        &SourceDraft {
            kind: SourceKind::Article,
            title: title.into(),
            authors: Some("Analyst, A.".into()),
            publisher: Some("Example Press".into()),
            url: url.map(String::from),
            doi: None,
            published_on: published.map(String::from),
            accessed_on: None,
            language: Some("en".into()),
            r#abstract: None,
            reliability: Some("B".into()),
            credibility: Some(2),
            tags: Vec::new(),
        },
    )
    .unwrap()
    .id
}

pub fn firm(store: &mut Store, name: &str, native: Option<&str>, country: Option<&str>) -> Id {
    firm_with(store, name, native, country, None, &[], &[])
}

pub fn firm_with(
    store: &mut Store,
    name: &str,
    native: Option<&str>,
    country: Option<&str>,
    parent: Option<Id>,
    aliases: &[&str],
    listings: &[(&str, Option<&str>, Option<Id>)],
) -> Id {
    firms::save(
        store,
        None,
        None,
        &FirmDraft {
            name: name.into(),
            native_name: native.map(String::from),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            kind: FirmKind::Company,
            country: country.map(String::from),
            parent_firm_id: parent,
            website: None,
            summary: String::new(),
            listings: listings
                .iter()
                .map(|(list, date, source)| ListingDraft {
                    list_name: list.to_string(),
                    listed_on: date.map(String::from),
                    citation: Some("86 FR 12345".into()),
                    source_id: *source,
                    details: Default::default(),
                })
                .collect(),
        },
    )
    .unwrap()
    .id
}

pub fn strategy(store: &mut Store, name: &str) -> Id {
    strategies::save(
        store,
        None,
        None,
        &StrategyDraft {
            name: name.into(),
            description: String::new(),
        },
    )
    .unwrap()
    .id
}

pub fn assess(
    store: &mut Store,
    firm_id: Id,
    strategy_id: Id,
    stance: Stance,
    as_of: Option<&str>,
    evidence: &[(Id, Option<&str>)],
) -> Id {
    assessments::save(
        store,
        None,
        None,
        &AssessmentDraft {
            firm_id,
            strategy_id,
            stance,
            summary: "summary".into(),
            as_of: as_of.map(String::from),
            evidence: evidence
                .iter()
                .map(|(source_id, locator)| EvidenceDraft {
                    source_id: *source_id,
                    locator: locator.map(String::from),
                    excerpt: None,
                })
                .collect(),
        },
    )
    .unwrap()
    .id
}

/// Re-saves an assessment with another stance (for the changes report).
pub fn restance(store: &mut Store, assessment_id: Id, stance: Stance) {
    let editing = assessments::load_draft(store, assessment_id).unwrap();
    let mut draft = editing.draft;
    draft.stance = stance;
    assessments::save(store, Some(assessment_id), Some(editing.revision), &draft).unwrap();
}

#[allow(clippy::too_many_arguments)]
pub fn chip(
    store: &mut Store,
    firm_id: Id,
    name: &str,
    tops_at_bits: Option<(f64, i64)>,
    die_area: Option<f64>,
    node: Option<f64>,
    foundry: Option<Id>,
    announced: Option<&str>,
    source_ids: &[Id],
) -> Id {
    chips::save(
        store,
        None,
        None,
        &ChipDraft {
            firm_id,
            name: name.into(),
            purpose: Some(ChipPurpose::Training),
            process_node_nm: node,
            foundry_firm_id: foundry,
            announced_on: announced.map(String::from),
            peak_dense_tops: tops_at_bits.map(|t| t.0),
            peak_bit_width: tops_at_bits.map(|t| t.1),
            die_area_mm2: die_area,
            memory_gb: None,
            tdp_w: None,
            notes: String::new(),
            source_ids: source_ids.to_vec(),
        },
    )
    .unwrap()
    .id
}

pub fn event(store: &mut Store, date: &str, firm_ids: &[Id], source_ids: &[Id]) -> Id {
    events::save(
        store,
        None,
        None,
        &EventDraft {
            occurred_on: date.into(),
            kind: EventKind::Launch,
            title: format!("event on {date}"),
            description: String::new(),
            firm_ids: firm_ids.to_vec(),
            source_ids: source_ids.to_vec(),
        },
    )
    .unwrap()
    .id
}

/// A note whose body links to `firm_name`.
pub fn note_about(store: &mut Store, firm_name: &str) -> Id {
    notes::save(
        store,
        None,
        &NoteDraft {
            title: format!("On {firm_name}"),
            body: format!("See [[{firm_name}]]."),
            tags: Vec::new(),
        },
        None,
    )
    .unwrap()
    .id
}
