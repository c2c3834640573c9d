#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chipwatch_core::model::{AssessmentDraft, EvidenceDraft, Stance, StrategyDraft};
use chipwatch_core::{assessments, strategies, Error};
use common::*;

#[test]
fn a_new_strategy_gets_an_assessment_with_located_evidence() {
    let mut store = seeded_store();
    let tencent = firm_id(&store, "Tencent");
    let source = chipwatch_core::sources::list(&store, Some(1)).unwrap()[0].id;
    let strategy = strategies::save(
        &mut store,
        None,
        None,
        &StrategyDraft {
            name: "Stockpiling 囤货".into(),
            description: TRICKY.into(),
        },
    )
    .unwrap();
    let typed = AssessmentDraft {
        firm_id: tencent,
        strategy_id: strategy.id,
        stance: Stance::Active,
        summary: TRICKY.into(),
        as_of: Some("2024".into()),
        evidence: vec![EvidenceDraft {
            source_id: source,
            locator: Some("p. 12, 第三段".into()),
            excerpt: Some(format!("  {TRICKY}  ")),
        }],
    };
    let saved = assessments::save(&mut store, None, None, &typed).unwrap();
    assert_eq!(
        saved.draft.evidence[0].locator.as_deref(),
        Some("p. 12, 第三段")
    );
    // The quoted passage is kept as typed (trimmed), and shown with the claim.
    assert_eq!(saved.draft.evidence[0].excerpt.as_deref(), Some(TRICKY));
    let reading = chipwatch_core::source_reading::load(&store, source).unwrap();
    let citing = reading
        .assessments
        .items
        .iter()
        .find(|a| a.assessment_id == saved.id)
        .unwrap();
    assert_eq!(citing.excerpt.as_deref(), Some(TRICKY));
    let behind = chipwatch_core::compare::cell_sources(
        &store,
        tencent,
        &format!("strategy:{}:stance", strategy.id),
    )
    .unwrap();
    assert_eq!(
        behind[0].quote.as_deref(),
        Some(TRICKY),
        "the evidence panel quotes it"
    );
    // Cleared: the claim keeps its locator only.
    let mut cleared = saved.draft.clone();
    cleared.evidence[0].excerpt = Some("   ".into());
    let resaved =
        assessments::save(&mut store, Some(saved.id), Some(saved.revision), &cleared).unwrap();
    assert_eq!(resaved.draft.evidence[0].excerpt, None);
    let profile = chipwatch_core::profile::load_profile(&store, tencent).unwrap();
    let shown = profile
        .assessments
        .iter()
        .find(|a| a.strategy_id == strategy.id)
        .unwrap();
    assert_eq!(
        (shown.stance, shown.source_ids.clone()),
        (Stance::Active, vec![source])
    );

    let error = assessments::save(&mut store, None, None, &typed).unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "strategyId"),
        "{error}"
    );
    let error = strategies::save(
        &mut store,
        None,
        None,
        &StrategyDraft {
            name: "stockpiling 囤货".into(),
            description: String::new(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, .. } if field == "name"),
        "{error}"
    );
}

#[test]
fn an_assessment_is_found_by_firm_and_strategy_and_a_strategy_by_name_or_id() {
    let mut store = seeded_store();
    let in_house = strategies::resolve(&store, "strategy", "in-house CHIPS").unwrap();
    assert_eq!(
        strategies::resolve(&store, "strategy", &in_house.to_string()).unwrap(),
        in_house
    );
    let error = strategies::resolve(&store, "strategyId", "Stockpiling").unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, message }
            if field == "strategyId" && message.contains("In-house chips")),
        "{error}"
    );

    let tencent = firm_id(&store, "Tencent");
    let stockpiling = strategies::save(
        &mut store,
        None,
        None,
        &StrategyDraft {
            name: "Stockpiling".into(),
            description: String::new(),
        },
    )
    .unwrap();
    assert_eq!(
        assessments::find(&store, tencent, stockpiling.id).unwrap(),
        None
    );
    let saved = assessments::save(
        &mut store,
        None,
        None,
        &AssessmentDraft {
            firm_id: tencent,
            strategy_id: stockpiling.id,
            stance: Stance::Exploring,
            summary: String::new(),
            as_of: None,
            evidence: vec![],
        },
    )
    .unwrap();
    assert_eq!(
        assessments::find(&store, tencent, stockpiling.id).unwrap(),
        Some(saved.id)
    );
}
